"""The task-exposure rubric of Eloundou, Manning, Mishkin & Rock ("GPTs are GPTs", 2024), as data.

A task is *exposed* when access to an LLM-based system would cut the time a person
needs to do it by at least half, at equal quality. Every task gets one of three labels:

- ``E0`` not exposed: an LLM would not halve the time (physical work, presence, care,
  judgement that depends on being there, or quality that would drop).
- ``E1`` directly exposed: an LLM chat interface *alone* halves it (writing, editing,
  transforming text or code, translating, summarising, answering from general knowledge).
- ``E2`` exposed with software built on the LLM: halving the time needs more than a chat
  box (retrieval over private documents, tools such as a database or a spreadsheet,
  very long documents, images).

An occupation's (or a person's) scores are shares of its tasks:

    alpha = share(E1)                      the lower bound: chat alone
    beta  = share(E1) + 0.5 * share(E2)    the middle: half credit for software not yet built
    zeta  = share(E1) + share(E2)          the upper bound (the paper's gamma)

The wording below is a paraphrase written for this course, not the paper's text.
"""

from __future__ import annotations

from dataclasses import dataclass

CITATION = (
    "Eloundou, T., Manning, S., Mishkin, P. & Rock, D. (2024). GPTs are GPTs: Labor market impact "
    "potential of LLMs. Science 384(6702):1306-1308."
)


@dataclass(frozen=True)
class Level:
    """One rubric label: its code, a short name, when it applies, and typical examples."""

    code: str
    name: str
    meaning: str
    examples: tuple[str, ...]
    #: weight of this label in alpha, beta and zeta (share of a task counted as exposed)
    alpha_weight: float
    beta_weight: float
    zeta_weight: float


RUBRIC: dict[str, Level] = {
    "E0": Level(
        "E0", "not exposed",
        "An LLM-based system would not cut the time by half at equal quality: the work is physical, "
        "needs presence or touch, depends on trust between people, or would lose quality.",
        ("repair a leaking pipe", "comfort a grieving client", "drive a delivery van", "lift a patient into bed"),
        0.0, 0.0, 0.0,
    ),
    "E1": Level(
        "E1", "directly exposed",
        "A chat interface to an LLM alone halves the time: writing and editing text, transforming or "
        "explaining text or code, translating, summarising, drafting from general knowledge.",
        ("translate a product manual", "summarise a meeting transcript", "draft a press release",
         "fix a bug in a short function"),
        1.0, 1.0, 1.0,
    ),
    "E2": Level(
        "E2", "exposed with LLM-powered software",
        "The time is halved only with software built around the LLM: search over private or recent "
        "documents, tools (databases, spreadsheets, code execution), very long inputs, images.",
        ("answer customer emails from the order database", "find clauses across 10,000 archived contracts",
         "turn a spreadsheet of survey answers into charts and a summary"),
        0.0, 0.5, 1.0,
    ),
}

LABELS: tuple[str, ...] = tuple(RUBRIC)


def check_label(label: object, *, name: str = "label") -> str:
    """Return ``label`` normalised (``"e1"`` -> ``"E1"``), or raise a clear error for anything else."""
    if not isinstance(label, str):
        raise TypeError(f"{name} must be a string, one of {', '.join(LABELS)}; got {type(label).__name__} {label!r}")
    code = label.strip().upper()
    if code not in RUBRIC:
        raise ValueError(f"{name} {label!r} is not a rubric label; use one of {', '.join(LABELS)} "
                         "(E0 not exposed, E1 chat alone halves the time, E2 needs LLM-powered software)")
    return code


def rubric_table() -> list[dict[str, str]]:
    """The rubric as rows (code, name, meaning, examples), ready for ``pandas.DataFrame``."""
    return [
        {"label": level.code, "name": level.name, "meaning": level.meaning, "examples": "; ".join(level.examples)}
        for level in RUBRIC.values()
    ]

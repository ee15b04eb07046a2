"""Exercise checkers for lesson 06, career reflection in the AIGC era."""

from __future__ import annotations

import math
from typing import Any

from . import NotYet, exercise

_PASS_MARK = 8  # of 10 practice tasks: the rubric leaves room for honest disagreement on one or two


@exercise("06.1", "label ten tasks with the exposure rubric",
          hints=("Ask: would a chat box alone halve the time (E1)? Only with tools, data or long documents (E2)? Neither (E0)?",))
def _(answer: Any) -> str | None:
    from ..career.practice import PRACTICE_TASKS
    from ..career.rubric import LABELS

    if not isinstance(answer, dict):
        raise NotYet(f"answer with a dict {{task: label}} covering the {len(PRACTICE_TASKS)} tasks, got {type(answer).__name__}")
    missing = [p.task for p in PRACTICE_TASKS if p.task not in answer]
    if missing:
        raise NotYet(f"{len(missing)} task(s) have no label yet, e.g. {missing[0]!r}")
    bad = {t: l for t, l in answer.items() if not isinstance(l, str) or l.strip().upper() not in LABELS}
    if bad:
        task, label = next(iter(bad.items()))
        raise NotYet(f"{task!r} has label {label!r}; use one of {', '.join(LABELS)}")
    differ = [p for p in PRACTICE_TASKS if answer[p.task].strip().upper() != p.label]
    notes = "; ".join(f"{p.task!r}: the course says {p.label} ({p.reason})" for p in differ)
    if len(PRACTICE_TASKS) - len(differ) < _PASS_MARK:
        raise NotYet(f"{len(PRACTICE_TASKS) - len(differ)} of {len(PRACTICE_TASKS)} agree with the course's labels "
                     f"(at least {_PASS_MARK} needed). Compare: {notes}")
    return f"{len(PRACTICE_TASKS) - len(differ)}/10 agree." + (f" Where you differ: {notes}" if differ else "")


def _reference_beta(tasks: list[tuple[float, str]]) -> float:
    weight = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
    return sum(share * weight[label] for share, label in tasks) / sum(share for share, _ in tasks)


_BETA_CASES = [
    [(50, "E1"), (50, "E0")],
    [(20, "E1"), (40, "E2"), (40, "E0")],
    [(100, "E2")],
    [(10, "E1"), (10, "E2"), (80, "E0")],  # time matters, not the number of tasks
    [(70, "E0"), (5, "E1"), (25, "E2")],
]


@exercise("06.2", "time-weighted beta",
          hints=("beta = (time on E1 + 0.5 * time on E2) / total time; weight by share, do not count tasks.",))
def _(answer: Any) -> str | None:
    if not callable(answer):
        raise NotYet("answer with your function time_weighted_beta(tasks) -> float")
    for case in _BETA_CASES:
        got = answer(list(case))
        want = _reference_beta(case)
        if not isinstance(got, (int, float)) or not math.isclose(got, want, abs_tol=1e-9):
            raise NotYet(f"for tasks {case} beta should be {want:.3f} (a fraction 0-1), your function gave {got!r}")
    return None


_COPY_CASES = [
    ("the cat sat on the mat", "a dog sat on the mat today", 8),
    ("abcdefgh", "xxabcdxxefghxx", 4),
    ("to be or not to be", "to be or not to be", 5),
    ("nothing shared here", "completely different words", 6),
    ("ababab", "abab", 3),
    ("short", "short text", 10),
]


@exercise("06.3", "share of characters copied verbatim",
          hints=("Mark every character inside a window of `span` characters that appears in the training text; "
               "return marked characters / all characters.",))
def _(answer: Any) -> str | None:
    from ..career.memorisation import VerbatimIndex

    if not callable(answer):
        raise NotYet("answer with your function copied_fraction(generated, training, span) -> float")
    for generated, training, span in _COPY_CASES:
        want = VerbatimIndex(training, span).copied_fraction(generated)
        got = answer(generated, training, span)
        if not isinstance(got, (int, float)) or not math.isclose(got, want, abs_tol=1e-9):
            raise NotYet(f"copied_fraction({generated!r}, {training!r}, span={span}) should be {want:.4f}, "
                         f"your function gave {got!r}")
    return None


@exercise("06.4", "the three most exposed SOC groups by human raters",
          hints=("Use soc_groups(), skip the 'all' row, sort by beta_human, highest first, and keep the codes.",))
def _(answer: Any) -> str | None:
    from ..career.figures import soc_groups

    groups = sorted((g for g in soc_groups() if g.kind == "soc_group"), key=lambda g: -g.beta_human)
    want = [g.code for g in groups[:3]]
    if not isinstance(answer, (list, tuple)) or not all(isinstance(c, str) for c in answer):
        raise NotYet(f"answer with a list of three SOC codes as strings, e.g. ['11', '13', '15'], got {answer!r}")
    if list(answer) == [g.code for g in sorted(groups, key=lambda g: -g.beta_gpt4)[:3]] and list(answer) != want:
        raise NotYet("those are the top three by GPT-4 ratings; the question asks for human ratings (beta_human)")
    if list(answer) != want:
        raise NotYet(f"{list(answer)} is not it: sort the 22 groups by beta_human, highest first, and take three codes")
    return f"{', '.join(f'{g.code} {g.title} ({g.beta_human:.3f})' for g in groups[:3])}."

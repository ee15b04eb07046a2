"""Exercise checkers for lesson 08, career reflection in the AIGC era."""

from __future__ import annotations

import math
from typing import Any, Callable

from . import NotYet, as_number, exercise

_PASS_MARK = 8  # of 10 practice tasks: the rubric leaves room for honest disagreement on one or two


def _close(got: float, want: float) -> bool:
    """Equal up to float32 rounding (a right answer may come back as a float32 tensor)."""
    return math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-7)


def _label_mistakes(answer: dict, tasks) -> list[str]:
    """What kind of disagreement each group of differing labels shows, without giving the course's labels."""
    kinds = {
        ("E0", "exposed"): "you labelled {n} task(s) exposed that need hands, presence or care, which a language "
                           "model cannot halve (e.g. {task!r})",
        ("E1", "E2"): "you gave {n} task(s) E2 although everything they need fits in a chat box "
                      "(e.g. {task!r})",
        ("E2", "E1"): "you gave {n} task(s) E1 although they need private data, very long documents or a tool "
                      "that computes, more than a chat box alone (e.g. {task!r})",
        ("exposed", "E0"): "you labelled {n} task(s) E0 that a language model could speed up a lot (e.g. {task!r})",
    }
    groups: dict[tuple[str, str], list[str]] = {}
    for p in tasks:
        mine = answer[p.task].strip().upper()
        if mine == p.label:
            continue
        if p.label == "E0":
            key = ("E0", "exposed")
        elif mine == "E0":
            key = ("exposed", "E0")
        else:
            key = (p.label, mine)
        groups.setdefault(key, []).append(p.task)
    return [kinds[key].format(n=len(found), task=found[0]) for key, found in groups.items()]


@exercise("08.1", "label ten tasks with the exposure rubric",
          hints=("Take one task at a time and picture doing it with only a chat window open: would it take half "
                 "the time, at the same quality?",
                 "Physical work, presence and care are E0 whatever the tool. A task is E2, not E1, when the text "
                 "you would need is private, current or far too long to paste, or when something must be computed.",
                 "Ask, in order: a chat box alone halves it -> E1; only software around the model (documents, "
                 "databases, code execution) would -> E2; neither -> E0."))
def _(answer: Any) -> str | None:
    from ..career.practice import PRACTICE_TASKS
    from ..career.rubric import LABELS

    if not isinstance(answer, dict):
        raise NotYet(f"answer with a dict {{task: label}} covering the {len(PRACTICE_TASKS)} tasks, "
                     f"got {type(answer).__name__}.")
    known = {p.task for p in PRACTICE_TASKS}
    unknown = [t for t in answer if t not in known]
    if unknown:
        raise NotYet(f"{unknown[0]!r} is not one of the ten tasks: copy the task names exactly as printed.")
    missing = [p.task for p in PRACTICE_TASKS if p.task not in answer]
    if missing:
        raise NotYet(f"{len(missing)} task(s) have no label yet, e.g. {missing[0]!r}.")
    bad = {t: l for t, l in answer.items() if not isinstance(l, str) or l.strip().upper() not in LABELS}
    if bad:
        task, label = next(iter(bad.items()))
        raise NotYet(f"{task!r} has label {label!r}; use one of {', '.join(LABELS)}.")
    differ = [p for p in PRACTICE_TASKS if answer[p.task].strip().upper() != p.label]
    agree = len(PRACTICE_TASKS) - len(differ)
    if agree < _PASS_MARK:
        raise NotYet(f"{agree} of {len(PRACTICE_TASKS)} agree with the course's labels (at least {_PASS_MARK} "
                     "needed): " + "; ".join(_label_mistakes(answer, PRACTICE_TASKS)) + ".")
    notes = "; ".join(f"{p.task!r}: the course says {p.label} ({p.reason})" for p in differ)
    return f"{agree}/{len(PRACTICE_TASKS)} agree." + (f" Where you differ: {notes}" if differ else "")


_WEIGHT = {"E0": 0.0, "E1": 1.0, "E2": 0.5}


def _beta(tasks: list[tuple[float, str]], weight: dict[str, float] = _WEIGHT, total: float | None = None) -> float:
    time = sum(share for share, _ in tasks) if total is None else total
    return sum(share * weight[label] for share, label in tasks) / time


#: (tasks, what the shares are). Percentages sum to 100; hours and minutes per week do not.
_BETA_CASES: list[tuple[list[tuple[float, str]], str]] = [
    ([(50, "E1"), (50, "E0")], "percent"),
    ([(20, "E1"), (40, "E2"), (40, "E0")], "percent"),
    ([(100, "E2")], "percent"),
    ([(10, "E1"), (10, "E2"), (80, "E0")], "percent"),  # time matters, not the number of tasks
    ([(70, "E0"), (5, "E1"), (25, "E2")], "percent"),
    ([(12, "E1"), (8, "E2"), (20, "E0")], "hours per week"),  # a 40-hour week
    ([(600, "E1"), (300, "E2"), (1500, "E0")], "minutes per week"),  # 2,400 minutes
    ([(7.5, "E2"), (2.5, "E1")], "hours per day"),
    ([(3, "E0")], "hours per week"),
]

#: Mistakes a learner really makes, each as a function of the tasks, with what to tell them.
_BETA_MISTAKES: list[tuple[Callable[[list], float], str]] = [
    (lambda t: _beta(t, total=100), "your function divides by 100, so it is right only when the shares are "
                                    "percentages; here they are {unit} (total {total:g}): use the task list's own "
                                    "total time"),
    (lambda t: sum(_WEIGHT[l] for _, l in t) / len(t), "your function counts tasks and ignores their time: "
                                                      "a task that fills 80% of the week must weigh more than "
                                                      "one that fills 10%"),
    (lambda t: sum(l == "E1" for _, l in t) / len(t), "your function counts tasks and ignores their time"),
    (lambda t: _beta(t, {"E0": 0, "E1": 1, "E2": 0}), "your result leaves the E2 tasks out (that is alpha, "
                                                      "the lower bound)"),
    (lambda t: _beta(t, {"E0": 0, "E1": 1, "E2": 1}), "your result counts the E2 tasks in full (that is zeta, "
                                                      "the upper bound)"),
    (lambda t: _beta(t, {"E0": 0, "E1": 0.5, "E2": 1}), "your weights for E1 and E2 are swapped"),
    (lambda t: 100 * _beta(t), "your result is a percentage; beta is a fraction from 0 to 1"),
]


@exercise("08.2", "time-weighted beta",
          hints=("Work the section-4 editor by hand again (55% E1, 25% E2, 20% E0 gives 0.675) and write down "
                 "each step you took.",
                 "Weigh each task by its time, not by how many tasks there are, and do not assume the shares add "
                 "up to 100: they may be hours or minutes.",
                 "beta = (time on E1 + 0.5 * time on E2) / (total time of all tasks)."))
def _(answer: Any) -> str | None:
    if not callable(answer):
        raise NotYet("answer with your function time_weighted_beta(tasks) -> float, not a value.")
    results = []
    for case, unit in _BETA_CASES:
        got = as_number(answer(list(case)), f"time_weighted_beta({case})")
        results.append(got)
    wrong = [(case, unit, got) for (case, unit), got in zip(_BETA_CASES, results)
             if not _close(got, _beta(case))]
    if not wrong:
        return None
    for mistake, message in _BETA_MISTAKES:
        if all(_close(got, mistake(case)) for (case, _), got in zip(_BETA_CASES, results)):
            case, unit, _ = wrong[0]
            raise NotYet(message.format(unit=unit, total=sum(s for s, _ in case)) + ".")
    case, unit, got = wrong[0]
    raise NotYet(f"for tasks {case} (shares in {unit}) beta should be {_beta(case):.4f}, your function gave {got:.4f}.")


_COPY_CASES = [
    ("the cat sat on the mat", "a dog sat on the mat today", 8),
    ("abcdefgh", "xxabcdxxefghxx", 4),
    ("to be or not to be", "to be or not to be", 5),
    ("nothing shared here", "completely different words", 6),
    ("ababab", "abab", 3),
    ("short", "short text", 10),  # the span is longer than the text: nothing can be copied
    ("zzzz that is the question zzzz", "To be, or not to be, that is the question.", 8),
    ("xx to be, or not", "To be, or not to be", 10),  # the copy ends the text: its last window counts too
    ("ab", "b", 1),
    ("Now is the winter of our discontent made glorious summer", "Now is the winter of our discontent\n"
     "Made glorious summer by this sun of York", 12),  # a case matters: 'made' is not 'Made'
]


def _reference_copied(generated: str, training: str, span: int) -> float:
    from ..career.memorisation import VerbatimIndex

    return VerbatimIndex(training, span).copied_fraction(generated)


def _copy_windows(generated: str, training: str, span: int, *, last: bool = True) -> list[int]:
    return [s for s in range(len(generated) - span + (1 if last else 0)) if generated[s:s + span] in training]


def _marked(generated: str, starts: list[int], span: int) -> float:
    covered = {i for s in starts for i in range(s, s + span)}
    return len(covered) / len(generated)


def _jumping(generated: str, training: str, span: int) -> float:
    covered, s = set(), 0
    while s <= len(generated) - span:
        if generated[s:s + span] in training:
            covered.update(range(s, s + span))
            s += span
        else:
            s += 1
    return len(covered) / len(generated)


_COPY_MISTAKES: list[tuple[Callable[[str, str, int], float], str]] = [
    (lambda g, t, s: len(_copy_windows(g, t, s)) / len(g), "your function counts windows found, not characters: "
                                                            "a character covered by a found window is copied, "
                                                            "once, however many windows cover it"),
    (lambda g, t, s: len(_copy_windows(g, t, s)) / max(len(g) - s + 1, 1), "your function gives the share of "
                                                                          "windows found, not the share of "
                                                                          "characters"),
    (lambda g, t, s: _marked(g, _copy_windows(g, t, s, last=False), s), "your function misses the last window "
                                                                         "of the text (its loop stops one start "
                                                                         "too early)"),
    (lambda g, t, s: float(g in t), "your function asks whether the whole text is copied, all or nothing; "
                                    "measure the share of characters inside copied windows"),
    (lambda g, t, s: float(any(g[i:i + s] in t for i in range(len(g) - s + 1))), "your function says whether "
                                                                                    "any window is copied, all or "
                                                                                    "nothing"),
    (_jumping, "after a copied window your function jumps a whole span ahead, so it misses copies that overlap "
               "or start inside that window"),
    (lambda g, t, s: 100 * _reference_copied(g, t, s), "your result is a percentage; answer with a fraction "
                                                       "from 0 to 1"),
]


@exercise("08.3", "share of characters copied verbatim",
          hints=("Try it by hand on 'ababab' against the training text 'abab' with span 3: which characters "
                 "lie inside a window that occurs in the training text?",
                 "Go over every start position, including the last one where a whole window still fits; a "
                 "character counts once even if several found windows cover it.",
                 "Keep one True/False mark per character; for each start s with generated[s:s+span] in training, "
                 "mark s to s+span-1; return marked characters / len(generated)."))
def _(answer: Any) -> str | None:
    if not callable(answer):
        raise NotYet("answer with your function copied_fraction(generated, training, span) -> float, not a value.")
    results = [as_number(answer(g, t, s), f"copied_fraction({g!r}, {t!r}, span={s})") for g, t, s in _COPY_CASES]
    wrong = [(case, got) for case, got in zip(_COPY_CASES, results)
             if not _close(got, _reference_copied(*case))]
    if not wrong:
        return None
    for mistake, message in _COPY_MISTAKES:
        if all(_close(got, mistake(*case)) for case, got in zip(_COPY_CASES, results)):
            raise NotYet(message + ".")
    (generated, training, span), got = wrong[0]
    raise NotYet(f"copied_fraction({generated!r}, {training!r}, span={span}) should be "
                 f"{_reference_copied(generated, training, span):.4f}, your function gave {got:.4f}.")


@exercise("08.4", "the three most exposed SOC groups by human raters",
          hints=("Each row of soc_groups() has a code, a kind, a title and two betas: print a few rows first.",
                 "Only the rows whose kind is 'soc_group' are major groups; the question is about the human raters' "
                 "column, most exposed first.",
                 "Sort the soc_group rows by beta_human, highest first (key=lambda g: -g.beta_human) and keep the "
                 "first three codes."))
def _(answer: Any) -> str | None:
    from ..career.figures import soc_groups

    groups = [g for g in soc_groups() if g.kind == "soc_group"]
    by_human = sorted(groups, key=lambda g: -g.beta_human)
    want = [g.code for g in by_human[:3]]
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise NotYet(f"answer with a list of three SOC codes as strings, e.g. ['11', '23', '25'], got "
                     f"{type(answer).__name__} {answer!r:.60}.")
    if len(answer) != 3:
        raise NotYet(f"the question asks for three groups, your list has {len(answer)}.")
    titles = {g.title: g.code for g in soc_groups()}
    if all(a in titles for a in answer):
        raise NotYet("those are the groups' titles; answer with their codes (the 'code' field, e.g. '11').")
    if not all(isinstance(c, str) for c in answer):
        raise NotYet(f"SOC codes are strings such as '15', not numbers: got {list(answer)!r}.")
    answer = [c.strip() for c in answer]
    if answer == want:
        return f"{', '.join(f'{g.code} {g.title} ({g.beta_human:.3f})' for g in by_human[:3])}."
    if "all" in answer:
        raise NotYet("'all' is the row of all 923 occupations, not a SOC major group: leave it out.")
    if answer == [g.code for g in sorted(groups, key=lambda g: -g.beta_gpt4)[:3]]:
        raise NotYet("those are the top three by GPT-4's ratings; the question asks for the human raters.")
    if answer == [g.code for g in by_human[::-1][:3]] or answer == [g.code for g in by_human[-3:]]:
        raise NotYet("those are the least exposed groups; the question asks for the most exposed, highest first.")
    if sorted(answer) == sorted(want):
        raise NotYet("the right three groups, in the wrong order: highest human-rated beta first.")
    raise NotYet(f"{answer} are not the three highest by human rating.")

"""Reference solutions for lesson 06 (career reflection). Try the exercises first!"""

from aigc_course.career.figures import soc_groups
from aigc_course.career.practice import PRACTICE_TASKS


def label_ten_tasks():
    return {p.task: p.label for p in PRACTICE_TASKS}


def time_weighted_beta(tasks):
    """tasks: list of (share, label). Weighted share of time an LLM could halve, E2 counting half."""
    weight = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
    total = sum(share for share, _ in tasks)
    return sum(share * weight[label] for share, label in tasks) / total


def copied_fraction(generated, training, span):
    """Mark characters inside any `span`-long window of `generated` that occurs in `training`."""
    copied = [False] * len(generated)
    for start in range(len(generated) - span + 1):
        if generated[start:start + span] in training:
            for i in range(start, start + span):
                copied[i] = True
    return sum(copied) / len(generated)


def top_three_by_human_rating():
    groups = [g for g in soc_groups() if g.kind == "soc_group"]
    return [g.code for g in sorted(groups, key=lambda g: -g.beta_human)[:3]]


def _windows_found_fraction(generated, training, span):
    """Wrong: counts window starts, not characters."""
    starts = range(len(generated) - span + 1)
    return sum(generated[s:s + span] in training for s in starts) / max(len(generated), 1)


SOLUTIONS = {
    "06.1": label_ten_tasks,
    "06.2": time_weighted_beta,
    "06.3": copied_fraction,
    "06.4": top_three_by_human_rating,
}

WRONG = {
    "06.1": [
        {p.task: "E1" for p in PRACTICE_TASKS},  # everything exposed
        {p.task: "E0" for p in PRACTICE_TASKS},  # nothing exposed
        {p.task: {"E0": "E0", "E1": "E2", "E2": "E1"}[p.label] for p in PRACTICE_TASKS},  # E1 and E2 swapped
        {p.task: p.label for p in PRACTICE_TASKS[:9]},  # one missing
        ["E1"] * 10,
    ],
    "06.2": [
        lambda tasks: sum(label == "E1" for _, label in tasks) / len(tasks),  # counts tasks, ignores time
        lambda tasks: sum(s for s, l in tasks if l in ("E1", "E2")) / 100,  # that is zeta, not beta
        lambda tasks: sum(s for s, l in tasks if l == "E1") / 100,  # that is alpha
        "0.5",
    ],
    "06.3": [
        _windows_found_fraction,
        lambda generated, training, span: 0.0,
        lambda generated, training, span: float(generated in training),
    ],
    "06.4": [["15", "43", "13"], ["15", "13", "19"], ["all", "15", "13"], "15,13,41"],
}

"""Reference solutions for lesson 08 (career reflection). Try the exercises first!"""

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


# ---------------------------------------------------------------- realistic wrong answers
def _beta_over_100(tasks):
    """Wrong: assumes the shares are percentages (right only when they sum to 100)."""
    weight = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
    return sum(share * weight[label] for share, label in tasks) / 100


def _beta_counting_tasks(tasks):
    """Wrong: counts tasks, ignores how long each takes."""
    weight = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
    return sum(weight[label] for _, label in tasks) / len(tasks)


def _alpha_not_beta(tasks):
    """Wrong: the scaffold's old bug, E2 tasks left out (that is alpha)."""
    return sum(share for share, label in tasks if label == "E1") / sum(share for share, _ in tasks)


def _zeta_not_beta(tasks):
    """Wrong: E2 counted in full (that is zeta)."""
    return sum(share for share, label in tasks if label in ("E1", "E2")) / sum(share for share, _ in tasks)


def _beta_in_percent(tasks):
    """Wrong: a percentage, not a fraction."""
    weight = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
    return 100 * sum(share * weight[label] for share, label in tasks) / sum(share for share, _ in tasks)


def _windows_found_fraction(generated, training, span):
    """Wrong: counts window starts, not characters."""
    starts = range(len(generated) - span + 1)
    return sum(generated[s:s + span] in training for s in starts) / max(len(generated), 1)


def _misses_last_window(generated, training, span):
    """Wrong: range(len(generated) - span) stops one window early."""
    copied = [False] * len(generated)
    for start in range(len(generated) - span):
        if generated[start:start + span] in training:
            copied[start:start + span] = [True] * span
    return sum(copied) / len(generated)


def _jumps_after_a_copy(generated, training, span):
    """Wrong: skips a whole span after each copied window, missing overlapping copies."""
    copied, start = [False] * len(generated), 0
    while start <= len(generated) - span:
        if generated[start:start + span] in training:
            copied[start:start + span] = [True] * span
            start += span
        else:
            start += 1
    return sum(copied) / len(generated)


def _whole_text_copied(generated, training, span):
    """Wrong: all or nothing."""
    return float(generated in training)


def _copied_percent(generated, training, span):
    """Wrong: a percentage."""
    copied = [False] * len(generated)
    for start in range(len(generated) - span + 1):
        if generated[start:start + span] in training:
            copied[start:start + span] = [True] * span
    return 100 * sum(copied) / len(generated)


_FLIP = {"E0": "E0", "E1": "E2", "E2": "E1"}

SOLUTIONS = {
    "08.1": label_ten_tasks,
    "08.2": time_weighted_beta,
    "08.3": copied_fraction,
    "08.4": top_three_by_human_rating,
}

WRONG = {
    "08.1": [
        ({p.task: "E1" for p in PRACTICE_TASKS}, "need hands, presence or care"),  # everything exposed
        ({p.task: "E0" for p in PRACTICE_TASKS}, "could speed up a lot"),  # nothing exposed
        ({p.task: _FLIP[p.label] for p in PRACTICE_TASKS}, "fits in a chat box"),  # E1 and E2 swapped
        ({p.task: _FLIP[p.label] for p in PRACTICE_TASKS}, "need private data"),
        ({p.task: p.label for p in PRACTICE_TASKS[:9]}, "have no label yet"),  # one missing
        ({**{p.task: p.label for p in PRACTICE_TASKS[1:]}, "Translate a product manual": "E1"}, "not one of the ten"),
        ({p.task: {"E0": "none", "E1": "E1", "E2": "E2"}[p.label] for p in PRACTICE_TASKS}, "use one of E0, E1, E2"),
        (["E1"] * 10, "dict"),
    ],
    "08.2": [
        (_beta_over_100, "divides by 100"),
        (_beta_counting_tasks, "counts tasks"),
        (_alpha_not_beta, "leaves the E2 tasks out"),
        (_zeta_not_beta, "counts the E2 tasks in full"),
        (_beta_in_percent, "percentage"),
        (lambda tasks: 0.5, "should be"),
        ("0.5", "your function"),
    ],
    "08.3": [
        (_windows_found_fraction, "counts windows found, not characters"),
        (_misses_last_window, "misses the last window"),
        (_jumps_after_a_copy, "jumps a whole span ahead"),
        (_whole_text_copied, "whole text"),
        (_copied_percent, "percentage"),
        (lambda generated, training, span: 0.0, "should be"),
    ],
    "08.4": [
        (["15", "43", "13"], "GPT-4"),
        (["41", "13", "15"], "wrong order"),
        (["47", "51", "45"], "least exposed"),
        (["15", "13", "all"], "'all' is the row"),
        ([15, 13, 41], "strings"),
        (["Computer & mathematical", "Business & financial operations", "Sales & related"], "codes"),
        (["15", "13"], "three groups"),
        (["15", "13", "19"], "not the three highest"),
        ("15,13,41", "list of three"),
    ],
}

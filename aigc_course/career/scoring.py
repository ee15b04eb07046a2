"""Exposure scores of a profile, weighted by working time, and their comparison with cited figures.

For tasks with time shares ``s_i`` (percent, summing to 100) and labels ``l_i``:

    alpha = sum_i s_i * [l_i == E1]                      / 100
    beta  = sum_i s_i * ([l_i == E1] + 0.5 [l_i == E2])  / 100
    zeta  = sum_i s_i * ([l_i == E1] + [l_i == E2])      / 100

so each score is the *fraction of working time* (0-1) an LLM could halve. The paper
scores occupations by their share of *tasks*; weighting by time is the natural choice
for one person, who knows how long each task takes. The number is self-rated: treat the
comparison as a conversation starter, not a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable

from ..language import language, tr
from .figures import Figure, IloGroup, all_occupations, figure_for, group_of, ilo_group, soc_groups
from ..validate import check_float
from .profile import SHARE_TOLERANCE, Profile, Task, _tasks
from .rubric import LABELS, RUBRIC


@dataclass(frozen=True)
class Scores:
    """Time-weighted exposure: ``alpha <= beta <= zeta``, each a fraction in [0, 1].

    ``time_by_label`` is the percent of working time labelled E0, E1 and E2.
    """

    alpha: float
    beta: float
    zeta: float
    time_by_label: dict[str, float]


def exposure_scores(tasks: Profile | Iterable[Task]) -> Scores:
    """alpha, beta and zeta of a complete profile (or of a task list whose shares sum to 100%)."""
    if isinstance(tasks, Profile):
        task_list = list(tasks.require_complete().tasks)
    else:
        if isinstance(tasks, (str, bytes, dict)) or not isinstance(tasks, Iterable):
            raise TypeError(tr(f"tasks must be a Profile or a list of Task, got {type(tasks).__name__}",
                               f"tasks 必须是 Profile 或由 Task 组成的列表，收到的是 {type(tasks).__name__}"))
        task_list = list(_tasks(tasks))
        if not task_list:
            raise ValueError(tr("tasks is empty: list the tasks that fill your working week",
                                "tasks 是空的：请列出占满你一周工作的各项任务"))
        for i, task in enumerate(task_list):
            if not isinstance(task, Task):
                raise TypeError(tr(f"tasks[{i}] must be a Task, got {type(task).__name__} {task!r}",
                                   f"tasks[{i}] 必须是 Task，收到的是 {type(task).__name__} {task!r}"))
        total = sum(t.share for t in task_list)
        if abs(total - 100.0) > SHARE_TOLERANCE:
            raise ValueError(tr(f"time shares must sum to 100%, but they sum to {total:g}%",
                                f"各项时间比例合计必须为 100%，现在合计为 {total:g}%"))
    total = sum(t.share for t in task_list)  # within tolerance of 100; normalise so scores stay in [0, 1]
    time_by_label = {label: 0.0 for label in LABELS}
    for task in task_list:
        time_by_label[task.label] += task.share * 100.0 / total
    return scores_from_time(time_by_label)


def scores_from_time(time_by_label: dict[str, float]) -> Scores:
    """alpha, beta, zeta from the percent of working time under each label (summing to 100)."""
    time_by_label = _check_time_by_label(time_by_label)
    alpha = sum(time_by_label[label] * RUBRIC[label].alpha_weight for label in LABELS) / 100.0  # E1
    beta = sum(time_by_label[label] * RUBRIC[label].beta_weight for label in LABELS) / 100.0  # E1 + 0.5 E2
    zeta = sum(time_by_label[label] * RUBRIC[label].zeta_weight for label in LABELS) / 100.0  # E1 + E2
    return Scores(alpha, beta, zeta, dict(time_by_label))


def _check_time_by_label(time_by_label: object) -> dict[str, float]:
    """Percent of working time per label: a dict with exactly E0, E1 and E2, each in [0, 100], summing to 100."""
    if not isinstance(time_by_label, dict):
        raise TypeError(tr(f"time_by_label must be a dict like {{'E0': 20, 'E1': 55, 'E2': 25}}, "
                           f"got {type(time_by_label).__name__}",
                           f"time_by_label 必须是 {{'E0': 20, 'E1': 55, 'E2': 25}} 这样的字典，"
                           f"收到的是 {type(time_by_label).__name__}"))
    if set(time_by_label) != set(LABELS):
        raise ValueError(tr(f"time_by_label must have exactly the keys {', '.join(LABELS)}, "
                            f"got {', '.join(map(repr, time_by_label)) or 'none'}",
                            f"time_by_label 的键必须恰好是 {', '.join(LABELS)}，"
                            f"收到的是 {', '.join(map(repr, time_by_label)) or '无'}"))
    out = {label: check_float(time_by_label[label], f"time_by_label[{label!r}]", minimum=0.0,
                              maximum=100.0 + SHARE_TOLERANCE) for label in LABELS}
    if abs(sum(out.values()) - 100.0) > SHARE_TOLERANCE:
        raise ValueError(tr(f"time_by_label must sum to 100 (percent of working time), got {sum(out.values()):g}",
                            f"time_by_label 合计必须为 100（占工作时间的百分比），现在是 {sum(out.values()):g}"))
    return out


@dataclass(frozen=True)
class Comparison:
    """The learner's beta beside their reference occupation, its SOC group and all occupations."""

    scores: Scores
    reference: Figure
    group: Figure
    overall: Figure
    ilo: IloGroup | None
    groups_below_gpt4: int  # SOC major groups whose GPT-4-rated mean beta is below the learner's
    groups_below_human: int
    n_groups: int

    def rows(self) -> list[dict[str, object]]:
        """Rows for a table: who, beta (GPT-4 rated; None for you), beta (human rated), source.

        The texts of the first row and of the ``all`` row are in the learner's language; titles and
        sources of cited figures are quoted as the data files give them.
        """
        rows: list[dict[str, object]] = [{
            "who": tr("you (self-rated, time-weighted)", "你（自评，按时间加权）"), "beta_gpt4": None,
            "beta_human": round(self.scores.beta, 3),
            "source": tr("your own task list (a human rating: yours)", "你自己的任务清单（人工评分：你本人）"),
        }]
        seen = set()
        for figure in (self.reference, self.group, self.overall):
            if figure.code in seen:
                continue
            seen.add(figure.code)
            name = figure.title if figure.kind == "occupation" else f"SOC {figure.code}: {figure.title}"
            if figure.kind == "all":
                name = tr(f"all {figure.n_occupations} occupations", f"全部 {figure.n_occupations} 个职业")
            rows.append({"who": name, "beta_gpt4": figure.beta_gpt4, "beta_human": figure.beta_human,
                         "source": figure.source})
        return rows

    def summary(self) -> str:
        """Two sentences that put the learner's beta in context, with the caveat."""
        s = self.scores
        if language() == "zh":
            return self._summary_zh()
        text = f"Your time-weighted beta is {s.beta:.3f} (alpha {s.alpha:.3f}, zeta {s.zeta:.3f}). "
        if self.reference.kind != "all":
            text += (f"The cited beta for {self.reference.title} is {self.reference.beta_gpt4:.3f} (GPT-4 rated) and "
                     f"{self.reference.beta_human:.3f} (human rated); ")
        text += (f"{'over' if self.reference.kind != 'all' else 'Over'} all {self.overall.n_occupations} occupations "
                 f"it is {self.overall.beta_gpt4:.3f} (GPT-4 rated) "
                 f"and {self.overall.beta_human:.3f} (human rated). Your beta is above the mean of "
                f"{self.groups_below_gpt4} of {self.n_groups} SOC major groups (GPT-4 rated). "
                "Exposure means an LLM could halve the time of those tasks, not that the job goes away.")
        if self.ilo is not None:
            text += (f" In the ILO's global index, ISCO group {self.ilo.isco} ({self.ilo.title}) has a mean task score of "
                     f"{self.ilo.mean_score:.3f} on its own 0-1 scale.")
        return text

    def _summary_zh(self) -> str:
        s = self.scores
        text = f"你按时间加权的 beta 是 {s.beta:.3f}（alpha {s.alpha:.3f}，zeta {s.zeta:.3f}）。"
        overall = (f"全部 {self.overall.n_occupations} 个职业的 beta 是 {self.overall.beta_gpt4:.3f}（GPT-4 评分）"
                   f"和 {self.overall.beta_human:.3f}（人工评分）。")
        if self.reference.kind != "all":
            text += (f"文献中 {self.reference.title} 的 beta 是 {self.reference.beta_gpt4:.3f}（GPT-4 评分）和 "
                     f"{self.reference.beta_human:.3f}（人工评分），" + overall.replace("的 beta 是", "则是", 1))
        else:
            text += overall
        text += (f"你的 beta 高于 {self.n_groups} 个 SOC 大类中 {self.groups_below_gpt4} 个大类的均值（GPT-4 评分）。"
                 "暴露的意思是 LLM 能让这些任务的时间减半，而不是这份工作会消失。")
        if self.ilo is not None:
            text += (f"在 ILO 的全球指数中，ISCO 大类 {self.ilo.isco}（{self.ilo.title}）的平均任务得分是 "
                     f"{self.ilo.mean_score:.3f}（按它自己的 0-1 尺度）。")
        return text


def compare(profile: Profile) -> Comparison:
    """Compare a complete profile's scores with the cited figures for its reference code."""
    if not isinstance(profile, Profile):
        raise TypeError(tr(f"profile must be a Profile, got {type(profile).__name__}",
                           f"profile 必须是 Profile，收到的是 {type(profile).__name__}"))
    scores = exposure_scores(profile)
    groups = [g for g in soc_groups() if g.kind == "soc_group"]
    return Comparison(
        scores=scores,
        reference=figure_for(profile.reference),
        group=group_of(profile.reference),
        overall=all_occupations(),
        ilo=ilo_group(profile.isco_group) if profile.isco_group else None,
        groups_below_gpt4=sum(g.beta_gpt4 < scores.beta for g in groups),
        groups_below_human=sum(g.beta_human < scores.beta for g in groups),
        n_groups=len(groups),
    )

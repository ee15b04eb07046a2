"""A learner's profile: their role, the tasks of their job, and how they rate their own skills.

Everything here is what the learner says about themselves; no model decides anything.

- A :class:`Task` is one recurring piece of work, its share of working time in percent,
  and a rubric label (``E0``/``E1``/``E2``, see :mod:`aigc_course.career.rubric`).
- A :class:`Profile` holds the role, a reference code to compare with (an O*NET-SOC
  occupation such as ``"27-3041.00"``, a SOC major group such as ``"27"``, or ``"all"``),
  optionally an ISCO-08 major group for the ILO's global view, the tasks, self-ratings
  (1-5) of the article's three core human skills and of AI-tool fluency, and free-text
  reflections.

Fields are checked when a profile is built. A profile may be a *draft* (no tasks yet,
shares not yet summing to 100) so that saving never loses work; :meth:`Profile.require_complete`
is what scoring and planning call, and it says exactly what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from collections.abc import Iterable
from typing import Any

from ..language import Text, tr
from ..validate import check_float, check_int, check_str
from .figures import figure_for, ilo_group
from .rubric import check_label

#: The article's core skills that AI lacks, with a one-line description each ("name: description").
SKILLS: dict[str, Text] = {
    "creative_thinking": Text("creative thinking: framing problems and ideas no training text suggests",
                              "创造性思维：提出训练文本里找不到的问题框架和想法"),
    "communication": Text("communication and collaboration: explaining, persuading, working in a team",
                          "沟通与协作：解释、说服、团队合作"),
    "emotional_intelligence": Text("emotional intelligence: reading and responding to people's feelings",
                                   "情商：察觉并回应他人的感受"),
}


def skill_name(key: str) -> str:
    """The short name of a core skill (``"creative thinking"``), in the learner's language of the moment."""
    return str(SKILLS[key]).replace("：", ":").split(":")[0]

RATING_MIN, RATING_MAX = 1, 5
#: How far the time shares may be off 100% (rounding in what people type).
SHARE_TOLERANCE = 0.5


#: At most this many tasks in one profile (a working week is a handful to a few dozen).
MAX_TASKS = 100


def _rating(value: object, name: str) -> int:
    """A self-rating: an int from 1 (weak) to 5 (strong)."""
    hint = tr(f"rate it with an integer from {RATING_MIN} (weak) to {RATING_MAX} (strong)",
              f"请用 {RATING_MIN}（弱）到 {RATING_MAX}（强）之间的整数打分")
    try:
        return check_int(value, name, minimum=RATING_MIN, maximum=RATING_MAX)
    except TypeError as error:
        raise TypeError(tr(f"{error}; {hint}", f"{error}；{hint}")) from None
    except ValueError as error:
        raise ValueError(tr(f"{error}; {hint}", f"{error}；{hint}")) from None


def _text(value: object, name: str, *, allow_empty: bool = False) -> str:
    """A text field, white space trimmed; empty only where allowed."""
    return check_str(value, name, allow_empty=allow_empty).strip()


def _reflections(value: object) -> dict[str, str]:
    """Questions and answers as text; two questions may not differ only in surrounding spaces."""
    if not isinstance(value, dict):
        raise TypeError(tr(f"reflections must be a dict of question -> answer, got {type(value).__name__}",
                           f"reflections 必须是“问题 -> 回答”的字典，收到的是 {type(value).__name__}"))
    out: dict[str, str] = {}
    for question, answer in value.items():
        key = _text(question, tr("reflection question", "反思问题"))
        if key in out:
            raise ValueError(tr(f"reflections has the question {key!r} twice (differing only in spaces): "
                                "one of the answers would be lost",
                                f"reflections 中问题 {key!r} 出现了两次（只差在空白字符上）：其中一个回答会丢失"))
        out[key] = _text(answer, tr(f"answer to {key!r}", f"对 {key!r} 的回答"), allow_empty=True)
    return out


def _reference(code: object) -> str:
    """A reference code that has a cited figure (see :func:`aigc_course.career.figures.figure_for`)."""
    return figure_for(code, name="reference").code


def _tasks(tasks: object) -> "tuple[Task, ...]":
    """``tasks`` as a tuple (at most :data:`MAX_TASKS`); each item is checked by the caller."""
    if isinstance(tasks, (str, bytes, dict)) or not isinstance(tasks, Iterable):
        raise TypeError(tr(f"tasks must be a list of Task, got {type(tasks).__name__}",
                           f"tasks 必须是由 Task 组成的列表，收到的是 {type(tasks).__name__}"))
    out = []
    for task in tasks:
        out.append(task)
        if len(out) > MAX_TASKS:
            raise ValueError(tr(f"tasks must hold at most {MAX_TASKS} tasks (a working week split into more is "
                                "not a plan); merge small ones",
                                f"tasks 最多只能有 {MAX_TASKS} 项任务（把一周的工作拆得比这更细，就不成计划了）；"
                                "请把小任务合并"))
    return tuple(out)


_TASK_FIELDS = ("name", "share", "label", "note")


def _task_from_dict(position: int, data: dict) -> "Task":
    unknown = sorted(map(str, set(data) - set(_TASK_FIELDS)))
    if unknown:
        raise ValueError(tr(f"profile data tasks[{position}] has unknown fields: {', '.join(unknown)} "
                            f"(a task has {', '.join(_TASK_FIELDS)})",
                            f"档案数据 tasks[{position}] 含有未知字段：{', '.join(unknown)}"
                            f"（一项任务的字段是 {', '.join(_TASK_FIELDS)}）"))
    missing = [f for f in _TASK_FIELDS[:3] if f not in data]
    if missing:
        raise ValueError(tr(f"profile data tasks[{position}] lacks {', '.join(missing)}",
                            f"档案数据 tasks[{position}] 缺少 {', '.join(missing)}"))
    return Task(**data)


@dataclass(frozen=True)
class Task:
    """One task: ``name``, ``share`` of working time in percent (0-100], rubric ``label``, optional ``note``."""

    name: str
    share: float
    label: str
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _text(self.name, tr("task name", "任务名称")))
        share = check_float(self.share, tr(f"share of task {self.name!r} (percent of working time)",
                                           f"任务 {self.name!r} 的时间比例（占工作时间的百分比）"),
                            minimum=0.0, maximum=100.0, exclusive_minimum=True)
        object.__setattr__(self, "share", share)
        object.__setattr__(self, "label", check_label(self.label, name=tr(f"label of task {self.name!r}",
                                                                          f"任务 {self.name!r} 的标签")))
        object.__setattr__(self, "note", _text(self.note, tr(f"note of task {self.name!r}", f"任务 {self.name!r} 的备注"),
                                               allow_empty=True))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "share": self.share, "label": self.label, "note": self.note}


@dataclass(frozen=True)
class Profile:
    """What a learner says about their work. Shares are percent of working time; ratings are 1-5."""

    role: str
    reference: str = "all"
    tasks: tuple[Task, ...] = ()
    skills: dict[str, int] = field(default_factory=lambda: {k: 3 for k in SKILLS})
    tool_fluency: int = 1
    isco_group: str | None = None
    reflections: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", _text(self.role, "role"))
        object.__setattr__(self, "reference", _reference(self.reference))
        tasks = _tasks(self.tasks)
        for i, task in enumerate(tasks):
            if not isinstance(task, Task):
                raise TypeError(tr(f"tasks[{i}] must be a Task(name, share, label), got {type(task).__name__} {task!r}",
                                   f"tasks[{i}] 必须是 Task(name, share, label)，收到的是 {type(task).__name__} {task!r}"))
        names = [t.name.lower() for t in tasks]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(tr(f"tasks must have distinct names; repeated: {', '.join(duplicates)}",
                                f"tasks 中各项任务的名称不能相同；重复的有：{', '.join(duplicates)}"))
        object.__setattr__(self, "tasks", tasks)
        if not isinstance(self.skills, dict):
            raise TypeError(tr(f"skills must be a dict like {{'creative_thinking': 3, ...}}, got {type(self.skills).__name__}",
                               f"skills 必须是 {{'creative_thinking': 3, ...}} 这样的字典，收到的是 "
                               f"{type(self.skills).__name__}"))
        unknown = sorted(map(str, set(self.skills) - set(SKILLS)))
        missing = sorted(set(SKILLS) - set(self.skills))
        if unknown or missing:
            raise ValueError(tr(f"skills must rate exactly {', '.join(SKILLS)}; "
                                + (f"unknown: {', '.join(unknown)} " if unknown else "")
                                + (f"missing: {', '.join(missing)}" if missing else ""),
                                f"skills 必须恰好给 {', '.join(SKILLS)} 打分；"
                                + (f"未知：{', '.join(unknown)} " if unknown else "")
                                + (f"缺少：{', '.join(missing)}" if missing else "")))
        object.__setattr__(self, "skills", {k: _rating(self.skills[k], f"skills[{k!r}]") for k in SKILLS})
        object.__setattr__(self, "tool_fluency", _rating(self.tool_fluency, "tool_fluency"))
        if self.isco_group is not None:
            object.__setattr__(self, "isco_group", ilo_group(self.isco_group, name="isco_group").isco)
        object.__setattr__(self, "reflections", _reflections(self.reflections))

    # ----------------------------------------------------------------------------------
    @property
    def total_share(self) -> float:
        """Sum of the tasks' time shares, in percent (100 when complete)."""
        return sum(t.share for t in self.tasks)

    def problems(self) -> list[str]:
        """What keeps this draft from being scored (empty list: complete)."""
        if not self.tasks:
            return [tr("the task list is empty: add the tasks that fill your working week",
                       "任务清单是空的：请添加占满你一周工作的各项任务")]
        if abs(self.total_share - 100.0) > SHARE_TOLERANCE:
            shares = " + ".join(f"{t.share:g}" for t in self.tasks)
            return [tr(f"time shares must sum to 100%, but they sum to {self.total_share:g}% ({shares})",
                       f"各项时间比例合计必须为 100%，现在合计为 {self.total_share:g}%（{shares}）")]
        return []

    def require_complete(self) -> "Profile":
        """Return ``self`` if it can be scored; else raise ``ValueError`` saying what is missing."""
        problems = self.problems()
        if problems:
            raise ValueError(tr(f"profile of {self.role!r} is not complete: " + "; ".join(problems),
                                f"{self.role!r} 的档案还不完整：" + "；".join(problems)))
        return self

    def with_tasks(self, tasks: "Iterable[Task]") -> "Profile":
        """A copy with a different task list (profiles are immutable)."""
        return replace(self, tasks=_tasks(tasks))

    # ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; :meth:`from_dict` rebuilds an equal profile."""
        return {
            "role": self.role,
            "reference": self.reference,
            "isco_group": self.isco_group,
            "tasks": [t.to_dict() for t in self.tasks],
            "skills": dict(self.skills),
            "tool_fluency": self.tool_fluency,
            "reflections": dict(self.reflections),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Profile":
        """Rebuild a profile from :meth:`to_dict` data, checking every field."""
        if not isinstance(data, dict):
            raise TypeError(tr(f"profile data must be a dict, got {type(data).__name__}",
                               f"档案数据必须是字典，收到的是 {type(data).__name__}"))
        known = {"role", "reference", "isco_group", "tasks", "skills", "tool_fluency", "reflections"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(tr(f"profile data has unknown fields: {', '.join(unknown)}",
                                f"档案数据含有未知字段：{', '.join(unknown)}"))
        tasks = data.get("tasks", [])
        if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
            raise TypeError(tr("profile data 'tasks' must be a list of {name, share, label, note} objects",
                               "档案数据的 'tasks' 必须是由 {name, share, label, note} 对象组成的列表"))
        if len(tasks) > MAX_TASKS:
            raise ValueError(tr(f"profile data 'tasks' holds {len(tasks):,} tasks; at most {MAX_TASKS} are allowed",
                                f"档案数据的 'tasks' 有 {len(tasks):,} 项任务；最多只允许 {MAX_TASKS} 项"))
        return cls(
            role=data.get("role", ""),
            reference=data.get("reference", "all"),
            isco_group=data.get("isco_group"),
            tasks=tuple(_task_from_dict(i, t) for i, t in enumerate(tasks)),
            skills=data.get("skills", {k: 3 for k in SKILLS}),
            tool_fluency=data.get("tool_fluency", 1),
            reflections=data.get("reflections", {}),
        )

"""Published exposure figures, read from the course's CSV files in ``aigc_course/data/`` with their sources.

Three tables, each row carrying the citation it came from (column ``source``):

- ``career_soc_groups.csv``: mean beta exposure by US SOC major group (2-digit code),
  unweighted over the O*NET occupations of the group, GPT-4 rated and human rated
  (Eloundou et al., 2024), plus the row ``all`` (923 occupations).
- ``career_occupations.csv``: beta for 40 selected O*NET-SOC occupations (same source).
- ``career_ilo_groups.csv``: the ILO's 2025 refined global index by ISCO-08 major group:
  unweighted mean task score (0-1, a different scale from beta) and how many occupations
  fall in each exposure gradient (Gmyrek et al., 2025).
- ``career_headlines.csv``: the two workforce shares quoted in the abstract of Eloundou et al.

Caveats that travel with these numbers: exposure is not job loss (it says where an LLM
could halve the time of a task, not whether the job disappears); the measures use
different scales (beta in [0, 1] from E0/E1/E2 labels; the ILO score is a mean task
score); group figures are unweighted means over occupations, not weighted by employment.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from .. import resources
from ..language import Text, tr
from ..validate import check_str


class Texts(Sequence):
    """A fixed list of :class:`~aigc_course.language.Text` that reads as plain strings in the learner's language.

    Every item taken from it (by index, by slice or by iterating) is a ``str`` in the language of
    that moment, so ``for caveat in CAVEATS: print(caveat)`` and ``caveat in text`` work as for a
    tuple of strings. ``texts`` holds the :class:`Text` pairs themselves.
    """

    def __init__(self, *texts: Text) -> None:
        for i, text in enumerate(texts):
            if not isinstance(text, Text):
                raise TypeError(f"texts[{i}] must be a Text, got {type(text).__name__}")
        self.texts: tuple[Text, ...] = texts

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(map(str, self.texts[index]))
        return str(self.texts[index])

    def __len__(self) -> int:
        return len(self.texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Texts):
            return self.texts == other.texts
        if isinstance(other, (tuple, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))


#: Caveats that travel with the figures; each item is a ``str`` in the learner's language of the moment.
CAVEATS: Texts = Texts(
    Text("Exposure is not job loss: it says where an LLM could halve the time of a task at equal quality, "
         "not whether a job disappears, shrinks or grows.",
         "暴露不等于失业：它说的是在质量不变的前提下，LLM 能让哪些任务的时间减半，"
         "而不是一份工作会消失、缩减还是增长。"),
    Text("The measures use different scales: beta combines E0/E1/E2 task labels into [0, 1]; the ILO index is a "
         "mean task score in [0, 1] from a different rubric and must not be compared number for number with beta.",
         "各项指标的尺度不同：beta 把 E0/E1/E2 任务标签合成 [0, 1] 之间的一个数；ILO 指数是按另一套评分标准"
         "得出的平均任务得分，虽然也在 [0, 1] 之间，但不能与 beta 逐个数字比较。"),
    Text("Group figures are unweighted means over occupations, not weighted by how many people work in each.",
         "大类数据是对其中各职业的不加权平均，没有按各职业的从业人数加权。"),
    Text("GPT-4 and human raters disagree, most for computer and office work: both columns are shown for a reason.",
         "GPT-4 与人工评分者的看法并不一致，在计算机和办公室工作上分歧最大：两列都列出来，正是这个原因。"),
)


class FiguresError(RuntimeError):
    """The course's figure files are missing or malformed."""


def data_dir() -> Path:
    """The course's data folder: ``aigc_course/data`` inside the package (``AIGC_DATA`` overrides, e.g. for a copy)."""
    try:
        return resources.data_dir()
    except resources.DataFileMissing as error:
        raise FiguresError(str(error)) from None


def _read_rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of ``<data_dir()>/<name>``, which must have ``columns`` (plus ``source``) and a source on every row.

    A damaged file (not UTF-8, not CSV, a column missing, no rows) raises :class:`FiguresError`
    naming the file and what is wrong.
    """
    path = data_dir() / name
    if not path.is_file():
        raise FiguresError(tr(f"{path} is missing; it ships with the package in aigc_course/data/ (reinstall it)",
                              f"缺少 {path}；它随课程包放在 aigc_course/data/ 中（请重新安装课程包）"))
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = reader.fieldnames or []
    except UnicodeDecodeError as error:
        raise FiguresError(tr(f"{path} is damaged: not UTF-8 text ({error.reason} at byte {error.start}); "
                              "restore it from the course repository (git checkout aigc_course/data/) "
                              "or reinstall the package",
                              f"{path} 已损坏：不是 UTF-8 文本（第 {error.start} 字节处 {error.reason}）；"
                              "请从课程仓库恢复它（git checkout aigc_course/data/），或重新安装课程包")) from None
    except (csv.Error, OSError) as error:
        raise FiguresError(tr(f"{path} cannot be read as CSV ({error}); restore it from the course repository",
                              f"{path} 无法按 CSV 读取（{error}）；请从课程仓库恢复它")) from None
    missing = [c for c in (*columns, "source") if c not in header]
    if missing:
        raise FiguresError(tr(f"{path} is damaged: its header lacks the column(s) {', '.join(missing)} "
                              f"(found: {', '.join(map(str, header)) or 'no header'})",
                              f"{path} 已损坏：表头缺少列 {', '.join(missing)}"
                              f"（实际找到：{', '.join(map(str, header)) or '没有表头'}）"))
    if not rows:
        raise FiguresError(tr(f"{path} is damaged: it has a header but no rows",
                              f"{path} 已损坏：只有表头，没有数据行"))
    for i, row in enumerate(rows, start=2):  # line 1 is the header
        if None in row or any(row.get(c) is None for c in columns):
            raise FiguresError(tr(f"{path.name} line {i} does not have one value per column: the file is damaged",
                                  f"{path.name} 第 {i} 行的值与列数对不上：文件已损坏"))
        if not (row.get("source") or "").strip():
            raise FiguresError(tr(f"{path.name} line {i} has no source: every cited figure must say where it comes from",
                                  f"{path.name} 第 {i} 行没有出处：每个引用的数据都必须注明来源"))
    return rows


def _number(name: str, line: int, row: dict[str, str], column: str, *, maximum: float = 1.0) -> float:
    """``row[column]`` as a float in [0, maximum]; a readable :class:`FiguresError` otherwise."""
    text = row[column]
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= maximum:  # also refuses NaN and infinity
        raise FiguresError(tr(f"{name} line {line}, column {column}: {text!r} is not a number in [0, {maximum:g}]",
                              f"{name} 第 {line} 行 {column} 列：{text!r} 不是 [0, {maximum:g}] 之间的数"))
    return value


def _count(name: str, line: int, row: dict[str, str], column: str) -> int:
    """``row[column]`` as an int >= 0; a readable :class:`FiguresError` otherwise."""
    text = row[column].strip()
    if not text.isdigit():
        raise FiguresError(tr(f"{name} line {line}, column {column}: {row[column]!r} is not a whole number >= 0",
                              f"{name} 第 {line} 行 {column} 列：{row[column]!r} 不是 >= 0 的整数"))
    return int(text)


def _rows(name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    return list(enumerate(_read_rows(name, columns), start=2))


@dataclass(frozen=True)
class Figure:
    """A beta exposure figure for an occupation, a SOC major group or all occupations.

    ``beta_gpt4`` and ``beta_human`` are in [0, 1]; ``n_occupations`` is 1 for a single
    occupation. ``kind`` is ``"occupation"``, ``"soc_group"`` or ``"all"``.
    """

    code: str
    title: str
    kind: str
    beta_gpt4: float
    beta_human: float
    n_occupations: int
    source: str


@dataclass(frozen=True)
class IloGroup:
    """One ISCO-08 major group in the ILO 2025 index: mean task score (0-1) and gradient counts."""

    isco: str
    title: str
    n_occupations: int
    mean_score: float
    gradients: dict[str, int]  # "gradient_4" ... "gradient_1", "minimal_exposure", "not_exposed"
    source: str


@dataclass(frozen=True)
class Headline:
    """A workforce share from a paper's abstract: ``share_of_workforce`` have >= ``threshold`` of tasks exposed."""

    key: str
    share_of_workforce: float
    threshold_share_of_tasks: float
    statement: str
    source: str


GRADIENTS = ("gradient_4", "gradient_3", "gradient_2", "gradient_1", "minimal_exposure", "not_exposed")


@functools.lru_cache(maxsize=None)
def soc_groups() -> tuple[Figure, ...]:
    """The 22 SOC major groups and the ``all`` row, in file order."""
    name = "career_soc_groups.csv"
    return tuple(
        Figure(row["soc"].strip(), row["group"], "all" if row["soc"].strip() == "all" else "soc_group",
               _number(name, i, row, "beta_gpt4"), _number(name, i, row, "beta_human"),
               _count(name, i, row, "n_occupations"), row["source"])
        for i, row in _rows(name, ("soc", "group", "n_occupations", "beta_gpt4", "beta_human"))
    )


@functools.lru_cache(maxsize=None)
def occupations() -> tuple[Figure, ...]:
    """The selected O*NET-SOC occupations (e.g. ``27-3041.00`` Editors), in file order."""
    name = "career_occupations.csv"
    return tuple(
        Figure(row["onet_soc"].strip(), row["title"], "occupation", _number(name, i, row, "beta_gpt4"),
               _number(name, i, row, "beta_human"), 1, row["source"])
        for i, row in _rows(name, ("onet_soc", "title", "beta_gpt4", "beta_human"))
    )


@functools.lru_cache(maxsize=None)
def ilo_groups() -> tuple[IloGroup, ...]:
    """The nine ISCO-08 major groups of the ILO 2025 index (armed forces excluded)."""
    name = "career_ilo_groups.csv"
    return tuple(
        IloGroup(row["isco"].strip(), row["group"], _count(name, i, row, "n_occupations"),
                 _number(name, i, row, "mean_score_2025"), {g: _count(name, i, row, g) for g in GRADIENTS},
                 row["source"])
        for i, row in _rows(name, ("isco", "group", "n_occupations", "mean_score_2025", *GRADIENTS))
    )


@functools.lru_cache(maxsize=None)
def headlines() -> tuple[Headline, ...]:
    """Headline workforce shares (e.g. about 80% of US workers have >= 10% of tasks exposed)."""
    name = "career_headlines.csv"
    return tuple(
        Headline(row["key"], _number(name, i, row, "share_of_workforce"),
                 _number(name, i, row, "threshold_share_of_tasks"), row["statement"], row["source"])
        for i, row in _rows(name, ("key", "share_of_workforce", "threshold_share_of_tasks", "statement"))
    )


def all_occupations() -> Figure:
    """The ``all`` row: mean beta over all 923 O*NET occupations."""
    found = next((f for f in soc_groups() if f.kind == "all"), None)
    if found is None:
        raise FiguresError(tr(f"{data_dir() / 'career_soc_groups.csv'} is damaged: it has no 'all' row",
                              f"{data_dir() / 'career_soc_groups.csv'} 已损坏：缺少 'all' 这一行"))
    return found


def reference_codes() -> dict[str, str]:
    """Every code a profile may compare against, with a readable title (occupations, groups, ``all``)."""
    codes = {f.code: f"{f.code} {f.title}" for f in occupations()}
    codes.update({f.code: tr(f"SOC {f.code} {f.title} (group of {f.n_occupations})",
                             f"SOC {f.code} {f.title}（共 {f.n_occupations} 个职业）") for f in soc_groups()})
    return codes


def figure_for(code: str, *, name: str = "code") -> Figure:
    """The figure for an O*NET-SOC code (``"27-3041.00"``), a SOC major group (``"27"``) or ``"all"``.

    ``name`` is the parameter name used in error messages.
    """
    if not isinstance(code, str):
        raise TypeError(tr(f"{name} must be a string such as '27-3041.00', '27' or 'all', got {type(code).__name__} "
                           f"{code!r}"[:200],
                           f"{name} 必须是 '27-3041.00'、'27' 或 'all' 这样的字符串，收到的是 {type(code).__name__} "
                           f"{code!r}"[:200]))
    for figure in occupations() + soc_groups():
        if figure.code == code.strip():
            return figure
    raise ValueError(tr(f"{name} {code[:80]!r} has no cited figure; use an O*NET-SOC code from career_occupations.csv "
                        f"(e.g. '27-3041.00'), a SOC major group ('11', '13', ... '53') or 'all'",
                        f"{name} {code[:80]!r} 没有可引用的数据；请用 career_occupations.csv 中的 O*NET-SOC 代码"
                        f"（如 '27-3041.00'）、SOC 大类（'11'、'13' …… '53'）或 'all'"))


def group_of(code: str) -> Figure:
    """The SOC major group of an occupation or group code (``"27-3041.00"`` -> group ``27``)."""
    figure = figure_for(code)
    if figure.kind == "all":
        return figure
    return figure_for(figure.code[:2])


def ilo_group(isco: str | int, *, name: str = "isco") -> IloGroup:
    """The ILO 2025 figures for ISCO-08 major group ``"1"`` ... ``"9"`` (an int 1 ... 9 also works).

    ``name`` is the parameter name used in error messages.
    """
    if isinstance(isco, bool) or not isinstance(isco, (str, int)):
        raise TypeError(tr(f"{name} must be an ISCO-08 major group '1' ... '9', got {type(isco).__name__} {isco!r}"[:200],
                           f"{name} 必须是 ISCO-08 大类 '1' …… '9'，收到的是 {type(isco).__name__} {isco!r}"[:200]))
    for group in ilo_groups():
        if group.isco == str(isco).strip():
            return group
    raise ValueError(tr(f"{name} {str(isco)[:40]!r} is not an ISCO-08 major group in the ILO table; use '1' ... '9' "
                        "(0, armed forces, is not in the released scores)",
                        f"{name} {str(isco)[:40]!r} 不是 ILO 表中的 ISCO-08 大类；请用 '1' …… '9'"
                        "（0 即军人，不在已发布的得分中）"))


def find(text: str) -> list[Figure]:
    """Occupations and groups whose title contains ``text`` (case-insensitive), e.g. ``find("writer")``."""
    needle = check_str(text, "text", allow_empty=False).strip().lower()
    return [f for f in occupations() + soc_groups() if needle in f.title.lower()]


def sources() -> list[str]:
    """Every distinct source cited by the figure files, in first-seen order."""
    seen: dict[str, None] = {}
    for figure in soc_groups() + occupations():
        seen.setdefault(figure.source, None)
    for group in ilo_groups():
        seen.setdefault(group.source, None)
    for headline in headlines():
        seen.setdefault(headline.source, None)
    return list(seen)

"""Published exposure figures, read from the course's CSV files in ``data/`` with their sources.

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
import os
from dataclasses import dataclass
from pathlib import Path

CAVEATS: tuple[str, ...] = (
    "Exposure is not job loss: it says where an LLM could halve the time of a task at equal quality, "
    "not whether a job disappears, shrinks or grows.",
    "The measures use different scales: beta combines E0/E1/E2 task labels into [0, 1]; the ILO index is a "
    "mean task score in [0, 1] from a different rubric and must not be compared number for number with beta.",
    "Group figures are unweighted means over occupations, not weighted by how many people work in each.",
    "GPT-4 and human raters disagree, most for computer and office work: both columns are shown for a reason.",
)


class FiguresError(RuntimeError):
    """The course's figure files are missing or malformed."""


def data_dir() -> Path:
    """The course's ``data/`` folder (``AIGC_DATA`` overrides, e.g. for a copy of the course)."""
    override = os.environ.get("AIGC_DATA", "").strip()
    folder = Path(override).expanduser() if override else Path(__file__).resolve().parents[2] / "data"
    if not folder.is_dir():
        raise FiguresError(f"the course data folder {folder} is missing: run from a checkout of the course "
                           "(pip install -e .) or point AIGC_DATA at its data/ folder")
    return folder


def _read_rows(name: str) -> list[dict[str, str]]:
    path = data_dir() / name
    if not path.is_file():
        raise FiguresError(f"{path} is missing; it ships with the course in data/")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows, start=2):  # line 1 is the header
        if not (row.get("source") or "").strip():
            raise FiguresError(f"{path.name} line {i} has no source: every cited figure must say where it comes from")
    return rows


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
    return tuple(
        Figure(row["soc"], row["group"], "all" if row["soc"] == "all" else "soc_group",
               float(row["beta_gpt4"]), float(row["beta_human"]), int(row["n_occupations"]), row["source"])
        for row in _read_rows("career_soc_groups.csv")
    )


@functools.lru_cache(maxsize=None)
def occupations() -> tuple[Figure, ...]:
    """The selected O*NET-SOC occupations (e.g. ``27-3041.00`` Editors), in file order."""
    return tuple(
        Figure(row["onet_soc"], row["title"], "occupation", float(row["beta_gpt4"]), float(row["beta_human"]), 1,
               row["source"])
        for row in _read_rows("career_occupations.csv")
    )


@functools.lru_cache(maxsize=None)
def ilo_groups() -> tuple[IloGroup, ...]:
    """The nine ISCO-08 major groups of the ILO 2025 index (armed forces excluded)."""
    return tuple(
        IloGroup(row["isco"], row["group"], int(row["n_occupations"]), float(row["mean_score_2025"]),
                 {g: int(row[g]) for g in GRADIENTS}, row["source"])
        for row in _read_rows("career_ilo_groups.csv")
    )


@functools.lru_cache(maxsize=None)
def headlines() -> tuple[Headline, ...]:
    """Headline workforce shares (e.g. about 80% of US workers have >= 10% of tasks exposed)."""
    return tuple(
        Headline(row["key"], float(row["share_of_workforce"]), float(row["threshold_share_of_tasks"]),
                 row["statement"], row["source"])
        for row in _read_rows("career_headlines.csv")
    )


def all_occupations() -> Figure:
    """The ``all`` row: mean beta over all 923 O*NET occupations."""
    return next(f for f in soc_groups() if f.kind == "all")


def reference_codes() -> dict[str, str]:
    """Every code a profile may compare against, with a readable title (occupations, groups, ``all``)."""
    codes = {f.code: f"{f.code} {f.title}" for f in occupations()}
    codes.update({f.code: f"SOC {f.code} {f.title} (group of {f.n_occupations})" for f in soc_groups()})
    return codes


def figure_for(code: str) -> Figure:
    """The figure for an O*NET-SOC code (``"27-3041.00"``), a SOC major group (``"27"``) or ``"all"``."""
    if not isinstance(code, str):
        raise TypeError(f"code must be a string such as '27-3041.00', '27' or 'all', got {type(code).__name__}")
    for figure in occupations() + soc_groups():
        if figure.code == code.strip():
            return figure
    raise ValueError(f"code {code!r} has no cited figure; use an O*NET-SOC code from career_occupations.csv "
                     f"(e.g. '27-3041.00'), a SOC major group ('11', '13', ... '53') or 'all'")


def group_of(code: str) -> Figure:
    """The SOC major group of an occupation or group code (``"27-3041.00"`` -> group ``27``)."""
    figure = figure_for(code)
    if figure.kind == "all":
        return figure
    return figure_for(figure.code[:2])


def ilo_group(isco: str) -> IloGroup:
    """The ILO 2025 figures for ISCO-08 major group ``"1"`` ... ``"9"``."""
    for group in ilo_groups():
        if group.isco == str(isco).strip():
            return group
    raise ValueError(f"isco {isco!r} is not an ISCO-08 major group in the ILO table; use '1' ... '9' "
                     "(0, armed forces, is not in the released scores)")


def find(text: str) -> list[Figure]:
    """Occupations and groups whose title contains ``text`` (case-insensitive), e.g. ``find("writer")``."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must be a non-empty string to search titles for, got {text!r}")
    needle = text.strip().lower()
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

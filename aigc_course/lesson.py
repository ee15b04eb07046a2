"""A lesson notebook's plumbing in one small object, so its cells show the lesson's code.

A notebook starts with::

    lesson = Lesson("04")                           # seeds, threads, prints the mode
    run = lesson.settings(eval_chars=(None, 40_000))  # (default mode, fast mode) per setting

and ends with::

    lesson.finish(globals(), {"GPT validation loss": (gpt_val, "nats/char")})

``finish`` prints the key results (the runner collects them into its report) and
checks the text's **claims**: every sentence of the notebook's Markdown that states
something about a result computed in the notebook carries a hidden marker
``<!-- claim: EXPRESSION -->``, a Python expression over the notebook's variables
that must be true in the default run (e.g. ``<!-- claim: gpt_val < min(ngram_val.values()) -->``).
A claim that does not hold fails the cell, naming the sentence and the expression, so
the prose can never drift from the outputs beside it. In fast mode the figures are
from a shrunken run: the claims are evaluated (a misspelt name still fails) but
need not hold (the cell says so).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Mapping

from .config import is_fast
from .fonts import use_cjk_font
from .language import tr
from .report import key_result
from .resources import CourseFilesMissing, course_root, lesson_files
from .validate import check_str

__all__ = ["Lesson", "Claim", "ClaimsNotBacked", "find_claims", "check_claims", "about"]

CLAIM = re.compile(r"<!--\s*claim:\s*(.+?)\s*-->", re.S)


def _course_notebooks() -> Path | None:
    """The course's ``notebooks/`` folder (repository or packaged copy), or None when neither exists."""
    try:
        return course_root() / "notebooks"
    except CourseFilesMissing:
        return None


@dataclass(frozen=True)
class Claim:
    """One marked claim: the expression that must hold, the sentence it backs, its Markdown cell (0-based)."""

    expression: str
    sentence: str
    cell: int


class ClaimsNotBacked(AssertionError):
    """Raised by :meth:`Lesson.finish` when a claim in the text does not hold for this run's outputs."""


def about(value: float, target: float, rel: float = 0.1) -> bool:
    """True when ``value`` is within ``rel`` (a fraction, 0.1 = 10 %) of ``target``: for prose saying "about 2.4"."""
    return math.isfinite(value) and abs(value - target) <= rel * abs(target)


def _sentence_before(text: str, end: int) -> str:
    """The sentence (or table row / list item) that ends where a marker starts, without Markdown markup."""
    before = CLAIM.sub("", text[:end])
    piece = re.split(r"(?<=[.!?。！？])\s+|\n", before.rstrip())[-1]
    return re.sub(r"[*_`]", "", piece).strip()[-200:]


def find_claims(notebook: Path | str) -> list[Claim]:
    """Every ``<!-- claim: ... -->`` in the Markdown cells of ``notebook``, in order."""
    import nbformat

    nb = nbformat.read(Path(notebook), as_version=4)
    claims = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for match in CLAIM.finditer(cell.source):
                claims.append(Claim(" ".join(match.group(1).split()), _sentence_before(cell.source, match.start()), index))
    return claims


def check_claims(claims: list[Claim], namespace: Mapping[str, Any], *, must_hold: bool = True) -> list[str]:
    """Evaluate each claim in ``namespace`` (with :func:`about` available); return one message per failure.

    With ``must_hold=False`` (fast mode) only claims that cannot be evaluated fail (a
    misspelt variable), not claims that are false for the shrunken run.
    """
    scope = {"about": about, "math": math, **namespace}
    failures = []
    for claim in claims:
        try:
            holds = eval(claim.expression, scope)  # noqa: S307 - the course's own Markdown, not input
        except Exception as error:
            failures.append(f"markdown cell {claim.cell}: {claim.expression!r} could not be evaluated "
                            f"({type(error).__name__}: {error}); the sentence: {claim.sentence!r}")
            continue
        if must_hold and not holds:
            failures.append(f"markdown cell {claim.cell}: {claim.expression!r} is false for this run; "
                            f"the sentence: {claim.sentence!r}")
    return failures


class Lesson:
    """The run of one lesson notebook: its mode, settings, key results and claims.

    ``number`` is the notebook's two-digit prefix (``"03"``); ``seed`` seeds Python,
    NumPy and PyTorch (``None``: seed nothing and leave torch unimported).
    """

    def __init__(self, number: str, *, seed: int | None = 0) -> None:
        check_str(number, "number", allow_empty=False)
        if not re.fullmatch(r"\d\d", number):
            raise ValueError(f"number must be a lesson's two-digit prefix such as '03', got {number!r}")
        self.number = number
        self.fast = is_fast()
        self.started = time.perf_counter()
        parts = [tr(f"lesson {number}", f"第 {number} 课"),
                 (tr("fast mode (shrunken data and training)", "快速模式（缩小的数据与训练）") if self.fast
                  else tr("default mode", "默认模式"))]
        if seed is not None:
            from .config import seed_everything

            seed_everything(seed)
            import torch

            parts += [tr(f"seed {seed}", f"随机种子 {seed}"),
                      tr(f"{torch.get_num_threads()} torch threads", f"torch 线程数 {torch.get_num_threads()}")]
        print(" | ".join(parts))
        use_cjk_font()  # Chinese plot text gets real glyphs, in either edition

    def settings(self, **choices: tuple[Any, Any]) -> SimpleNamespace:
        """The run's settings: each keyword gives ``(default, fast)``; returns the values of this mode."""
        for name, pair in choices.items():
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise TypeError(f"setting {name} must be a pair (default value, fast-mode value), got {pair!r}")
        return SimpleNamespace(**{name: pair[1] if self.fast else pair[0] for name, pair in choices.items()})

    def notebook(self) -> Path | None:
        """This lesson's notebook file: in the working folder (where a kernel starts), else the course's folder."""
        for folder in (Path.cwd(), _course_notebooks()):
            found = lesson_files(folder, self.number) if folder is not None else []
            if found:
                return found[0]
        return None

    def finish(self, namespace: Mapping[str, Any], key_results: Mapping[str, Any] | None = None) -> None:
        """Print the key results, check the text's claims against ``namespace`` and print the run time.

        ``key_results`` maps a name to a value or to ``(value, unit)``. Raises
        :class:`ClaimsNotBacked` listing every claim that does not hold (default mode only).
        """
        for name, value in (key_results or {}).items():
            value, unit = value if isinstance(value, tuple) else (value, "")
            key_result(name, value, unit)
        path = self.notebook()
        if path is None:
            print(tr(f"claims not checked: no {self.number}_*.ipynb in {Path.cwd()} or {_course_notebooks()}",
                     f"未核对正文中的结论：{Path.cwd()} 和 {_course_notebooks()} 中都没有 {self.number}_*.ipynb"))
        else:
            claims = find_claims(path)
            failures = check_claims(claims, namespace, must_hold=not self.fast)
            if failures:
                raise ClaimsNotBacked(f"{len(failures)} of {len(claims)} claims in the text do not hold for "
                                      "this run:\n- " + "\n- ".join(failures))
            if self.fast:
                print(tr(f"fast mode: the text describes the default run, so its {len(claims)} claims are "
                         "evaluated but not required to hold",
                         f"快速模式：正文描述的是默认模式的运行，所以其中 {len(claims)} 条结论只计算、不要求成立"))
            else:
                print(tr(f"all {len(claims)} claims in the text hold for the figures printed above",
                         f"正文中的 {len(claims)} 条结论，对上面打印的数字全部成立"))
        seconds = time.perf_counter() - self.started
        print(tr(f"notebook run time: {seconds:.0f} s", f"笔记本运行时间：{seconds:.0f} 秒"))

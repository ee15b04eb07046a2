"""Measuring verbatim copying: how much of a generated text appears, character for character,
in the text the model was trained on.

This is the hands-on side of the copyright risk: a language model can reproduce long
spans of its training data, and whoever publishes the output may be publishing someone
else's words. The measure here is simple and exact:

    a character of the generated text is *copied* if it lies inside some window of
    ``span`` consecutive characters that also occurs verbatim in the training text.

``copied_fraction`` is the share of such characters (0-1). Real text that the model never
saw (held-out plays) gives the baseline: common phrases are shared by chance, and a
model that copies less than that baseline is not reciting.

The windows are found by :class:`aigc_course.verbatim.CopyDetector`, the course's one copy
detector (lesson 04 measures its GPT with it): 64-bit polynomial hashes of the windows, so two
different windows are taken for the same one with probability about 2**-64 per pair; for 4 M x
10 k pairs a false match has probability ~2e-9. ``span`` is at most :data:`MAX_SPAN`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..language import tr
from ..validate import check_int_compat, check_str
from ..verbatim import CopyDetector

#: Longest window, in characters: a copy longer than this is a question for ``longest_copy``.
MAX_SPAN = 1_000


def _check_span(span: object) -> int:
    """A window length in characters, 1 to :data:`MAX_SPAN`."""
    return check_int_compat(span, tr("span (characters)", "span（字符数）"), minimum=1, maximum=MAX_SPAN)


def _check_generated(generated: object) -> str:
    return check_str(generated, "generated")


class VerbatimIndex:
    """A training text, ready to say which ``span``-character windows of a generated text it holds.

    Building it for the 4 M characters of the training plays and measuring four 3,000-character
    texts against it takes about 0.1 s.
    """

    def __init__(self, training_text: str, span: int = 32) -> None:
        if not check_str(training_text, "training_text"):
            raise ValueError(tr("training_text must be a non-empty string, got ''",
                                "training_text 必须是非空字符串，收到的是 ''"))
        self.span = _check_span(span)
        self.text = training_text
        self._detector = CopyDetector(training_text)

    def window_found(self, generated: str) -> np.ndarray:
        """For each window start ``i`` of ``generated``: is ``generated[i:i+span]`` in the training text?"""
        return self._detector.window_found(_check_generated(generated), self.span)

    def copied_mask(self, generated: str) -> np.ndarray:
        """Boolean per character of ``generated``: inside a verbatim copy of >= ``span`` characters."""
        starts = np.flatnonzero(self.window_found(generated))
        # mark [i, i + span) for every found window start i, via a difference array
        delta = np.zeros(len(generated) + 1, dtype=np.int64)
        delta[starts] += 1  # the starts are distinct
        delta[starts + self.span] -= 1
        return np.cumsum(delta[:-1]) > 0

    def copied_fraction(self, generated: str) -> float:
        """Share of characters of ``generated`` (0-1) inside a verbatim copy of >= ``span`` characters."""
        if not _check_generated(generated):
            raise ValueError(tr("generated is empty: nothing to measure", "generated 是空的：没有可测量的内容"))
        return self._detector.copied_fraction(generated, self.span)

    def longest_copy(self, generated: str) -> str:
        """The longest substring of ``generated`` found verbatim in the training text ('' if < span);
        the first of several as long."""
        generated = _check_generated(generated)
        if len(generated) < self.span:
            return ""
        length, copied = self._detector.longest_copy(generated, limit=len(generated))
        return copied if length >= self.span else ""


def copied_fraction(generated: str, training_text: str, span: int = 32) -> float:
    """Share of ``generated``'s characters inside a verbatim copy (>= ``span`` chars) of ``training_text``."""
    return VerbatimIndex(training_text, span).copied_fraction(generated)


@dataclass(frozen=True)
class CopyReport:
    """How much one text copies: ``fraction`` of characters (0-1), the ``longest`` copied string."""

    name: str
    n_chars: int
    fraction: float
    longest: str


def copy_report(name: str, generated: str, index: VerbatimIndex) -> CopyReport:
    """Measure ``generated`` against ``index`` (fraction copied and longest verbatim span)."""
    name = check_str(name, "name")
    if not isinstance(index, VerbatimIndex):
        raise TypeError(tr(f"index must be a VerbatimIndex(training_text, span), got {type(index).__name__}",
                           f"index 必须是 VerbatimIndex(training_text, span)，收到的是 {type(index).__name__}"))
    return CopyReport(name, len(generated), index.copied_fraction(generated), index.longest_copy(generated))

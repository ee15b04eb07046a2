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

To make this fast on millions of characters, every ``span``-character window of the
training text is hashed (a polynomial hash modulo 2**64, computed with NumPy in
``span`` vectorised passes) and the hashes are sorted; a generated window is looked up
by binary search. Two different windows share a 64-bit hash with probability about
2**-64 per pair, so for 4 M x 10 k pairs a false match has probability ~2e-9; the
longest copied span is confirmed character by character at the training positions whose
window hash matches. ``span`` is at most :data:`MAX_SPAN` (building the index costs
``span`` passes over the training text).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..language import tr
from ..validate import check_int_compat, check_str

_BASE = np.uint64(1_000_003)
#: Longest window, in characters: building the index costs ``span`` passes over the training text.
MAX_SPAN = 1_000


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _window_hashes(text: str, span: int) -> np.ndarray:
    """Hash of every ``span``-character window of ``text``: shape ``(len(text) - span + 1,)``, uint64."""
    codes = _codes(text)
    n = len(codes) - span + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    hashes = codes[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, span):  # h = c0 * B^(span-1) + c1 * B^(span-2) + ... (mod 2^64, by overflow)
            np.multiply(hashes, _BASE, out=hashes)
            np.add(hashes, codes[j:j + n], out=hashes)
    return hashes


def _check_span(span: object) -> int:
    """A window length in characters, 1 to :data:`MAX_SPAN`."""
    return check_int_compat(span, tr("span (characters)", "span（字符数）"), minimum=1, maximum=MAX_SPAN)


def _check_generated(generated: object) -> str:
    return check_str(generated, "generated")


class VerbatimIndex:
    """Every ``span``-character window of a training text, ready for fast look-ups.

    Building it for the 4 M characters of the training plays takes about a second.
    """

    def __init__(self, training_text: str, span: int = 32) -> None:
        if not check_str(training_text, "training_text"):
            raise ValueError(tr("training_text must be a non-empty string, got ''",
                                "training_text 必须是非空字符串，收到的是 ''"))
        self.span = _check_span(span)
        self.text = training_text
        # sorted (duplicates are harmless for binary search; np.sort is much faster than np.unique here)
        self._hashes = np.sort(_window_hashes(training_text, self.span))
        self._positions: np.ndarray | None = None

    def window_found(self, generated: str) -> np.ndarray:
        """For each window start ``i`` of ``generated``: is ``generated[i:i+span]`` in the training text?"""
        query = _window_hashes(_check_generated(generated), self.span)
        if len(query) == 0 or len(self._hashes) == 0:
            return np.zeros(len(query), dtype=bool)
        pos = np.searchsorted(self._hashes, query).clip(max=len(self._hashes) - 1)
        return self._hashes[pos] == query

    def copied_mask(self, generated: str) -> np.ndarray:
        """Boolean per character of ``generated``: inside a verbatim copy of >= ``span`` characters."""
        found = self.window_found(generated)
        mask = np.zeros(len(generated), dtype=bool)
        # mark [i, i + span) for every found window start i, via a difference array
        delta = np.zeros(len(generated) + 1, dtype=np.int64)
        starts = np.flatnonzero(found)
        np.add.at(delta, starts, 1)
        np.add.at(delta, starts + self.span, -1)
        mask[:] = np.cumsum(delta[:-1]) > 0
        return mask

    def copied_fraction(self, generated: str) -> float:
        """Share of characters of ``generated`` (0-1) inside a verbatim copy of >= ``span`` characters."""
        if not _check_generated(generated):
            raise ValueError(tr("generated is empty: nothing to measure", "generated 是空的：没有可测量的内容"))
        return float(self.copied_mask(generated).mean())

    def _starts_by_hash(self) -> np.ndarray:
        """Start positions of the training windows, in the order of :attr:`_hashes` (built on first use)."""
        if self._positions is None:
            self._positions = np.argsort(_window_hashes(self.text, self.span), kind="stable")
        return self._positions

    def longest_copy(self, generated: str) -> str:
        """The longest substring of ``generated`` found verbatim in the training text ('' if < span).

        Every candidate is confirmed character by character at the training positions
        whose window hash matches, so hash collisions cannot produce a false copy. The
        work grows with the copies found, not with ``len(generated) * len(training_text)``.
        """
        found = self.window_found(generated)
        if not found.any():
            return ""
        query = _window_hashes(generated, self.span)
        starts_by_hash = self._starts_by_hash()
        # run_end[i]: the last window start of the run of found windows that contains i
        ends = np.flatnonzero(found & ~np.r_[found[1:], False])
        run_end = ends[np.searchsorted(ends, np.arange(len(found))).clip(max=len(ends) - 1)]
        best_start, best_length = 0, 0
        for i in np.flatnonzero(found).tolist():
            limit = int(run_end[i]) + self.span - i  # a copy starting at i cannot run past its run of windows
            if limit <= best_length:
                continue
            lo, hi = np.searchsorted(self._hashes, query[i], "left"), np.searchsorted(self._hashes, query[i], "right")
            for q in starts_by_hash[lo:hi].tolist():
                length = _common_prefix(generated, i, self.text, q, limit)
                if length >= self.span and length > best_length:
                    best_start, best_length = i, length
                    if length == limit:
                        break
        return generated[best_start:best_start + best_length]


def _common_prefix(a: str, i: int, b: str, j: int, limit: int) -> int:
    """Length of the longest common prefix of ``a[i:]`` and ``b[j:]``, at most ``limit``.

    Compares growing, then shrinking, slices: O(length) character comparisons in C.
    """
    n, step = 0, 32
    while n < limit:
        k = min(step, limit - n)
        if a[i + n:i + n + k] == b[j + n:j + n + k] and len(b) - j - n >= k:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = max(1, k // 2)
    return n


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

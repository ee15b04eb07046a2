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
longest copied span is confirmed with an exact substring search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_BASE = np.uint64(1_000_003)


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
    if isinstance(span, bool) or not isinstance(span, int) or span < 1:
        raise ValueError(f"span must be an int >= 1 (characters), got {span!r}")
    return span


class VerbatimIndex:
    """Every ``span``-character window of a training text, ready for fast look-ups.

    Building it for the 4 M characters of the training plays takes about a second.
    """

    def __init__(self, training_text: str, span: int = 32) -> None:
        if not isinstance(training_text, str) or not training_text:
            raise ValueError("training_text must be a non-empty string")
        self.span = _check_span(span)
        self.text = training_text
        # sorted (duplicates are harmless for binary search; np.sort is much faster than np.unique here)
        self._hashes = np.sort(_window_hashes(training_text, self.span))

    def window_found(self, generated: str) -> np.ndarray:
        """For each window start ``i`` of ``generated``: is ``generated[i:i+span]`` in the training text?"""
        if not isinstance(generated, str):
            raise TypeError(f"generated must be a str, got {type(generated).__name__}")
        query = _window_hashes(generated, self.span)
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
        if not generated:
            raise ValueError("generated is empty: nothing to measure")
        return float(self.copied_mask(generated).mean())

    def longest_copy(self, generated: str) -> str:
        """The longest substring of ``generated`` found verbatim in the training text ('' if < span)."""
        found = self.window_found(generated)
        best = ""
        i = 0
        while i < len(found):  # each run of consecutive found windows is a candidate region
            if not found[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(found) and found[j + 1]:
                j += 1
            region = generated[i:j + self.span]
            # matching statistics inside the region: two pointers, each substring checked exactly
            start, end = 0, self.span
            while start + self.span <= len(region) and len(region) - start > len(best):
                end = max(end, start + self.span)
                if region[start:end] not in self.text:
                    start += 1
                    continue
                while end < len(region) and region[start:end + 1] in self.text:
                    end += 1
                if end - start > len(best):
                    best = region[start:end]
                start += 1
            i = j + 1
        return best


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
    return CopyReport(name, len(generated), index.copied_fraction(generated), index.longest_copy(generated))

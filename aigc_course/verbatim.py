"""Verbatim copies: which spans of a text occur, character for character, in a corpus.

The course's one copy detector. Lesson 04 asks how much its GPT and n-grams copy of the
Shakespeare they were trained on (:mod:`aigc_course.gpt.compare`); lesson 08 turns the same
measure into the copyright risk of publishing a model's output
(:mod:`aigc_course.career.memorisation`). NumPy only: a career plan never imports torch.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np

from .language import tr
from .validate import check_int, check_str

__all__ = ["CopyDetector"]

_BASE = 1_000_003
_INVERSE = pow(_BASE, -1, 2**64)
#: An odd 64-bit constant (2**64 / golden ratio). Every hash is multiplied by it, which carries
#: all its bits into the top bits (otherwise a window's last characters touch only low bits);
#: being odd, it maps different hashes to different hashes.
_MIX = 0x9E3779B97F4A7C15


def _prefix(text: str) -> tuple[np.ndarray, np.ndarray]:
    """``(powers, sums)`` of ``text``: ``powers[j] = M·B^j`` and ``sums[i] = Σ_{j<i} (c_j + 1)·B^{-j}`` (mod 2**64).

    Written in place into three arrays (fresh memory costs page faults on a 4 M-character corpus).
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(codes)
    sums = np.empty(n + 1, dtype=np.uint64)
    sums[0] = 0
    powers = np.empty(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 on purpose
        powers.fill(_INVERSE)
        powers[:1] = 1
        np.cumprod(powers, out=powers)  # B^-j for now
        np.add(codes, 1, out=sums[1:], dtype=np.uint64)
        np.multiply(sums[1:], powers, out=sums[1:])  # (c_j + 1)·B^-j
        np.cumsum(sums[1:], out=sums[1:])
        powers.fill(_BASE)
        powers[:1] = 1
        np.cumprod(powers, out=powers)  # B^j
        np.multiply(powers, np.uint64(_MIX), out=powers)
    return powers, sums


def _window_hashes(prefix: tuple[np.ndarray, np.ndarray], k: int, starts: np.ndarray | None = None) -> np.ndarray:
    """Hash ``M·Σ_j (c_j + 1)·B^{k-1-j}`` of the ``k``-character window at every start (or at ``starts`` only)."""
    powers, sums = prefix
    if starts is None:
        return _range_hashes(prefix, k, 0, len(powers) - k + 1)
    with np.errstate(over="ignore"):
        return powers[starts + (k - 1)] * (sums[starts + k] - sums[starts])


def _range_hashes(prefix: tuple[np.ndarray, np.ndarray], k: int, first: int, stop: int) -> np.ndarray:
    """Hashes of the ``k``-character windows starting at ``first .. stop - 1``."""
    powers, sums = prefix
    if stop <= first:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return powers[first + k - 1:stop + k - 1] * (sums[first + k:stop + k] - sums[first:stop])


class _HashSet:
    """A set of uint64 hashes for fast membership tests: sorted, plus a bitmap of their top bits."""

    def __init__(self, hashes: np.ndarray) -> None:
        self.table = np.unique(hashes)
        bits = min(24, max(10, math.ceil(math.log2(len(self.table) + 1)) + 7))  # bitmap about 1 % full
        self.shift = np.uint64(64 - bits)
        self.bitmap = np.zeros(1 << bits, dtype=bool)
        self.bitmap[(self.table >> self.shift).view(np.int64)] = True

    def contains(self, values: np.ndarray) -> np.ndarray:
        """Bool per entry of ``values``: is it in the set?"""
        if len(values) == 0 or len(self.table) == 0:
            return np.zeros(len(values), dtype=bool)
        if len(values) <= 16 * len(self.table):
            return self._search(values)
        # many values, few keys: one bitmap look-up rules out most values, only the rest are
        # binary-searched (about 8x faster than searching 4 M values)
        # (indices as int64: NumPy indexes with uint64 two to three times slower)
        maybe = np.flatnonzero(self.bitmap.take((values >> self.shift).view(np.int64)))
        found = np.zeros(len(values), dtype=bool)
        found[maybe] = self._search(values[maybe])
        return found

    def _search(self, values: np.ndarray) -> np.ndarray:
        position = np.minimum(np.searchsorted(self.table, values), len(self.table) - 1)
        return self.table[position] == values


#: Corpus windows hashed per block: temporaries of 2 MB stay in the CPU cache.
_CHUNK = 1 << 18


class _Matches:
    """What one generated text shares with the corpus, remembered per window length ``k``:
    the corpus positions whose ``k``-character window also occurs in the text."""

    def __init__(self, text: str) -> None:
        self.prefix = _prefix(text)
        self.corpus_starts: dict[int, np.ndarray] = {}

    def text_hashes(self, k: int) -> np.ndarray:
        return _window_hashes(self.prefix, k)


class CopyDetector:
    """Finds verbatim copies of a training ``corpus`` in generated text.

    Every k-character window is summarised by a polynomial hash modulo 2**64. With prefix
    sums (``S[i] = Σ_{j<i} c_j·B^{-j}``, B odd so it has an inverse modulo 2**64) the hash
    of any window is ``M·B^{end}·(S[end + 1] − S[start])`` (M: an odd mixing constant): one
    vector operation for all windows of a given length, whatever k is.

    A query runs from the corpus side: the corpus windows whose hash is among the (few)
    windows of the generated text are kept, and a longer copy can only start where a
    shorter one does, so each longer length looks only at the positions kept for a
    shorter one. The last few texts' positions are remembered, so asking for several
    ``k`` or for the longest copy of the same text reuses them. Two different windows
    share a hash with probability about 2**-64 per pair.
    """

    #: Generated texts whose matches are remembered (the lesson asks about three at a time).
    CACHED_TEXTS = 4

    def __init__(self, corpus: str) -> None:
        corpus = check_str(corpus, "corpus")
        if not corpus:
            raise ValueError(tr("corpus must be a non-empty str, got ''", "corpus 必须是非空字符串，收到的是 ''"))
        self._corpus = _prefix(corpus)
        self._corpus_length = len(corpus)
        self._texts: OrderedDict[str, _Matches] = OrderedDict()

    def _matches(self, text: str) -> _Matches:
        matches = self._texts.pop(text, None) or _Matches(text)
        self._texts[text] = matches  # most recently used last
        while len(self._texts) > self.CACHED_TEXTS:
            self._texts.popitem(last=False)
        return matches

    def _corpus_starts(self, matches: _Matches, k: int) -> np.ndarray:
        """Corpus positions whose ``k``-character window occurs in the text (int64, ascending)."""
        if k in matches.corpus_starts:
            return matches.corpus_starts[k]
        shorter = [j for j in matches.corpus_starts if j < k]
        wanted = _HashSet(matches.text_hashes(k))
        if shorter:  # a copy of length k starts where a copy of any shorter length starts
            candidates = matches.corpus_starts[max(shorter)]
            candidates = candidates[candidates <= self._corpus_length - k]
            starts = candidates[wanted.contains(_window_hashes(self._corpus, k, candidates))]
        else:  # every corpus window, block by block
            stop = self._corpus_length - k + 1
            starts = np.concatenate([np.zeros(0, dtype=np.int64)] + [
                first + np.flatnonzero(wanted.contains(_range_hashes(self._corpus, k, first, min(stop, first + _CHUNK))))
                for first in range(0, max(stop, 0), _CHUNK)])
        matches.corpus_starts[k] = starts
        return starts

    def _found(self, matches: _Matches, k: int) -> np.ndarray:
        """Bool per window start of the text: does ``text[i : i + k]`` occur in the corpus?"""
        copied = _HashSet(_window_hashes(self._corpus, k, self._corpus_starts(matches, k)))
        return copied.contains(matches.text_hashes(k))

    def window_found(self, text: str, k: int) -> np.ndarray:
        """Bool per window start ``i`` of ``text``, shape ``(max(len(text) - k + 1, 0),)``: does
        ``text[i : i + k]`` occur in the corpus? ``k`` is a length in characters (>= 1)."""
        text = check_str(text, "text")
        k = check_int(k, "k", minimum=1)
        if len(text) < k:
            return np.zeros(0, dtype=bool)
        return self._found(self._matches(text), k)

    def copied_fraction(self, text: str, k: int) -> float:
        """Fraction of the characters of ``text`` inside some k-character span found in the corpus.

        ``k`` is a length in characters (>= 1); a text shorter than ``k`` (or empty) gives 0.0.
        """
        starts = np.flatnonzero(self.window_found(text, k))
        if len(text) < k:
            return 0.0
        covered = np.zeros(len(text) + 1, dtype=np.int64)
        covered[starts] += 1  # a span starting at i covers i .. i + k - 1 (starts are distinct)
        covered[starts + k] -= 1
        return float((np.cumsum(covered)[:-1] > 0).mean())

    def longest_copy(self, text: str, limit: int = 400) -> tuple[int, str]:
        """The longest span of ``text`` (up to ``limit`` characters) that occurs verbatim in the corpus.

        Returns ``(length, span)``; the first such span of ``text`` if several are as long,
        ``(0, "")`` if not even one character occurs.
        """
        text = check_str(text, "text")
        limit = check_int(limit, "limit", minimum=1)
        matches = self._matches(text)
        lo, hi = 0, min(limit, len(text))  # a copy of length lo exists; none longer than hi
        for k, starts in matches.corpus_starts.items():  # what earlier queries already showed
            if k <= hi:
                lo, hi = (max(lo, k), hi) if len(starts) else (lo, min(hi, k - 1))
        bracketed = False  # doubling the length until a copy is missing, then bisecting
        while lo < hi:
            k = (lo + hi + 1) // 2 if bracketed else min(hi, max(8, 2 * lo))
            if len(self._corpus_starts(matches, k)):
                lo = k
            else:
                hi, bracketed = k - 1, True
        if lo == 0:
            return 0, ""
        where = int(np.flatnonzero(self._found(matches, lo))[0])
        return lo, text[where:where + lo]

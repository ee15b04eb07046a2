"""GPT vs. n-gram, measured on the same characters: loss by context length, and copying.

Two questions a single validation number cannot answer:

1. **How much context does each model use?** :func:`gpt_loss_by_position` and
   :func:`ngram_loss_by_position` score the same windows of held-out text and report the
   loss at each context length 1..T. An n-gram of order n sees at most n − 1 characters
   (and never past the start of a line), so its curve goes flat; a transformer can keep
   improving as it sees more.
2. **How much does each model copy?** :class:`CopyDetector` measures the fraction of a
   generated text covered by spans of ≥ k characters that occur verbatim in the training
   text, and the longest such span (64-bit polynomial hashes of k-character windows; a
   query on the 4 M-character corpus takes tens of milliseconds).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import TYPE_CHECKING, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from ..validate import check_int, check_str
from .chars import CharTokenizer
from .model import GPT

#: Most windows :func:`window_starts` spreads over a text.
MAX_WINDOWS = 10_000_000

if TYPE_CHECKING:
    from ..ngram import NGramLM


def window_starts(text_length: int, window: int, n_windows: int) -> list[int]:
    """``n_windows`` evenly spaced, non-overlapping window starts in a text of ``text_length`` characters.

    Fewer starts come back when that many windows of ``window`` characters do not fit;
    ``n_windows`` is at most :data:`MAX_WINDOWS`.
    """
    text_length = check_int(text_length, "text_length", minimum=0)
    window = check_int(window, "window", minimum=1)
    n_windows = check_int(n_windows, "n_windows", minimum=1, maximum=MAX_WINDOWS)
    usable = text_length - window - 1
    if usable < 1:
        raise ValueError(f"a text of {text_length} characters has no room for windows of {window}")
    n_windows = min(n_windows, usable // window + 1)
    return [int(s) for s in np.linspace(0, usable, n_windows).round()]


def _check_char_tokenizer(tokenizer: object) -> None:
    if not hasattr(tokenizer, "encode_tensor"):
        raise TypeError(f"tokenizer must be the model's CharTokenizer, got {type(tokenizer).__name__}")


def _check_starts(starts: object, text_length: int, window: int) -> list[int]:
    """``starts`` as a non-empty list of ints, each leaving room for a window and its next-character target."""
    if isinstance(starts, (str, bytes)) or not isinstance(starts, (Sequence, np.ndarray)):
        raise TypeError(f"starts must be a sequence of int window starts, got {type(starts).__name__}")
    last = text_length - window - 1
    if last < 0:
        raise ValueError(f"a text of {text_length} characters has no room for a window of {window} characters "
                         f"and its targets")
    checked = [check_int(s, f"starts[{i}]", minimum=0, maximum=last) for i, s in enumerate(starts)]
    if not checked:
        raise ValueError("starts is empty: give at least one window start (see window_starts)")
    return checked


@torch.no_grad()
def gpt_loss_by_position(model: GPT, tokenizer: CharTokenizer, text: str, starts: Sequence[int],
                         window: int | None = None) -> np.ndarray:
    """Mean loss (nats) of predicting ``text[s + 1 + i]`` from the ``i + 1`` characters ``text[s : s + i + 1]``.

    ``window`` (default: the model's context window) is at most ``model.config.n_positions``;
    every start ``s`` must satisfy ``s + window + 1 <= len(text)``.
    Returns shape ``(window,)``: entry i is the loss with i + 1 characters of context.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    _check_char_tokenizer(tokenizer)
    text = check_str(text, "text")
    window = model.config.n_positions if window is None else check_int(
        window, "window", minimum=1, maximum=model.config.n_positions)
    starts = _check_starts(starts, len(text), window)
    ids = tokenizer.encode_tensor(text)
    device = next(model.parameters()).device
    x = torch.stack([ids[s:s + window] for s in starts]).to(device)
    y = torch.stack([ids[s + 1:s + 1 + window] for s in starts]).to(device)
    was_training = model.training
    model.eval()
    losses = []
    for i in range(0, len(starts), 32):
        logits = model(x[i:i + 32])["logits"]
        nll = F.cross_entropy(logits.transpose(1, 2), y[i:i + 32], reduction="none")  # (b, window)
        losses.append(nll.cpu())
    model.train(was_training)
    return torch.cat(losses).mean(0).numpy()


def _ngram_char_losses(lm: "NGramLM", text: str) -> np.ndarray:
    """−ln P of every character of ``text`` under the n-gram (a newline is the line's ``</s>``)."""
    from ..ngram import char_sentences

    losses = -np.asarray(lm.token_logprobs(char_sentences(text)))
    if len(losses) != len(text):
        raise ValueError("text must end with a newline so that every character is one prediction")
    return losses


def ngram_loss_by_position(lm: "NGramLM", text: str, starts: Sequence[int], window: int) -> np.ndarray:
    """The n-gram's loss on the same predictions as :func:`gpt_loss_by_position` (shape ``(window,)``).

    With ``i + 1 ≥ order − 1`` characters available, the n-gram's context is the same as in
    a normal pass over the text. With fewer, it gets only the characters inside the window
    (cut at a newline, where a line starts with ``<s>``), like the GPT. ``text`` must end
    with a newline (the last line's ``</s>`` is its last character).
    """
    if not all(hasattr(lm, name) for name in ("order", "logprob", "token_logprobs")):
        raise TypeError(f"lm must be a fitted aigc_course.ngram.NGramLM, got {type(lm).__name__}")
    text = check_str(text, "text")
    if not text.endswith("\n"):
        raise ValueError("text must end with a newline so that every character is one prediction, "
                         f"got one ending in {text[-10:]!r}")
    window = check_int(window, "window", minimum=1, maximum=len(text))
    starts = _check_starts(starts, len(text), window)
    full = _ngram_char_losses(lm, text)
    need = lm.order - 1
    table = np.empty((len(starts), window))
    for row, s in enumerate(starts):
        table[row] = full[s + 1:s + 1 + window]
        for i in range(min(need - 1, window)):  # the first positions have less context than the n-gram uses
            context = text[s:s + i + 1]
            if "\n" in context:
                continue  # the line starts inside the window: the normal pass already saw the same context
            target = text[s + 1 + i]
            table[row, i] = -lm.logprob("</s>" if target == "\n" else target, list(context))
    return table.mean(0)


# --------------------------------------------------------------------------------------
# Verbatim copies
# --------------------------------------------------------------------------------------

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
            raise ValueError("corpus must be a non-empty str")
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

    def copied_fraction(self, text: str, k: int) -> float:
        """Fraction of the characters of ``text`` inside some k-character span found in the corpus.

        ``k`` is a length in characters (>= 1); a text shorter than ``k`` (or empty) gives 0.0.
        """
        text = check_str(text, "text")
        k = check_int(k, "k", minimum=1)
        if len(text) < k:
            return 0.0
        starts = np.flatnonzero(self._found(self._matches(text), k))
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

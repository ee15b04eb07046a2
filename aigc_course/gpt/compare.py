"""GPT vs. n-gram, measured on the same characters: loss by context length, and copying.

Two questions a single validation number cannot answer:

1. **How much context does each model use?** :func:`gpt_loss_by_position` and
   :func:`ngram_loss_by_position` score the same windows of held-out text and report the
   loss at each context length 1..T. An n-gram of order n sees at most n − 1 characters
   (and never past the start of a line), so its curve goes flat; a transformer can keep
   improving as it sees more.
2. **How much does each model copy?** :class:`CopyDetector` measures the fraction of a
   generated text covered by spans of ≥ k characters that occur verbatim in the training
   text (64-bit rolling hashes of every k-character window, so the 4 M-character corpus
   is checked in well under a second per k).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from .chars import CharTokenizer
from .model import GPT

if TYPE_CHECKING:
    from ..ngram import NGramLM


def window_starts(text_length: int, window: int, n_windows: int) -> list[int]:
    """``n_windows`` evenly spaced, non-overlapping window starts in a text of ``text_length`` characters."""
    usable = text_length - window - 1
    if usable < 1 or n_windows < 1:
        raise ValueError(f"a text of {text_length} characters has no room for windows of {window}")
    n_windows = min(n_windows, usable // window + 1)
    return [int(s) for s in np.linspace(0, usable, n_windows).round()]


@torch.no_grad()
def gpt_loss_by_position(model: GPT, tokenizer: CharTokenizer, text: str, starts: Sequence[int],
                         window: int | None = None) -> np.ndarray:
    """Mean loss (nats) of predicting ``text[s + 1 + i]`` from the ``i + 1`` characters ``text[s : s + i + 1]``.

    Returns shape ``(window,)``: entry i is the loss with i + 1 characters of context.
    """
    window = model.config.n_positions if window is None else window
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
    (cut at a newline, where a line starts with ``<s>``), like the GPT.
    """
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


class CopyDetector:
    """Finds verbatim copies of a training ``corpus`` in generated text.

    Every k-character window is summarised by a polynomial hash modulo 2**64. With prefix
    sums (``S[i] = Σ_{j≤i} c_j·B^{-j}``, B odd so it has an inverse modulo 2**64) the hash
    of any window is ``B^{end}·(S[end] − S[start − 1])``: one vector operation for all
    windows of a given length, whatever k is.
    """

    _BASE = 1_000_003
    _INVERSE = pow(_BASE, -1, 2**64)

    def __init__(self, corpus: str) -> None:
        if not isinstance(corpus, str) or not corpus:
            raise ValueError("corpus must be a non-empty str")
        self._corpus = self._prefix(corpus)
        self._hashes: dict[int, np.ndarray] = {}

    @classmethod
    def _prefix(cls, text: str) -> tuple[np.ndarray, np.ndarray]:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
        with np.errstate(over="ignore"):  # arithmetic modulo 2**64 on purpose
            powers = np.full(len(codes), cls._BASE, dtype=np.uint64)
            powers[0] = 1
            powers = np.cumprod(powers, dtype=np.uint64)  # B^j
            inverse = np.full(len(codes), cls._INVERSE, dtype=np.uint64)
            inverse[0] = 1
            inverse = np.cumprod(inverse, dtype=np.uint64)  # B^-j
            sums = np.concatenate([[np.uint64(0)], np.cumsum(codes * inverse, dtype=np.uint64)])
        return powers, sums

    @staticmethod
    def _window_hashes(prefix: tuple[np.ndarray, np.ndarray], k: int) -> np.ndarray:
        powers, sums = prefix
        n = len(powers) - k + 1
        if n < 1:
            return np.zeros(0, dtype=np.uint64)
        with np.errstate(over="ignore"):
            return powers[k - 1:] * (sums[k:] - sums[:n])

    def _corpus_hashes(self, k: int, keep: bool = True) -> np.ndarray:
        if k in self._hashes:
            return self._hashes[k]
        hashes = np.sort(self._window_hashes(self._corpus, k))  # sorted, for binary search
        if keep:
            self._hashes[k] = hashes
        return hashes

    def _found(self, text: str, k: int, keep: bool = True) -> np.ndarray:
        """Bool per window start of ``text``: does ``text[i : i + k]`` occur in the corpus?"""
        wanted = self._window_hashes(self._prefix(text), k)
        table = self._corpus_hashes(k, keep)
        position = np.minimum(np.searchsorted(table, wanted), len(table) - 1)
        return table[position] == wanted

    def copied_fraction(self, text: str, k: int) -> float:
        """Fraction of the characters of ``text`` inside some k-character span found in the corpus."""
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be an int >= 1, got {k!r}")
        if len(text) < k:
            return 0.0
        starts = np.flatnonzero(self._found(text, k))
        covered = np.zeros(len(text) + 1, dtype=np.int64)
        np.add.at(covered, starts, 1)  # a span starting at i covers i .. i + k - 1
        np.add.at(covered, starts + k, -1)
        return float((np.cumsum(covered)[:-1] > 0).mean())

    def longest_copy(self, text: str, limit: int = 400) -> tuple[int, str]:
        """The longest span of ``text`` (up to ``limit`` characters) that occurs verbatim in the corpus."""
        lo, hi = 0, min(limit, len(text))  # binary search on the length: a copy of length L contains one of L - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._found(text, mid, keep=False).any():
                lo = mid
            else:
                hi = mid - 1
        if lo == 0:
            return 0, ""
        where = int(np.flatnonzero(self._found(text, lo, keep=False))[0])
        return lo, text[where:where + lo]

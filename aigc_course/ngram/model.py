"""``NGramLM``: an n-gram language model of any order over token sequences.

Conventions (written down once, used everywhere):

- A sentence ``w1 .. wn`` is scored as ``<s> w1 .. wn </s>``: n + 1 predictions
  (the words and the end marker ``</s>``); ``<s>`` is context only, never scored.
- A context longer than order - 1 tokens is trimmed to its last order - 1 tokens
  (the Markov assumption), not an error. A ``<s>`` inside a context cuts off what came
  before it (nothing crosses a sentence start).
- Out-of-vocabulary tokens (never seen in training) are mapped to ``<unk>`` and
  scored with P(<unk> | h), as KenLM does. Kneser-Ney gives ``<unk>`` a small share
  of the uniform distribution; MLE gives it 0. :meth:`NGramLM.oov_rate` reports how
  much held-out text is affected.
- Natural logarithms (nats) inside; ``perplexity = exp(cross_entropy)``; bits = nats / ln 2.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from ..language import tr
from ..validate import check_choice, check_float, check_int, check_str, check_tokens
from .counts import MAX_ORDER, NGramCounts, NGramTable
from .smoothing import (SMOOTHINGS, BackoffTables, backoff_distribution, backoff_logprob, count_distribution,
                        count_logprob, kneser_ney)
from .vocab import BOS, BOS_ID, EOS, NGramVocab, check_sentences

#: The largest pseudo-count of add-k smoothing (beyond it every distribution is uniform to 1e-6).
MAX_K = 1e6


class NotFittedError(RuntimeError):
    """Raised when a model is used before :meth:`NGramLM.fit` (or read from a file by :func:`~.arpa.read_arpa`)."""


class NGramLM:
    """An n-gram language model: P(w_i | w_{i-n+1} .. w_{i-1}), smoothed.

    Parameters
    ----------
    order : int in 1..MAX_ORDER (20)
        n: each token is predicted from the n - 1 tokens before it.
    smoothing : {"mle", "addk", "kn", "mkn"}
        See :mod:`aigc_course.ngram.smoothing`. Default: interpolated modified Kneser-Ney.
    k : float in (0, MAX_K]
        The pseudo-count of ``"addk"`` (k = 1 is Laplace smoothing). Ignored otherwise.
    discount : float in [0, 1) or None
        A fixed discount for ``"kn"`` (every order); None estimates D = t1 / (t1 + 2 t2)
        per order from counts-of-counts. Not allowed with ``"mkn"``, whose three
        discounts per order are always estimated.

    Example
    -------
    >>> lm = NGramLM(3).fit([["the", "cat", "sat"], ["the", "dog", "sat"]])
    >>> round(sum(lm.next_token_distribution(["the"]).values()), 12)
    1.0
    """

    def __init__(self, order: int, smoothing: str = "mkn", k: float = 1.0, discount: float | None = None):
        self.order = check_int(order, "order", minimum=1, maximum=MAX_ORDER)
        self.smoothing = check_choice(smoothing, "smoothing", SMOOTHINGS)
        self.k = check_float(k, "k", minimum=0.0, maximum=MAX_K, exclusive_minimum=True)
        if discount is not None:
            if smoothing != "kn":
                raise ValueError(tr(
                    f"discount={discount!r} is only used by smoothing='kn'; 'mkn' estimates its three "
                    "discounts per order from the counts (use smoothing='kn' for a fixed discount)",
                    f"discount={discount!r} 只用于 smoothing='kn'；'mkn' 的每一阶三个折扣值都由计数估计"
                    "（要用固定折扣，请选 smoothing='kn'）"))
            discount = check_float(discount, "discount", minimum=0.0, maximum=1.0, exclusive_maximum=True)
        self.discount = discount
        self.vocab: NGramVocab | None = None
        self.table: NGramTable | None = None
        self.counts: NGramCounts | None = None  # None for a model read from ARPA
        self.backoff: BackoffTables | None = None  # kn/mkn (and ARPA) models
        self.discounts: list[tuple[float, float, float]] = []
        self.discount_fallback: list[bool] = []
        self._totals: list[np.ndarray] = []

    def __repr__(self) -> str:
        state = f"vocab={len(self.vocab)}" if self.vocab else "not fitted"
        extra = f", k={self.k}" if self.smoothing == "addk" else ""
        return f"NGramLM(order={self.order}, smoothing={self.smoothing!r}{extra}, {state})"

    # ----------------------------------------------------------------- training
    def fit(self, sentences: Iterable[Sequence[str]]) -> "NGramLM":
        """Count every n-gram of ``sentences`` (lists of tokens) and estimate the model. Returns self.

        The vocabulary is every token seen (no minimum count), plus ``<unk>``, ``<s>``, ``</s>``.
        """
        sentences = check_sentences(sentences)
        if not sentences:
            raise ValueError(tr("sentences is empty: fit needs at least one sentence",
                                "sentences 为空：fit 至少需要一个句子"))
        if not any(len(s) for s in sentences):
            raise ValueError(tr("sentences contains no tokens: every sentence is empty",
                                "sentences 中没有任何词元：每个句子都是空的"))
        vocab = NGramVocab._from_checked(sentences)
        tokens, offsets = vocab._encode(sentences)
        return self._estimate(vocab, NGramCounts.from_stream(tokens, offsets, self.order, len(vocab)))

    def lower_order(self, order: int) -> "NGramLM":
        """A new model of a lower ``order`` (1..self.order) with the same smoothing, from the counts already made.

        It equals ``NGramLM(order, ...).fit(sentences)`` on the same sentences (the counts
        of m-grams do not depend on the highest order), without counting the corpus again:
        comparing orders 1..n costs one count instead of n.
        """
        self._require_fitted()
        if self.counts is None:
            raise ValueError(tr("lower_order needs the counts of a fitted model; a model read from ARPA has none",
                                "lower_order 需要拟合所得的计数；从 ARPA 文件读入的模型没有计数"))
        order = check_int(order, "order", minimum=1, maximum=self.order)
        lower = NGramLM(order, self.smoothing, k=self.k, discount=self.discount)
        return lower._estimate(self.vocab, self.counts.truncated(order))

    def _estimate(self, vocab: NGramVocab, counts: NGramCounts) -> "NGramLM":
        """Set the vocabulary and counts, and estimate the probabilities from them. Returns self."""
        self.vocab, self.counts = vocab, counts
        self.table = self.counts.table
        self._totals = [self.counts.context_totals(m) for m in range(1, self.order + 1)]
        if self.smoothing in ("kn", "mkn"):
            self.backoff, self.discounts, self.discount_fallback = kneser_ney(
                self.counts, modified=self.smoothing == "mkn", discount=self.discount)
        else:
            self.backoff, self.discounts, self.discount_fallback = None, [], []
        return self

    def _require_fitted(self) -> None:
        if self.vocab is None:
            raise NotFittedError(tr("this NGramLM is not fitted yet: call .fit(sentences) or read_arpa(path)",
                                    "这个 NGramLM 还没有拟合：请调用 .fit(sentences) 或 read_arpa(path)"))

    # ------------------------------------------------------------------ scoring
    def _stream_logprob(self, tokens: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        found = self.table.lookup(tokens, offsets)
        if self.backoff is not None:
            return backoff_logprob(self.table, self.backoff, found, offsets)
        return count_logprob(self.counts, self._totals, found, offsets, self.smoothing, self.k)

    def context_ids(self, context: Sequence[str]) -> list[int]:
        """Validate, trim (last order-1 tokens, nothing before a ``<s>``) and encode a context."""
        context = check_tokens(context, "context")
        if EOS in context:
            raise ValueError(tr("context contains '</s>': a context cannot span a sentence end",
                                "context 含有 '</s>'：上下文不能跨越句子结尾"))
        ids = self.vocab.ids(context)
        if BOS_ID in ids:
            ids = ids[len(ids) - 1 - ids[::-1].index(BOS_ID):]
        return ids[max(0, len(ids) - (self.order - 1)):] if self.order > 1 else []

    def _context_found(self, ids: list[int]) -> list[int]:
        """Index of the context's last j tokens in the order-j table, j = 1..len(ids) (-1 if unseen)."""
        if not ids:
            return []
        tokens = np.array(ids, dtype=np.int64)
        offsets = np.arange(len(ids), dtype=np.int64)  # only the given tokens are context
        found = self.table.lookup(tokens, offsets)
        return [int(found[j - 1][-1]) for j in range(1, len(ids) + 1)]

    def logprob(self, token: str, context: Sequence[str] = ()) -> float:
        """ln P(token | context) in nats. ``<s>`` as the token has probability 0 (-inf).

        ``context`` is the tokens before ``token`` (most recent last); start it with
        ``"<s>"`` to mean the start of a sentence. Longer contexts are trimmed.
        """
        self._require_fitted()
        check_str(token, "token")
        if token == BOS:
            return -math.inf
        ids = self.context_ids(context)
        tokens = np.array(ids + self.vocab.ids([token]), dtype=np.int64)
        offsets = np.arange(len(tokens), dtype=np.int64)  # only the given tokens are context
        return float(self._stream_logprob(tokens, offsets)[-1])

    def prob(self, token: str, context: Sequence[str] = ()) -> float:
        """P(token | context), a probability in [0, 1]."""
        return math.exp(self.logprob(token, context))

    def token_logprobs(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """ln P of every prediction in ``sentences`` (each word and each ``</s>``), in order; shape (n_tokens,)."""
        self._require_fitted()
        sentences = check_sentences(sentences)
        if not sentences:
            return np.zeros(0)
        tokens, offsets = self.vocab._encode(sentences)
        scores = self._stream_logprob(tokens, offsets)
        return scores[offsets > 0]

    def sentence_logprob(self, tokens: Sequence[str]) -> float:
        """ln P(<s> tokens </s>) in nats: the sum over the tokens and ``</s>`` (``<s>`` is never scored)."""
        self._require_fitted()
        return float(self.token_logprobs([check_tokens(tokens, "tokens")]).sum())

    def total_logprob(self, sentences: Iterable[Sequence[str]]) -> tuple[float, int]:
        """(total ln-probability in nats, number of predictions) over ``sentences``; ``</s>`` counted."""
        scores = self.token_logprobs(sentences)
        return float(scores.sum()), int(len(scores))

    def cross_entropy(self, sentences: Iterable[Sequence[str]]) -> float:
        """Average negative log-likelihood in nats per token (``</s>`` counted as a token).

        Infinite if any token has probability 0 (e.g. MLE on unseen n-grams).
        """
        total, n = self.total_logprob(sentences)
        if n == 0:
            raise ValueError(tr("sentences is empty: nothing to score", "sentences 为空：没有可以评分的内容"))
        return -total / n

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """exp(cross-entropy): the effective number of equally likely choices per token."""
        h = self.cross_entropy(sentences)
        return math.inf if h > 700 else math.exp(h)

    def oov_rate(self, sentences: Iterable[Sequence[str]]) -> float:
        """Fraction of the tokens of ``sentences`` (not counting ``</s>``) outside the vocabulary."""
        self._require_fitted()
        sentences = check_sentences(sentences)
        n = sum(len(s) for s in sentences)
        unknown = sum(t not in self.vocab.index for s in sentences for t in s)
        return unknown / n if n else 0.0

    # --------------------------------------------------------------- prediction
    def next_token_vector(self, context: Sequence[str] = ()) -> np.ndarray:
        """P(. | context) as a float64 array over ``self.vocab.tokens`` (sums to 1; ``<s>`` gets 0)."""
        self._require_fitted()
        ids = self.context_ids(context)
        found = self._context_found(ids)
        if self.backoff is not None:
            return backoff_distribution(self.table, self.backoff, found)
        return count_distribution(self.counts, self._totals, found, self.smoothing, self.k)

    def next_token_distribution(self, context: Sequence[str] = ()) -> dict[str, float]:
        """P(. | context) as ``{token: probability}`` over every predictable token (all but ``<s>``)."""
        prob = self.next_token_vector(context)
        return {t: float(p) for i, (t, p) in enumerate(zip(self.vocab.tokens, prob)) if i != BOS_ID}

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_backoff(cls, vocab: NGramVocab, table: NGramTable, backoff: BackoffTables) -> "NGramLM":
        """A model given by its backoff tables alone (``smoothing="arpa"``, as :func:`~.arpa.read_arpa` builds it).

        It scores and generates like any fitted model, but has no counts, so
        :meth:`lower_order` is refused. ``table.order`` sets the model's order.
        """
        for name, value, kind in (("vocab", vocab, NGramVocab), ("table", table, NGramTable),
                                  ("backoff", backoff, BackoffTables)):
            if not isinstance(value, kind):
                raise TypeError(tr(f"{name} must be an {kind.__name__}, got {type(value).__name__}",
                                   f"{name} 必须是 {kind.__name__}，却得到了 {type(value).__name__}"))
        lm = cls(table.order)
        lm.smoothing = "arpa"
        lm.vocab, lm.table, lm.backoff = vocab, table, backoff
        return lm


def check_fitted(lm: object, name: str = "lm") -> NGramLM:
    """``lm`` if it is a fitted :class:`NGramLM`: ``TypeError`` for anything else, ``NotFittedError`` before fit."""
    if not isinstance(lm, NGramLM):
        raise TypeError(tr(f"{name} must be an NGramLM, got {type(lm).__name__}",
                           f"{name} 必须是 NGramLM，却得到了 {type(lm).__name__}"))
    lm._require_fitted()
    return lm

"""Checkers for notebook 02 (n-gram language models)."""

from __future__ import annotations

import math

import numpy as np

from ..ngram import NGramLM, adjusted_counts, reshape_distribution
from . import NotYet, exercise

TOY = [
    "the cat sat on the mat".split(),
    "the dog sat on the log".split(),
    "a cat saw the dog".split(),
    "the cat and the dog sat".split(),
    ["mat"],
]


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise NotYet(f"{what} should return a number, got {type(value).__name__} {value!r}")
    return float(value)


@exercise("02.1", "bigram MLE by hand",
          hints=("pad each sentence as ['<s>'] + sentence + ['</s>']; count (prev, word) pairs and how often prev "
               "is followed by anything; divide",))
def _(bigram_mle):
    lm = NGramLM(2, "mle").fit(TOY)
    cases = [("cat", "the"), ("sat", "cat"), ("the", "<s>"), ("</s>", "sat"), ("mat", "<s>"), ("zebra", "the"),
             ("dog", "cat")]
    for word, previous in cases:
        got = _number(bigram_mle(TOY, word, previous), f"bigram_mle(TOY, {word!r}, {previous!r})")
        expected = lm.prob(word, [previous])
        if not math.isclose(got, expected, abs_tol=1e-12):
            raise NotYet(f"P({word!r} | {previous!r}) should be {expected:.6f}, your function gives {got:.6f}")
    return "That is the maximum-likelihood estimate c(prev word) / c(prev .)."


@exercise("02.2", "continuation counts",
          hints=("collect the set of distinct tokens that come right before `word` (including '<s>') and "
               "return its size",))
def _(continuation_count):
    lm = NGramLM(2, "kn").fit(TOY)
    expected_counts = adjusted_counts(lm.counts)[0]
    for word in ["the", "cat", "dog", "mat", "sat", "</s>", "zebra"]:
        got = _number(continuation_count(TOY, word), f"continuation_count(TOY, {word!r})")
        expected = int(expected_counts[lm.vocab.index[word]]) if word in lm.vocab else 0
        if got != expected:
            raise NotYet(f"{word!r} follows {expected} distinct tokens in TOY, your function gives {got:g}")
    return "Kneser-Ney's unigram level counts these, not raw frequencies."


@exercise("02.3", "perplexity from log-probabilities",
          hints=("cross-entropy = minus the mean of the natural-log probabilities; perplexity = exp(cross-entropy)",))
def _(perplexity):
    lm = NGramLM(3, "mkn").fit(TOY)
    held_out = [["the", "cat", "sat"], ["a", "dog", "saw", "the", "mat"]]
    logprobs = [float(x) for x in lm.token_logprobs(held_out)]
    got = _number(perplexity(logprobs), "perplexity(logprobs)")
    expected = lm.perplexity(held_out)
    if not math.isclose(got, expected, rel_tol=1e-9):
        raise NotYet(f"for these {len(logprobs)} log-probabilities the perplexity is {expected:.4f}, "
                     f"your function gives {got:.4f}")
    uniform = _number(perplexity([math.log(1 / 8)] * 5), "perplexity([ln(1/8)] * 5)")
    if not math.isclose(uniform, 8.0, rel_tol=1e-9):
        raise NotYet(f"a model that gives every token probability 1/8 has perplexity 8, yours says {uniform:g}")
    return "Perplexity: the effective number of equally likely choices per token."


@exercise("02.4", "temperature",
          hints=("p ** (1 / T), then divide by the sum so the result sums to 1",))
def _(apply_temperature):
    p = np.array([0.5, 0.25, 0.15, 0.1])
    for t in (1.0, 0.5, 2.0):
        got = np.asarray(apply_temperature(p.copy(), t), dtype=np.float64)
        expected = reshape_distribution(p, t)
        if got.shape != p.shape:
            raise NotYet(f"the result should have shape {p.shape}, got {got.shape}")
        if not np.allclose(got, expected, atol=1e-9):
            raise NotYet(f"with T={t} expected {np.round(expected, 4).tolist()}, got {np.round(got, 4).tolist()}")
    return "Low T sharpens the distribution, high T flattens it."

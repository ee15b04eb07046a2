"""Checkers for notebook 02 (n-gram language models).

Each checker runs the learner's answer on every case that is cheap to try (every word
pair of three small corpora, several log-probability lists, several distributions and
temperatures) and compares it with the right values, which ``tests/test_ngram.py``
checks against the course's own n-gram code. When the answer is wrong, the checker
compares it, over *all* the cases, with what each mistake learners really make would
give (no sentence boundaries, a joint instead of a conditional probability, raw instead
of continuation counts, a total instead of a mean, the wrong logarithm base, a
temperature applied the wrong way round...) and names the one that fits.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable

import numpy as np

from ..ngram import NGramLM, reshape_distribution
from . import NotYet, as_number, exercise

TOY = [
    "the cat sat on the mat".split(),
    "the dog sat on the log".split(),
    "a cat saw the dog".split(),
    "the cat and the dog sat".split(),
    ["mat"],
]
# the notebook's own toy corpus, and one where a word both ends a sentence and starts the next
HAMLET = [["to", "be", "or", "not", "to", "be"], ["to", "do", "is", "to", "be"]]
ECHO = [["be", "to", "be"], ["to", "be"], ["be"]]
CORPORA = {"TOY": TOY, "the notebook's toy corpus": HAMLET, "a third corpus": ECHO}

Case = tuple[str, Any, dict[str, Any]]  # (what was asked, the learner's answer, right value and each mistake's)


def _require_function(answer: Any, name: str) -> Callable:
    if not callable(answer):
        raise NotYet(f"{name} should be a function you define with def {name}(...), got {type(answer).__name__}.")
    return answer


def _close(a: float, b: float) -> bool:
    # float32 (a torch tensor) keeps about 7 digits; every mistake below is off by far more
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _diagnose(cases: list[Case], mistakes: dict[str, str], same: Callable[[Any, Any], bool],
              shown: Callable[[Any], str]) -> None:
    """Return if every answer is right; else raise NotYet naming the mistake that fits *every* case."""
    wrong = [case for case in cases if not same(case[1], case[2]["right"])]
    if not wrong:
        return
    what, got, values = wrong[0]
    example = f"{what} should be {shown(values['right'])}, yours gives {shown(got)}"
    for mistake, message in mistakes.items():
        if all(same(answer, vals[mistake]) for _, answer, vals in cases):
            raise NotYet(f"{message} ({example}).")
    raise NotYet(f"{example[0].upper()}{example[1:]}.")


def _padded(sentences: Iterable) -> list[list[str]]:
    return [["<s>", *s, "</s>"] for s in sentences]


def _pairs(sentences, pad: bool = True) -> list[tuple[str, str]]:
    return [pair for s in (_padded(sentences) if pad else map(list, sentences)) for pair in zip(s, s[1:])]


def _vocabulary(sentences) -> list[str]:
    """Every token of the corpus, '<s>', '</s>' and a word it never has."""
    return sorted({t for s in sentences for t in s}) + ["<s>", "</s>", "zebra"]


# --------------------------------------------------------------------------- 02.1
def mle_values(sentences, word: str, previous: str) -> dict[str, float]:
    """The right P(word | previous), and what each common mistake computes instead."""
    padded, bare = _pairs(sentences), _pairs(sentences, pad=False)

    def ratio(pairs, first):
        total = sum(a == first for a, _ in pairs)
        return sum(p == (previous, word) for p in pairs) / total if total else 0.0

    pair = sum(p == (previous, word) for p in padded)
    return {
        "right": ratio(padded, previous),
        "no boundaries": ratio(bare, previous),
        "joint": pair / len(padded),
        "count": float(pair),
        "conditioned on word": ratio(padded, word),
        "swapped": (sum(p == (word, previous) for p in padded) / sum(a == word for a, _ in padded)
                    if any(a == word for a, _ in padded) else 0.0),
    }


_MLE_MISTAKES = {
    "no boundaries": "Your function ignores the sentence boundaries: it never counts '<s>' before the first word "
                     "or '</s>' after the last one",
    "joint": "Your function divides by the number of all word pairs: that is how often the pair occurs among all "
             "pairs (a joint probability), not the probability of `word` once `previous` has come",
    "count": "Your function returns how many times the pair occurs: a count, not a probability",
    "conditioned on word": "Your function divides by how often `word` is followed by something; the condition "
                           "is `previous`, the token that comes first",
    "swapped": "Your function reads the pair backwards: it estimates P(previous | word)",
}


@exercise("02.1", "bigram MLE by hand",
          hints=("A conditional probability counts only the cases where the condition holds: of all the times "
                 "`previous` is followed by something, in how many is it followed by `word`?",
                 "Pad first (['<s>'] + sentence + ['</s>']), then walk over neighbouring pairs with "
                 "zip(padded, padded[1:]) and keep two counters.",
                 "P(word | previous) = C(previous word) / C(previous ·): the number of pairs (previous, word) "
                 "divided by the number of pairs whose first token is previous; 0.0 when that is 0."))
def _(bigram_mle):
    _require_function(bigram_mle, "bigram_mle")
    for name, corpus in CORPORA.items():
        cases = []
        for previous in _vocabulary(corpus):
            for word in _vocabulary(corpus):
                if word == "<s>":
                    continue
                what = f"bigram_mle({name}, {word!r}, {previous!r})"
                try:
                    got = as_number(bigram_mle([list(s) for s in corpus], word, previous), what)
                except ZeroDivisionError:
                    raise NotYet(f"{what} divides by zero: {previous!r} is never followed by anything there, "
                                 "and the exercise asks for 0.0 in that case.") from None
                cases.append((what, got, mle_values(corpus, word, previous)))
        if any(not 0.0 <= got <= 1.0 for _, got, _ in cases) and not all(
                _close(got, values["count"]) for _, got, values in cases):
            what, got, _ = next(case for case in cases if not 0.0 <= case[1] <= 1.0)
            raise NotYet(f"{what} gives {got:g}, which is not a probability (it must lie between 0 and 1).")
        _diagnose(cases, _MLE_MISTAKES, _close, lambda x: f"{x:.6f}")
    return "That is the maximum-likelihood estimate C(previous word) / C(previous ·)."


# --------------------------------------------------------------------------- 02.2
def continuation_values(sentences, word: str) -> dict[str, int]:
    """The right number of distinct tokens right before ``word``, and what each common mistake counts instead."""
    padded, bare = _pairs(sentences), _pairs(sentences, pad=False)
    return {
        "right": len({a for a, b in padded if b == word}),
        "every occurrence": sum(b == word for _, b in padded),
        "raw count": sum(t == word for s in sentences for t in s),
        "no boundaries": len({a for a, b in bare if b == word}),
        "no <s>": len({a for a, b in padded if b == word and a != "<s>"}),
        "no </s>": len({a for a, b in padded if b == word and b != "</s>"}),
        "after": len({b for a, b in padded if a == word}),
    }


_CONTINUATION_MISTAKES = {
    "every occurrence": "Your function counts every occurrence of a token before `word`; the exercise asks for "
                        "*distinct* tokens, so a token seen there many times counts once",
    "raw count": "Your function returns how often `word` itself occurs (its raw count), not the number of "
                 "*distinct* tokens that come right before it",
    "no boundaries": "Your function ignores the sentence boundaries: a first word has '<s>' before it, and "
                     "'</s>' has the last word before it",
    "no <s>": "Your function misses '<s>': a word that starts a sentence has '<s>' right before it",
    "no </s>": "Your function never puts '</s>' at the end of a sentence, so nothing comes before '</s>'",
    "after": "Your function collects the tokens that come right *after* `word`; the exercise asks for those "
             "right before it",
}


@exercise("02.2", "continuation counts",
          hints=("Kneser-Ney asks 'in how many different contexts does this word appear?': a token seen before "
                 "the word many times counts once.",
                 "Pad each sentence with '<s>' and '</s>' first, then look at neighbouring pairs (a, b).",
                 "Add a to a set for every pair (a, b) with b == word; the answer is the size of that set."))
def _(continuation_count):
    _require_function(continuation_count, "continuation_count")
    for name, corpus in CORPORA.items():
        cases = []
        for word in _vocabulary(corpus):
            if word == "<s>":
                continue
            what = f"continuation_count({name}, {word!r})"
            got = as_number(continuation_count([list(s) for s in corpus], word), what)
            cases.append((what, got, continuation_values(corpus, word)))
        _diagnose(cases, _CONTINUATION_MISTAKES, lambda a, b: a == b, lambda x: f"{x:g}")
    return "Kneser-Ney's unigram level counts these, not raw frequencies."


# --------------------------------------------------------------------------- 02.3
def perplexity_values(logprobs: list[float]) -> dict[str, float]:
    """The right perplexity of these natural-log probabilities, and what each common mistake gives instead."""
    h = -sum(logprobs) / len(logprobs)
    return {
        "right": math.exp(h),
        "total": math.exp(-sum(logprobs)),
        "base 2": 2.0 ** h,
        "base 10": 10.0 ** h,
        "cross-entropy": h,
        "sign": math.exp(-h),
        "arithmetic": 1.0 / (sum(math.exp(x) for x in logprobs) / len(logprobs)),
        "n + 1": math.exp(-sum(logprobs) / (len(logprobs) + 1)),
    }


_PERPLEXITY_MISTAKES = {
    "total": "Your function uses the total log-probability of the text; perplexity is per token, so it must not "
             "grow with the length of the text",
    "base 2": "Your function mixes bases: these log-probabilities are natural logs (nats), but it raises 2 to "
              "the cross-entropy",
    "base 10": "Your function mixes bases: these log-probabilities are natural logs (nats), but it raises 10 to "
               "the cross-entropy",
    "cross-entropy": "Your function returns the cross-entropy (nats per token), one step before the perplexity",
    "sign": "Your function has the sign the wrong way round: its result is below 1, but a perplexity is at "
            "least 1",
    "arithmetic": "Your function averages the probabilities themselves; perplexity averages their logarithms",
    "n + 1": "Your function divides by one token too many: every entry of the list is one prediction "
             "(the '</s>' ones are in it already)",
}


@exercise("02.3", "perplexity from log-probabilities",
          hints=("Perplexity is 'the number of equally likely choices': a model that gives every token "
                 "probability 1/8 has perplexity 8, whatever the length of the text.",
                 "Go through the cross-entropy first: an average over the tokens, in nats.",
                 "cross-entropy H = -(sum of the log-probabilities) / (number of them); perplexity = exp(H)."))
def _(perplexity):
    _require_function(perplexity, "perplexity")
    lm = NGramLM(3, "mkn").fit(TOY)
    held_out = [["the", "cat", "sat"], ["a", "dog", "saw", "the", "mat"]]
    given = {"the log-probabilities of a held-out text (a NumPy array)": lm.token_logprobs(held_out),
             "[ln(1/8)] * 5": [math.log(1 / 8)] * 5,
             "[ln(1/8)] * 50": [math.log(1 / 8)] * 50,
             "[ln(0.5), ln(0.125)]": [math.log(0.5), math.log(0.125)],
             "[0.0, 0.0, 0.0] (every token certain)": [0.0, 0.0, 0.0]}
    cases = []
    for what, logprobs in given.items():
        copy = logprobs.copy()
        got = as_number(perplexity(copy), f"perplexity({what})")
        cases.append((f"the perplexity of {what}", got, perplexity_values([float(x) for x in logprobs])))
    _diagnose(cases, _PERPLEXITY_MISTAKES, _close, lambda x: f"{x:.4f}")
    return "Perplexity: the effective number of equally likely choices per token."


# --------------------------------------------------------------------------- 02.4
def temperature_values(p: np.ndarray, t: float) -> dict[str, np.ndarray]:
    """The right reshaped distribution, and what each common mistake returns instead."""
    logits = np.exp((p - p.max()) / t)
    return {
        "right": reshape_distribution(p, t),
        "not normalised": p ** (1.0 / t),
        "inverted": reshape_distribution(p, 1.0 / t),
        "logits": logits / logits.sum(),
        "divided": p / t,
        "unchanged": p / p.sum(),
    }


_TEMPERATURE_MISTAKES = {
    "not normalised": "Your result does not sum to 1: after reshaping, the vector has to be renormalised",
    "inverted": "Your temperature acts the wrong way round: T < 1 should sharpen the distribution (the likely "
                "tokens gain) and T > 1 flatten it, yours does the opposite",
    "logits": "Your function treats the probabilities as logits (scores before a softmax); here the input is "
              "already a probability vector",
    "divided": "dividing the probabilities by T only rescales them, and then they no longer sum to 1; the shape "
               "of the distribution has to change",
    "unchanged": "Your result does not depend on the temperature: it is the distribution it was given",
}


def _same_vector(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


@exercise("02.4", "temperature",
          hints=("Think of the limits: as T -> 0 all the mass should go to the most likely token, at T = 1 "
                 "nothing changes, and as T grows the distribution becomes uniform.",
                 "Reshape every probability with the same power, then make the vector sum to 1 again.",
                 "scaled = p ** (1 / T), then return scaled / scaled.sum()."))
def _(apply_temperature):
    _require_function(apply_temperature, "apply_temperature")
    vectors = {"[0.5, 0.25, 0.15, 0.1]": np.array([0.5, 0.25, 0.15, 0.1]),
               "[0.7, 0.2, 0.1, 0.0]": np.array([0.7, 0.2, 0.1, 0.0]),  # a token with probability 0 stays at 0
               "a peaked distribution over 50 tokens": np.random.default_rng(2).dirichlet(np.full(50, 0.3))}
    cases = []
    for name, p in vectors.items():
        for t in (1.0, 0.5, 2.0, 0.2, 5.0):
            given = p.copy()
            result = apply_temperature(given, t)
            if result is None:
                raise NotYet("apply_temperature returns None: return the reshaped vector.")
            if not np.array_equal(given, p):
                raise NotYet("Your function changes the probability vector it was given (in place); "
                             "return a new vector and leave the input as it was.")
            got = np.asarray(result, dtype=np.float64)
            if got.shape != p.shape:
                raise NotYet(f"the result should have the shape of the input, {p.shape}, got {got.shape}.")
            cases.append((f"apply_temperature({name}, {t:g})", got, temperature_values(p, t)))
    _diagnose(cases, _TEMPERATURE_MISTAKES, _same_vector,
              lambda v: str(np.round(v[:4], 4).tolist())[:-1] + (", ...]" if len(v) > 4 else "]"))
    return "Low T sharpens the distribution, high T flattens it."

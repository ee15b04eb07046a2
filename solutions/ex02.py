"""Reference solutions for notebook 02 (n-gram language models), and realistic wrong answers."""

import math

import numpy as np


def bigram_mle(sentences, word, previous):
    pair, total = 0, 0
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        for a, b in zip(padded, padded[1:]):
            if a == previous:
                total += 1
                pair += b == word
    return pair / total if total else 0.0


def continuation_count(sentences, word):
    before = set()
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        before.update(a for a, b in zip(padded, padded[1:]) if b == word)
    return len(before)


def perplexity(logprobs):
    cross_entropy = -sum(logprobs) / len(logprobs)  # nats per token
    return math.exp(cross_entropy)


def apply_temperature(probs, temperature):
    scaled = np.asarray(probs, dtype=float) ** (1.0 / temperature)
    return scaled / scaled.sum()


# ----------------------------------------------------------------- wrong answers for 02.1
def _mle_no_boundaries(sentences, word, previous):  # forgets <s> and </s>
    pair, total = 0, 0
    for sentence in sentences:
        for a, b in zip(sentence, sentence[1:]):
            if a == previous:
                total += 1
                pair += b == word
    return pair / total if total else 0.0


def _mle_joint(sentences, word, previous):  # divides by every pair: P(previous, word), not P(word | previous)
    pairs = [(a, b) for s in sentences for a, b in zip(["<s>"] + list(s), list(s) + ["</s>"])]
    return sum(p == (previous, word) for p in pairs) / len(pairs)


def _mle_count(sentences, word, previous):  # forgets to divide
    return sum((a, b) == (previous, word) for s in sentences
               for a, b in zip(["<s>"] + list(s), list(s) + ["</s>"]))


def _mle_wrong_condition(sentences, word, previous):  # divides by how often `word` is followed by something
    pair, total = 0, 0
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        for a, b in zip(padded, padded[1:]):
            total += a == word
            pair += a == previous and b == word
    return pair / total if total else 0.0


def _mle_no_zero_guard(sentences, word, previous):  # crashes when `previous` is never a context
    pair, total = 0, 0
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        for a, b in zip(padded, padded[1:]):
            if a == previous:
                total += 1
                pair += b == word
    return pair / total


# ----------------------------------------------------------------- wrong answers for 02.2
def _continuation_all_occurrences(sentences, word):  # a list, not a set: duplicates count
    before = []
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        before.extend(a for a, b in zip(padded, padded[1:]) if b == word)
    return len(before)


def _continuation_no_bos(sentences, word):  # pads the end only
    before = set()
    for sentence in sentences:
        padded = list(sentence) + ["</s>"]
        before.update(a for a, b in zip(padded, padded[1:]) if b == word)
    return len(before)


def _continuation_after(sentences, word):  # the tokens after `word`, not before it
    after = set()
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        after.update(b for a, b in zip(padded, padded[1:]) if a == word)
    return len(after)


def _unigram_frequency(sentences, word):  # the raw count of the word
    return sum(list(s).count(word) for s in sentences)


SOLUTIONS = {
    "02.1": bigram_mle,
    "02.2": continuation_count,
    "02.3": perplexity,
    "02.4": apply_temperature,
}

WRONG = {
    "02.1": [
        (_mle_no_boundaries, "sentence boundaries"),
        (_mle_joint, "joint probability"),
        (_mle_count, "a count, not a probability"),
        (_mle_wrong_condition, "the condition is `previous`"),
        (_mle_no_zero_guard, "divides by zero"),
        (lambda sentences, word, previous: 0.5, "should be"),
        ("not a function", "should be a function"),
    ],
    "02.2": [
        (_continuation_all_occurrences, "distinct"),
        (_unigram_frequency, "raw count"),
        (_continuation_no_bos, "misses '<s>'"),
        (_continuation_after, "right *after*"),
        (lambda sentences, word: len({a for s in sentences for a, b in zip(s, s[1:]) if b == word}),
         "ignores the sentence boundaries"),  # no padding at all
    ],
    "02.3": [
        (lambda logprobs: math.exp(-sum(logprobs)), "total log-probability"),
        (lambda logprobs: 2 ** (-sum(logprobs) / len(logprobs)), "mixes bases"),
        (lambda logprobs: -sum(logprobs) / len(logprobs), "returns the cross-entropy"),
        (lambda logprobs: math.exp(sum(logprobs) / len(logprobs)), "sign the wrong way round"),
        (lambda logprobs: 1 / np.mean(np.exp(logprobs)), "averages the probabilities themselves"),
    ],
    "02.4": [
        (lambda probs, temperature: np.asarray(probs) ** (1.0 / temperature), "does not sum to 1"),
        (lambda probs, temperature: apply_temperature(probs, 1.0 / temperature), "wrong way round"),
        (lambda probs, temperature: np.exp(np.asarray(probs) / temperature)
         / np.exp(np.asarray(probs) / temperature).sum(), "as logits"),
        (lambda probs, temperature: np.asarray(probs) / temperature, "only rescales them"),
        (lambda probs, temperature: np.asarray(probs) / np.asarray(probs).sum(), "does not depend on the temperature"),
    ],
}

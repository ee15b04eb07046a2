"""Reference solutions for notebook 02 (n-gram language models)."""

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
    return math.exp(-sum(logprobs) / len(logprobs))


def apply_temperature(probs, temperature):
    scaled = np.asarray(probs, dtype=float) ** (1.0 / temperature)
    return scaled / scaled.sum()


def _count_pairs(sentences, word, previous):  # forgets the sentence boundaries
    pair, total = 0, 0
    for sentence in sentences:
        for a, b in zip(sentence, sentence[1:]):
            if a == previous:
                total += 1
                pair += b == word
    return pair / total if total else 0.0


def _unigram_frequency(sentences, word):  # raw count, not continuation count
    return sum(list(s).count(word) for s in sentences) + (len(sentences) if word == "</s>" else 0)


SOLUTIONS = {
    "02.1": bigram_mle,
    "02.2": continuation_count,
    "02.3": perplexity,
    "02.4": apply_temperature,
}

WRONG = {
    "02.1": [
        _count_pairs,
        lambda sentences, word, previous: 0.5,
        "not a function",
    ],
    "02.2": [
        _unigram_frequency,
        lambda sentences, word: len({a for s in sentences for a, b in zip(s, s[1:]) if b == word}),  # no <s>
    ],
    "02.3": [
        lambda logprobs: math.exp(-sum(logprobs)),             # total, not the mean
        lambda logprobs: 2 ** (-sum(logprobs) / len(logprobs)),  # base 2 with natural logs
        lambda logprobs: -sum(logprobs) / len(logprobs),         # cross-entropy, not perplexity
    ],
    "02.4": [
        lambda probs, temperature: np.asarray(probs) ** (1.0 / temperature),  # not renormalised
        lambda probs, temperature: apply_temperature(probs, 1.0 / temperature),  # inverted
        lambda probs, temperature: np.asarray(probs) / temperature,
    ],
}

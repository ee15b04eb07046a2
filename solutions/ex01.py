"""Reference solutions for notebook 01 (language models and text preprocessing)."""

from collections import Counter

import numpy as np

from aigc_course.text import chinese_stop_words, is_punctuation, zh_segment


def count_bigrams(tokens):
    return Counter(zip(tokens, tokens[1:]))


def my_oov_rate(train_tokens, test_tokens, min_freq):
    counts = Counter(train_tokens)
    known = {word for word, count in counts.items() if count >= min_freq}
    return sum(token not in known for token in test_tokens) / len(test_tokens)


def solve_analogy(vectors, a, b, c):
    unit, index = vectors.unit, vectors.index
    target = unit[index[b]] - unit[index[a]] + unit[index[c]]
    scores = unit @ (target / np.linalg.norm(target))
    for i in np.argsort(-scores):
        word = vectors.words[i]
        if word not in (a, b, c):
            return word


def content_words(sentence):
    stop = chinese_stop_words()
    return [w for w in zh_segment(sentence) if w not in stop and not is_punctuation(w)]


# ---- answers that look plausible but are wrong

def _bigram_types(tokens):  # each distinct pair once: no counts
    return {pair: 1 for pair in set(zip(tokens, tokens[1:]))}


def _skip_one(tokens):  # pairs a word with the word after next
    return Counter(zip(tokens, tokens[2:]))


def _type_oov_rate(train_tokens, test_tokens, min_freq):  # distinct words, not running tokens
    counts = Counter(train_tokens)
    known = {w for w, c in counts.items() if c >= min_freq}
    return len(set(test_tokens) - known) / len(set(test_tokens))


def _strict_cutoff(train_tokens, test_tokens, min_freq):  # "more than" instead of "at least"
    counts = Counter(train_tokens)
    known = {w for w, c in counts.items() if c > min_freq}
    return sum(t not in known for t in test_tokens) / len(test_tokens)


def _no_exclusion(vectors, a, b, c):  # forgets to skip the question words
    unit, index = vectors.unit, vectors.index
    target = unit[index[b]] - unit[index[a]] + unit[index[c]]
    return vectors.words[int(np.argmax(unit @ target))]


def _wrong_direction(vectors, a, b, c):  # a - b + c instead of b - a + c
    unit, index = vectors.unit, vectors.index
    target = unit[index[a]] - unit[index[b]] + unit[index[c]]
    for i in np.argsort(-(unit @ target)):
        if vectors.words[i] not in (a, b, c):
            return vectors.words[i]


def _keeps_punctuation(sentence):
    stop = chinese_stop_words()
    return [w for w in zh_segment(sentence) if w not in stop]


def _characters(sentence):  # no segmentation: single characters
    stop = chinese_stop_words()
    return [c for c in sentence if c not in stop and not is_punctuation(c)]


SOLUTIONS = {
    "01.1": count_bigrams,
    "01.2": my_oov_rate,
    "01.3": solve_analogy,
    "01.4": content_words,
}

WRONG = {
    "01.1": [_bigram_types, _skip_one, "not a function"],
    "01.2": [_type_oov_rate, _strict_cutoff, lambda train, test, k: 0.5],
    "01.3": [_no_exclusion, _wrong_direction],
    "01.4": [_keeps_punctuation, _characters, lambda s: zh_segment(s)],
}

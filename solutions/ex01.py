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


def _reversed_pairs(tokens):  # (next_word, word)
    return Counter(zip(tokens[1:], tokens))


def _wrap_around(tokens):  # the last word paired with the first
    return Counter(zip(tokens, tokens[1:] + tokens[:1]))


def _joined_keys(tokens):  # "to be" strings instead of ("to", "be") pairs
    return Counter(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))


def _type_oov_rate(train_tokens, test_tokens, min_freq):  # distinct words, not running tokens
    counts = Counter(train_tokens)
    known = {w for w, c in counts.items() if c >= min_freq}
    return len(set(test_tokens) - known) / len(set(test_tokens))


def _strict_cutoff(train_tokens, test_tokens, min_freq):  # "more than" instead of "at least"
    counts = Counter(train_tokens)
    known = {w for w, c in counts.items() if c > min_freq}
    return sum(t not in known for t in test_tokens) / len(test_tokens)


def _known_share(train_tokens, test_tokens, min_freq):  # the share of known tokens: 1 - OOV rate
    counts = Counter(train_tokens)
    known = {w for w, c in counts.items() if c >= min_freq}
    return sum(t in known for t in test_tokens) / len(test_tokens)


def _percentage(train_tokens, test_tokens, min_freq):  # 3.0 (per cent) for 0.03
    counts = Counter(train_tokens)
    known = {w for w, c in counts.items() if c >= min_freq}
    return 100 * sum(t not in known for t in test_tokens) / len(test_tokens)


def _ignores_cutoff(train_tokens, test_tokens, min_freq):  # every training word kept, whatever min_freq
    known = set(train_tokens)
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


def _raw_dot_products(vectors, a, b, c):  # scores with the raw vectors: long vectors win, not cosine
    raw, index = vectors.vectors, vectors.index
    target = raw[index[b]] - raw[index[a]] + raw[index[c]]
    for i in np.argsort(-(raw @ target)):
        if vectors.words[i] not in (a, b, c):
            return vectors.words[i]


def _three_cos_mul(vectors, a, b, c):  # Levy & Goldberg's 3CosMul: right on the toy and the two named
    unit, index = vectors.unit, vectors.index  # questions, wrong on ten of the course's 56 analogies
    similarity = {w: (unit @ unit[index[w]] + 1) / 2 for w in (a, b, c)}
    scores = similarity[b] * similarity[c] / (similarity[a] + 1e-3)
    for i in np.argsort(-scores):
        if vectors.words[i] not in (a, b, c):
            return vectors.words[i]


def _with_score(vectors, a, b, c):  # returns (word, score) like vectors.analogy, not the word
    unit, index = vectors.unit, vectors.index
    target = unit[index[b]] - unit[index[a]] + unit[index[c]]
    scores = unit @ target
    for i in np.argsort(-scores):
        if vectors.words[i] not in (a, b, c):
            return vectors.words[i], float(scores[i])


def _keeps_punctuation(sentence):
    stop = chinese_stop_words()
    return [w for w in zh_segment(sentence) if w not in stop]


def _characters(sentence):  # no segmentation: single characters
    stop = chinese_stop_words()
    return [c for c in sentence if c not in stop and not is_punctuation(c)]


def _keeps_stop_words(sentence):
    return [w for w in zh_segment(sentence) if not is_punctuation(w)]


def _joined(sentence):  # one string instead of a list of words
    stop = chinese_stop_words()
    return "".join(w for w in zh_segment(sentence) if w not in stop and not is_punctuation(w))


SOLUTIONS = {
    "01.1": count_bigrams,
    "01.2": my_oov_rate,
    "01.3": solve_analogy,
    "01.4": content_words,
}

WRONG = {
    "01.1": [(_bigram_types, "counted once"), (_skip_one, "two places on"), (_reversed_pairs, "reversed"),
             (_wrap_around, "wrap around"), (_joined_keys, "pairs (tuples"),
             ("not a function", "should be a function")],
    "01.2": [(_type_oov_rate, "distinct test words"), (_strict_cutoff, "at least min_freq"),
             (_known_share, "opposite of the OOV rate"), (_percentage, "percentage"),
             (_ignores_cutoff, "for every min_freq"), (lambda train, test, k: 0.5, "for every min_freq")],
    "01.3": [(_no_exclusion, "question words"), (_wrong_direction, "wrong way round"),
             (_raw_dot_products, "raw dot products"), (_three_cos_mul, "3CosMul"), (_with_score, "only the word")],
    "01.4": [(_keeps_punctuation, "punctuation is still"), (_characters, "single characters"),
             (_keeps_stop_words, "stop words such as"), (lambda s: zh_segment(s), "stop words such as"),
             (_joined, "list of words")],
}

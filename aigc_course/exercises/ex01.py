"""Checkers for notebook 01 (language models and text preprocessing)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..embeddings import WordVectors
from ..text import Vocab, chinese_stop_words, is_punctuation, oov_rate, zh_segment
from . import NotYet, exercise

_BIGRAM_CASES = [
    "to be or not to be".split(),
    "the the the".split(),
    ["alone"],
    [],
    ["我们", "学习", "人工智能", "我们", "学习"],
]


@exercise("01.1", "bigram counter",
          hints=("pair every token with the next one: zip(tokens, tokens[1:]), and count the pairs with a Counter",))
def _(count_bigrams):
    for tokens in _BIGRAM_CASES:
        got = count_bigrams(list(tokens))
        expected = Counter(zip(tokens, tokens[1:]))
        if not isinstance(got, dict):
            raise NotYet(f"count_bigrams should return a dict or Counter of (word, next_word) -> count, "
                         f"got {type(got).__name__}")
        got = {k: v for k, v in got.items() if v}
        if got != dict(expected):
            raise NotYet(f"for {tokens!r} the bigram counts are {dict(expected)!r}, your function gives {got!r}")
    return "A bigram model divides these counts by the count of the first word (lesson 02)."


_TRAIN = "the cat sat on the mat the cat ran to the dog and the dog sat".split()
_TEST = "the cat sat on a log and the bird sat".split()


@exercise("01.2", "OOV rate with a frequency cutoff",
          hints=("keep the training words seen at least min_freq times; count how many *running* test tokens "
               "(repeats included) are not kept; divide by the number of test tokens",))
def _(my_oov_rate):
    for min_freq in (1, 2, 3, 5):
        got = my_oov_rate(list(_TRAIN), list(_TEST), min_freq)
        if isinstance(got, bool) or not isinstance(got, (int, float, np.floating)):
            raise NotYet(f"my_oov_rate should return a number between 0 and 1, got {got!r}")
        expected = oov_rate(_TEST, Vocab.build(_TRAIN, min_freq=min_freq))
        if abs(float(got) - expected) > 1e-12:
            raise NotYet(f"with min_freq={min_freq} the OOV rate is {expected:.4f}, your function gives {float(got):.4f}")
    return "Raising the cutoff shrinks the vocabulary and raises the OOV rate."


def _toy_vectors() -> WordVectors:
    # "b - a + c" lands nearest to "d"; without excluding the question words it lands on "c".
    words = ["man", "woman", "king", "queen", "prince", "apple"]
    vectors = np.array([[2.0, 0.0, 0.0], [2.0, 0.4, 0.0], [0.0, 0.0, 3.0],
                        [0.1, 1.5, 3.0], [0.2, -0.3, 2.0], [-1.0, -1.0, 0.0]], dtype=np.float32)
    return WordVectors(words, vectors)


@exercise("01.3", "solve an analogy with vector arithmetic",
          hints=("use the unit-length rows vectors.unit and vectors.index: target = unit[b] - unit[a] + unit[c]; "
               "score every word by cosine with the target; skip a, b and c; return the best word",))
def _(solve_analogy):
    from ..embeddings import glove_vectors

    toy = _toy_vectors()
    cases = [(toy, "man", "king", "woman"), (toy, "woman", "queen", "man")]
    glove = glove_vectors(100_000)  # the same cached copy the notebook uses
    cases += [(glove, "france", "paris", "japan"), (glove, "go", "went", "see")]
    for vectors, a, b, c in cases:
        expected = vectors.analogy(a, b, c, k=1)[0][0]
        got = solve_analogy(vectors, a, b, c)
        if got != expected:
            raise NotYet(f"{a} : {b} :: {c} : ? should give {expected!r} (nearest to {b} - {a} + {c}, "
                         f"question words excluded), your function gives {got!r}")
    return "This is 3CosAdd, the method of Mikolov et al. (2013)."


_ZH_CASES = [
    "我们要学会与人工智能协作。",
    "生成式模型学习数据本身的分布，而判别式模型学习如何区分类别。",
    "这是一个非常有用的工具！",
]


@exercise("01.4", "Chinese content words",
          hints=("segment with zh_segment, then drop tokens in chinese_stop_words() and punctuation "
               "(is_punctuation)",))
def _(content_words):
    stop = chinese_stop_words()
    for sentence in _ZH_CASES:
        expected = [w for w in zh_segment(sentence) if w not in stop and not is_punctuation(w)]
        got = content_words(sentence)
        if list(got) != expected:
            raise NotYet(f"for {sentence!r} the content words are {expected!r}, your function gives {list(got)!r}")
    return "Good for topics and search; a language model would keep every word."

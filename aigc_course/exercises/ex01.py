"""Checkers for notebook 01 (language models and text preprocessing).

Each checker runs the learner's function on hand-made cases (edge cases included) and on
the course's own data where that is cheap, and names the mistake it recognises: the
messages never spell out the method (that is what the stepped hints are for).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping

import numpy as np

from ..embeddings import WordVectors
from ..text import Vocab, chinese_stop_words, is_punctuation, oov_rate, word_tokenize, zh_segment
from . import NotYet, as_number, exercise


def _full_stop(checker):
    """End the checker's message with a full stop (``check`` writes "For a nudge..." right after it)."""

    @functools.wraps(checker)
    def checked(answer):
        try:
            return checker(answer)
        except NotYet as wrong:
            message = str(wrong)
            raise NotYet(message if message.endswith((".", "?", "!")) else message + ".") from None

    return checked


def _need_function(answer, name: str, signature: str) -> None:
    if not callable(answer):
        raise NotYet(f"{name} should be a function (def {name}({signature}): ...), got {type(answer).__name__} "
                     f"{answer!r:.60}")


# ---- 01.1 bigram counter

_BIGRAM_CASES = [
    "to be or not to be".split(),
    "the the the".split(),
    ["alone"],
    [],
    ["我们", "学习", "人工智能", "我们", "学习"],
]


@functools.lru_cache(maxsize=1)
def _course_token_lists() -> tuple[tuple[str, ...], ...]:
    """A few tokenised texts of the course's own: Hamlet's line and the lesson's Chinese sentences."""
    from ..text import course_zh_sentences

    hamlet = word_tokenize("To be, or not to be: that is the question", lower=True)
    return (tuple(hamlet), *(tuple(zh_segment(s)) for s in course_zh_sentences()))


def _counts_of(got) -> dict:
    if not isinstance(got, Mapping):
        raise NotYet(f"count_bigrams should return a dict or Counter of (word, next_word) -> count, "
                     f"got {type(got).__name__}")
    clean = {}
    for key, value in got.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise NotYet(f"The keys should be (word, next_word) pairs (tuples of two tokens), got the key {key!r}")
        count = as_number(value, f"the count of {key!r}")
        if count:
            clean[key] = count
    return clean


@exercise("01.1", "bigram counter",
          hints=("a bigram is a token together with the token right after it; how many such pairs does a list "
                 "of n tokens have?",
                 "walk over the positions i = 0 .. n-2 and count the pair (tokens[i], tokens[i + 1]) in a Counter",
                 "Counter(zip(tokens, tokens[1:])) does it in one line"))
@_full_stop
def _(count_bigrams):
    _need_function(count_bigrams, "count_bigrams", "tokens")
    for tokens in [*_BIGRAM_CASES, *map(list, _course_token_lists())]:
        expected = dict(Counter(zip(tokens, tokens[1:])))
        got = _counts_of(count_bigrams(list(tokens)))
        if got == expected:
            continue
        if expected and got == dict(Counter(zip(tokens, tokens[2:]))):
            raise NotYet(f"For {tokens!r} your function pairs each word with the word two places on, "
                         "not with the very next one")
        if expected and got == dict(Counter(zip(tokens[1:], tokens))):
            raise NotYet(f"For {tokens!r} your pairs are reversed: (next_word, word) instead of (word, next_word)")
        if len(tokens) > 1 and got == dict(Counter(zip(tokens, tokens[1:] + tokens[:1]))):
            raise NotYet(f"For {tokens!r} your function also pairs the last word with the first: "
                         "the text does not wrap around")
        if set(got) == set(expected) and set(got.values()) == {1}:
            raise NotYet(f"For {tokens!r} each pair is counted once, however often it occurs: "
                         f"the right counts are {expected!r}")
        raise NotYet(f"For {tokens!r} the bigram counts are {expected!r}, your function gives {got!r}")
    return "A bigram model divides these counts by the count of the first word (lesson 02)."


# ---- 01.2 OOV rate with a cutoff

_TRAIN = "the cat sat on the mat the cat ran to the dog and the dog sat".split()
_TEST = "the cat sat on a log and the bird sat".split()
_CUTOFFS = (1, 2, 3, 5)


@functools.lru_cache(maxsize=1)
def _course_oov_case() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first held-out play's opening lines (about 20,000 tokens) split into a 'train' and a 'test' part."""
    from ..data import load_shakespeare

    lines = load_shakespeare("valid").splitlines()[:2400]
    return (tuple(word_tokenize("\n".join(lines[:1800]), lower=True)),
            tuple(word_tokenize("\n".join(lines[1800:]), lower=True)))


def _rate(train, test, keep) -> float:
    counts = Counter(train)
    known = {w for w, c in counts.items() if keep(c)}
    return sum(t not in known for t in test) / len(test)


def _oov_mistake(train, test, k, got, expected) -> str:
    """Words for the mistake that gives ``got`` instead of ``expected`` (with cutoff ``k``), or ''."""
    close = lambda value: abs(got - value) <= 1e-6  # noqa: E731
    counts = Counter(train)
    known = {w for w, c in counts.items() if c >= k}
    if close(100 * expected):
        return "your function gives a percentage: the rate is a fraction between 0 and 1"
    if close(1 - expected):
        return ("your function gives the fraction of test tokens the vocabulary knows, the opposite of the OOV "
                "rate")
    if close(len(set(test) - known) / len(set(test))):
        return ("your function counts distinct test words; the OOV rate counts running tokens, every repeat "
                "included")
    if close(_rate(train, test, lambda c: c > k)):
        return (f"your function drops the words seen exactly min_freq = {k} times: the vocabulary keeps the words "
                "seen at least min_freq times")
    if close(_rate(test, test, lambda c: c >= k)):
        return "your vocabulary comes from the test tokens; it must be built from the training tokens"
    return ""


@exercise("01.2", "OOV rate with a frequency cutoff",
          hints=("two steps: which training words does the vocabulary keep, and what share of the test tokens "
                 "is not among them?",
                 "the Counter gives each training word's count; keep a word when its count is at least min_freq; "
                 "the rate counts every running test token, repeats included",
                 "known = {w for w, c in counts.items() if c >= min_freq}; "
                 "return sum(t not in known for t in test_tokens) / len(test_tokens)"))
@_full_stop
def _(my_oov_rate):
    _need_function(my_oov_rate, "my_oov_rate", "train_tokens, test_tokens, min_freq")
    cases = [(_TRAIN, _TEST, k) for k in _CUTOFFS]
    train, test = _course_oov_case()
    cases += [(list(train), list(test), k) for k in (1, 2, 3)]
    results = []
    for train, test, k in cases:
        got = as_number(my_oov_rate(list(train), list(test), k), "my_oov_rate's result")
        results.append((train, test, k, got, oov_rate(test, Vocab.build(train, min_freq=k))))
    toy = results[: len(_CUTOFFS)]
    if len({got for *_, got, _ in toy}) == 1 and len({expected for *_, expected in toy}) > 1:
        raise NotYet(f"Your function gives {toy[0][3]:.4f} for every min_freq in {_CUTOFFS}: the cutoff must "
                     "change which words the vocabulary keeps")
    for number, (train, test, k, got, expected) in enumerate(results):
        if abs(got - expected) > 1e-6:  # float32 (a tensor) is close enough
            mistake = _oov_mistake(train, test, k, got, expected)
            where = "On the small example" if number < len(_CUTOFFS) else "On lines of the held-out plays"
            raise NotYet(f"{where}, with min_freq={k} the OOV rate is {expected:.4f}, your function gives "
                         f"{got:.4f}" + (f": {mistake}" if mistake else ""))
    return "Raising the cutoff shrinks the vocabulary and raises the OOV rate."


# ---- 01.3 analogies

def _toy_vectors() -> WordVectors:
    # "b - a + c" lands nearest to "d"; without excluding the question words it lands on "c".
    words = ["man", "woman", "king", "queen", "prince", "apple"]
    vectors = np.array([[2.0, 0.0, 0.0], [2.0, 0.4, 0.0], [0.0, 0.0, 3.0],
                        [0.1, 1.5, 3.0], [0.2, -0.3, 2.0], [-1.0, -1.0, 0.0]], dtype=np.float32)
    return WordVectors(words, vectors)


def _best(vectors: WordVectors, scores, skip) -> str:
    for i in np.argsort(-scores, kind="stable"):
        if vectors.words[i] not in skip:
            return vectors.words[i]
    return ""


def _analogy_mistake(vectors: WordVectors, a: str, b: str, c: str, got: str) -> str:
    """Words for the recognised mistake that answers ``got``, or ''."""
    unit, raw, ix = vectors.unit, vectors.vectors, vectors.index
    target = unit[ix[b]] - unit[ix[a]] + unit[ix[c]]
    if got in (a, b, c):
        return f"{got!r} is one of the question words; they can never be the answer"
    if got == _best(vectors, unit @ (unit[ix[a]] - unit[ix[b]] + unit[ix[c]]), (a, b, c)):
        return "your answer comes from the offset taken the wrong way round (from b back to a)"
    if got == _best(vectors, raw @ target, (a, b, c)) or got == _best(vectors, raw @ (raw[ix[b]] - raw[ix[a]]
                                                                                    + raw[ix[c]]), (a, b, c)):
        return ("your scores are raw dot products, which favour long (frequent-word) vectors; the lesson ranks "
                "words by cosine similarity")
    if got == _best(vectors, unit @ (raw[ix[b]] - raw[ix[a]] + raw[ix[c]]), (a, b, c)):
        return "your target is built from the raw vectors, so the longest of the three dominates it"
    similarity = {w: (unit @ unit[ix[w]] + 1) / 2 for w in (a, b, c)}
    if got == _best(vectors, similarity[b] * similarity[c] / (similarity[a] + 1e-3), (a, b, c)):
        return ("your rule multiplies and divides similarities (3CosMul); the lesson's rule adds and subtracts "
                "the vectors themselves, and the two disagree on some of the course's analogies")
    return ""


@exercise("01.3", "solve an analogy with vector arithmetic",
          hints=("section 5.1 builds one target vector out of the three question words and looks for the word "
                 "closest to it",
                 "for unit-length rows, a matrix-vector product unit @ target gives every word's cosine with the "
                 "target (up to the target's length); the question words themselves never count as answers",
                 "target = unit[index[b]] - unit[index[a]] + unit[index[c]]; go through np.argsort(-(unit @ "
                 "target)) and return the first word that is not a, b or c"))
@_full_stop
def _(solve_analogy):
    from ..embeddings import glove_vectors, load_analogies

    _need_function(solve_analogy, "solve_analogy", "vectors, a, b, c")
    toy = _toy_vectors()
    glove = glove_vectors(100_000)  # the same cached copy the notebook uses
    cases = [(toy, "man", "king", "woman", ""), (toy, "woman", "queen", "man", ""),
             (glove, "france", "paris", "japan", ""), (glove, "go", "went", "see", "")]
    cases += [(glove, q.a, q.b, q.c, f" by the lesson's rule (right or wrong, that is its answer to this question "
                                      f"of the course's analogy set, category {q.category})")
              for q in load_analogies() if all(w in glove for w in (q.a, q.b, q.c))]
    for vectors, a, b, c, where in cases:
        expected = vectors.analogy(a, b, c, k=1)[0][0]
        got = solve_analogy(vectors, a, b, c)
        if isinstance(got, tuple) and got and isinstance(got[0], str):
            raise NotYet(f"Return only the word (a str), not {got!r}")
        if not isinstance(got, str):
            raise NotYet(f"solve_analogy should return a word (a str), got {type(got).__name__} {got!r:.60}")
        if got != expected:
            mistake = _analogy_mistake(vectors, a, b, c, got)
            raise NotYet(f"{a} : {b} :: {c} : ? should give {expected!r}{where}, your function gives {got!r}"
                         + (f": {mistake}" if mistake else ""))
    return f"This is 3CosAdd, the method of Mikolov et al. (2013); it agrees on all {len(cases)} test questions."


# ---- 01.4 Chinese content words

_ZH_CASES = [
    "我们要学会与人工智能协作。",
    "生成式模型学习数据本身的分布，而判别式模型学习如何区分类别。",
    "这是一个非常有用的工具！",
    "",
]


@exercise("01.4", "Chinese content words",
          hints=("first split the sentence into words, then decide word by word what to keep",
                 "zh_segment gives the words; a word goes when it is in chinese_stop_words() or when "
                 "is_punctuation says it is punctuation",
                 "stop = chinese_stop_words(); "
                 "return [w for w in zh_segment(sentence) if w not in stop and not is_punctuation(w)]"))
@_full_stop
def _(content_words):
    from ..text import course_zh_sentences

    _need_function(content_words, "content_words", "sentence")
    stop = chinese_stop_words()
    for sentence in [*_ZH_CASES, *course_zh_sentences()]:
        words = zh_segment(sentence)
        expected = [w for w in words if w not in stop and not is_punctuation(w)]
        got = content_words(sentence)
        if isinstance(got, str) or not isinstance(got, (list, tuple)):
            raise NotYet(f"content_words should return a list of words, got {type(got).__name__} {got!r:.60}")
        got = list(got)
        if got == expected:
            continue
        mistakes = []
        if any(w in stop for w in got):
            mistakes.append(f"stop words such as {next(w for w in got if w in stop)!r} are still in your list")
        if any(is_punctuation(w) for w in got):
            mistakes.append("punctuation is still in your list")
        if not mistakes and got and all(len(w) == 1 for w in got) and any(len(w) > 1 for w in expected):
            mistakes.append("your list holds single characters: the sentence must be segmented into words first")
        if not mistakes and set(got) < set(expected):
            mistakes.append(f"your list drops content words such as {next(w for w in expected if w not in got)!r}")
        mistake = "; ".join(mistakes)
        raise NotYet(f"For {sentence!r} the content words are {expected!r}, your function gives {got!r}"
                     + (f": {mistake}" if mistake else ""))
    return "Good for topics and search; a language model would keep every word."

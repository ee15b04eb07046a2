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
from ..language import Text, tr
from . import NotYet, as_number, exercise


def _need_function(answer, name: str, signature: str) -> None:
    if not callable(answer):
        raise NotYet(tr(f"{name} should be a function (def {name}({signature}): ...), got {type(answer).__name__} "
                        f"{answer!r:.60}",
                        f"{name} 应当是一个函数（def {name}({signature}): ...），却得到了 {type(answer).__name__} "
                        f"{answer!r:.60}"))


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
        raise NotYet(tr(f"count_bigrams should return a dict or Counter of (word, next_word) -> count, "
                        f"got {type(got).__name__}",
                        f"count_bigrams 应当返回一个把 (word, next_word) 映射到次数的 dict 或 Counter，"
                        f"却得到了 {type(got).__name__}"))
    clean = {}
    for key, value in got.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise NotYet(tr(f"The keys should be (word, next_word) pairs (tuples of two tokens), got the key {key!r}",
                            f"键应当是 (word, next_word) 词对（由两个词元组成的元组），却遇到了键 {key!r}"))
        count = as_number(value, tr(f"the count of {key!r}", f"{key!r} 的计数"))
        if count:
            clean[key] = count
    return clean


@exercise("01.1", Text("bigram counter", "二元语法计数器"),
          hints=(Text("a bigram is a token together with the token right after it; how many such pairs does a list "
                      "of n tokens have?",
                      "二元语法就是一个词元连同紧跟在它后面的那个词元；n 个词元的列表里有多少个这样的词对？"),
                 Text("walk over the positions i = 0 .. n-2 and count the pair (tokens[i], tokens[i + 1]) in a Counter",
                      "依次走过位置 i = 0 .. n-2，用一个 Counter 统计词对 (tokens[i], tokens[i + 1])"),
                 Text("Counter(zip(tokens, tokens[1:])) does it in one line",
                      "Counter(zip(tokens, tokens[1:])) 一行就能做到")))
def _(count_bigrams):
    _need_function(count_bigrams, "count_bigrams", "tokens")
    for tokens in [*_BIGRAM_CASES, *map(list, _course_token_lists())]:
        expected = dict(Counter(zip(tokens, tokens[1:])))
        got = _counts_of(count_bigrams(list(tokens)))
        if got == expected:
            continue
        if expected and got == dict(Counter(zip(tokens, tokens[2:]))):
            raise NotYet(tr(f"For {tokens!r} your function pairs each word with the word two places on, "
                            "not with the very next one",
                            f"对于 {tokens!r}，你的函数把每个词和它后面的第二个词配成了对，"
                            "而不是和紧跟其后的那个词"))
        if expected and got == dict(Counter(zip(tokens[1:], tokens))):
            raise NotYet(tr(f"For {tokens!r} your pairs are reversed: (next_word, word) instead of (word, next_word)",
                            f"对于 {tokens!r}，你的词对顺序反了：成了 (next_word, word)，应为 (word, next_word)"))
        if len(tokens) > 1 and got == dict(Counter(zip(tokens, tokens[1:] + tokens[:1]))):
            raise NotYet(tr(f"For {tokens!r} your function also pairs the last word with the first: "
                            "the text does not wrap around",
                            f"对于 {tokens!r}，你的函数还把最后一个词和第一个词配成了对：文本不会首尾相接"))
        if set(got) == set(expected) and set(got.values()) == {1}:
            raise NotYet(tr(f"For {tokens!r} each pair is counted once, however often it occurs: "
                            f"the right counts are {expected!r}",
                            f"对于 {tokens!r}，每个词对不管出现多少次都只计了一次：正确的计数是 {expected!r}"))
        raise NotYet(tr(f"For {tokens!r} the bigram counts are {expected!r}, your function gives {got!r}",
                        f"对于 {tokens!r}，二元语法计数应为 {expected!r}，你的函数给出的是 {got!r}"))
    return tr("A bigram model divides these counts by the count of the first word (lesson 02).",
              "二元语法模型会把这些计数除以第一个词的计数（第 02 课）。")


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
        return tr("your function gives a percentage: the rate is a fraction between 0 and 1",
                  "它给出的是百分数，而未登录词率是 0 到 1 之间的比例")
    if close(1 - expected):
        return tr("your function gives the fraction of test tokens the vocabulary knows, the opposite of the OOV "
                  "rate",
                  "它给出的是测试词元中词表认识的比例，恰好与未登录词率相反")
    if close(len(set(test) - known) / len(set(test))):
        return tr("your function counts distinct test words; the OOV rate counts running tokens, every repeat "
                  "included",
                  "它数的是测试文本中不同的词；未登录词率数的是文本中的每一个词元，重复出现的也都算上")
    if close(_rate(train, test, lambda c: c > k)):
        return tr(f"your function drops the words seen exactly min_freq = {k} times: the vocabulary keeps the words "
                  "seen at least min_freq times",
                  f"它去掉了恰好出现 min_freq = {k} 次的词，而词表保留的是至少出现 min_freq 次的词")
    if close(_rate(test, test, lambda c: c >= k)):
        return tr("your vocabulary comes from the test tokens; it must be built from the training tokens",
                  "你的词表是由测试词元建成的；它必须由训练词元构建")
    return ""


@exercise("01.2", Text("OOV rate with a frequency cutoff", "带词频阈值的未登录词率"),
          hints=(Text("two steps: which training words does the vocabulary keep, and what share of the test tokens "
                      "is not among them?",
                      "分两步：词表保留哪些训练词？测试词元中有多大比例不在其中？"),
                 Text("the Counter gives each training word's count; keep a word when its count is at least min_freq; "
                      "the rate counts every running test token, repeats included",
                      "Counter 给出每个训练词的计数，计数至少为 min_freq 的词才保留；这个比率要数测试文本中的"
                      "每一个词元，重复出现的也算"),
                 Text("known = {w for w, c in counts.items() if c >= min_freq}; "
                      "return sum(t not in known for t in test_tokens) / len(test_tokens)",
                      "先 known = {w for w, c in counts.items() if c >= min_freq}，"
                      "再 return sum(t not in known for t in test_tokens) / len(test_tokens)")))
def _(my_oov_rate):
    _need_function(my_oov_rate, "my_oov_rate", "train_tokens, test_tokens, min_freq")
    cases = [(_TRAIN, _TEST, k) for k in _CUTOFFS]
    train, test = _course_oov_case()
    cases += [(list(train), list(test), k) for k in (1, 2, 3)]
    results = []
    for train, test, k in cases:
        got = as_number(my_oov_rate(list(train), list(test), k), tr("my_oov_rate's result", "my_oov_rate 的结果"))
        results.append((train, test, k, got, oov_rate(test, Vocab.build(train, min_freq=k))))
    toy = results[: len(_CUTOFFS)]
    if len({got for *_, got, _ in toy}) == 1 and len({expected for *_, expected in toy}) > 1:
        raise NotYet(tr(f"Your function gives {toy[0][3]:.4f} for every min_freq in {_CUTOFFS}: the cutoff must "
                        "change which words the vocabulary keeps",
                        f"对 {_CUTOFFS} 中的每个 min_freq，你的函数都给出 {toy[0][3]:.4f}：阈值应当改变词表保留哪些词"))
    for number, (train, test, k, got, expected) in enumerate(results):
        if abs(got - expected) > 1e-6:  # float32 (a tensor) is close enough
            mistake = _oov_mistake(train, test, k, got, expected)
            small = number < len(_CUTOFFS)
            where = tr("On the small example" if small else "On lines of the held-out plays",
                       "在小例子上" if small else "在留出剧本的若干行上")
            raise NotYet(tr(f"{where}, with min_freq={k} the OOV rate is {expected:.4f}, your function gives "
                            f"{got:.4f}" + (f": {mistake}" if mistake else ""),
                            f"{where}，min_freq={k} 时未登录词率应为 {expected:.4f}，你的函数给出的是 "
                            f"{got:.4f}" + (f"：{mistake}" if mistake else "")))
    return tr("Raising the cutoff shrinks the vocabulary and raises the OOV rate.",
              "提高阈值会缩小词表，未登录词率随之升高。")


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
        return tr(f"{got!r} is one of the question words; they can never be the answer",
                  f"{got!r} 是题目中的词；题目中的词永远不能作为答案")
    if got == _best(vectors, unit @ (unit[ix[a]] - unit[ix[b]] + unit[ix[c]]), (a, b, c)):
        return tr("your answer comes from the offset taken the wrong way round (from b back to a)",
                  "这个答案来自方向取反的偏移量（从 b 回到 a）")
    if got == _best(vectors, raw @ target, (a, b, c)) or got == _best(vectors, raw @ (raw[ix[b]] - raw[ix[a]]
                                                                                    + raw[ix[c]]), (a, b, c)):
        return tr("your scores are raw dot products, which favour long (frequent-word) vectors; the lesson ranks "
                  "words by cosine similarity",
                  "你的得分是原始点积，它偏向较长的向量（高频词的向量）；而本课按余弦相似度给词排序")
    if got == _best(vectors, unit @ (raw[ix[b]] - raw[ix[a]] + raw[ix[c]]), (a, b, c)):
        return tr("your target is built from the raw vectors, so the longest of the three dominates it",
                  "你的目标向量由未归一化的原始向量构成，于是三者中最长的那个主导了它")
    similarity = {w: (unit @ unit[ix[w]] + 1) / 2 for w in (a, b, c)}
    if got == _best(vectors, similarity[b] * similarity[c] / (similarity[a] + 1e-3), (a, b, c)):
        return tr("your rule multiplies and divides similarities (3CosMul); the lesson's rule adds and subtracts "
                  "the vectors themselves, and the two disagree on some of the course's analogies",
                  "你的规则把相似度相乘、相除（3CosMul）；本课的规则是把向量本身相加、相减，"
                  "两者在课程的部分类比题上答案不同")
    return ""


# the categories of the course's analogy set (data/lesson01_analogies.txt), in Chinese
_CATEGORIES_ZH = {"capitals": "首都", "gender": "性别", "past tense": "过去式", "plurals": "复数"}


@exercise("01.3", Text("solve an analogy with vector arithmetic", "用向量运算解类比题"),
          hints=(Text("section 5.1 builds one target vector out of the three question words and looks for the word "
                      "closest to it",
                      "第 5.1 节用题目中的三个词构造出一个目标向量，再找离它最近的词"),
                 Text("for unit-length rows, a matrix-vector product unit @ target gives every word's cosine with the "
                      "target (up to the target's length); the question words themselves never count as answers",
                      "各行都是单位长度时，矩阵与向量的乘积 unit @ target 给出每个词与目标向量的余弦"
                      "（只差目标向量的长度这一个因子）；题目中的词本身永远不算答案"),
                 Text("target = unit[index[b]] - unit[index[a]] + unit[index[c]]; go through np.argsort(-(unit @ "
                      "target)) and return the first word that is not a, b or c",
                      "先 target = unit[index[b]] - unit[index[a]] + unit[index[c]]，再按 np.argsort(-(unit @ "
                      "target)) 的顺序逐个查看，返回第一个不是 a、b、c 的词")))
def _(solve_analogy):
    from ..embeddings import glove_vectors, load_analogies

    _need_function(solve_analogy, "solve_analogy", "vectors, a, b, c")
    toy = _toy_vectors()
    glove = glove_vectors(100_000)  # the same cached copy the notebook uses
    cases = [(toy, "man", "king", "woman", ""), (toy, "woman", "queen", "man", ""),
             (glove, "france", "paris", "japan", ""), (glove, "go", "went", "see", "")]
    cases += [(glove, q.a, q.b, q.c, tr(f" by the lesson's rule (right or wrong, that is its answer to this question "
                                         f"of the course's analogy set, category {q.category})",
                                         f"（这是本课规则给出的答案，无论对错；此题出自课程类比题集的"
                                         f"“{_CATEGORIES_ZH.get(q.category, q.category)}”类）"))
              for q in load_analogies() if all(w in glove for w in (q.a, q.b, q.c))]
    for vectors, a, b, c, where in cases:
        expected = vectors.analogy(a, b, c, k=1)[0][0]
        got = solve_analogy(vectors, a, b, c)
        if isinstance(got, tuple) and got and isinstance(got[0], str):
            raise NotYet(tr(f"Return only the word (a str), not {got!r}",
                            f"只返回那个词（一个 str），不要返回 {got!r}"))
        if not isinstance(got, str):
            raise NotYet(tr(f"solve_analogy should return a word (a str), got {type(got).__name__} {got!r:.60}",
                            f"solve_analogy 应当返回一个词（一个 str），却得到了 {type(got).__name__} {got!r:.60}"))
        if got != expected:
            mistake = _analogy_mistake(vectors, a, b, c, got)
            raise NotYet(tr(f"{a} : {b} :: {c} : ? should give {expected!r}{where}, your function gives {got!r}"
                            + (f": {mistake}" if mistake else ""),
                            f"{a} : {b} :: {c} : ? 应得出 {expected!r}{where}，你的函数给出的是 {got!r}"
                            + (f"：{mistake}" if mistake else "")))
    return tr(f"This is 3CosAdd, the method of Mikolov et al. (2013); it agrees on all {len(cases)} test questions.",
              f"这就是 3CosAdd，即 Mikolov 等人（2013）的方法；在全部 {len(cases)} 道测试题上都与本课的答案一致。")


# ---- 01.4 Chinese content words

_ZH_CASES = [
    "我们要学会与人工智能协作。",
    "生成式模型学习数据本身的分布，而判别式模型学习如何区分类别。",
    "这是一个非常有用的工具！",
    "",
]


@exercise("01.4", Text("Chinese content words", "中文实词"),
          hints=(Text("first split the sentence into words, then decide word by word what to keep",
                      "先把句子切分成词，再逐个词决定留下哪些"),
                 Text("zh_segment gives the words; a word goes when it is in chinese_stop_words() or when "
                      "is_punctuation says it is punctuation",
                      "zh_segment 给出切分好的词；一个词如果在 chinese_stop_words() 里，或者 is_punctuation "
                      "判定它是标点，就去掉"),
                 Text("stop = chinese_stop_words(); "
                      "return [w for w in zh_segment(sentence) if w not in stop and not is_punctuation(w)]",
                      "先 stop = chinese_stop_words()，"
                      "再 return [w for w in zh_segment(sentence) if w not in stop and not is_punctuation(w)]")))
def _(content_words):
    from ..text import course_zh_sentences

    _need_function(content_words, "content_words", "sentence")
    stop = chinese_stop_words()
    for sentence in [*_ZH_CASES, *course_zh_sentences()]:
        words = zh_segment(sentence)
        expected = [w for w in words if w not in stop and not is_punctuation(w)]
        got = content_words(sentence)
        if isinstance(got, str) or not isinstance(got, (list, tuple)):
            raise NotYet(tr(f"content_words should return a list of words, got {type(got).__name__} {got!r:.60}",
                            f"content_words 应当返回一个由词组成的列表，却得到了 {type(got).__name__} {got!r:.60}"))
        got = list(got)
        if got == expected:
            continue
        mistakes = []
        if any(w in stop for w in got):
            stop_word = next(w for w in got if w in stop)
            mistakes.append(tr(f"stop words such as {stop_word!r} are still in your list",
                               f"你的列表里还留着 {stop_word!r} 这样的停用词"))
        if any(is_punctuation(w) for w in got):
            mistakes.append(tr("punctuation is still in your list", "标点也还在" if mistakes else "你的列表里还留着标点"))
        if not mistakes and got and all(len(w) == 1 for w in got) and any(len(w) > 1 for w in expected):
            mistakes.append(tr("your list holds single characters: the sentence must be segmented into words first",
                               "你的列表里都是单个的字，而句子要先切分成词"))
        if not mistakes and set(got) < set(expected):
            dropped = next(w for w in expected if w not in got)
            mistakes.append(tr(f"your list drops content words such as {dropped!r}",
                               f"你的列表漏掉了 {dropped!r} 这样的实词"))
        mistake = tr("; ", "；").join(mistakes)
        raise NotYet(tr(f"For {sentence!r} the content words are {expected!r}, your function gives {got!r}"
                        + (f": {mistake}" if mistake else ""),
                        f"对于 {sentence!r}，实词应为 {expected!r}，你的函数给出的是 {got!r}"
                        + (f"：{mistake}" if mistake else "")))
    return tr("Good for topics and search; a language model would keep every word.",
              "这适合用于主题分析和搜索；语言模型则会保留每一个词。")

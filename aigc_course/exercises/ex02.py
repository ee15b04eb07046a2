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

from ..language import Text, space_after, tr
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
# how the messages name each of CORPORA, in both languages
_CORPUS_NAMES = {"TOY": Text("TOY", "TOY"),
                 "the notebook's toy corpus": Text("the notebook's toy corpus", "笔记本里的玩具语料"),
                 "a third corpus": Text("a third corpus", "第三个语料")}

Case = tuple[str, Any, dict[str, Any]]  # (what was asked, the learner's answer, right value and each mistake's)


def _require_function(answer: Any, name: str) -> Callable:
    if not callable(answer):
        raise NotYet(tr(f"{name} should be a function you define with def {name}(...), got {type(answer).__name__}.",
                        f"{name} 应当是你用 def {name}(...) 定义的函数，却得到了 {type(answer).__name__}。"))
    return answer


def _then(phrase: str, chinese: str) -> str:
    """``phrase`` followed by ``chinese``, a space between them when ``phrase`` ends in code or a number."""
    return f"{phrase}{space_after(phrase)}{chinese}"


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
    example = tr(f"{what} should be {shown(values['right'])}, yours gives {shown(got)}",
                 _then(what, f"应为 {shown(values['right'])}，你的结果是 {shown(got)}"))
    for mistake, message in mistakes.items():
        if all(same(answer, vals[mistake]) for _, answer, vals in cases):
            raise NotYet(tr(f"{message} ({example}).", f"{message}（{example}）。"))
    raise NotYet(tr(f"{example[0].upper()}{example[1:]}.", f"{example}。"))


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
    "no boundaries": Text("Your function ignores the sentence boundaries: it never counts '<s>' before the first word "
                          "or '</s>' after the last one",
                          "你的函数忽略了句子边界：它从不计入第一个词之前的 '<s>'，也不计入最后一个词之后的 '</s>'"),
    "joint": Text("Your function divides by the number of all word pairs: that is how often the pair occurs among all "
                  "pairs (a joint probability), not the probability of `word` once `previous` has come",
                  "你的函数除以了全部词对的个数：这是该词对在所有词对中出现的频率（联合概率），"
                  "而不是 `previous` 出现之后紧接着出现 `word` 的概率"),
    "count": Text("Your function returns how many times the pair occurs: a count, not a probability",
                  "你的函数返回的是该词对出现的次数：这是计数，不是概率"),
    "conditioned on word": Text("Your function divides by how often `word` is followed by something; the condition "
                                "is `previous`, the token that comes first",
                                "你的函数除以的是 `word` 后面跟有词元的次数；条件应是 `previous`，即先出现的那个词元"),
    "swapped": Text("Your function reads the pair backwards: it estimates P(previous | word)",
                    "你的函数把词对读反了：它估计的是 P(previous | word)"),
}


@exercise("02.1", Text("bigram MLE by hand", "手算二元语法 MLE"),
          hints=(Text("A conditional probability counts only the cases where the condition holds: of all the times "
                      "`previous` is followed by something, in how many is it followed by `word`?",
                      "条件概率只统计条件成立的情形：在 `previous` 后面跟着某个词元的所有情形中，"
                      "有多少次跟的是 `word`？"),
                 Text("Pad first (['<s>'] + sentence + ['</s>']), then walk over neighbouring pairs with "
                      "zip(padded, padded[1:]) and keep two counters.",
                      "先补上边界标记（['<s>'] + sentence + ['</s>']），再用 zip(padded, padded[1:]) "
                      "遍历相邻的词对，同时维护两个计数。"),
                 Text("P(word | previous) = C(previous word) / C(previous ·): the number of pairs (previous, word) "
                      "divided by the number of pairs whose first token is previous; 0.0 when that is 0.",
                      "P(word | previous) = C(previous word) / C(previous ·)：词对 (previous, word) 的个数，"
                      "除以第一个词元是 previous 的词对的个数；后者为 0 时结果为 0.0。")))
def _(bigram_mle):
    _require_function(bigram_mle, "bigram_mle")
    for key, corpus in CORPORA.items():
        name = _CORPUS_NAMES[key]
        cases = []
        for previous in _vocabulary(corpus):
            for word in _vocabulary(corpus):
                if word == "<s>":
                    continue
                what = f"bigram_mle({name}, {word!r}, {previous!r})"
                try:
                    got = as_number(bigram_mle([list(s) for s in corpus], word, previous), what)
                except ZeroDivisionError:
                    raise NotYet(tr(f"{what} divides by zero: {previous!r} is never followed by anything there, "
                                    "and the exercise asks for 0.0 in that case.",
                                    f"{what} 除以了零：在那里 {previous!r} 后面从未跟过任何词元，"
                                    "练习要求这种情况返回 0.0。")) from None
                cases.append((what, got, mle_values(corpus, word, previous)))
        if any(not 0.0 <= got <= 1.0 for _, got, _ in cases) and not all(
                _close(got, values["count"]) for _, got, values in cases):
            what, got, _ = next(case for case in cases if not 0.0 <= case[1] <= 1.0)
            raise NotYet(tr(f"{what} gives {got:g}, which is not a probability (it must lie between 0 and 1).",
                            f"{what} 给出 {got:g}，这不是概率（概率必须在 0 到 1 之间）。"))
        _diagnose(cases, _MLE_MISTAKES, _close, lambda x: f"{x:.6f}")
    return tr("That is the maximum-likelihood estimate C(previous word) / C(previous ·).",
              "这就是最大似然估计 C(previous word) / C(previous ·)。")


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
    "every occurrence": Text("Your function counts every occurrence of a token before `word`; the exercise asks for "
                             "*distinct* tokens, so a token seen there many times counts once",
                             "你的函数把 `word` 之前的词元每出现一次就计一次；练习要的是*不同*的词元，"
                             "一个词元在那里出现多次也只算一次"),
    "raw count": Text("Your function returns how often `word` itself occurs (its raw count), not the number of "
                      "*distinct* tokens that come right before it",
                      "你的函数返回的是 `word` 本身出现的次数（原始计数），而不是紧挨在它之前的*不同*词元的个数"),
    "no boundaries": Text("Your function ignores the sentence boundaries: a first word has '<s>' before it, and "
                          "'</s>' has the last word before it",
                          "你的函数忽略了句子边界：句首的词前面有 '<s>'，而 '</s>' 前面是句子的最后一个词"),
    "no <s>": Text("Your function misses '<s>': a word that starts a sentence has '<s>' right before it",
                   "你的函数漏掉了 '<s>'：位于句首的词，紧挨在它前面的是 '<s>'"),
    "no </s>": Text("Your function never puts '</s>' at the end of a sentence, so nothing comes before '</s>'",
                    "你的函数从不在句末补上 '</s>'，于是 '</s>' 前面什么也没有"),
    "after": Text("Your function collects the tokens that come right *after* `word`; the exercise asks for those "
                  "right before it",
                  "你的函数收集的是紧跟在 `word` *之后*的词元；练习要的是紧挨在它之前的词元"),
}


@exercise("02.2", Text("continuation counts", "接续计数"),
          hints=(Text("Kneser-Ney asks 'in how many different contexts does this word appear?': a token seen before "
                      "the word many times counts once.",
                      "Kneser–Ney 问的是“这个词出现在多少种不同的上下文里？”：一个词元即使在这个词之前出现多次，"
                      "也只算一次。"),
                 Text("Pad each sentence with '<s>' and '</s>' first, then look at neighbouring pairs (a, b).",
                      "先给每个句子补上 '<s>' 和 '</s>'，再看相邻的词对 (a, b)。"),
                 Text("Add a to a set for every pair (a, b) with b == word; the answer is the size of that set.",
                      "对每个满足 b == word 的词对 (a, b)，把 a 放进一个集合；答案就是这个集合的大小。")))
def _(continuation_count):
    _require_function(continuation_count, "continuation_count")
    for key, corpus in CORPORA.items():
        name = _CORPUS_NAMES[key]
        cases = []
        for word in _vocabulary(corpus):
            if word == "<s>":
                continue
            what = f"continuation_count({name}, {word!r})"
            got = as_number(continuation_count([list(s) for s in corpus], word), what)
            cases.append((what, got, continuation_values(corpus, word)))
        _diagnose(cases, _CONTINUATION_MISTAKES, lambda a, b: a == b, lambda x: f"{x:g}")
    return tr("Kneser-Ney's unigram level counts these, not raw frequencies.",
              "Kneser–Ney 的一元语法层统计的正是这个量，而不是原始频次。")


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
    "total": Text("Your function uses the total log-probability of the text; perplexity is per token, so it must not "
                  "grow with the length of the text",
                  "你的函数用的是整段文本的总对数概率；困惑度是按词元平均的，不应随文本变长而增大"),
    "base 2": Text("Your function mixes bases: these log-probabilities are natural logs (nats), but it raises 2 to "
                   "the cross-entropy",
                   "你的函数混用了底数：这些对数概率是自然对数（单位是纳特），它却求 2 的交叉熵次幂"),
    "base 10": Text("Your function mixes bases: these log-probabilities are natural logs (nats), but it raises 10 to "
                    "the cross-entropy",
                    "你的函数混用了底数：这些对数概率是自然对数（单位是纳特），它却求 10 的交叉熵次幂"),
    "cross-entropy": Text("Your function returns the cross-entropy (nats per token), one step before the perplexity",
                          "你的函数返回的是交叉熵（纳特/词元），离困惑度还差一步"),
    "sign": Text("Your function has the sign the wrong way round: its result is below 1, but a perplexity is at "
                 "least 1",
                 "你的函数把符号弄反了：它的结果小于 1，而困惑度至少为 1"),
    "arithmetic": Text("Your function averages the probabilities themselves; perplexity averages their logarithms",
                       "你的函数对概率本身取平均；困惑度平均的是它们的对数"),
    "n + 1": Text("Your function divides by one token too many: every entry of the list is one prediction "
                  "(the '</s>' ones are in it already)",
                  "你的函数多除了一个词元：列表中的每一项都是一次预测（'</s>' 的那些已经包含在内）"),
}


@exercise("02.3", Text("perplexity from log-probabilities", "由对数概率求困惑度"),
          hints=(Text("Perplexity is 'the number of equally likely choices': a model that gives every token "
                      "probability 1/8 has perplexity 8, whatever the length of the text.",
                      "困惑度就是“等可能选项的个数”：一个给每个词元都分配概率 1/8 的模型，不论文本多长，"
                      "困惑度都是 8。"),
                 Text("Go through the cross-entropy first: an average over the tokens, in nats.",
                      "先求交叉熵：它是对所有词元的平均，单位是纳特。"),
                 Text("cross-entropy H = -(sum of the log-probabilities) / (number of them); perplexity = exp(H).",
                      "交叉熵 H = -(对数概率之和) / (对数概率的个数)；困惑度 = exp(H)。")))
def _(perplexity):
    _require_function(perplexity, "perplexity")
    lm = NGramLM(3, "mkn").fit(TOY)
    held_out = [["the", "cat", "sat"], ["a", "dog", "saw", "the", "mat"]]
    given = {tr("the log-probabilities of a held-out text (a NumPy array)",
                "一段留出文本的对数概率（NumPy 数组）"): lm.token_logprobs(held_out),
             "[ln(1/8)] * 5": [math.log(1 / 8)] * 5,
             "[ln(1/8)] * 50": [math.log(1 / 8)] * 50,
             "[ln(0.5), ln(0.125)]": [math.log(0.5), math.log(0.125)],
             tr("[0.0, 0.0, 0.0] (every token certain)", "[0.0, 0.0, 0.0]（每个词元都确定无疑）"): [0.0, 0.0, 0.0]}
    cases = []
    for what, logprobs in given.items():
        copy = logprobs.copy()
        got = as_number(perplexity(copy), f"perplexity({what})")
        cases.append((tr(f"the perplexity of {what}", _then(what, "的困惑度")), got,
                      perplexity_values([float(x) for x in logprobs])))
    _diagnose(cases, _PERPLEXITY_MISTAKES, _close, lambda x: f"{x:.4f}")
    return tr("Perplexity: the effective number of equally likely choices per token.",
              "困惑度：每个词元上等效的等可能选项个数。")


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
    "not normalised": Text("Your result does not sum to 1: after reshaping, the vector has to be renormalised",
                           "你的结果加起来不等于 1：重塑之后，向量还要重新归一化"),
    "inverted": Text("Your temperature acts the wrong way round: T < 1 should sharpen the distribution (the likely "
                     "tokens gain) and T > 1 flatten it, yours does the opposite",
                     "你的温度作用方向反了：T < 1 应使分布更尖锐（可能性大的词元概率更高），T > 1 应使它更平坦，"
                     "你的结果正好相反"),
    "logits": Text("Your function treats the probabilities as logits (scores before a softmax); here the input is "
                   "already a probability vector",
                   "你的函数把概率当成了 logits（softmax 之前的得分）；这里的输入已经是概率向量了"),
    "divided": Text("dividing the probabilities by T only rescales them, and then they no longer sum to 1; the shape "
                    "of the distribution has to change",
                    "把概率除以 T 只是整体缩放，缩放后它们的和就不再是 1；要改变的是分布的形状"),
    "unchanged": Text("Your result does not depend on the temperature: it is the distribution it was given",
                      "你的结果与温度无关：它就是传入的那个分布"),
}


def _same_vector(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


@exercise("02.4", Text("temperature", "温度"),
          hints=(Text("Think of the limits: as T -> 0 all the mass should go to the most likely token, at T = 1 "
                      "nothing changes, and as T grows the distribution becomes uniform.",
                      "想想极限情形：T -> 0 时，全部概率质量应集中到最可能的词元上；T = 1 时分布不变；"
                      "T 越大，分布越接近均匀。"),
                 Text("Reshape every probability with the same power, then make the vector sum to 1 again.",
                      "对每个概率取同一个幂来重塑，再让向量的和重新等于 1。"),
                 Text("scaled = p ** (1 / T), then return scaled / scaled.sum().",
                      "先 scaled = p ** (1 / T)，再 return scaled / scaled.sum()。")))
def _(apply_temperature):
    _require_function(apply_temperature, "apply_temperature")
    vectors = {"[0.5, 0.25, 0.15, 0.1]": np.array([0.5, 0.25, 0.15, 0.1]),
               "[0.7, 0.2, 0.1, 0.0]": np.array([0.7, 0.2, 0.1, 0.0]),  # a token with probability 0 stays at 0
               tr("a peaked distribution over 50 tokens", "50 个词元上的一个尖峰分布"):
                   np.random.default_rng(2).dirichlet(np.full(50, 0.3))}
    cases = []
    for name, p in vectors.items():
        for t in (1.0, 0.5, 2.0, 0.2, 5.0):
            given = p.copy()
            result = apply_temperature(given, t)
            if result is None:
                raise NotYet(tr("apply_temperature returns None: return the reshaped vector.",
                                "apply_temperature 返回了 None：应返回重塑后的向量。"))
            if not np.array_equal(given, p):
                raise NotYet(tr("Your function changes the probability vector it was given (in place); "
                                "return a new vector and leave the input as it was.",
                                "你的函数（原地）修改了传入的概率向量；应返回一个新向量，输入保持原样。"))
            got = np.asarray(result, dtype=np.float64)
            if got.shape != p.shape:
                raise NotYet(tr(f"the result should have the shape of the input, {p.shape}, got {got.shape}.",
                                f"结果的形状应与输入相同，即 {p.shape}，却得到了 {got.shape}。"))
            cases.append((f"apply_temperature({name}, {t:g})", got, temperature_values(p, t)))
    _diagnose(cases, _TEMPERATURE_MISTAKES, _same_vector,
              lambda v: str(np.round(v[:4], 4).tolist())[:-1] + (", ...]" if len(v) > 4 else "]"))
    return tr("Low T sharpens the distribution, high T flattens it.",
              "低温使分布更尖锐，高温使它更平坦。")

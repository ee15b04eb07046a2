"""Behaviour of aigc_course.ngram: hand-computed probabilities, normalisation, scoring, generation, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aigc_course.ngram import (NGramLM, NotFittedError, char_sentences, corpus_nats_per_char, estimate_discounts,
                               reshape_distribution, sample_tokens, write_arpa)
from aigc_course.per_char import nats_per_char

# <s> a b </s> | <s> a c </s> | <s> b </s>
TOY = [["a", "b"], ["a", "c"], ["b"]]
# Predictable tokens: <unk>, </s>, a, b, c  ->  |V| = 5.

CORPUS = [
    "the cat sat on the mat".split(),
    "the dog sat on the log".split(),
    "a cat saw the dog".split(),
    "the cat and the dog sat".split(),
    ["mat"],
    "on the mat the cat sat and sat".split(),
]
CONTEXTS = [(), ("the",), ("<s>",), ("<s>", "the"), ("the", "cat"), ("sat", "on", "the"), ("zebra",),
            ("zebra", "the"), ("the", "zebra"), ("cat", "<s>", "the"), ("mat",), ("a", "cat", "saw", "the")]


def test_mle_by_hand():
    lm = NGramLM(2, "mle").fit(TOY)
    assert lm.prob("b", ["a"]) == pytest.approx(1 / 2, abs=1e-15)
    assert lm.prob("a", ["<s>"]) == pytest.approx(2 / 3, abs=1e-15)
    assert lm.prob("</s>", ["b"]) == pytest.approx(1.0, abs=1e-15)
    assert lm.prob("c", ["b"]) == 0.0
    assert lm.prob("<unk>", ["a"]) == 0.0
    # unigram (empty context): counts over everything but <s>: a2 b2 c1 </s>3
    assert lm.prob("a", []) == pytest.approx(2 / 8, abs=1e-15)
    # an unseen context falls back to the longest seen suffix (here: no context at all)
    assert lm.prob("a", ["zebra"]) == pytest.approx(2 / 8, abs=1e-15)
    assert lm.perplexity([["b", "c"]]) == math.inf  # P(c | b) = 0: the zero-probability problem


def test_addk_by_hand():
    lm = NGramLM(2, "addk", k=1.0).fit(TOY)
    assert lm.prob("b", ["a"]) == pytest.approx(2 / 7, abs=1e-15)
    assert lm.prob("a", ["<s>"]) == pytest.approx(3 / 8, abs=1e-15)
    assert lm.prob("c", ["b"]) == pytest.approx(1 / 7, abs=1e-15)
    assert lm.prob("a", []) == pytest.approx(3 / 13, abs=1e-15)
    assert lm.prob("a", ["zebra"]) == pytest.approx(1 / 5, abs=1e-15)  # unseen context: uniform
    half = NGramLM(2, "addk", k=0.5).fit(TOY)
    assert half.prob("b", ["a"]) == pytest.approx(1.5 / 4.5, abs=1e-15)


def test_kneser_ney_by_hand():
    lm = NGramLM(2, "kn", discount=0.5).fit(TOY)
    # continuation counts: a {<s>} 1, b {a, <s>} 2, c {a} 1, </s> {b, c} 2; total 6
    # unigram: (N1+ - 0.5) / 6 + gamma0 / 5 with gamma0 = 0.5 * 4 / 6
    p_b = 1.5 / 6 + (2 / 6) / 5
    assert lm.prob("b", []) == pytest.approx(p_b, abs=1e-15)
    assert lm.prob("<unk>", []) == pytest.approx((2 / 6) / 5, abs=1e-15)
    # bigram: context a has a b:1, a c:1 -> alpha = 0.5 / 2, gamma(a) = 0.5 * 2 / 2
    assert lm.prob("b", ["a"]) == pytest.approx(0.25 + 0.5 * p_b, abs=1e-15)
    assert lm.prob("</s>", ["a"]) == pytest.approx(0.5 * p_b, abs=1e-15)
    assert lm.discounts == [(0.5, 0.5, 0.5)] * 2


def test_modified_kneser_ney_by_hand():
    lm = NGramLM(2, "mkn").fit(TOY)
    # counts-of-counts too small to estimate: KenLM's fallback discounts (0.5, 1.0, 1.5)
    assert lm.discount_fallback == [True, True]
    assert lm.discounts == [(0.5, 1.0, 1.5)] * 2
    # unigram: a1 b2 c1 </s>2 -> alpha = (1-.5)/6, (2-1)/6; gamma0 = (.5*2 + 1*2)/6 = .5
    p_a = 0.5 / 6 + 0.5 / 5
    assert lm.prob("a", []) == pytest.approx(p_a, abs=1e-15)
    # context <s>: <s> a 2, <s> b 1 -> alpha(a) = (2-1)/3, gamma = (.5*1 + 1*1)/3
    assert lm.prob("a", ["<s>"]) == pytest.approx(1 / 3 + 0.5 * p_a, abs=1e-15)


def test_estimate_discounts_formula():
    adjusted = np.array([1, 1, 1, 1, 2, 2, 3, 3, 4, 0])  # t1=4 t2=2 t3=2 t4=1
    (d1, d2, d3), fallback = estimate_discounts(adjusted, modified=True)
    assert not fallback
    y = 4 / (4 + 2 * 2)
    assert (d1, d2, d3) == pytest.approx((1 - 2 * y * 2 / 4, 2 - 3 * y * 2 / 2, 3 - 4 * y * 1 / 2))
    (d,) = set(estimate_discounts(adjusted, modified=False)[0])
    assert d == pytest.approx(y)
    assert estimate_discounts(np.array([1, 1, 1]), modified=True) == ((0.5, 1.0, 1.5), True)
    # no n-gram seen four times: D3+ = 3 exactly, as KenLM computes it (no fallback)
    (d1, d2, d3), fallback = estimate_discounts(np.array([1, 1, 1, 2, 3]), modified=True)
    assert not fallback and d3 == 3.0
    # no n-gram seen three times: D2 and D3+ are undefined -> fallback
    assert estimate_discounts(np.array([1, 1, 2, 4]), modified=True)[1]


@pytest.mark.parametrize("smoothing", ["mle", "addk", "kn", "mkn"])
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_distributions_sum_to_one_and_match_logprob(smoothing, order):
    lm = NGramLM(order, smoothing, k=0.3).fit(CORPUS)
    for context in CONTEXTS:
        dist = lm.next_token_distribution(context)
        assert "<s>" not in dist and "<unk>" in dist and "</s>" in dist
        assert sum(dist.values()) == pytest.approx(1.0, abs=1e-9)
        for token in ["the", "cat", "</s>", "<unk>", "mat"]:
            assert lm.prob(token, context) == pytest.approx(dist[token], rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("smoothing", ["mle", "addk", "kn", "mkn"])
def test_sentence_logprob_is_the_chain_rule(smoothing):
    lm = NGramLM(3, smoothing).fit(CORPUS)
    sentence = "the cat sat on the zebra".split()
    chain = sum(lm.logprob(t, ["<s>"] + sentence[:i]) for i, t in enumerate(sentence + ["</s>"]))
    got = lm.sentence_logprob(sentence)
    assert got == chain or got == pytest.approx(chain, rel=1e-12)
    assert lm.prob("<s>", ["the"]) == 0.0


def test_cross_entropy_counts_end_of_sentence():
    lm = NGramLM(2, "kn").fit(CORPUS)
    held_out = [["the", "cat"], ["a", "dog", "sat"]]
    total = sum(lm.sentence_logprob(s) for s in held_out)
    n_predictions = 2 + 1 + 3 + 1  # words plus one </s> per sentence
    assert lm.cross_entropy(held_out) == pytest.approx(-total / n_predictions, rel=1e-12)
    assert lm.perplexity(held_out) == pytest.approx(math.exp(-total / n_predictions), rel=1e-12)
    assert lm.total_logprob(held_out) == (pytest.approx(total), n_predictions)
    assert lm.oov_rate([["the", "zebra"]]) == 0.5


def test_context_longer_than_order_is_trimmed():
    lm = NGramLM(3, "mkn").fit(CORPUS)
    assert lm.logprob("sat", ["a", "b", "the", "cat"]) == lm.logprob("sat", ["the", "cat"])
    assert lm.logprob("cat", ["dog", "<s>", "the"]) == lm.logprob("cat", ["<s>", "the"])


def test_more_context_helps_on_training_text():
    ppl = [NGramLM(n, "mkn").fit(CORPUS).perplexity(CORPUS) for n in (1, 2, 3)]
    assert ppl[0] > ppl[1] > ppl[2] > 1


def test_unigram_model_ignores_context():
    lm = NGramLM(1, "mkn").fit(CORPUS)
    assert lm.prob("cat", ["the"]) == lm.prob("cat", [])


def test_generate_is_seeded_and_clean():
    lm = NGramLM(3, "mkn").fit(CORPUS)
    a = sample_tokens(lm, 20, seed=3)
    assert a == sample_tokens(lm, 20, seed=3)
    assert all(t not in ("<s>", "</s>", "<unk>") for t in a)
    assert len(sample_tokens(lm, 4, seed=1)) <= 4
    assert sample_tokens(lm, 0, seed=1) == []
    greedy = sample_tokens(lm, 10, seed=0, temperature=0)
    assert greedy == sample_tokens(lm, 10, seed=99, temperature=0) == sample_tokens(lm, 10, seed=5, top_k=1)
    # greedy follows the argmax of each next-token distribution
    history = ["<s>"]
    for token in greedy:
        dist = lm.next_token_distribution(history[-2:])
        dist.pop("<unk>")
        assert token == max(dist, key=dist.get)
        history.append(token)
    assert sample_tokens(lm, 5, seed=0, context=["the", "cat"]) == sample_tokens(lm, 5, seed=0, context=["<s>", "the", "cat"])


def test_reshape_distribution():
    p = np.array([0.5, 0.3, 0.2, 0.0])
    assert reshape_distribution(p, 1.0) == pytest.approx(p)
    assert reshape_distribution(p, 0) == pytest.approx([1, 0, 0, 0])
    sharp = reshape_distribution(p, 0.5)
    assert sharp == pytest.approx(p**2 / (p**2).sum())
    assert reshape_distribution(p, 1.0, top_k=2) == pytest.approx([0.625, 0.375, 0, 0])
    flat = reshape_distribution(p, 100.0)
    assert flat[:3] == pytest.approx([1 / 3] * 3, abs=0.01) and flat[3] == 0


def test_char_convention():
    assert char_sentences("ab\nc\n") == [["a", "b"], ["c"]]
    assert char_sentences("ab\n\nc") == [["a", "b"], [], ["c"]]
    assert char_sentences("") == []
    text = "to be\nor not\n"
    lm = NGramLM(3, "mkn").fit(char_sentences("to be or not to be\nthat is\n"))
    total = sum(lm.sentence_logprob(s) for s in char_sentences(text))
    assert nats_per_char(lm, text) == pytest.approx(-total / len(text), rel=1e-12)
    assert corpus_nats_per_char(lm, char_sentences(text), len(text)) == pytest.approx(-total / len(text))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, error, words", [
    (dict(order=0), ValueError, "order"),
    (dict(order=-2), ValueError, "order"),
    (dict(order=2.0), TypeError, "order"),
    (dict(order=True), TypeError, "order"),
    (dict(order="3"), TypeError, "order"),
    (dict(order=3, smoothing="laplace"), ValueError, "smoothing"),
    (dict(order=3, smoothing="addk", k=0), ValueError, "k must"),
    (dict(order=3, smoothing="addk", k=-1), ValueError, "k must"),
    (dict(order=3, smoothing="addk", k=float("nan")), ValueError, "k must"),
    (dict(order=3, smoothing="kn", discount=1.0), ValueError, "discount"),
    (dict(order=3, smoothing="kn", discount=-0.1), ValueError, "discount"),
    (dict(order=3, smoothing="mkn", discount=0.5), ValueError, "discount"),
])
def test_bad_constructor_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        NGramLM(**kwargs)


@pytest.mark.parametrize("corpus, error", [
    ([], ValueError),
    ([[], []], ValueError),
    ("the cat sat", TypeError),
    (["the cat sat"], TypeError),
    ([["the", 3]], TypeError),
    ([["the", "</s>"]], ValueError),
    ([["<s>", "the"]], ValueError),
    (42, TypeError),
])
def test_bad_corpus(corpus, error):
    with pytest.raises(error):
        NGramLM(2).fit(corpus)


def test_not_fitted():
    lm = NGramLM(2)
    for call in (lambda: lm.logprob("a", []), lambda: lm.perplexity([["a"]]), lambda: sample_tokens(lm, 3, 0),
                 lambda: lm.next_token_distribution([]), lambda: write_arpa(lm, "x.arpa")):
        with pytest.raises(NotFittedError, match="fit"):
            call()


def test_bad_scoring_and_generation_arguments():
    lm = NGramLM(2).fit(CORPUS)
    with pytest.raises(TypeError, match="context"):
        lm.logprob("the", "the cat")
    with pytest.raises(TypeError, match="token"):
        lm.logprob(3, [])
    with pytest.raises(ValueError, match="</s>"):
        lm.logprob("the", ["cat", "</s>"])
    with pytest.raises(ValueError, match="empty"):
        lm.cross_entropy([])
    with pytest.raises(ValueError, match="max_tokens"):
        sample_tokens(lm, -1, 0)
    with pytest.raises(ValueError, match="seed"):
        sample_tokens(lm, 5, 1.5)
    with pytest.raises(ValueError, match="temperature"):
        sample_tokens(lm, 5, 0, temperature=-1)
    with pytest.raises(ValueError, match="top_k"):
        sample_tokens(lm, 5, 0, top_k=0)
    with pytest.raises(TypeError, match="text"):
        char_sentences(["ab"])


# ------------------------------------------------------------ pictures, widget
def test_top_next_tokens_and_static_chart():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aigc_course.ngram.plots import plot_perplexity_by_order, show_next_tokens, top_next_tokens

    lm = NGramLM(2, "mkn").fit(CORPUS)
    pairs = top_next_tokens(lm, ["<s>"], top=3)
    assert pairs[0][0] == "the" and len(pairs) == 3
    assert [p for _, p in pairs] == sorted((p for _, p in pairs), reverse=True)
    dist = lm.next_token_distribution(["<s>"])
    assert pairs[0][1] == pytest.approx(dist["the"])
    assert all(t != "<s>" for t, _ in top_next_tokens(lm, ["the"], top=50))
    ax = show_next_tokens(lm, ["<s>", "the"], top=4)
    assert len(ax.patches) == 4
    ax = plot_perplexity_by_order({"train": {1: 30.0, 2: 10.0}, "held out": {1: 40.0, 2: 35.0}})
    assert len(ax.lines) == 2
    plt.close("all")
    with pytest.raises(ValueError, match="top"):
        top_next_tokens(lm, [], top=0)


def test_widget_builds_and_parses_context():
    import matplotlib

    matplotlib.use("Agg")
    from aigc_course.widgets.ngram import next_token_explorer, parse_context

    assert parse_context("my good lord", characters=False) == ["my", "good", "lord"]
    assert parse_context("ab c", characters=True) == ["a", "b", " ", "c"]
    box = next_token_explorer(NGramLM(2).fit(CORPUS), context="the")
    text, temperature = box.children[0].children
    text.value = "the cat"  # redraws without error
    temperature.value = 0.5
    with pytest.raises(ValueError, match="fitted"):
        next_token_explorer(NGramLM(2))


# ------------------------------------------------------------ random corpora
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_sentences = st.lists(st.lists(st.sampled_from(list("abcde")), min_size=0, max_size=7), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(corpus=_sentences, held_out=_sentences, order=st.integers(1, 4),
       smoothing=st.sampled_from(["addk", "kn", "mkn"]))
def test_random_corpora_give_proper_distributions(corpus, held_out, order, smoothing):
    if not any(corpus):
        corpus = corpus + [["a"]]
    lm = NGramLM(order, smoothing, k=0.5).fit(corpus)
    for sentence in held_out[:3]:
        context = ["<s>"] + sentence
        assert lm.next_token_vector(context).sum() == pytest.approx(1.0, abs=1e-9)
        chain = sum(lm.logprob(t, context[: i + 1]) for i, t in enumerate(sentence + ["</s>"]))
        assert lm.sentence_logprob(sentence) == pytest.approx(chain, rel=1e-9, abs=1e-12)
    assert math.isfinite(lm.cross_entropy(held_out)) and lm.cross_entropy(held_out) > 0


@settings(max_examples=40, deadline=None)
@given(corpus=_sentences, order=st.integers(2, 5), lower=st.integers(1, 5),
       smoothing=st.sampled_from(["mle", "addk", "kn", "mkn"]))
def test_lower_order_equals_fitting_that_order(corpus, order, lower, smoothing):
    if not any(corpus):
        corpus = corpus + [["a"]]
    lower = min(lower, order)
    derived = NGramLM(order, smoothing, k=0.5).fit(corpus).lower_order(lower)
    fitted = NGramLM(lower, smoothing, k=0.5).fit(corpus)
    assert (derived.order, derived.smoothing, derived.k) == (lower, smoothing, 0.5)
    assert derived.discounts == fitted.discounts  # the same counts-of-counts, the same arithmetic
    held_out = corpus + [["e", "a", "b"]]
    # Same counts, same operations in the same order: equal to rounding of the last bit at most.
    assert np.allclose(derived.token_logprobs(held_out), fitted.token_logprobs(held_out), rtol=1e-12, atol=0)


def test_lower_order_refuses_what_it_cannot_derive():
    lm = NGramLM(3).fit([["a", "b", "c"]])
    with pytest.raises(ValueError, match="order"):
        lm.lower_order(4)
    with pytest.raises(TypeError, match="order"):
        lm.lower_order(2.0)
    with pytest.raises(NotFittedError):
        NGramLM(3).lower_order(2)


_texts = st.text(alphabet=st.sampled_from(list("ab c\n中𝔘\r")), max_size=40)


@settings(max_examples=80, deadline=None)
@given(train=_texts, text=_texts.filter(bool))
def test_text_encoding_equals_encoding_its_char_sentences(train, text):
    lm = NGramLM(3).fit(char_sentences(train + "a"))
    fast = lm.vocab._encode_text(text)
    plain = lm.vocab.encode_corpus(char_sentences(text))
    assert all(np.array_equal(f, p) for f, p in zip(fast, plain))
    assert nats_per_char(lm, text) == pytest.approx(
        corpus_nats_per_char(lm, char_sentences(text), len(text)), rel=1e-12)


def test_generation_keeps_the_sentence_start_in_its_context():
    # After "<s> x a" a 5-gram MLE model knows only "b"; the bigram context "a" alone allows "b" or "c".
    lm = NGramLM(5, "mle").fit([["x", "a", "b"], ["y", "a", "c"]])
    assert {tuple(sample_tokens(lm, 1, seed, context=["x", "a"])) for seed in range(20)} == {("b",)}
    assert {tuple(sample_tokens(lm, 3, seed)) for seed in range(20)} == {("x", "a", "b"), ("y", "a", "c")}


@pytest.mark.parametrize("smoothing", ["mle", "addk", "kn", "mkn"])
def test_order_longer_than_every_sentence(smoothing):
    lm = NGramLM(6, smoothing).fit([["a"], ["b", "a"]])  # no 5- or 6-gram exists
    assert lm.table.size(6) == 0
    assert sum(lm.next_token_distribution(["<s>", "b", "a"]).values()) == pytest.approx(1.0, abs=1e-12)
    assert lm.prob("a", ["<s>", "b"]) == pytest.approx(lm.next_token_distribution(["<s>", "b"])["a"])
    assert lm.total_logprob([["b", "a", "a", "b", "a", "b"]])[1] == 7


def test_the_lesson_02_checkers_right_values_agree_with_the_ngram_code():
    """The checkers of notebook 02 compute the right answers by hand: they must equal NGramLM's."""
    from aigc_course.exercises.ex02 import (CORPORA, _vocabulary, continuation_values, mle_values,
                                            perplexity_values, temperature_values)
    from aigc_course.ngram import adjusted_counts

    for corpus in CORPORA.values():
        mle, kn = NGramLM(2, "mle").fit(corpus), NGramLM(2, "kn").fit(corpus)
        continuation = adjusted_counts(kn.counts)[0]
        for word in _vocabulary(corpus):
            if word == "<s>":
                continue
            if word in kn.vocab:
                assert continuation_values(corpus, word)["right"] == continuation[kn.vocab.index[word]], word
            for previous in _vocabulary(corpus):
                if previous in mle.vocab and previous != "</s>":  # NGramLM backs off from unseen contexts
                    assert mle_values(corpus, word, previous)["right"] == pytest.approx(
                        mle.prob(word, [previous]), abs=1e-12), (word, previous)
    lm = NGramLM(3, "mkn").fit(CORPUS)
    held_out = [["the", "cat", "sat"], ["a", "dog", "saw", "the", "mat"]]
    assert perplexity_values(list(lm.token_logprobs(held_out)))["right"] == pytest.approx(lm.perplexity(held_out))
    p = np.array([0.5, 0.25, 0.15, 0.1])
    for t in (0.5, 1.0, 2.0):
        assert temperature_values(p, t)["right"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("low, high, n", [(0, 50, 1000), (-5, 2**40, 10_000), (0, 2**62, 1000), (0, 1, 0), (7, 8, 1)])
def test_counting_sort_matches_numpy_unique(low, high, n):
    """Keys packed with their positions (or, when they do not fit in 63 bits, argsort) give np.unique's answer."""
    from aigc_course.ngram.counts import _unique

    keys = np.random.default_rng(n).integers(low, high, n, dtype=np.int64)
    unique, where, inverse, count = _unique(keys)
    expected, _, expected_inverse, expected_count = np.unique(keys, return_index=True, return_inverse=True,
                                                              return_counts=True)
    assert np.array_equal(unique, expected) and np.array_equal(inverse, expected_inverse)
    assert np.array_equal(count, expected_count) and np.array_equal(keys[where], unique)


def test_last_token_of_a_block_of_the_table():
    lm = NGramLM(3, "mkn").fit(CORPUS)
    table = lm.table
    block = table.continuations(2, lm.vocab.index["the"])
    assert np.array_equal(table.last(2, block), table.last(2)[block]) and len(table.last(2, block)) > 1
    with pytest.raises(TypeError, match="rows must be a slice"):
        table.last(2, [0, 1])

"""Bad input for aigc_course.ngram and its widget: every nonsense call is refused at the boundary with a
TypeError/ValueError that names the parameter, nothing hangs, and damaged ARPA files name the file.

Each row of the tables is (callable, keyword arguments, error type, parameter, message fragment).
"""

from __future__ import annotations

import math
import re

import matplotlib
import numpy as np
import pytest

from aigc_course.ngram import (MAX_NEW_TOKENS, NGramCounts, NGramLM, NGramTable, NGramVocab, NotFittedError,
                               adjusted_counts, char_sentences, corpus_nats_per_char, estimate_discounts,
                               generate_lines, read_arpa, reshape_distribution, sample_tokens,
                               write_arpa)
from aigc_course.ngram.plots import plot_perplexity_by_order, show_next_tokens, top_next_tokens
from aigc_course.ngram.smoothing import kneser_ney
from aigc_course.per_char import bits_per_char, nats_per_char
from aigc_course.validate import IntTypeError

matplotlib.use("Agg")

NAN, INF = float("nan"), float("inf")
CORPUS = [["to", "be", "or", "not", "to", "be"], ["to", "go"], ["not", "to", "go"]]
LM = NGramLM(3, "mkn").fit(CORPUS)
MLE = NGramLM(2, "mle").fit(CORPUS)
STREAM = LM.vocab.encode_corpus(CORPUS)


def _explorer(**kwargs):
    from aigc_course.widgets.ngram import next_token_explorer

    return next_token_explorer(**{"lm": LM, **kwargs})


def _parse_context(**kwargs):
    from aigc_course.widgets.ngram import parse_context

    return parse_context(**kwargs)


def _playground(**kwargs):
    from aigc_course.widgets.text import tokenizer_playground

    return tokenizer_playground(**kwargs)


MODEL_CASES = [
    # orders and smoothing parameters
    (NGramLM, dict(order=10**12), ValueError, "order", "between 1 and 20"),  # used to hang counting 10**12 orders
    (NGramLM, dict(order=0), ValueError, "order", "between 1 and 20"),
    (NGramLM, dict(order=2.0), TypeError, "order", "must be an int"),
    (NGramLM, dict(order=2, smoothing=None), ValueError, "smoothing", "one of"),
    (NGramLM, dict(order=2, smoothing="addk", k=NAN), ValueError, "k", "NaN"),
    (NGramLM, dict(order=2, smoothing="addk", k=INF), ValueError, "k", "finite"),
    (NGramLM, dict(order=2, smoothing="addk", k=1e300), ValueError, "k", "<= 1000000.0"),
    (NGramLM, dict(order=2, smoothing="addk", k="1"), TypeError, "k", "number"),
    (NGramLM, dict(order=2, smoothing="kn", discount=NAN), ValueError, "discount", "NaN"),
    (NGramLM, dict(order=2, smoothing="kn", discount=True), TypeError, "discount", "number"),
    (NGramLM, dict(order=2, smoothing="kn", discount=1.0), ValueError, "discount", "< 1.0"),
    # a corpus must be a list of token lists: one str, or a list of str, is refused
    (NGramLM(2).fit, dict(sentences="to be or not"), TypeError, "sentences", "plain string"),
    (NGramLM(2).fit, dict(sentences=["to be", "or not"]), TypeError, "sentences[0]", "not a single str"),
    (NGramLM(2).fit, dict(sentences=[["to", 3]]), TypeError, "sentences[0][1]", "must be a str token"),
    (NGramLM(2).fit, dict(sentences=[iter(["to"]), None]), TypeError, "sentences[1]", "sequence of str"),
    (NGramLM(2).fit, dict(sentences=[("to", "</s>")]), ValueError, "sentences[0]", "'</s>'"),
    (LM.token_logprobs, dict(sentences=["to be"]), TypeError, "sentences[0]", "not a single str"),
    (LM.perplexity, dict(sentences="to be"), TypeError, "sentences", "plain string"),
    (LM.cross_entropy, dict(sentences=[["to"], "be"]), TypeError, "sentences[1]", "not a single str"),
    (LM.oov_rate, dict(sentences=[[None]]), TypeError, "sentences[0][0]", "must be a str token"),
    (LM.total_logprob, dict(sentences=5), TypeError, "sentences", "token lists"),
    (LM.sentence_logprob, dict(tokens="to be"), TypeError, "tokens", "not a single str"),
    # a context given as one str would be split into characters
    (sample_tokens, dict(lm=LM, max_tokens=5, seed=0, context="to be"), TypeError, "context", "not a single str"),
    (LM.logprob, dict(token="be", context="to"), TypeError, "context", "not a single str"),
    (LM.logprob, dict(token=["be"], context=["to"]), TypeError, "token", "must be a str"),
    (LM.logprob, dict(token="be", context=["to", 3]), TypeError, "context[1]", "must be a str token"),
    (LM.next_token_vector, dict(context="to"), TypeError, "context", "not a single str"),
    (LM.next_token_distribution, dict(context=["</s>"]), ValueError, "context", "</s>"),
    (LM.prob, dict(token="be", context=5), TypeError, "context", "sequence of str"),
    # generation: bounded counts, finite numbers
    (sample_tokens, dict(lm=LM, max_tokens=10**12, seed=0), ValueError, "max_tokens", "100,000"),  # used to run for ages
    (sample_tokens, dict(lm=LM, max_tokens=True, seed=0), TypeError, "max_tokens", "must be an int"),
    (sample_tokens, dict(lm=LM, max_tokens=5, seed=-3), ValueError, "seed", ">= 0"),
    (sample_tokens, dict(lm=LM, max_tokens=5, seed=0, temperature=NAN), ValueError, "temperature", "NaN"),
    (sample_tokens, dict(lm=LM, max_tokens=5, seed=0, temperature=INF), ValueError, "temperature", "finite"),
    (sample_tokens, dict(lm=LM, max_tokens=5, seed=0, temperature="hot"), TypeError, "temperature", "number"),
    (sample_tokens, dict(lm=LM, max_tokens=5, seed=0, top_k=2.5), TypeError, "top_k", "must be an int"),
    (sample_tokens, dict(lm=LM, max_tokens=0, seed=0, temperature=NAN), ValueError, "temperature", "NaN"),  # was unchecked
    (sample_tokens, dict(lm="model", max_tokens=3, seed=0), TypeError, "lm", "NGramLM"),
    (sample_tokens, dict(lm=NGramLM(2), max_tokens=3, seed=0), NotFittedError, "fit", "not fitted"),
    (generate_lines, dict(lm=LM, n_lines=10**12, seed=0), ValueError, "n_lines", "100,000"),
    (generate_lines, dict(lm=LM, n_lines=0, seed=0), ValueError, "n_lines", "between 1"),
    (generate_lines, dict(lm=LM, n_lines=1000, seed=0, max_tokens=MAX_NEW_TOKENS), ValueError,
     "n_lines x max_tokens", "MAX_GENERATED_TOKENS"),
    (generate_lines, dict(lm=LM, n_lines=2, seed=0, top_k=0), ValueError, "top_k", ">= 1"),
    (generate_lines, dict(lm=LM, n_lines=2, seed=None), TypeError, "seed", "must be an int"),
    (reshape_distribution, dict(prob=[0.5, NAN]), ValueError, "prob", "finite"),
    (reshape_distribution, dict(prob=[0.5, INF]), ValueError, "prob", "finite"),  # gave NaN probabilities
    (reshape_distribution, dict(prob=[0.0, 0.0]), ValueError, "prob", "positive sum"),
    (reshape_distribution, dict(prob=[[0.5, 0.5]]), ValueError, "prob", "1-D"),
    (reshape_distribution, dict(prob="0.5"), TypeError, "prob", "1-D array"),
    (reshape_distribution, dict(prob=[0.5, 0.5], temperature=-1), ValueError, "temperature", ">= 0"),
    (reshape_distribution, dict(prob=[0.5, 0.5], temperature=True), TypeError, "temperature", "number"),
    (reshape_distribution, dict(prob=[0.5, 0.5], top_k=True), TypeError, "top_k", "must be an int"),
    # character-level figures
    (char_sentences, dict(text=["ab"]), TypeError, "text", "must be a str"),
    (nats_per_char, dict(model=LM, text=None), TypeError, "text", "must be a str"),
    (nats_per_char, dict(model="model", text="ab\n"), TypeError, "model", "NGramLM"),
    (nats_per_char, dict(model=LM, text="ab\n", window=8), ValueError, "window", "NGramLM"),
    (nats_per_char, dict(model=LM, text=""), ValueError, "text", "empty"),
    (corpus_nats_per_char, dict(lm=LM, sentences=CORPUS, n_chars=0), ValueError, "n_chars", ">= 1"),
    (corpus_nats_per_char, dict(lm=LM, sentences=CORPUS, n_chars=2.0), TypeError, "n_chars", "must be an int"),
    (corpus_nats_per_char, dict(lm=LM, sentences="to be", n_chars=5), TypeError, "sentences", "plain string"),
    (bits_per_char, dict(nats=NAN), ValueError, "nats", "NaN"),
    (bits_per_char, dict(nats="1"), TypeError, "nats", "number"),
    # ARPA
    (write_arpa, dict(lm=NGramLM(2), path="x.arpa"), NotFittedError, "fit", "not fitted"),
    (write_arpa, dict(lm=None, path="x.arpa"), TypeError, "lm", "NGramLM"),
    (write_arpa, dict(lm=LM, path=None), TypeError, "path", "file path"),
    (write_arpa, dict(lm=LM, path="  "), ValueError, "path", "file path"),
    (read_arpa, dict(path=3), TypeError, "path", "file path"),
    (write_arpa, dict(lm=LM, path=b"x.arpa"), TypeError, "path", "file path"),
]

LOW_LEVEL_CASES = [
    (NGramVocab, dict(tokens="<unk><s></s>"), TypeError, "tokens", "not a single str"),
    (NGramVocab.from_sentences, dict(sentences=["ab", "c"]), TypeError, "sentences[0]", "not a single str"),
    (LM.vocab.ids, dict(tokens="to"), TypeError, "tokens", "not a single str"),
    (LM.vocab.encode_corpus, dict(sentences="to be"), TypeError, "sentences", "plain string"),
    (NGramTable, dict(order=10**12, vocab_size=5), ValueError, "order", "between 1 and 20"),
    (NGramTable, dict(order=2, vocab_size=10**12), ValueError, "vocab_size", "50,000,000"),  # was a MemoryError
    (NGramTable, dict(order=2, vocab_size=5, keys=np.arange(5)), TypeError, "keys", "list"),
    (NGramLM.from_backoff, dict(vocab=LM.vocab, table=LM.table, backoff=None), TypeError, "backoff", "BackoffTables"),
    (NGramLM.from_backoff, dict(vocab=None, table=LM.table, backoff=LM.backoff), TypeError, "vocab", "NGramVocab"),
    (LM.table.size, dict(m=0), ValueError, "m", "between 1 and 3"),
    (LM.table.size, dict(m=4), ValueError, "m", "between 1 and 3"),  # was an IndexError
    (LM.table.prefix, dict(m=1), ValueError, "m", "between 2 and 3"),
    (LM.table.last, dict(m=True), TypeError, "m", "must be an int"),
    (LM.table.token_matrix, dict(m=9), ValueError, "m", "between 1 and 3"),
    (LM.table.continuations, dict(m=2, context_index=1.5), TypeError, "context_index", "must be an int"),
    (LM.table.find, dict(m=2, context_index=np.array([0]), token="to"), TypeError, "token", "ints"),
    (LM.table.find, dict(m=2, context_index=[0.5], token=np.array([1])), TypeError, "context_index", "ints"),
    (LM.table.lookup, dict(tokens=STREAM[0], offsets=STREAM[1][:-1]), ValueError, "offsets", "same length"),
    (LM.table.lookup, dict(tokens=STREAM[0] + 100, offsets=STREAM[1]), ValueError, "tokens", "outside"),
    (LM.table.lookup, dict(tokens=STREAM[0].astype(float), offsets=STREAM[1]), TypeError, "tokens", "int array"),
    (NGramCounts.from_stream, dict(tokens=STREAM[0], offsets=STREAM[1], order=0, vocab_size=len(LM.vocab)),
     ValueError, "order", "between 1 and 20"),
    (NGramCounts.from_stream, dict(tokens=STREAM[0], offsets=-STREAM[1] - 1, order=2, vocab_size=len(LM.vocab)),
     ValueError, "offsets", ">= 0"),
    (NGramCounts.from_stream, dict(tokens=STREAM[0], offsets=STREAM[1], order=2, vocab_size=4), ValueError,
     "tokens", "outside the vocabulary"),
    (LM.counts.context_totals, dict(m=7), ValueError, "m", "between 1 and 3"),
    (adjusted_counts, dict(counts=[1, 2, 3]), TypeError, "counts", "NGramCounts"),
    (estimate_discounts, dict(adjusted=np.array([1, 2]), modified=1), TypeError, "modified", "True or False"),
    (estimate_discounts, dict(adjusted=np.array([1.5]), modified=True), TypeError, "adjusted", "int counts"),
    (estimate_discounts, dict(adjusted=np.array([1, -2]), modified=True), ValueError, "adjusted", ">= 0"),
    (kneser_ney, dict(counts=LM.counts, modified=False, discount=NAN), ValueError, "discount", "NaN"),
    (kneser_ney, dict(counts=LM.counts, modified=True, discount=0.5), ValueError, "discount", "plain"),
    # pictures and widgets
    (top_next_tokens, dict(lm=LM, context=["to"], top=0), ValueError, "top", ">= 1"),
    (top_next_tokens, dict(lm=LM, context="to", top=3), TypeError, "context", "not a single str"),
    (top_next_tokens, dict(lm="model", context=["to"]), TypeError, "lm", "NGramLM"),
    (show_next_tokens, dict(lm=LM, context="to be"), TypeError, "context", "not a single str"),
    (show_next_tokens, dict(lm=LM, context=["to"], temperature=NAN), ValueError, "temperature", "NaN"),
    (show_next_tokens, dict(lm=LM, context=["to"], ax="left"), TypeError, "ax", "Axes"),
    (plot_perplexity_by_order, dict(curves={"train": {1: NAN}}), ValueError, "curves['train'][1]", "number"),
    (plot_perplexity_by_order, dict(curves={"train": {"one": 3.0}}), TypeError, "curves['train']", "ints"),
    (plot_perplexity_by_order, dict(curves=[1, 2]), TypeError, "curves", "dict"),
    (plot_perplexity_by_order, dict(curves={"train": {1: 3.0}}, log_y="yes"), TypeError, "log_y", "True or False"),
    (plot_perplexity_by_order, dict(curves={"train": {1: 3.0}}, title=None), TypeError, "title", "must be a str"),
    (plot_perplexity_by_order, dict(curves={"train": {1: 3.0}}, ax=3), TypeError, "ax", "Axes"),
    (_parse_context, dict(text=None, characters=False), TypeError, "text", "must be a str"),
    (_parse_context, dict(text="ab", characters="yes"), TypeError, "characters", "True or False"),
    (_explorer, dict(lm="model"), TypeError, "lm", "NGramLM"),
    (_explorer, dict(lm=NGramLM(2)), ValueError, "lm", "fitted"),
    (_explorer, dict(context=["to"]), TypeError, "context", "must be a str"),
    (_explorer, dict(characters=1), TypeError, "characters", "True or False"),
    (_explorer, dict(top=0), ValueError, "top", ">= 1"),
    (_playground, dict(text=3), TypeError, "text", "must be a str"),
    (_playground, dict(lower="no"), TypeError, "lower", "True or False"),
]


def _name(case) -> str:
    fn = case[0]
    return f"{getattr(fn, '__qualname__', type(fn).__name__)}-{case[3]}"


@pytest.mark.parametrize("fn, kwargs, error, param, fragment", MODEL_CASES,
                         ids=[f"{_name(c)}-{i}" for i, c in enumerate(MODEL_CASES)])
def test_model_refuses_bad_input(fn, kwargs, error, param, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written, but if it were, not in the checkout
    _check(fn, kwargs, error, param, fragment)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fn, kwargs, error, param, fragment", LOW_LEVEL_CASES,
                         ids=[f"{_name(c)}-{i}" for i, c in enumerate(LOW_LEVEL_CASES)])
def test_tables_plots_and_widgets_refuse_bad_input(fn, kwargs, error, param, fragment):
    import matplotlib.pyplot as plt

    try:
        _check(fn, kwargs, error, param, fragment)
    finally:
        plt.close("all")


def _check(fn, kwargs, error, param, fragment):
    with pytest.raises(error) as caught:
        fn(**kwargs)
    message = str(caught.value)
    assert param in message, f"the message does not name {param!r}: {message}"
    assert fragment in message, f"the message does not say {fragment!r}: {message}"


def test_wrong_type_is_also_a_value_error_where_it_was_one_before():
    for call in (lambda: sample_tokens(LM, 5, 1.5), lambda: sample_tokens(LM, 5.0, 0), lambda: generate_lines(LM, 2.0, 0),
                 lambda: corpus_nats_per_char(LM, CORPUS, 2.5), lambda: top_next_tokens(LM, [], top=1.0)):
        with pytest.raises(IntTypeError) as caught:
            call()
        assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)


# ------------------------------------------------------------------ damaged ARPA files

GOOD_HEADER = "\\data\\\nngram 1=4\nngram 2=1\n\n\\1-grams:\n"
GOOD_UNIGRAMS = "-1.0\t<unk>\t0\n0\t<s>\t-0.3\n-0.5\t</s>\t0\n-0.7\tto\t-0.2\n"


def _arpa(unigrams: str = GOOD_UNIGRAMS, bigrams: str = "-0.2\t<s> to\n", header: str = GOOD_HEADER) -> str:
    return f"{header}{unigrams}\n\\2-grams:\n{bigrams}\n\\end\\\n"


ARPA_FILES = [
    (b"\\data\\\nngram 1=1\n\n\\1-grams:\n\xff\xfe <s>\n\\end\\\n", "not a UTF-8 text ARPA file: byte"),
    (_arpa(unigrams=GOOD_UNIGRAMS.replace("-0.7", "abc")).encode(), ":9: the log10 probability of a 1-gram must be"),
    (_arpa(unigrams=GOOD_UNIGRAMS.replace("-0.7", "nan")).encode(), ":9: the log10 probability"),
    (_arpa(unigrams=GOOD_UNIGRAMS.replace("-0.7", "0.5")).encode(), "a number <= 0"),
    (_arpa(unigrams=GOOD_UNIGRAMS.replace("-0.2", "inf")).encode(), ":9: the log10 backoff weight of a 1-gram"),
    (_arpa(bigrams="x\t<s> to\n").encode(), ":12: the log10 probability of a 2-gram must be"),
    (_arpa(bigrams="-0.2\t<s>\n").encode(), "a 2-gram line needs 3 or 4 fields"),
    (_arpa(bigrams="-0.2\t<s> nobody\n").encode(), "a 2-gram uses a token missing from the unigrams"),
    (_arpa(bigrams="-0.2\t<s> to\n-0.1\t<s> to\n", header=GOOD_HEADER.replace("2=1", "2=2")).encode(),
     "a 2-gram is listed more than once"),
    (_arpa(unigrams=GOOD_UNIGRAMS + "-0.7\tto\t0\n", header=GOOD_HEADER.replace("1=4", "1=5")).encode(),
     "the unigram 'to' is listed more than once"),
    (_arpa(header=GOOD_HEADER.replace("1=4", "1=x")).encode(), "not a valid ARPA file"),
    (_arpa(header=GOOD_HEADER.replace("1=4", "1=7")).encode(), "header says ngram 1=7"),
    (_arpa(unigrams=GOOD_UNIGRAMS.replace("</s>", "be")).encode(), "must include '</s>'"),
    (b"", "not a valid ARPA file"),
    (b"\\data\\\nngram 1=1\n\n\\21-grams:\n-1 <s>\n\\end\\\n", "above MAX_ORDER"),
]


@pytest.mark.parametrize("content, fragment", ARPA_FILES)
def test_damaged_arpa_file_names_the_file(tmp_path, content, fragment):
    path = tmp_path / "model.arpa"
    path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        read_arpa(path)
    assert str(path) in str(caught.value) and fragment in str(caught.value)


def test_the_hand_written_arpa_file_is_valid(tmp_path):
    """The damaged files above are one change away from this one, which loads."""
    path = tmp_path / "model.arpa"
    path.write_text(_arpa(), encoding="utf-8")
    lm = read_arpa(path)
    assert lm.order == 2 and lm.prob("to", ["<s>"]) == pytest.approx(10 ** -0.2)


def test_missing_arpa_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.arpa"):
        read_arpa(tmp_path / "missing.arpa")
    with pytest.raises(FileNotFoundError, match="no ARPA file"):
        read_arpa(tmp_path)


# ------------------------------------------------------------------ valid edge cases still work

def test_valid_edge_cases_still_work(tmp_path):
    assert NGramLM(np.int64(2)).order == 2  # NumPy ints are ints
    assert NGramLM(20).fit(CORPUS).order == 20  # MAX_ORDER itself is allowed
    assert NGramLM(2, "addk", k=1e-9).fit(CORPUS).perplexity(CORPUS) > 1
    assert NGramLM(2, "kn", discount=0).fit(CORPUS).discounts[0] == (0.0, 0.0, 0.0)
    assert NGramLM(2).fit([("to", "be"), []]).vocab.tokens[3:] == ["be", "to"]  # tuples and empty sentences
    assert sample_tokens(LM, 0, 0) == []
    assert sample_tokens(LM, 5, 0, temperature=0) == sample_tokens(LM, 5, 1, temperature=0)  # greedy ignores the seed
    assert sample_tokens(LM, 5, 0, top_k=10**9) == sample_tokens(LM, 5, 0)  # a top_k above the vocabulary keeps all
    assert sample_tokens(LM, 5, 0, context=("<s>", "to")) == sample_tokens(LM, 5, 0, context=["to"])
    assert isinstance(sample_tokens(LM, 5, 2**40), list)  # any non-negative seed
    out = reshape_distribution(np.array([0.6, 0.4]), temperature=1e-300)  # every logit overflows: greedy
    assert out.tolist() == [1.0, 0.0]
    assert reshape_distribution([1, 3]).tolist() == [0.25, 0.75]  # lists, ints, not normalised
    assert generate_lines(LM, 1, 0, max_tokens=0) == [[]]
    assert MLE.perplexity([["be", "go"]]) == math.inf  # an impossible bigram: inf, not an error
    assert bits_per_char(math.inf) == math.inf
    assert LM.logprob("never-seen", []) < 0 and LM.oov_rate([[]]) == 0.0
    assert LM.sentence_logprob(("to", "be")) == LM.sentence_logprob(["to", "be"])
    assert char_sentences("") == []
    assert NGramLM(2).fit(char_sentences("ab\n")).vocab.tokens[3:] == ["a", "b"]
    assert top_next_tokens(LM, [], top=10**6)  # more than the vocabulary: all of it
    assert LM.table.find(2, 0, 1).shape == ()  # plain ints are 0-d arrays
    assert len(LM.table.lookup([], [])) == LM.order
    read_arpa(str(write_arpa(LM, tmp_path / "m.arpa")))  # str paths
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert show_next_tokens(LM, ["<s>"], top=2, ax=ax) is ax
    assert plot_perplexity_by_order({"train": {1: 5.0, 2: math.inf}}, ax=ax) is ax  # inf is left out, not an error
    plt.close("all")


@pytest.mark.parametrize("call, kind", [
    (lambda: nats_per_char(LM, ""), ValueError),
    (lambda: nats_per_char(LM, "ab\n", window=8), ValueError),
    (lambda: nats_per_char("model", "ab\n"), TypeError),
    (lambda: NGramLM(2).logprob("a"), NotFittedError),
    (lambda: NGramLM.from_backoff(LM.vocab, LM.table, None), TypeError),
    (lambda: NGramLM(2).fit([[]]), ValueError),
])
def test_the_lesson_messages_speak_the_learners_language(monkeypatch, call, kind):
    """The same mistake is explained in English with AIGC_LANG=en and in Chinese with zh."""
    messages = {}
    for lang in ("en", "zh"):
        monkeypatch.setenv("AIGC_LANG", lang)
        with pytest.raises(kind) as caught:
            call()
        messages[lang] = str(caught.value)
    assert not re.search(r"[\u4e00-\u9fff]", messages["en"]) and re.search(r"[\u4e00-\u9fff]", messages["zh"]), messages

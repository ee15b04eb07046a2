"""Parity of aigc_course.ngram with the reference toolkits: nltk.lm (MLE, add-k) and KenLM (ARPA files).

Convention differences, and how these tests bridge them:

- nltk pads a sentence with n-1 ``<s>`` (``padded_everygram_pipeline``); we pad with one
  ``<s>``, as KenLM does. The tests therefore feed nltk our own n-grams (one ``<s>``,
  one ``</s>``), so both models count exactly the same events.
- nltk's vocabulary has no start symbol outside it: ``<s>`` would be counted in |V|. The
  tests leave ``<s>`` out of nltk's vocabulary, so nltk maps it to its ``<UNK>``; that
  ``<UNK>`` is then never a predicted word, exactly like our ``<unk>`` in training, and
  both vocabularies have the same size (words, ``</s>``, one unknown token).
- nltk reports base-2 logs (``logscore``); we compare probabilities.
  Consequence: contexts with out-of-vocabulary words are not compared.
- nltk's MLE gives 0 for an unseen context; ours backs off to the longest seen suffix,
  so MLE parity is checked on contexts seen in training.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from aigc_course.data import load_shakespeare
from aigc_course.ngram import NGramLM, read_arpa, write_arpa

nltk_lm = pytest.importorskip("nltk.lm", reason="nltk is a test dependency (pip install nltk)")

TOY = [
    "the cat sat on the mat".split(),
    "the dog sat on the log".split(),
    "a cat saw the dog".split(),
    "the cat and the dog sat".split(),
    ["mat"],
]


def _nltk_model(model, order: int, sentences):
    events = []
    for sentence in sentences:
        padded = ["<s>"] + list(sentence) + ["</s>"]
        events.append([tuple(padded[i:i + m]) for m in range(1, order + 1)
                       for i in range(len(padded) - m + 1) if padded[i:i + m] != ["<s>"]])
    model.fit(events, vocabulary_text=[t for s in sentences for t in s] + ["</s>"])
    return model


def _contexts(order: int, sentences, unseen: bool):
    seen = set()
    for sentence in sentences:
        padded = ["<s>"] + list(sentence)
        for length in range(order):
            for i in range(len(padded) - length + 1):
                context = tuple(padded[i:i + length])
                if length and "<s>" in context[1:]:
                    continue
                seen.add(context)
    contexts = sorted(seen)
    if unseen:
        # a context of known words never seen together (an out-of-vocabulary word in the context
        # cannot be compared: nltk would map it to <UNK>, which here plays the role of <s>)
        contexts += [("mat", "cat"), ("dog", "the")]
    return [c for c in contexts if len(c) <= order - 1]


WORDS = ["the", "cat", "dog", "mat", "sat", "a", "</s>", "zebra"]


@pytest.mark.parametrize("order", [1, 2, 3])
def test_mle_matches_nltk(order):
    ours = NGramLM(order, "mle").fit(TOY)
    theirs = _nltk_model(nltk_lm.MLE(order), order, TOY)
    for context in _contexts(order, TOY, unseen=False):
        for word in WORDS:
            expected = theirs.score(word if word != "zebra" else "<UNK>", list(context))
            assert ours.prob(word, context) == pytest.approx(expected, abs=1e-12), (word, context)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("k", [1.0, 0.1])
def test_addk_matches_nltk(order, k):
    ours = NGramLM(order, "addk", k=k).fit(TOY)
    model = nltk_lm.Laplace(order) if k == 1.0 else nltk_lm.Lidstone(k, order)
    theirs = _nltk_model(model, order, TOY)
    assert len(theirs.vocab) == len(ours.vocab) - 1  # theirs has no <s>; both have one unknown token
    for context in _contexts(order, TOY, unseen=True):
        for word in WORDS:
            expected = theirs.score(word if word != "zebra" else "<UNK>", list(context))
            assert ours.prob(word, context) == pytest.approx(expected, abs=1e-12), (word, context)


# -------------------------------------------------------------------- KenLM
kenlm = pytest.importorskip("kenlm", reason="the kenlm Python module is a test dependency (pip install kenlm)")


@pytest.fixture(scope="module")
def shakespeare_words():
    from aigc_course.text import word_tokenize

    train = [word_tokenize(line) for line in load_shakespeare("train").splitlines()[:20000] if line]
    valid = [word_tokenize(line) for line in load_shakespeare("valid").splitlines()[:3000] if line]
    return train, valid


def _kenlm_nats(model, sentences):
    return sum(model.score(" ".join(s), bos=True, eos=True) for s in sentences) * math.log(10)


@pytest.mark.parametrize("order, smoothing", [(3, "mkn"), (4, "mkn"), (3, "kn"), (2, "mkn")])
def test_kenlm_loads_our_arpa_and_scores_identically(tmp_path, shakespeare_words, order, smoothing):
    train, valid = shakespeare_words
    ours = NGramLM(order, smoothing).fit(train)
    path = write_arpa(ours, tmp_path / "model.arpa")
    theirs = kenlm.Model(str(path))
    assert theirs.order == order
    n_predictions = sum(len(s) + 1 for s in valid)
    assert ours.oov_rate(valid) > 0  # held-out plays do contain unseen words: <unk> is exercised
    ppl_ours = ours.perplexity(valid)
    ppl_kenlm = math.exp(-_kenlm_nats(theirs, valid) / n_predictions)
    assert ppl_kenlm == pytest.approx(ppl_ours, rel=1e-4)
    # token by token, too (kenlm's full_scores are log10)
    sentence = valid[7]
    kenlm_scores = np.array([s[0] for s in theirs.full_scores(" ".join(sentence))]) * math.log(10)
    np.testing.assert_allclose(kenlm_scores, ours.token_logprobs([sentence]), rtol=1e-6, atol=1e-6)


def test_arpa_round_trip(tmp_path, shakespeare_words):
    train, valid = shakespeare_words
    ours = NGramLM(3, "mkn").fit(train[:3000])
    path = write_arpa(ours, tmp_path / "m.arpa")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\\data\\\nngram 1=") and text.rstrip().endswith("\\end\\")
    assert "\n0\t<s>\t" in text and "\t<unk>\t" in text  # lmplz's conventions
    loaded = read_arpa(path)
    assert loaded.order == 3 and loaded.smoothing == "arpa"
    assert loaded.vocab.tokens == ours.vocab.tokens
    np.testing.assert_allclose(loaded.token_logprobs(valid[:200]), ours.token_logprobs(valid[:200]), rtol=1e-7)
    for context in [(), ("<s>",), ("I", "am"), ("the", "zebra")]:
        np.testing.assert_allclose(loaded.next_token_vector(context), ours.next_token_vector(context), rtol=1e-7)
        assert loaded.next_token_vector(context).sum() == pytest.approx(1.0, abs=1e-6)
    # and the re-exported file is the same model
    again = read_arpa(write_arpa(loaded, tmp_path / "again.arpa"))
    np.testing.assert_allclose(again.token_logprobs(valid[:50]), ours.token_logprobs(valid[:50]), rtol=1e-7)


def test_arpa_refuses_what_it_cannot_represent(tmp_path):
    with pytest.raises(ValueError, match="backoff"):
        write_arpa(NGramLM(2, "addk").fit(TOY), tmp_path / "x.arpa")
    with pytest.raises(ValueError, match="whitespace"):
        write_arpa(NGramLM(2, "mkn").fit([list("to be")]), tmp_path / "x.arpa")
    bad = tmp_path / "bad.arpa"
    bad.write_text("\\data\\\nngram 1=2\n\n\\1-grams:\n-1\t<s>\n\\end\\\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ngram 1=2"):
        read_arpa(bad)
    with pytest.raises(FileNotFoundError):
        read_arpa(tmp_path / "missing.arpa")

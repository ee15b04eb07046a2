"""Bad input for aigc_course.text and aigc_course.embeddings: every nonsense call is refused at the
boundary with a TypeError/ValueError that names the parameter, and damaged files name the file.

Each row of the tables is (callable, keyword arguments, error type, parameter, message fragment).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from aigc_course import embeddings as E
from aigc_course import text as T
from aigc_course.validate import IntTypeError

NAN, INF = float("nan"), float("inf")

VOCAB = T.Vocab.build("the cat sat on the mat".split())
UNIGRAM = T.UnigramLM.fit("a a a b".split())
WORDS = ["man", "woman", "king", "queen", "apple"]
VECTORS = E.WordVectors(WORDS, np.array([[2.0, 0.0, 0.0], [2.0, 0.4, 0.0], [0.0, 0.0, 3.0],
                                         [0.1, 1.5, 3.0], [-1.0, -1.0, 0.0]], dtype=np.float32))
QUESTION = E.Analogy("gender", "man", "king", "woman", "queen")
CORPUS = ("the cat sat on the mat and the dog sat on the log " * 20).split()
LONG_CORPUS = ["a", "b"] * 20_000  # 40,000 words: x (50 + 1) x 100 epochs is above MAX_TRAINING_PAIRS


def _skipgram(**kwargs):
    return E.train_skipgram(kwargs.pop("tokens", CORPUS), progress=kwargs.pop("progress", False),
                            min_count=kwargs.pop("min_count", 1), **kwargs)


TEXT_CASES = [
    # a str where a list of tokens is expected would be split into characters
    (T.remove_stop_words, dict(tokens="the cat", stop_words=["the"]), TypeError, "tokens", "not one str"),
    (T.remove_stop_words, dict(tokens=["the", "cat"], stop_words="the"), TypeError, "stop_words", "not one str"),
    (T.remove_stop_words, dict(tokens=["the", 3], stop_words=["the"]), TypeError, "tokens", "only str"),
    (T.remove_stop_words, dict(tokens=["a"], stop_words=["the"], drop_punctuation="no"), TypeError,
     "drop_punctuation", "True or False"),
    (T.segmentation_scores, dict(predicted=["我们学习"], gold=[["我们", "学习"]]), TypeError, "predicted[0]",
     "not a single str"),
    (T.segmentation_scores, dict(predicted=[["我们", "学习"]], gold="我们学习"), TypeError, "gold", "token lists"),
    (T.oov_rate, dict(tokens="the cat", vocab=VOCAB), TypeError, "tokens", "not one str"),
    (T.oov_rate, dict(tokens=["the"], vocab=[1, 2]), TypeError, "vocab", "only str"),
    (T.UnigramLM.fit, dict(tokens="a a b"), TypeError, "tokens", "not one str"),
    (UNIGRAM.log_prob, dict(tokens="ab"), TypeError, "tokens", "not one str"),
    (VOCAB.encode, dict(tokens="cat"), TypeError, "tokens", "not one str"),
    (T.Vocab, dict(tokens=["a"], specials="<unk>"), TypeError, "specials", "not one str"),
    (T.Vocab, dict(tokens=["a"], counts=[1]), TypeError, "counts", "mapping"),
    (T.Vocab.build, dict(tokens=["a"], specials="<unk>"), TypeError, "specials", "not one str"),
    # strings, flags and choices
    (T.word_tokenize, dict(text=None), TypeError, "text", "must be a str"),
    (T.word_tokenize, dict(text="a", lower=1), TypeError, "lower", "True or False"),
    (T.char_tokenize, dict(text=["a"]), TypeError, "text", "must be a str"),
    (T.is_punctuation, dict(token=3), TypeError, "token", "must be a str"),
    (T.zh_segment, dict(text="我们", mode=["accurate"]), ValueError, "mode", "one of"),
    (T.zh_segment, dict(text="我们", hmm="yes"), TypeError, "hmm", "True or False"),
    (T.compare_tokenizers, dict(text="a", lower=None), TypeError, "lower", "True or False"),
    (T.english_stop_words, dict(source=["sklearn"]), ValueError, "source", "one of"),  # was lru_cache's TypeError
    (T.chinese_stop_words, dict(source="jieba"), ValueError, "source", "one of"),
    (T.add_zh_words, dict(words=[3]), TypeError, "words", "only str"),
    (T.add_zh_words, dict(words=["词"], freq=True), TypeError, "freq", "must be an int"),
    (T.add_zh_words, dict(words=["词"], freq=10**12), ValueError, "freq", "1,000,000,000"),
    (T.add_zh_words, dict(words=5), TypeError, "words", "sequence of str"),
    (T.del_zh_words, dict(words=[" "]), ValueError, "words[0]", "non-space"),
    # counts, ranks, sizes
    (T.Vocab.build, dict(tokens=["a"], min_freq=True), TypeError, "min_freq", "must be an int"),
    (T.Vocab.build, dict(tokens=["a"], min_freq=1.5), ValueError, "min_freq", "must be an int"),
    (T.Vocab.build, dict(tokens=["a"], max_size=2.0), TypeError, "max_size", "must be an int"),
    (T.Vocab.build, dict(tokens=["a"], max_size=0), ValueError, "max_size", ">= 1"),
    (VOCAB.decode, dict(ids="12"), TypeError, "ids", "sequence of int"),
    (VOCAB.decode, dict(ids=[1.0]), TypeError, "ids", "must be an int"),
    (VOCAB.decode, dict(ids=[-1]), ValueError, "ids", "between 0 and"),
    (VOCAB.decode, dict(ids=np.array([[1, 2]])), TypeError, "ids", "must be an int"),
    (VOCAB.__getitem__, dict(token=["cat"]), TypeError, "token", "must be a str"),
    (UNIGRAM.sample, dict(n=10**12), ValueError, "n", "1,000,000"),
    (UNIGRAM.sample, dict(n=True), TypeError, "n", "must be an int"),
    (UNIGRAM.sample, dict(n=3, seed=-1), ValueError, "seed", ">= 0"),
    (UNIGRAM.sample, dict(n=3, seed=0.5), TypeError, "seed", "must be an int"),
    (UNIGRAM.prob, dict(token=None), TypeError, "token", "must be a str"),
    (T.UnigramLM, dict(vocab=VOCAB, probs=[0.5, 0.5]), ValueError, "probs", "shape"),
    (T.UnigramLM, dict(vocab="abc", probs=[1.0]), TypeError, "vocab", "must be a Vocab"),
    (T.zipf_fit, dict(counts=[5, 3, 1], min_rank=0), ValueError, "min_rank", ">= 1"),
    (T.zipf_fit, dict(counts=[5, 3, 1], max_rank=2.5), TypeError, "max_rank", "must be an int"),
    (T.zipf_fit, dict(counts=[5, NAN, 1]), ValueError, "counts", "finite"),  # NaN passed `<= 0`
    (T.zipf_fit, dict(counts=[5, INF, 1]), ValueError, "counts", "finite"),
    (T.rank_frequency, dict(counts=[True, False]), ValueError, "counts", "positive"),
    (T.rank_frequency, dict(counts=7), TypeError, "counts", "list of counts"),
    (T.rank_frequency, dict(counts="abc"), TypeError, "counts", "list of counts"),
    (T.perplexity, dict(log_prob=NAN, n_tokens=3), ValueError, "log_prob", "NaN"),
    (T.perplexity, dict(log_prob=2.0, n_tokens=3), ValueError, "log_prob", "<= 0"),
    (T.perplexity, dict(log_prob=-2.0, n_tokens=0), ValueError, "n_tokens", ">= 1"),
    (T.perplexity, dict(log_prob=-2.0, n_tokens=2.0), TypeError, "n_tokens", "must be an int"),
    # paths
    (T.Vocab.load, dict(path=None), TypeError, "path", "file path"),
    (VOCAB.save, dict(path=3), TypeError, "path", "file path"),
]

EMBEDDING_CASES = [
    (E.WordVectors, dict(words="ab", vectors=np.zeros((2, 3))), TypeError, "words", "not one str"),
    (E.WordVectors, dict(words=["a"], vectors=[["x", "y"]]), TypeError, "vectors", "numbers"),
    (E.WordVectors, dict(words=["a"], vectors=[[NAN, 1.0]]), ValueError, "vectors", "NaN"),
    (E.WordVectors, dict(words=[], vectors=np.zeros((0, 3))), ValueError, "vectors", "at least one word"),
    (VECTORS.vector, dict(word=3), TypeError, "word", "must be a str"),
    (VECTORS.similarity, dict(a="man", b=None), TypeError, "b", "must be a str"),
    (VECTORS.most_similar, dict(query="man", k=True), TypeError, "k", "must be an int"),
    (VECTORS.most_similar, dict(query="man", k=0), ValueError, "k", ">= 1"),
    (VECTORS.most_similar, dict(query="man", exclude="king"), TypeError, "exclude", "not one str"),
    (VECTORS.most_similar, dict(query=np.array([NAN, 0.0, 0.0])), ValueError, "query vector", "finite"),
    (VECTORS.most_similar, dict(query=np.zeros(3)), ValueError, "query vector", "zeros"),
    (VECTORS.most_similar, dict(query=["a", "b", "c"]), TypeError, "query vector", "numbers"),
    (VECTORS.analogy, dict(a="man", b="king", c="woman", k=1.0), TypeError, "k", "must be an int"),
    (VECTORS.subset, dict(words="man"), TypeError, "words", "not one str"),
    (E.glove_vectors, dict(max_words=0), ValueError, "max_words", ">= 1"),
    (E.glove_vectors, dict(max_words=[10]), TypeError, "max_words", "must be an int"),  # was lru_cache's TypeError
    (E.analogy_accuracy, dict(vectors={"man": 1}, analogies=[QUESTION]), TypeError, "vectors", "WordVectors"),
    (E.analogy_accuracy, dict(vectors=VECTORS, analogies="man king woman queen"), TypeError, "analogies",
     "list of Analogy"),
    (E.analogy_accuracy, dict(vectors=VECTORS, analogies=[("man", "king")]), TypeError, "analogies[0]",
     "five str"),
    (E.load_analogies, dict(path=3.5), TypeError, "path", "file path"),
    (E.keep_probabilities, dict(counts=np.array([3, 1]), threshold=NAN), ValueError, "threshold", "NaN"),
    (E.keep_probabilities, dict(counts=np.array([3, 1]), threshold=INF), ValueError, "threshold", "finite"),
    (E.keep_probabilities, dict(counts=np.array([3, 1]), threshold=2.0), ValueError, "threshold", "<= 1.0"),
    (E.keep_probabilities, dict(counts=np.array([3, -1])), ValueError, "counts", ">= 0"),
    (E.keep_probabilities, dict(counts=np.array([0, 0])), ValueError, "counts", "positive sum"),
    (E.keep_probabilities, dict(counts=np.array([[3, 1]])), ValueError, "counts", "1-D"),
    (E.negative_distribution, dict(counts=np.array([3, 1]), power=NAN), ValueError, "power", "NaN"),
    (E.negative_distribution, dict(counts=np.array([3, 1]), power=-1.0), ValueError, "power", ">= 0"),
    (E.negative_distribution, dict(counts=np.array([NAN, 1.0])), ValueError, "counts", "finite"),
    (E.negative_distribution, dict(counts="31"), TypeError, "counts", "numbers"),
    (E.skipgram_pairs, dict(ids=np.arange(5), window=10**12, rng=np.random.default_rng(0)), ValueError,
     "window", "50"),
    (E.skipgram_pairs, dict(ids=np.arange(5), window=True, rng=np.random.default_rng(0)), TypeError, "window",
     "must be an int"),
    (E.skipgram_pairs, dict(ids=np.arange(5), window=2, rng=0), TypeError, "rng", "Generator"),
    (E.skipgram_pairs, dict(ids=np.array([0.5, 1.5]), window=2, rng=np.random.default_rng(0)), TypeError, "ids",
     "int token ids"),
    (E.skipgram_pairs, dict(ids="abc", window=2, rng=np.random.default_rng(0)), TypeError, "ids", "int token ids"),
    (_skipgram, dict(tokens="the cat sat"), TypeError, "tokens", "not one str"),
    (_skipgram, dict(tokens=["the", 3]), TypeError, "tokens", "only str"),
    (_skipgram, dict(epochs=10**12), ValueError, "epochs", "100"),  # used to hang, building every epoch's pairs
    (_skipgram, dict(epochs=True), TypeError, "epochs", "must be an int"),
    (_skipgram, dict(dim=10**6), ValueError, "dim", "4,096"),
    (_skipgram, dict(window=10**6), ValueError, "window", "50"),
    (_skipgram, dict(negatives=10**9), ValueError, "negatives", "<= 100"),
    (_skipgram, dict(batch_size=10**9), ValueError, "batch_size", "1,000,000"),
    (_skipgram, dict(log_every=0), ValueError, "log_every", ">= 1"),
    (_skipgram, dict(lr=NAN), ValueError, "lr", "NaN"),
    (_skipgram, dict(lr=INF), ValueError, "lr", "finite"),
    (_skipgram, dict(lr=100.0), ValueError, "lr", "<= 10"),
    (_skipgram, dict(subsample=NAN), ValueError, "subsample", "NaN"),
    (_skipgram, dict(subsample=INF), ValueError, "subsample", "finite"),
    (_skipgram, dict(subsample=True), TypeError, "subsample", "number"),
    (_skipgram, dict(seed=-1), ValueError, "seed", "between 0 and"),
    (_skipgram, dict(seed=2**40), ValueError, "seed", "between 0 and"),
    (_skipgram, dict(threads=10**6), ValueError, "threads", "1,024"),
    (_skipgram, dict(progress="no"), TypeError, "progress", "True or False"),
    (_skipgram, dict(tokens=LONG_CORPUS, window=50, epochs=100), ValueError, "epochs", "MAX_TRAINING_PAIRS"),
]


def _skipgram_model(**kwargs):
    return E.SkipGram(**kwargs)


def _skipgram_forward(**kwargs):
    import torch

    model = E.SkipGram(5, 3)
    batch = dict(center=torch.tensor([0, 1]), context=torch.tensor([1, 2]), negative=torch.tensor([[3], [4]]))
    batch.update(kwargs)
    return model(**batch)


def _torch_cases():
    import torch

    return [
        (_skipgram_model, dict(vocab_size=10**6, dim=4096), ValueError, "vocab_size x dim", "MAX_EMBEDDING_VALUES"),
        (_skipgram_model, dict(vocab_size=5, dim=0), ValueError, "dim", "between 1 and 4,096"),
        (_skipgram_model, dict(vocab_size=5.0, dim=3), TypeError, "vocab_size", "must be an int"),
        (_skipgram_model, dict(vocab_size=5, dim=3, sparse="yes"), TypeError, "sparse", "True or False"),
        (_skipgram_forward, dict(center=torch.tensor([0, 7])), ValueError, "center", "outside the vocabulary"),
        (_skipgram_forward, dict(negative=torch.tensor([3, 4])), ValueError, "negative", "(B, K)"),
        (_skipgram_forward, dict(context=[1, 2]), TypeError, "context", "torch.Tensor"),
    ]


def _check(fn, kwargs, error, param, fragment):
    with pytest.raises(error) as caught:
        fn(**kwargs)
    message = str(caught.value)
    assert param in message, f"the message does not name {param!r}: {message}"
    assert fragment in message, f"the message does not say {fragment!r}: {message}"


@pytest.mark.parametrize("fn, kwargs, error, param, fragment", TEXT_CASES,
                         ids=[f"{c[0].__name__}-{c[3]}-{i}" for i, c in enumerate(TEXT_CASES)])
def test_text_refuses_bad_input(fn, kwargs, error, param, fragment):
    _check(fn, kwargs, error, param, fragment)


@pytest.mark.parametrize("fn, kwargs, error, param, fragment", EMBEDDING_CASES,
                         ids=[f"{c[0].__name__}-{c[3]}-{i}" for i, c in enumerate(EMBEDDING_CASES)])
def test_embeddings_refuse_bad_input(fn, kwargs, error, param, fragment):
    _check(fn, kwargs, error, param, fragment)


@pytest.mark.parametrize("fn, kwargs, error, param, fragment", _torch_cases(),
                         ids=lambda value: value if isinstance(value, str) else None)
def test_skipgram_module_refuses_bad_input(fn, kwargs, error, param, fragment):
    _check(fn, kwargs, error, param, fragment)


def test_wrong_type_is_also_a_value_error_where_it_was_one_before():
    """Parameters that used to raise ValueError for every bad value still do, and now also TypeError."""
    for call in (lambda: T.Vocab.build(["a"], min_freq=1.5), lambda: UNIGRAM.sample(True),
                 lambda: E.train_skipgram(CORPUS, dim=2.5, progress=False)):
        with pytest.raises(IntTypeError) as caught:
            call()
        assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)


# ------------------------------------------------------------------ damaged files

VOCAB_FILES = [
    (b"\xff\xfe\x00garbage", "not a UTF-8 text vocabulary file"),
    (b'{"format": "aigc-course-vocab", "version": 1, "specials": ["<unk>"], "tokens": ["a"', "not valid JSON"),
    (json.dumps({"format": "aigc-course-vocab", "version": 7, "specials": ["<unk>"], "tokens": []}).encode(),
     "unsupported vocabulary version 7"),
    (json.dumps({"format": "aigc-course-vocab", "version": 1, "specials": ["<unk>"]}).encode(),
     "'tokens' must be a list of str"),
    (json.dumps({"format": "aigc-course-vocab", "version": 1, "specials": ["<unk>"], "tokens": ["a", 3]}).encode(),
     "'tokens' must be a list of str"),
    (json.dumps({"format": "aigc-course-vocab", "version": 1, "specials": ["<unk>"], "tokens": ["a"],
                 "counts": ["x"]}).encode(), "'counts' must be a list of 1 ints"),
    (json.dumps({"format": "aigc-course-vocab", "version": 1, "specials": ["<pad>"], "tokens": ["a"]}).encode(),
     "specials must start with '<unk>'"),
    (json.dumps({"format": "aigc-course-vocab", "version": 1, "specials": ["<unk>"], "tokens": ["a", "a"]}).encode(),
     "must not repeat"),
    (json.dumps([1, 2]).encode(), "not a vocabulary written by Vocab.save"),
]


@pytest.mark.parametrize("content, fragment", VOCAB_FILES)
def test_damaged_vocab_file_names_the_file(tmp_path, content, fragment):
    path = tmp_path / "vocab.json"
    path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        T.Vocab.load(path)
    assert str(path) in str(caught.value) and fragment in str(caught.value)


ANALOGY_FILES = [
    (b"# category: x\n\xc3\x28 b c d\n", "not a UTF-8 text analogy file"),
    (b"# category: x\nman woman king\n", "expected 4 words"),
    (b"man woman king queen\n", "expected 4 words after a '# category:' line"),
]


@pytest.mark.parametrize("content, fragment", ANALOGY_FILES)
def test_damaged_analogy_file_names_the_file(tmp_path, content, fragment):
    path = tmp_path / "analogies.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        E.load_analogies(path)
    assert str(path) in str(caught.value) and fragment in str(caught.value)


def test_missing_files_name_the_path(tmp_path):
    for load in (T.Vocab.load, E.load_analogies):
        with pytest.raises(FileNotFoundError, match="missing.txt"):
            load(tmp_path / "missing.txt")
    with pytest.raises(FileNotFoundError, match="folder"):
        T.Vocab.load(tmp_path)


# ------------------------------------------------------------------ valid edge cases still work

def test_valid_edge_cases_still_work(tmp_path):
    assert T.remove_stop_words(["The", "cat", "."], frozenset({"the"})) == ["cat"]
    assert T.remove_stop_words(("a", "b"), {"a"}, drop_punctuation=False) == ["b"]
    assert T.segmentation_scores([("我们", "学习")], [["我们", "学习"]])["f1"] == 1.0  # tuples are sentences too
    assert T.oov_rate(["a", "b"], {"a"}) == 0.5
    assert T.Vocab.build(["a", "b", "b"], max_size=1).tokens == [T.UNK]  # max_size = the specials only
    assert T.Vocab.build(["a"], min_freq=np.int64(1)).tokens == [T.UNK, "a"]  # NumPy ints are ints
    assert VOCAB.decode(np.array([1, 0])) == [VOCAB.tokens[1], T.UNK]
    import torch

    assert VOCAB.decode(torch.tensor([1])) == [VOCAB.tokens[1]]
    assert VOCAB["never-seen"] == 0
    assert UNIGRAM.sample(0) == []
    assert T.perplexity(0.0, 3) == 1.0
    assert T.perplexity(-math.inf, 3) == math.inf  # a token of probability 0
    assert T.perplexity(-1e6, 1) == math.inf  # too large for a float, not an OverflowError
    assert T.zipf_fit([5, 3, 1], max_rank=10**9).slope < 0  # more ranks than there are is all of them
    assert T.zipf_fit({"a": 5.0, "b": 2.5}).slope < 0  # counts may be floats
    assert T.word_tokenize("") == [] and T.char_tokenize("") == [] and T.zh_segment("") == []
    assert T.english_stop_words() is T.english_stop_words("sklearn")  # still cached
    T.add_zh_words("测试新词")  # one str is one word
    T.del_zh_words(["测试新词"])
    path = VOCAB.save(tmp_path / "v.json")
    assert T.Vocab.load(str(path)).tokens == VOCAB.tokens


def test_valid_embedding_edge_cases_still_work():
    assert len(VECTORS.most_similar("man", k=100)) == len(WORDS) - 1  # a k above the vocabulary: every other word
    assert VECTORS.most_similar("man", exclude=("woman",))[0][0] != "woman"
    assert VECTORS.most_similar([0.0, 0.0, 1.0], k=1)[0][0] == "king"  # a plain list is a vector
    assert VECTORS.subset(("queen", "man")).words == ["queen", "man"]
    score = E.analogy_accuracy(VECTORS, [tuple(QUESTION)])  # plain 5-tuples are analogies too
    assert score.correct == 1
    keep = E.keep_probabilities(np.array([0, 5, 1]), threshold=1.0)
    assert keep[0] == 0 and (keep[1:] == 1).all()
    noise = E.negative_distribution(np.array([0, 4, 1]), power=0.0)
    assert noise[0] == 0 and noise[1] == noise[2] == 0.5  # a word never seen is never a negative
    centers, contexts = E.skipgram_pairs([], 3, np.random.default_rng(0))
    assert len(centers) == len(contexts) == 0
    run = E.train_skipgram(CORPUS, dim=4, window=1, negatives=1, min_count=1, subsample=1.0, epochs=1,
                           batch_size=10**6, lr=10.0, log_every=10**9, threads=None, progress=False)
    assert run.steps == [1]  # one batch holds every pair; the last step is always logged

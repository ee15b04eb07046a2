"""Tests for aigc_course.embeddings: word-vector queries, GloVe, analogies, skip-gram."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from aigc_course import embeddings as E
from aigc_course.embeddings import (Analogy, WordVectors, analogy_accuracy, glove_vectors, keep_probabilities,
                                    load_analogies, negative_distribution, skipgram_pairs, train_skipgram)


@pytest.fixture(scope="module")
def toy() -> WordVectors:
    words = ["man", "woman", "king", "queen", "apple"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [-1, 0, 0]], dtype=np.float32)
    return WordVectors(words, vectors)


# ---------------------------------------------------------------- WordVectors


def test_similarity_is_cosine(toy):
    assert toy.similarity("man", "woman") == pytest.approx(1 / math.sqrt(2))
    assert toy.similarity("man", "apple") == pytest.approx(-1.0)
    assert toy.similarity("king", "king") == pytest.approx(1.0)


def test_most_similar_excludes_the_query_and_sorts(toy):
    neighbours = toy.most_similar("man", k=4)
    assert [w for w, _ in neighbours] == ["woman", "king", "queen", "apple"]
    scores = [s for _, s in neighbours]
    assert scores == sorted(scores, reverse=True)
    assert toy.most_similar("man", k=2, exclude=["woman"])[0][0] == "king"
    assert toy.most_similar(np.array([1, 1, 1], np.float32), k=1) == [("queen", pytest.approx(1.0))]


def test_analogy_adds_and_subtracts_vectors(toy):
    assert toy.analogy("man", "king", "woman", k=1)[0][0] == "queen"


def test_unknown_word_errors_name_the_word(toy):
    with pytest.raises(KeyError, match="'prince' is not in the vocabulary"):
        toy.most_similar("prince")
    with pytest.raises(KeyError, match="'King'.*lower case"):
        toy.vector("King")
    with pytest.raises(KeyError, match="c 'duke'"):
        toy.analogy("man", "king", "duke")
    with pytest.raises(TypeError, match="word must be a str"):
        toy.vector(3)
    with pytest.raises(ValueError, match="k must be"):
        toy.most_similar("man", k=0)
    with pytest.raises(ValueError, match="shape"):
        toy.most_similar(np.zeros(4))


def test_word_vectors_validate_shapes():
    with pytest.raises(ValueError, match="shape"):
        WordVectors(["a", "b"], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="repeat"):
        WordVectors(["a", "a"], np.zeros((2, 2)))


def test_subset_keeps_order_and_vectors(toy):
    small = toy.subset(["queen", "man"])
    assert small.words == ["queen", "man"]
    np.testing.assert_array_equal(small.vector("man"), toy.vector("man"))


# ---------------------------------------------------------------- GloVe


@pytest.fixture(scope="module")
def glove() -> WordVectors:
    return glove_vectors(100_000)


def test_glove_king_minus_man_plus_woman_is_queen(glove):
    assert glove.analogy("man", "king", "woman", k=1)[0][0] == "queen"
    assert glove.dim == 50 and len(glove) == 100_000


def test_glove_neighbours_make_sense(glove):
    neighbours = [w for w, _ in glove.most_similar("france", k=5)]
    assert {"belgium", "spain", "italy"} & set(neighbours)
    assert glove.similarity("cat", "dog") > glove.similarity("cat", "economy")


def test_glove_full_vocabulary_loads():
    full = glove_vectors()
    assert len(full) == 400_000 and "生成" not in full and "the" in full


def test_glove_analogy_accuracy_on_the_course_set(glove):
    questions = load_analogies()
    score = analogy_accuracy(glove, questions)
    assert score.total == len(questions) >= 40 and score.covered == score.total
    assert 0.4 <= score.accuracy <= 0.8  # measured 0.55 (31/56) with 50-d GloVe
    assert set(score.by_category) == {"capitals", "gender", "plurals", "past tense"}


# ---------------------------------------------------------------- analogy file


def test_load_analogies_format(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("# a comment\n# category: gender\nman woman king queen\n\n# category: plurals\ncat cats dog dogs\n",
                    encoding="utf-8")
    assert load_analogies(path) == [Analogy("gender", "man", "woman", "king", "queen"),
                                    Analogy("plurals", "cat", "cats", "dog", "dogs")]
    path.write_text("# category: x\nman woman king\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected 4 words"):
        load_analogies(path)


def test_analogy_accuracy_counts_uncovered(toy):
    questions = [Analogy("g", "man", "king", "woman", "queen"), Analogy("g", "man", "king", "boy", "prince")]
    score = analogy_accuracy(toy, questions)
    assert (score.correct, score.covered, score.total, score.accuracy, score.accuracy_all) == (1, 1, 2, 1.0, 0.5)
    with pytest.raises(ValueError, match="empty"):
        analogy_accuracy(toy, [])


# ---------------------------------------------------------------- skip-gram pieces


def test_keep_probabilities_follow_word2vec():
    counts = np.array([0, 1000, 10, 1])
    keep = keep_probabilities(counts, threshold=1e-2)
    f = 1000 / 1011
    assert keep[0] == 0 and keep[2] == keep[3] == 1.0
    assert keep[1] == pytest.approx((math.sqrt(f / 1e-2) + 1) * 1e-2 / f)
    with pytest.raises(ValueError, match="threshold"):
        keep_probabilities(counts, threshold=0)


def test_negative_distribution_flattens_counts():
    p = negative_distribution(np.array([1.0, 16.0]))
    assert p.sum() == pytest.approx(1.0) and p[1] / p[0] == pytest.approx(8.0)


def test_skipgram_pairs_with_fixed_window():
    class AlwaysMax:  # the window-size draw always returns the full window
        def integers(self, lo, hi, size):
            return np.full(size, hi - 1)

    centers, contexts = skipgram_pairs(np.array([10, 11, 12]), 1, AlwaysMax())
    assert sorted(zip(centers.tolist(), contexts.tolist())) == [(10, 11), (11, 10), (11, 12), (12, 11)]
    centers, _ = skipgram_pairs(np.array([1, 2, 3, 4]), 5, AlwaysMax())
    assert len(centers) == 12  # every ordered pair of 4 distinct positions


def test_skipgram_pairs_shrink_the_window_at_random():
    centers, _ = skipgram_pairs(np.arange(10_000), 4, np.random.default_rng(0))
    assert len(centers) == pytest.approx(2 * 10_000 * 2.5, rel=0.02)  # mean window size (1+2+3+4)/4


def test_skipgram_module_loss_shape_and_value():
    model = E.SkipGram(10, 4)
    loss = model(torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([[5, 6], [7, 8]]))
    assert loss.shape == () and loss.item() == pytest.approx(3 * math.log(2))  # zero context vectors: σ(0) = 1/2
    assert E.SkipGram is E.SkipGram


def _toy_corpus(n_sentences: int = 600, seed: int = 0) -> list[str]:
    """Animals appear around pet words, fruits around food words: two kinds of context."""
    rng = np.random.default_rng(seed)
    animals, fruits = ["cat", "dog", "horse"], ["apple", "pear", "plum"]
    pet, food = ["feed", "stroke", "walk", "pet"], ["eat", "peel", "slice", "juicy"]
    tokens = []
    for _ in range(n_sentences):
        if rng.random() < 0.5:
            tokens += [rng.choice(pet), "the", rng.choice(animals), rng.choice(pet)]
        else:
            tokens += [rng.choice(food), "the", rng.choice(fruits), rng.choice(food)]
    return [str(t) for t in tokens]


@pytest.fixture(scope="module")
def toy_run():
    return train_skipgram(_toy_corpus(), dim=16, window=2, negatives=4, min_count=1, subsample=None,
                          epochs=5, batch_size=256, lr=0.02, seed=0, progress=False)


def test_skipgram_learns_that_shared_contexts_mean_close_vectors(toy_run):
    vectors = toy_run.word_vectors()
    same = [vectors.similarity(a, b) for a, b in [("cat", "dog"), ("apple", "pear"), ("horse", "cat"), ("plum", "pear")]]
    different = [vectors.similarity(a, b) for a, b in [("cat", "apple"), ("dog", "pear"), ("horse", "plum")]]
    assert min(same) > max(different)
    assert toy_run.losses[-1] < toy_run.losses[0]


def test_skipgram_is_deterministic_with_a_seed(toy_run):
    again = train_skipgram(_toy_corpus(), dim=16, window=2, negatives=4, min_count=1, subsample=None,
                           epochs=5, batch_size=256, lr=0.02, seed=0, progress=False)
    assert again.losses == toy_run.losses
    torch.testing.assert_close(again.model.center.weight, toy_run.model.center.weight, rtol=0, atol=0)
    other = train_skipgram(_toy_corpus(), dim=16, window=2, negatives=4, min_count=1, subsample=None,
                           epochs=1, batch_size=256, seed=1, progress=False)
    assert not torch.equal(other.model.center.weight, toy_run.model.center.weight)


def test_skipgram_restores_the_thread_setting():
    before = torch.get_num_threads()
    train_skipgram(_toy_corpus(50), dim=4, min_count=1, epochs=1, progress=False, threads=1)
    assert torch.get_num_threads() == before


def test_skipgram_reports_its_work(toy_run):
    assert toy_run.words == len(_toy_corpus())
    assert toy_run.pairs > 5 * toy_run.words  # 5 epochs, about 1.5 neighbours per side
    batches = toy_run.steps[-1]  # each of the 5 epochs ends with a (possibly partial) batch
    assert math.ceil(toy_run.pairs / 256) <= batches <= math.ceil(toy_run.pairs / 256) + 4
    assert len(toy_run.losses) == len(toy_run.steps) and toy_run.seconds > 0 and toy_run.cpu_seconds > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"negatives": 0}, "negatives must be an int >= 1"),
    ({"negatives": -3}, "negatives must be an int >= 1"),
    ({"window": 0}, "window"),
    ({"dim": 2.5}, "dim"),
    ({"subsample": 0}, "subsample"),
    ({"lr": -1.0}, "lr"),
    ({"min_count": 0}, "min_count"),
    ({"threads": 0}, "threads"),
    ({"min_count": 10_000}, "min_count=10000"),
])
def test_skipgram_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_skipgram(_toy_corpus(20), progress=False, **kwargs)


def test_skipgram_rejects_a_plain_string():
    with pytest.raises(TypeError, match="not one str"):
        train_skipgram("the cat sat on the mat", progress=False)

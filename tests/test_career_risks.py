"""Hands-on risk measures: verbatim copying, gender bias in GloVe, likelihood-based detection."""

import random

import numpy as np
import pytest

from aigc_course.career.authenticity import detection_auc, score_lines
from aigc_course.career.memorisation import VerbatimIndex, copied_fraction, copy_report


def _naive_mask(generated, training, span):
    mask = [False] * len(generated)
    for s in range(len(generated) - span + 1):
        if generated[s:s + span] in training:
            mask[s:s + span] = [True] * span
    return mask


def _naive_longest(generated, training, span):
    best = ""
    for i in range(len(generated)):
        for j in range(i + span, len(generated) + 1):
            if generated[i:j] in training and j - i > len(best):
                best = generated[i:j]
    return best


@pytest.mark.parametrize("seed", range(6))
def test_copy_measures_match_brute_force(seed):
    rng = random.Random(seed)
    alphabet = "ab c" if seed % 2 else "abcdefg 中文"
    training = "".join(rng.choice(alphabet) for _ in range(400))
    # a generated text that mixes copied pieces of the training text with fresh characters
    pieces = []
    for _ in range(8):
        if rng.random() < 0.5:
            start = rng.randrange(0, 350)
            pieces.append(training[start:start + rng.randrange(3, 40)])
        else:
            pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(3, 20))))
    generated = "".join(pieces)
    for span in (3, 6, 12):
        index = VerbatimIndex(training, span)
        assert index.copied_mask(generated).tolist() == _naive_mask(generated, training, span)
        assert index.copied_fraction(generated) == pytest.approx(np.mean(_naive_mask(generated, training, span)))
        assert len(index.longest_copy(generated)) == len(_naive_longest(generated, training, span))
        assert index.longest_copy(generated) in training


def test_copy_measures_on_known_texts():
    training = "To be, or not to be, that is the question.\nWhether 'tis nobler in the mind to suffer\n"
    assert copied_fraction("that is the question", training, span=8) == 1.0
    assert copied_fraction("zzzz that is the question zzzz", training, span=8) == pytest.approx(21 / 30)  # " that is the question"
    assert copied_fraction("a question of mind", training, span=10) == 0.0
    report = copy_report("mix", "xx to be, that is the question. yy", VerbatimIndex(training, 8))
    assert report.longest == " to be, that is the question." and report.n_chars == 34
    assert copied_fraction("short", training, span=32) == 0.0  # shorter than one window


def test_copy_bad_input():
    with pytest.raises(ValueError, match="span"):
        VerbatimIndex("abc", span=0)
    with pytest.raises(ValueError, match="span"):
        VerbatimIndex("abc", span=2.5)
    with pytest.raises(ValueError, match="training_text"):
        VerbatimIndex("", span=3)
    with pytest.raises(ValueError, match="empty"):
        copied_fraction("", "abc", span=2)
    with pytest.raises(TypeError, match="generated"):
        VerbatimIndex("abc", 2).window_found(["a", "b"])


def test_detection_auc_matches_rank_definition():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    generated, human = rng.normal(1.2, 0.3, 50), rng.normal(1.6, 0.3, 70)
    labels = np.r_[np.ones(50), np.zeros(70)]
    # generated lines have LOWER cross-entropy, so the detector's score is minus the cross-entropy
    assert detection_auc(generated, human) == pytest.approx(roc_auc_score(labels, -np.r_[generated, human]))
    assert detection_auc([1.0, 1.0], [1.0]) == 0.5
    assert detection_auc([0.0], [1.0]) == 1.0 and detection_auc([2.0], [1.0]) == 0.0
    assert score_lines(len, ["ab", "abc"]).tolist() == [2.0, 3.0]
    with pytest.raises(ValueError, match="non-empty"):
        detection_auc([], [1.0])
    with pytest.raises(ValueError, match="finite"):
        detection_auc([float("nan")], [1.0])
    with pytest.raises(TypeError, match="score"):
        score_lines(3, ["a"])


def test_glove_puts_occupations_on_a_gender_axis():
    from aigc_course.career.bias import gender_direction, gender_projections

    direction = gender_direction()
    assert direction.shape == (50,) and np.linalg.norm(direction) == pytest.approx(1.0)
    by_word = {p.word: p for p in gender_projections()}
    # the well-known associations of Bolukbasi et al. (2016) are in these vectors too
    for word in ("nurse", "receptionist", "homemaker"):
        assert by_word[word].z > 1.5, by_word[word]
    for word in ("engineer", "architect", "manager"):
        assert by_word[word].z < -1.0, by_word[word]
    with pytest.raises(ValueError, match="not in the GloVe vocabulary"):
        gender_projections(["nurse", "qwertyuiopasdf"])
    with pytest.raises(ValueError, match="n_reference"):
        gender_projections(n_reference=5)

"""Tests for aigc_course.metrics: the digit classifier, classifier-feature FID and class coverage."""

import math

import numpy as np
import pytest
import scipy.linalg
import torch

from aigc_course import metrics
from aigc_course.data import load_mnist5k
from aigc_course.metrics import (
    Coverage,
    DigitClassifier,
    class_coverage,
    classifier_accuracy,
    classifier_fid,
    digit_features,
    fid_real_floor,
    frechet_distance,
    get_digit_classifier,
    random_affine,
)


@pytest.fixture(scope="module")
def classifier():
    return get_digit_classifier(progress=False)


@pytest.fixture(scope="module")
def test_set():
    return load_mnist5k("test")


# ---- the classifier ------------------------------------------------------------------


def test_classifier_shapes():
    model = DigitClassifier().eval()
    x = torch.rand(5, 1, 28, 28)
    assert model(x).shape == (5, 10)
    assert model.features(x).shape == (5, DigitClassifier.feature_dim)
    assert digit_features(x, model).shape == (5, 128)


@pytest.mark.slow
def test_classifier_reaches_97_percent_on_the_test_split(classifier, test_set):
    images, labels = test_set
    accuracy = classifier_accuracy(classifier, images, labels)
    # measured 0.976 to 0.982 for training seeds 0-3: a thin margin, kept because notebook 05
    # asserts the same 97 % (a classifier below it would fail the notebook, so fail here first)
    assert accuracy >= 0.97, f"test accuracy {accuracy:.3f}"


def test_classifier_is_cached_in_safetensors_and_reloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("AIGC_CACHE", str(tmp_path))
    monkeypatch.setattr(metrics, "_LOADED", {})
    calls = []

    def cheap_training(seed=0, progress=True):
        calls.append(seed)
        torch.manual_seed(seed)
        return DigitClassifier().eval()

    monkeypatch.setattr(metrics, "train_digit_classifier", cheap_training)
    first = get_digit_classifier(progress=False)
    path = tmp_path / "metrics" / f"{metrics.CLASSIFIER_VERSION}.safetensors"
    assert path.is_file() and calls == [0]
    assert get_digit_classifier(progress=False) is first  # same process: no reload
    monkeypatch.setattr(metrics, "_LOADED", {})
    again = get_digit_classifier(progress=False)          # "new process": loads the file, no training
    assert calls == [0] and again is not first
    for (name, a), (_, b) in zip(first.state_dict().items(), again.state_dict().items()):
        assert torch.equal(a, b), name
    assert not list((tmp_path / "metrics").glob("*.tmp"))


def test_random_affine_is_seeded_and_keeps_shape_and_range():
    x = load_mnist5k("test")[0][:8]
    a = random_affine(x, torch.Generator().manual_seed(1))
    b = random_affine(x, torch.Generator().manual_seed(1))
    assert a.shape == x.shape and torch.equal(a, b)
    assert a.min() >= 0 and a.max() <= 1 + 1e-6
    assert not torch.equal(a, x)


def test_train_digit_classifier_rejects_bad_settings():
    with pytest.raises(ValueError, match="epochs"):
        metrics.train_digit_classifier(epochs=0)
    with pytest.raises(ValueError, match="batch_size"):
        metrics.train_digit_classifier(batch_size=0)


# ---- Fréchet distance ----------------------------------------------------------------


def _random_psd(d, rng):
    a = rng.normal(size=(d, d))
    return a @ a.T / d


def test_frechet_distance_matches_scipy_sqrtm():
    rng = np.random.default_rng(0)
    for d in (1, 3, 16):
        mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
        c1, c2 = _random_psd(d, rng), _random_psd(d, rng)
        root = scipy.linalg.sqrtm(c1 @ c2).real
        expected = ((mu1 - mu2) ** 2).sum() + np.trace(c1 + c2 - 2 * root)
        assert frechet_distance(mu1, c1, mu2, c2) == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_frechet_distance_in_one_dimension_and_with_a_singular_covariance():
    # 1-D: (mu1 - mu2)^2 + (s1 - s2)^2
    assert frechet_distance(np.array([1.0]), np.array([[4.0]]), np.array([-1.0]), np.array([[1.0]])) == pytest.approx(5.0)
    # a collapsed set (zero covariance) stays finite and real
    value = frechet_distance(np.zeros(3), np.zeros((3, 3)), np.zeros(3), np.eye(3))
    assert value == pytest.approx(3.0)
    with pytest.raises(ValueError, match="cov1 and cov2"):
        frechet_distance(np.zeros(3), np.eye(2), np.zeros(3), np.eye(3))


def test_fid_of_a_set_with_itself_is_zero_and_noise_is_far(classifier, test_set):
    images = test_set[0]
    assert classifier_fid(images, images, classifier) == pytest.approx(0.0, abs=1e-6)
    floor = fid_real_floor(classifier)
    halves = classifier_fid(images[::2], images[1::2], classifier)
    noise = classifier_fid(torch.rand(1000, 1, 28, 28, generator=torch.Generator().manual_seed(0)), images, classifier)
    # measured over classifier seeds 0-3: floor 2.3-3.1, halves 8.6-12.0, noise 1,490-2,690
    assert 0 < floor < 20
    assert noise > 50 * floor and noise > 50 * halves


def test_fid_grows_as_images_get_blurrier(classifier, test_set):
    images = test_set[0][::2]              # the splits are sorted by digit: stride, do not slice
    other = load_mnist5k("train")[0][::8]
    blurred = torch.nn.functional.avg_pool2d(images, 3, stride=1, padding=1)
    # measured over classifier seeds 0-3: 9-12 for other real digits, 230-340 for the blurred ones
    assert classifier_fid(other, images, classifier) < classifier_fid(blurred, images, classifier)


# ---- coverage ------------------------------------------------------------------------


def test_coverage_of_real_test_digits_is_ten_of_ten(classifier, test_set):
    coverage = class_coverage(test_set[0], classifier)
    assert isinstance(coverage, Coverage)
    assert coverage.classes_covered == 10
    assert sum(coverage.histogram) == 1000 and len(coverage.histogram) == 10
    assert 0 <= coverage.kl_from_uniform < 0.01  # measured at most 0.0003 over classifier seeds 0-3


class _FixedPredictions(torch.nn.Module):
    """A deterministic stand-in for the digit classifier: image ``i`` is classified as ``digits[i]``."""

    def __init__(self, digits):
        super().__init__()
        self.digits = torch.as_tensor(digits)
        self.seen = 0

    def features(self, x):
        return x.flatten(1)[:, :4]

    def forward(self, x):
        batch = self.digits[self.seen:self.seen + len(x)]
        self.seen += len(x)
        return torch.nn.functional.one_hot(batch, 10).float() * 20 - 10


def test_coverage_counts_a_collapse_to_one_digit_exactly():
    # the histogram the real classifier gave on another machine: 96 sevens and 4 stray digits
    digits = [7] * 96 + [2, 2, 3, 9]
    coverage = class_coverage(torch.zeros(100, 1, 28, 28), _FixedPredictions(digits))
    assert coverage.histogram == [0, 0, 2, 1, 0, 0, 0, 96, 0, 1]
    assert coverage.classes_covered == 4           # default 1 % of 100 = 1 image: every stray digit counts
    p = np.array([2, 1, 96, 1]) / 100
    assert coverage.kl_from_uniform == pytest.approx(float((p * np.log(10 * p)).sum()), rel=1e-12)
    for min_fraction, covered in [(0.0, 4), (0.02, 2), (0.03, 1), (0.05, 1)]:  # 2 % = 2 images: the 2s count
        result = class_coverage(torch.zeros(100, 1, 28, 28), _FixedPredictions(digits), min_fraction=min_fraction)
        assert result.classes_covered == covered, (min_fraction, result)
    one_digit = class_coverage(torch.zeros(100, 1, 28, 28), _FixedPredictions([7] * 100))
    assert one_digit.classes_covered == 1 and one_digit.kl_from_uniform == pytest.approx(math.log(10), rel=1e-12)


def test_the_real_classifier_sees_a_collapse_to_one_digit(classifier, test_set):
    # Margins for any reasonably trained classifier (~98 % accurate; a cold cache on another CPU
    # gives another one): at least 90 of the 100 sevens are called 7, so a 5 % threshold counts
    # only the 7 (5 of the <= 10 mistakes would have to be the same digit), and the KL
    # is at least that of 90 % on one digit with the rest spread evenly: 0.9 ln 9 + 0.1 ln(1/9) = 1.76 nats.
    images, labels = test_set
    sevens = images[labels == 7]
    coverage = class_coverage(sevens, classifier)
    assert coverage.histogram[7] >= 90, coverage
    assert class_coverage(sevens, classifier, min_fraction=0.05).classes_covered == 1
    assert 1.7 < coverage.kl_from_uniform <= math.log(10) + 1e-9


def test_kl_from_uniform_is_in_nats():
    class Fixed(torch.nn.Module):  # a "classifier" that predicts digit = index mod 2
        def features(self, x):
            return x.flatten(1)[:, :4]

        def forward(self, x):
            out = torch.full((len(x), 10), -10.0)
            out[torch.arange(len(x)), torch.arange(len(x)) % 2] = 10.0
            return out

    coverage = class_coverage(torch.zeros(20, 1, 28, 28), Fixed())
    assert coverage.histogram == [10, 10] + [0] * 8
    assert coverage.kl_from_uniform == pytest.approx(math.log(5))  # 0.5 ln(0.5 * 10) * 2
    assert coverage.classes_covered == 2


# ---- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, error, match",
    [
        (torch.rand(10, 28, 28), ValueError, r"\(N, 1, 28, 28\)"),
        (torch.rand(10, 1, 32, 32), ValueError, "shape"),
        (torch.rand(10, 1, 28, 28) * 2 - 1, ValueError, r"\[0, 1\].*\(x \+ 1\) / 2"),
        (torch.full((10, 1, 28, 28), float("nan")), ValueError, "NaN"),
        (torch.randint(0, 255, (10, 1, 28, 28)), TypeError, "float"),
        ([[0.0]], TypeError, "torch.Tensor"),
    ],
)
def test_bad_images_are_rejected_with_a_clear_message(classifier, bad, error, match):
    good = torch.rand(10, 1, 28, 28)
    with pytest.raises(error, match=match):
        classifier_fid(bad, good, classifier)
    with pytest.raises(error, match=match):
        class_coverage(bad, classifier)


def test_too_few_samples_are_rejected(classifier):
    with pytest.raises(ValueError, match="at least 2"):
        classifier_fid(torch.rand(1, 1, 28, 28), torch.rand(10, 1, 28, 28), classifier)
    with pytest.raises(ValueError, match="at least 10"):
        class_coverage(torch.rand(5, 1, 28, 28), classifier)


def test_other_bad_arguments(classifier):
    x = torch.rand(10, 1, 28, 28)
    with pytest.raises(TypeError, match="classifier"):
        classifier_fid(x, x, classifier="resnet")
    with pytest.raises(ValueError, match="labels"):
        classifier_accuracy(classifier, x, torch.zeros(3, dtype=torch.long))
    with pytest.raises(ValueError, match="min_fraction"):
        class_coverage(x, classifier, min_fraction=0.5)

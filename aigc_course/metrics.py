"""Measuring generated digits: a digit classifier, classifier-feature FID and class coverage.

A generative model cannot be judged by its training loss alone (a GAN's losses say
who is winning the game, not how good the pictures are). This module provides three
measuring instruments for 28x28 digit images, shared by the GAN and VAE lessons:

- :class:`DigitClassifier`, a small CNN trained on the MNIST-5k training split. It is
  the "eye" the other two metrics look through. :func:`get_digit_classifier` trains it
  once (eight passes over 4,000 digits on two CPU threads, well under a minute
  on a laptop) and caches the weights.
- :func:`classifier_fid`, the Fréchet distance between two image sets measured in the
  classifier's penultimate features: the idea of the Fréchet Inception Distance
  (Heusel et al., 2017), with a digit classifier in place of Inception-v3. Lower is
  better; :func:`fid_real_floor` (real training digits vs. real test digits) shows how
  low "as good as real data" is.
- :func:`class_coverage`: which of the ten digits a set of samples contains, and how
  far the predicted class histogram is from uniform (KL divergence, nats). Mode
  collapse shows up here at once.

All images are float tensors of shape ``(N, 1, 28, 28)`` with values in [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .config import LESSON_THREADS, cache_dir, seed_everything
from .io import atomic_path
from .validate import (check_bool, check_finite_tensor, check_float, check_float_batch, check_int, check_int_compat,
                       check_str)

IMAGE_SHAPE = (1, 28, 28)  # one grey 28x28 digit

__all__ = [
    "CLASSIFIER_VERSION",
    "Coverage",
    "DigitClassifier",
    "check_digit_images",
    "class_coverage",
    "classifier_accuracy",
    "classifier_fid",
    "digit_features",
    "frechet_distance",
    "fid_real_floor",
    "get_digit_classifier",
    "train_digit_classifier",
]

#: Bump whenever the architecture or the training recipe changes: the cached weights
#: are stored under this name, so a new version is trained afresh instead of loading
#: weights that no longer match.
CLASSIFIER_VERSION = "digitcnn-v4"

#: Pixel values may overshoot [0, 1] by this much (float rounding) before we complain.
_RANGE_TOLERANCE = 1e-4

#: Upper bounds, so that a typo (``epochs=10**9``) is refused before any work starts.
MAX_EPOCHS = 1_000            # classifier training passes (the course uses 8)
MAX_BATCH_SIZE = 65_536
MAX_SEED = 2**32 - 1          # what :func:`aigc_course.config.seed_everything` accepts
MAX_FEATURE_DIM = 4_096       # Fréchet distance: an eigendecomposition costs d^3 (the classifier has 128)

#: A covariance may deviate from symmetric positive semi-definite by this much, relative to
#: its largest entry / eigenvalue, before it is refused: float32 rounding of a 128 x 128
#: covariance moves eigenvalues by about 1e-6 of the largest; anything beyond is not rounding.
_COVARIANCE_RTOL = 1e-5


# --------------------------------------------------------------------------------------
# Input checking
# --------------------------------------------------------------------------------------


def check_digit_images(images: object, name: str = "images", min_count: int = 1) -> torch.Tensor:
    """Validate a batch of digit images and return it as a float32 CPU tensor.

    ``images`` must be a tensor (or NumPy array) of shape ``(N, 1, 28, 28)`` with
    finite values in [0, 1] and ``N >= min_count``. The error message names
    ``name``, the bad shape or value and what is allowed.
    """
    name = check_str(name, "name", allow_empty=False)
    min_count = check_int(min_count, "min_count", minimum=1, maximum=MAX_BATCH_SIZE)
    if isinstance(images, np.ndarray):
        images = torch.from_numpy(images)
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (N, 1, 28, 28), got {type(images).__name__}")
    if images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(f"{name} must have shape (N, 1, 28, 28), got {tuple(images.shape)}")
    if not images.is_floating_point():
        raise TypeError(f"{name} must be a float tensor with values in [0, 1], got dtype {images.dtype}")
    if images.shape[0] < min_count:
        raise ValueError(f"{name} has {images.shape[0]} images; this metric needs at least {min_count}")
    images = images.detach().to("cpu", torch.float32)
    check_finite_tensor(images, name)  # before the range check: NaN passes every comparison
    low, high = images.min().item(), images.max().item()
    if low < -_RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"{name} must have values in [0, 1], got min {low:.3g} and max {high:.3g} "
            "(a generator with a Tanh output gives [-1, 1]: map it with (x + 1) / 2)"
        )
    return images.clamp(0.0, 1.0)


# --------------------------------------------------------------------------------------
# The digit classifier
# --------------------------------------------------------------------------------------


class DigitClassifier(nn.Module):
    """A small CNN for 28x28 digits: two conv blocks, a 128-unit hidden layer, 10 logits.

    conv 5x5 (16) -> BatchNorm -> ReLU -> max-pool (14x14) -> conv 3x3 (32) -> BatchNorm
    -> ReLU -> max-pool (7x7) -> Linear 1568 -> 128 -> ReLU -> Linear 128 -> 10.
    ``forward(x)`` maps images ``(N, 1, 28, 28)`` in [0, 1] to logits ``(N, 10)``;
    ``features(x)`` returns the penultimate activations ``(N, 128)`` that
    :func:`classifier_fid` compares.
    """

    feature_dim = 128

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),   # 16 x 14 x 14
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),  # 32 x 7 x 7
        )
        self.hidden = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, self.feature_dim), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(self.feature_dim, 10))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate features ``(N, 128)`` of images ``(N, 1, 28, 28)`` in [0, 1]."""
        return self.hidden(self.conv(check_float_batch(x, "x", IMAGE_SHAPE) - 0.5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, 10)`` of images ``(N, 1, 28, 28)`` in [0, 1]."""
        return self.head(self.features(x))


def random_affine(x: torch.Tensor, generator: torch.Generator, degrees: float = 12.0,
                  scale: float = 0.1, shift: float = 2.0) -> torch.Tensor:
    """Randomly rotate (±``degrees``), rescale (±``scale``) and shift (±``shift`` pixels) each image.

    Cheap data augmentation for ``(N, 1, 28, 28)`` images: one ``affine_grid`` +
    ``grid_sample`` call for the whole batch. Handwriting varies in exactly these
    ways, so the classifier learns from 4,000 digits what it would otherwise need
    many more for. ``degrees`` in [0, 180], ``scale`` in [0, 1), ``shift`` in [0, 28] pixels.
    """
    check_float_batch(x, "x", IMAGE_SHAPE)
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
    degrees = check_float(degrees, "degrees", minimum=0.0, maximum=180.0)
    scale = check_float(scale, "scale", minimum=0.0, maximum=1.0, exclusive_maximum=True)
    shift = check_float(shift, "shift", minimum=0.0, maximum=28.0)
    n = x.shape[0]
    u = torch.rand(n, 4, generator=generator) * 2 - 1            # uniform in [-1, 1]
    angle = u[:, 0] * degrees * torch.pi / 180
    zoom = 1 + u[:, 1] * scale
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.stack([torch.stack([cos, -sin, u[:, 2] * shift * 2 / 28], 1),
                         torch.stack([sin, cos, u[:, 3] * shift * 2 / 28], 1)], 1)  # (N, 2, 3)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, padding_mode="zeros", align_corners=False)


def train_digit_classifier(seed: int = 0, epochs: int = 8, batch_size: int = 64, progress: bool = True) -> DigitClassifier:
    """Train a :class:`DigitClassifier` on the 4,000 MNIST-5k training digits.

    Adam (lr 2e-3, cosine decay to 0), random rotations, zooms and shifts (:func:`random_affine`), ``epochs`` passes.
    Trained on :data:`~aigc_course.config.LESSON_THREADS` CPU threads, so deterministic for a
    given ``seed`` on a given kind of machine (two threads take 0.59x the time of one on the
    2-core machine: 13.8 s against 23.5 s). Returns the model in eval mode.
    """
    from .data import load_mnist5k

    seed = check_int(seed, "seed", minimum=0, maximum=MAX_SEED)
    epochs = check_int_compat(epochs, "epochs", minimum=1, maximum=MAX_EPOCHS)
    batch_size = check_int_compat(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    progress = check_bool(progress, "progress")
    generator = seed_everything(seed)
    images, labels = load_mnist5k("train")
    threads_before = torch.get_num_threads()
    torch.set_num_threads(LESSON_THREADS)  # a fixed count: the same weights on every machine of a kind
    try:
        model = _fit(images, labels, generator, epochs, batch_size, progress)
    finally:
        torch.set_num_threads(threads_before)
    return model.eval()


def _fit(images: torch.Tensor, labels: torch.Tensor, generator: torch.Generator, epochs: int, batch_size: int,
         progress: bool) -> DigitClassifier:
    from tqdm.auto import tqdm

    model = DigitClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps_per_epoch = math.ceil(len(labels) / batch_size)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch)
    model.train()
    for _ in tqdm(range(epochs), desc="digit classifier", disable=not progress, leave=False):
        order = torch.randperm(len(labels), generator=generator)
        for start in range(0, len(labels), batch_size):
            batch = order[start:start + batch_size]
            x = random_affine(images[batch], generator)
            loss = F.cross_entropy(model(x), labels[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
    return model


def _classifier_path() -> Path:
    return cache_dir() / "metrics" / f"{CLASSIFIER_VERSION}.safetensors"


_LOADED: dict[str, DigitClassifier] = {}


def _load_classifier(path: Path) -> DigitClassifier:
    """The cached weights at ``path``; a damaged file gets an error that names it and says what to do."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    model = DigitClassifier()
    try:
        model.load_state_dict(load_file(str(path)))
    except (SafetensorError, OSError, RuntimeError) as error:  # damaged file, or weights of another shape
        raise ValueError(f"the cached digit classifier {path} is damaged or from another version ({error}); "
                         "delete the file and it will be trained again") from None
    return model


def get_digit_classifier(progress: bool = True) -> DigitClassifier:
    """The course's shared digit classifier: trained once, then loaded from the cache.

    The weights live in ``cache_dir()/metrics/<CLASSIFIER_VERSION>.safetensors``
    (written atomically); later calls in the same process reuse the loaded model.
    Delete the file to retrain. Returns the model in eval mode.
    """
    from safetensors.torch import save_file

    progress = check_bool(progress, "progress")
    path = _classifier_path()
    key = str(path)
    if key in _LOADED:
        return _LOADED[key]
    if path.is_file():
        model = _load_classifier(path)
    else:
        model = train_digit_classifier(seed=0, progress=progress)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temp:  # one temporary file per writer: two processes never clash
            save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(temp),
                      metadata={"version": CLASSIFIER_VERSION})
    model.eval()
    _LOADED[key] = model
    return model


def _resolve(classifier):
    if classifier is None:
        return get_digit_classifier()
    if not isinstance(classifier, nn.Module) or not hasattr(classifier, "features"):
        raise TypeError(f"classifier must be a DigitClassifier (or None for the shared one), got {type(classifier).__name__}")
    return classifier


def _batched(classifier, images: torch.Tensor, fn: str, batch_size: int = 500) -> torch.Tensor:
    """``classifier.<fn>`` over ``images`` in batches: features ``(N, F)`` or logits ``(N, 10)``."""
    was_training = classifier.training
    classifier.eval()
    first = next(classifier.parameters(), None)
    device = first.device if first is not None else torch.device("cpu")
    with torch.no_grad():
        out = [getattr(classifier, fn)(images[i:i + batch_size].to(device)).cpu() for i in range(0, len(images), batch_size)]
    classifier.train(was_training)
    out = torch.cat(out)
    expected = "(N, 10) logits" if fn == "forward" else "(N, F) features"
    if out.dim() != 2 or len(out) != len(images) or (fn == "forward" and out.shape[1] != 10):
        raise ValueError(f"classifier.{fn} must return {expected} for {len(images)} images, got {tuple(out.shape)}")
    return out


def digit_features(images: torch.Tensor, classifier=None) -> torch.Tensor:
    """Penultimate classifier features ``(N, 128)`` of images ``(N, 1, 28, 28)`` in [0, 1]."""
    images = check_digit_images(images)
    return _batched(_resolve(classifier), images, "features")


def predict_digits(images: torch.Tensor, classifier=None) -> torch.Tensor:
    """Predicted digit ``(N,)`` int64 for images ``(N, 1, 28, 28)`` in [0, 1]."""
    images = check_digit_images(images)
    return _batched(_resolve(classifier), images, "forward").argmax(dim=1)


def _check_labels(labels: object, count: int) -> torch.Tensor:
    """Integer digit labels ``(count,)`` in 0..9."""
    try:
        labels = torch.as_tensor(labels)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"labels must be a tensor or list of ints 0..9, got {type(labels).__name__}") from None
    if labels.dim() != 1 or labels.shape[0] != count:
        raise ValueError(f"labels must have shape ({count},) to match images, got {tuple(labels.shape)}")
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(f"labels must be integer digits 0..9, got dtype {labels.dtype}")
    if count and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"labels must be digits 0..9, got min {labels.min().item()} and max {labels.max().item()}")
    return labels


def classifier_accuracy(classifier, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction (0..1) of ``images`` whose predicted digit equals ``labels`` (int ``(N,)``)."""

    images = check_digit_images(images)
    labels = _check_labels(labels, len(images))
    predicted = _batched(_resolve(classifier), images, "forward").argmax(dim=1)
    return (predicted == labels.long()).float().mean().item()


# --------------------------------------------------------------------------------------
# Fréchet distance
# --------------------------------------------------------------------------------------


def frechet_distance(mu1: np.ndarray, cov1: np.ndarray, mu2: np.ndarray, cov2: np.ndarray) -> float:
    """Fréchet (2-Wasserstein) distance squared between N(mu1, cov1) and N(mu2, cov2).

    ``|mu1 - mu2|^2 + tr(cov1 + cov2 - 2 (cov1^1/2 cov2 cov1^1/2)^1/2)``, in squared
    feature units. The matrix square roots are taken of symmetric positive
    semi-definite matrices with ``eigh``, which stays real and stable even when a
    covariance is singular (e.g. a collapsed generator). NaN or infinite inputs, and a
    covariance that is not symmetric positive semi-definite beyond rounding, are refused.
    """

    mu1, cov1, mu2, cov2 = _check_gaussians(mu1, cov1, mu2, cov2)

    def psd_sqrt(m: np.ndarray) -> np.ndarray:
        values, vectors = np.linalg.eigh((m + m.T) / 2)
        return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T

    root1 = psd_sqrt(cov1)
    # tr((cov1^1/2 cov2 cov1^1/2)^1/2) = sum of square roots of its (non-negative) eigenvalues
    middle = root1 @ cov2 @ root1
    trace_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    mean_term = float(((mu1 - mu2) ** 2).sum())
    cov_term = float(np.trace(cov1) + np.trace(cov2) - 2 * trace_sqrt)  # >= 0 up to rounding
    return mean_term + max(cov_term, 0.0)


def _as_float_array(value: object, name: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from None
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds {int((~np.isfinite(array)).sum()):,} NaN or infinite values")
    return array


def _check_covariance(cov: np.ndarray, name: str) -> None:
    """Refuse a matrix that is not symmetric positive semi-definite beyond rounding."""
    scale = max(float(np.abs(cov).max(initial=0.0)), np.finfo(np.float64).tiny)
    asymmetry = float(np.abs(cov - cov.T).max(initial=0.0))
    if asymmetry > _COVARIANCE_RTOL * scale:
        raise ValueError(f"{name} is not a covariance matrix: not symmetric (largest |{name} - {name}.T| is "
                         f"{asymmetry:.3g}, {asymmetry / scale:.2g} of its largest entry)")
    values = np.linalg.eigvalsh((cov + cov.T) / 2)
    top = max(float(np.abs(values).max(initial=0.0)), np.finfo(np.float64).tiny)
    if values.min(initial=0.0) < -_COVARIANCE_RTOL * top:
        raise ValueError(f"{name} is not a covariance matrix: not positive semi-definite (smallest eigenvalue "
                         f"{values.min():.3g}, largest {values.max():.3g})")


def _check_gaussians(mu1: object, cov1: object, mu2: object, cov2: object) -> tuple[np.ndarray, ...]:
    """The arguments of :func:`frechet_distance` as float64 arrays: finite, matching shapes, valid covariances."""
    mu1, mu2 = _as_float_array(mu1, "mu1"), _as_float_array(mu2, "mu2")
    cov1, cov2 = _as_float_array(cov1, "cov1"), _as_float_array(cov2, "cov2")
    if mu1.shape != mu2.shape or mu1.ndim != 1 or not 1 <= mu1.shape[0] <= MAX_FEATURE_DIM:
        raise ValueError(f"mu1 and mu2 must be vectors of the same length (1 to {MAX_FEATURE_DIM:,}), "
                         f"got {mu1.shape} and {mu2.shape}")
    d = mu1.shape[0]
    if cov1.shape != (d, d) or cov2.shape != (d, d):
        raise ValueError(f"cov1 and cov2 must have shape ({d}, {d}), got {cov1.shape} and {cov2.shape}")
    _check_covariance(cov1, "cov1")
    _check_covariance(cov2, "cov2")
    return mu1, cov1, mu2, cov2


#: A covariance needs at least two samples; fewer than this many is refused.
MIN_FID_SAMPLES = 2


def _stats(features: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:

    f = features.double().numpy()
    return f.mean(axis=0), np.cov(f, rowvar=False)


def classifier_fid(images_a: torch.Tensor, images_b: torch.Tensor, classifier=None) -> float:
    """Fréchet distance between two image sets in the digit classifier's features.

    ``images_a`` and ``images_b``: ``(N, 1, 28, 28)`` in [0, 1], at least
    :data:`MIN_FID_SAMPLES` each (use hundreds: the estimate is biased upwards for
    small N, so compare sets of the same size). Returns a non-negative float in
    squared feature units: 0 for identical distributions; compare with
    :func:`fid_real_floor`, not with published Inception FIDs.
    """
    images_a = check_digit_images(images_a, "images_a", MIN_FID_SAMPLES)
    images_b = check_digit_images(images_b, "images_b", MIN_FID_SAMPLES)
    classifier = _resolve(classifier)
    mu_a, cov_a = _stats(_batched(classifier, images_a, "features"))
    mu_b, cov_b = _stats(_batched(classifier, images_b, "features"))
    return frechet_distance(mu_a, cov_a, mu_b, cov_b)


def fid_real_floor(classifier=None) -> float:
    """Classifier FID between the real MNIST-5k train (4,000) and test (1,000) digits.

    The best a generator can hope for when its samples are compared with the test
    set: even two sets of *real* digits differ by this much.
    """
    from .data import load_mnist5k

    return classifier_fid(load_mnist5k("train")[0], load_mnist5k("test")[0], classifier)


# --------------------------------------------------------------------------------------
# Class coverage
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Which digits a sample set contains, as seen by the classifier.

    ``histogram[d]``: how many samples were classified as digit ``d`` (10 ints).
    ``classes_covered``: digits holding at least ``min_fraction`` of the samples.
    ``kl_from_uniform``: KL(p || uniform) of the predicted class frequencies, in nats;
    0 when every digit is equally common, ln 10 ≈ 2.303 when all samples are one digit.
    """

    classes_covered: int
    kl_from_uniform: float
    histogram: list[int]


def class_coverage(images: torch.Tensor, classifier=None, min_fraction: float = 0.01) -> Coverage:
    """Class coverage of ``images`` ``(N, 1, 28, 28)`` in [0, 1] (N >= 10).

    A digit counts as covered when at least ``min_fraction`` of the samples (default
    1 %, a tenth of its fair share) are classified as it, so that a few stray
    misclassifications do not hide a collapse.
    """

    min_fraction = check_float(min_fraction, "min_fraction", minimum=0.0, maximum=0.1, exclusive_maximum=True)
    images = check_digit_images(images, min_count=10)
    predicted = predict_digits(images, classifier).numpy()
    histogram = np.bincount(predicted, minlength=10)
    p = histogram / histogram.sum()
    nonzero = p > 0
    kl = float((p[nonzero] * np.log(p[nonzero] * 10)).sum())
    covered = int((histogram >= max(1, math.ceil(min_fraction * len(predicted)))).sum())
    return Coverage(classes_covered=covered, kl_from_uniform=max(kl, 0.0), histogram=[int(c) for c in histogram])

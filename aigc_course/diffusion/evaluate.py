"""Measuring generated digits the way lessons 05 and 06 do, plus the share that is the digit asked for."""

from __future__ import annotations

import time
from typing import Callable, NamedTuple

import torch

from ..metrics import class_coverage, classifier_fid, predict_digits
from ..validate import check_int
from .plots import to_pixels
from .recipes import SCHEDULE
from .sample import sample

__all__ = ["Quality", "requested_digits", "measure", "sample_digits"]


class Quality(NamedTuple):
    """``fid``: classifier FID against the test digits; ``covered``: digits covered (of 10);
    ``asked``: share of samples the classifier reads as the digit requested (``None`` when none was);
    ``seconds``: the time it took to make the samples."""

    fid: float
    covered: int
    asked: float | None
    seconds: float


def requested_digits(n: int) -> torch.Tensor:
    """``n`` labels cycling through 0..9, so every digit is asked for equally often."""
    return torch.arange(check_int(n, "n", minimum=1, maximum=1_000_000)) % 10


def measure(images: torch.Tensor, test_images: torch.Tensor, classifier, requested: torch.Tensor | None = None,
            seconds: float = 0.0) -> Quality:
    """The :class:`Quality` of ``images`` ``(N, 1, 28, 28)`` in [0, 1] (made in ``seconds``)."""
    asked = None
    if requested is not None:
        asked = (predict_digits(images, classifier) == requested).float().mean().item()
    return Quality(classifier_fid(images, test_images, classifier), class_coverage(images, classifier).classes_covered,
                   asked, seconds)


def sample_digits(model: torch.nn.Module, requested: torch.Tensor | None, *, guidance_scale: float,
                  sampling_steps: int | None, seed: int = 1,
                  decode: Callable[[torch.Tensor], torch.Tensor] | None = None,
                  shape: tuple[int, ...] = (1, 28, 28)) -> tuple[torch.Tensor, float]:
    """Digits in [0, 1] from a denoiser, and the seconds it took (one for each label of ``requested``).

    For a latent model pass its code ``shape`` (e.g. ``(32,)``) and ``decode`` (codes -> images).
    """
    n = 1000 if requested is None else len(requested)
    started = time.perf_counter()
    x = sample(model, SCHEDULE, (n, *shape), labels=requested, guidance_scale=guidance_scale,
               sampling_steps=sampling_steps, clip=decode is None, seed=seed)
    images = to_pixels(x) if decode is None else decode(x)
    return images, time.perf_counter() - started

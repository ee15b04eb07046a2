"""Latent diffusion in miniature: diffuse the codes of lesson 06's VAE instead of the pixels.

Stable Diffusion (Rombach et al. 2022) runs its U-Net on a VAE's 64×64×4 codes of a 512×512
image rather than on the 786,432 pixel values; here the codes are the 32 numbers lesson 06's
convolutional VAE gives a digit. The codes are the encoder's means, divided by one overall
standard deviation so the diffusion starts from codes of about unit variance (Stable
Diffusion's constant 0.18215 does the same for its VAE).
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from ..vae.models import BaseVAE
from ..vae.uses import decode, encode_mean

__all__ = ["Codes", "vae_codes", "decode_codes"]


class Codes(NamedTuple):
    """``codes`` ``(N, latent_dim)`` of about unit variance, and the ``scale`` they were divided by."""

    codes: torch.Tensor
    scale: float


def vae_codes(vae: BaseVAE, images: torch.Tensor) -> Codes:
    """The scaled posterior means of ``images`` ``(N, 1, 28, 28)`` in [0, 1]."""
    means = encode_mean(vae, images)
    scale = means.std().item()
    return Codes(means / scale, scale)


def decode_codes(vae: BaseVAE, codes: torch.Tensor, scale: float) -> torch.Tensor:
    """Images ``(N, 1, 28, 28)`` in [0, 1] (the decoder's pixel probabilities) from scaled codes."""
    return decode(vae, codes * scale)

"""The lesson's models and training settings, shared by notebook 07 and ``benchmarks/diffusion.py``.

- The pixel-space model: :class:`~.models.UNet` with 32 channels at 14×14 and 64 at 7×7 (two
  blocks there), 287 k parameters, trained :func:`unet_steps` steps of 64 digits with AdamW at
  2e-3, 10 % of the labels dropped for guidance, and an EMA of decay 0.99. On the idle 2-core
  machine a step takes about 0.15 s (the 700 steps about 110 s). Trials there, each trained
  110 s (DDIM 10 steps, guidance 3, 1,000 samples): a 3.5x smaller U-Net (16/32 channels, 82 k
  parameters) ran 1,774 steps, 2.8x as many, and sampled worse (classifier FID 580-600 against
  470-480, a fifth of its guided samples the asked digit against two fifths); the 287 k model
  trained 220 s reached FID 253 and 65 % (its last weights, no EMA). Without the pixel folding
  (a 28×28 level of 32 channels over 14×14 and 7×7 levels of 64) a step took 3.5-4.5x as long.
- The latent model: :class:`~.models.VectorDenoiser` on the 32-number codes of lesson 06's
  convolutional VAE (divided by their standard deviation, as Stable Diffusion scales its
  codes), 256 hidden units, :func:`latent_steps` steps of 256 codes at 1e-3 (about 10 s).
"""

from __future__ import annotations

import copy

from ..config import fast_or
from .models import UNet, VectorDenoiser
from .schedule import NoiseSchedule

__all__ = ["SCHEDULE", "UNET_RECIPE", "LATENT_RECIPE", "GUIDANCE_SCALE", "DDIM_STEPS",
           "make_unet", "make_latent_denoiser", "unet_steps", "latent_steps", "with_ema"]

SCHEDULE = NoiseSchedule(steps=400)
UNET_RECIPE: dict = {"batch_size": 64, "learning_rate": 2e-3, "label_dropout": 0.1, "ema_decay": 0.99}
LATENT_RECIPE: dict = {"batch_size": 256, "learning_rate": 1e-3, "label_dropout": 0.1, "ema_decay": 0.995}
#: Guidance and sampling steps of the lesson's comparison (DDIM).
GUIDANCE_SCALE = 3.0
DDIM_STEPS = 10


def unet_steps() -> int:
    """Training steps of the lesson's U-Net: 700 (fast mode: 20)."""
    return fast_or(700, 20)


def latent_steps() -> int:
    """Training steps of the latent model: 1,000 (fast mode: 50)."""
    return fast_or(1000, 50)


def make_unet() -> UNet:
    return UNet(channels=(32, 64), mid_blocks=2)


def make_latent_denoiser(code_dim: int = 32) -> VectorDenoiser:
    return VectorDenoiser(dim=code_dim, hidden=256, time_dim=64, num_classes=10)


def with_ema(model):
    """``(model, ema)``: the model and a frozen copy to hold the moving average of its weights."""
    return model, copy.deepcopy(model).eval().requires_grad_(False)

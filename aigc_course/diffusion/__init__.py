"""Lesson 07: diffusion models, written out and checked against ``diffusers``.

- :mod:`.schedule` the noise schedule, the closed-form forward process, DDPM's and DDIM's steps
- :mod:`.models`   the noise predictors: an MLP for vectors (2-D points, VAE codes) and a small U-Net
- :mod:`.train`    the DDPM loss and the training loop (with an EMA of the weights)
- :mod:`.sample`   the reverse process from noise, with classifier-free guidance
- :mod:`.toy`      a 2-D spiral to watch it all in seconds
- :mod:`.rivals`   lesson 05's DCGAN and lesson 06's convolutional VAE, for the comparison
- :mod:`.plots`    the lesson's pictures
"""

from .models import NULL_LABEL, ResBlock, UNet, VectorDenoiser, timestep_embedding
from .sample import guided_noise, sample
from .schedule import NoiseSchedule, add_noise, ddim_step, ddim_timesteps, ddpm_step, predicted_x0
from .toy import spiral_points
from .train import diffusion_loss, train_denoiser, update_ema

__all__ = [
    "NULL_LABEL", "ResBlock", "UNet", "VectorDenoiser", "timestep_embedding",
    "guided_noise", "sample",
    "NoiseSchedule", "add_noise", "ddim_step", "ddim_timesteps", "ddpm_step", "predicted_x0",
    "spiral_points",
    "diffusion_loss", "train_denoiser", "update_ema",
]

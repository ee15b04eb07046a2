"""Variational autoencoders: the article's VAE, a convolutional VAE, the ELBO, IWAE and the VAE's uses.

- :mod:`.models`   ``Encoder``, ``Decoder``, ``VAE`` (the article's, fully connected) and ``ConvVAE``
- :mod:`.loss`     the loss ``reconstruction + beta * KL`` (the negative ELBO), closed-form KL
- :mod:`.train`    a deterministic training loop with history, safetensors checkpoints
- :mod:`.evaluate` negative ELBO and the importance-weighted NLL (nats per image, bits per dim)
- :mod:`.uses`     reconstruct, sample, interpolate, latent grids, denoising, compression
- :mod:`.plots`    the lesson's pictures
"""

from .evaluate import IWAEResult, iwae_nll, log_importance_weights, negative_elbo
from .loss import LossTerms, kl_divergence, loss_function, reconstruction_nll, vae_loss
from .models import VAE, BaseVAE, ConvVAE, Decoder, Encoder, build_model, check_images
from .train import TrainHistory, load_checkpoint, random_shift, save_checkpoint, train_vae
from .uses import (
    DenoiseResult, RatePoint, add_gaussian_noise, decode, denoise, encode_mean, interpolate, kl_per_dimension,
    latent_grid, latent_rate_distortion, mask_patch, mixed_corruption, normal_grid, png_bits, quantize_latents, reconstruct, sample,
)

__all__ = [
    "Encoder", "Decoder", "VAE", "ConvVAE", "BaseVAE", "build_model", "check_images",
    "LossTerms", "kl_divergence", "reconstruction_nll", "vae_loss", "loss_function",
    "TrainHistory", "train_vae", "random_shift", "save_checkpoint", "load_checkpoint",
    "IWAEResult", "negative_elbo", "iwae_nll", "log_importance_weights",
    "encode_mean", "decode", "reconstruct", "sample", "interpolate", "normal_grid", "latent_grid",
    "add_gaussian_noise", "mask_patch", "mixed_corruption", "DenoiseResult", "denoise",
    "kl_per_dimension", "quantize_latents", "RatePoint", "latent_rate_distortion", "png_bits",
]

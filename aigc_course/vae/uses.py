"""What a trained VAE is for: reconstructing, generating, interpolating, denoising, compressing.

All functions take images ``(N, C, H, W)`` in [0, 1] and return pixel
*probabilities* (the decoder's Bernoulli means), which is what we look at as
"the decoded image". They run without gradients and leave the model in eval mode.
"""

from __future__ import annotations

import io
import math
from typing import NamedTuple

import torch

from .models import BaseVAE, check_images


def _latent_dim_ok(model: BaseVAE, z: torch.Tensor, name: str = "z") -> torch.Tensor:
    if not isinstance(z, torch.Tensor) or z.dim() != 2 or z.shape[1] != model.latent_dim:
        raise ValueError(f"{name} must have shape (N, {model.latent_dim}), got {tuple(getattr(z, 'shape', ()))}")
    return z


def _device(model: BaseVAE) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def encode_mean(model: BaseVAE, images: torch.Tensor) -> torch.Tensor:
    """The posterior means ``mu``: ``(N, C, H, W) -> (N, latent_dim)`` (the "code" of each image)."""
    check_images(images, model)
    model.eval()
    return model.encode(images.to(_device(model)))[0].cpu()


@torch.no_grad()
def decode(model: BaseVAE, z: torch.Tensor) -> torch.Tensor:
    """Latent codes ``(N, latent_dim)`` -> pixel probabilities ``(N, C, H, W)``."""
    _latent_dim_ok(model, z)
    model.eval()
    return model.decode(z.to(_device(model))).cpu()


@torch.no_grad()
def reconstruct(model: BaseVAE, images: torch.Tensor) -> torch.Tensor:
    """Encode to the posterior mean and decode: ``(N, C, H, W) -> (N, C, H, W)``."""
    return decode(model, encode_mean(model, images))


@torch.no_grad()
def sample(model: BaseVAE, n: int, generator: torch.Generator | None = None, temperature: float = 1.0) -> torch.Tensor:
    """Generate ``n`` new images: ``z ~ N(0, temperature^2 I)``, decoded to probabilities ``(n, C, H, W)``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    z = torch.randn((n, model.latent_dim), generator=generator) * temperature
    return decode(model, z)


@torch.no_grad()
def interpolate(model: BaseVAE, image_a: torch.Tensor, image_b: torch.Tensor, steps: int = 10) -> torch.Tensor:
    """Decode ``steps`` evenly spaced points on the line between the codes of two images.

    ``image_a``, ``image_b``: ``(C, H, W)`` or ``(1, C, H, W)``. Returns ``(steps, C, H, W)``;
    the first and last are the two reconstructions.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be an int >= 2, got {steps!r}")
    pair = torch.stack([image_a.reshape(model.image_shape), image_b.reshape(model.image_shape)])
    za, zb = encode_mean(model, pair)
    t = torch.linspace(0, 1, steps)[:, None]
    return decode(model, (1 - t) * za + t * zb)


def normal_grid(n: int = 15, tail: float = 0.05) -> torch.Tensor:
    """``n x n`` points of a 2-D latent plane, evenly spaced in probability under ``N(0, I)``.

    The coordinates are the standard-normal quantiles of ``linspace(tail, 1 - tail, n)``,
    so each cell holds about the same prior mass. Returns ``(n * n, 2)``, row by row,
    with the second coordinate decreasing down the rows (as on a map).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    if not 0 < tail < 0.5:
        raise ValueError(f"tail must be in (0, 0.5), got {tail}")
    q = torch.special.ndtri(torch.linspace(tail, 1 - tail, n))
    z2, z1 = torch.meshgrid(q.flip(0), q, indexing="ij")
    return torch.stack([z1.reshape(-1), z2.reshape(-1)], dim=1)


@torch.no_grad()
def latent_grid(model: BaseVAE, n: int = 15, tail: float = 0.05) -> torch.Tensor:
    """Decode the :func:`normal_grid` of a model with ``latent_dim == 2``: ``(n * n, C, H, W)``."""
    if model.latent_dim != 2:
        raise ValueError(f"latent_grid needs a model with latent_dim == 2, this one has {model.latent_dim}")
    return decode(model, normal_grid(n, tail))


# --------------------------------------------------------------------------------------
# Denoising
# --------------------------------------------------------------------------------------

def add_gaussian_noise(images: torch.Tensor, sigma: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Add ``N(0, sigma^2)`` noise to every pixel and clip back to [0, 1]."""
    check_images(images)
    if not 0 <= sigma <= 5:
        raise ValueError(f"sigma must be in [0, 5], got {sigma}")
    noise = torch.randn(images.shape, generator=generator) * sigma
    return (images + noise.to(images.device)).clamp(0, 1)


def mask_patch(images: torch.Tensor, size: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """Blank (set to 0) one random ``size x size`` square in each image, within the central 20x20 area.

    MNIST digits sit in the central 20x20 pixels, so the patch always hides part
    of the stroke area.
    """
    check_images(images)
    n, _, h, w = images.shape
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= min(h, w):
        raise ValueError(f"size must be an int in 1..{min(h, w)}, got {size!r}")
    lo_y, lo_x = max(0, (h - 20) // 2), max(0, (w - 20) // 2)
    hi_y, hi_x = max(lo_y, min(h, lo_y + 20) - size), max(lo_x, min(w, lo_x + 20) - size)
    top = torch.randint(lo_y, hi_y + 1, (n,), generator=generator)
    left = torch.randint(lo_x, hi_x + 1, (n,), generator=generator)
    rows = torch.arange(h)[None, :]
    cols = torch.arange(w)[None, :]
    in_rows = (rows >= top[:, None]) & (rows < top[:, None] + size)   # (N, H)
    in_cols = (cols >= left[:, None]) & (cols < left[:, None] + size)  # (N, W)
    hole = (in_rows[:, :, None] & in_cols[:, None, :])[:, None]         # (N, 1, H, W)
    return images.masked_fill(hole.to(images.device), 0.0)


def mixed_corruption(
    images: torch.Tensor, generator: torch.Generator | None = None, sigma: float = 0.3, size: int = 9
) -> torch.Tensor:
    """Damage the first half of a batch with Gaussian noise (``sigma``) and the rest with a blank square (``size``).

    The corruption used to train a denoising VAE (pass it as ``train_vae(..., corrupt=mixed_corruption)``).
    """
    half = len(images) // 2
    return torch.cat([add_gaussian_noise(images[:half], sigma, generator), mask_patch(images[half:], size, generator)])


class DenoiseResult(NamedTuple):
    """Mean squared errors per pixel against the clean images (lower is better)."""

    mse_noisy: float
    mse_reconstructed: float
    reconstructed: torch.Tensor


@torch.no_grad()
def denoise(model: BaseVAE, corrupted: torch.Tensor, clean: torch.Tensor | None = None) -> DenoiseResult:
    """Reconstruct corrupted images through the VAE; with ``clean``, measure the error before and after.

    The VAE has only learned what digits look like, so the decoded image is pulled
    back towards a plausible digit: noise off the "digit manifold" is dropped.
    Without ``clean`` the two errors are NaN.
    """
    reconstructed = reconstruct(model, corrupted)
    if clean is None:
        return DenoiseResult(math.nan, math.nan, reconstructed)
    check_images(clean, model, name="clean")
    if clean.shape != corrupted.shape:
        raise ValueError(f"clean {tuple(clean.shape)} and corrupted {tuple(corrupted.shape)} must have the same shape")
    clean = clean.cpu()
    return DenoiseResult(
        (corrupted.cpu() - clean).pow(2).mean().item(), (reconstructed - clean).pow(2).mean().item(), reconstructed
    )


# --------------------------------------------------------------------------------------
# Compression
# --------------------------------------------------------------------------------------

@torch.no_grad()
def kl_per_dimension(model: BaseVAE, images: torch.Tensor) -> torch.Tensor:
    """Average KL of each latent dimension over ``images``, in nats: ``(latent_dim,)``.

    Dimensions with KL near 0 carry no information about the image (the encoder
    ignores them: "inactive" or "collapsed" units); they need no bits.
    """
    check_images(images, model)
    model.eval()
    mu, logvar = model.encode(images.to(_device(model)))
    return (0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)).mean(0).cpu()


def quantize_latents(z: torch.Tensor, bits: int) -> torch.Tensor:
    """Round each latent coordinate to one of ``2**bits`` levels, equally likely under ``N(0, 1)``.

    The coordinate goes through the normal CDF to (0, 1), is rounded to the centre
    of one of ``2**bits`` equal bins, and comes back through the inverse CDF. Every
    level has prior probability ``2**-bits``, so a fixed-length code of ``bits``
    bits per coordinate is the natural code. Same shape as ``z``.
    """
    if isinstance(bits, bool) or not isinstance(bits, int) or not 1 <= bits <= 16:
        raise ValueError(f"bits must be an int in 1..16, got {bits!r}")
    levels = 2 ** bits
    u = torch.special.ndtr(z).clamp(0, 1 - 1e-7)
    centre = (torch.floor(u * levels) + 0.5) / levels
    return torch.special.ndtri(centre)


class RatePoint(NamedTuple):
    """One point of a rate-distortion curve: bits per image and mean squared error per pixel."""

    bits_per_dim: int
    bits_per_image: int
    mse: float


@torch.no_grad()
def latent_rate_distortion(
    model: BaseVAE, images: torch.Tensor, bits: list[int] | tuple[int, ...] = (1, 2, 3, 4, 6, 8),
    active: torch.Tensor | None = None,
) -> list[RatePoint]:
    """Compress each image to its quantised latent code and measure the distortion.

    Only the ``active`` latent dimensions (a boolean mask ``(latent_dim,)``; default:
    those with average KL above 0.05 nats on ``images``) are stored, with ``bits``
    bits each; the others are decoded at the prior mean 0. Distortion: mean squared
    error per pixel between the decoded probabilities and the original image.
    """
    check_images(images, model)
    if active is None:
        active = kl_per_dimension(model, images) > 0.05
    if active.shape != (model.latent_dim,) or active.dtype != torch.bool:
        raise ValueError(f"active must be a bool tensor of shape ({model.latent_dim},)")
    mu = encode_mean(model, images)
    points = []
    for b in bits:
        z = torch.where(active, quantize_latents(mu, b), torch.zeros_like(mu))
        mse = (decode(model, z) - images.cpu()).pow(2).mean().item()
        points.append(RatePoint(b, b * int(active.sum()), mse))
    return points


def png_bits(images: torch.Tensor) -> float:
    """Mean size in bits of each image saved as an 8-bit greyscale PNG (lossless, maximum compression)."""
    from PIL import Image

    check_images(images)
    sizes = []
    for img in images:
        pixels = (img[0].cpu().numpy() * 255).round().astype("uint8")
        buffer = io.BytesIO()
        Image.fromarray(pixels, mode="L").save(buffer, format="PNG", optimize=True)
        sizes.append(8 * len(buffer.getvalue()))
    return sum(sizes) / len(sizes)

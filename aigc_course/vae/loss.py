"""The VAE objective: the ELBO, its two terms, and the sign convention.

For one image ``x`` the evidence lower bound is

    ELBO(x) = E_{q(z|x)}[ log p(x | z) ]  -  KL( q(z|x) || p(z) )   <=   log p(x)

and training *maximises* it. Optimisers minimise, so the loss is its negative:

    loss(x) = -E_q[log p(x|z)] + beta * KL = reconstruction + beta * KL

with ``reconstruction`` = the binary cross-entropy between the pixels and the
decoder's Bernoulli probabilities, summed over the image's pixels. This is the
article's formula ``BCE + beta * KLD``; ``beta = 1`` gives the true (negative)
ELBO, other values trade reconstruction against a simpler latent code.
All quantities here are in **nats per image** (natural log, summed over pixels).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F

from ..validate import check_float

#: The largest KL weight accepted (beta-VAE papers use up to a few hundred).
MAX_BETA = 1000.0


def _check_same_shape(a: object, b: object, name_a: str, name_b: str) -> None:
    """Two float tensors of the same shape, both finite (NaN here means the model has diverged)."""
    for name, value in ((name_a, a), (name_b, b)):
        if not isinstance(value, torch.Tensor) or not value.is_floating_point():
            raise TypeError(f"{name} must be a float torch.Tensor, got {type(value).__name__} "
                            f"{getattr(value, 'dtype', '')}".rstrip())
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    for name, value in ((name_a, a), (name_b, b)):
        if value.numel() and not bool(torch.isfinite(value).all()):
            raise ValueError(f"{name} holds {int((~torch.isfinite(value)).sum()):,} NaN or infinite values "
                             "(in training: the model diverged, try a smaller learning rate)")


def _check_targets(x: torch.Tensor, name: str = "x") -> None:
    """Bernoulli targets ``(N, ...)``: pixel values in [0, 1] (BCE of anything else is meaningless)."""
    if x.dim() < 2:
        raise ValueError(f"{name} must have shape (N, ...) with one image per row, got {tuple(x.shape)}")
    if x.numel() and (x.min() < 0 or x.max() > 1):
        raise ValueError(f"{name} must have values in [0, 1], got min {x.min().item():.4g} and max {x.max().item():.4g}")


def _check_beta(beta: object) -> float:
    return check_float(beta, "beta", minimum=0.0, maximum=MAX_BETA)


class LossTerms(NamedTuple):
    """Batch means (nats per image): ``loss = reconstruction + beta * kl``."""

    loss: torch.Tensor
    reconstruction: torch.Tensor
    kl: torch.Tensor


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Closed-form ``KL(N(mu, diag(exp(logvar))) || N(0, I))`` in nats, one value per row.

    Per dimension: ``0.5 * (mu^2 + sigma^2 - 1 - log sigma^2)``; summed over the
    last dimension. Shapes ``(N, D), (N, D) -> (N,)``. It is zero exactly when
    ``mu = 0`` and ``sigma = 1``.
    """
    _check_same_shape(mu, logvar, "mu", "logvar")
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)


def reconstruction_nll(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``-log p(x | z)`` for independent Bernoulli pixels, summed per image: ``(N, ...) -> (N,)`` nats.

    Uses the logits (numerically stable). With grey-level targets in (0, 1) this
    is the cross-entropy, whose minimum is the pixels' own entropy, not zero.
    """
    _check_same_shape(logits, x, "logits", "x")
    _check_targets(x)
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(dim=1)


def vae_loss(
    logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, beta: float = 1.0
) -> LossTerms:
    """The beta-VAE loss from the decoder's logits, as batch means in nats per image.

    ``logits`` and ``x``: ``(N, C, H, W)``; ``mu``, ``logvar``: ``(N, D)``. With
    ``beta = 1`` the returned ``loss`` is the negative ELBO of one Monte-Carlo
    sample of ``z``. ``beta`` is a finite number in [0, :data:`MAX_BETA`].
    """
    beta = _check_beta(beta)
    rec, kl = reconstruction_nll(logits, x), kl_divergence(mu, logvar)  # (N,) each
    if rec.shape != kl.shape:
        raise ValueError(f"logits and mu must describe the same images, got {tuple(logits.shape)} and {tuple(mu.shape)}")
    rec, kl = rec.mean(), kl.mean()
    return LossTerms(rec + beta * kl, rec, kl)


def loss_function(
    recon_x: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, beta: float = 1.0
) -> torch.Tensor:
    """The article's loss, written as the article writes it: ``BCE + beta * KLD``, summed over the batch.

    ``recon_x`` are probabilities (after the sigmoid). Divide by the batch size
    to get nats per image. Prefer :func:`vae_loss`, which gives the same value
    from logits without ``log(0)`` when the sigmoid saturates.
    """
    beta = _check_article_inputs(recon_x, x, mu, logvar, beta)
    bce = F.binary_cross_entropy(recon_x.reshape(x.shape[0], -1), x.reshape(x.shape[0], -1), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + beta * kld


def _check_article_inputs(recon_x: object, x: object, mu: object, logvar: object, beta: object) -> float:
    """The arguments of :func:`loss_function`: probabilities and targets in [0, 1]; returns ``beta``."""
    _check_same_shape(mu, logvar, "mu", "logvar")
    for name, value in (("recon_x", recon_x), ("x", x)):
        if not isinstance(value, torch.Tensor) or not value.is_floating_point():
            raise TypeError(f"{name} must be a float torch.Tensor, got {type(value).__name__}")
        if value.numel() == 0 or value.shape[0] != mu.shape[0]:
            raise ValueError(f"{name} must hold one image per row of mu ({mu.shape[0]}), got shape {tuple(value.shape)}")
    if recon_x.numel() != x.numel():
        raise ValueError(f"recon_x and x must have the same size, got {tuple(recon_x.shape)} and {tuple(x.shape)}")
    for name, value in (("recon_x", recon_x), ("x", x)):
        if not bool(torch.isfinite(value).all()):
            raise ValueError(f"{name} holds NaN or infinite values")
        _check_targets(value, name)
    return _check_beta(beta)

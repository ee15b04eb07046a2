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
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)


def reconstruction_nll(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``-log p(x | z)`` for independent Bernoulli pixels, summed per image: ``(N, ...) -> (N,)`` nats.

    Uses the logits (numerically stable). With grey-level targets in (0, 1) this
    is the cross-entropy, whose minimum is the pixels' own entropy, not zero.
    """
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(dim=1)


def vae_loss(
    logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, beta: float = 1.0
) -> LossTerms:
    """The beta-VAE loss from the decoder's logits, as batch means in nats per image.

    ``logits`` and ``x``: ``(N, C, H, W)``; ``mu``, ``logvar``: ``(N, D)``. With
    ``beta = 1`` the returned ``loss`` is the negative ELBO of one Monte-Carlo
    sample of ``z``.
    """
    if isinstance(beta, bool) or not isinstance(beta, (int, float)):
        raise TypeError(f"beta must be a number, got {type(beta).__name__}")
    if not beta >= 0:  # also rejects NaN
        raise ValueError(f"beta must be >= 0, got {beta}")
    rec = reconstruction_nll(logits, x).mean()
    kl = kl_divergence(mu, logvar).mean()
    return LossTerms(rec + beta * kl, rec, kl)


def loss_function(
    recon_x: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, beta: float = 1.0
) -> torch.Tensor:
    """The article's loss, written as the article writes it: ``BCE + beta * KLD``, summed over the batch.

    ``recon_x`` are probabilities (after the sigmoid). Divide by the batch size
    to get nats per image. Prefer :func:`vae_loss`, which gives the same value
    from logits without ``log(0)`` when the sigmoid saturates.
    """
    bce = F.binary_cross_entropy(recon_x.reshape(x.shape[0], -1), x.reshape(x.shape[0], -1), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + beta * kld

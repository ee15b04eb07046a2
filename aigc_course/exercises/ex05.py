"""Checkers for notebook 05 (variational autoencoders)."""

from __future__ import annotations

import math

import torch

from . import NotYet, exercise


def _test_inputs(seed: int = 5) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    mu = torch.randn((6, 4), generator=g) * 1.5
    logvar = torch.randn((6, 4), generator=g)
    return mu, logvar


def _as_tensor(value: object, what: str) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise NotYet(f"{what} should return a torch.Tensor, got {type(value).__name__}")
    return value


@exercise("05.1", "closed-form KL to the standard normal",
          hints=("per dimension 0.5 * (mu**2 + exp(logvar) - 1 - logvar), then sum over the last dimension",))
def _(kl):
    mu, logvar = _test_inputs()
    got = _as_tensor(kl(mu, logvar), "kl(mu, logvar)")
    expected = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1)
    if got.shape != expected.shape:
        raise NotYet(f"for mu and logvar of shape {tuple(mu.shape)} the result should have shape "
                     f"{tuple(expected.shape)} (one KL per row), got {tuple(got.shape)}")
    zero = _as_tensor(kl(torch.zeros(2, 3), torch.zeros(2, 3)), "kl(0, 0)")
    if not torch.allclose(zero, torch.zeros(2), atol=1e-6):
        raise NotYet(f"KL(N(0, 1) || N(0, 1)) must be 0, your function gives {zero.tolist()}")
    if not torch.allclose(got, expected, rtol=1e-4, atol=1e-5):
        raise NotYet(f"first row: expected {expected[0].item():.4f} nats, got {got[0].item():.4f}")
    return "This is the KL term of the article's loss, one value per image."


@exercise("05.2", "the reparameterisation trick",
          hints=("sigma = exp(logvar / 2); z = mu + sigma * eps",))
def _(reparameterize):
    mu, logvar = _test_inputs(6)
    mu.requires_grad_(True)
    logvar.requires_grad_(True)
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(7))
    z = _as_tensor(reparameterize(mu, logvar, eps), "reparameterize(mu, logvar, eps)")
    expected = mu.detach() + torch.exp(0.5 * logvar.detach()) * eps
    if z.shape != mu.shape:
        raise NotYet(f"z should have the shape of mu {tuple(mu.shape)}, got {tuple(z.shape)}")
    if not torch.allclose(z.detach(), expected, rtol=1e-4, atol=1e-5):
        raise NotYet("z is not mu + sigma * eps with sigma = exp(logvar / 2) (remember: logvar is the log of sigma squared)")
    if not z.requires_grad:
        raise NotYet("no gradient reaches mu and logvar: compute z from them with torch operations")
    z.sum().backward()
    if mu.grad is None or logvar.grad is None or not torch.allclose(mu.grad, torch.ones_like(mu)):
        raise NotYet("dz/dmu should be 1 everywhere; build z from mu itself, not a detached copy")
    return "Sampling is now a plain input (eps), so backpropagation reaches the encoder."


@exercise("05.3", "the importance-weighted bound",
          hints=("log of the mean of exp(log_w) over the k samples: torch.logsumexp(log_w, dim=1) - log(k)",))
def _(iwae_bound):
    g = torch.Generator().manual_seed(8)
    log_w = torch.randn((5, 7), generator=g) * 3 - 100.0   # tiny weights: exp() alone would underflow to 0
    got = _as_tensor(iwae_bound(log_w), "iwae_bound(log_w)")
    expected = torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])
    if got.shape != (5,):
        raise NotYet(f"log_w has shape (N, k) = (5, 7); the bound should be one value per image, shape (5,), "
                     f"got {tuple(got.shape)}")
    if not torch.isfinite(got).all():
        raise NotYet("the result has -inf or NaN: exp() of log-weights near -100 underflows; use torch.logsumexp")
    if torch.allclose(got, log_w.mean(dim=1), atol=1e-3):
        raise NotYet("that is the plain average of the log-weights: the ELBO, not the importance-weighted bound")
    if not torch.allclose(got, expected, rtol=1e-5, atol=1e-4):
        raise NotYet("remember to divide the sum of the weights by k (subtract log k)")
    return "With k = 1 it is the ELBO; as k grows it tightens towards log p(x)."


@exercise("05.4", "nats per image to bits per dimension",
          hints=("divide by the number of pixels and by ln 2",))
def _(bits_per_dim):
    for nats, pixels in ((100.0, 784), (math.log(2) * 784, 784), (50.0, 64)):
        got = bits_per_dim(nats, pixels)
        expected = nats / (pixels * math.log(2))
        if not isinstance(got, (int, float)) and not (isinstance(got, torch.Tensor) and got.numel() == 1):
            raise NotYet(f"return one number, got {type(got).__name__}")
        if not math.isclose(float(got), expected, rel_tol=1e-6):
            raise NotYet(f"bits_per_dim({nats:.4g}, {pixels}) should be {expected:.4f}, got {float(got):.4f}")
    return "100 nats per MNIST image is about 0.184 bits per pixel."

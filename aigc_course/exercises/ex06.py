"""Checkers for notebook 06 (variational autoencoders). Reference solutions: ``solutions/ex06.py``.

Each checker first compares the answer with the realistic mistakes a learner makes
(each named in its own message), then with the right values on several cases
(random inputs, the prior itself, extreme log-weights), so no shortcut passes.
torch is imported inside the functions, so listing the exercise ids (a career plan does) stays light.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import NotYet, as_number, exercise

if TYPE_CHECKING:
    import torch


def _not_yet(message: str) -> NotYet:
    """The checker's verdict, as one sentence ending in a full stop."""
    return NotYet(message if message.endswith(".") else message + ".")


def _test_inputs(seed: int = 5) -> tuple[torch.Tensor, torch.Tensor]:
    import torch

    g = torch.Generator().manual_seed(seed)
    mu = torch.randn((6, 4), generator=g) * 1.5
    logvar = torch.randn((6, 4), generator=g)  # about half of the entries are negative (sigma < 1)
    return mu, logvar


def _call(function: object, *args: object) -> object:
    if not callable(function):
        raise _not_yet(f"the answer should be a function, got {type(function).__name__}")
    return function(*args)


def _as_tensor(value: object, what: str) -> torch.Tensor:
    """A tensor (a NumPy array is accepted too), as float64 for the comparisons."""
    import torch

    if not isinstance(value, torch.Tensor):
        try:
            import numpy as np
        except ImportError:  # pragma: no cover - NumPy comes with torch here
            np = None
        if np is None or not isinstance(value, np.ndarray):
            raise _not_yet(f"{what} should return a torch.Tensor, got {type(value).__name__}")
        value = torch.from_numpy(value)
    return value


def _same(a: torch.Tensor, b: torch.Tensor, rtol: float = 1e-4, atol: float = 1e-4) -> bool:
    import torch

    return a.shape == b.shape and bool(torch.allclose(a.detach().double(), b.detach().double(), rtol=rtol, atol=atol))


def _first_row(t: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in t.detach().reshape(len(t), -1)[0].tolist()) + "]"


# ---------------------------------------------------------------- 06.1 the KL term

def _kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1)


# (a wrong formula, the message naming that mistake), tried on the random test inputs
_KL_MISTAKES = (
    (lambda mu, lv: 2 * _kl(mu, lv),
     "your values are exactly twice the right ones: the factor 1/2 in front is missing"),
    (lambda mu, lv: -_kl(mu, lv),
     "your values are negative: a KL divergence is never below 0, check the sign of the expression"),
    (lambda mu, lv: _kl(mu, lv) / mu.shape[-1],
     "your values are D times too small (D = number of latent dimensions): you averaged over the "
     "dimensions, but the KL of independent dimensions adds up"),
    (lambda mu, lv: 0.5 * (mu.pow(2) + lv - 1 - lv.exp()).sum(-1),
     "exp() is on the wrong term: the variance sigma^2 is exp(logvar), while log sigma^2 is logvar itself"),
    (lambda mu, lv: 0.5 * (mu.pow(2) + (2 * lv).exp() - 1 - 2 * lv).sum(-1),
     "you treated logvar as log sigma; it is log sigma^2, the log of the variance"),
    (lambda mu, lv: 0.5 * (mu.pow(2) + (0.5 * lv).exp() - 1 - lv).sum(-1),
     "you used the standard deviation exp(logvar / 2) where the variance belongs"),
    (lambda mu, lv: 0.5 * (lv.exp() - 1 - lv).sum(-1),
     "your KL ignores mu: a code whose mean sits far from 0 must cost more nats"),
)


@exercise("06.1", "closed-form KL to the standard normal",
          hints=("Work one latent dimension at a time: which mu and sigma make the KL exactly 0? Then add the "
                 "dimensions of each row (image) together.",
                 "logvar is log sigma^2, so sigma^2 = exp(logvar); the per-dimension KL uses mu^2, sigma^2, "
                 "a constant -1 and -log sigma^2, all times 1/2.",
                 "0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=-1)"))
def _(kl):
    import torch

    mu, logvar = _test_inputs()
    got = _as_tensor(_call(kl, mu.clone(), logvar.clone()), "kl(mu, logvar)")
    expected = _kl(mu, logvar)
    if got.shape == mu.shape:
        raise _not_yet(f"for mu and logvar of shape {tuple(mu.shape)} you return one value per latent dimension, "
                     f"shape {tuple(got.shape)}; the KL of an image is one number per row, shape {tuple(expected.shape)}")
    if got.numel() == 1:
        raise _not_yet(f"you return a single number for the whole batch; the KL should be one value per row "
                     f"(image), shape {tuple(expected.shape)}")
    if got.shape != expected.shape:
        raise _not_yet(f"for mu and logvar of shape {tuple(mu.shape)} the result should have shape "
                     f"{tuple(expected.shape)} (one KL per row), got {tuple(got.shape)}")
    if not _same(got, expected):
        for mistake, message in _KL_MISTAKES:
            if _same(got, mistake(mu, logvar)):
                raise _not_yet(message)
    zero = _as_tensor(_call(kl, torch.zeros(2, 3), torch.zeros(2, 3)), "kl(0, 0)")
    if not _same(zero, torch.zeros(2), atol=1e-6):
        raise _not_yet(f"KL(N(0, 1) || N(0, 1)) must be 0 (a code equal to the prior costs nothing), "
                     f"your function gives {zero.detach().reshape(-1).tolist()}")
    if not _same(got, expected):
        raise _not_yet(f"first row: expected {expected[0].item():.4f} nats, got {got[0].item():.4f}")
    return "This is the KL term of the article's loss, one value per image."


# ---------------------------------------------------------------- 06.2 reparameterisation

_Z_MISTAKES = (
    (lambda mu, lv, eps: mu + lv * eps,
     "you scaled eps by logvar itself: logvar is the log of the variance, not the standard deviation"),
    (lambda mu, lv, eps: mu + lv.exp() * eps,
     "you scaled eps by the variance sigma^2 = exp(logvar); the noise is scaled by the standard deviation"),
    (lambda mu, lv, eps: mu + (-0.5 * lv).exp() * eps,
     "you scaled eps by 1 / sigma: check the sign of the exponent"),
    (lambda mu, lv, eps: mu + eps,
     "z ignores logvar: every latent coordinate gets the same spread 1, whatever the encoder asked for"),
    (lambda mu, lv, eps: (0.5 * lv).exp() * eps,
     "z ignores mu: the draw must be centred on the encoder's mean"),
)


@exercise("06.2", "the reparameterisation trick",
          hints=("logvar is log sigma^2. How do you get sigma back from it with torch operations?",
                 "sigma = exp(logvar / 2); then scale the given noise eps by sigma and shift it by mu.",
                 "return mu + torch.exp(0.5 * logvar) * eps"))
def _(reparameterize):
    import torch

    mu, logvar = _test_inputs(6)
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(7))
    expected = mu + torch.exp(0.5 * logvar) * eps
    z = _as_tensor(_call(reparameterize, mu.clone(), logvar.clone(), eps.clone()), "reparameterize(mu, logvar, eps)")
    if z.shape != mu.shape:
        raise _not_yet(f"z should have the shape of mu {tuple(mu.shape)}, got {tuple(z.shape)}")
    if not torch.isfinite(z).all():
        raise _not_yet("z has NaN or inf: logvar is often negative (sigma < 1), so its square root or log is not "
                     "a number; get sigma from logvar another way")
    again = _as_tensor(_call(reparameterize, mu.clone(), logvar.clone(), eps.clone()), "reparameterize(mu, logvar, eps)")
    if not _same(z, again, atol=1e-6):
        raise _not_yet("z changes between two calls with the same eps: use the eps you are given instead of "
                     "drawing new noise (that is what makes the step differentiable)")
    if not _same(z, expected):
        for mistake, message in _Z_MISTAKES:
            if _same(z, mistake(mu, logvar, eps)):
                raise _not_yet(message)
        raise _not_yet(f"for the test inputs z is not the expected draw: first row expected {_first_row(expected)}, "
                     f"got {_first_row(z)}")
    mu_, logvar_ = mu.clone().requires_grad_(True), logvar.clone().requires_grad_(True)
    z = _as_tensor(_call(reparameterize, mu_, logvar_, eps.clone()), "reparameterize(mu, logvar, eps)")
    if not z.requires_grad:
        raise _not_yet("the values are right but no gradient reaches mu and logvar: z was cut off from them "
                     "(.detach(), .item(), torch.tensor(...) or torch.no_grad() break the chain)")
    z.sum().backward()
    if mu_.grad is None or not torch.allclose(mu_.grad, torch.ones_like(mu)):
        raise _not_yet("dz/dmu should be 1 everywhere; build z from mu itself, not from a detached copy")
    if logvar_.grad is None or not torch.allclose(logvar_.grad, 0.5 * torch.exp(0.5 * logvar) * eps, atol=1e-5):
        raise _not_yet("no (or the wrong) gradient reaches logvar: compute sigma from logvar itself, not from a "
                     "detached copy or a Python float")
    return "Sampling is now a plain input (eps), so backpropagation reaches the encoder."


# ---------------------------------------------------------------- 06.3 the IWAE bound

def _iwae(log_w: torch.Tensor) -> torch.Tensor:
    import torch

    return torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])


def _iwae_mistakes(log_w: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    import torch

    n, k = log_w.shape
    right, row_max = _iwae(log_w), log_w.max(dim=1).values
    return [
        (log_w.mean(dim=1), "that is the plain average of the log-weights: the ELBO, not the importance-weighted "
                            "bound (the average must be taken of the weights, not of their logs)"),
        (right + math.log(k), f"your bound is exactly log k = log {k} too high: you added the k weights up but "
                              "did not average them over the draws"),
        (right - row_max, "your bound is off by exactly each row's largest log-weight: you subtracted the maximum "
                          "inside the exp (which avoids underflow) but did not add it back outside the log"),
        (right + math.log(k) - row_max, "your bound is off by each row's largest log-weight (the maximum was not "
                                        "added back after the log) and by log k (the weights were added up, not "
                                        "averaged)"),
        (torch.logsumexp(log_w, dim=1) / k, "you divided the log by k; the average over the k draws belongs "
                                            "inside the log"),
        (right + math.log(k) - math.log(n), f"you divided by the number of images N = {n}, not by the number of "
                                            f"draws k = {k}"),
    ]


@exercise("06.3", "the importance-weighted bound",
          hints=("Average the importance weights w = exp(log_w) over the k draws of each row, then take the log. "
                 "But exp(-200) is 0 in float32: never form the weights themselves.",
                 "log mean exp(a) = m + log mean exp(a - m) for any m; with m = the largest log-weight of each row "
                 "nothing underflows. torch.logsumexp does this stabilisation for you.",
                 "torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])"))
def _(iwae_bound):
    import torch

    g = torch.Generator().manual_seed(8)
    mild = torch.randn((5, 7), generator=g)                        # weights near 1: nothing can underflow
    got = _as_tensor(_call(iwae_bound, mild.clone()), "iwae_bound(log_w)")
    if got.shape == (7,):
        raise _not_yet("log_w has shape (N, k) = (5, 7) and you return shape (7,), one value per draw: you combined "
                     "the images (dim=0) instead of the k draws of each image (dim=1)")
    if got.shape != (5,):
        raise _not_yet(f"log_w has shape (N, k) = (5, 7); the bound should be one value per image, shape (5,), "
                     f"got {tuple(got.shape)}")
    if not _same(got, _iwae(mild), rtol=1e-5):
        for wrong, message in _iwae_mistakes(mild):
            if _same(got, wrong, rtol=1e-5):
                raise _not_yet(message)
        raise _not_yet(f"for log-weights near 0 the bound of the first image should be {_iwae(mild)[0].item():.4f}, "
                     f"got {got[0].item():.4f}")
    tiny = mild * 3 - 200.0                                        # every exp(log_w) underflows to 0 in float32
    got = _as_tensor(_call(iwae_bound, tiny.clone()), "iwae_bound(log_w)")
    if not torch.isfinite(got).all():
        raise _not_yet("right for log-weights near 0, but -inf (or NaN) for log-weights near -200: exp(-200) "
                     "underflows to 0 in float32 and log(0) = -inf, so the weights must never be formed as plain "
                     "exp(log_w)")
    if not _same(got, _iwae(tiny), rtol=1e-5):
        raise _not_yet(f"right for log-weights near 0, but for log-weights near -200 the first image's bound should "
                     f"be {_iwae(tiny)[0].item():.3f}, got {got[0].item():.3f}")
    levels = torch.tensor([[0.0], [-50.0], [-300.0], [-1000.0], [-20.0]])
    spread = mild + levels                                         # rows far apart: one maximum cannot serve all
    got = _as_tensor(_call(iwae_bound, spread.clone()), "iwae_bound(log_w)")
    if not torch.isfinite(got).all():
        bad = [i for i, ok in enumerate(torch.isfinite(got).tolist()) if not ok]
        raise _not_yet(f"rows {bad} (log-weights near {[levels[i].item() for i in bad]}) come out as -inf while the "
                     "row near 0 is fine: the maximum you factor out must be each row's own, not the largest "
                     "in the whole batch")
    if not _same(got, _iwae(spread), rtol=1e-5):
        raise _not_yet(f"for rows at very different levels the bounds should be "
                     f"{[round(v, 3) for v in _iwae(spread).tolist()]}, got {[round(v, 3) for v in got.tolist()]}")
    single = mild[:, :1] - 100.0
    got = _as_tensor(_call(iwae_bound, single.clone()), "iwae_bound(log_w)")
    if not _same(got, single[:, 0], rtol=1e-5):
        raise _not_yet("with k = 1 draw the bound must equal that draw's log-weight (the ELBO), "
                     f"got {got.reshape(-1)[:3].tolist()} for {single[:3, 0].tolist()}")
    return "With k = 1 it is the ELBO; as k grows it tightens towards log p(x)."


# ---------------------------------------------------------------- 06.4 bits per dimension

def _bits(nats: float, pixels: int) -> float:
    return nats / (pixels * math.log(2))


_BITS_MISTAKES = (
    (lambda nats, pixels: nats / pixels, "your value is per pixel but still in nats: a bit is not a nat"),
    (lambda nats, pixels: nats / math.log(2), "your value is in bits per image; the question asks per pixel "
                                              "(per dimension)"),
    (lambda nats, pixels: nats * math.log(2) / pixels, "converted the wrong way round: the same information takes "
                                                       "more bits than nats, so the number must grow"),
    (lambda nats, pixels: nats / (pixels * math.log(10)), "that is in decimal digits (log base 10), not bits "
                                                          "(log base 2)"),
    (lambda nats, pixels: math.log2(nats) / pixels, "you took the log of the loss: the loss is already a log, "
                                                    "only its unit changes"),
)


@exercise("06.4", "nats per image to bits per dimension",
          hints=("Two changes: per image -> per pixel, and nats (natural log) -> bits (log base 2).",
                 "One bit is ln 2 = 0.693 nats, so a loss in nats becomes a larger number in bits.",
                 "nats_per_image / (pixels * math.log(2))"))
def _(bits_per_dim):
    for nats, pixels in ((100.0, 784), (math.log(2) * 784, 784), (50.0, 64), (3000.0, 3072)):
        got = as_number(_call(bits_per_dim, nats, pixels), f"bits_per_dim({nats:.4g}, {pixels})")
        expected = _bits(nats, pixels)
        if not math.isclose(got, expected, rel_tol=1e-6):
            for mistake, message in _BITS_MISTAKES:
                if math.isclose(got, mistake(nats, pixels), rel_tol=1e-6):
                    raise _not_yet(message)
            raise _not_yet(f"bits_per_dim({nats:.4g}, {pixels}) should be {expected:.4f}, got {got:.4f}")
    return "100 nats per MNIST image is about 0.184 bits per pixel."

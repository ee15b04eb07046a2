"""Checkers for notebook 04 (GANs). Reference solutions: ``solutions/ex04.py``."""

from __future__ import annotations

import math

from . import NotYet, exercise


def _call(fn, *args):
    if not callable(fn):
        raise NotYet(f"the answer should be a function, got {type(fn).__name__}")
    return fn(*args)


def _as_float(value, what: str) -> float:
    import torch

    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise NotYet(f"{what} should be a single number (a 0-d tensor), got shape {tuple(value.shape)}")
        value = value.item()
    try:
        return float(value)
    except (TypeError, ValueError):
        raise NotYet(f"{what} should be a number, got {type(value).__name__}") from None


@exercise("04.1", "the discriminator loss from logits",
          hints=("log D = log sigmoid(l) = -softplus(-l) and log(1 - D) = -softplus(l); F.binary_cross_entropy_with_logits does both.",))
def _(answer) -> str:
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(4)
    cases = [(torch.randn(16, generator=g), torch.randn(16, generator=g)),
             (torch.tensor([3.0, -2.0, 0.5]), torch.tensor([-1.0, 4.0, 0.0])),
             # a confident discriminator: real logits near +60, fake logits near -60 (and one very wrong one)
             (torch.tensor([60.0, 55.0, -40.0]), torch.tensor([-60.0, -55.0, 45.0]))]
    for real, fake in cases:
        expected = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                    + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))).item()
        got = _as_float(_call(answer, real.clone(), fake.clone()), "the loss")
        if not math.isfinite(got):
            raise NotYet(f"for real logits {real.tolist()} and fake logits {fake.tolist()} your loss is {got}: "
                         "going through sigmoid and log overflows for large logits; stay in logit space")
        if abs(got - expected) > 1e-4 * max(1.0, abs(expected)):
            raise NotYet(f"for real logits {real.tolist()[:3]}... and fake logits {fake.tolist()[:3]}... "
                         f"expected {expected:.5f} nats, got {got:.5f} (mean over each batch, real + fake)")
    return "Finite even for logits of ±60, where sigmoid rounds to exactly 0 or 1."


@exercise("04.2", "the non-saturating generator loss",
          hints=("The generator wants D(G(z)) -> 1: minimise the mean of -log D(G(z)) = softplus(-logit).",))
def _(answer) -> str:
    import torch
    import torch.nn.functional as F

    for logits in (torch.tensor([0.0, 1.0, -1.0]), torch.tensor([-8.0, -12.0, -20.0]), torch.tensor([-50.0, 3.0])):
        x = logits.clone().requires_grad_(True)
        loss = _call(answer, x)
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise NotYet("return a single-number tensor (so the generator can backpropagate through it)")
        expected = F.softplus(-logits).mean().item()
        if not math.isfinite(loss.item()) or abs(loss.item() - expected) > 1e-4 * max(1.0, expected):
            raise NotYet(f"for fake logits {logits.tolist()} expected {expected:.5f} nats, got {loss.item():.5f}")
        loss.backward()
        if x.grad is None or not torch.allclose(x.grad, -torch.sigmoid(-logits) / len(logits), atol=1e-5):
            raise NotYet("the value is right but the gradient is not: compute it with differentiable torch operations")
    return "When D rejects a fake (logit -20) the gradient is still about -1 per sample, not ~0."


@exercise("04.3", "Fréchet distance between two 1-D Gaussians",
          hints=("In one dimension FID reduces to (mu1 - mu2)^2 + (sigma1 - sigma2)^2; sigma is the standard deviation.",))
def _(answer) -> str:
    for mu1, s1, mu2, s2 in [(0.0, 1.0, 0.0, 1.0), (1.0, 1.0, -1.0, 1.0), (0.0, 2.0, 0.0, 0.5), (3.0, 0.1, 0.5, 4.0)]:
        expected = (mu1 - mu2) ** 2 + (s1 - s2) ** 2
        got = _as_float(_call(answer, mu1, s1, mu2, s2), "the distance")
        if abs(got - expected) > 1e-6 * max(1.0, expected):
            raise NotYet(f"for N({mu1}, {s1}^2) and N({mu2}, {s2}^2) expected {expected:.4f}, got {got:.4f}")
    return "tr(S1 + S2 - 2 (S1 S2)^1/2) is (s1 - s2)^2 in one dimension."


@exercise("04.4", "KL divergence of a class histogram from uniform",
          hints=("p = counts / total; KL(p || u) = sum over p > 0 of p * ln(p / (1/10)); empty classes add 0.",))
def _(answer) -> str:
    cases = [[100] * 10, [1000] + [0] * 9, [50, 50, 0, 0, 0, 0, 0, 0, 0, 0], [30, 10, 10, 10, 10, 10, 10, 5, 5, 0]]
    for counts in cases:
        total = sum(counts)
        expected = sum(c / total * math.log(c / total * 10) for c in counts if c)
        got = _as_float(_call(answer, list(counts)), "the KL divergence")
        if abs(got - expected) > 1e-6:
            extra = " (natural log: nats, not bits)" if abs(got - expected / math.log(2)) < 1e-6 else ""
            raise NotYet(f"for counts {counts} expected {expected:.5f} nats, got {got:.5f}{extra}")
    return "A collapsed generator (one digit only) scores ln 10 ≈ 2.303 nats."

"""Reference solutions for notebook 04 (generative adversarial networks)."""

import math

import torch
import torch.nn.functional as F


def d_loss(real_logits, fake_logits):
    # -[log D(x) + log(1 - D(G(z)))], averaged over each batch, computed from logits
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss(fake_logits):
    # -log D(G(z)) = -log sigmoid(l) = softplus(-l)
    return F.softplus(-fake_logits).mean()


def frechet_1d(mu1, sigma1, mu2, sigma2):
    return (mu1 - mu2) ** 2 + (sigma1 - sigma2) ** 2


def kl_from_uniform(counts):
    total = sum(counts)
    k = len(counts)
    return sum(c / total * math.log(c / total * k) for c in counts if c > 0)


SOLUTIONS = {
    "04.1": d_loss,
    "04.2": g_loss,
    "04.3": frechet_1d,
    "04.4": kl_from_uniform,
}

WRONG = {
    "04.1": [
        # the article's Sigmoid + log form: right for small logits, inf/nan for confident ones
        lambda r, f: -(torch.log(torch.sigmoid(r)) + torch.log(1 - torch.sigmoid(f))).mean(),
        # labels swapped
        lambda r, f: F.softplus(r).mean() + F.softplus(-f).mean(),
        # only the real half
        lambda r, f: F.softplus(-r).mean(),
    ],
    "04.2": [
        # the saturating minimax form log(1 - D(G(z)))
        lambda f: -F.softplus(f).mean(),
        # right value, but no gradient reaches the generator
        lambda f: torch.tensor(F.softplus(-f).mean().item()),
        # summed instead of averaged
        lambda f: F.softplus(-f).sum(),
    ],
    "04.3": [
        lambda mu1, s1, mu2, s2: (mu1 - mu2) ** 2 + (s1 ** 2 - s2 ** 2) ** 2,   # variances instead of std devs
        lambda mu1, s1, mu2, s2: abs(mu1 - mu2) + abs(s1 - s2),                 # not squared
        lambda mu1, s1, mu2, s2: (mu1 - mu2) ** 2,                              # ignores the spread
    ],
    "04.4": [
        lambda counts: sum(c / sum(counts) * math.log2(c / sum(counts) * 10) for c in counts if c),  # bits
        lambda counts: sum(0.1 * math.log(0.1 / (c / sum(counts))) for c in counts if c),           # reversed KL
        lambda counts: math.log(10) - sum(1 for c in counts if c) / 10,                            # not a KL
    ],
}

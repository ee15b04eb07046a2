"""Reference solutions for notebook 05 (generative adversarial networks), and realistic wrong answers.

``SOLUTIONS``: exercise id -> the function the learner writes (same name as the scaffold's).
``WRONG``: exercise id -> ``(wrong answer, words the checker's message must contain)``.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F


def my_d_loss(real_logits, fake_logits):
    # -[log D(x) + log(1 - D(G(z)))], averaged over each batch, computed from logits
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def my_g_loss(fake_logits):
    # -log D(G(z)) = -log sigmoid(l) = softplus(-l)
    return F.softplus(-fake_logits).mean()


def frechet_1d(mu1, sigma1, mu2, sigma2):
    return (mu1 - mu2) ** 2 + (sigma1 - sigma2) ** 2


def kl_from_uniform(counts):
    total = sum(counts)
    k = len(counts)
    return sum(c / total * math.log(c / total * k) for c in counts if c > 0)


SOLUTIONS = {
    "05.1": my_d_loss,
    "05.2": my_g_loss,
    "05.3": frechet_1d,
    "05.4": kl_from_uniform,
}


def _bce_on_both(r, f):
    """One BCE over the real and fake logits concatenated: a mean over the pooled batch."""
    logits = torch.cat([r, f])
    labels = torch.cat([torch.ones_like(r), torch.zeros_like(f)])
    return F.binary_cross_entropy_with_logits(logits, labels)


def _kl_numpy_with_empty_classes(counts):
    # the NumPy form of forgetting empty classes: 0 * log(0) is NaN (NumPy's warning about it is silenced here,
    # so the test output shows only real problems)
    p = np.array(counts) / sum(counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log(p * 10)))


WRONG = {
    "05.1": [
        # the article's Sigmoid + log form: right for small logits, inf for confident ones
        (lambda r, f: -(torch.log(torch.sigmoid(r)).mean() + torch.log(1 - torch.sigmoid(f)).mean()), "logit space"),
        # labels swapped: real -> 0, fake -> 1
        (lambda r, f: F.softplus(r).mean() + F.softplus(-f).mean(), "labels are swapped"),
        # only the real half
        (lambda r, f: F.softplus(-r).mean(), "fake-image term is missing"),
        # the log-likelihood itself, not its negative
        (lambda r, f: -(F.softplus(-r).mean() + F.softplus(f).mean()), "wrong sign"),
        # one BCE over the concatenated batch: half the right value for equal batch sizes
        (_bce_on_both, "pooled together"),
        # per-image losses summed
        (lambda r, f: F.softplus(-r).sum() + F.softplus(f).sum(), "summed"),
        # no mean at all: one loss per image
        (lambda r, f: F.softplus(-r) + F.softplus(f), "one number for the whole batch"),
    ],
    "05.2": [
        # the fakes labelled 0, as in the discriminator's loss (the mistake "zeros instead of ones")
        (lambda f: F.binary_cross_entropy_with_logits(f, torch.zeros_like(f)), "label its fakes 1"),
        # the saturating minimax form log(1 - D(G(z)))
        (lambda f: -F.softplus(f).mean(), "minimax"),
        # right value, but no gradient reaches the generator
        (lambda f: torch.tensor(F.softplus(-f).mean().item()), "cut off from the computation graph"),
        # through the sigmoid: -inf once sigmoid(l) rounds to 0
        (lambda f: -torch.log(torch.sigmoid(f)).mean(), "from the logit directly"),
        # log D(G(z)) without the minus sign
        (lambda f: -F.softplus(-f).mean(), "wrong sign"),
        # summed instead of averaged
        (lambda f: F.softplus(-f).sum(), "summed"),
        # the value right for ordinary logits, but clamped to avoid log(0): wrong where D is sure
        (lambda f: -torch.log(torch.sigmoid(f).clamp(min=1e-30)).mean(), "clamp"),
    ],
    "05.3": [
        (lambda mu1, s1, mu2, s2: (mu1 - mu2) ** 2 + (s1 ** 2 - s2 ** 2) ** 2, "variances"),
        (lambda mu1, s1, mu2, s2: abs(mu1 - mu2) + abs(s1 - s2), "absolute values"),
        (lambda mu1, s1, mu2, s2: (mu1 - mu2) ** 2, "only the mean term"),
        (lambda mu1, s1, mu2, s2: (mu1 - mu2) ** 2 + s1 ** 2 + s2 ** 2 - s1 * s2, "factor 2"),
        (lambda mu1, s1, mu2, s2: math.sqrt((mu1 - mu2) ** 2 + (s1 - s2) ** 2), "square root"),
    ],
    "05.4": [
        (lambda counts: sum(c / sum(counts) * math.log2(c / sum(counts) * 10) for c in counts if c), "bits"),
        (lambda counts: sum(0.1 * math.log(0.1 / (c / sum(counts))) for c in counts if c), "swapped"),
        (lambda counts: -sum(c / sum(counts) * math.log(c / sum(counts)) for c in counts if c), "entropy"),
        (lambda counts: sum(c / sum(counts) * math.log(c / sum(counts) * 10) for c in counts), "empty class"),
        (_kl_numpy_with_empty_classes, "empty class"),
        (lambda counts: sum(c * math.log(c * 10) for c in counts if c), "raw counts"),
    ],
}

"""Reference solutions for notebook 05 (variational autoencoders)."""

import math

import torch


def kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=-1)


def reparameterize(mu, logvar, eps):
    return mu + torch.exp(0.5 * logvar) * eps


def iwae_bound(log_w):
    return torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])


def bits_per_dim(nats_per_image, pixels):
    return nats_per_image / (pixels * math.log(2))


SOLUTIONS = {
    "05.1": kl,
    "05.2": reparameterize,
    "05.3": iwae_bound,
    "05.4": bits_per_dim,
}

WRONG = {
    "05.1": [
        lambda mu, logvar: 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar),           # not summed per row
        lambda mu, logvar: 0.5 * (mu.pow(2) + logvar - 1 - logvar.exp()).sum(-1),   # exp on the wrong term
        lambda mu, logvar: (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1),         # missing the 1/2
    ],
    "05.2": [
        lambda mu, logvar, eps: mu + logvar * eps,                                  # logvar is not sigma
        lambda mu, logvar, eps: mu + torch.exp(logvar) * eps,                       # variance, not std
        lambda mu, logvar, eps: (mu + torch.exp(0.5 * logvar) * eps).detach(),      # no gradient
    ],
    "05.3": [
        lambda log_w: log_w.mean(dim=1),                                            # the ELBO
        lambda log_w: torch.logsumexp(log_w, dim=1),                                # forgot 1/k
        lambda log_w: torch.log(torch.exp(log_w).mean(dim=1)),                      # underflows to -inf
    ],
    "05.4": [
        lambda nats, pixels: nats / pixels,                                         # still nats
        lambda nats, pixels: nats / math.log(2),                                    # per image, not per pixel
        lambda nats, pixels: nats * math.log(2) / pixels,                           # upside-down conversion
    ],
}

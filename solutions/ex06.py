"""Reference solutions for notebook 06 (variational autoencoders)."""

import math

import torch


def kl(mu, logvar):
    # per latent dimension 0.5 * (mu^2 + sigma^2 - 1 - log sigma^2), added up over each row
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=-1)


def reparameterize(mu, logvar, eps):
    # sigma = exp(logvar / 2): logvar is log sigma^2
    return mu + torch.exp(0.5 * logvar) * eps


def iwae_bound(log_w):
    # log of the mean of exp(log_w) over the k draws, stabilised by logsumexp
    return torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])


def bits_per_dim(nats_per_image, pixels):
    return nats_per_image / (pixels * math.log(2))


SOLUTIONS = {
    "06.1": kl,
    "06.2": reparameterize,
    "06.3": iwae_bound,
    "06.4": bits_per_dim,
}


def _iwae_max_not_added_back(log_w):
    # the log-sum-exp trick half done: the maximum is taken out inside the exp and never added back
    m = log_w.max(dim=1, keepdim=True).values
    return torch.log(torch.exp(log_w - m).mean(dim=1))


def _iwae_batch_max(log_w):
    # stabilised with the largest log-weight of the whole batch instead of each row's own
    m = log_w.max()
    return m + torch.log(torch.exp(log_w - m).mean(dim=1))


WRONG = {
    "06.1": [
        (lambda mu, logvar: 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar), "one value per latent dimension"),
        (lambda mu, logvar: 0.5 * (mu.pow(2) + logvar - 1 - logvar.exp()).sum(-1), "exp() is on the wrong term"),
        (lambda mu, logvar: (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1), "factor 1/2"),
        (lambda mu, logvar: 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).mean(-1), "averaged over the dimensions"),
        (lambda mu, logvar: 0.5 * (mu.pow(2) + logvar.exp() - logvar).sum(-1), "must be 0"),
        (lambda mu, logvar: 0.5 * (mu.pow(2) + (2 * logvar).exp() - 1 - 2 * logvar).sum(-1), "logvar as log sigma"),
        (lambda mu, logvar: 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(), "single number for the whole batch"),
    ],
    "06.2": [
        (lambda mu, logvar, eps: mu + logvar * eps, "scaled eps by logvar itself"),
        (lambda mu, logvar, eps: mu + torch.exp(logvar) * eps, "by the variance"),
        (lambda mu, logvar, eps: (mu + torch.exp(0.5 * logvar) * eps).detach(), "no gradient reaches"),
        (lambda mu, logvar, eps: mu + torch.sqrt(logvar) * eps, "nan"),
        (lambda mu, logvar, eps: mu + torch.exp(0.5 * logvar) * torch.randn_like(mu), "use the eps you are given"),
        (lambda mu, logvar, eps: mu + eps, "ignores logvar"),
        (lambda mu, logvar, eps: mu + torch.exp(0.5 * logvar.detach()) * eps, "reaches logvar"),
    ],
    "06.3": [
        (lambda log_w: log_w.mean(dim=1), "the ELBO"),
        (lambda log_w: torch.logsumexp(log_w, dim=1), "log k = log 7 too high"),
        (lambda log_w: torch.log(torch.exp(log_w).mean(dim=1)), "underflows"),
        (_iwae_max_not_added_back, "did not add it back"),
        (_iwae_batch_max, "each row's own"),
        (lambda log_w: torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0]), "dim=0"),
        (lambda log_w: torch.logsumexp(log_w, dim=1) / log_w.shape[1], "divided the log by k"),
    ],
    "06.4": [
        (lambda nats, pixels: nats / pixels, "still in nats"),
        (lambda nats, pixels: nats / math.log(2), "bits per image"),
        (lambda nats, pixels: nats * math.log(2) / pixels, "wrong way round"),
        (lambda nats, pixels: nats / (pixels * math.log(10)), "base 10"),
        (lambda nats, pixels: math.log2(nats) / pixels, "log of the loss"),
    ],
}

"""The bigram of lesson 02, learned by gradient descent instead of counted.

Counting with add-k smoothing gives ``P(b | a) = (c(a, b) + k) / (c(a) + k V)``. The
same numbers are the minimum of a loss: the cross-entropy of a table of logits on the
training pairs *plus* ``k`` imaginary sightings of every pair. Gradient descent on
that loss, starting from a table of zeros, walks to the counted probabilities: the
first neural language model of the course is the old bigram, found a new way.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from ..validate import check_float, check_int, check_token_ids
from .models import MAX_WIDTH, BigramLM

__all__ = ["pair_counts", "add_k_bigram", "pseudo_count_loss", "fit_bigram", "MAX_FIT_STEPS"]

#: Most full-batch steps :func:`fit_bigram` takes.
MAX_FIT_STEPS = 100_000


def pair_counts(ids: torch.Tensor, vocab_size: int) -> torch.Tensor:
    """``counts[a, b]``: how often id ``b`` follows id ``a`` in the 1-D int64 stream ``ids``, ``(V, V)`` float."""
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2, maximum=MAX_WIDTH)
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or ids.dtype != torch.long or ids.numel() < 2:
        raise ValueError(f"ids must be a 1-D int64 tensor with at least 2 ids, got "
                         f"{getattr(ids, 'dtype', type(ids).__name__)} {tuple(getattr(ids, 'shape', ()))}")
    check_token_ids(ids, "ids", vocab_size)
    pairs = ids[:-1] * vocab_size + ids[1:]
    return torch.bincount(pairs, minlength=vocab_size * vocab_size).view(vocab_size, vocab_size).float()


def _check_counts(counts: object) -> torch.Tensor:
    if not isinstance(counts, torch.Tensor) or counts.dim() != 2 or counts.shape[0] != counts.shape[1] \
            or counts.shape[0] < 2 or not counts.is_floating_point():
        raise ValueError(f"counts must be a square float tensor (V, V) with V >= 2, got "
                         f"{getattr(counts, 'dtype', type(counts).__name__)} {tuple(getattr(counts, 'shape', ()))}")
    if not bool(torch.isfinite(counts).all()) or bool((counts < 0).any()):
        raise ValueError("counts must be finite and >= 0")
    return counts


def add_k_bigram(counts: torch.Tensor, k: float) -> torch.Tensor:
    """Counted ``P(b | a) = (c(a, b) + k) / (c(a) + k V)``, ``(V, V)``; ``k`` > 0 (every row then has mass)."""
    counts = _check_counts(counts)
    k = check_float(k, "k", minimum=0.0, maximum=1e6, exclusive_minimum=True)
    smoothed = counts + k
    return smoothed / smoothed.sum(dim=1, keepdim=True)


def pseudo_count_loss(model: BigramLM, counts: torch.Tensor, k: float) -> torch.Tensor:
    """Mean cross-entropy (nats) of the table on every pair, seen ``c(a, b) + k`` times."""
    weights = _check_counts(counts) + check_float(k, "k", minimum=0.0, maximum=1e6, exclusive_minimum=True)
    log_probs = F.log_softmax(model.table, dim=1)
    return -(weights * log_probs).sum() / weights.sum()


def fit_bigram(counts: torch.Tensor, k: float, steps: int = 300, lr: float = 0.5) -> tuple[BigramLM, list[float]]:
    """Train a :class:`BigramLM` on :func:`pseudo_count_loss` with full-batch Adam; return it and the losses.

    ``steps`` in 1..:data:`MAX_FIT_STEPS`, ``lr`` in (0, 10].
    """
    counts = _check_counts(counts)
    steps = check_int(steps, "steps", minimum=1, maximum=MAX_FIT_STEPS)
    lr = check_float(lr, "lr", minimum=0.0, maximum=10.0, exclusive_minimum=True)
    model = BigramLM(counts.shape[0])
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = pseudo_count_loss(model, counts, k)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses

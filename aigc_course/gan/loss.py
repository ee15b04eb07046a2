"""The GAN losses on raw discriminator logits: the discriminator's, and the generator's two forms."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..validate import check_choice, check_float


def _check_logits(logits: object, name: str) -> torch.Tensor:
    """A non-empty float tensor of finite logits (any shape)."""
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of logits, got {type(logits).__name__}")
    if not logits.is_floating_point():
        raise TypeError(f"{name} must be a float tensor, got dtype {logits.dtype}")
    if logits.numel() == 0:
        raise ValueError(f"{name} must hold at least one logit, got shape {tuple(logits.shape)}")
    if not bool(torch.isfinite(logits).all()):
        bad = int((~torch.isfinite(logits)).sum())
        raise ValueError(f"{name} holds {bad:,} NaN or infinite logits (in training: the game diverged, "
                         "try smaller learning rates)")
    return logits


def _check_real_label(real_label: object) -> float:
    return check_float(real_label, "real_label", minimum=0.5, maximum=1.0, exclusive_minimum=True)


def _check_logit_pair(real_logits: object, fake_logits: object, real_label: object) -> float:
    """The arguments of :func:`d_loss`; returns ``real_label`` as a float."""
    _check_logits(real_logits, "real_logits")
    _check_logits(fake_logits, "fake_logits")
    return _check_real_label(real_label)


def d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, real_label: float = 1.0) -> torch.Tensor:
    """Discriminator loss: ``-[log D(x) + log(1 - D(G(z)))]``, averaged, in nats.

    Written with logits: ``log D = log sigmoid(l) = -softplus(-l)`` and
    ``log(1 - D) = -softplus(l)``. This is what ``BCEWithLogitsLoss`` computes, and it
    stays finite for any logit, whereas ``Sigmoid`` followed by ``BCELoss`` (the
    article's form) rounds ``D`` to exactly 0 or 1 for logits beyond about ±17 (float32)
    and then needs ``BCELoss``'s clamp of ``log`` at -100 to avoid infinities.
    ``real_label < 1`` is one-sided label smoothing (Salimans et al., 2016): the target
    for real images becomes e.g. 0.9, which keeps ``D`` from growing over-confident.
    ``real_logits`` and ``fake_logits``: non-empty float tensors of finite logits
    (any shapes, usually ``(N,)``); ``real_label`` in (0.5, 1].
    """
    real_label = _check_logit_pair(real_logits, fake_logits, real_label)
    real_target = torch.full_like(real_logits, real_label)
    return (F.binary_cross_entropy_with_logits(real_logits, real_target)
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


GENERATOR_LOSSES = ("non_saturating", "minimax")


def g_loss(fake_logits: torch.Tensor, kind: str = "non_saturating") -> torch.Tensor:
    """Generator loss from ``D``'s logits on fakes, averaged, in nats.

    - ``"non_saturating"`` (used in practice): ``-log D(G(z)) = softplus(-l)``.
      Its gradient is large exactly when ``D`` confidently rejects the fake.
    - ``"minimax"`` (the game as written): ``log(1 - D(G(z))) = -softplus(l)``.
      Its gradient ``-sigmoid(l)`` vanishes when ``D`` rejects the fake (l << 0),
      which is the usual situation early in training.

    ``fake_logits``: a non-empty float tensor of finite logits (any shape).
    """
    check_choice(kind, "kind", GENERATOR_LOSSES)
    _check_logits(fake_logits, "fake_logits")
    if kind == "non_saturating":
        return F.softplus(-fake_logits).mean()
    return -F.softplus(fake_logits).mean()

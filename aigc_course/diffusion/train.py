"""Training a noise predictor: the DDPM objective, and a short loop with an EMA copy of the weights.

The objective (Ho et al. 2020, "simple" loss): pick a random step ``t`` and noise ``eps`` for
each training sample, make ``x_t`` in closed form, and regress the model's prediction on
``eps`` with the mean squared error. For classifier-free guidance (Ho & Salimans 2021) a
share ``label_dropout`` of the labels is replaced by :data:`~.models.NULL_LABEL`, so that one
network learns both ``eps(x_t, t, y)`` and ``eps(x_t, t)``.

The loop keeps the course's one :class:`~aigc_course.neural_lm.train.History` and, when
given a copy of the model, an exponential moving average (EMA) of the weights, which
usually samples better than the last weights of a short, noisy run.
"""

from __future__ import annotations

import time
from typing import Callable

import torch
from torch import nn
from torch.nn import functional as F

from ..neural_lm.train import History
from ..validate import check_bool, check_float, check_int, check_probability
from .models import NULL_LABEL, check_labels
from .schedule import NoiseSchedule, add_noise

MAX_STEPS = 1_000_000
MAX_SECONDS = 7 * 24 * 3600.0
MAX_BATCH_SIZE = 65_536


def diffusion_loss(model: nn.Module, schedule: NoiseSchedule, x0: torch.Tensor, labels: torch.Tensor | None,
                   generator: torch.Generator, label_dropout: float = 0.0) -> torch.Tensor:
    """The DDPM training loss on one batch ``x0`` ``(N, …)``: ``mean ||eps - model(x_t, t, y)||²``."""
    n = x0.shape[0]
    t = torch.randint(0, schedule.steps, (n,), generator=generator)
    noise = torch.randn(x0.shape, generator=generator)
    x_t = add_noise(schedule, x0, noise, t)
    if labels is not None and label_dropout > 0:
        dropped = torch.rand(n, generator=generator) < label_dropout
        labels = torch.where(dropped, torch.full_like(labels, NULL_LABEL), labels)
    return F.mse_loss(model(x_t, t, labels), noise)


@torch.no_grad()
def update_ema(ema: nn.Module, model: nn.Module, decay: float) -> None:
    """``ema <- decay · ema + (1 - decay) · model``, weight by weight."""
    for ema_param, param in zip(ema.parameters(), model.parameters()):
        ema_param.lerp_(param, 1 - decay)


def train_denoiser(
    model: nn.Module,
    schedule: NoiseSchedule,
    data: torch.Tensor,
    labels: torch.Tensor | None = None,
    *,
    steps: int = 1000,
    batch_size: int = 64,
    learning_rate: float = 2e-3,
    label_dropout: float = 0.1,
    ema: nn.Module | None = None,
    ema_decay: float = 0.99,
    max_seconds: float | None = None,
    seed: int = 0,
    progress: bool = True,
    callback: Callable[[History], None] | None = None,
    log_every: int = 50,
) -> History:
    """Train ``model`` in place on ``data`` ``(N, …)`` (images in [-1, 1], or points); return its history.

    ``labels`` ``(N,)`` in ``0..9`` make the model class-conditional (``None``: unconditional).
    Each step draws ``batch_size`` random samples, takes one AdamW step at ``learning_rate``
    on :func:`diffusion_loss`, and moves ``ema`` (a copy of the model, e.g. ``copy.deepcopy(model)``)
towards the new weights by :func:`update_ema` with ``ema_decay``.
    Stops after ``steps`` or ``max_seconds`` of training. ``callback(history)`` runs every
    ``log_every`` steps. ``history.train_loss`` is the per-step MSE (noise variance units);
    ``history.tokens_seen`` counts training samples. Deterministic for a ``seed`` on one machine.
    """
    from tqdm.auto import tqdm

    steps, batch_size, learning_rate, label_dropout, ema_decay, max_seconds, log_every = _check_training(
        model, schedule, data, labels, callback, ema, steps=steps, batch_size=batch_size, learning_rate=learning_rate,
        label_dropout=label_dropout, ema_decay=ema_decay, max_seconds=max_seconds, log_every=log_every)
    seed, progress = check_int(seed, "seed", minimum=0, maximum=2**63 - 1), check_bool(progress, "progress")
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.0)
    history = History()
    model.train()
    clock = 0.0
    bar = tqdm(range(steps), desc="training", disable=not progress, mininterval=1.0)
    for step in bar:
        started = time.perf_counter()
        index = torch.randint(0, len(data), (batch_size,), generator=generator)
        loss = diffusion_loss(model, schedule, data[index], None if labels is None else labels[index],
                              generator, label_dropout)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if ema is not None:
            update_ema(ema, model, ema_decay)
        clock += time.perf_counter() - started
        history.steps.append(step + 1)
        history.seconds.append(clock)
        history.train_loss.append(loss.item())
        history.lr.append(learning_rate)
        history.grad_norm.append(grad_norm.item())
        history.tokens_seen += batch_size
        done = step + 1 == steps or (max_seconds is not None and clock >= max_seconds)
        if (step + 1) % log_every == 0 or done:
            bar.set_postfix(loss=f"{sum(history.train_loss[-log_every:]) / len(history.train_loss[-log_every:]):.4f}")
            if callback is not None:
                callback(history)
        if done:
            break
    bar.close()
    history.train_seconds = clock
    model.eval()
    return history


def _check_training(model, schedule, data, labels, callback, ema, *, steps, batch_size, learning_rate, label_dropout,
                    ema_decay, max_seconds, log_every) -> tuple:
    """The arguments of :func:`train_denoiser`, checked; returns the numeric settings in order."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(schedule, NoiseSchedule):
        raise TypeError(f"schedule must be a NoiseSchedule, got {type(schedule).__name__}")
    if ema is not None and (not isinstance(ema, nn.Module) or ema is model
                            or [p.shape for p in ema.parameters()] != [p.shape for p in model.parameters()]):
        raise TypeError("ema must be None or a separate copy of the model (copy.deepcopy(model))")
    if not isinstance(data, torch.Tensor) or not data.is_floating_point() or data.dim() < 2 or len(data) < 1:
        raise TypeError("data must be a float tensor (N, ...) with at least one sample")
    if not torch.isfinite(data).all():
        raise ValueError("data holds NaN or infinite values")
    check_labels(labels, len(data), allow_null=False)
    steps = check_int(steps, "steps", minimum=1, maximum=MAX_STEPS)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    learning_rate = check_float(learning_rate, "learning_rate", minimum=0.0, maximum=1.0, exclusive_minimum=True)
    label_dropout = check_probability(label_dropout, "label_dropout")
    ema_decay = check_probability(ema_decay, "ema_decay", allow_one=False)
    if max_seconds is not None:
        max_seconds = check_float(max_seconds, "max_seconds", minimum=0.0, maximum=MAX_SECONDS, exclusive_minimum=True)
    log_every = check_int(log_every, "log_every", minimum=1, maximum=MAX_STEPS)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function of the History, or None; got {type(callback).__name__}")
    return steps, batch_size, learning_rate, label_dropout, ema_decay, max_seconds, log_every

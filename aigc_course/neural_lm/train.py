"""The course's one training loop for sequence models: AdamW, warm-up + cosine schedule, clipping.

The loop is the classic one (nanoGPT, d2l): draw a batch of random windows from a long
stream of token ids, predict every next token, back-propagate, clip the gradient norm,
step. Every ``eval_every`` steps the validation loss is measured on a fixed set of
held-out windows, and a :class:`History` keeps both curves against steps *and* seconds,
so models can be compared by the compute they used.

Any *language model* trains here: an ``nn.Module`` with an int attribute ``vocab_size``
whose ``model(ids, targets)`` returns a dict with ``logits`` ``(B, T, vocab_size)`` and
``loss`` (mean cross-entropy, nats per token), and optionally a ``context_window`` (the
longest input it reads, ``None`` for no limit). The MLP and recurrent models of
:mod:`aigc_course.neural_lm.models` and the GPT of :mod:`aigc_course.gpt` all are.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import torch
from torch.nn import functional as F

from ..speedups import adamw
from ..validate import check_bool, check_float, check_int, check_probability, check_token_ids

#: Most optimiser steps of a run without a time budget (a CPU does ~10-100 steps a second).
MAX_STEPS = 1_000_000
#: With ``max_seconds`` set the clock ends the run, so ``max_steps`` may go up to this
#: (``max_steps=10**9`` then means "until the time is up").
MAX_STEPS_WITH_TIME_BUDGET = 10**9
#: Longest time budget: one week.
MAX_SECONDS = 7 * 24 * 3600.0
MAX_BATCH_SIZE = 65_536
#: Most tokens in one training batch (``batch_size × block_size``) or in the validation windows.
MAX_TOKENS_PER_BATCH = 1 << 24
#: Largest peak learning rate: AdamW moves every weight by about the learning rate per step,
#: so anything near 1 diverges at once.
MAX_LEARNING_RATE = 1.0
MAX_WEIGHT_DECAY = 10.0
#: Longest training window (tokens).
MAX_BLOCK_SIZE = 100_000


def check_language_model(model: object) -> torch.nn.Module:
    """``model`` if it is an ``nn.Module`` with an int ``vocab_size`` (see the module docstring)."""
    vocab_size = getattr(model, "vocab_size", None)
    if not isinstance(model, torch.nn.Module) or isinstance(vocab_size, bool) or not isinstance(vocab_size, int):
        raise TypeError("model must be a language model: a torch.nn.Module with an int vocab_size whose "
                        "model(ids, targets) returns {'logits', 'loss'} (e.g. an aigc_course.gpt.GPT or "
                        f"an aigc_course.neural_lm model), got {type(model).__name__}")
    return model


@dataclass(frozen=True)
class TrainConfig:
    """Settings of :func:`train`.

    - ``max_steps``: optimiser steps; ``max_seconds`` (optional) stops earlier, and the
      learning-rate schedule then follows elapsed time instead of steps.
    - ``batch_size`` × ``block_size``: tokens per step (``block_size`` ≤ the model's window).
    - ``learning_rate``: peak rate after ``warmup_steps`` of linear warm-up; cosine decay
      to ``min_lr_ratio`` × peak at the end.
    - ``weight_decay``: AdamW decay on matrices only (not biases or LayerNorm gains).
    - ``grad_clip``: maximum global gradient norm.
    - ``eval_every`` steps, on ``eval_windows`` fixed held-out windows, scoring only the
      second half of each window (so every scored token has at least ``block_size/2``
      tokens of context, like the full evaluation); with ``eval_every_seconds`` also (or,
      in long time-budgeted runs, mainly) every so many training seconds.
    - ``seed``: an int >= 0 for the batches and the validation windows.

    Every field is checked when the config is made: ``max_steps`` <= :data:`MAX_STEPS`
    (:data:`MAX_STEPS_WITH_TIME_BUDGET` with ``max_seconds``), ``max_seconds`` <=
    :data:`MAX_SECONDS`, ``batch_size`` <= :data:`MAX_BATCH_SIZE`, tokens per batch <=
    :data:`MAX_TOKENS_PER_BATCH`, ``0 < learning_rate <= MAX_LEARNING_RATE``,
    ``0 <= min_lr_ratio <= 1``, ``0 <= weight_decay <= MAX_WEIGHT_DECAY``, both betas in
    [0, 1), ``grad_clip > 0`` (``float("inf")`` turns clipping off). NaN is refused everywhere.
    """

    max_steps: int = 2000
    batch_size: int = 32
    block_size: int = 128
    learning_rate: float = 2e-3
    min_lr_ratio: float = 0.1
    warmup_steps: int = 100
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.99)
    grad_clip: float = 1.0
    eval_every: int = 100
    eval_windows: int = 64
    max_seconds: float | None = None
    eval_every_seconds: float | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        def store(name: str, value: object) -> None:  # frozen: fields are set once, as plain Python numbers
            object.__setattr__(self, name, value)

        for name in ("max_seconds", "eval_every_seconds"):
            value = getattr(self, name)
            if value is not None:
                store(name, check_float(value, name, minimum=0.0, maximum=MAX_SECONDS, exclusive_minimum=True))
        store("max_steps", check_int(self.max_steps, "max_steps", minimum=1, maximum=MAX_STEPS_WITH_TIME_BUDGET))
        if self.max_seconds is None and self.max_steps > MAX_STEPS:  # nothing else would end the run
            raise ValueError(f"max_steps must be an int between 1 and {MAX_STEPS:,} without a time budget "
                             f"(with max_seconds set, up to {MAX_STEPS_WITH_TIME_BUDGET:,}), got {self.max_steps:,}")
        store("batch_size", check_int(self.batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE))
        store("block_size", check_int(self.block_size, "block_size", minimum=1, maximum=MAX_BLOCK_SIZE))
        store("warmup_steps", check_int(self.warmup_steps, "warmup_steps", minimum=0,
                                        maximum=MAX_STEPS_WITH_TIME_BUDGET))
        store("eval_every", check_int(self.eval_every, "eval_every", minimum=1, maximum=MAX_STEPS_WITH_TIME_BUDGET))
        store("eval_windows", check_int(self.eval_windows, "eval_windows", minimum=1, maximum=MAX_BATCH_SIZE))
        for name, count in (("batch_size", self.batch_size), ("eval_windows", self.eval_windows)):
            if count * self.block_size > MAX_TOKENS_PER_BATCH:
                raise ValueError(f"{name} × block_size = {count:,} × {self.block_size:,} tokens is more than "
                                 f"MAX_TOKENS_PER_BATCH = {MAX_TOKENS_PER_BATCH:,}")
        store("learning_rate", check_float(self.learning_rate, "learning_rate", minimum=0.0,
                                           maximum=MAX_LEARNING_RATE, exclusive_minimum=True))
        store("min_lr_ratio", check_probability(self.min_lr_ratio, "min_lr_ratio"))
        store("weight_decay", check_float(self.weight_decay, "weight_decay", minimum=0.0, maximum=MAX_WEIGHT_DECAY))
        betas = self.betas
        if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2) of numbers in [0, 1), got {betas!r}")
        store("betas", tuple(check_float(b, f"betas[{i}]", minimum=0.0, maximum=1.0, exclusive_maximum=True)
                             for i, b in enumerate(betas)))
        store("grad_clip", check_float(self.grad_clip, "grad_clip", minimum=0.0, exclusive_minimum=True,
                                       allow_inf=True))
        store("seed", check_int(self.seed, "seed", minimum=0, maximum=2**63 - 2))  # seed + 1 is used too

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class History:
    """What happened during training: per-step training loss, learning rate and gradient norm (before
    clipping), and the periodic validation loss (nats/token)."""

    steps: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # the global gradient norm before clipping
    val_steps: list[int] = field(default_factory=list)
    val_seconds: list[float] = field(default_factory=list)  # training seconds so far (evaluation time excluded)
    val_loss: list[float] = field(default_factory=list)
    tokens_seen: int = 0
    train_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def learning_rate_at(progress: float, config: TrainConfig, step: int) -> float:
    """Linear warm-up over ``warmup_steps``, then cosine decay; ``progress`` in [0, 1] is the fraction done.

    ``step`` counts from 0; a ``progress`` past 1 (a time budget overrun by the last step) counts as 1.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    progress = check_float(progress, "progress", minimum=0.0)
    step = check_int(step, "step", minimum=0)
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / config.warmup_steps
    floor = config.learning_rate * config.min_lr_ratio
    cosine = 0.5 * (1 + math.cos(math.pi * min(max(progress, 0.0), 1.0)))
    return floor + (config.learning_rate - floor) * cosine


def _check_stream(ids: object, name: str, block_size: int, vocab_size: int | None = None) -> torch.Tensor:
    """``ids`` as a 1-D int64 tensor with room for a window of ``block_size`` and its targets."""
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or ids.dtype != torch.long:
        raise ValueError(f"{name} must be a 1-D int64 tensor of token ids, got "
                         f"{getattr(ids, 'dtype', type(ids).__name__)} {tuple(getattr(ids, 'shape', ()))}")
    if ids.numel() <= block_size + 1:
        raise ValueError(f"{name} must be a 1-D tensor longer than block_size + 1 = {block_size + 1}, "
                         f"got {ids.numel():,} tokens")
    if vocab_size is not None:
        check_token_ids(ids, name, vocab_size)
    return ids


def random_windows(ids: torch.Tensor, batch_size: int, block_size: int, generator: torch.Generator
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch of random windows from the 1-D stream ``ids``: inputs and next-token targets, each (B, T)."""
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    block_size = check_int(block_size, "block_size", minimum=1, maximum=MAX_BLOCK_SIZE)
    ids = _check_stream(ids, "ids", block_size)
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
    starts = torch.randint(0, ids.numel() - block_size - 1, (batch_size,), generator=generator)
    offsets = torch.arange(block_size)
    x = ids[starts[:, None] + offsets]
    y = ids[starts[:, None] + offsets + 1]
    return x, y


def make_optimizer(model: torch.nn.Module, config: TrainConfig) -> torch.optim.AdamW:
    """AdamW with weight decay on the 2-D weights (matrices, embeddings) and none on biases/LayerNorm."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (e.g. an aigc_course.gpt.GPT), got {type(model).__name__}")
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return adamw(groups, lr=config.learning_rate, betas=config.betas)


@torch.no_grad()
def estimate_val_loss(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 64) -> float:
    """Mean loss (nats/token) over the second half of each fixed validation window ``x, y`` (N, T)."""
    check_language_model(model)
    if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor) or x.dim() != 2 or x.shape != y.shape \
            or x.shape[0] == 0 or x.shape[1] < 2:
        raise ValueError(f"x and y must be tensors of the same shape (N, T) with N >= 1 and T >= 2, got "
                         f"{tuple(getattr(x, 'shape', ()))} and {tuple(getattr(y, 'shape', ()))}")
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    was_training = model.training
    model.eval()
    half = x.shape[1] // 2
    total, count = 0.0, 0
    for i in range(0, x.shape[0], batch_size):
        logits = model(x[i:i + batch_size])["logits"][:, half:]
        target = y[i:i + batch_size, half:]
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), reduction="sum").item()
        count += target.numel()
    model.train(was_training)
    return total / count


def train(
    model: torch.nn.Module,
    train_ids: torch.Tensor,
    valid_ids: torch.Tensor,
    config: TrainConfig,
    *,
    progress: bool = True,
    callback: Callable[[History], None] | None = None,
) -> History:
    """Train ``model`` in place on the 1-D id stream ``train_ids``; return its :class:`History`.

    ``valid_ids`` (1-D) provides ``config.eval_windows`` fixed windows for the periodic
    validation loss. ``callback(history)`` runs after each validation (e.g. to save).
    Deterministic for a given ``config.seed`` on one machine (``max_seconds`` aside).
    Both streams are int64 token ids in ``[0, model.vocab_size)``; ``model`` is any
    language model (see the module docstring).
    """
    from tqdm.auto import tqdm

    check_language_model(model)
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    window = getattr(model, "context_window", None)
    if window is not None and config.block_size > window:
        raise ValueError(f"block_size {config.block_size} exceeds the model's context window of {window} tokens")
    for name, ids in (("train_ids", train_ids), ("valid_ids", valid_ids)):
        _check_stream(ids, name, config.block_size, model.vocab_size)
    progress = check_bool(progress, "progress")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function of the History, or None; got {type(callback).__name__}")
    device = next(model.parameters()).device
    data_gen = torch.Generator().manual_seed(config.seed)
    val_gen = torch.Generator().manual_seed(config.seed + 1)
    val_x, val_y = random_windows(valid_ids, config.eval_windows, config.block_size, val_gen)
    val_x, val_y = val_x.to(device), val_y.to(device)
    optimizer = make_optimizer(model, config)
    history = History()
    model.train()
    clock = 0.0  # training seconds, evaluation excluded

    def validate(step: int) -> None:
        history.val_steps.append(step)
        history.val_seconds.append(clock)
        history.val_loss.append(estimate_val_loss(model, val_x, val_y))
        if callback is not None:
            callback(history)

    validate(0)
    next_timed_eval = config.eval_every_seconds
    bar = tqdm(range(config.max_steps), desc="training", disable=not progress, mininterval=1.0)
    for step in bar:
        started = time.perf_counter()
        progress_done = step / config.max_steps
        if config.max_seconds is not None:
            progress_done = max(progress_done, clock / config.max_seconds)
        lr = learning_rate_at(progress_done, config, step)
        for group in optimizer.param_groups:
            group["lr"] = lr
        x, y = random_windows(train_ids, config.batch_size, config.block_size, data_gen)
        loss = model(x.to(device), y.to(device))["loss"]
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        optimizer.step()
        loss_value = loss.item()  # also waits for the device, so the clock is honest on a GPU
        history.grad_norm.append(grad_norm.item())
        clock += time.perf_counter() - started
        history.steps.append(step + 1)
        history.seconds.append(clock)
        history.train_loss.append(loss_value)
        history.lr.append(lr)
        history.tokens_seen += x.numel()
        done = step + 1 == config.max_steps or (config.max_seconds is not None and clock >= config.max_seconds)
        timed = next_timed_eval is not None and clock >= next_timed_eval
        if timed:
            next_timed_eval += config.eval_every_seconds
        if (step + 1) % config.eval_every == 0 or done or timed:
            validate(step + 1)
            bar.set_postfix(train=f"{loss_value:.3f}", val=f"{history.val_loss[-1]:.3f}")
        if done:
            break
    bar.close()
    history.train_seconds = clock
    model.eval()
    return history

"""The course's Shakespeare GPTs: data, sizes and training settings, in one place.

The notebook, the tests and ``benchmarks/gpt.py`` all train from these recipes, so the
numbers they report describe the same thing. Training text: the 34 training plays;
validation: the 4 held-out plays (:data:`aigc_course.data.SHAKESPEARE_VALID_PLAYS`),
character level, newlines included.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import torch

from ..config import fast_or, get_device, seed_everything
from ..data import load_shakespeare
from ..neural_lm.train import MAX_SECONDS, History, TrainConfig, train
from ..validate import check_float
from .chars import CharTokenizer
from .config import GPTConfig
from .model import GPT


@dataclass(frozen=True)
class ShakespeareData:
    """Training and held-out text, the character tokenizer, and both texts as id streams (1-D int64)."""

    tokenizer: CharTokenizer
    train_text: str
    valid_text: str
    train_ids: torch.Tensor
    valid_ids: torch.Tensor


@functools.lru_cache(maxsize=1)
def shakespeare_data() -> ShakespeareData:
    """Load and encode the Shakespeare splits (the alphabet comes from the training plays: 76 characters)."""
    train_text, valid_text = load_shakespeare("train"), load_shakespeare("valid")
    tokenizer = CharTokenizer.from_text(train_text)
    return ShakespeareData(tokenizer, train_text, valid_text,
                           tokenizer.encode_tensor(train_text), tokenizer.encode_tensor(valid_text))


#: The lesson's model: 4 blocks, 4 heads, width 128, a window of 64 characters (≈0.8 M parameters).
SMALL = GPTConfig(vocab_size=76, n_positions=64, n_embd=128, n_layer=4, n_head=4, dropout=0.0)

#: The long benchmark run's model: deeper and with a twice longer window (≈1.2 M parameters),
#: sized for tens of CPU minutes (a bigger model learns less in the same time on a CPU).
LONG = GPTConfig(vocab_size=76, n_positions=256, n_embd=128, n_layer=6, n_head=4, dropout=0.0)


def small_training() -> TrainConfig:
    """Training settings for :data:`SMALL`: about 2.5 minutes on an idle 2-core CPU (seconds in fast mode).

    Many small steps (16 windows of 64 characters) at a high peak learning rate: on a CPU
    budget, more updates beat bigger batches. Measured on the 2-core machine, held-out
    nats/char: 16 × 1,600 steps 1.737 in 156 s; 24 × 1,600 1.68 in 208 s; 16 × 1,500 1.751;
    12 × 1,800 1.755 in 129 s; 16 × 1,400 at a peak of 4e-3 1.761.
    """
    full = TrainConfig(max_steps=1600, batch_size=16, block_size=64, learning_rate=3e-3, min_lr_ratio=0.1,
                       warmup_steps=50, weight_decay=0.1, grad_clip=1.0, eval_every=100, eval_windows=128, seed=0)
    return fast_or(full, replace(full, max_steps=60, warmup_steps=10, eval_every=20, eval_windows=16))


def long_training(minutes: float) -> TrainConfig:
    """Time-budgeted settings for :data:`LONG`: the schedule follows the clock, ``minutes`` of training.

    ``minutes`` > 0, at most a week (:data:`aigc_course.neural_lm.train.MAX_SECONDS`).
    """
    minutes = check_float(minutes, "minutes", minimum=0.0, maximum=MAX_SECONDS / 60, exclusive_minimum=True)
    return TrainConfig(max_steps=10**9, batch_size=16, block_size=256, learning_rate=2e-3, min_lr_ratio=0.1,
                       warmup_steps=100, weight_decay=0.1, grad_clip=1.0, eval_every=10**9, eval_windows=64,
                       max_seconds=60.0 * minutes, eval_every_seconds=max(30.0, 60.0 * minutes / 40), seed=0)


def train_shakespeare_gpt(config: GPTConfig = SMALL, training: TrainConfig | None = None, *,
                          device: str | None = None, progress: bool = True, callback=None) -> tuple[GPT, History]:
    """Build a GPT of size ``config`` (seeded) and train it on the Shakespeare training plays."""
    if not isinstance(config, GPTConfig):
        raise TypeError(f"config must be a GPTConfig, got {type(config).__name__}")
    if training is not None and not isinstance(training, TrainConfig):
        raise TypeError(f"training must be a TrainConfig or None, got {type(training).__name__}")
    data = shakespeare_data()
    training = small_training() if training is None else training
    if config.vocab_size != len(data.tokenizer):
        raise ValueError(f"config.vocab_size is {config.vocab_size} but the Shakespeare alphabet has "
                         f"{len(data.tokenizer)} characters")
    seed_everything(training.seed)
    model = GPT(config).to(get_device(device))
    history = train(model, data.train_ids, data.valid_ids, training, progress=progress, callback=callback)
    return model, history

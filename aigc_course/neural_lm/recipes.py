"""The neural language models of the lesson and their training settings, in one place.

The benchmark (``benchmarks/neural_lm.py``) and the tests build from these, so the
figures they report describe the same models. All train on the 34 training plays at
the character level (76 characters) with the course's one loop
(:func:`aigc_course.neural_lm.train.train`), under a time budget: what counts on a CPU
is how far a model gets in a given number of seconds.

Measured on the idle 2-core machine, held-out plays scored in full (nats per character),
against 2.02 for the character 3-gram and 1.466 for the 7-gram of lessons 02 and 04: the
MLP below reached 1.70 after 60 s of training (2,279 steps, peak learning rate 3e-3); the
GRU after 180 s (about 600-650 steps) 1.620 at a peak of 3e-3, 1.553 at 6e-3 and 1.529 at
1e-2, so it trains at 1e-2.
"""

from __future__ import annotations

from ..config import fast_or
from ..validate import check_float
from .models import MLPLM, RecurrentLM
from .train import MAX_SECONDS, TrainConfig

__all__ = ["make_mlp", "make_gru", "timed_training", "MLP_BLOCK", "RNN_BLOCK", "MLP_LEARNING_RATE",
           "GRU_LEARNING_RATE"]

#: Training window of the MLP (it reads only its last 8 characters of each) and of the GRU.
MLP_BLOCK, RNN_BLOCK = 64, 128


def make_mlp(vocab_size: int = 76, context: int = 8) -> MLPLM:
    """Bengio-style MLP: ``context`` characters of 24 numbers each, 512 tanh units (about 0.14 M parameters)."""
    return MLPLM(vocab_size, context=context, n_embd=24, hidden=512)


def make_gru(vocab_size: int = 76) -> RecurrentLM:
    """One GRU layer of 384 units over 64-number embeddings (about 0.55 M parameters)."""
    return RecurrentLM(vocab_size, kind="gru", n_embd=64, hidden=384)


#: Peak learning rates (see the trials above).
MLP_LEARNING_RATE, GRU_LEARNING_RATE = 3e-3, 1e-2


def timed_training(seconds: float, block_size: int, learning_rate: float) -> TrainConfig:
    """``seconds`` of training (fast mode: 3 s) on 32 windows of ``block_size`` characters a step.

    AdamW at a peak of ``learning_rate`` after 50 warm-up steps, cosine decay to a tenth
    of it along the clock, weight decay 0.1 on the matrices, gradients clipped at norm 1;
    the held-out windows are scored every twelfth of the budget (at least every 15 s).
    """
    seconds = check_float(seconds, "seconds", minimum=0.0, maximum=MAX_SECONDS, exclusive_minimum=True)
    seconds = fast_or(seconds, min(seconds, 3.0))
    return TrainConfig(max_steps=10**9, batch_size=32, block_size=block_size, learning_rate=learning_rate,
                       min_lr_ratio=0.1, warmup_steps=fast_or(50, 5), weight_decay=0.1, grad_clip=1.0,
                       eval_every=10**9, eval_windows=fast_or(128, 16), max_seconds=seconds,
                       eval_every_seconds=max(fast_or(15.0, 1.0), seconds / 12), seed=0)

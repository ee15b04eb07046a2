"""Sampling text from an n-gram model: temperature, top-k, seeds.

At each step the model gives P(. | last n-1 tokens); we reshape it and draw one token:

- **temperature** T: p_i^(1/T), renormalised. T < 1 sharpens (T -> 0 is greedy, always
  the most likely token; T = 0 means exactly that), T > 1 flattens towards uniform.
- **top-k**: keep only the k most likely tokens, renormalised.

``<unk>`` is never drawn (it is not a real token) and ``<s>`` has probability 0.
Generation stops when ``</s>`` is drawn (it is not returned) or after ``max_tokens``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .vocab import BOS, BOS_ID, EOS_ID, UNK_ID

if TYPE_CHECKING:
    from .model import NGramLM


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def reshape_distribution(prob: np.ndarray, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """Apply temperature and top-k to a probability vector; returns a new vector summing to 1.

    ``temperature`` >= 0 (0 = put all mass on the most likely token); ``top_k`` None or >= 1.
    """
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) \
            or not math.isfinite(temperature) or temperature < 0:
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature!r}")
    if top_k is not None:
        _check_int(top_k, "top_k", 1)
    prob = np.asarray(prob, dtype=np.float64)
    if prob.ndim != 1 or not (prob >= 0).all() or prob.sum() <= 0:
        raise ValueError("prob must be a 1-D array of non-negative numbers with a positive sum")
    if temperature == 0:
        out = np.zeros_like(prob)
        out[np.argmax(prob)] = 1.0
        return out
    with np.errstate(divide="ignore"):
        logits = np.log(prob) / temperature
    if top_k is not None and top_k < np.count_nonzero(prob):
        keep = np.argsort(-logits, kind="stable")[:top_k]  # ties: the lower id wins
        masked = np.full_like(logits, -np.inf)
        masked[keep] = logits[keep]
        logits = masked
    logits -= logits.max()
    out = np.exp(logits)
    return out / out.sum()


def sample_tokens(lm: "NGramLM", max_tokens: int, seed: int, temperature: float = 1.0, top_k: int | None = None,
                  context: Sequence[str] = ()) -> list[str]:
    """Draw up to ``max_tokens`` tokens continuing ``context`` (the start of a sentence).

    ``context`` is the sentence so far (``<s>`` is added in front unless already there).
    Same ``seed``, same model -> same tokens. Returns the new tokens only, without ``</s>``.
    """
    max_tokens = _check_int(max_tokens, "max_tokens", 0)
    seed = _check_int(seed, "seed", 0)
    history = list(context)
    if not history or history[0] != BOS:
        history = [BOS] + history
    lm._context_ids(history)  # validates the context
    rng = np.random.default_rng(seed)
    keep = lm.order - 1
    out: list[str] = []
    for _ in range(max_tokens):
        recent = history[len(history) - keep:] if keep else []
        prob = lm.next_token_vector(recent)
        prob[UNK_ID] = 0.0
        prob[BOS_ID] = 0.0
        prob = reshape_distribution(prob, temperature, top_k)
        nxt = int(rng.choice(len(prob), p=prob))
        if nxt == EOS_ID:
            break
        token = lm.vocab.tokens[nxt]
        out.append(token)
        history.append(token)
    return out


def generate_lines(lm: "NGramLM", n_lines: int, seed: int, max_tokens: int = 60, temperature: float = 1.0,
                   top_k: int | None = None) -> list[list[str]]:
    """``n_lines`` independent sentences (line i uses seed ``seed + i``), each a token list."""
    n_lines = _check_int(n_lines, "n_lines", 1)
    return [lm.generate(max_tokens, seed + i, temperature=temperature, top_k=top_k) for i in range(n_lines)]

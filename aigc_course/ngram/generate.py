"""Sampling text from an n-gram model: temperature, top-k, seeds.

At each step the model gives P(. | last n-1 tokens); we reshape it and draw one token:

- **temperature** T: p_i^(1/T), renormalised. T < 1 sharpens (T -> 0 is greedy, always
  the most likely token; T = 0 means exactly that), T > 1 flattens towards uniform.
- **top-k**: keep only the k most likely tokens, renormalised.

``<unk>`` is never drawn (it is not a real token) and ``<s>`` has probability 0.
Generation stops when ``</s>`` is drawn (it is not returned) or after ``max_tokens``
(at most ``MAX_NEW_TOKENS`` per sentence, and ``MAX_LINES`` sentences per call).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..validate import check_float, check_int_compat, check_tokens
from .model import NGramLM, check_fitted
from .vocab import BOS, BOS_ID, EOS_ID, UNK_ID

#: The most tokens one call of :func:`sample_tokens` draws.
MAX_NEW_TOKENS = 100_000
#: The most sentences one call of :func:`generate_lines` draws.
MAX_LINES = 100_000
#: The most tokens one call of :func:`generate_lines` may ask for (``n_lines * max_tokens``).
MAX_GENERATED_TOKENS = 10_000_000


def _check_sampling(temperature: object, top_k: object) -> tuple[float, int | None]:
    return (check_float(temperature, "temperature", minimum=0.0),
            check_int_compat(top_k, "top_k", minimum=1, allow_none=True))


def reshape_distribution(prob: np.ndarray, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """Apply temperature and top-k to a probability vector; returns a new vector summing to 1.

    ``prob``: 1-D, finite, >= 0, positive sum (need not be normalised). ``temperature``
    >= 0 and finite (0 = put all mass on the most likely token); ``top_k`` None or >= 1.
    """
    temperature, top_k = _check_sampling(temperature, top_k)
    if isinstance(prob, (str, bytes)):
        raise TypeError(f"prob must be a 1-D array of probabilities, got {type(prob).__name__}")
    try:
        prob = np.asarray(prob, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"prob must be a 1-D array of probabilities, got {type(prob).__name__}") from None
    if prob.ndim != 1 or not np.isfinite(prob).all() or not (prob >= 0).all() or prob.sum() <= 0:
        raise ValueError("prob must be a 1-D array of finite non-negative numbers with a positive sum")
    if temperature == 0:
        return _greedy(prob)
    with np.errstate(divide="ignore", over="ignore"):
        logits = np.log(prob) / temperature
    if not np.isfinite(logits.max()):  # a temperature so small that every logit overflowed: greedy
        return _greedy(prob)
    if top_k is not None and top_k < np.count_nonzero(prob):
        keep = np.argsort(-logits, kind="stable")[:top_k]  # ties: the lower id wins
        masked = np.full_like(logits, -np.inf)
        masked[keep] = logits[keep]
        logits = masked
    logits -= logits.max()
    out = np.exp(logits)
    return out / out.sum()


def _greedy(prob: np.ndarray) -> np.ndarray:
    """All the mass on the most likely entry (the lowest index among ties)."""
    out = np.zeros_like(prob)
    out[np.argmax(prob)] = 1.0
    return out


def sample_tokens(lm: NGramLM, max_tokens: int, seed: int, temperature: float = 1.0, top_k: int | None = None,
                  context: Sequence[str] = ()) -> list[str]:
    """Draw up to ``max_tokens`` tokens continuing ``context`` (the start of a sentence).

    ``context`` is the sentence so far, a list of str tokens (``<s>`` is added in front
    unless already there). ``max_tokens`` in 0..``MAX_NEW_TOKENS``, ``seed`` >= 0.
    Same ``seed``, same model -> same tokens. Returns the new tokens only, without ``</s>``.
    """
    check_fitted(lm)
    max_tokens = check_int_compat(max_tokens, "max_tokens", minimum=0, maximum=MAX_NEW_TOKENS)
    seed = check_int_compat(seed, "seed", minimum=0)
    temperature, top_k = _check_sampling(temperature, top_k)
    history = check_tokens(context, "context")
    if not history or history[0] != BOS:
        history = [BOS] + history
    lm.context_ids(history)  # validates the context
    rng = np.random.default_rng(seed)
    keep = lm.order - 1
    out: list[str] = []
    for _ in range(max_tokens):
        recent = history[max(0, len(history) - keep):] if keep else []  # never a negative start
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


def generate_lines(lm: NGramLM, n_lines: int, seed: int, max_tokens: int = 60, temperature: float = 1.0,
                   top_k: int | None = None) -> list[list[str]]:
    """``n_lines`` (1..``MAX_LINES``) independent sentences (line i uses seed ``seed + i``), each a token list.

    ``max_tokens``, ``temperature`` and ``top_k`` as for :func:`sample_tokens`, checked before the first
    line; ``n_lines * max_tokens`` at most ``MAX_GENERATED_TOKENS``.
    """
    check_fitted(lm)
    n_lines = check_int_compat(n_lines, "n_lines", minimum=1, maximum=MAX_LINES)
    seed = check_int_compat(seed, "seed", minimum=0)
    max_tokens = check_int_compat(max_tokens, "max_tokens", minimum=0, maximum=MAX_NEW_TOKENS)
    if n_lines * max_tokens > MAX_GENERATED_TOKENS:
        raise ValueError(f"n_lines x max_tokens = {n_lines:,} x {max_tokens:,} is more than MAX_GENERATED_TOKENS = "
                         f"{MAX_GENERATED_TOKENS:,}: ask for fewer lines or shorter ones")
    _check_sampling(temperature, top_k)
    return [sample_tokens(lm, max_tokens, seed + i, temperature=temperature, top_k=top_k) for i in range(n_lines)]

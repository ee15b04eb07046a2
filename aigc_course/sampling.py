"""Decoding: turning next-token logits into text, one token at a time.

Every strategy is a small transformation of the logits ``(B, V)`` of the last position,
followed by a choice:

- **greedy**: take the most likely token (``argmax``); deterministic, often repetitive.
- **temperature** T: divide the logits by T before the softmax; T < 1 sharpens, T > 1 flattens.
- **top-k**: keep the k most likely tokens, set the rest to −∞.
- **top-p (nucleus)**: keep the smallest set of most likely tokens whose probability
  adds up to at least p.

Then ``softmax`` and one draw with ``torch.multinomial``. The order of the steps
(temperature, then top-k, then top-p) and the way each one cuts are exactly those of
``transformers``' ``generate`` (version 5), so the same seed gives the same tokens.

:func:`generate` also keeps a **KV cache**: each block's keys and values of the tokens
already seen are stored, so each new token costs one position's work instead of
re-running the whole sequence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from .gpt.model import GPT

__all__ = ["apply_temperature", "apply_top_k", "apply_top_p", "process_logits", "next_token", "generate",
           "kept_tokens", "sample_text",
           "check_sampling_settings"]


def check_sampling_settings(temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None) -> None:
    """Raise a clear ``ValueError``/``TypeError`` for settings that make no sense."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}; for the single most likely token "
                         "use greedy decoding (do_sample=False) instead of temperature 0")
    if top_k is not None:
        if isinstance(top_k, bool) or not isinstance(top_k, int):
            raise TypeError(f"top_k must be an int or None, got {type(top_k).__name__}")
        if top_k < 1:
            raise ValueError(f"top_k must be >= 1 (or None for no top-k cut), got {top_k}")
    if top_p is not None:
        if isinstance(top_p, bool) or not isinstance(top_p, (int, float)):
            raise TypeError(f"top_p must be a number or None, got {type(top_p).__name__}")
        if not 0 < top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {top_p}")


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Logits ``(B, V)`` divided by ``temperature`` (> 0)."""
    return logits / temperature


def apply_top_k(logits: torch.Tensor, top_k: int) -> torch.Tensor:
    """Keep every logit at least as large as the k-th largest; the others become −∞.

    (Ties with the k-th value are kept, as in ``transformers``.)
    """
    k = min(top_k, logits.shape[-1])
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]  # (B, 1)
    return logits.masked_fill(logits < kth_largest, float("-inf"))


def apply_top_p(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """Nucleus filtering: drop the least likely tokens while their total probability stays ≤ 1 − p.

    Sort ascending, add up probabilities from the least likely token; every token whose
    running total is still ≤ 1 − ``top_p`` can go without losing more than 1 − p of the mass.
    The most likely token always stays.
    """
    sorted_logits, order = torch.sort(logits, descending=False)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    remove_sorted = cumulative <= (1 - top_p)
    remove_sorted[..., -1:] = False  # keep at least the most likely token
    remove = remove_sorted.scatter(-1, order, remove_sorted)  # back to vocabulary order
    return logits.masked_fill(remove, float("-inf"))


def process_logits(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> torch.Tensor:
    """Temperature, then top-k, then top-p, in ``generate``'s order. ``logits``: ``(B, V)`` float."""
    check_sampling_settings(temperature, top_k, top_p)
    scores = logits.float()
    if temperature != 1.0:
        scores = apply_temperature(scores, temperature)
    if top_k is not None:
        scores = apply_top_k(scores, top_k)
    if top_p is not None and top_p < 1.0:
        scores = apply_top_p(scores, top_p)
    return scores


def next_token(
    logits: torch.Tensor, *, do_sample: bool = False, temperature: float = 1.0, top_k: int | None = None,
    top_p: float | None = None, generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Choose one token per row from last-position logits ``(B, V)``; returns ids ``(B,)``.

    Greedy (``do_sample=False``) takes the argmax; otherwise the processed logits are
    turned into probabilities and one token is drawn with ``torch.multinomial``, using
    ``generator`` (or PyTorch's global generator when ``None``, as ``generate`` does).
    """
    if not do_sample:
        return torch.argmax(logits, dim=-1)
    probs = process_logits(logits, temperature, top_k, top_p).softmax(dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator).squeeze(1)


@torch.no_grad()
def generate(
    model: "GPT",
    ids: torch.Tensor,
    max_new_tokens: int,
    *,
    do_sample: bool = False,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    use_cache: bool = True,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Continue each prompt in ``ids`` (int64 ``(B, T)``) by ``max_new_tokens`` tokens.

    Returns ``(B, T + max_new_tokens)``: the prompt followed by the new tokens. Same
    meaning of the settings as ``transformers``' ``generate``, except that here ``top_k``
    defaults to ``None`` (no cut), whereas ``generate`` silently uses ``top_k=50`` when
    sampling unless told otherwise.

    With ``use_cache=True`` each step feeds only the newest token and reuses the stored
    keys/values; once the text fills the context window, the window slides (the oldest
    token is dropped) and the cache is rebuilt from the window at every step.
    """
    if isinstance(ids, list):
        ids = torch.tensor([ids], dtype=torch.long)
    if not isinstance(ids, torch.Tensor) or ids.dtype != torch.long or ids.dim() != 2:
        raise ValueError(f"ids must be an int64 tensor of shape (B, T), got {getattr(ids, 'dtype', type(ids))} "
                         f"{tuple(getattr(ids, 'shape', ()))}")
    if ids.shape[1] == 0:
        raise ValueError("the prompt is empty: give at least one token (e.g. a newline for a character model)")
    window = model.config.n_positions
    if ids.shape[1] > window:
        raise ValueError(f"the prompt has {ids.shape[1]} tokens but the context window is {window} tokens; "
                         f"shorten it (e.g. ids[:, -{window}:])")
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be an int >= 1, got {max_new_tokens!r}")
    if do_sample:
        check_sampling_settings(temperature, top_k, top_p)
    was_training = model.training
    model.eval()
    past = None
    for _ in range(max_new_tokens):
        if use_cache and past is not None and ids.shape[1] <= window:
            out = model(ids[:, -1:], past=past, use_cache=True)  # only the newest token
        else:  # first step, no cache, or a sliding window: run the (cropped) sequence in full
            out = model(ids[:, -window:], use_cache=use_cache)
        past = out.get("past")
        if ids.shape[1] >= window:
            past = None  # the next step slides the window, so the stored positions no longer fit
        token = next_token(out["logits"][:, -1, :], do_sample=do_sample, temperature=temperature,
                           top_k=top_k, top_p=top_p, generator=generator)
        ids = torch.cat([ids, token[:, None]], dim=1)
    model.train(was_training)
    return ids


def kept_tokens(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                top_p: float | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """For one position's logits ``(V,)``: the sampling probabilities after the cuts ``(V,)`` and which
    tokens survive them (bool ``(V,)``). Used to draw what each setting keeps."""
    scores = process_logits(logits[None].float(), temperature, top_k, top_p)[0]
    return scores.softmax(-1), torch.isfinite(scores)


def sample_text(model: "GPT", tokenizer, prompt: str, max_new_tokens: int = 200, *, do_sample: bool = True,
                temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None, seed: int = 0,
                use_cache: bool = True) -> str:
    """Continue the text ``prompt`` with a character (or any ``encode``/``decode``) tokenizer; returns the new text.

    The plain-function twin of the lesson's decoding widget: same settings, same seed, same text.
    """
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("prompt must be a non-empty str (for a character model, '\\n' starts a new line)")
    device = next(model.parameters()).device
    ids = torch.tensor([tokenizer.encode(prompt)], dtype=torch.long, device=device)
    generator = torch.Generator(device=device).manual_seed(seed)
    out = generate(model, ids, max_new_tokens, do_sample=do_sample, temperature=temperature, top_k=top_k,
                   top_p=top_p, use_cache=use_cache, generator=generator)
    return tokenizer.decode(out[0, ids.shape[1]:].tolist())

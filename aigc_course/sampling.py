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

from .neural_lm.train import check_language_model
from .validate import check_bool, check_float, check_int, check_optional_int, check_str, check_token_ids

if TYPE_CHECKING:
    from .gpt.model import GPT

__all__ = ["apply_temperature", "apply_top_k", "apply_top_p", "process_logits", "next_token", "generate",
           "kept_tokens", "sample_text",
           "check_sampling_settings", "MAX_NEW_TOKENS", "MIN_TEMPERATURE"]

#: Most tokens one call to :func:`generate` / :func:`sample_text` adds (a book is ~500,000 characters).
MAX_NEW_TOKENS = 100_000
#: Lowest sampling temperature: below it, logits divided by the temperature can overflow
#: float32 (and the result is greedy decoding anyway).
MIN_TEMPERATURE = 1e-6


def check_sampling_settings(temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None) -> None:
    """Raise a clear ``ValueError``/``TypeError`` for settings that make no sense.

    ``temperature``: a finite number >= :data:`MIN_TEMPERATURE`; ``top_k``: an int >= 1 or
    ``None``; ``top_p``: a number in (0, 1] or ``None``.
    """
    temperature = check_float(temperature, "temperature")
    if temperature < MIN_TEMPERATURE:
        raise ValueError(f"temperature must be >= {MIN_TEMPERATURE}, got {temperature}; for the single most likely "
                         "token use greedy decoding (do_sample=False) instead of temperature 0")
    check_optional_int(top_k, "top_k (None for no top-k cut)", minimum=1)
    if top_p is not None:
        check_float(top_p, "top_p", minimum=0.0, maximum=1.0, exclusive_minimum=True)


def _check_greedy_settings(temperature: object, top_k: object, top_p: object) -> None:
    """Greedy decoding ignores the sampling settings: refuse them instead of ignoring them silently."""
    ignored = [f"{name}={value!r}" for name, value, default in
               (("temperature", temperature, 1.0), ("top_k", top_k, None), ("top_p", top_p, None))
               if not (value is default or value == default or (name == "top_p" and value == 1.0))]
    if ignored:
        raise ValueError(f"{', '.join(ignored)} only change sampling, but do_sample=False decodes greedily "
                         "(always the most likely token); pass do_sample=True to sample with them")


def _check_logits(logits: object, name: str = "logits", dim: int | None = 2, nan: bool = True) -> torch.Tensor:
    """A float tensor of ``dim`` dimensions (``None``: any, at least 1) without NaN (−∞ marks removed tokens)."""
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point() or logits.dim() == 0 \
            or (dim is not None and logits.dim() != dim) or logits.shape[-1] == 0:
        shape = {1: "(V,)", 2: "(B, V)"}.get(dim, "(..., V)")
        raise ValueError(f"{name} must be a float tensor of shape {shape}, got "
                         f"{getattr(logits, 'dtype', type(logits).__name__)} {tuple(getattr(logits, 'shape', ()))}")
    if nan and bool(torch.isnan(logits).any()):
        raise ValueError(f"{name} holds NaN: the model's output is broken (was it trained to NaN?)")
    return logits


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Logits ``(B, V)`` divided by ``temperature`` (>= :data:`MIN_TEMPERATURE`)."""
    _check_logits(logits, dim=None, nan=False)
    check_sampling_settings(temperature)
    return logits / temperature


def apply_top_k(logits: torch.Tensor, top_k: int) -> torch.Tensor:
    """Keep every logit at least as large as the k-th largest; the others become −∞.

    (Ties with the k-th value are kept, as in ``transformers``.)
    """
    _check_logits(logits, dim=None, nan=False)
    top_k = check_int(top_k, "top_k", minimum=1)
    k = min(top_k, logits.shape[-1])
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]  # (B, 1)
    return logits.masked_fill(logits < kth_largest, float("-inf"))


def apply_top_p(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """Nucleus filtering: drop the least likely tokens while their total probability stays ≤ 1 − p.

    Sort ascending, add up probabilities from the least likely token; every token whose
    running total is still ≤ 1 − ``top_p`` can go without losing more than 1 − p of the mass.
    The most likely token always stays.
    """
    _check_logits(logits, dim=None, nan=False)
    top_p = check_float(top_p, "top_p", minimum=0.0, maximum=1.0, exclusive_minimum=True)
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
    _check_logits(logits)
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
    _check_logits(logits)
    _check_decoding(do_sample, temperature, top_k, top_p, generator)
    if not do_sample:
        return torch.argmax(logits, dim=-1)
    probs = process_logits(logits, temperature, top_k, top_p).softmax(dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator).squeeze(1)


def _check_decoding(do_sample: object, temperature: object, top_k: object, top_p: object,
                    generator: object) -> None:
    """The settings shared by :func:`next_token` and :func:`generate`."""
    check_bool(do_sample, "do_sample")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
    if do_sample:
        check_sampling_settings(temperature, top_k, top_p)
    else:
        _check_greedy_settings(temperature, top_k, top_p)


@torch.no_grad()
def generate(
    model: torch.nn.Module,
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

    ``model``: a GPT, or any course language model (see :mod:`aigc_course.neural_lm.train`).
    For a GPT with ``use_cache=True`` each step feeds only the newest token and reuses the
    stored keys/values; once the text fills the context window, the window slides (the
    oldest token is dropped) and the cache is rebuilt from the window at every step. A
    recurrent model carries its hidden state instead (the same saving, and no window); a
    fixed-window model (``reads_last`` tokens, e.g. the MLP) is fed only those.

    ``ids`` (or a plain list of ints for one prompt) hold at least one token in
    ``[0, vocab_size)`` (at most ``n_positions`` for a GPT), on the model's device;
    ``max_new_tokens`` is 1 .. :data:`MAX_NEW_TOKENS`. With ``do_sample=False`` the sampling
    settings must stay at their defaults (they would be ignored).
    """
    from .gpt.model import GPT

    check_language_model(model)
    device = next(model.parameters()).device
    if isinstance(ids, (list, tuple)):
        ids = torch.tensor([check_token_ids(ids, "ids", model.vocab_size)], dtype=torch.long, device=device)
    if not isinstance(ids, torch.Tensor):
        raise TypeError(f"ids must be an int64 tensor of shape (B, T) or a list of ints, got {type(ids).__name__}")
    if ids.dtype != torch.long or ids.dim() != 2:
        raise ValueError(f"ids must be an int64 tensor of shape (B, T), got {ids.dtype} {tuple(ids.shape)}")
    if ids.shape[1] == 0:
        raise ValueError("ids is empty: give the prompt at least one token (e.g. a newline for a character model)")
    if ids.shape[0] == 0:
        raise ValueError("ids holds no prompt (a batch of 0 rows)")
    window = model.context_window
    if window is not None and ids.shape[1] > window:
        raise ValueError(f"the prompt has {ids.shape[1]} tokens but the context window is {window} tokens; "
                         f"shorten it (e.g. ids[:, -{window}:])")
    check_token_ids(ids, "ids", model.vocab_size)
    if ids.device != device:
        raise ValueError(f"ids are on {ids.device} but the model is on {device}: move them with ids.to({str(device)!r})")
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", minimum=1, maximum=MAX_NEW_TOKENS)
    use_cache = check_bool(use_cache, "use_cache")
    _check_decoding(do_sample, temperature, top_k, top_p, generator)
    was_training = model.training
    model.eval()
    step = _gpt_step(model, window, use_cache) if isinstance(model, GPT) else _other_step(model)
    for _ in range(max_new_tokens):
        logits = step(ids)
        token = next_token(logits, do_sample=do_sample, temperature=temperature,
                           top_k=top_k, top_p=top_p, generator=generator)
        ids = torch.cat([ids, token[:, None]], dim=1)
    model.train(was_training)
    return ids


def _gpt_step(model: "GPT", window: int, use_cache: bool):
    """``step(ids) -> logits (B, V)`` of the next token, with the KV cache between calls."""
    past = None

    def step(ids: torch.Tensor) -> torch.Tensor:
        nonlocal past
        if use_cache and past is not None and ids.shape[1] <= window:
            out = model(ids[:, -1:], past=past, use_cache=True)  # only the newest token
        else:  # first step, no cache, or a sliding window: run the (cropped) sequence in full
            out = model(ids[:, -window:], use_cache=use_cache)
        past = out.get("past")
        if ids.shape[1] >= window:
            past = None  # the next step slides the window, so the stored positions no longer fit
        return out["logits"][:, -1, :]

    return step


def _other_step(model: torch.nn.Module):
    """``step(ids) -> logits (B, V)`` for a recurrent model (its state carried, the newest token fed)
    or a fixed-window one (its last ``reads_last`` tokens fed)."""
    state, fed = None, 0

    def step(ids: torch.Tensor) -> torch.Tensor:
        nonlocal state, fed
        if state is not None:
            out = model(ids[:, fed:], state=state)  # the tokens since the last call (one)
        else:
            reads = getattr(model, "reads_last", None)
            out = model(ids if reads is None else ids[:, -reads:])
        state, fed = out.get("state"), ids.shape[1]
        return out["logits"][:, -1, :]

    return step


def kept_tokens(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                top_p: float | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """For one position's logits ``(V,)``: the sampling probabilities after the cuts ``(V,)`` and which
    tokens survive them (bool ``(V,)``). Used to draw what each setting keeps."""
    _check_logits(logits, dim=1)
    scores = process_logits(logits[None].float(), temperature, top_k, top_p)[0]
    return scores.softmax(-1), torch.isfinite(scores)


def sample_text(model: torch.nn.Module, tokenizer, prompt: str, max_new_tokens: int = 200, *, do_sample: bool = True,
                temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None, seed: int = 0,
                use_cache: bool = True) -> str:
    """Continue the text ``prompt`` with a character (or any ``encode``/``decode``) tokenizer; returns the new text.

    The plain-function twin of the lesson's decoding widget: same settings, same seed, same text.
    ``seed``: an int >= 0; ``max_new_tokens``: 1 .. :data:`MAX_NEW_TOKENS`.
    """
    prompt = check_str(prompt, "prompt")
    if not prompt:
        raise ValueError("prompt must be a non-empty str (for a character model, '\\n' starts a new line)")
    if not (hasattr(tokenizer, "encode") and hasattr(tokenizer, "decode")):
        raise TypeError(f"tokenizer must have encode and decode (e.g. a CharTokenizer), got {type(tokenizer).__name__}")
    seed = check_int(seed, "seed", minimum=0, maximum=2**63 - 1)
    device = next(check_language_model(model).parameters()).device
    try:
        encoded = tokenizer.encode(prompt)
    except ValueError as error:  # e.g. a character the tokenizer does not know
        raise ValueError(f"prompt cannot be encoded: {error}") from None
    ids = torch.tensor([encoded], dtype=torch.long, device=device)
    generator = torch.Generator(device=device).manual_seed(seed)
    out = generate(model, ids, max_new_tokens, do_sample=do_sample, temperature=temperature, top_k=top_k,
                   top_p=top_p, use_cache=use_cache, generator=generator)
    return tokenizer.decode(out[0, ids.shape[1]:].tolist())

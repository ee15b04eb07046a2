"""GPT vs. n-gram, measured on the same characters: loss by context length, and copying.

Two questions a single validation number cannot answer:

1. **How much context does each model use?** :func:`gpt_loss_by_position` and
   :func:`ngram_loss_by_position` score the same windows of held-out text and report the
   loss at each context length 1..T. An n-gram of order n sees at most n − 1 characters
   (and never past the start of a line), so its curve goes flat; a transformer can keep
   improving as it sees more.
2. **How much does each model copy?** :class:`CopyDetector` (from :mod:`aigc_course.verbatim`,
   the course's one copy detector, which lesson 08 uses too) measures the fraction of a
   generated text covered by spans of ≥ k characters that occur verbatim in the training
   text, and the longest such span.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from ..validate import check_int, check_str
from ..verbatim import CopyDetector
from .chars import CharTokenizer
from .model import GPT

#: Most windows :func:`window_starts` spreads over a text.
MAX_WINDOWS = 10_000_000

__all__ = ["CopyDetector", "MAX_WINDOWS", "gpt_loss_by_position", "ngram_loss_by_position", "window_starts"]

if TYPE_CHECKING:
    from ..ngram import NGramLM


def window_starts(text_length: int, window: int, n_windows: int) -> list[int]:
    """``n_windows`` evenly spaced, non-overlapping window starts in a text of ``text_length`` characters.

    Fewer starts come back when that many windows of ``window`` characters do not fit;
    ``n_windows`` is at most :data:`MAX_WINDOWS`.
    """
    text_length = check_int(text_length, "text_length", minimum=0)
    window = check_int(window, "window", minimum=1)
    n_windows = check_int(n_windows, "n_windows", minimum=1, maximum=MAX_WINDOWS)
    usable = text_length - window - 1
    if usable < 1:
        raise ValueError(f"a text of {text_length} characters has no room for windows of {window}")
    n_windows = min(n_windows, usable // window + 1)
    return [int(s) for s in np.linspace(0, usable, n_windows).round()]


def _check_char_tokenizer(tokenizer: object) -> None:
    if not hasattr(tokenizer, "encode_tensor"):
        raise TypeError(f"tokenizer must be the model's CharTokenizer, got {type(tokenizer).__name__}")


def _check_starts(starts: object, text_length: int, window: int) -> list[int]:
    """``starts`` as a non-empty list of ints, each leaving room for a window and its next-character target."""
    if isinstance(starts, (str, bytes)) or not isinstance(starts, (Sequence, np.ndarray)):
        raise TypeError(f"starts must be a sequence of int window starts, got {type(starts).__name__}")
    last = text_length - window - 1
    if last < 0:
        raise ValueError(f"a text of {text_length} characters has no room for a window of {window} characters "
                         f"and its targets")
    checked = [check_int(s, f"starts[{i}]", minimum=0, maximum=last) for i, s in enumerate(starts)]
    if not checked:
        raise ValueError("starts is empty: give at least one window start (see window_starts)")
    return checked


@torch.no_grad()
def gpt_loss_by_position(model: GPT, tokenizer: CharTokenizer, text: str, starts: Sequence[int],
                         window: int | None = None) -> np.ndarray:
    """Mean loss (nats) of predicting ``text[s + 1 + i]`` from the ``i + 1`` characters ``text[s : s + i + 1]``.

    ``window`` (default: the model's context window) is at most ``model.config.n_positions``;
    every start ``s`` must satisfy ``s + window + 1 <= len(text)``.
    Returns shape ``(window,)``: entry i is the loss with i + 1 characters of context.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    _check_char_tokenizer(tokenizer)
    text = check_str(text, "text")
    window = model.config.n_positions if window is None else check_int(
        window, "window", minimum=1, maximum=model.config.n_positions)
    starts = _check_starts(starts, len(text), window)
    ids = tokenizer.encode_tensor(text)
    device = next(model.parameters()).device
    x = torch.stack([ids[s:s + window] for s in starts]).to(device)
    y = torch.stack([ids[s + 1:s + 1 + window] for s in starts]).to(device)
    was_training = model.training
    model.eval()
    losses = []
    for i in range(0, len(starts), 32):
        logits = model(x[i:i + 32])["logits"]
        nll = F.cross_entropy(logits.transpose(1, 2), y[i:i + 32], reduction="none")  # (b, window)
        losses.append(nll.cpu())
    model.train(was_training)
    return torch.cat(losses).mean(0).numpy()


def _ngram_char_losses(lm: "NGramLM", text: str) -> np.ndarray:
    """−ln P of every character of ``text`` under the n-gram (a newline is the line's ``</s>``)."""
    from ..ngram import char_sentences

    losses = -np.asarray(lm.token_logprobs(char_sentences(text)))
    if len(losses) != len(text):
        raise ValueError("text must end with a newline so that every character is one prediction")
    return losses


def ngram_loss_by_position(lm: "NGramLM", text: str, starts: Sequence[int], window: int) -> np.ndarray:
    """The n-gram's loss on the same predictions as :func:`gpt_loss_by_position` (shape ``(window,)``).

    With ``i + 1 ≥ order − 1`` characters available, the n-gram's context is the same as in
    a normal pass over the text. With fewer, it gets only the characters inside the window
    (cut at a newline, where a line starts with ``<s>``), like the GPT. ``text`` must end
    with a newline (the last line's ``</s>`` is its last character).
    """
    if not all(hasattr(lm, name) for name in ("order", "logprob", "token_logprobs")):
        raise TypeError(f"lm must be a fitted aigc_course.ngram.NGramLM, got {type(lm).__name__}")
    text = check_str(text, "text")
    if not text.endswith("\n"):
        raise ValueError("text must end with a newline so that every character is one prediction, "
                         f"got one ending in {text[-10:]!r}")
    window = check_int(window, "window", minimum=1, maximum=len(text))
    starts = _check_starts(starts, len(text), window)
    full = _ngram_char_losses(lm, text)
    need = lm.order - 1
    table = np.empty((len(starts), window))
    for row, s in enumerate(starts):
        table[row] = full[s + 1:s + 1 + window]
        for i in range(min(need - 1, window)):  # the first positions have less context than the n-gram uses
            context = text[s:s + i + 1]
            if "\n" in context:
                continue  # the line starts inside the window: the normal pass already saw the same context
            target = text[s + 1 + i]
            table[row, i] = -lm.logprob("</s>" if target == "\n" else target, list(context))
    return table.mean(0)

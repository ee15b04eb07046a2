"""Held-out loss of a neural language model, token by token, on exactly the text an n-gram is scored on.

Every character of the text is predicted once, newlines included. The text is read in
overlapping windows of ``window`` tokens (a GPT's ``n_positions``; for a recurrent
model, the length it was trained on) that slide by ``stride``: each window
scores only its last ``stride`` positions, so every scored character sees at least
``window - stride`` characters of context (the first window scores everything it
holds). The very first character is predicted after a newline, the way an n-gram
predicts the first character of a line after ``<s>``. The course's yardstick,
:func:`aigc_course.per_char.nats_per_char`, averages these losses.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from ..language import tr
from ..validate import check_bool, check_int, check_token_ids
from .train import MAX_BLOCK_SIZE, check_language_model

#: Most windows scored in one forward pass.
MAX_EVAL_BATCH = 4096


@torch.no_grad()
def token_losses(model: torch.nn.Module, ids: torch.Tensor, stride: int | None = None, batch_size: int = 32,
                 progress: bool = False, window: int | None = None) -> torch.Tensor:
    """Per-token loss ``(N - 1,)`` in nats of predicting ``ids[1:]`` from what precedes it.

    ``model``: any course language model (see :mod:`aigc_course.neural_lm.train`).
    ``ids``: 1-D int64 ``(N,)``, ids in ``[0, vocab_size)``. ``window`` defaults to the
    model's ``context_window`` (and must be given for a model without one); ``stride``
    (1 .. ``window``) defaults to half the window; ``batch_size`` windows (at most
    :data:`MAX_EVAL_BATCH`) go through the model at once.
    """
    check_language_model(model)
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or ids.numel() < 2 or ids.dtype != torch.long:
        got = f"{getattr(ids, 'dtype', type(ids).__name__)} {tuple(getattr(ids, 'shape', ()))}"
        raise ValueError(tr(f"ids must be a 1-D int64 tensor with at least 2 tokens, got {got}",
                            f"ids 必须是至少含 2 个词元的一维 int64 张量，却得到了 {got}"))
    check_token_ids(ids, "ids", model.vocab_size)
    window = getattr(model, "context_window", None) if window is None else window
    if window is None:
        kind = type(model).__name__
        raise ValueError(tr(f"window must be given for a {kind}, which has no context window of its own "
                            "(e.g. the length of the windows it was trained on)",
                            f"{kind} 没有自己的上下文窗口，必须给出 window（例如训练时所用窗口的长度）"))
    window = check_int(window, "window", minimum=1, maximum=getattr(model, "context_window", None) or MAX_BLOCK_SIZE)
    stride = max(1, window // 2) if stride is None else check_int(stride, "stride", minimum=1, maximum=window)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=MAX_EVAL_BATCH)
    progress = check_bool(progress, "progress")
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    n_targets = ids.numel() - 1  # target j is ids[j + 1], predicted from ids[0 .. j]
    starts = [0]
    while starts[-1] + window < n_targets:
        starts.append(starts[-1] + stride)
    losses = torch.full((n_targets,), float("nan"))
    from tqdm.auto import tqdm

    for b in tqdm(range(0, len(starts), batch_size), desc="evaluating", disable=not progress, leave=False):
        chunk = starts[b:b + batch_size]
        full = [s for s in chunk if s + window <= n_targets]
        if full:
            _score_windows(model, ids, full, window, window, stride, losses, device)
        for s in chunk[len(full):]:  # only the last window can be shorter
            _score_windows(model, ids, [s], n_targets - s, window, stride, losses, device)
    model.train(was_training)
    return losses


def _score_windows(model: torch.nn.Module, ids: torch.Tensor, starts: list[int], length: int, window: int,
                   stride: int, losses: torch.Tensor, device: torch.device) -> None:
    """Score windows ``ids[s : s + length]`` (all the same length) into ``losses``."""
    x = torch.stack([ids[s:s + length] for s in starts]).to(device)
    y = torch.stack([ids[s + 1:s + 1 + length] for s in starts]).to(device)
    logits = model(x)["logits"]
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="none")
    nll = nll.view(len(starts), length).cpu()
    for row, s in enumerate(starts):
        first = 0 if s == 0 else window - stride  # earlier targets were scored by the previous window
        losses[s + first:s + length] = nll[row, first:]

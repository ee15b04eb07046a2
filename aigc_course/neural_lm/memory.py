"""How far back a model's prediction still depends on its input: the gradient by distance.

For a window of characters, take the loss of the *last* prediction and its gradient
with respect to the input embedding of every earlier position. Its size at distance d
(d characters before the last one) measures how much a change there would move the
prediction, which is the signal backpropagation through time has to carry back d
steps. In a vanilla RNN it shrinks by a roughly constant factor per step (a product
of d Jacobians, each a ``tanh'`` times ``W_hh``), so it vanishes geometrically; a GRU's
gates can keep it alive.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from .models import _check_ids
from .train import check_language_model

__all__ = ["gradient_by_distance"]


def gradient_by_distance(model: torch.nn.Module, ids: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean norm of d(loss of the last prediction)/d(input embedding), by distance back: ``(T,)``.

    ``ids``, ``targets``: int64 ``(B, T)`` windows and their next characters. Entry ``d``
    is the gradient at position ``T - 1 - d`` (entry 0 is the last character itself),
    averaged over the ``B`` windows. ``model`` must embed each position once with an
    ``embed`` layer (``torch.nn.Embedding``), as the recurrent models of this lesson do
    (the MLP, which embeds a window of characters per position, reads exactly its last
    ``context`` by construction). The model's parameters get no gradient (only the
    embeddings' outputs are differentiated).
    """
    check_language_model(model)
    embed = getattr(model, "embed", None)
    if not isinstance(embed, torch.nn.Embedding):
        raise TypeError(f"model must have an embed layer (torch.nn.Embedding), as MLPLM and RecurrentLM do; "
                        f"{type(model).__name__} has none")
    ids = _check_ids(ids, "ids", model.vocab_size)
    targets = _check_ids(targets, "targets", model.vocab_size, like=ids)
    captured = []
    handle = embed.register_forward_hook(lambda module, inputs, output: captured.append(output))
    try:  # training mode kept: these models have no dropout, and cuDNN's RNN backward needs it
        logits = model(ids)["logits"]
    finally:
        handle.remove()
    if captured[0].shape[:2] != ids.shape or captured[0].dim() != 3:
        raise TypeError(f"model must embed each position once, (B, T) -> (B, T, n_embd); {type(model).__name__}'s "
                        f"embed gave {tuple(captured[0].shape)} for ids of shape {tuple(ids.shape)}")
    loss = F.cross_entropy(logits[:, -1], targets[:, -1])
    (grad,) = torch.autograd.grad(loss, captured[0])       # (B, T, n_embd)
    return grad.norm(dim=-1).mean(dim=0).flip(0).detach()   # distance 0 first

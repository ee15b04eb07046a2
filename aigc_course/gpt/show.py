"""Pictures of lesson 03: attention maps, next-token distributions with their cuts, loss vs. time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

import torch

from ..plotting import _axes, plot_heatmap
from .chars import CharTokenizer
from .model import GPT

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _shown(ch: str) -> str:
    return {"\n": "⏎", " ": "␣"}.get(ch, ch)


@torch.no_grad()
def attention_maps(model: GPT, tokenizer: CharTokenizer, text: str) -> list[torch.Tensor]:
    """Attention weights of every block for ``text``: a list of ``(n_head, T, T)`` tensors (rows sum to 1)."""
    ids = tokenizer.encode_tensor(text)[None].to(next(model.parameters()).device)
    out = model(ids, return_attention=True)
    return [a[0].cpu() for a in out["attentions"]]


def plot_attention(model: GPT, tokenizer: CharTokenizer, text: str, layer: int = -1, head: int | None = None,
                   ax: "Axes | None" = None) -> "Axes":
    """Heat map of one block's attention (one head, or the mean over heads) on ``text``: rows attend to columns."""
    maps = attention_maps(model, tokenizer, text)
    weights = maps[layer].mean(0) if head is None else maps[layer][head]
    labels = [_shown(c) for c in text]
    which = "mean of heads" if head is None else f"head {head}"
    return plot_heatmap(weights, labels, labels, title=f"attention, block {layer % len(maps)}, {which}", ax=ax)


def plot_next_token_cuts(probs: torch.Tensor, labels: Sequence[str], kept: torch.Tensor, *, top: int = 20,
                         title: str = "", ax: "Axes | None" = None) -> "Axes":
    """Bars of the ``top`` most likely next tokens; the ones a top-k/top-p cut removes are grey."""
    ax = _axes(ax, figsize=(7, 3))
    order = torch.argsort(probs, descending=True)[:top]
    colours = ["tab:blue" if kept[i] else "lightgrey" for i in order]
    ax.bar(range(len(order)), probs[order].tolist(), color=colours)
    ax.set_xticks(range(len(order)), [_shown(labels[i]) for i in order])
    ax.set(ylabel="probability", title=title)
    return ax


def plot_loss_vs_seconds(curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
                         levels: Mapping[str, float] | None = None, *, title: str = "",
                         ax: "Axes | None" = None, logx: bool = False) -> "Axes":
    """Validation loss (nats/char) against training seconds; ``levels`` are flat lines (e.g. n-grams)."""
    ax = _axes(ax, figsize=(7, 4))
    for name, (seconds, losses) in curves.items():
        ax.plot(seconds, losses, label=name)
    styles = ["--", ":", "-."]
    for i, (name, value) in enumerate((levels or {}).items()):
        ax.axhline(value, linestyle=styles[i % 3], color=f"C{i + len(curves)}", label=f"{name}: {value:.3f}")
    ax.set(xlabel="training seconds", ylabel="validation loss (nats/char)", title=title)
    if logx:
        ax.set_xscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    return ax

"""Pictures of lesson 04: attention maps, next-token distributions with their cuts, loss vs. time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

import torch

from ..language import tr
from ..plotting import _axes, plot_heatmap
from ..validate import check_float, check_int, check_optional_int, check_str
from .chars import CharTokenizer
from .model import GPT

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _shown(ch: str) -> str:
    return {"\n": "⏎", " ": "␣"}.get(ch, ch)


@torch.no_grad()
def attention_maps(model: GPT, tokenizer: CharTokenizer, text: str) -> list[torch.Tensor]:
    """Attention weights of every block for ``text``: a list of ``(n_head, T, T)`` tensors (rows sum to 1).

    ``text`` holds 1 .. ``n_positions`` characters of the tokenizer's alphabet.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    if not hasattr(tokenizer, "encode_tensor"):
        raise TypeError(f"tokenizer must be the model's CharTokenizer, got {type(tokenizer).__name__}")
    text = check_str(text, "text")
    if not 1 <= len(text) <= model.config.n_positions:
        raise ValueError(f"text must hold 1 to {model.config.n_positions} characters (the context window), "
                         f"got {len(text):,}")
    ids = tokenizer.encode_tensor(text)[None].to(next(model.parameters()).device)
    out = model(ids, return_attention=True)
    return [a[0].cpu() for a in out["attentions"]]


def plot_attention(model: GPT, tokenizer: CharTokenizer, text: str, layer: int = -1, head: int | None = None,
                   ax: "Axes | None" = None) -> "Axes":
    """Heat map of one block's attention (one head, or the mean over heads) on ``text``: rows attend to columns.

    ``layer`` counts from 0 (negative: from the end, -1 is the last block); ``head`` in
    ``[0, n_head)`` or ``None`` for the mean over heads.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    n_layer, n_head = model.config.n_layer, model.config.n_head
    layer = check_int(layer, "layer", minimum=-n_layer, maximum=n_layer - 1)
    head = check_optional_int(head, "head", minimum=0, maximum=n_head - 1)
    maps = attention_maps(model, tokenizer, text)
    weights = maps[layer].mean(0) if head is None else maps[layer][head]
    labels = [_shown(c) for c in text]
    which = tr("mean of heads", "各头平均") if head is None else tr(f"head {head}", f"头 {head}")
    block = layer % len(maps)
    return plot_heatmap(weights, labels, labels, title=tr(f"attention, block {block}, {which}",
                                                          f"注意力：块 {block}，{which}"), ax=ax)


def plot_next_token_cuts(probs: torch.Tensor, labels: Sequence[str], kept: torch.Tensor, *, top: int = 20,
                         title: str = "", ax: "Axes | None" = None) -> "Axes":
    """Bars of the ``top`` most likely next tokens; the ones a top-k/top-p cut removes are grey.

    ``probs`` ``(V,)`` are probabilities, ``labels`` one string per token id, ``kept`` bool ``(V,)``.
    """
    if not isinstance(probs, torch.Tensor) or probs.dim() != 1 or not probs.is_floating_point() or not len(probs):
        raise ValueError(f"probs must be a 1-D float tensor (V,) of probabilities, got "
                         f"{getattr(probs, 'dtype', type(probs).__name__)} {tuple(getattr(probs, 'shape', ()))}")
    if not bool(torch.isfinite(probs).all()) or bool((probs < 0).any()):
        raise ValueError("probs must hold finite probabilities >= 0 (use softmax of the logits)")
    if not isinstance(kept, torch.Tensor) or kept.shape != probs.shape or kept.dtype != torch.bool:
        raise ValueError(f"kept must be a bool tensor of the shape of probs {tuple(probs.shape)}, got "
                         f"{getattr(kept, 'dtype', type(kept).__name__)} {tuple(getattr(kept, 'shape', ()))}")
    if isinstance(labels, str) or not isinstance(labels, Sequence) or len(labels) < len(probs):
        raise ValueError(f"labels must be a sequence of at least {len(probs)} strings (one per token id), got "
                         f"{type(labels).__name__} of length {len(labels) if hasattr(labels, '__len__') else '?'}")
    top = check_int(top, "top", minimum=1)
    ax = _axes(ax, figsize=(7, 3))
    order = torch.argsort(probs, descending=True)[:top]
    colours = ["tab:blue" if kept[i] else "lightgrey" for i in order]
    ax.bar(range(len(order)), probs[order].tolist(), color=colours)
    ax.set_xticks(range(len(order)), [_shown(labels[i]) for i in order])
    ax.set(ylabel=tr("probability", "概率"), title=title)
    return ax


def plot_loss_vs_seconds(curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
                         levels: Mapping[str, float] | None = None, *, title: str = "",
                         ax: "Axes | None" = None, logx: bool = False) -> "Axes":
    """Validation loss (nats/char) against training seconds; ``levels`` are flat lines (e.g. n-grams).

    ``curves`` maps a name to ``(seconds, losses)``, two sequences of the same length.
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a mapping of name -> (seconds, losses), got {type(curves).__name__}")
    for name, curve in curves.items():
        pair = isinstance(curve, (tuple, list)) and len(curve) == 2 and all(hasattr(c, "__len__") for c in curve)
        if not pair or len(curve[0]) != len(curve[1]):
            raise ValueError(f"curves[{name!r}] must be a pair (seconds, losses) of sequences of the same length")
    if levels is not None and not isinstance(levels, Mapping):
        raise TypeError(f"levels must be a mapping of name -> loss, or None; got {type(levels).__name__}")
    for name, value in (levels or {}).items():
        check_float(value, f"levels[{name!r}]")
    ax = _axes(ax, figsize=(7, 4))
    for name, (seconds, losses) in curves.items():
        ax.plot(seconds, losses, label=name)
    styles = ["--", ":", "-."]
    for i, (name, value) in enumerate((levels or {}).items()):
        ax.axhline(value, linestyle=styles[i % 3], color=f"C{i + len(curves)}", label=f"{name}: {value:.3f}")
    ax.set(xlabel=tr("training seconds", "训练时间（秒）"),
           ylabel=tr("validation loss (nats/char)", "验证损失（纳特/字符）"), title=title)
    if logx:
        ax.set_xscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    return ax

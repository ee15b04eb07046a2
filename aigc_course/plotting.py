"""Small matplotlib helpers shared by the lessons: curves, image grids, bar charts, heat maps.

Every function draws on the ``ax`` it is given (or a new figure) and returns the
``Axes``, so notebooks can combine them. Lesson-specific pictures live with their
lesson module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from .language import tr
from .validate import check_float, check_int

if TYPE_CHECKING:
    import torch
    from matplotlib.axes import Axes

MAX_GRID_IMAGES = 10_000  # a grid of more images than this is unreadable and slow to draw


def _axes(ax: "Axes | None", figsize: tuple[float, float] = (6, 3.5)) -> "Axes":
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    x: Mapping[str, Sequence[float]] | Sequence[float] | None = None,
    *,
    xlabel: str = "step",
    ylabel: str = "loss",
    title: str = "",
    logy: bool = False,
    ax: "Axes | None" = None,
) -> "Axes":
    """Plot named curves, e.g. ``{"train": [...], "valid": [...]}``.

    ``x`` is one shared sequence of x values, a mapping with one per curve, or
    ``None`` (0, 1, 2, ...).
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a mapping of name -> values, e.g. {{'train': [...]}}, "
                        f"got {type(curves).__name__}")
    for name, ys in curves.items():
        if isinstance(ys, (str, bytes)) or not hasattr(ys, "__len__"):
            raise TypeError(f"curves[{name!r}] must be a sequence of numbers, got {type(ys).__name__}")
    ax = _axes(ax)
    for name, ys in curves.items():
        xs = x.get(name) if isinstance(x, Mapping) else x
        xs = list(range(len(ys))) if xs is None else xs
        if len(xs) != len(ys):
            raise ValueError(f"curve {name!r} has {len(ys)} values but {len(xs)} x positions")
        ax.plot(xs, ys, label=name, marker="o" if len(ys) <= 12 else None)
    ax.set(xlabel=tr("step", "步数") if xlabel == "step" else xlabel,
           ylabel=tr("loss", "损失") if ylabel == "loss" else ylabel, title=title)
    if logy:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
    ax.grid(alpha=0.3)
    return ax


def image_grid(images: "torch.Tensor", nrow: int = 10, padding: int = 2) -> "torch.Tensor":
    """Tile images ``(N, C, H, W)`` with values in [0, 1] into one ``(C, H', W')`` grid tensor."""
    import torch
    from torchvision.utils import make_grid

    if not isinstance(images, torch.Tensor):
        raise TypeError(f"images must be a torch.Tensor (N, C, H, W), got {type(images).__name__}")
    if images.dim() != 4 or images.shape[1] not in (1, 3) or images.shape[0] == 0:
        raise ValueError(f"images must have shape (N, C, H, W) with N >= 1 and C = 1 or 3, got {tuple(images.shape)}")
    if images.shape[0] > MAX_GRID_IMAGES:
        raise ValueError(f"images holds {images.shape[0]:,} images; a grid shows at most {MAX_GRID_IMAGES:,}")
    if images.is_floating_point() and torch.isnan(images).any():
        raise ValueError("images holds NaN values: nothing sensible can be drawn")
    nrow = check_int(nrow, "nrow", minimum=1, maximum=MAX_GRID_IMAGES)
    padding = check_int(padding, "padding", minimum=0, maximum=64)
    return make_grid(images.detach().float().cpu().clamp(0, 1), nrow=nrow, padding=padding, pad_value=1.0)


def show_images(
    images: "torch.Tensor", nrow: int = 10, title: str = "", ax: "Axes | None" = None, scale: float = 0.6
) -> "Axes":
    """Show a grid of images ``(N, C, H, W)`` in [0, 1] (grey for C = 1)."""
    scale = check_float(scale, "scale", minimum=0.0, maximum=10.0, exclusive_minimum=True)
    grid = image_grid(images, nrow=nrow)
    rows = -(-images.shape[0] // nrow)
    ax = _axes(ax, figsize=(max(2.0, scale * min(nrow, images.shape[0])), max(1.5, scale * rows)))
    ax.imshow(grid.permute(1, 2, 0).numpy() if grid.shape[0] == 3 else grid[0].numpy(), cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_bars(
    labels: Sequence[str], values: Sequence[float], *, title: str = "", ylabel: str = "probability",
    horizontal: bool = False, ax: "Axes | None" = None,
) -> "Axes":
    """A bar chart of ``values`` named by ``labels`` (e.g. a next-token distribution)."""
    if isinstance(labels, str):
        raise TypeError(f"labels must be a sequence of labels, not a single str ({labels!r})")
    if len(labels) != len(values):
        raise ValueError(f"labels ({len(labels)}) and values ({len(values)}) must have the same length")
    ax = _axes(ax)
    if ylabel == "probability":
        ylabel = tr("probability", "概率")
    shown = [repr(l)[1:-1] if isinstance(l, str) and (not l.strip() or l != l.strip()) else str(l) for l in labels]
    if horizontal:
        ax.barh(shown[::-1], list(values)[::-1])
        ax.set_xlabel(ylabel)
    else:
        ax.bar(shown, values)
        ax.set_ylabel(ylabel)
        ax.tick_params(axis="x", rotation=45 if max(map(len, shown), default=0) > 3 else 0)
    ax.set_title(title)
    return ax


def plot_heatmap(
    matrix, xlabels: Sequence[str] | None = None, ylabels: Sequence[str] | None = None, *,
    title: str = "", cmap: str = "viridis", ax: "Axes | None" = None,
) -> "Axes":
    """A heat map of a 2-D array (e.g. an attention map: rows = queries, columns = keys)."""
    import numpy as np

    values = np.asarray(getattr(matrix, "detach", lambda: matrix)().cpu() if hasattr(matrix, "detach") else matrix)
    if values.ndim != 2:
        raise ValueError(f"matrix must be 2-D, got shape {values.shape}")
    ax = _axes(ax, figsize=(5, 4.5))
    image = ax.imshow(values, cmap=cmap)
    ax.figure.colorbar(image, ax=ax, fraction=0.046)
    if xlabels is not None:
        ax.set_xticks(range(len(xlabels)), labels=xlabels, rotation=90)
    if ylabels is not None:
        ax.set_yticks(range(len(ylabels)), labels=ylabels)
    ax.set_title(title)
    return ax


def plot_scatter_2d(points, labels=None, *, title: str = "", annotate: Sequence[str] | None = None,
                    ax: "Axes | None" = None) -> "Axes":
    """Scatter ``points`` of shape ``(N, 2)``, coloured by integer ``labels`` or annotated with words."""
    import numpy as np

    pts = np.asarray(points.detach().cpu() if hasattr(points, "detach") else points)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"points must have shape (N, 2), got {pts.shape}")
    ax = _axes(ax, figsize=(5.5, 5))
    if labels is not None:
        lab = np.asarray(labels.cpu() if hasattr(labels, "cpu") else labels)
        sc = ax.scatter(pts[:, 0], pts[:, 1], c=lab, cmap="tab10", s=8)
        ax.legend(*sc.legend_elements(), title=tr("class", "类别"), fontsize=7, loc="best")
    else:
        ax.scatter(pts[:, 0], pts[:, 1], s=12)
    for text, (px, py) in zip(annotate or [], pts):
        ax.annotate(text, (px, py), fontsize=9, xytext=(3, 3), textcoords="offset points")
    ax.set_title(title)
    return ax

"""The VAE lesson's pictures: the reparameterisation trick, latent maps, beta sweeps, rate-distortion.

Each function draws on the ``ax`` (or axes) it is given, or on a new figure, and
returns what it drew on. Generic grids and curves come from :mod:`aigc_course.plotting`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

import torch

from ..plotting import image_grid, plot_scatter_2d
from .models import BaseVAE
from .uses import decode, encode_mean

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _new_axes(ax: "Axes | None", figsize: tuple[float, float]) -> "Axes":
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_reparameterization(ax: "Axes | None" = None) -> "Axes":
    """A diagram of ``z = mu + sigma * eps``: the sampling node moves off the gradient path.

    Blue boxes are computed from the parameters (gradients flow through them);
    the orange box is the noise ``eps ~ N(0, I)``, an input with no parameters.
    """
    ax = _new_axes(ax, (8, 3))
    boxes = {
        "x": (0.05, 0.5, "image x"),
        "enc": (0.25, 0.5, "encoder\nq(z|x)"),
        "mu": (0.45, 0.75, "mu"),
        "sigma": (0.45, 0.25, "sigma =\nexp(logvar/2)"),
        "eps": (0.65, 0.05, "eps ~ N(0, I)\n(no parameters)"),
        "z": (0.68, 0.5, "z = mu + sigma * eps"),
        "dec": (0.92, 0.5, "decoder\np(x|z)"),
    }
    for key, (x, y, text) in boxes.items():
        colour = "#fdd9b5" if key == "eps" else "#cfe2f3"
        ax.text(x, y, text, ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": colour, "edgecolor": "grey"})
    arrows = [("x", "enc"), ("enc", "mu"), ("enc", "sigma"), ("mu", "z"), ("sigma", "z"), ("eps", "z"), ("z", "dec")]
    for a, b in arrows:
        (xa, ya, _), (xb, yb, _) = boxes[a], boxes[b]
        ax.annotate("", xy=(xb - 0.06 * (xb > xa), yb), xytext=(xa + 0.05 * (xb > xa), ya),
                    arrowprops={"arrowstyle": "->", "color": "orange" if a == "eps" else "black"})
    ax.annotate("", xy=(0.27, 0.32), xytext=(0.62, 0.42),
                arrowprops={"arrowstyle": "->", "color": "tab:green", "linestyle": "--",
                            "connectionstyle": "arc3,rad=-0.3"})
    ax.text(0.47, 0.47, "gradients flow back\nthrough mu and sigma", color="tab:green", fontsize=8, ha="center")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.1, 1.0)
    ax.set_axis_off()
    ax.set_title("The reparameterisation trick: sampling becomes an input, not a step")
    return ax


def plot_latent_map(
    model: BaseVAE, images: torch.Tensor, labels: torch.Tensor, *, title: str = "", ax: "Axes | None" = None
) -> "Axes":
    """Scatter the posterior means of a ``latent_dim == 2`` model, coloured by digit class."""
    if model.latent_dim != 2:
        raise ValueError(f"plot_latent_map needs latent_dim == 2, the model has {model.latent_dim}")
    ax = plot_scatter_2d(encode_mean(model, images), labels, title=title or "test digits in the latent plane", ax=ax)
    ax.set(xlabel="z1", ylabel="z2")
    return ax


def show_grid(images: torch.Tensor, nrow: int, *, extent: Sequence[float] | None = None, title: str = "",
              ax: "Axes | None" = None) -> "Axes":
    """Show an image grid; ``extent`` places it on latent coordinates (left, right, bottom, top)."""
    ax = _new_axes(ax, (5, 5))
    grid = image_grid(images, nrow=nrow, padding=0)
    ax.imshow(grid[0].numpy(), cmap="gray", vmin=0, vmax=1, extent=extent)
    if extent is None:
        ax.set_axis_off()
    ax.set_title(title)
    return ax


def show_latent_point(
    model: BaseVAE, z1: float, z2: float, *, codes: torch.Tensor | None = None, labels: torch.Tensor | None = None,
    axes: "Sequence[Axes] | None" = None,
):
    """The static twin of the latent-plane widget: where ``(z1, z2)`` is, and what it decodes to.

    Left: the latent plane (with the codes of some digits, if given) and a marker
    at ``(z1, z2)``. Right: the decoded image. Returns the two axes.
    """
    import matplotlib.pyplot as plt

    if model.latent_dim != 2:
        raise ValueError(f"show_latent_point needs latent_dim == 2, the model has {model.latent_dim}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8, 3.8), gridspec_kw={"width_ratios": [1.3, 1]})
    left, right = axes
    if codes is not None:
        left.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", s=5, alpha=0.5)
    left.scatter([z1], [z2], marker="x", s=120, c="black", linewidths=3)
    left.set(xlim=(-3.5, 3.5), ylim=(-3.5, 3.5), xlabel="z1", ylabel="z2", title=f"z = ({z1:.2f}, {z2:.2f})")
    image = decode(model, torch.tensor([[float(z1), float(z2)]]))
    right.imshow(image[0, 0].numpy(), cmap="gray", vmin=0, vmax=1)
    right.set_axis_off()
    right.set_title("decoded")
    return axes


def plot_beta_sweep(results: Mapping[float, tuple[float, float]], ax: "Axes | None" = None) -> "Axes":
    """Reconstruction vs. KL (nats per image) for each beta: ``{beta: (reconstruction, kl)}``."""
    ax = _new_axes(ax, (5, 3.8))
    for beta, (rec, kl) in sorted(results.items()):
        ax.scatter([kl], [rec], s=50)
        ax.annotate(f"beta = {beta:g}", (kl, rec), xytext=(5, 5), textcoords="offset points")
    ax.set(xlabel="KL (nats per image): the rate", ylabel="reconstruction (nats per image): the distortion",
           title="beta trades reconstruction against KL")
    ax.grid(alpha=0.3)
    return ax


def plot_rate_distortion(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    references: Mapping[str, float] | None = None, ax: "Axes | None" = None,
) -> "Axes":
    """Distortion (MSE per pixel) against rate (bits per image, log scale) for named curves.

    ``curves``: ``{name: (bits, mse)}``; ``references``: vertical lines for lossless
    sizes, e.g. ``{"raw 8-bit": 6272, "PNG": 2400}``.
    """
    ax = _new_axes(ax, (6, 3.8))
    for name, (bits, mse) in curves.items():
        ax.plot(bits, mse, marker="o", label=name)
    for i, (name, bits) in enumerate((references or {}).items()):
        ax.axvline(bits, color=f"C{i + 3}", linestyle="--", label=f"{name} (lossless): {bits:.0f} bits")
    ax.set_xscale("log")
    ax.set(xlabel="bits per image", ylabel="MSE per pixel", title="compression: rate vs. distortion")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax

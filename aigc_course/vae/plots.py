"""The VAE lesson's pictures: the reparameterisation trick, latent maps, beta sweeps, rate-distortion.

Each function draws on the ``ax`` (or axes) it is given, or on a new figure, and
returns what it drew on. Generic grids and curves come from :mod:`aigc_course.plotting`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

import torch

from ..language import tr
from ..plotting import image_grid, plot_scatter_2d
from ..validate import check_float, check_int, check_str
from .models import BaseVAE, _check_vae
from .uses import decode, encode_mean

#: Sliders and markers live on this part of the latent plane: 3.5 prior standard deviations
#: already hold all but 0.05 % of the mass; beyond 100 is surely a mistake.
MAX_LATENT = 100.0
#: The most images per row of a grid.
MAX_NROW = 1_000

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _check_2d_model(model: object, what: str) -> BaseVAE:
    if _check_vae(model).latent_dim != 2:
        raise ValueError(f"{what} needs latent_dim == 2, the model has {model.latent_dim}")
    return model


def _check_labels(labels: object, count: int) -> torch.Tensor:
    """Integer class labels ``(count,)``."""
    try:
        labels = torch.as_tensor(labels)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"labels must be a tensor or list of {count} integer class labels, got "
                        f"{type(labels).__name__}") from None
    if labels.shape != (count,) or labels.is_floating_point() or labels.dtype == torch.bool:
        raise ValueError(f"labels must be {count} integer class labels, one per image, got "
                         f"{labels.dtype} of shape {tuple(labels.shape)}")
    return labels


def _check_codes_and_labels(codes: object, labels: object) -> None:
    """Optional latent codes ``(N, 2)`` and their integer labels ``(N,)`` (labels only with codes)."""
    if codes is None:
        if labels is not None:
            raise ValueError("labels were given without codes: pass the codes (N, 2) they label")
        return
    if not isinstance(codes, torch.Tensor) or codes.dim() != 2 or codes.shape[1] != 2:
        raise ValueError(f"codes must be a tensor (N, 2) of latent codes, got {getattr(codes, 'shape', type(codes))}")
    if labels is not None:
        _check_labels(labels, len(codes))


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
        "x": (0.05, 0.5, tr("image x", "图像 x")),
        "enc": (0.25, 0.5, tr("encoder\nq(z|x)", "编码器\nq(z|x)")),
        "mu": (0.45, 0.75, "mu"),
        "sigma": (0.45, 0.25, "sigma =\nexp(logvar/2)"),
        "eps": (0.65, 0.05, tr("eps ~ N(0, I)\n(no parameters)", "eps ~ N(0, I)\n（无参数）")),
        "z": (0.68, 0.5, "z = mu + sigma * eps"),
        "dec": (0.92, 0.5, tr("decoder\np(x|z)", "解码器\np(x|z)")),
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
    ax.text(0.47, 0.47, tr("gradients flow back\nthrough mu and sigma", "梯度经 mu 和 sigma\n反向传回"),
            color="tab:green", fontsize=8, ha="center")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.1, 1.0)
    ax.set_axis_off()
    ax.set_title(tr("The reparameterisation trick: sampling becomes an input, not a step",
                    "重参数化技巧：采样成了一个输入，而不是计算中的一步"))
    return ax


def plot_latent_map(
    model: BaseVAE, images: torch.Tensor, labels: torch.Tensor, *, title: str = "", ax: "Axes | None" = None
) -> "Axes":
    """Scatter the posterior means of a ``latent_dim == 2`` model, coloured by digit class."""
    _check_2d_model(model, "plot_latent_map")
    codes = encode_mean(model, images)
    _check_labels(labels, len(codes))
    title = check_str(title, "title")
    title = title or tr("test digits in the latent plane", "测试集数字在潜空间中的位置")
    ax = plot_scatter_2d(codes, labels, title=title, ax=ax)
    ax.set(xlabel="z1", ylabel="z2")
    return ax


def show_grid(images: torch.Tensor, nrow: int, *, extent: Sequence[float] | None = None, title: str = "",
              ax: "Axes | None" = None) -> "Axes":
    """Show an image grid; ``extent`` places it on latent coordinates (left, right, bottom, top)."""
    nrow = check_int(nrow, "nrow", minimum=1, maximum=MAX_NROW)
    if extent is not None:
        if isinstance(extent, (str, bytes)) or len(extent) != 4:
            raise ValueError(f"extent must be four numbers (left, right, bottom, top), got {extent!r}")
        extent = [check_float(v, f"extent[{i}]") for i, v in enumerate(extent)]
    title = check_str(title, "title")
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

    _check_2d_model(model, "show_latent_point")
    z1 = check_float(z1, "z1", minimum=-MAX_LATENT, maximum=MAX_LATENT)
    z2 = check_float(z2, "z2", minimum=-MAX_LATENT, maximum=MAX_LATENT)
    _check_codes_and_labels(codes, labels)
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
    right.set_title(tr("decoded", "解码结果"))
    return axes


def plot_beta_sweep(results: Mapping[float, tuple[float, float]], ax: "Axes | None" = None) -> "Axes":
    """Reconstruction vs. KL (nats per image) for each beta: ``{beta: (reconstruction, kl)}``."""
    points = _check_beta_results(results)
    ax = _new_axes(ax, (5, 3.8))
    for beta, (rec, kl) in sorted(points.items()):
        ax.scatter([kl], [rec], s=50)
        ax.annotate(f"beta = {beta:g}", (kl, rec), xytext=(5, 5), textcoords="offset points")
    ax.set(xlabel=tr("KL (nats per image): the rate", "KL（纳特/图像）：码率"),
           ylabel=tr("reconstruction (nats per image): the distortion", "重建项（纳特/图像）：失真"),
           title=tr("beta trades reconstruction against KL", "beta 在重建与 KL 之间取舍"))
    ax.grid(alpha=0.3)
    return ax


def _check_beta_results(results: object) -> dict[float, tuple[float, float]]:
    if not isinstance(results, Mapping) or not results:
        raise TypeError(f"results must be a non-empty dict {{beta: (reconstruction, kl)}}, got {type(results).__name__}")
    points = {}
    for beta, pair in results.items():
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"results[{beta!r}] must be a pair (reconstruction, kl), got {pair!r}")
        points[check_float(beta, "beta")] = (check_float(pair[0], f"results[{beta!r}][0]"),
                                             check_float(pair[1], f"results[{beta!r}][1]"))
    return points


def _check_curve(name: str, curve: object) -> None:
    if isinstance(curve, (str, bytes)) or not isinstance(curve, Sequence) or len(curve) != 2:
        raise ValueError(f"curves[{name!r}] must be a pair (bits, mse), got {curve!r}")
    bits, mse = (list(v.tolist()) if hasattr(v, "tolist") else list(v) for v in curve)  # lists, arrays or tensors
    if len(bits) != len(mse) or not len(bits):
        raise ValueError(f"curves[{name!r}]: bits and mse must be non-empty and of the same length")
    for i, (b, m) in enumerate(zip(bits, mse)):
        check_float(b, f"curves[{name!r}] bits[{i}]", minimum=0.0)  # 0 bits (no active dimension) is not drawn
        check_float(m, f"curves[{name!r}] mse[{i}]", minimum=0.0)


def plot_rate_distortion(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    references: Mapping[str, float] | None = None, ax: "Axes | None" = None,
) -> "Axes":
    """Distortion (MSE per pixel) against rate (bits per image, log scale) for named curves.

    ``curves``: ``{name: (bits, mse)}``; ``references``: vertical lines for lossless
    sizes, e.g. ``{"raw 8-bit": 6272, "PNG": 2400}``. Bits and errors must be finite and >= 0
    (the log axis leaves out points at 0 bits).
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a dict {{name: (bits, mse)}}, got {type(curves).__name__}")
    for name, curve in curves.items():
        _check_curve(name, curve)
    if references is not None and not isinstance(references, Mapping):
        raise TypeError(f"references must be a dict {{name: bits}} or None, got {type(references).__name__}")
    for name, bits in (references or {}).items():
        check_float(bits, f"references[{name!r}]", minimum=0.0)
    ax = _new_axes(ax, (6, 3.8))
    for name, (bits, mse) in curves.items():
        ax.plot(bits, mse, marker="o", label=name)
    for i, (name, bits) in enumerate((references or {}).items()):
        ax.axvline(bits, color=f"C{i + 3}", linestyle="--",
                   label=tr(f"{name} (lossless): {bits:.0f} bits", f"{name}（无损）：{bits:.0f} 比特"))
    ax.set_xscale("log")
    ax.set(xlabel=tr("bits per image", "比特/图像"), ylabel=tr("MSE per pixel", "每像素 MSE"),
           title=tr("compression: rate vs. distortion", "压缩：码率与失真"))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax

"""Pictures of the diffusion lesson: the schedule, noised point clouds, reverse paths, quality vs steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

import torch

from ..language import tr
from ..validate import check_int, check_str
from .schedule import NoiseSchedule

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_schedule", "plot_point_clouds", "plot_reverse_paths", "plot_quality_vs_steps", "to_pixels",
           "show_guidance"]


def to_pixels(x: torch.Tensor) -> torch.Tensor:
    """Images the model works with, in [-1, 1], as pixel values in [0, 1] (clamped)."""
    return ((x + 1) / 2).clamp(0, 1)


def _axes(ax: "Axes | None", figsize: tuple[float, float]) -> "Axes":
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1] if ax is None else ax


def plot_schedule(schedule: NoiseSchedule, ax: "Axes | None" = None) -> "Axes":
    """How much signal and noise ``x_t`` holds at each step: ``sqrt(alpha_bar_t)`` and ``sqrt(1 - alpha_bar_t)``."""
    ax = _axes(ax, (6, 3.2))
    steps = torch.arange(schedule.steps)
    ax.plot(steps, schedule.alpha_bars.sqrt(), label=tr("signal  sqrt(alpha_bar_t)", "信号  sqrt(alpha_bar_t)"))
    ax.plot(steps, (1 - schedule.alpha_bars).sqrt(),
            label=tr("noise  sqrt(1 - alpha_bar_t)", "噪声  sqrt(1 - alpha_bar_t)"))
    ax.plot(steps, schedule.betas / schedule.betas.max(), ls=":", label=f"beta_t / {schedule.betas.max():.3f}")
    ax.set(xlabel=tr("step t", "步数 t"), ylabel=tr("scale", "系数"),
           title=tr(f"the linear schedule, T = {schedule.steps}", f"线性噪声调度，T = {schedule.steps}"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_point_clouds(clouds: Mapping[str, torch.Tensor], limit: float = 3.5, color: str = "C0"):
    """One scatter per entry of ``clouds`` (title -> points ``(N, 2)``), side by side, on equal axes."""
    import matplotlib.pyplot as plt

    if not isinstance(clouds, Mapping) or not clouds:
        raise TypeError("clouds must be a non-empty dict of title -> points (N, 2)")
    fig, axes = plt.subplots(1, len(clouds), figsize=(2.6 * len(clouds), 2.8), squeeze=False)
    for ax, (title, points) in zip(axes[0], clouds.items()):
        ax.scatter(points[:, 0], points[:, 1], s=2, alpha=0.5, color=color)
        ax.set(xlim=(-limit, limit), ylim=(-limit, limit), title=check_str(title, "title"), aspect="equal")
        ax.set_xticks([]), ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_reverse_paths(trajectory: Sequence[torch.Tensor], data: torch.Tensor, paths: int = 30,
                       limit: float = 3.5, ax: "Axes | None" = None) -> "Axes":
    """Where ``paths`` points travel from pure noise (grey dots) to samples (red), over the data (blue).

    ``trajectory``: the list of ``(N, 2)`` clouds :func:`~.sample.sample` keeps, first the noise.
    """
    paths = check_int(paths, "paths", minimum=1, maximum=10_000)
    ax = _axes(ax, (4.5, 4.5))
    stacked = torch.stack(list(trajectory))                # (steps + 1, N, 2)
    ax.scatter(data[:, 0], data[:, 1], s=2, alpha=0.25, color="C0", label=tr("data", "数据"))
    for i in range(min(paths, stacked.shape[1])):
        ax.plot(stacked[:, i, 0], stacked[:, i, 1], lw=0.6, alpha=0.6, color="0.4")
    ax.scatter(stacked[0, :paths, 0], stacked[0, :paths, 1], s=10, color="0.3",
               label=tr("start: noise", "起点：噪声"))
    ax.scatter(stacked[-1, :paths, 0], stacked[-1, :paths, 1], s=12, color="C3",
               label=tr("end: sample", "终点：样本"))
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal",
           title=tr("reverse process, step by step", "反向过程的每一步"))
    ax.legend(fontsize=8, loc="lower right")
    return ax


def plot_quality_vs_steps(results: Mapping[int, Mapping[str, float]], reference: Mapping[str, float] | None = None,
                          ax: "Axes | None" = None) -> "Axes":
    """Classifier FID against sampling seconds, one point per number of DDIM steps.

    ``results``: steps -> ``{"fid": ..., "seconds": ...}``; ``reference``: name -> FID drawn as lines.
    """
    ax = _axes(ax, (6, 3.5))
    steps = sorted(results)
    ax.plot([results[s]["seconds"] for s in steps], [results[s]["fid"] for s in steps], marker="o",
            label=tr("diffusion (DDIM)", "扩散模型（DDIM）"))
    for s in steps:
        ax.annotate(tr(f"{s} steps", f"{s} 步"), (results[s]["seconds"], results[s]["fid"]),
                    textcoords="offset points", xytext=(5, 5), fontsize=8)
    for i, (name, fid) in enumerate((reference or {}).items()):
        ax.axhline(fid, ls="--", lw=1, color=f"C{i + 1}", label=name)
    ax.set(xlabel=tr("seconds to sample the digits", "生成这些数字所用的秒数"),
           ylabel=tr("classifier FID (lower is better)", "分类器 FID（越低越好）"),
           title=tr("quality against sampling time", "质量与采样时间"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def show_guidance(model: torch.nn.Module, schedule: NoiseSchedule, guidance_scale: float, *, sampling_steps: int = 10,
                  per_digit: int = 2, seed: int = 0, ax: "Axes | None" = None) -> "Axes":
    """``per_digit`` samples of each digit 0..9 at one ``guidance_scale`` (the same noise at every scale).

    The static twin of :func:`aigc_course.widgets.diffusion.guidance_slider`.
    """
    from ..plotting import show_images
    from .sample import sample

    per_digit = check_int(per_digit, "per_digit", minimum=1, maximum=20)
    labels = torch.arange(10).repeat(per_digit)  # row k holds the k-th sample of every digit
    x = sample(model, schedule, (len(labels), 1, 28, 28), labels=labels, guidance_scale=guidance_scale,
               sampling_steps=sampling_steps, seed=seed)
    title = tr(f"guidance scale {guidance_scale:g}: digits 0-9 asked for",
               f"引导强度 {guidance_scale:g}：条件依次为数字 0-9")
    return show_images(to_pixels(x), nrow=10, title=title, ax=ax, scale=0.5)

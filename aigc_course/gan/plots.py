"""Pictures of a GAN's training: the losses and D's outputs, sample grids, and a mix of two latent vectors."""

from __future__ import annotations

import torch
from torch import nn

from ..language import tr
from ..validate import check_bool, check_float, check_int_compat, check_str
from .limits import MAX_SEED
from .models import _check_generator
from .sample import latents, sample, slerp
from .train import GANHistory

#: The most sample grids :func:`show_snapshots` puts side by side.
MAX_PANELS = 20


def _check_history(history: object) -> GANHistory:
    if not isinstance(history, GANHistory):
        raise TypeError(f"history must be a GANHistory (from train_gan), got {type(history).__name__}")
    return history


def plot_history(history: GANHistory, title: str = ""):
    """Two panels: both losses (nats) and the discriminator's mean outputs D(x), D(G(z)) per step.

    At the game's equilibrium D cannot tell real from fake and outputs 1/2 for both
    (dashed line); a D(x) near 1 with D(G(z)) near 0 means the discriminator is winning.
    Returns the matplotlib ``Figure``.
    """
    import matplotlib.pyplot as plt

    _check_history(history)
    title = check_str(title, "title")
    fig, (ax_loss, ax_d) = plt.subplots(1, 2, figsize=(10, 3.2))
    ax_loss.plot(history.step, history.d_loss, label=tr("discriminator", "判别器"))
    ax_loss.plot(history.step, history.g_loss, label=tr("generator", "生成器"))
    ax_loss.set(xlabel=tr("step", "步数"), ylabel=tr("loss (nats)", "损失（纳特）"),
                title=tr("losses", "损失"))
    ax_d.plot(history.step, history.d_real, label=tr("D(x), real", "D(x)，真实图像"))
    ax_d.plot(history.step, history.d_fake, label=tr("D(G(z)), fake", "D(G(z))，生成图像"))
    ax_d.axhline(0.5, color="grey", linestyle="--", linewidth=1)
    ax_d.set(xlabel=tr("step", "步数"), ylabel=tr("mean probability 'real'", "判为“真实”的平均概率"),
             ylim=(0, 1), title=tr("what D says", "判别器的判断"))
    for ax in (ax_loss, ax_d):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_snapshots(history: GANHistory, title: str = "", max_panels: int = 6):
    """The fixed-latent sample grids kept during training, side by side, labelled by step.

    At most ``max_panels`` (1 to :data:`MAX_PANELS`) grids: the first, the last and evenly spaced ones between.
    """
    import matplotlib.pyplot as plt

    _check_history(history)
    title = check_str(title, "title")
    max_panels = check_int_compat(max_panels, "max_panels", minimum=1, maximum=MAX_PANELS)
    steps = sorted(history.snapshots)
    if not steps:
        raise ValueError("history has no snapshots: train with GANConfig(snapshot_steps=(...))")
    if len(steps) > max_panels:  # keep the first, the last and evenly spaced ones between
        picks = torch.linspace(0, len(steps) - 1, max_panels).round().long().tolist()
        steps = [steps[i] for i in picks]
    fig, axes = plt.subplots(1, len(steps), figsize=(2.3 * len(steps), 2.6), squeeze=False)
    for ax, step in zip(axes[0], steps):
        ax.imshow(history.snapshots[step].permute(1, 2, 0).numpy())
        ax.set_title(tr(f"step {step}", f"第 {step} 步"), fontsize=9)
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_latent_mix(generator: nn.Module, seed_a: int = 0, seed_b: int = 1, t: float = 0.5, spherical: bool = True):
    """Decode ``z_a``, the point at fraction ``t`` of the way to ``z_b``, and ``z_b``: three panels.

    ``z_a`` and ``z_b`` are the latents drawn with seeds ``seed_a`` and ``seed_b``.
    The static twin of :func:`aigc_course.widgets.gan.latent_mixer`.
    """
    import matplotlib.pyplot as plt

    _check_generator(generator)
    seed_a = check_int_compat(seed_a, "seed_a", minimum=0, maximum=MAX_SEED)
    seed_b = check_int_compat(seed_b, "seed_b", minimum=0, maximum=MAX_SEED)
    t = check_float(t, "t", minimum=0.0, maximum=1.0)
    spherical = check_bool(spherical, "spherical")
    z_a = latents(1, generator.z_dim, seed=seed_a)[0]
    z_b = latents(1, generator.z_dim, seed=seed_b)[0]
    z_t = slerp(z_a, z_b, float(t)) if spherical else (1 - t) * z_a + t * z_b
    images = sample(generator, z=torch.stack([z_a, z_t, z_b]))
    fig, axes = plt.subplots(1, 3, figsize=(6, 2.3))
    titles = [tr(f"seed {seed_a}", f"种子 {seed_a}"), f"t = {t:.2f}", tr(f"seed {seed_b}", f"种子 {seed_b}")]
    for ax, image, name in zip(axes, images, titles):
        ax.imshow(image[0].numpy(), cmap="gray", vmin=0, vmax=1)
        ax.set_title(name, fontsize=9)
        ax.set_axis_off()
    fig.tight_layout()
    return fig

"""Generative adversarial networks for 28x28 digits: the article's MLP GAN, a DCGAN, a training loop.

A GAN (Goodfellow et al., 2014) is a two-player game. The generator ``G`` turns
random noise ``z`` into an image; the discriminator ``D`` says how likely an image
is to be real. They are trained against each other on the minimax objective

    min_G max_D  E_x[log D(x)] + E_z[log(1 - D(G(z)))]

``D`` climbs it (tell real from fake), ``G`` descends it (fool ``D``). In practice
``G`` minimises ``-log D(G(z))`` instead of ``log(1 - D(G(z)))`` (the *non-saturating*
loss): same fixed point, but strong gradients early on, when ``D`` easily rejects
every fake and ``log(1 - D(G(z)))`` is flat.

Conventions: generators map ``z`` of shape ``(N, z_dim)`` to images ``(N, 1, 28, 28)``
in [-1, 1] (Tanh); :func:`to_unit` maps them to [0, 1] for pictures and metrics.
Discriminators take images ``(N, 1, 28, 28)`` (or flat ``(N, 784)``) and return
probabilities ``(N, 1)`` from ``forward`` (the article's Sigmoid output) and raw
logits ``(N,)`` from ``logits`` (what the training loop uses, see :func:`d_loss`).

The lesson's package, one idea per module (the same shape as ``vae/`` and ``diffusion/``):

- :mod:`.models`: the article's MLP pair and a DCGAN pair, and :func:`make_gan`;
- :mod:`.loss`: :func:`d_loss` and :func:`g_loss` on raw logits;
- :mod:`.sample`: latent vectors, samples, spherical interpolation and latent paths;
- :mod:`.train`: :class:`GANConfig`, :class:`GANHistory`, :func:`train_gan` and :func:`train_step`, one step of it;
- :mod:`.plots`: the pictures the notebook shows;
- :mod:`.limits`: the image shape and the bounds on every size.
"""

from .limits import IMAGE_SHAPE, IMAGE_SIZE, MAX_SEED, MAX_STEPS
from .loss import GENERATOR_LOSSES, d_loss, g_loss
from .models import DCGANDiscriminator, DCGANGenerator, Discriminator, Generator, make_gan
from .plots import MAX_PANELS, plot_history, show_latent_mix, show_snapshots
from .sample import interpolate, latents, sample, slerp, to_unit
from .train import LESSON_STEPS, GANConfig, GANHistory, frozen, lesson_config, train_gan, train_step

__all__ = [
    "DCGANDiscriminator",
    "DCGANGenerator",
    "Discriminator",
    "GANConfig",
    "GANHistory",
    "Generator",
    "d_loss",
    "g_loss",
    "interpolate",
    "latents",
    "lesson_config",
    "make_gan",
    "plot_history",
    "sample",
    "show_latent_mix",
    "show_snapshots",
    "slerp",
    "to_unit",
    "train_gan",
    "train_step",
]

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
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields

import torch
import torch.nn.functional as F
from torch import nn

from .config import LESSON_THREADS, fast_or, seed_everything
from .language import tr
from .speedups import adam, channels_last
from .validate import (check_bool, check_choice, check_finite_tensor, check_float, check_float_batch,
                       check_int_compat, check_str)

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
]

IMAGE_SHAPE = (1, 28, 28)
IMAGE_SIZE = 28 * 28

#: Upper bounds on sizes, so that a typo such as ``steps=10**9`` is refused at once
#: instead of running for days or exhausting memory.
MAX_STEPS = 1_000_000         # training steps (the lesson uses 1,800)
MAX_BATCH_SIZE = 65_536       # images per batch
MAX_SAMPLES = 100_000         # images drawn by one call of :func:`sample` / :func:`latents` (~310 MB)
MAX_Z_DIM = 4_096             # latent dimensions (the lesson uses 100)
MAX_CHANNELS = 512            # DCGAN width (the lesson uses 32)
MAX_D_STEPS = 100             # discriminator updates per generator update
MAX_THREADS = 256             # CPU threads while training
MAX_SNAPSHOT = 1_024          # images in one snapshot grid
MAX_SNAPSHOTS = 1_000         # snapshot grids kept during one training run
MAX_PATH_STEPS = 1_000        # images along one latent path
MAX_LR = 1.0                  # Adam learning rate (the lesson uses 2e-4)
MAX_SEED = 2**32 - 1          # what :func:`aigc_course.config.seed_everything` accepts


def _as_images(x: torch.Tensor, name: str = "x") -> torch.Tensor:
    """Accept ``(N, 1, 28, 28)`` or flat ``(N, 784)`` float images; return ``(N, 784)``."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of images (N, 1, 28, 28), got {type(x).__name__}")
    if x.dim() == 4 and tuple(x.shape[1:]) == IMAGE_SHAPE:
        flat = x.flatten(1)
    elif x.dim() == 2 and x.shape[1] == IMAGE_SIZE:
        flat = x
    else:
        raise ValueError(f"{name} must have shape (N, 1, 28, 28) or (N, 784), got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a float tensor, got dtype {x.dtype}")
    return flat


def _check_generator(generator: object) -> nn.Module:
    """A GAN generator: an ``nn.Module`` with parameters and an int ``z_dim``."""
    if not isinstance(generator, nn.Module) or not isinstance(getattr(generator, "z_dim", None), int):
        raise TypeError(f"generator must be a GAN generator (an nn.Module with a z_dim), got {type(generator).__name__}")
    if next(generator.parameters(), None) is None:
        raise ValueError("generator has no parameters")
    return generator


def _check_discriminator(discriminator: object) -> nn.Module:
    """A GAN discriminator: an ``nn.Module`` with parameters and a ``logits`` method."""
    if not isinstance(discriminator, nn.Module) or not callable(getattr(discriminator, "logits", None)):
        raise TypeError("discriminator must be a GAN discriminator (an nn.Module with a logits method), "
                        f"got {type(discriminator).__name__}")
    if next(discriminator.parameters(), None) is None:
        raise ValueError("discriminator has no parameters")
    return discriminator


# --------------------------------------------------------------------------------------
# The article's MLP GAN
# --------------------------------------------------------------------------------------


class Generator(nn.Module):
    """The article's generator: z -> 256 -> 512 -> 1024 -> 784, LeakyReLU(0.2), Tanh.

    ``forward(z)``: ``(N, z_dim)`` -> images ``(N, 1, 28, 28)`` in [-1, 1].
    About 1.5 M parameters for ``z_dim = 100``.
    """

    def __init__(self, z_dim: int = 100) -> None:
        super().__init__()
        self.z_dim = check_int_compat(z_dim, "z_dim", minimum=1, maximum=MAX_Z_DIM)
        self.model = nn.Sequential(
            nn.Linear(z_dim, 256), nn.LeakyReLU(0.2),
            nn.Linear(256, 512), nn.LeakyReLU(0.2),
            nn.Linear(512, 1024), nn.LeakyReLU(0.2),
            nn.Linear(1024, IMAGE_SIZE), nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        check_float_batch(z, "z", (self.z_dim,))
        return self.model(z).view(-1, *IMAGE_SHAPE)


class Discriminator(nn.Module):
    """The article's discriminator: 784 -> 512 -> 256 -> 1, LeakyReLU(0.2), Dropout(0.3), Sigmoid.

    ``forward(x)`` returns the probability that each image is real, ``(N, 1)``, exactly
    as the article writes it. ``logits(x)`` returns the value *before* the Sigmoid,
    ``(N,)``: the training loop works with logits because it is numerically safer.
    """

    def __init__(self) -> None:
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(IMAGE_SIZE, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(256, 1),
        )
        self.sigmoid = nn.Sigmoid()

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(_as_images(x)).squeeze(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.sigmoid(self.logits(x)).unsqueeze(1)


# --------------------------------------------------------------------------------------
# A convolutional (DCGAN-style) pair for 28x28 images
# --------------------------------------------------------------------------------------


class DCGANGenerator(nn.Module):
    """Convolutional generator in the DCGAN style (Radford et al., 2016), sized for a CPU.

    z -> Linear -> (2c, 7, 7) -> ConvTranspose 4x4 stride 2 -> (c, 14, 14)
    -> ConvTranspose 4x4 stride 2 -> (1, 28, 28), BatchNorm + ReLU between, Tanh at the end.
    ``forward(z)``: ``(N, z_dim)`` -> ``(N, 1, 28, 28)`` in [-1, 1].
    """

    def __init__(self, z_dim: int = 100, channels: int = 32) -> None:
        super().__init__()
        self.z_dim = check_int_compat(z_dim, "z_dim", minimum=1, maximum=MAX_Z_DIM)
        c = check_int_compat(channels, "channels", minimum=1, maximum=MAX_CHANNELS)
        self.project = nn.Sequential(nn.Linear(z_dim, 2 * c * 7 * 7, bias=False), nn.BatchNorm1d(2 * c * 7 * 7), nn.ReLU())
        self.upsample = nn.Sequential(
            nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),  # 14 x 14
            nn.ConvTranspose2d(c, 1, 4, stride=2, padding=1), nn.Tanh(),                                       # 28 x 28
        )
        self.channels = c

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        check_float_batch(z, "z", (self.z_dim,))
        return self.upsample(self.project(z).view(-1, 2 * self.channels, 7, 7))


class DCGANDiscriminator(nn.Module):
    """Convolutional discriminator: two strided 4x4 convolutions (28 -> 14 -> 7), LeakyReLU(0.2), a linear head.

    Same interface as :class:`Discriminator`: ``forward`` gives probabilities ``(N, 1)``,
    ``logits`` gives ``(N,)``.
    """

    def __init__(self, channels: int = 32) -> None:
        super().__init__()
        c = check_int_compat(channels, "channels", minimum=1, maximum=MAX_CHANNELS)
        self.model = nn.Sequential(
            nn.Conv2d(1, c, 4, stride=2, padding=1), nn.LeakyReLU(0.2),                                       # 14 x 14
            nn.Conv2d(c, 2 * c, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.2),  # 7 x 7
            nn.Flatten(), nn.Linear(2 * c * 7 * 7, 1),
        )

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(_as_images(x).view(-1, *IMAGE_SHAPE)).squeeze(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(x)).unsqueeze(1)


def make_gan(kind: str, z_dim: int = 100) -> tuple[nn.Module, nn.Module]:
    """A fresh ``(generator, discriminator)`` pair: ``kind="mlp"`` (the article's) or ``"dcgan"``."""
    check_choice(kind, "kind", ("mlp", "dcgan"))
    if kind == "mlp":
        return Generator(z_dim), Discriminator()
    return DCGANGenerator(z_dim), DCGANDiscriminator()


# --------------------------------------------------------------------------------------
# Losses, in the numerically stable logits form
# --------------------------------------------------------------------------------------


def _check_logits(logits: object, name: str) -> torch.Tensor:
    """A non-empty float tensor of finite logits (any shape)."""
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of logits, got {type(logits).__name__}")
    if not logits.is_floating_point():
        raise TypeError(f"{name} must be a float tensor, got dtype {logits.dtype}")
    if logits.numel() == 0:
        raise ValueError(f"{name} must hold at least one logit, got shape {tuple(logits.shape)}")
    if not bool(torch.isfinite(logits).all()):
        bad = int((~torch.isfinite(logits)).sum())
        raise ValueError(f"{name} holds {bad:,} NaN or infinite logits (in training: the game diverged, "
                         "try smaller learning rates)")
    return logits


def _check_real_label(real_label: object) -> float:
    return check_float(real_label, "real_label", minimum=0.5, maximum=1.0, exclusive_minimum=True)


def _check_logit_pair(real_logits: object, fake_logits: object, real_label: object) -> float:
    """The arguments of :func:`d_loss`; returns ``real_label`` as a float."""
    _check_logits(real_logits, "real_logits")
    _check_logits(fake_logits, "fake_logits")
    return _check_real_label(real_label)


def d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, real_label: float = 1.0) -> torch.Tensor:
    """Discriminator loss: ``-[log D(x) + log(1 - D(G(z)))]``, averaged, in nats.

    Written with logits: ``log D = log sigmoid(l) = -softplus(-l)`` and
    ``log(1 - D) = -softplus(l)``. This is what ``BCEWithLogitsLoss`` computes, and it
    stays finite for any logit, whereas ``Sigmoid`` followed by ``BCELoss`` (the
    article's form) rounds ``D`` to exactly 0 or 1 for logits beyond about ±17 (float32)
    and then needs ``BCELoss``'s clamp of ``log`` at -100 to avoid infinities.
    ``real_label < 1`` is one-sided label smoothing (Salimans et al., 2016): the target
    for real images becomes e.g. 0.9, which keeps ``D`` from growing over-confident.
    ``real_logits`` and ``fake_logits``: non-empty float tensors of finite logits
    (any shapes, usually ``(N,)``); ``real_label`` in (0.5, 1].
    """
    real_label = _check_logit_pair(real_logits, fake_logits, real_label)
    real_target = torch.full_like(real_logits, real_label)
    return (F.binary_cross_entropy_with_logits(real_logits, real_target)
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


GENERATOR_LOSSES = ("non_saturating", "minimax")


def g_loss(fake_logits: torch.Tensor, kind: str = "non_saturating") -> torch.Tensor:
    """Generator loss from ``D``'s logits on fakes, averaged, in nats.

    - ``"non_saturating"`` (used in practice): ``-log D(G(z)) = softplus(-l)``.
      Its gradient is large exactly when ``D`` confidently rejects the fake.
    - ``"minimax"`` (the game as written): ``log(1 - D(G(z))) = -softplus(l)``.
      Its gradient ``-sigmoid(l)`` vanishes when ``D`` rejects the fake (l << 0),
      which is the usual situation early in training.

    ``fake_logits``: a non-empty float tensor of finite logits (any shape).
    """
    check_choice(kind, "kind", GENERATOR_LOSSES)
    _check_logits(fake_logits, "fake_logits")
    if kind == "non_saturating":
        return F.softplus(-fake_logits).mean()
    return -F.softplus(fake_logits).mean()


# --------------------------------------------------------------------------------------
# Sampling and latent paths
# --------------------------------------------------------------------------------------


def to_unit(x: torch.Tensor) -> torch.Tensor:
    """Map generator output in [-1, 1] to pixel values in [0, 1] (same shape, NaN refused)."""
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(f"x must be a float torch.Tensor, got {type(x).__name__} {getattr(x, 'dtype', '')}".rstrip())
    check_finite_tensor(x, "x")
    return ((x + 1) / 2).clamp(0, 1)


def latents(n: int, z_dim: int = 100, seed: int | None = None, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` standard normal latent vectors ``(n, z_dim)``, from ``seed`` or ``generator``.

    ``n`` is at most :data:`MAX_SAMPLES`, ``z_dim`` at most :data:`MAX_Z_DIM`;
    ``seed`` in [0, 2**32) is used only when no ``generator`` is given.
    """
    n = check_int_compat(n, "n", minimum=1, maximum=MAX_SAMPLES)
    z_dim = check_int_compat(z_dim, "z_dim", minimum=1, maximum=MAX_Z_DIM)
    seed = check_int_compat(seed, "seed", minimum=0, maximum=MAX_SEED, allow_none=True)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
    if generator is None and seed is not None:
        generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, z_dim, generator=generator)


@torch.no_grad()
def sample(generator: nn.Module, n: int = 100, seed: int = 0, z: torch.Tensor | None = None, batch_size: int = 500) -> torch.Tensor:
    """Draw ``n`` images ``(n, 1, 28, 28)`` in [0, 1] (or decode the given ``z`` ``(N, z_dim)``), in eval mode.

    ``n`` is at most :data:`MAX_SAMPLES`; ``batch_size`` images go through the generator at once.
    """
    _check_generator(generator)
    n = check_int_compat(n, "n", minimum=1, maximum=MAX_SAMPLES)
    seed = check_int_compat(seed, "seed", minimum=0, maximum=MAX_SEED)
    batch_size = check_int_compat(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    if z is None:
        z = latents(n, generator.z_dim, seed=seed)
    check_float_batch(z, "z", (generator.z_dim,))
    check_finite_tensor(z, "z")
    if len(z) == 0:
        raise ValueError(f"z must hold at least one latent vector, got shape {tuple(z.shape)}")
    was_training = generator.training
    generator.eval()
    device = next(generator.parameters()).device
    out = torch.cat([to_unit(generator(z[i:i + batch_size].to(device))).cpu() for i in range(0, len(z), batch_size)])
    generator.train(was_training)
    return out


def _check_latent_vector(z: object, name: str) -> torch.Tensor:
    if not isinstance(z, torch.Tensor) or not z.is_floating_point():
        raise TypeError(f"{name} must be a float torch.Tensor (z_dim,), got {type(z).__name__} {getattr(z, 'dtype', '')}"
                        .rstrip())
    check_finite_tensor(z, name)
    if z.dim() == 1 and z.numel() and not bool(z.any()):
        raise ValueError(f"{name} must not be the zero vector: it has no direction to interpolate along")
    return z


def _check_positions(t: object) -> torch.Tensor:
    """``t`` as a float tensor of positions in [0, 1]: a number, a 0-/1-D tensor, or a list of numbers."""
    if isinstance(t, torch.Tensor):
        if not t.is_floating_point():
            raise TypeError(f"t must be a float tensor of positions in [0, 1], got dtype {t.dtype}")
        if t.dim() > 1:
            raise ValueError(f"t must be a number or a 1-D tensor of positions, got shape {tuple(t.shape)}")
        check_finite_tensor(t, "t")
        if t.numel() and (t.min() < 0 or t.max() > 1):
            raise ValueError(f"t must hold positions in [0, 1], got min {t.min().item():.4g} and max {t.max().item():.4g}")
        return t
    if isinstance(t, (list, tuple)):
        return torch.tensor([check_float(v, f"t[{i}]", minimum=0.0, maximum=1.0) for i, v in enumerate(t)])
    return torch.tensor(check_float(t, "t", minimum=0.0, maximum=1.0))


def slerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
    """Spherical interpolation between latent vectors ``z0`` and ``z1`` (each ``(z_dim,)``).

    High-dimensional Gaussian samples lie near a sphere of radius sqrt(z_dim); the
    straight line between two of them passes through less typical, shorter vectors,
    while slerp keeps the norm. ``t`` is a float or a 1-D tensor of positions in
    [0, 1]; the result is ``(z_dim,)`` or ``(len(t), z_dim)``. Neither vector may be zero.
    """
    _check_latent_vector(z0, "z0")
    _check_latent_vector(z1, "z1")
    if z0.shape != z1.shape or z0.dim() != 1:
        raise ValueError(f"z0 and z1 must be 1-D vectors of the same shape, got {tuple(z0.shape)} and {tuple(z1.shape)}")
    t_tensor = _check_positions(t).to(z0.dtype)
    ts = t_tensor.reshape(-1, 1)
    cos = torch.dot(z0, z1) / (z0.norm() * z1.norm())
    omega = torch.arccos(cos.clamp(-1 + 1e-7, 1 - 1e-7))
    if omega.abs() < 1e-4:  # (almost) parallel: the straight line is the arc
        out = (1 - ts) * z0 + ts * z1
    else:
        out = (torch.sin((1 - ts) * omega) * z0 + torch.sin(ts * omega) * z1) / torch.sin(omega)
    return out[0] if t_tensor.dim() == 0 else out


def interpolate(generator: nn.Module, z0: torch.Tensor, z1: torch.Tensor, steps: int = 10, spherical: bool = True) -> torch.Tensor:
    """Images ``(steps, 1, 28, 28)`` in [0, 1] along a path from ``z0`` to ``z1`` (both ends included).

    ``steps`` is between 2 and :data:`MAX_PATH_STEPS`; ``spherical=False`` walks the straight line.
    """
    _check_generator(generator)
    steps = check_int_compat(steps, "steps", minimum=2, maximum=MAX_PATH_STEPS)
    spherical = check_bool(spherical, "spherical")
    for name, z in (("z0", z0), ("z1", z1)):
        _check_latent_vector(z, name)
        if tuple(z.shape) != (generator.z_dim,):
            raise ValueError(f"{name} must have shape ({generator.z_dim},), got {tuple(z.shape)}")
    ts = torch.linspace(0, 1, steps)
    path = slerp(z0, z1, ts) if spherical else (1 - ts[:, None]) * z0 + ts[:, None] * z1
    return sample(generator, z=path)


# --------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------


@dataclass
class GANConfig:
    """How to train a GAN. The defaults are the DCGAN paper's Adam settings.

    ``steps``: generator updates. ``batch_size``: images per step (real and fake each).
    ``lr_g``/``lr_d``: Adam learning rates, ``betas``: Adam's betas.
    ``generator_loss``: ``"non_saturating"`` or ``"minimax"`` (see :func:`g_loss`).
    ``real_label``: 1.0, or e.g. 0.9 for one-sided label smoothing.
    ``d_steps``: discriminator updates per generator update (``0`` freezes ``D``).
    ``snapshot_steps``: steps after which a sample grid of the fixed latents is kept
    (step 0 is before any training). ``log_every``: loss history resolution.
    ``threads``: CPU threads while training. One by default: networks this small gain
    little from more, and a single thread gives the same numbers whatever the machine's
    core count (``None`` keeps PyTorch's setting).

    Every field is checked when the config is made: ``steps`` <= :data:`MAX_STEPS`,
    ``batch_size`` <= :data:`MAX_BATCH_SIZE`, learning rates in (0, :data:`MAX_LR`],
    betas in [0, 1), ``d_steps`` <= :data:`MAX_D_STEPS`, ``n_snapshot`` <= :data:`MAX_SNAPSHOT`,
    ``seed`` in [0, 2**32); NaN and infinity are refused everywhere.
    """

    steps: int = 1000
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    generator_loss: str = "non_saturating"
    real_label: float = 1.0
    d_steps: int = 1
    snapshot_steps: tuple[int, ...] = ()
    n_snapshot: int = 64
    log_every: int = 10
    seed: int = 0
    threads: int | None = 1

    def __post_init__(self) -> None:
        self.steps = check_int_compat(self.steps, "steps", minimum=1, maximum=MAX_STEPS)
        self.batch_size = check_int_compat(self.batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
        self.log_every = check_int_compat(self.log_every, "log_every", minimum=1, maximum=MAX_STEPS)
        self.n_snapshot = check_int_compat(self.n_snapshot, "n_snapshot", minimum=1, maximum=MAX_SNAPSHOT)
        self.d_steps = check_int_compat(self.d_steps, "d_steps", minimum=0, maximum=MAX_D_STEPS)
        self.lr_g = check_float(self.lr_g, "lr_g", minimum=0.0, maximum=MAX_LR, exclusive_minimum=True)
        self.lr_d = check_float(self.lr_d, "lr_d", minimum=0.0, maximum=MAX_LR, exclusive_minimum=True)
        self.betas = _check_betas(self.betas)
        self.real_label = _check_real_label(self.real_label)
        self.threads = check_int_compat(self.threads, "threads", minimum=1, maximum=MAX_THREADS, allow_none=True)
        self.seed = check_int_compat(self.seed, "seed", minimum=0, maximum=MAX_SEED)
        check_choice(self.generator_loss, "generator_loss", GENERATOR_LOSSES)
        self.snapshot_steps = _check_snapshot_steps(self.snapshot_steps, self.steps)


def _check_betas(betas: object) -> tuple[float, float]:
    """Adam's ``(beta1, beta2)``, each in [0, 1)."""
    if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair of numbers (beta1, beta2), got {betas!r}")
    return tuple(check_float(b, f"betas[{i}]", minimum=0.0, maximum=1.0, exclusive_maximum=True)
                 for i, b in enumerate(betas))


def _check_snapshot_steps(snapshot_steps: object, steps: int) -> tuple[int, ...]:
    """Steps at which to keep a sample grid: ints in [0, steps]."""
    if isinstance(snapshot_steps, (str, bytes)) or not isinstance(snapshot_steps, (tuple, list, set, frozenset, range)):
        raise TypeError(f"snapshot_steps must be a tuple of ints, got {type(snapshot_steps).__name__} {snapshot_steps!r}")
    checked = tuple(check_int_compat(s, f"snapshot_steps[{i}]", minimum=0, maximum=steps)
                    for i, s in enumerate(snapshot_steps))
    if len(set(checked)) > MAX_SNAPSHOTS:  # each grid is kept in memory
        raise ValueError(f"snapshot_steps must name at most {MAX_SNAPSHOTS:,} steps, got {len(set(checked)):,}")
    return checked


def lesson_config(kind: str, **changes) -> GANConfig:
    """The settings notebook 05 and ``benchmarks/gan.py`` train with (``AIGC_FAST=1`` shrinks them).

    ``kind``: ``"mlp"`` or ``"dcgan"``; ``changes`` override single fields, e.g.
    ``lesson_config("dcgan", generator_loss="minimax")``. Both GANs get the same
    number of steps, so their comparison is fair in data seen, not in compute (the
    notebook prints each one's training time). The lesson trains on :data:`LESSON_THREADS`
    CPU threads: a fixed count, so a run gives the same numbers on any machine of a kind.
    """
    check_choice(kind, "kind", ("mlp", "dcgan"))
    allowed = [f.name for f in fields(GANConfig)]
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise TypeError(f"lesson_config got unknown setting(s) {', '.join(unknown)}; GANConfig has {', '.join(allowed)}")
    steps = fast_or(LESSON_STEPS, 150)
    marks = sorted({0, steps // 10, steps // 4, steps // 2, steps})
    settings = dict(steps=steps, batch_size=64, snapshot_steps=tuple(marks), log_every=fast_or(20, 5), seed=0,
                    threads=LESSON_THREADS)
    settings.update(changes)
    return GANConfig(**settings)


#: Training steps of each GAN in the lesson's default mode (batch 64: about 29 passes over 4,000
#: digits). The lesson trained 2,000 steps until its run time needed a fifth to spare.
LESSON_STEPS = 1800

# The lesson trains on LESSON_THREADS (2) CPU threads (aigc_course.config). Measured on an idle
# 2-core machine, 2,000 steps took 74 s (MLP) and 198 s (DCGAN) on one thread, 57 s and 105 s on
# two (with channels-last convolutions), while the generator step still drew fresh fakes;
# reusing the discriminator step's fakes takes 0.90x (MLP) and 0.83x (DCGAN) of that time, and
# freezing D's weights during the generator step a further 0.95x (DCGAN; no change for the MLP)
# (one process, the two loops alternated, medians of three or four runs of 60-150 steps).


@dataclass
class GANHistory:
    """What happened during training.

    ``step``: the step of each logged entry; ``d_loss``/``g_loss``: mean losses (nats)
    over the last ``log_every`` steps; ``d_real``/``d_fake``: mean D(x) on real images and
    D(G(z)) on fakes (probabilities) over the same steps. ``snapshots``: step -> grid
    image ``(3, H, W)`` in [0, 1] from ``torchvision.utils.make_grid`` of the fixed latents.
    ``seconds``: wall-clock training time.
    """

    step: list[int] = field(default_factory=list)
    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    d_real: list[float] = field(default_factory=list)
    d_fake: list[float] = field(default_factory=list)
    snapshots: dict[int, torch.Tensor] = field(default_factory=dict)
    seconds: float = 0.0


@torch.no_grad()
def _snapshot(generator: nn.Module, z: torch.Tensor) -> torch.Tensor:
    from torchvision.utils import make_grid

    images = sample(generator, z=z)
    return make_grid(images, nrow=int(len(z) ** 0.5 + 0.5), padding=1, pad_value=1.0)


def _check_training_images(images: torch.Tensor) -> torch.Tensor:
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"images must be a torch.Tensor (N, 1, 28, 28) in [0, 1], got {type(images).__name__}")
    if images.dim() != 4 or tuple(images.shape[1:]) != IMAGE_SHAPE:
        raise ValueError(f"images must have shape (N, 1, 28, 28), got {tuple(images.shape)}")
    if not images.is_floating_point():
        raise TypeError(f"images must be a float tensor in [0, 1], got dtype {images.dtype}")
    check_finite_tensor(images, "images")  # NaN slips through min/max comparisons
    if len(images) < 2:
        raise ValueError(f"images must hold at least 2 images, got {len(images)}")
    low, high = images.min().item(), images.max().item()
    if low < 0 or high > 1:
        raise ValueError(f"images must have values in [0, 1] (e.g. from load_mnist5k), got min {low:.3g} and max {high:.3g}")
    return images * 2 - 1  # the generators' Tanh range


def train_gan(
    generator: nn.Module,
    discriminator: nn.Module,
    images: torch.Tensor,
    config: GANConfig | None = None,
    progress: bool = True,
) -> GANHistory:
    """Train ``generator`` against ``discriminator`` on real ``images`` ``(N, 1, 28, 28)`` in [0, 1].

    Each step: ``config.d_steps`` discriminator updates on a real batch and a fresh fake
    batch (loss :func:`d_loss`), then one generator update (loss :func:`g_loss`) on the
    last of those fakes, scored by the updated discriminator: the generator's forward pass
    is not run twice (as in the DCGAN reference code of pytorch/examples). Deterministic
    for a given ``config.seed`` on a given machine. The models are trained in place (and
    left in eval mode); returns the :class:`GANHistory`.
    """
    _check_generator(generator)
    _check_discriminator(discriminator)
    config = GANConfig() if config is None else config
    if not isinstance(config, GANConfig):
        raise TypeError(f"config must be a GANConfig, got {type(config).__name__}")
    progress = check_bool(progress, "progress")
    real = _check_training_images(images)
    if config.batch_size < 2 and _has_batch_norm(generator, discriminator):
        raise ValueError(f"batch_size must be >= 2 for models with batch norm (the DCGAN), got {config.batch_size}")
    rng = seed_everything(config.seed)
    device = next(generator.parameters()).device
    real = real.to(device)
    fixed_z = latents(config.n_snapshot, generator.z_dim, generator=rng).to(device)
    history = GANHistory()
    if 0 in config.snapshot_steps:
        history.snapshots[0] = _snapshot(generator, fixed_z)
    generator.train()
    discriminator.train()
    threads_before = torch.get_num_threads()
    if config.threads is not None:
        torch.set_num_threads(config.threads)
    try:
        with channels_last(generator, discriminator):  # faster CPU convolutions; no effect on the MLP GAN
            _train_steps(generator, discriminator, real, config, rng, fixed_z, history, progress)
    finally:
        torch.set_num_threads(threads_before)
    generator.eval()
    discriminator.eval()
    return history


def _has_batch_norm(*models: nn.Module) -> bool:
    """Whether any model normalises over the batch (training then needs batches of 2 or more)."""
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for model in models for m in model.modules())


@contextlib.contextmanager
def frozen(model: nn.Module) -> Iterator[None]:
    """Within the block, ``model``'s trainable weights do not ask for gradients; afterwards they do again.

    The graph is recorded during the forward pass, so a backward pass after the block still
    skips these weights: their gradients are neither computed nor stored.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (e.g. the discriminator), got {type(model).__name__}")
    trainable = [p for p in model.parameters() if p.requires_grad]
    for p in trainable:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in trainable:
            p.requires_grad_(True)


def _train_steps(generator, discriminator, real, config, rng, fixed_z, history, progress) -> None:
    """The loop of :func:`train_gan`: alternate D and G updates, log, keep snapshots."""
    from tqdm.auto import tqdm

    device = real.device
    opt_g = adam(generator.parameters(), lr=config.lr_g, betas=config.betas)
    opt_d = adam(discriminator.parameters(), lr=config.lr_d, betas=config.betas)
    sums = torch.zeros(4)  # running sums of d_loss, g_loss, D(x), D(G(z)) since the last log
    count = 0

    def noise() -> torch.Tensor:
        return torch.randn(config.batch_size, generator.z_dim, generator=rng).to(device)

    start = time.perf_counter()
    for step in tqdm(range(1, config.steps + 1), desc=f"training {type(generator).__name__}", disable=not progress,
                     mininterval=1.0):  # each redraw interrupts the two training threads
        # 1) the discriminator learns to tell real (label 1) from fake (label 0)
        fake = None
        for _ in range(config.d_steps):
            batch = real[torch.randint(len(real), (config.batch_size,), generator=rng).to(device)]
            fake = generator(noise())  # kept with its graph: step 2 reuses it
            real_logits, fake_logits = discriminator.logits(batch), discriminator.logits(fake.detach())
            loss_d = d_loss(real_logits, fake_logits, config.real_label)  # detached: D's loss does not move G
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
        # 2) the generator learns to make the updated D call the same fakes real
        if fake is None:  # d_steps=0: D is frozen, so draw the fakes here
            fake = generator(noise())
        with frozen(discriminator):  # D only judges here: no gradient for its weights (its next step would discard it)
            fake_logits = discriminator.logits(fake)
        loss_g = g_loss(fake_logits, config.generator_loss)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

        if config.d_steps:
            sums += torch.tensor([loss_d.item(), loss_g.item(), torch.sigmoid(real_logits).mean().item(),
                                  torch.sigmoid(fake_logits).mean().item()])
        else:
            sums += torch.tensor([float("nan"), loss_g.item(), float("nan"), torch.sigmoid(fake_logits).mean().item()])
        count += 1
        if step % config.log_every == 0 or step == config.steps:
            means = (sums / count).tolist()
            history.step.append(step)
            history.d_loss.append(means[0])
            history.g_loss.append(means[1])
            history.d_real.append(means[2])
            history.d_fake.append(means[3])
            sums.zero_()
            count = 0
        if step in config.snapshot_steps:
            history.snapshots[step] = _snapshot(generator, fixed_z)
            generator.train()
    history.seconds = time.perf_counter() - start


# --------------------------------------------------------------------------------------
# Pictures of training and of the latent space
# --------------------------------------------------------------------------------------


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

"""The generators and discriminators: the article's MLPs and a DCGAN, images ``(N, 1, 28, 28)`` in [-1, 1]."""

from __future__ import annotations

import torch
from torch import nn

from ..validate import check_choice, check_float_batch, check_int_compat
from .limits import IMAGE_SHAPE, IMAGE_SIZE, MAX_CHANNELS, MAX_Z_DIM


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

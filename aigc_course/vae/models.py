"""The article's fully connected VAE, and a small convolutional VAE, with one shared interface.

Every model here maps images ``x`` of shape ``(N, C, H, W)`` with pixel values in
[0, 1] to the parameters of a diagonal Gaussian posterior ``q(z | x)``
(``mu`` and ``logvar``, both ``(N, latent_dim)``), and maps a latent code ``z``
back to the *logits* of independent Bernoulli pixels, ``(N, C, H, W)``.

The article writes the decoder with a sigmoid at the end and a loss on
probabilities. We keep that interface (:meth:`BaseVAE.forward` returns
probabilities, exactly like the article's ``VAE.forward``) but compute the loss
from the logits, which is the same number without the ``log(0)`` trouble a
saturated sigmoid causes.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def _check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


class Encoder(nn.Module):
    """The article's encoder: ``x -> hidden (ReLU) -> (mu, logvar)``.

    Input ``(N, input_dim)`` flat vectors; outputs two ``(N, latent_dim)`` tensors.
    ``logvar`` is the log of the posterior variance, so any real number is valid
    and ``exp(logvar)`` is always positive.
    """

    def __init__(self, input_dim: int, hidden_dim: int, latent_dim: int):
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc_mu = nn.Linear(hidden_dim, latent_dim)
        self.fc_logvar = nn.Linear(hidden_dim, latent_dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = torch.relu(self.fc1(x))
        return self.fc_mu(h), self.fc_logvar(h)


class Decoder(nn.Module):
    """The article's decoder: ``z -> hidden (ReLU) -> output_dim`` pixel probabilities.

    ``forward`` ends with a sigmoid as in the article; :meth:`logits` is the same
    network without the sigmoid (used by the loss). Shapes: ``(N, latent_dim) ->
    (N, output_dim)``.
    """

    def __init__(self, latent_dim: int, hidden_dim: int, output_dim: int):
        super().__init__()
        self.fc1 = nn.Linear(latent_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(z)))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(z))


class BaseVAE(nn.Module):
    """What every VAE in the course shares: encode, reparameterise, decode.

    Subclasses set ``self.image_shape`` (e.g. ``(1, 28, 28)``) and
    ``self.latent_dim`` and implement :meth:`encode` and :meth:`decode_logits`.
    """

    image_shape: tuple[int, int, int]
    latent_dim: int

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Images ``(N, C, H, W)`` -> ``(mu, logvar)``, each ``(N, latent_dim)``."""
        raise NotImplementedError

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        """Latent codes ``(N, latent_dim)`` -> Bernoulli logits ``(N, C, H, W)``."""
        raise NotImplementedError

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Latent codes ``(N, latent_dim)`` -> pixel probabilities ``(N, C, H, W)`` in (0, 1)."""
        return torch.sigmoid(self.decode_logits(z))

    @staticmethod
    def reparameterize(
        mu: torch.Tensor, logvar: torch.Tensor, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """Draw ``z = mu + sigma * eps`` with ``eps ~ N(0, I)`` and ``sigma = exp(logvar / 2)``.

        The randomness lives in ``eps``, which does not depend on the parameters,
        so gradients flow through ``mu`` and ``sigma`` to the encoder: this is the
        reparameterisation trick.
        """
        eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
        return mu + eps * torch.exp(0.5 * logvar)

    def forward_logits(
        self, x: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One stochastic pass: ``(logits (N, C, H, W), mu, logvar)``; the loss uses this."""
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar, generator)
        return self.decode_logits(z), mu, logvar

    def forward(
        self, x: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The article's forward pass: ``(reconstruction probabilities, mu, logvar)``."""
        logits, mu, logvar = self.forward_logits(x, generator)
        return torch.sigmoid(logits), mu, logvar

    @property
    def config(self) -> dict[str, int]:
        """The constructor arguments, so a checkpoint can rebuild the model."""
        raise NotImplementedError


class VAE(BaseVAE):
    """The article's fully connected VAE (for MNIST: ``VAE(784, 400, 20)``).

    Images ``(N, 1, 28, 28)`` are flattened to ``(N, input_dim)`` for the
    encoder; the decoder's ``(N, input_dim)`` output is reshaped back to the image
    shape. ``image_shape`` must multiply out to ``input_dim``.
    """

    def __init__(
        self,
        input_dim: int = 784,
        hidden_dim: int = 400,
        latent_dim: int = 20,
        image_shape: tuple[int, int, int] = (1, 28, 28),
    ):
        super().__init__()
        for name, value in (("input_dim", input_dim), ("hidden_dim", hidden_dim), ("latent_dim", latent_dim)):
            _check_positive_int(name, value)
        if len(image_shape) != 3 or math.prod(image_shape) != input_dim:
            raise ValueError(
                f"image_shape {tuple(image_shape)} must be (C, H, W) with C*H*W == input_dim ({input_dim})"
            )
        self.input_dim, self.hidden_dim, self.latent_dim = input_dim, hidden_dim, latent_dim
        self.image_shape = tuple(int(s) for s in image_shape)
        self.encoder = Encoder(input_dim, hidden_dim, latent_dim)
        self.decoder = Decoder(latent_dim, hidden_dim, input_dim)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encoder(x.reshape(x.shape[0], -1))

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder.logits(z).view(z.shape[0], *self.image_shape)

    @property
    def config(self) -> dict[str, int]:
        c, h, w = self.image_shape
        return {"input_dim": self.input_dim, "hidden_dim": self.hidden_dim, "latent_dim": self.latent_dim,
                "channels": c, "height": h, "width": w}


class ConvVAE(BaseVAE):
    """A small convolutional VAE for 28x28 images.

    Encoder: two stride-2 convolutions (28 -> 14 -> 7) and a fully connected
    layer to ``(mu, logvar)``. Decoder: the mirror image, with transposed
    convolutions (7 -> 14 -> 28). Convolutions share weights across positions,
    which suits images and overfits less than a 784-wide dense layer on a small
    training set.
    """

    def __init__(self, latent_dim: int = 32, channels: int = 32, hidden_dim: int = 256, in_channels: int = 1):
        super().__init__()
        for name, value in (("latent_dim", latent_dim), ("channels", channels),
                            ("hidden_dim", hidden_dim), ("in_channels", in_channels)):
            _check_positive_int(name, value)
        self.latent_dim, self.channels, self.hidden_dim = latent_dim, channels, hidden_dim
        self.image_shape = (in_channels, 28, 28)
        c = channels
        self.encoder = nn.Sequential(
            nn.Conv2d(in_channels, c, 4, stride=2, padding=1), nn.ReLU(),   # (N, c, 14, 14)
            nn.Conv2d(c, 2 * c, 4, stride=2, padding=1), nn.ReLU(),         # (N, 2c, 7, 7)
            nn.Flatten(), nn.Linear(2 * c * 7 * 7, hidden_dim), nn.ReLU(),
        )
        self.fc_mu = nn.Linear(hidden_dim, latent_dim)
        self.fc_logvar = nn.Linear(hidden_dim, latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, hidden_dim), nn.ReLU(),
            nn.Linear(hidden_dim, 2 * c * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (2 * c, 7, 7)),
            nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1), nn.ReLU(),  # (N, c, 14, 14)
            nn.ConvTranspose2d(c, in_channels, 4, stride=2, padding=1),       # (N, C, 28, 28) logits
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        return self.fc_mu(h), self.fc_logvar(h)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    @property
    def config(self) -> dict[str, int]:
        return {"latent_dim": self.latent_dim, "channels": self.channels, "hidden_dim": self.hidden_dim,
                "in_channels": self.image_shape[0]}


def check_images(x: object, model: BaseVAE | None = None, name: str = "images") -> torch.Tensor:
    """Validate a batch of images at a public boundary and return it as a float tensor.

    Requires a 4-D floating tensor ``(N, C, H, W)`` with N >= 1, finite values in
    [0, 1], and (when ``model`` is given) ``(C, H, W) == model.image_shape``.
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (N, C, H, W), got {type(x).__name__}")
    if x.dim() != 4 or x.shape[0] < 1:
        raise ValueError(f"{name} must have shape (N, C, H, W) with N >= 1, got {tuple(x.shape)}")
    if model is not None and tuple(x.shape[1:]) != tuple(model.image_shape):
        raise ValueError(
            f"{name} have image shape {tuple(x.shape[1:])} but the model expects {tuple(model.image_shape)}"
        )
    if not x.is_floating_point():
        raise TypeError(f"{name} must be floating point with values in [0, 1], got dtype {x.dtype}")
    if not torch.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise ValueError(
            f"{name} must have finite values in [0, 1], got min {x.min().item():.4g} and max {x.max().item():.4g}"
        )
    return x


def build_model(kind: str, config: dict[str, int]) -> BaseVAE:
    """Rebuild a model from ``kind`` (``"VAE"`` or ``"ConvVAE"``) and its :attr:`config`."""
    if kind == "VAE":
        shape = (config["channels"], config["height"], config["width"])
        return VAE(config["input_dim"], config["hidden_dim"], config["latent_dim"], image_shape=shape)
    if kind == "ConvVAE":
        return ConvVAE(config["latent_dim"], config["channels"], config["hidden_dim"], config["in_channels"])
    raise ValueError(f"kind must be 'VAE' or 'ConvVAE', got {kind!r}")

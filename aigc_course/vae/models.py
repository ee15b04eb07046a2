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

from ..validate import check_choice, check_finite_tensor, check_float_batch, check_int, check_str

#: Upper bounds on layer sizes, so that a typo (``hidden_dim=10**9``) is refused at once
#: instead of trying to allocate terabytes. The lesson uses 784 inputs, 400 hidden units,
#: up to 32 latent dimensions and 32 channels.
MAX_WIDTH = 16_384      # input_dim, hidden_dim, latent_dim
MAX_CHANNELS = 512      # ConvVAE channels and in_channels


def _check_vae(model: object, name: str = "model") -> "BaseVAE":
    """``model`` if it is one of the course's VAEs (a :class:`BaseVAE`), else ``TypeError``."""
    if not isinstance(model, BaseVAE):
        raise TypeError(f"{name} must be a VAE (a BaseVAE such as VAE or ConvVAE), got {type(model).__name__}")
    return model


def _check_rng(generator: object) -> None:
    """A ``torch.Generator`` or ``None``."""
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")


def _check_widths(**widths: object) -> None:
    """Each layer width an int in [1, MAX_WIDTH], e.g. ``_check_widths(input_dim=784, hidden_dim=400)``."""
    for name, value in widths.items():
        check_int(value, name, minimum=1, maximum=MAX_WIDTH)


class Encoder(nn.Module):
    """The article's encoder: ``x -> hidden (ReLU) -> (mu, logvar)``.

    Input ``(N, input_dim)`` flat vectors; outputs two ``(N, latent_dim)`` tensors.
    ``logvar`` is the log of the posterior variance, so any real number is valid
    and ``exp(logvar)`` is always positive.
    """

    def __init__(self, input_dim: int, hidden_dim: int, latent_dim: int):
        super().__init__()
        _check_widths(input_dim=input_dim, hidden_dim=hidden_dim, latent_dim=latent_dim)
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc_mu = nn.Linear(hidden_dim, latent_dim)
        self.fc_logvar = nn.Linear(hidden_dim, latent_dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        check_float_batch(x, "x", (self.fc1.in_features,))
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
        _check_widths(latent_dim=latent_dim, hidden_dim=hidden_dim, output_dim=output_dim)
        self.fc1 = nn.Linear(latent_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, output_dim)

    def logits(self, z: torch.Tensor) -> torch.Tensor:
        check_float_batch(z, "z", (self.fc1.in_features,))
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
        _check_posterior(mu, logvar, generator)
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


def _check_posterior(mu: object, logvar: object, generator: object = None) -> None:
    """``mu`` and ``logvar``: float tensors of the same shape; ``generator``: a ``torch.Generator`` or ``None``."""
    for name, value in (("mu", mu), ("logvar", logvar)):
        if not isinstance(value, torch.Tensor) or not value.is_floating_point():
            raise TypeError(f"{name} must be a float torch.Tensor, got {type(value).__name__} "
                            f"{getattr(value, 'dtype', '')}".rstrip())
    if mu.shape != logvar.shape:
        raise ValueError(f"mu and logvar must have the same shape, got {tuple(mu.shape)} and {tuple(logvar.shape)}")
    _check_rng(generator)


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
        _check_widths(input_dim=input_dim, hidden_dim=hidden_dim, latent_dim=latent_dim)
        if not isinstance(image_shape, (tuple, list)):
            raise TypeError(f"image_shape must be a tuple (C, H, W), got {type(image_shape).__name__}")
        if len(image_shape) != 3:
            raise ValueError(f"image_shape must be (C, H, W), got {tuple(image_shape)}")
        image_shape = tuple(check_int(s, f"image_shape[{i}]", minimum=1, maximum=MAX_WIDTH)
                            for i, s in enumerate(image_shape))
        if math.prod(image_shape) != input_dim:
            raise ValueError(
                f"image_shape {tuple(image_shape)} must be (C, H, W) with C*H*W == input_dim ({input_dim})"
            )
        self.input_dim, self.hidden_dim, self.latent_dim = input_dim, hidden_dim, latent_dim
        self.image_shape = tuple(int(s) for s in image_shape)
        self.encoder = Encoder(input_dim, hidden_dim, latent_dim)
        self.decoder = Decoder(latent_dim, hidden_dim, input_dim)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Images ``(N, C, H, W)`` (or flat ``(N, input_dim)``) -> ``(mu, logvar)``, each ``(N, latent_dim)``."""
        if not (isinstance(x, torch.Tensor) and x.dim() == 2):
            check_float_batch(x, "x", self.image_shape)
        return self.encoder(x.reshape(x.shape[0], -1))

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder.logits(check_float_batch(z, "z", (self.latent_dim,))).view(z.shape[0], *self.image_shape)

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
        for name, value, top in (("latent_dim", latent_dim, MAX_WIDTH), ("channels", channels, MAX_CHANNELS),
                                 ("hidden_dim", hidden_dim, MAX_WIDTH), ("in_channels", in_channels, MAX_CHANNELS)):
            check_int(value, name, minimum=1, maximum=top)
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
        h = self.encoder(check_float_batch(x, "x", self.image_shape))
        return self.fc_mu(h), self.fc_logvar(h)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(check_float_batch(z, "z", (self.latent_dim,)))

    @property
    def config(self) -> dict[str, int]:
        return {"latent_dim": self.latent_dim, "channels": self.channels, "hidden_dim": self.hidden_dim,
                "in_channels": self.image_shape[0]}


def check_images(x: object, model: BaseVAE | None = None, name: str = "images") -> torch.Tensor:
    """Validate a batch of images at a public boundary and return it as a float tensor.

    Requires a 4-D floating tensor ``(N, C, H, W)`` with N >= 1, finite values in
    [0, 1], and (when ``model`` is given) ``(C, H, W) == model.image_shape``.
    """
    check_str(name, "name")
    if model is not None:
        _check_vae(model)
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
    check_finite_tensor(x, name)
    if x.min() < 0 or x.max() > 1:
        raise ValueError(
            f"{name} must have values in [0, 1], got min {x.min().item():.4g} and max {x.max().item():.4g}"
        )
    return x


def build_model(kind: str, config: dict[str, int]) -> BaseVAE:
    """Rebuild a model from ``kind`` (``"VAE"`` or ``"ConvVAE"``) and its :attr:`config`."""
    check_choice(kind, "kind", tuple(_CONFIG_KEYS))
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict, got {type(config).__name__}")
    missing = [key for key in _CONFIG_KEYS[kind] if key not in config]
    if missing:
        raise ValueError(f"config of a {kind} lacks {', '.join(missing)}; it needs {', '.join(_CONFIG_KEYS[kind])}")
    if kind == "VAE":
        shape = (config["channels"], config["height"], config["width"])
        return VAE(config["input_dim"], config["hidden_dim"], config["latent_dim"], image_shape=shape)
    return ConvVAE(config["latent_dim"], config["channels"], config["hidden_dim"], config["in_channels"])


_CONFIG_KEYS = {
    "VAE": ("input_dim", "hidden_dim", "latent_dim", "channels", "height", "width"),
    "ConvVAE": ("latent_dim", "channels", "hidden_dim", "in_channels"),
}

"""The networks that predict the noise: an MLP for 2-D points and a small U-Net for 28×28 digits.

Both are ``model(x_t, t, labels=None) -> eps_hat`` with ``eps_hat`` shaped like ``x_t``:
given a noisy sample and its step ``t`` (int64, ``(N,)``, in ``[0, T)``), they predict the
Gaussian noise that was added (the DDPM objective). The step enters through a sinusoidal
embedding, as positions do in a transformer. The U-Net is also class-conditional: ``labels``
``(N,)`` in ``0..9``, or :data:`NULL_LABEL` for "no label", which classifier-free guidance
needs (the model learns both by seeing the null label on a share of the training batches).
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from ..validate import check_int

#: The extra "class" that means "no label given" (digits are 0..9).
NULL_LABEL = 10
MAX_CHANNELS = 512


def check_labels(labels: object, count: int, *, allow_null: bool) -> None:
    """``labels`` must be ``None`` or an int64 tensor ``(count,)`` of digits 0..9 (or :data:`NULL_LABEL` if allowed)."""
    highest = NULL_LABEL if allow_null else NULL_LABEL - 1
    if labels is not None and (not isinstance(labels, torch.Tensor) or labels.shape != (count,)
                               or labels.dtype != torch.int64 or labels.min() < 0 or labels.max() > highest):
        allowed = f"digits 0..{NULL_LABEL - 1}" + (f" or {NULL_LABEL} (no label)" if allow_null else "")
        raise ValueError(f"labels must be None or an int64 tensor ({count},) of {allowed}")


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10_000.0) -> torch.Tensor:
    """Sinusoidal features of integer steps ``t`` ``(N,)``: ``(N, dim)``, half sines, half cosines.

    Frequency ``k`` is ``max_period ** (-k / (dim / 2))``: the fast ones tell neighbouring
    steps apart, the slow ones where in the whole process a step lies.
    """
    half = dim // 2
    frequencies = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    angles = t.float()[:, None] * frequencies[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class VectorDenoiser(nn.Module):
    """Noise predictor for vectors ``(N, dim)``: 2-D points of the toy, or a VAE's latent codes.

    An MLP reads the vector, its step's embedding and (when ``num_classes`` is given) a label
    embedding, and predicts the noise ``(N, dim)``.
    """

    def __init__(self, dim: int = 2, hidden: int = 128, time_dim: int = 32, num_classes: int | None = None) -> None:
        super().__init__()
        self.dim = check_int(dim, "dim", minimum=1, maximum=65_536)
        self.hidden = check_int(hidden, "hidden", minimum=1, maximum=8192)
        self.time_dim = check_int(time_dim, "time_dim", minimum=2, maximum=1024)
        self.num_classes = None if num_classes is None else check_int(num_classes, "num_classes", minimum=1,
                                                                      maximum=10_000)
        self.label_emb = None if num_classes is None else nn.Embedding(num_classes + 1, time_dim)
        self.net = nn.Sequential(
            nn.Linear(dim + time_dim, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, dim),
        )

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        condition = timestep_embedding(t, self.time_dim)
        if self.label_emb is not None:
            condition = condition + self.label_emb(torch.full_like(t, self.num_classes) if labels is None else labels)
        return self.net(torch.cat([x, condition], dim=1))


class ResBlock(nn.Module):
    """Two 3×3 convolutions with a skip connection; the step-and-label embedding shifts the features.

    ``(N, c_in, H, W)`` and an embedding ``(N, emb_dim)`` -> ``(N, c_out, H, W)``.
    """

    def __init__(self, c_in: int, c_out: int, emb_dim: int, groups: int = 8) -> None:
        super().__init__()
        self.norm1 = nn.GroupNorm(min(groups, c_in), c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.emb = nn.Linear(emb_dim, c_out)
        self.norm2 = nn.GroupNorm(min(groups, c_out), c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(emb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    """A small class-conditional U-Net for ``(N, 1, 28, 28)`` images in [-1, 1].

    First each 2×2 patch of pixels is folded into 4 channels (``pixel_unshuffle``), so the
    network works at 14×14 and 7×7, four times cheaper than at full size and with no loss of
    information; at the end the 4 output channels are unfolded back into 28×28 pixels.
    ``channels = (c14, c7)``: features at 14×14 and at 7×7. Down: a :class:`ResBlock` at 14,
    a strided convolution to 7, ``mid_blocks`` blocks at 7; up: back to 14 and one block
    reading the down path's features through the skip connection (concatenated). The step
    embedding and the label embedding are added into one vector that every block reads.
    """

    def __init__(self, channels: tuple[int, int] = (32, 64), mid_blocks: int = 2, emb_dim: int = 128,
                 num_classes: int = 10) -> None:
        super().__init__()
        if not isinstance(channels, (tuple, list)) or len(channels) != 2:
            raise TypeError(f"channels must be two ints (the 14x14 and 7x7 widths), got {channels!r}")
        c1, c2 = (check_int(c, f"channels[{i}]", minimum=8, maximum=MAX_CHANNELS) for i, c in enumerate(channels))
        self.channels = (c1, c2)
        self.mid_blocks = check_int(mid_blocks, "mid_blocks", minimum=0, maximum=16)
        self.emb_dim = check_int(emb_dim, "emb_dim", minimum=2, maximum=4096)
        self.num_classes = check_int(num_classes, "num_classes", minimum=1, maximum=10_000)
        self.time_mlp = nn.Sequential(nn.Linear(emb_dim, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        self.label_emb = nn.Embedding(num_classes + 1, emb_dim)  # the last row is the null label
        self.conv_in = nn.Conv2d(4, c1, 3, padding=1)
        self.down = ResBlock(c1, c1, emb_dim)
        self.to_7x7 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.mid = nn.ModuleList(ResBlock(c2, c2, emb_dim) for _ in range(self.mid_blocks))
        self.up = ResBlock(c2 + c1, c1, emb_dim)
        self.norm_out = nn.GroupNorm(min(8, c1), c1)
        self.conv_out = nn.Conv2d(c1, 4, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)  # start by predicting zero noise
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if labels is None:
            labels = torch.full_like(t, self.num_classes)
        emb = self.time_mlp(timestep_embedding(t, self.emb_dim)) + self.label_emb(labels)
        skip = self.down(self.conv_in(F.pixel_unshuffle(x, 2)), emb)    # (N, c14, 14, 14)
        h = self.to_7x7(skip)                                           # (N, c7, 7, 7)
        for block in self.mid:
            h = block(h, emb)
        h = F.interpolate(h, scale_factor=2, mode="nearest")           # 7 -> 14
        h = self.up(torch.cat([h, skip], dim=1), emb)
        return F.pixel_shuffle(self.conv_out(F.silu(self.norm_out(h))), 2)  # (N, 1, 28, 28)

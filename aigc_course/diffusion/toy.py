"""A 2-D distribution to watch diffusion work in seconds: points on a spiral."""

from __future__ import annotations

import math

import torch

from ..validate import check_float, check_int

MAX_POINTS = 1_000_000


def spiral_points(n: int = 2000, *, turns: float = 1.5, noise: float = 0.04, seed: int = 0) -> torch.Tensor:
    """``n`` points ``(n, 2)`` on a spiral of ``turns`` turns, scaled to about unit variance per axis.

    ``noise`` is the standard deviation of Gaussian jitter around the curve (after scaling).
    """
    n = check_int(n, "n", minimum=1, maximum=MAX_POINTS)
    turns = check_float(turns, "turns", minimum=0.1, maximum=10.0)
    noise = check_float(noise, "noise", minimum=0.0, maximum=1.0)
    seed = check_int(seed, "seed", minimum=0, maximum=2**63 - 1)
    generator = torch.Generator().manual_seed(seed)
    s = torch.rand(n, generator=generator).sqrt()           # more points on the outer, longer part
    angle = 2 * math.pi * turns * s
    points = torch.stack([s * torch.cos(angle), s * torch.sin(angle)], dim=1)
    points = points / points.std(dim=0)
    return points + noise * torch.randn(n, 2, generator=generator)

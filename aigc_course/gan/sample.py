"""Drawing images from a generator: latent vectors, samples, and paths through latent space."""

from __future__ import annotations

import torch
from torch import nn

from ..validate import check_bool, check_finite_tensor, check_float, check_float_batch, check_int_compat
from .limits import MAX_BATCH_SIZE, MAX_PATH_STEPS, MAX_SAMPLES, MAX_SEED, MAX_Z_DIM
from .models import _check_generator


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

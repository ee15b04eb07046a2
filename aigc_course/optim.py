"""The optimiser the course's small image models train with: Adam, fused where the device has the kernel.

PyTorch's *fused* Adam updates every parameter in one pass instead of a handful of
element-wise operations per tensor. The maths is Adam's (Kingma & Ba, 2015); only the
rounding of the update can differ in the last bits. For the small networks of the GAN
and VAE lessons the optimiser step is a large share of a training step on a CPU
(about a sixth of an MLP-GAN step), so this is where it pays.
"""

from __future__ import annotations

from typing import Iterable

import torch

__all__ = ["adam"]

# Devices whose PyTorch builds have the fused Adam kernel for float32 parameters.
_FUSED_DEVICES = ("cpu", "cuda")


def adam(parameters: Iterable[torch.nn.Parameter], *, lr: float, betas: tuple[float, float] = (0.9, 0.999),
         weight_decay: float = 0.0) -> torch.optim.Adam:
    """``torch.optim.Adam`` over ``parameters``, fused when they all live on a CPU or CUDA device.

    ``lr``, ``betas`` and ``weight_decay`` are Adam's (checked by the callers' boundaries).
    """
    parameters = list(parameters)
    fused = bool(parameters) and all(p.device.type in _FUSED_DEVICES and p.dtype == torch.float32
                                     for p in parameters)
    return torch.optim.Adam(parameters, lr=lr, betas=betas, weight_decay=weight_decay, fused=fused)

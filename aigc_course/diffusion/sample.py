"""Sampling: run the learned reverse process from pure noise, with DDPM's steps or DDIM's jumps.

With a class-conditional model, classifier-free guidance (Ho & Salimans 2021) mixes the
conditional and unconditional noise predictions,
``eps = eps(x, t) + w · (eps(x, t, y) - eps(x, t))``: ``w = 1`` is the plain conditional
model, ``w = 0`` ignores the label, ``w > 1`` pushes the sample further towards what makes
it look like its label (the ``guidance_scale`` of text-to-image pipelines).
"""

from __future__ import annotations

import torch
from torch import nn

from ..validate import check_bool, check_float, check_int
from .models import NULL_LABEL, check_labels
from .schedule import NoiseSchedule, ddim_step, ddim_timesteps, ddpm_step

MAX_SAMPLES = 1_000_000
MAX_GUIDANCE = 100.0


def guided_noise(model: nn.Module, x_t: torch.Tensor, t: int, labels: torch.Tensor | None,
                 guidance_scale: float) -> torch.Tensor:
    """The model's noise prediction at step ``t`` for the batch ``x_t``, with classifier-free guidance.

    Both predictions come from one forward pass over the batch stacked twice.
    """
    steps = torch.full((x_t.shape[0],), t, dtype=torch.int64)
    if labels is None or guidance_scale == 1.0:
        return model(x_t, steps, labels)
    if guidance_scale == 0.0:
        return model(x_t, steps, torch.full_like(labels, NULL_LABEL))
    both = model(torch.cat([x_t, x_t]), torch.cat([steps, steps]),
                 torch.cat([labels, torch.full_like(labels, NULL_LABEL)]))
    conditional, unconditional = both.chunk(2)
    return unconditional + guidance_scale * (conditional - unconditional)


@torch.no_grad()
def sample(
    model: nn.Module,
    schedule: NoiseSchedule,
    shape: tuple[int, ...],
    *,
    labels: torch.Tensor | None = None,
    guidance_scale: float = 1.0,
    sampling_steps: int | None = None,
    clip: bool = True,
    seed: int = 0,
    batch_size: int = 1000,
    keep_trajectory: bool = False,
) -> torch.Tensor | tuple[torch.Tensor, list[torch.Tensor]]:
    """Draw ``shape[0]`` samples of shape ``shape[1:]`` by running the reverse process.

    ``sampling_steps=None``: DDPM, all ``schedule.steps`` stochastic steps; an int ``n``:
    DDIM's ``n`` deterministic jumps. ``labels`` ``(N,)`` ask for digits (class-conditional
    models), mixed by ``guidance_scale`` (see the module docstring). ``clip``: clip the predicted
    clean sample to [-1, 1] (images). Samples are made ``batch_size`` at a time; the result is
    the same for a ``seed`` whatever the batch size. With ``keep_trajectory`` also returns the
    list of ``x_t`` after each step (starting with the pure noise), for drawing.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(schedule, NoiseSchedule):
        raise TypeError(f"schedule must be a NoiseSchedule, got {type(schedule).__name__}")
    if not isinstance(shape, (tuple, list)) or len(shape) < 2:
        raise TypeError(f"shape must be a tuple (N, ...) such as (100, 1, 28, 28), got {shape!r}")
    shape = tuple(check_int(s, f"shape[{i}]", minimum=1, maximum=MAX_SAMPLES) for i, s in enumerate(shape))
    n = shape[0]
    check_labels(labels, n, allow_null=True)
    guidance_scale = check_float(guidance_scale, "guidance_scale", minimum=0.0, maximum=MAX_GUIDANCE)
    if sampling_steps is not None:
        check_int(sampling_steps, "sampling_steps", minimum=1, maximum=schedule.steps)
    clip = check_bool(clip, "clip")
    seed = check_int(seed, "seed", minimum=0, maximum=2**63 - 1)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=MAX_SAMPLES)
    keep_trajectory = check_bool(keep_trajectory, "keep_trajectory")

    model.eval()
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=generator)
    # the step noise for sample i never depends on the batching: one generator per sample would be
    # slow, so draw all of each step's noise at once (ddpm only) and cut it into batches
    timesteps = list(range(schedule.steps - 1, -1, -1)) if sampling_steps is None else \
        ddim_timesteps(schedule, sampling_steps)
    trajectory = [x.clone()] if keep_trajectory else []
    for i, t in enumerate(timesteps):
        noise = torch.randn(shape, generator=generator) if sampling_steps is None and t > 0 else None
        t_prev = timesteps[i + 1] if i + 1 < len(timesteps) else -1
        for start in range(0, n, batch_size):
            part = slice(start, start + batch_size)
            eps = guided_noise(model, x[part], t, None if labels is None else labels[part], guidance_scale)
            if sampling_steps is None:
                x[part] = ddpm_step(schedule, eps, t, x[part], None if noise is None else noise[part], clip=clip)
            else:
                x[part] = ddim_step(schedule, eps, t, t_prev, x[part], clip=clip)
        if keep_trajectory:
            trajectory.append(x.clone())
    return (x, trajectory) if keep_trajectory else x

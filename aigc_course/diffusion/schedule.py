"""DDPM's noise schedule, written out: betas, alphas, their cumulative products, and the two steps.

Notation of Ho et al. (2020), "Denoising Diffusion Probabilistic Models": ``T`` steps,
``beta_t`` the noise variance added at step ``t``, ``alpha_t = 1 - beta_t`` and
``alpha_bar_t = alpha_1 · … · alpha_t``. Steps are numbered ``0 .. T-1`` in code (as in
``diffusers``). Everything is float32 on the CPU unless the inputs live elsewhere.

- forward (closed form): ``q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I)``,
  so ``x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps`` with ``eps ~ N(0, I)``;
- reverse (DDPM): from a predicted noise, the mean of ``q(x_{t-1} | x_t, x_0)`` plus fresh
  noise of the posterior variance ``beta~_t = (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) · beta_t``;
- reverse (DDIM, Song et al. 2021, ``eta = 0``): deterministic jumps between any two steps.

The functions mirror ``diffusers``' ``DDPMScheduler`` and ``DDIMScheduler`` with
``beta_schedule="linear"``, ``prediction_type="epsilon"``, ``variance_type="fixed_small"``
and (DDIM) ``timestep_spacing="trailing"``; ``tests/test_diffusion.py`` checks them number for number.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..validate import check_bool, check_float, check_int

MAX_TIMESTEPS = 100_000


@dataclass(frozen=True)
class NoiseSchedule:
    """The linear schedule of ``steps`` noise levels from ``beta_start`` to ``beta_end``.

    ``betas``, ``alphas`` and ``alpha_bars`` are float32 tensors of shape ``(steps,)``. The
    defaults are Ho et al.'s 1,000-step range (1e-4 to 0.02) scaled to 400 steps, so that, as
    there, the last step leaves almost no signal (``alpha_bar`` about 5e-5): sampling starts
    from pure noise, and the process must end there.
    """

    steps: int = 400
    beta_start: float = 2.5e-4
    beta_end: float = 0.05

    def __post_init__(self) -> None:
        check_int(self.steps, "steps", minimum=2, maximum=MAX_TIMESTEPS)
        check_float(self.beta_start, "beta_start", minimum=0.0, maximum=1.0, exclusive_minimum=True,
                    exclusive_maximum=True)
        check_float(self.beta_end, "beta_end", minimum=self.beta_start, maximum=1.0, exclusive_maximum=True)

    @property
    def betas(self) -> torch.Tensor:
        return torch.linspace(self.beta_start, self.beta_end, self.steps, dtype=torch.float32)

    @property
    def alphas(self) -> torch.Tensor:
        return 1.0 - self.betas

    @property
    def alpha_bars(self) -> torch.Tensor:
        return torch.cumprod(self.alphas, dim=0)

    def _check_steps(self, t: object) -> torch.Tensor:
        if not isinstance(t, torch.Tensor) or t.dtype not in (torch.int32, torch.int64) or t.dim() != 1:
            raise TypeError(f"t must be a 1-D int64 tensor of steps, one per sample, got {t!r:.80}")
        if t.numel() and (t.min() < 0 or t.max() >= self.steps):
            raise ValueError(f"t must hold steps in [0, {self.steps}), got {int(t.min())}..{int(t.max())}")
        return t


def _per_sample(values: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """``values`` ``(N,)`` shaped ``(N, 1, …)`` to broadcast over samples like ``like``."""
    return values.to(like.device, like.dtype).reshape(-1, *([1] * (like.dim() - 1)))


def add_noise(schedule: NoiseSchedule, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Sample ``q(x_t | x_0)`` in one go: ``sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise``.

    ``x0`` and ``noise`` ``(N, …)`` of one shape, ``t`` ``(N,)`` int64 steps in ``[0, T)``.
    """
    schedule._check_steps(t)
    if not isinstance(x0, torch.Tensor) or not isinstance(noise, torch.Tensor) or x0.shape != noise.shape:
        raise ValueError("x0 and noise must be tensors of the same shape")
    if x0.shape[0] != t.shape[0]:
        raise ValueError(f"t must give one step per sample: {t.shape[0]} steps for {x0.shape[0]} samples")
    alpha_bar = _per_sample(schedule.alpha_bars[t.cpu()], x0)
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise


def predicted_x0(alpha_bar: torch.Tensor | float, x_t: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """The clean sample the predicted noise implies: invert ``x_t = sqrt(a) x0 + sqrt(1 - a) eps``."""
    alpha_bar = torch.as_tensor(alpha_bar, dtype=x_t.dtype)
    return (x_t - (1 - alpha_bar).sqrt() * eps) / alpha_bar.sqrt()


def ddpm_step(schedule: NoiseSchedule, eps: torch.Tensor, t: int, x_t: torch.Tensor,
              noise: torch.Tensor | None = None, clip: bool = True) -> torch.Tensor:
    """One ancestral step ``x_t -> x_{t-1}`` of DDPM from the predicted noise ``eps`` (shaped like ``x_t``).

    The predicted ``x_0`` is clipped to [-1, 1] when ``clip`` (the data's range). ``noise``:
    the fresh Gaussian noise (shaped like ``x_t``), needed for ``t > 0``; at ``t = 0`` none is added.
    """
    t = check_int(t, "t", minimum=0, maximum=schedule.steps - 1)
    clip = check_bool(clip, "clip")
    alpha_bar = schedule.alpha_bars[t]
    alpha_bar_prev = schedule.alpha_bars[t - 1] if t > 0 else torch.tensor(1.0)
    beta = 1 - alpha_bar / alpha_bar_prev                                  # = betas[t], up to rounding
    x0 = predicted_x0(alpha_bar, x_t, eps)
    if clip:
        x0 = x0.clamp(-1, 1)
    # the mean of q(x_{t-1} | x_t, x_0): a weighted blend of the predicted x_0 and x_t
    mean = (alpha_bar_prev.sqrt() * beta / (1 - alpha_bar)) * x0 \
        + ((1 - beta).sqrt() * (1 - alpha_bar_prev) / (1 - alpha_bar)) * x_t
    if t == 0:
        return mean
    if noise is None or noise.shape != x_t.shape:
        raise ValueError("noise (shaped like x_t) is needed for every step but the last")
    variance = ((1 - alpha_bar_prev) / (1 - alpha_bar) * beta).clamp(min=1e-20)
    return mean + variance.sqrt() * noise


def ddim_timesteps(schedule: NoiseSchedule, sampling_steps: int) -> list[int]:
    """The ``sampling_steps`` steps DDIM visits, evenly spaced and ending at the noisiest, ``T - 1``.

    ``diffusers``' "trailing" spacing: ``round(T - k · T / n) - 1`` for ``k = 0 .. n-1``. (Its
    default "leading" spacing starts at ``(n - 1) · (T // n)``, a step that still holds signal,
    from pure noise; that costs quality when ``n`` is small.) :func:`~.sample.sample` jumps from each
    visited step to the next one; ``diffusers`` jumps to ``t - T // n``, which is the same step when
    ``n`` divides ``T`` (400 steps: 1, 2, 4, 5, 8, 10, 16, 20, 25, 40, ...).
    """
    n = check_int(sampling_steps, "sampling_steps", minimum=1, maximum=schedule.steps)
    return [round(schedule.steps - k * schedule.steps / n) - 1 for k in range(n)]


def ddim_step(schedule: NoiseSchedule, eps: torch.Tensor, t: int, t_prev: int, x_t: torch.Tensor,
              clip: bool = True) -> torch.Tensor:
    """One deterministic DDIM jump ``x_t -> x_{t_prev}`` (``eta = 0``; ``t_prev = -1`` means "to the data").

    Predict ``x_0`` from ``eps``, then put it back at the noise level of ``t_prev`` along
    the same predicted noise: ``sqrt(a_prev) x0 + sqrt(1 - a_prev) eps``.
    """
    t = check_int(t, "t", minimum=0, maximum=schedule.steps - 1)
    t_prev = check_int(t_prev, "t_prev", minimum=-1, maximum=t - 1)
    clip = check_bool(clip, "clip")
    alpha_bar = schedule.alpha_bars[t]
    alpha_bar_prev = schedule.alpha_bars[t_prev] if t_prev >= 0 else torch.tensor(1.0)
    x0 = predicted_x0(alpha_bar, x_t, eps)
    if clip:
        x0 = x0.clamp(-1, 1)
    return alpha_bar_prev.sqrt() * x0 + (1 - alpha_bar_prev).sqrt() * eps

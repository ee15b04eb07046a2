"""Checkers for notebook 07 (diffusion models). Reference solutions: ``solutions/ex07.py``.

Each checker first compares the answer with the realistic mistakes a learner makes (each
named in its own message), then with the right values on random inputs, so no shortcut
passes. torch is imported inside the functions, so listing the exercise ids stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import NotYet, exercise

if TYPE_CHECKING:
    import torch


def _not_yet(message: str) -> NotYet:
    return NotYet(message if message.endswith(".") else message + ".")


def _call(function: object, *args: object) -> "torch.Tensor":
    import torch

    if not callable(function):
        raise _not_yet(f"the answer should be a function, got {type(function).__name__}")
    value = function(*args)
    if not isinstance(value, torch.Tensor):
        raise _not_yet(f"the function should return a torch.Tensor, got {type(value).__name__}")
    return value


def _same(a: "torch.Tensor", b: "torch.Tensor") -> bool:
    import torch

    return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), rtol=1e-5, atol=1e-5))


def _tensors(seed: int, count: int) -> list["torch.Tensor"]:
    import torch

    generator = torch.Generator().manual_seed(seed)
    return [torch.randn((3, 1, 4, 4), generator=generator) for _ in range(count)]


def _judge(got: "torch.Tensor", expected: "torch.Tensor", mistakes: list[tuple["torch.Tensor", str]]) -> None:
    """Raise the message of the first mistake ``got`` equals, or a generic one, unless it is right."""
    if got.shape != expected.shape:
        raise _not_yet(f"the result should have the inputs' shape {tuple(expected.shape)}, got {tuple(got.shape)}")
    if _same(got, expected):
        return
    for wrong, message in mistakes:
        if _same(got, wrong):
            raise _not_yet(message)
    raise _not_yet(f"for random inputs the first value should be {expected.flatten()[0].item():.4f}, "
                   f"got {got.flatten()[0].item():.4f}")


# ---------------------------------------------------------------- 07.1 the forward process in one go

@exercise("07.1", "q(x_t | x_0) in closed form",
          hints=("x_t is a weighted mix of the clean image and the noise. The weights come from alpha_bar_t, "
                 "and the two *variances* they give add up to 1.",
                 "The mean is sqrt(alpha_bar) * x0, the standard deviation sqrt(1 - alpha_bar).",
                 "return alpha_bar ** 0.5 * x0 + (1 - alpha_bar) ** 0.5 * noise"))
def _(add_noise: Callable) -> str:
    x0, noise = _tensors(1, 2)
    alpha_bar = 0.3
    got = _call(add_noise, x0.clone(), noise.clone(), alpha_bar)
    a = alpha_bar
    _judge(got, a ** 0.5 * x0 + (1 - a) ** 0.5 * noise, [
        (a * x0 + (1 - a) * noise, "you weighted x0 and the noise by alpha_bar and 1 - alpha_bar: those are "
                                   "the variances; the weights are their square roots"),
        (a ** 0.5 * x0 + (1 - a) * noise, "the noise is scaled by 1 - alpha_bar, its variance: scale it by the "
                                          "standard deviation sqrt(1 - alpha_bar)"),
        ((1 - a) ** 0.5 * x0 + a ** 0.5 * noise, "the two weights are swapped: alpha_bar_t is the share of the "
                                                 "*signal* that is left, so it goes with x0"),
        (x0 + (1 - a) ** 0.5 * noise, "x0 is not scaled down: without sqrt(alpha_bar) the variance of x_t grows "
                                      "with t instead of staying 1"),
    ])
    return "One line gives any step of the forward process: training needs no loop over t."


# ---------------------------------------------------------------- 07.2 the DDIM step

@exercise("07.2", "a deterministic DDIM step",
          hints=("First undo the noising: which x0 would give x_t with the predicted noise eps at level alpha_bar_t? "
                 "Then noise that x0 again, to the level alpha_bar_prev, with the same eps.",
                 "x0 = (x_t - sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_bar_t); the new sample is "
                 "sqrt(alpha_bar_prev) * x0 + sqrt(1 - alpha_bar_prev) * eps.",
                 "x0 = (x_t - (1 - alpha_bar_t) ** 0.5 * eps) / alpha_bar_t ** 0.5\n"
                 "return alpha_bar_prev ** 0.5 * x0 + (1 - alpha_bar_prev) ** 0.5 * eps"))
def _(ddim_step: Callable) -> str:
    x_t, eps = _tensors(2, 2)
    a, a_prev = 0.2, 0.6
    got = _call(ddim_step, x_t.clone(), eps.clone(), a, a_prev)
    x0 = (x_t - (1 - a) ** 0.5 * eps) / a ** 0.5
    swapped_x0 = (x_t - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5
    _judge(got, a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps, [
        (x0, "you return the predicted x0: that jumps straight to the data; DDIM moves to the next noise "
             "level, alpha_bar_prev, by putting the predicted noise back"),
        (a_prev ** 0.5 * x0, "the noise direction is missing: after scaling x0 to the level alpha_bar_prev, add "
                             "sqrt(1 - alpha_bar_prev) * eps"),
        (a_prev ** 0.5 * swapped_x0 + (1 - a_prev) ** 0.5 * eps,
         "x0 was predicted with alpha_bar_prev; the sample you are given is at the level alpha_bar_t"),
        (a ** 0.5 * (x_t - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5 + (1 - a) ** 0.5 * eps,
         "alpha_bar_t and alpha_bar_prev are swapped"),
        (a_prev * (x_t - (1 - a) * eps) / a + (1 - a_prev) * eps,
         "you used the alpha_bars themselves as weights; the weights are their square roots"),
    ])
    return "With eta = 0 every step is deterministic, so a few large jumps can replace DDPM's hundreds of steps."


# ---------------------------------------------------------------- 07.3 classifier-free guidance

@exercise("07.3", "classifier-free guidance",
          hints=("Start from the unconditional prediction and move along the direction the label adds, "
                 "eps_cond - eps_uncond, by the guidance scale.",
                 "With scale 0 you get eps_uncond, with scale 1 eps_cond, beyond 1 further past it.",
                 "return eps_uncond + scale * (eps_cond - eps_uncond)"))
def _(guide: Callable) -> str:
    eps_cond, eps_uncond = _tensors(3, 2)
    scale = 3.0
    got = _call(guide, eps_cond.clone(), eps_uncond.clone(), scale)
    _judge(got, eps_uncond + scale * (eps_cond - eps_uncond), [
        (eps_cond + scale * (eps_cond - eps_uncond),
         "that is the paper's (1 + w) form: here the scale counts from the unconditional prediction, so scale 1 "
         "must give eps_cond exactly (as guidance_scale does in diffusers)"),
        (eps_cond + scale * (eps_uncond - eps_cond), "the direction is reversed: guidance moves *away* from the "
                                                     "unconditional prediction, towards and past eps_cond"),
        (scale * eps_cond, "the unconditional prediction is missing: guidance mixes the two predictions"),
        (eps_uncond + scale * eps_cond, "add the difference eps_cond - eps_uncond, not eps_cond itself"),
        (eps_cond + scale * eps_uncond, "add the difference eps_cond - eps_uncond, not eps_uncond itself"),
    ])
    ones, zeros = eps_cond.clone(), eps_uncond.clone()
    if not _same(_call(guide, ones, zeros, 1.0), eps_cond):
        raise _not_yet("with scale 1 the guided prediction must equal eps_cond")
    return "This one line is the guidance_scale of every text-to-image pipeline; here the label plays the prompt."

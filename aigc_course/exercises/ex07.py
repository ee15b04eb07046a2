"""Checkers for notebook 07 (diffusion models). Reference solutions: ``solutions/ex07.py``.

Each checker first compares the answer with the realistic mistakes a learner makes (each
named in its own message), then with the right values on random inputs, so no shortcut
passes. torch is imported inside the functions, so listing the exercise ids stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..language import Text, tr
from . import NotYet, exercise

if TYPE_CHECKING:
    import torch


def _not_yet(message: str) -> NotYet:
    return NotYet(message if message.endswith((".", "。")) else message + tr(".", "。"))


def _call(function: object, *args: object) -> "torch.Tensor":
    import torch

    if not callable(function):
        raise _not_yet(tr(f"the answer should be a function, got {type(function).__name__}",
                          f"答案应当是一个函数，却得到了 {type(function).__name__}"))
    value = function(*args)
    if not isinstance(value, torch.Tensor):
        raise _not_yet(tr(f"the function should return a torch.Tensor, got {type(value).__name__}",
                          f"函数应当返回 torch.Tensor，却返回了 {type(value).__name__}"))
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
        raise _not_yet(tr(f"the result should have the inputs' shape {tuple(expected.shape)}, got {tuple(got.shape)}",
                          f"结果的形状应与输入相同，即 {tuple(expected.shape)}，却得到了 {tuple(got.shape)}"))
    if _same(got, expected):
        return
    for wrong, message in mistakes:
        if _same(got, wrong):
            raise _not_yet(message)
    raise _not_yet(tr(f"for random inputs the first value should be {expected.flatten()[0].item():.4f}, "
                      f"got {got.flatten()[0].item():.4f}",
                      f"对随机输入，结果的第一个值应为 {expected.flatten()[0].item():.4f}，"
                      f"你的结果是 {got.flatten()[0].item():.4f}"))


# ---------------------------------------------------------------- 07.1 the forward process in one go

@exercise("07.1", Text("q(x_t | x_0) in closed form", "q(x_t | x_0) 的闭式解"),
          hints=(Text("x_t is a weighted mix of the clean image and the noise. The weights come from alpha_bar_t, "
                      "and the two *variances* they give add up to 1.",
                      "x_t 是干净图像与噪声的加权混合。权重由 alpha_bar_t 决定，它们给出的两个*方差*之和为 1。"),
                 Text("The mean is sqrt(alpha_bar) * x0, the standard deviation sqrt(1 - alpha_bar).",
                      "均值是 sqrt(alpha_bar) * x0，标准差是 sqrt(1 - alpha_bar)。"),
                 Text("return alpha_bar ** 0.5 * x0 + (1 - alpha_bar) ** 0.5 * noise",
                      "一行即可：\nreturn alpha_bar ** 0.5 * x0 + (1 - alpha_bar) ** 0.5 * noise")))
def _(add_noise: Callable) -> str:
    x0, noise = _tensors(1, 2)
    alpha_bar = 0.3
    got = _call(add_noise, x0.clone(), noise.clone(), alpha_bar)
    a = alpha_bar
    _judge(got, a ** 0.5 * x0 + (1 - a) ** 0.5 * noise, [
        (a * x0 + (1 - a) * noise, tr("you weighted x0 and the noise by alpha_bar and 1 - alpha_bar: those are "
                                      "the variances; the weights are their square roots",
                                      "你用 alpha_bar 和 1 - alpha_bar 给 x0 和噪声加权：这两个是方差，"
                                      "权重应是它们的平方根")),
        (a ** 0.5 * x0 + (1 - a) * noise, tr("the noise is scaled by 1 - alpha_bar, its variance: scale it by the "
                                             "standard deviation sqrt(1 - alpha_bar)",
                                             "噪声乘的是 1 - alpha_bar，也就是它的方差：应乘以标准差 "
                                             "sqrt(1 - alpha_bar)")),
        ((1 - a) ** 0.5 * x0 + a ** 0.5 * noise, tr("the two weights are swapped: alpha_bar_t is the share of the "
                                                    "*signal* that is left, so it goes with x0",
                                                    "两个权重颠倒了：alpha_bar_t 是*信号*保留下来的比例，"
                                                    "所以它属于 x0")),
        (x0 + (1 - a) ** 0.5 * noise, tr("x0 is not scaled down: without sqrt(alpha_bar) the variance of x_t grows "
                                         "with t instead of staying 1",
                                         "x0 没有缩小：不乘 sqrt(alpha_bar)，x_t 的方差会随 t 增大，"
                                         "而不是保持为 1")),
    ])
    return tr("One line gives any step of the forward process: training needs no loop over t.",
              "一行代码就能得到前向过程的任意一步：训练时无需对 t 循环。")


# ---------------------------------------------------------------- 07.2 the DDIM step

@exercise("07.2", Text("a deterministic DDIM step", "确定性的 DDIM 单步更新"),
          hints=(Text("First undo the noising: which x0 would give x_t with the predicted noise eps at level "
                      "alpha_bar_t? Then noise that x0 again, to the level alpha_bar_prev, with the same eps.",
                      "先撤销加噪：在噪声水平 alpha_bar_t 下，哪个 x0 配上预测的噪声 eps 会得到 x_t？"
                      "再用同一个 eps 把这个 x0 重新加噪到水平 alpha_bar_prev。"),
                 Text("x0 = (x_t - sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_bar_t); the new sample is "
                      "sqrt(alpha_bar_prev) * x0 + sqrt(1 - alpha_bar_prev) * eps.",
                      "x0 = (x_t - sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_bar_t)；新样本为 "
                      "sqrt(alpha_bar_prev) * x0 + sqrt(1 - alpha_bar_prev) * eps。"),
                 Text("x0 = (x_t - (1 - alpha_bar_t) ** 0.5 * eps) / alpha_bar_t ** 0.5\n"
                      "return alpha_bar_prev ** 0.5 * x0 + (1 - alpha_bar_prev) ** 0.5 * eps",
                      "两行即可：\n"
                      "x0 = (x_t - (1 - alpha_bar_t) ** 0.5 * eps) / alpha_bar_t ** 0.5\n"
                      "return alpha_bar_prev ** 0.5 * x0 + (1 - alpha_bar_prev) ** 0.5 * eps")))
def _(ddim_step: Callable) -> str:
    x_t, eps = _tensors(2, 2)
    a, a_prev = 0.2, 0.6
    got = _call(ddim_step, x_t.clone(), eps.clone(), a, a_prev)
    x0 = (x_t - (1 - a) ** 0.5 * eps) / a ** 0.5
    swapped_x0 = (x_t - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5
    _judge(got, a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps, [
        (x0, tr("you return the predicted x0: that jumps straight to the data; DDIM moves to the next noise "
                "level, alpha_bar_prev, by putting the predicted noise back",
                "你返回的是预测的 x0：这会直接跳到数据；DDIM 要把预测的噪声加回去，"
                "移到下一个噪声水平 alpha_bar_prev")),
        (a_prev ** 0.5 * x0, tr("the noise direction is missing: after scaling x0 to the level alpha_bar_prev, add "
                                "sqrt(1 - alpha_bar_prev) * eps",
                                "缺少噪声方向：把 x0 缩放到水平 alpha_bar_prev 之后，"
                                "还要加上 sqrt(1 - alpha_bar_prev) * eps")),
        (a_prev ** 0.5 * swapped_x0 + (1 - a_prev) ** 0.5 * eps,
         tr("x0 was predicted with alpha_bar_prev; the sample you are given is at the level alpha_bar_t",
            "你用 alpha_bar_prev 预测了 x0，但给你的样本处在水平 alpha_bar_t")),
        (a ** 0.5 * (x_t - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5 + (1 - a) ** 0.5 * eps,
         tr("alpha_bar_t and alpha_bar_prev are swapped", "alpha_bar_t 与 alpha_bar_prev 用反了")),
        (a_prev * (x_t - (1 - a) * eps) / a + (1 - a_prev) * eps,
         tr("you used the alpha_bars themselves as weights; the weights are their square roots",
            "你直接用 alpha_bar 本身作权重，权重应是它们的平方根")),
    ])
    return tr("With eta = 0 every step is deterministic, so a few large jumps can replace DDPM's hundreds of steps.",
              "eta = 0 时每一步都是确定性的，所以几次大跨步就能代替 DDPM 的数百步。")


# ---------------------------------------------------------------- 07.3 classifier-free guidance

@exercise("07.3", Text("classifier-free guidance", "无分类器引导"),
          hints=(Text("Start from the unconditional prediction and move along the direction the label adds, "
                      "eps_cond - eps_uncond, by the guidance scale.",
                      "从无条件预测出发，沿着标签带来的方向 eps_cond - eps_uncond 移动，移动多远由引导强度决定。"),
                 Text("With scale 0 you get eps_uncond, with scale 1 eps_cond, beyond 1 further past it.",
                      "scale 为 0 时得到 eps_uncond，为 1 时得到 eps_cond，大于 1 时越过 eps_cond 继续向前。"),
                 Text("return eps_uncond + scale * (eps_cond - eps_uncond)",
                      "一行即可：\nreturn eps_uncond + scale * (eps_cond - eps_uncond)")))
def _(guide: Callable) -> str:
    eps_cond, eps_uncond = _tensors(3, 2)
    scale = 3.0
    got = _call(guide, eps_cond.clone(), eps_uncond.clone(), scale)
    _judge(got, eps_uncond + scale * (eps_cond - eps_uncond), [
        (eps_cond + scale * (eps_cond - eps_uncond),
         tr("that is the paper's (1 + w) form: here the scale counts from the unconditional prediction, so scale 1 "
            "must give eps_cond exactly (as guidance_scale does in diffusers)",
            "这是论文里的 (1 + w) 形式：这里的 scale 从无条件预测算起，所以 scale 为 1 时必须恰好得到 eps_cond"
            "（与 diffusers 的 guidance_scale 一致）")),
        (eps_cond + scale * (eps_uncond - eps_cond), tr("the direction is reversed: guidance moves *away* from the "
                                                        "unconditional prediction, towards and past eps_cond",
                                                        "方向反了：引导是*远离*无条件预测，朝 eps_cond 移动并越过它")),
        (scale * eps_cond, tr("the unconditional prediction is missing: guidance mixes the two predictions",
                              "缺少无条件预测：引导要把两个预测结合起来")),
        (eps_uncond + scale * eps_cond, tr("add the difference eps_cond - eps_uncond, not eps_cond itself",
                                           "要加的是差 eps_cond - eps_uncond，而不是 eps_cond 本身")),
        (eps_cond + scale * eps_uncond, tr("add the difference eps_cond - eps_uncond, not eps_uncond itself",
                                           "要加的是差 eps_cond - eps_uncond，而不是 eps_uncond 本身")),
    ])
    ones, zeros = eps_cond.clone(), eps_uncond.clone()
    if not _same(_call(guide, ones, zeros, 1.0), eps_cond):
        raise _not_yet(tr("with scale 1 the guided prediction must equal eps_cond",
                          "scale 为 1 时，引导后的预测必须等于 eps_cond"))
    return tr("This one line is the guidance_scale of every text-to-image pipeline; here the label plays the prompt.",
              "每条文生图流水线里的 guidance_scale 就是这一行；这里由标签充当提示词。")

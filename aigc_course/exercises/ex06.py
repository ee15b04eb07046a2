"""Checkers for notebook 06 (variational autoencoders). Reference solutions: ``solutions/ex06.py``.

Each checker first compares the answer with the realistic mistakes a learner makes
(each named in its own message), then with the right values on several cases
(random inputs, the prior itself, extreme log-weights), so no shortcut passes.
torch is imported inside the functions, so listing the exercise ids (a career plan does) stays light.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..language import Text, tr
from . import NotYet, as_number, exercise

if TYPE_CHECKING:
    import torch


def _not_yet(message: str | Text) -> NotYet:
    """The checker's verdict, as one sentence ending in a full stop (。 in Chinese)."""
    message = str(message)
    return NotYet(message if message.endswith((".", "。")) else message + tr(".", "。"))


def _test_inputs(seed: int = 5) -> tuple[torch.Tensor, torch.Tensor]:
    import torch

    g = torch.Generator().manual_seed(seed)
    mu = torch.randn((6, 4), generator=g) * 1.5
    logvar = torch.randn((6, 4), generator=g)  # about half of the entries are negative (sigma < 1)
    return mu, logvar


def _call(function: object, *args: object) -> object:
    if not callable(function):
        raise _not_yet(tr(f"the answer should be a function, got {type(function).__name__}",
                          f"答案应当是一个函数，却得到了 {type(function).__name__}"))
    return function(*args)


def _as_tensor(value: object, what: str) -> torch.Tensor:
    """A tensor (a NumPy array is accepted too), as float64 for the comparisons."""
    import torch

    if not isinstance(value, torch.Tensor):
        try:
            import numpy as np
        except ImportError:  # pragma: no cover - NumPy comes with torch here
            np = None
        if np is None or not isinstance(value, np.ndarray):
            raise _not_yet(tr(f"{what} should return a torch.Tensor, got {type(value).__name__}",
                              f"{what} 应当返回 torch.Tensor，却得到了 {type(value).__name__}"))
        value = torch.from_numpy(value)
    return value


def _same(a: torch.Tensor, b: torch.Tensor, rtol: float = 1e-4, atol: float = 1e-4) -> bool:
    import torch

    return a.shape == b.shape and bool(torch.allclose(a.detach().double(), b.detach().double(), rtol=rtol, atol=atol))


def _first_row(t: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in t.detach().reshape(len(t), -1)[0].tolist()) + "]"


# ---------------------------------------------------------------- 06.1 the KL term

def _kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1)


# (a wrong formula, the message naming that mistake), tried on the random test inputs
_KL_MISTAKES = (
    (lambda mu, lv: 2 * _kl(mu, lv),
     Text("your values are exactly twice the right ones: the factor 1/2 in front is missing",
          "你的结果恰好是正确值的两倍：前面缺了因子 1/2。")),
    (lambda mu, lv: -_kl(mu, lv),
     Text("your values are negative: a KL divergence is never below 0, check the sign of the expression",
          "你的结果是负数：KL 散度永远不小于 0，请检查表达式的符号。")),
    (lambda mu, lv: _kl(mu, lv) / mu.shape[-1],
     Text("your values are D times too small (D = number of latent dimensions): you averaged over the "
          "dimensions, but the KL of independent dimensions adds up",
          "你的结果小了 D 倍（D 为潜变量的维数）：你对各维取了平均，而相互独立的各维的 KL 应当相加。")),
    (lambda mu, lv: 0.5 * (mu.pow(2) + lv - 1 - lv.exp()).sum(-1),
     Text("exp() is on the wrong term: the variance sigma^2 is exp(logvar), while log sigma^2 is logvar itself",
          "exp() 用错了项：方差 sigma^2 是 exp(logvar)，而 log sigma^2 就是 logvar 本身。")),
    (lambda mu, lv: 0.5 * (mu.pow(2) + (2 * lv).exp() - 1 - 2 * lv).sum(-1),
     Text("you treated logvar as log sigma; it is log sigma^2, the log of the variance",
          "你把 logvar 当成了 log sigma；它是 log sigma^2，即方差的对数。")),
    (lambda mu, lv: 0.5 * (mu.pow(2) + (0.5 * lv).exp() - 1 - lv).sum(-1),
     Text("you used the standard deviation exp(logvar / 2) where the variance belongs",
          "该用方差的地方，你用了标准差 exp(logvar / 2)。")),
    (lambda mu, lv: 0.5 * (lv.exp() - 1 - lv).sum(-1),
     Text("your KL ignores mu: a code whose mean sits far from 0 must cost more nats",
          "你的 KL 忽略了 mu：均值远离 0 的编码必须多花纳特。")),
)


@exercise("06.1", Text("closed-form KL to the standard normal", "到标准正态分布的闭式 KL"),
          hints=(Text("Work one latent dimension at a time: which mu and sigma make the KL exactly 0? Then add the "
                      "dimensions of each row (image) together.",
                      "一次只看一个潜变量维度：哪个 mu 和 sigma 使 KL 恰好为 0？然后把每一行（每张图像）的各维相加。"),
                 Text("logvar is log sigma^2, so sigma^2 = exp(logvar); the per-dimension KL uses mu^2, sigma^2, "
                      "a constant -1 and -log sigma^2, all times 1/2.",
                      "logvar 是 log sigma^2，所以 sigma^2 = exp(logvar)；每一维的 KL 由 mu^2、sigma^2、"
                      "常数 -1 和 -log sigma^2 组成，整体乘以 1/2。"),
                 Text("0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=-1)",
                      "写成代码：0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=-1)")))
def _(kl):
    import torch

    mu, logvar = _test_inputs()
    got = _as_tensor(_call(kl, mu.clone(), logvar.clone()), "kl(mu, logvar)")
    expected = _kl(mu, logvar)
    if got.shape == mu.shape:
        raise _not_yet(tr(f"for mu and logvar of shape {tuple(mu.shape)} you return one value per latent dimension, "
                          f"shape {tuple(got.shape)}; the KL of an image is one number per row, "
                          f"shape {tuple(expected.shape)}",
                          f"mu 和 logvar 的形状为 {tuple(mu.shape)} 时，你为每个潜变量维度各返回了一个值，"
                          f"形状为 {tuple(got.shape)}；一张图像的 KL 是每行一个数，形状为 {tuple(expected.shape)}。"))
    if got.numel() == 1:
        raise _not_yet(tr(f"you return a single number for the whole batch; the KL should be one value per row "
                          f"(image), shape {tuple(expected.shape)}",
                          f"你为整个小批量只返回了一个数；KL 应当每行（每张图像）一个值，形状为 {tuple(expected.shape)}。"))
    if got.shape != expected.shape:
        raise _not_yet(tr(f"for mu and logvar of shape {tuple(mu.shape)} the result should have shape "
                          f"{tuple(expected.shape)} (one KL per row), got {tuple(got.shape)}",
                          f"mu 和 logvar 的形状为 {tuple(mu.shape)} 时，结果的形状应为 {tuple(expected.shape)}"
                          f"（每行一个 KL），你得到的是 {tuple(got.shape)}。"))
    if not _same(got, expected):
        for mistake, message in _KL_MISTAKES:
            if _same(got, mistake(mu, logvar)):
                raise _not_yet(message)
    zero = _as_tensor(_call(kl, torch.zeros(2, 3), torch.zeros(2, 3)), "kl(0, 0)")
    if not _same(zero, torch.zeros(2), atol=1e-6):
        raise _not_yet(tr(f"KL(N(0, 1) || N(0, 1)) must be 0 (a code equal to the prior costs nothing), "
                          f"your function gives {zero.detach().reshape(-1).tolist()}",
                          f"KL(N(0, 1) || N(0, 1)) 必须为 0（与先验相同的编码不花任何代价），"
                          f"你的函数给出的却是 {zero.detach().reshape(-1).tolist()}。"))
    if not _same(got, expected):
        raise _not_yet(tr(f"first row: expected {expected[0].item():.4f} nats, got {got[0].item():.4f}",
                          f"第一行：应为 {expected[0].item():.4f} 纳特，你得到的是 {got[0].item():.4f}。"))
    return tr("This is the KL term of the article's loss, one value per image.",
              "这就是原文损失中的 KL 项，每张图像一个值。")


# ---------------------------------------------------------------- 06.2 reparameterisation

_Z_MISTAKES = (
    (lambda mu, lv, eps: mu + lv * eps,
     Text("you scaled eps by logvar itself: logvar is the log of the variance, not the standard deviation",
          "你直接用 logvar 缩放了 eps：logvar 是方差的对数，不是标准差。")),
    (lambda mu, lv, eps: mu + lv.exp() * eps,
     Text("you scaled eps by the variance sigma^2 = exp(logvar); the noise is scaled by the standard deviation",
          "你用方差 sigma^2 = exp(logvar) 缩放了 eps；噪声应当按标准差缩放。")),
    (lambda mu, lv, eps: mu + (-0.5 * lv).exp() * eps,
     Text("you scaled eps by 1 / sigma: check the sign of the exponent",
          "你用 1 / sigma 缩放了 eps：请检查指数的符号。")),
    (lambda mu, lv, eps: mu + eps,
     Text("z ignores logvar: every latent coordinate gets the same spread 1, whatever the encoder asked for",
          "z 忽略了 logvar：不管编码器要求多大的离散程度，每个潜变量坐标得到的都是 1。")),
    (lambda mu, lv, eps: (0.5 * lv).exp() * eps,
     Text("z ignores mu: the draw must be centred on the encoder's mean",
          "z 忽略了 mu：抽样必须以编码器给出的均值为中心。")),
)


@exercise("06.2", Text("the reparameterisation trick", "重参数化技巧"),
          hints=(Text("logvar is log sigma^2. How do you get sigma back from it with torch operations?",
                      "logvar 是 log sigma^2。怎样用 torch 运算从它求回 sigma？"),
                 Text("sigma = exp(logvar / 2); then scale the given noise eps by sigma and shift it by mu.",
                      "sigma = exp(logvar / 2)；然后用 sigma 缩放给定的噪声 eps，再加上 mu 平移。"),
                 Text("return mu + torch.exp(0.5 * logvar) * eps",
                      "写成代码：return mu + torch.exp(0.5 * logvar) * eps")))
def _(reparameterize):
    import torch

    mu, logvar = _test_inputs(6)
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(7))
    expected = mu + torch.exp(0.5 * logvar) * eps
    z = _as_tensor(_call(reparameterize, mu.clone(), logvar.clone(), eps.clone()), "reparameterize(mu, logvar, eps)")
    if z.shape != mu.shape:
        raise _not_yet(tr(f"z should have the shape of mu {tuple(mu.shape)}, got {tuple(z.shape)}",
                          f"z 的形状应与 mu 相同，即 {tuple(mu.shape)}，你得到的是 {tuple(z.shape)}。"))
    if not torch.isfinite(z).all():
        raise _not_yet(tr("z has NaN or inf: logvar is often negative (sigma < 1), so its square root or log is not "
                          "a number; get sigma from logvar another way",
                          "z 中有 NaN 或 inf：logvar 常常是负数（sigma < 1），它的平方根或对数不是一个数；"
                          "请换一种方式从 logvar 求出 sigma。"))
    again = _as_tensor(_call(reparameterize, mu.clone(), logvar.clone(), eps.clone()), "reparameterize(mu, logvar, eps)")
    if not _same(z, again, atol=1e-6):
        raise _not_yet(tr("z changes between two calls with the same eps: use the eps you are given instead of "
                          "drawing new noise (that is what makes the step differentiable)",
                          "用同一个 eps 调用两次，z 却不一样：请使用传给你的 eps，不要自己抽取新的噪声"
                          "（正是这一点让这一步可微）。"))
    if not _same(z, expected):
        for mistake, message in _Z_MISTAKES:
            if _same(z, mistake(mu, logvar, eps)):
                raise _not_yet(message)
        raise _not_yet(tr(f"for the test inputs z is not the expected draw: first row expected {_first_row(expected)}, "
                          f"got {_first_row(z)}",
                          f"对测试输入，z 不是预期的抽样结果：第一行应为 {_first_row(expected)}，"
                          f"你得到的是 {_first_row(z)}。"))
    mu_, logvar_ = mu.clone().requires_grad_(True), logvar.clone().requires_grad_(True)
    z = _as_tensor(_call(reparameterize, mu_, logvar_, eps.clone()), "reparameterize(mu, logvar, eps)")
    if not z.requires_grad:
        raise _not_yet(tr("the values are right but no gradient reaches mu and logvar: z was cut off from them "
                          "(.detach(), .item(), torch.tensor(...) or torch.no_grad() break the chain)",
                          "数值对了，但梯度传不到 mu 和 logvar：z 与它们断开了"
                          "（.detach()、.item()、torch.tensor(...) 或 torch.no_grad() 都会切断这条链）。"))
    z.sum().backward()
    if mu_.grad is None or not torch.allclose(mu_.grad, torch.ones_like(mu)):
        raise _not_yet(tr("dz/dmu should be 1 everywhere; build z from mu itself, not from a detached copy",
                          "dz/dmu 应当处处为 1；请直接用 mu 本身构造 z，不要用分离（detach）出来的副本。"))
    if logvar_.grad is None or not torch.allclose(logvar_.grad, 0.5 * torch.exp(0.5 * logvar) * eps, atol=1e-5):
        raise _not_yet(tr("no (or the wrong) gradient reaches logvar: compute sigma from logvar itself, not from a "
                          "detached copy or a Python float",
                          "没有梯度（或梯度不对）传到 logvar：请直接用 logvar 本身计算 sigma，"
                          "不要用分离出来的副本或 Python 浮点数。"))
    return tr("Sampling is now a plain input (eps), so backpropagation reaches the encoder.",
              "抽样现在只是一个普通的输入（eps），因此反向传播能够传到编码器。")


# ---------------------------------------------------------------- 06.3 the IWAE bound

def _iwae(log_w: torch.Tensor) -> torch.Tensor:
    import torch

    return torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])


def _iwae_mistakes(log_w: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    import torch

    n, k = log_w.shape
    right, row_max = _iwae(log_w), log_w.max(dim=1).values
    return [
        (log_w.mean(dim=1), tr("that is the plain average of the log-weights: the ELBO, not the importance-weighted "
                               "bound (the average must be taken of the weights, not of their logs)",
                               "这是对数权重的简单平均：那是 ELBO，而不是重要性加权下界"
                               "（要平均的是权重本身，而不是它们的对数）。")),
        (right + math.log(k), tr(f"your bound is exactly log k = log {k} too high: you added the k weights up but "
                                 "did not average them over the draws",
                                 f"你的下界恰好高了 log k = log {k}：你把 k 个权重加了起来，却没有对各次抽样取平均。")),
        (right - row_max, tr("your bound is off by exactly each row's largest log-weight: you subtracted the maximum "
                             "inside the exp (which avoids underflow) but did not add it back outside the log",
                             "你的下界恰好差了每行最大的对数权重：你在 exp 里减去了最大值（以避免下溢），"
                             "却没有在 log 外面把它加回来。")),
        (right + math.log(k) - row_max, tr("your bound is off by each row's largest log-weight (the maximum was not "
                                           "added back after the log) and by log k (the weights were added up, not "
                                           "averaged)",
                                           "你的下界差了每行最大的对数权重（取对数之后没有把最大值加回来），"
                                           "还差了 log k（权重被加了起来，而没有取平均）。")),
        (torch.logsumexp(log_w, dim=1) / k, tr("you divided the log by k; the average over the k draws belongs "
                                               "inside the log",
                                               "你把对数除以了 k；对 k 次抽样取的平均应当放在对数里面。")),
        (right + math.log(k) - math.log(n), tr(f"you divided by the number of images N = {n}, not by the number of "
                                               f"draws k = {k}",
                                               f"你除以的是图像数 N = {n}，而不是抽样次数 k = {k}。")),
    ]


@exercise("06.3", Text("the importance-weighted bound", "重要性加权下界"),
          hints=(Text("Average the importance weights w = exp(log_w) over the k draws of each row, then take the log. "
                      "But exp(-200) is 0 in float32: never form the weights themselves.",
                      "对每行的 k 次抽样，先把重要性权重 w = exp(log_w) 取平均，再取对数。"
                      "但在 float32 中 exp(-200) 等于 0：永远不要直接算出权重本身。"),
                 Text("log mean exp(a) = m + log mean exp(a - m) for any m; with m = the largest log-weight of "
                      "each row nothing underflows. torch.logsumexp does this stabilisation for you.",
                      "对任意 m，log mean exp(a) = m + log mean exp(a - m)；取 m 为每行最大的对数权重，"
                      "就不会发生下溢。torch.logsumexp 会替你做这种稳定化处理。"),
                 Text("torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])",
                      "写成代码：torch.logsumexp(log_w, dim=1) - math.log(log_w.shape[1])")))
def _(iwae_bound):
    import torch

    g = torch.Generator().manual_seed(8)
    mild = torch.randn((5, 7), generator=g)                        # weights near 1: nothing can underflow
    got = _as_tensor(_call(iwae_bound, mild.clone()), "iwae_bound(log_w)")
    if got.shape == (7,):
        raise _not_yet(tr("log_w has shape (N, k) = (5, 7) and you return shape (7,), one value per draw: you combined "
                          "the images (dim=0) instead of the k draws of each image (dim=1)",
                          "log_w 的形状为 (N, k) = (5, 7)，你返回的形状却是 (7,)，每次抽样一个值："
                          "你合并的是各张图像（dim=0），而不是每张图像的 k 次抽样（dim=1）。"))
    if got.shape != (5,):
        raise _not_yet(tr(f"log_w has shape (N, k) = (5, 7); the bound should be one value per image, shape (5,), "
                          f"got {tuple(got.shape)}",
                          f"log_w 的形状为 (N, k) = (5, 7)；下界应当每张图像一个值，形状为 (5,)，"
                          f"你得到的是 {tuple(got.shape)}。"))
    if not _same(got, _iwae(mild), rtol=1e-5):
        for wrong, message in _iwae_mistakes(mild):
            if _same(got, wrong, rtol=1e-5):
                raise _not_yet(message)
        raise _not_yet(tr(f"for log-weights near 0 the bound of the first image should be {_iwae(mild)[0].item():.4f}, "
                          f"got {got[0].item():.4f}",
                          f"对数权重接近 0 时，第一张图像的下界应为 {_iwae(mild)[0].item():.4f}，"
                          f"你得到的是 {got[0].item():.4f}。"))
    tiny = mild * 3 - 200.0                                        # every exp(log_w) underflows to 0 in float32
    got = _as_tensor(_call(iwae_bound, tiny.clone()), "iwae_bound(log_w)")
    if not torch.isfinite(got).all():
        raise _not_yet(tr("right for log-weights near 0, but -inf (or NaN) for log-weights near -200: exp(-200) "
                          "underflows to 0 in float32 and log(0) = -inf, so the weights must never be formed as plain "
                          "exp(log_w)",
                          "对数权重接近 0 时是对的，但接近 -200 时得到 -inf（或 NaN）：在 float32 中 exp(-200) "
                          "下溢为 0，而 log(0) = -inf，所以绝不能直接用 exp(log_w) 算出权重。"))
    if not _same(got, _iwae(tiny), rtol=1e-5):
        raise _not_yet(tr(f"right for log-weights near 0, but for log-weights near -200 the first image's bound should "
                          f"be {_iwae(tiny)[0].item():.3f}, got {got[0].item():.3f}",
                          f"对数权重接近 0 时是对的，但对数权重接近 -200 时，第一张图像的下界应为 "
                          f"{_iwae(tiny)[0].item():.3f}，你得到的是 {got[0].item():.3f}。"))
    levels = torch.tensor([[0.0], [-50.0], [-300.0], [-1000.0], [-20.0]])
    spread = mild + levels                                         # rows far apart: one maximum cannot serve all
    got = _as_tensor(_call(iwae_bound, spread.clone()), "iwae_bound(log_w)")
    if not torch.isfinite(got).all():
        bad = [i for i, ok in enumerate(torch.isfinite(got).tolist()) if not ok]
        raise _not_yet(tr(f"rows {bad} (log-weights near {[levels[i].item() for i in bad]}) come out as -inf while the "
                          "row near 0 is fine: the maximum you factor out must be each row's own, not the largest "
                          "in the whole batch",
                          f"行 {bad}（对数权重分别接近 {[levels[i].item() for i in bad]}）得到 -inf，"
                          "而接近 0 的那一行没问题：提出来的最大值必须是每行自己的，而不是整个小批量中最大的那个。"))
    if not _same(got, _iwae(spread), rtol=1e-5):
        raise _not_yet(tr(f"for rows at very different levels the bounds should be "
                          f"{[round(v, 3) for v in _iwae(spread).tolist()]}, got {[round(v, 3) for v in got.tolist()]}",
                          f"各行的对数权重相差很大时，下界应为 {[round(v, 3) for v in _iwae(spread).tolist()]}，"
                          f"你得到的是 {[round(v, 3) for v in got.tolist()]}。"))
    single = mild[:, :1] - 100.0
    got = _as_tensor(_call(iwae_bound, single.clone()), "iwae_bound(log_w)")
    if not _same(got, single[:, 0], rtol=1e-5):
        raise _not_yet(tr("with k = 1 draw the bound must equal that draw's log-weight (the ELBO), "
                          f"got {got.reshape(-1)[:3].tolist()} for {single[:3, 0].tolist()}",
                          "只抽样 k = 1 次时，下界必须等于这次抽样的对数权重（即 ELBO），"
                          f"对于 {single[:3, 0].tolist()}，你得到的却是 {got.reshape(-1)[:3].tolist()}。"))
    return tr("With k = 1 it is the ELBO; as k grows it tightens towards log p(x).",
              "k = 1 时它就是 ELBO；随着 k 增大，它逐渐收紧，趋向 log p(x)。")


# ---------------------------------------------------------------- 06.4 bits per dimension

def _bits(nats: float, pixels: int) -> float:
    return nats / (pixels * math.log(2))


_BITS_MISTAKES = (
    (lambda nats, pixels: nats / pixels, Text("your value is per pixel but still in nats: a bit is not a nat",
                                              "你的结果是按像素计的，但单位仍是纳特：比特不等于纳特。")),
    (lambda nats, pixels: nats / math.log(2), Text("your value is in bits per image; the question asks per pixel "
                                                   "(per dimension)",
                                                   "你的结果是比特/图像；题目要的是每个像素（每一维）的值。")),
    (lambda nats, pixels: nats * math.log(2) / pixels, Text("converted the wrong way round: the same information takes "
                                                            "more bits than nats, so the number must grow",
                                                            "换算方向反了：同样的信息量，用比特表示比用纳特表示数值更大，"
                                                            "所以数字应当变大。")),
    (lambda nats, pixels: nats / (pixels * math.log(10)), Text("that is in decimal digits (log base 10), not bits "
                                                               "(log base 2)",
                                                               "这是以十进制位（以 10 为底的对数）为单位的，"
                                                               "而不是比特（以 2 为底）。")),
    (lambda nats, pixels: math.log2(nats) / pixels, Text("you took the log of the loss: the loss is already a log, "
                                                         "only its unit changes",
                                                         "你对损失取了对数：损失本身已经是对数，只需换算它的单位。")),
)


@exercise("06.4", Text("nats per image to bits per dimension", "从纳特/图像到比特/维"),
          hints=(Text("Two changes: per image -> per pixel, and nats (natural log) -> bits (log base 2).",
                      "两处变化：每张图像 -> 每个像素，纳特（自然对数）-> 比特（以 2 为底的对数）。"),
                 Text("One bit is ln 2 = 0.693 nats, so a loss in nats becomes a larger number in bits.",
                      "1 比特等于 ln 2 = 0.693 纳特，所以以纳特计的损失换算成比特后，数值会变大。"),
                 Text("nats_per_image / (pixels * math.log(2))",
                      "写成代码：nats_per_image / (pixels * math.log(2))")))
def _(bits_per_dim):
    for nats, pixels in ((100.0, 784), (math.log(2) * 784, 784), (50.0, 64), (3000.0, 3072)):
        got = as_number(_call(bits_per_dim, nats, pixels), f"bits_per_dim({nats:.4g}, {pixels})")
        expected = _bits(nats, pixels)
        if not math.isclose(got, expected, rel_tol=1e-6):
            for mistake, message in _BITS_MISTAKES:
                if math.isclose(got, mistake(nats, pixels), rel_tol=1e-6):
                    raise _not_yet(message)
            raise _not_yet(tr(f"bits_per_dim({nats:.4g}, {pixels}) should be {expected:.4f}, got {got:.4f}",
                              f"bits_per_dim({nats:.4g}, {pixels}) 应为 {expected:.4f}，你得到的是 {got:.4f}。"))
    return tr("100 nats per MNIST image is about 0.184 bits per pixel.",
              "每张 MNIST 图像 100 纳特，约合每像素 0.184 比特。")

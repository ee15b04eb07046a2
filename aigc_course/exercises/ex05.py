"""Checkers for notebook 05 (GANs). Reference solutions and known-wrong answers: ``solutions/ex05.py``.

Each checker tries cases a plausible wrong answer fails (confident logits of ±60 and
beyond, empty classes, equal and unequal spreads) and, when the answer is wrong,
recognises the usual mistakes by their values and names the one that was made.
"""

from __future__ import annotations

import math

from ..language import Text, tr
from . import NotYet, as_number, exercise


def _call(fn, *args):
    if not callable(fn):
        raise NotYet(tr(f"the answer should be a function, got {type(fn).__name__}",
                        f"答案应当是一个函数，却得到了 {type(fn).__name__}。"))
    return fn(*args)


def _close(a: float, b: float, rel: float = 1e-4) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= rel * max(1.0, abs(b))


def _loss_value(loss, what: str | None = None) -> float:
    """A loss as a Python float: a 0-d tensor, a NumPy scalar or a number; a batch of losses is refused.

    ``what`` names the loss in messages; it defaults to "the loss" (损失).
    """
    import torch

    what = tr("the loss", "损失") if what is None else what
    if isinstance(loss, torch.Tensor) and loss.numel() > 1:
        raise NotYet(tr(f"{what} should be one number for the whole batch, got a tensor of shape {tuple(loss.shape)}: "
                        "average the per-image losses",
                        f"{what}应当是整个小批量的一个数，却得到了形状为 {tuple(loss.shape)} 的张量："
                        "请对每张图像的损失取平均。"))
    return as_number(loss, what)


def _few(logits) -> str:
    """The first few logits of a case, rounded, for a message."""
    shown = ", ".join(f"{v:g}" for v in logits[:4].double().round(decimals=2).tolist())
    return f"[{shown}{', ...' if len(logits) > 4 else ''}]"


# --------------------------------------------------------------------------------------
# 05.1
# --------------------------------------------------------------------------------------


@exercise("05.1", Text("the discriminator loss from logits", "从 logits 计算判别器损失"),
          hints=(Text("Write log D(x) and log(1 - D(G(z))) in terms of the logit l itself, without computing "
                      "sigmoid(l) and then its log: section 2 shows which PyTorch function does that.",
                      "直接用 logit l 写出 log D(x) 和 log(1 - D(G(z)))，不要先算 sigmoid(l) 再取对数："
                      "第 2 节介绍了能做到这一点的 PyTorch 函数。"),
                 Text("log sigmoid(l) = -softplus(-l) and log(1 - sigmoid(l)) = -softplus(l); F.softplus is finite for "
                      "any logit. Average each half over its own batch, then add the two.",
                      "log sigmoid(l) = -softplus(-l)，log(1 - sigmoid(l)) = -softplus(l)；对任何 logit，"
                      "F.softplus 都是有限值。两部分各自在自己的小批量上取平均，再把两者相加。"),
                 Text("return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean(), or the same with "
                      "F.binary_cross_entropy_with_logits(real_logits, ones) + (fake_logits, zeros).",
                      "return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()；也可以用 "
                      "F.binary_cross_entropy_with_logits，写成 (real_logits, ones) 的结果加上 (fake_logits, zeros) 的结果。")))
def _(answer) -> str:
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(4)
    cases = [(torch.randn(16, generator=g), torch.randn(16, generator=g)),
             (torch.tensor([3.0, -2.0, 0.5, 1.0]), torch.tensor([-1.0, 4.0, 0.0, 2.5])),
             # a confident discriminator: real logits near +60, fake logits near -60 (and one very wrong one)
             (torch.tensor([60.0, 55.0, -40.0]), torch.tensor([-60.0, -55.0, 45.0])),
             # real and fake batches of different sizes: one mean over both together is not the same
             (torch.tensor([1.5, -0.5]), torch.tensor([0.5, -3.0, 2.0, 1.0, -1.0, 0.0]))]
    for real, fake in cases:
        real_part = F.softplus(-real).mean().item()   # -mean log D(x)
        fake_part = F.softplus(fake).mean().item()    # -mean log(1 - D(G(z)))
        expected = real_part + fake_part
        got = _loss_value(_call(answer, real.clone(), fake.clone()))
        shown = tr(f"for real logits {_few(real)} and fake logits {_few(fake)}",
                   f"真实图像的 logits 为 {_few(real)}、假样本的 logits 为 {_few(fake)} 时")
        if _close(got, expected):
            continue
        if not math.isfinite(got):
            raise NotYet(tr(f"{shown} your loss is {got}: sigmoid rounds to exactly 0 or 1 for such logits and its "
                            "log is -inf; stay in logit space instead of taking the log of sigmoid",
                            f"{shown}，你的损失为 {got}：对这样的 logit，sigmoid 会被舍入为恰好 0 或 1，"
                            "取对数就得到 -inf；请留在 logit 空间里计算，不要对 sigmoid 取对数。"))
        swapped = F.softplus(real).mean().item() + F.softplus(-fake).mean().item()
        pooled = torch.cat([F.softplus(-real), F.softplus(fake)]).mean().item()
        summed = F.softplus(-real).sum().item() + F.softplus(fake).sum().item()
        if _close(got, swapped):
            raise NotYet(tr(f"{shown} you get {got:.5f}: the labels are swapped, real images must be labelled 1 "
                            "(D(x) -> 1) and fakes 0",
                            f"{shown}，你得到 {got:.5f}：标签反了，真实图像的标签应为 1（D(x) -> 1），假样本的应为 0。"))
        if _close(got, -expected):
            raise NotYet(tr(f"{shown} you get {got:.5f}, the right value with the wrong sign: a loss is the "
                            "negative log-likelihood, which the discriminator minimises",
                            f"{shown}，你得到 {got:.5f}，数值对了，符号却反了：损失是负对数似然，判别器要把它最小化。"))
        if _close(got, real_part):
            raise NotYet(tr(f"{shown} you get {got:.5f}: only the real-image term; the fake-image term is missing",
                            f"{shown}，你得到 {got:.5f}：只有真实图像那一项，缺了假样本那一项。"))
        if _close(got, fake_part):
            raise NotYet(tr(f"{shown} you get {got:.5f}: only the fake-image term; the real-image term is missing",
                            f"{shown}，你得到 {got:.5f}：只有假样本那一项，缺了真实图像那一项。"))
        if _close(got, summed):
            raise NotYet(tr(f"{shown} you get {got:.5f}: summed over the images; each term is a mean over its batch",
                            f"{shown}，你得到 {got:.5f}：你对各图像求了和；每一项都应是在各自小批量上的平均值。"))
        if _close(got, pooled):
            raise NotYet(tr(f"{shown} you get {got:.5f}: one mean over the real and fake images pooled together; "
                            "each half is averaged over its own batch and the two means are added",
                            f"{shown}，你得到 {got:.5f}：你把真实图像和假样本合在一起取了一个平均值；"
                            "应当在各自的小批量上分别取平均，再把两个平均值相加。"))
        raise NotYet(tr(f"{shown} expected {expected:.5f} nats, got {got:.5f} (mean over each batch, real + fake)",
                        f"{shown}，应为 {expected:.5f} 纳特，你得到的是 {got:.5f}（在各自小批量上取平均，真实 + 假样本）。"))
    return tr("Finite even for logits of ±60, where sigmoid rounds to exactly 0 or 1.",
              "即使 logit 为 ±60（此时 sigmoid 会被舍入为恰好 0 或 1），结果仍是有限值。")


# --------------------------------------------------------------------------------------
# 05.2
# --------------------------------------------------------------------------------------


@exercise("05.2", Text("the non-saturating generator loss", "非饱和生成器损失"),
          hints=(Text("The generator wants the discriminator to call its fakes real: which label does it want D "
                      "to give them, and which log-probability should it therefore maximise?",
                      "生成器希望判别器把它的假样本当成真的：它希望 D 给假样本打上哪个标签？"
                      "因此它应当最大化哪个对数概率？"),
                 Text("It maximises log D(G(z)), i.e. minimises its negative; write it from the logit (as in 05.1) "
                      "so that it stays finite when D is sure the fakes are fake.",
                      "它最大化 log D(G(z))，也就是最小化它的相反数；像 05.1 那样从 logit 写出它，"
                      "这样即使 D 确信假样本是假的，结果也仍是有限值。"),
                 Text("return F.softplus(-fake_logits).mean(), the same as "
                      "F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)).",
                      "return F.softplus(-fake_logits).mean()，与 "
                      "F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)) 相同。")))
def _(answer) -> str:
    import torch
    import torch.nn.functional as F

    cases = (torch.tensor([0.5, 1.0, -2.0]), torch.tensor([-8.0, -12.0, -20.0]), torch.tensor([-50.0, 3.0]),
             torch.tensor([-120.0, -110.0, 0.5, 2.0]))  # D utterly sure: sigmoid(-120) is 0 in float32
    for logits in cases:
        x = logits.clone().requires_grad_(True)
        loss = _call(answer, x)
        got = _loss_value(loss)
        expected = F.softplus(-logits).mean().item()
        shown = tr(f"for fake logits {logits.tolist()}", f"假样本的 logits 为 {logits.tolist()} 时")
        if not _close(got, expected):
            if not math.isfinite(got):
                raise NotYet(tr(f"{shown} your loss is {got}: the log of sigmoid(l) is -inf once sigmoid rounds to 0; "
                                "compute it from the logit directly",
                                f"{shown}，你的损失为 {got}：一旦 sigmoid 被舍入为 0，sigmoid(l) 的对数就是 -inf；"
                                "请直接从 logit 计算。"))
            if _close(got, F.softplus(logits).mean().item()):
                raise NotYet(tr(f"{shown} you get {got:.5f}: that is the loss with the fakes labelled 0 (fake), the "
                                "discriminator's target; the generator wants D to label its fakes 1 (real)",
                                f"{shown}，你得到 {got:.5f}：这是把假样本标为 0（假）时的损失，那是判别器的目标；"
                                "生成器希望 D 把它的假样本标为 1（真）。"))
            if _close(got, -F.softplus(logits).mean().item()):
                raise NotYet(tr(f"{shown} you get {got:.5f}: that is the minimax (saturating) form log(1 - D(G(z))), "
                                "whose gradient vanishes when D rejects the fakes",
                                f"{shown}，你得到 {got:.5f}：这是极小极大（饱和）形式 log(1 - D(G(z)))，"
                                "D 拒绝假样本时它的梯度会消失。"))
            if _close(got, -expected):
                raise NotYet(tr(f"{shown} you get {got:.5f}, the right value with the wrong sign: minimising it "
                                "would push D(G(z)) towards 0",
                                f"{shown}，你得到 {got:.5f}，数值对了，符号却反了：最小化它会把 D(G(z)) 推向 0。"))
            if _close(got, F.softplus(-logits).sum().item()):
                raise NotYet(tr(f"{shown} you get {got:.5f}: summed over the batch; the loss is a mean",
                                f"{shown}，你得到 {got:.5f}：你对小批量求了和；损失应是平均值。"))
            if logits.min() < -100:
                raise NotYet(tr(f"{shown} you get {got:.5f} instead of {expected:.5f}: right for ordinary logits but "
                                "not where D is utterly sure the fakes are fake; a clamp or an epsilon inside the log "
                                "changes the value there",
                                f"{shown}，你得到 {got:.5f}，而不是 {expected:.5f}：对普通的 logit 是对的，"
                                "但在 D 完全确信假样本是假的地方不对；对数里的截断（clamp）或 epsilon 会改变那里的值。"))
            raise NotYet(tr(f"{shown} expected {expected:.5f} nats, got {got:.5f}",
                            f"{shown}，应为 {expected:.5f} 纳特，你得到的是 {got:.5f}。"))
        if not isinstance(loss, torch.Tensor) or loss.grad_fn is None:
            raise NotYet(tr("the value is right but it is cut off from the computation graph (a Python number, "
                            ".item(), .detach() or torch.tensor(...)): no gradient would reach the generator; "
                            "return the tensor the torch operations produce",
                            "数值是对的，但它与计算图断开了（Python 数、.item()、.detach() 或 torch.tensor(...)）："
                            "梯度传不到生成器；请返回 torch 运算得到的那个张量。"))
        loss.backward()
        if x.grad is None or not torch.allclose(x.grad, -torch.sigmoid(-logits) / len(logits), atol=1e-5):
            raise NotYet(tr(f"{shown} the value is right but its gradient is not: some step is not a differentiable "
                            "torch operation (a clamp, a rounding or a NumPy detour)",
                            f"{shown}，数值对了，梯度却不对：有一步不是可微的 torch 运算（截断、取整或绕道 NumPy）。"))
    return tr("When D rejects a fake (logit -20) the gradient is still about -1 per sample, not ~0.",
              "即使 D 拒绝了一个假样本（logit 为 -20），每个样本的梯度仍约为 -1，而不是接近 0。")


# --------------------------------------------------------------------------------------
# 05.3
# --------------------------------------------------------------------------------------


@exercise("05.3", Text("Fréchet distance between two 1-D Gaussians", "两个一维高斯分布之间的 Fréchet 距离"),
          hints=(Text("In one dimension every covariance matrix is a single number, the variance sigma²; the matrix "
                      "square root of a product of two such numbers is an ordinary square root.",
                      "在一维情形下，每个协方差矩阵都只是一个数，即方差 sigma²；"
                      "两个这样的数之积的矩阵平方根，就是普通的平方根。"),
                 Text("Write tr(S1 + S2 - 2 (S1 S2)^(1/2)) with S = sigma² and simplify: it is a perfect square.",
                      "写出 tr(S1 + S2 - 2 (S1 S2)^(1/2))，代入 S = sigma² 并化简：结果是一个完全平方。"),
                 Text("(mu1 - mu2)**2 + (sigma1 - sigma2)**2; sigma is the standard deviation.",
                      "(mu1 - mu2)**2 + (sigma1 - sigma2)**2；sigma 是标准差。")))
def _(answer) -> str:
    for mu1, s1, mu2, s2 in [(0.0, 1.0, 0.0, 1.0), (3.0, 0.1, 0.5, 4.0), (0.0, 2.0, 0.0, 0.5), (1.0, 1.0, -1.0, 1.0)]:
        expected = (mu1 - mu2) ** 2 + (s1 - s2) ** 2
        got = as_number(_call(answer, mu1, s1, mu2, s2), tr("the distance", "距离"))
        if _close(got, expected, 1e-6):
            continue
        shown = tr(f"for N({mu1}, {s1}²) and N({mu2}, {s2}²) you get {got:.4f}",
                   f"对于 N({mu1}, {s1}²) 和 N({mu2}, {s2}²)，你得到 {got:.4f}")
        mean_term = (mu1 - mu2) ** 2
        if _close(got, mean_term + (s1 ** 2 - s2 ** 2) ** 2, 1e-6):
            raise NotYet(tr(f"{shown}: you compared the variances sigma² where the formula, after the square root, "
                            "compares the standard deviations",
                            f"{shown}：你比较的是方差 sigma²，而公式开平方之后比较的是标准差。"))
        if _close(got, mean_term + s1 ** 2 + s2 ** 2 - s1 * s2, 1e-6):
            raise NotYet(tr(f"{shown}: the cross term of the trace lost its factor 2",
                            f"{shown}：迹里的交叉项丢了因子 2。"))
        if _close(got, abs(mu1 - mu2) + abs(s1 - s2), 1e-6):
            raise NotYet(tr(f"{shown}: differences taken as absolute values; the Fréchet distance squares them",
                            f"{shown}：你取了差的绝对值；Fréchet 距离要把差平方。"))
        if _close(got, math.sqrt(expected), 1e-6):
            raise NotYet(tr(f"{shown}: that is the square root; FID is the squared distance, no root at the end",
                            f"{shown}：这是平方根；FID 是距离的平方，最后不开方。"))
        if _close(got, mean_term, 1e-6):
            raise NotYet(tr(f"{shown}: only the mean term; two Gaussians with the same mean but different spreads "
                            "must be at a positive distance",
                            f"{shown}：只有均值项；均值相同而离散程度不同的两个高斯分布，距离必须为正。"))
        raise NotYet(tr(f"{shown}, expected {expected:.4f}", f"{shown}，应为 {expected:.4f}。"))
    return tr("tr(S1 + S2 - 2 (S1 S2)^1/2) is (s1 - s2)^2 in one dimension.",
              "在一维情形下，tr(S1 + S2 - 2 (S1 S2)^1/2) 就是 (s1 - s2)^2。")


# --------------------------------------------------------------------------------------
# 05.4
# --------------------------------------------------------------------------------------


@exercise("05.4", Text("KL divergence of a class histogram from uniform", "类别直方图相对均匀分布的 KL 散度"),
          hints=(Text("Turn the counts into probabilities first; the uniform distribution gives each of the 10 digits "
                      "the same probability.",
                      "先把计数换算成概率；均匀分布给 10 个数字中的每一个相同的概率。"),
                 Text("Use the definition of KL(p ‖ q) from section 4 with q the uniform distribution, in natural "
                      "logarithms; a digit that never appears (p = 0) adds nothing to the sum.",
                      "用第 4 节中 KL(p ‖ q) 的定义，q 取均匀分布，取自然对数；"
                      "从未出现的数字（p = 0）对求和没有贡献。"),
                 Text("p = counts / total; KL(p ‖ u) = sum over the digits with p > 0 of p * ln(p / (1/10)).",
                      "p = counts / total；KL(p ‖ u) 是对所有 p > 0 的数字求 p * ln(p / (1/10)) 之和。")))
def _(answer) -> str:
    cases = [[100] * 10, [1000] + [0] * 9, [50, 50, 0, 0, 0, 0, 0, 0, 0, 0], [30, 10, 10, 10, 10, 10, 10, 5, 5, 0],
             # a healthy-looking DCGAN histogram of 1,000 samples: one rare digit, one frequent one
             [112, 11, 104, 96, 118, 93, 105, 121, 131, 109]]
    for counts in cases:
        total = sum(counts)
        p = [c / total for c in counts]
        expected = sum(q * math.log(q * 10) for q in p if q)
        shown = tr(f"for counts {counts}", f"计数为 {counts} 时")
        try:
            got = as_number(_call(answer, list(counts)), tr("the KL divergence", "KL 散度"))
        except (ValueError, ZeroDivisionError) as error:
            if 0 in counts:
                raise NotYet(tr(f"{shown} your function raised {type(error).__name__} ({error}): an empty class "
                                "reached log(0); empty classes add 0 to the sum, skip them",
                                f"{shown}，你的函数抛出了 {type(error).__name__}（{error}）：某个空类别走到了 log(0)；"
                                "空类别对求和的贡献是 0，跳过它们即可。")) from None
            raise
        if _close(got, expected, 1e-6):
            continue
        if math.isnan(got) and 0 in counts:
            raise NotYet(tr(f"{shown} you get nan: an empty class gave 0 * log(0); empty classes add 0 to the sum, "
                            "skip them",
                            f"{shown}，你得到 nan：某个空类别算出了 0 * log(0)；空类别对求和的贡献是 0，跳过它们即可。"))
        entropy = -sum(q * math.log(q) for q in p if q)
        if _close(got, expected / math.log(2), 1e-6):
            raise NotYet(tr(f"{shown} you get {got:.5f}: that is in bits (log base 2); the course measures in nats "
                            "(natural log)",
                            f"{shown}，你得到 {got:.5f}：这是以比特（以 2 为底的对数）为单位的；"
                            "本课程以纳特（自然对数）为单位。"))
        if _close(got, entropy, 1e-6):
            raise NotYet(tr(f"{shown} you get {got:.5f}: that is the entropy H(p) of the histogram, not its KL "
                            "divergence from uniform (it is largest, not 0, for a uniform histogram)",
                            f"{shown}，你得到 {got:.5f}：这是直方图的熵 H(p)，而不是它相对均匀分布的 KL 散度"
                            "（对均匀的直方图，熵最大，而不是 0）。"))
        if _close(got, sum(0.1 * math.log(0.1 / q) for q in p if q), 1e-6):
            raise NotYet(tr(f"{shown} you get {got:.5f}: that is KL(uniform ‖ p), the two distributions swapped; "
                            "the expectation is over p, the generator's histogram",
                            f"{shown}，你得到 {got:.5f}：这是 KL(uniform ‖ p)，两个分布颠倒了；"
                            "期望应当对 p（生成器的直方图）来取。"))
        if _close(got, sum(c * math.log(c * 10) for c in counts if c), 1e-6) or \
                _close(got, sum(c * math.log(c / 0.1) for c in counts if c), 1e-6):
            raise NotYet(tr(f"{shown} you get {got:.5f}: you used the raw counts as probabilities; divide by the "
                            "total first",
                            f"{shown}，你得到 {got:.5f}：你把原始计数当成了概率；请先除以总数。"))
        raise NotYet(tr(f"{shown} expected {expected:.5f} nats, got {got:.5f}",
                        f"{shown}，应为 {expected:.5f} 纳特，你得到的是 {got:.5f}。"))
    return tr("A collapsed generator (one digit only) scores ln 10 ≈ 2.303 nats; all ten equally common score 0.",
              "发生模式崩溃的生成器（只生成一个数字）得分为 ln 10 ≈ 2.303 纳特；十个数字同样常见时得分为 0。")

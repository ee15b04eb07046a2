"""Checkers for notebook 03 (neural language models: backpropagation, the training step, the RNN).

The right values come from the course's own code, itself tested against PyTorch: the
scalar engine of :mod:`aigc_course.neural_lm.autodiff` for the gradient, a reference
training step on a copy of the same model for the step, ``torch.nn.RNNCell`` for the
hidden-state update. A wrong answer is compared with what each common mistake would
give, on every case, and the checker names the one that fits.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable

from ..language import Text, tr
from . import NotYet, as_number, exercise


def _require_function(answer: Any, name: str) -> Callable:
    if not callable(answer):
        raise NotYet(tr(f"{name} should be a function you define with def {name}(...), got {type(answer).__name__}.",
                        f"{name} 应当是一个用 def {name}(...) 定义的函数，却得到了 {type(answer).__name__}。"))
    return answer


# --------------------------------------------------------------------------- 03.1
#: The points (a, b) where the learner's gradient is checked.
POINTS = ((0.5, -1.5), (-0.3, 0.8), (1.2, 0.4), (0.1, 2.0), (-0.7, -0.2))


def f_gradients(a: float, b: float) -> dict[str, tuple[float, float]]:
    """(df/da, df/db) of ``f(a, b) = tanh(a * b + a)``: right, by the scalar engine, and each mistake's."""
    from ..neural_lm.autodiff import Scalar

    sa, sb = Scalar(a), Scalar(b)
    out = (sa * sb + sa).tanh()
    out.backward()
    t = out.value
    slope = 1 - t * t  # tanh'(u) = 1 - tanh(u)^2
    return {
        "right": (sa.grad, sb.grad),
        "one path": (slope * b, slope * a),
        "no tanh'": (b + 1, a),
        "tanh instead of tanh'": (t * (b + 1), t * a),
        "swapped": (sb.grad, sa.grad),
    }


_F_MISTAKES = {
    "one path": Text("Your df/da misses a path: a enters f twice (in a * b and on its own), and the chain rule adds "
                     "the contributions of both",
                     "你的 df/da 漏掉了一条路径：a 在 f 中出现了两次（在 a * b 里，以及单独的一项），"
                     "链式法则要把两条路径的贡献相加"),
    "no tanh'": Text("Your gradient leaves out the derivative of tanh: the chain rule multiplies the inner derivative "
                     "by tanh'(u) = 1 - tanh(u)^2",
                     "你的梯度漏掉了 tanh 的导数：链式法则要把内层的导数再乘以 tanh'(u) = 1 - tanh(u)^2"),
    "tanh instead of tanh'": Text("Your gradient multiplies by tanh(u) itself; the derivative of tanh is 1 - tanh(u)^2",
                                  "你的梯度乘的是 tanh(u) 本身；tanh 的导数是 1 - tanh(u)^2"),
    "swapped": Text("Your two numbers are the right ones in the wrong order: return (df/da, df/db)",
                    "你的两个数都对，但顺序反了：应返回 (df/da, df/db)"),
}


def _pair(answer: Any, what: str) -> tuple[float, float]:
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != 2:
        raise NotYet(tr(f"{what} should return a pair (df/da, df/db), got {type(answer).__name__} {answer!r:.60}.",
                        f"{what} 应当返回一对数 (df/da, df/db)，却得到了 {type(answer).__name__} {answer!r:.60}。"))
    return (as_number(answer[0], tr(f"df/da of {what}", f"{what} 的 df/da")),
            as_number(answer[1], tr(f"df/db of {what}", f"{what} 的 df/db")))


def _same_pair(x: tuple[float, float], y: tuple[float, float]) -> bool:
    # float32 tensors keep about 7 digits; every mistake is off by more than 1e-4 at some point
    return all(math.isclose(p, q, rel_tol=1e-5, abs_tol=1e-7) for p, q in zip(x, y))


@exercise("03.1", Text("a gradient by hand", "手算梯度"),
          hints=(Text("Name the inner value u = a * b + a, so f = tanh(u): first df/du, then du/da and du/db.",
                      "把内层的值记作 u = a * b + a，于是 f = tanh(u)：先求 df/du，再求 du/da 和 du/db。"),
                 Text("df/du = 1 - tanh(u)^2. The variable a appears twice in u, so du/da collects both: b + 1.",
                      "df/du = 1 - tanh(u)^2。变量 a 在 u 中出现了两次，du/da 要把两处都算上：b + 1。"),
                 Text("t = math.tanh(a * b + a); return ((1 - t**2) * (b + 1), (1 - t**2) * a)",
                      "写成代码：t = math.tanh(a * b + a); return ((1 - t**2) * (b + 1), (1 - t**2) * a)")))
def _(grad_f):
    _require_function(grad_f, "grad_f")
    cases = []
    for a, b in POINTS:
        what = f"grad_f({a}, {b})"
        cases.append((what, _pair(grad_f(a, b), what), f_gradients(a, b)))
    wrong = [case for case in cases if not _same_pair(case[1], case[2]["right"])]
    if not wrong:
        return tr("Those are the numbers the scalar engine's backward() finds (and torch.autograd too).",
                  "这正是标量引擎的 backward() 算出的数（torch.autograd 也一样）。")
    what, got, values = wrong[0]
    example = tr(f"{what} should be ({values['right'][0]:.6f}, {values['right'][1]:.6f}), yours gives "
                 f"({got[0]:.6f}, {got[1]:.6f})",
                 f"{what} 应为 ({values['right'][0]:.6f}, {values['right'][1]:.6f})，你的结果是 "
                 f"({got[0]:.6f}, {got[1]:.6f})")
    for mistake, message in _F_MISTAKES.items():
        if all(_same_pair(answer, vals[mistake]) for _, answer, vals in cases):
            raise NotYet(tr(f"{message} ({example}).", f"{message}（{example}）。"))
    raise NotYet(tr(f"{example[0].upper()}{example[1:]}.", f"{example}。"))


# --------------------------------------------------------------------------- 03.2
def _step_setup():
    """A small MLP language model, its SGD optimiser and two batches, the same every call."""
    import torch

    from ..neural_lm.models import MLPLM

    generator = torch.Generator().manual_seed(0)
    with torch.random.fork_rng():  # the same weights every time, and the learner's random state untouched
        torch.manual_seed(0)
        model = MLPLM(12, context=3, n_embd=4, hidden=16)
    batches = [(torch.randint(0, 12, (4, 10), generator=generator), torch.randint(0, 12, (4, 10), generator=generator))
               for _ in range(2)]
    return model, batches


def _reference_steps(kind: str):
    """The parameters after two steps taken the right way, or the way a mistake takes them."""
    import torch
    from torch.nn import functional as F

    model, batches = _step_setup()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for x, y in batches:
        if kind != "no zero_grad":
            optimizer.zero_grad()
        if kind == "sum":
            logits = model(x)["logits"]
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum")
        else:
            loss = model(x, y)["loss"]
        loss.backward()
        if kind != "no step":
            optimizer.step()
    return [p.detach().clone() for p in model.parameters()]


_STEP_MISTAKES = {
    "no step": Text("The weights did not change: after loss.backward() the gradients are there, but only "
                    "optimizer.step() moves the weights",
                    "权重没有变化：loss.backward() 之后梯度已经算好，但只有 optimizer.step() 才会更新权重"),
    "no zero_grad": Text("Your second step moved the weights by the gradients of both batches: PyTorch adds new "
                         "gradients to the old ones, so call optimizer.zero_grad() before loss.backward()",
                         "你的第二步用两个小批量的梯度之和更新了权重：PyTorch 会把新梯度累加到旧梯度上，"
                         "所以要在 loss.backward() 之前调用 optimizer.zero_grad()"),
    "sum": Text("Your steps are as many times too large as there are tokens in a batch: the loss you back-propagate "
                "is a sum over tokens; the model's loss (model(x, y)['loss']) is the mean, in nats per token",
                "你的每一步都大了若干倍，倍数正是一个小批量中的词元数：你反向传播的损失是对词元求和，"
                "而模型的损失（model(x, y)['loss']）是平均值，单位是纳特/词元"),
}


@exercise("03.2", Text("one training step", "一步训练"),
          hints=(Text("A step has four parts, in this order: clear the old gradients, compute the loss, "
                      "back-propagate it, move the weights.",
                      "一步训练分四个部分，依次是：清除旧的梯度，计算损失，反向传播，更新权重。"),
                 Text("optimizer.zero_grad(); loss = model(x, y)['loss']; loss.backward(); optimizer.step()",
                      "依次写：optimizer.zero_grad(); loss = model(x, y)['loss']; loss.backward(); optimizer.step()"),
                 Text("Return loss.item(), the batch's loss as a plain number (nats per token), computed before the step.",
                      "返回 loss.item()：这个小批量在更新之前算出的损失，一个普通数字（单位是纳特/词元）。")))
def _(training_step):
    import torch

    _require_function(training_step, "training_step")
    model, batches = _step_setup()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for i, (x, y) in enumerate(batches):
        before = copy.deepcopy(model)
        losses.append(as_number(training_step(model, optimizer, x, y),
                                tr(f"what training_step returned on batch {i + 1}",
                                   f"training_step 在第 {i + 1} 个小批量上的返回值")))
        expected = before(x, y)["loss"].item()
        if not math.isclose(losses[-1], expected, rel_tol=1e-4):
            raise NotYet(tr(f"training_step should return the batch's loss before the step, {expected:.5f} nats "
                            f"per token on batch {i + 1}; yours returned {losses[-1]:.5f}.",
                            f"training_step 应当返回这个小批量在更新之前的损失，第 {i + 1} 个小批量上是 "
                            f"{expected:.5f} 纳特/词元；你的返回值是 {losses[-1]:.5f}。"))
    got = [p.detach() for p in model.parameters()]

    def same(kind: str) -> bool:
        return all(torch.allclose(a, b, rtol=1e-4, atol=1e-6) for a, b in zip(got, _reference_steps(kind)))

    if same("right"):
        return tr(f"Two steps, loss {losses[0]:.3f} then {losses[1]:.3f} nats per token: that is the heart of train().",
                  f"两步训练，损失先是 {losses[0]:.3f} 纳特/词元，然后是 {losses[1]:.3f}：这就是 train() 的核心。")
    for mistake, message in _STEP_MISTAKES.items():
        if same(mistake):
            raise NotYet(tr(f"{message}.", f"{message}。"))
    raise NotYet(tr("After two steps the weights are not where optimizer.zero_grad(), loss.backward() and "
                    "optimizer.step() on model(x, y)['loss'] put them.",
                    "两步之后的权重，与对 model(x, y)['loss'] 依次执行 optimizer.zero_grad()、loss.backward() "
                    "和 optimizer.step() 得到的不一致。"))


# --------------------------------------------------------------------------- 03.3
def _rnn_cases():
    """(x, h, W_ih, W_hh, b_ih, b_hh) triples of sizes input 3, hidden 5, batch 2; and torch.nn.RNNCell's output."""
    import torch

    cases = []
    with torch.random.fork_rng(), torch.no_grad():  # the learner's random state untouched
        for seed in range(3):
            torch.manual_seed(seed)
            cell = torch.nn.RNNCell(3, 5)
            x, h = torch.randn(2, 3), torch.randn(2, 5)
            weights = tuple(p.detach() for p in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh))
            cases.append(((x, h) + weights, cell(x, h)))
    return cases


def rnn_mistakes(x, h, w_ih, w_hh, b_ih, b_hh) -> dict:
    """What each common mistake computes for one RNN step."""
    import torch

    inner = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    return {
        "no tanh": inner,
        "sigmoid": torch.sigmoid(inner),
        "W_hh not transposed": torch.tanh(x @ w_ih.T + b_ih + h @ w_hh + b_hh),
        "no h": torch.tanh(x @ w_ih.T + b_ih + b_hh),
        "one bias": torch.tanh(x @ w_ih.T + h @ w_hh.T + b_ih),
    }


_RNN_MISTAKES = {
    "no tanh": Text("Your state is the weighted sum itself: the RNN squashes it with tanh, so every unit stays in (-1, 1)",
                    "你的状态就是加权和本身：RNN 要用 tanh 把它压缩，让每个单元都落在 (-1, 1) 之内"),
    "sigmoid": Text("Your state goes through a sigmoid; the vanilla RNN (and torch.nn.RNN) uses tanh",
                    "你的状态经过的是 sigmoid；普通的 RNN（以及 torch.nn.RNN）用的是 tanh"),
    "W_hh not transposed": Text("You multiply h by W_hh instead of its transpose: with row vectors in a batch, "
                                "h_new = tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)",
                                "你用 h 乘的是 W_hh，而不是它的转置：小批量里的每个样本是一个行向量，"
                                "h_new = tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)"),
    "no h": Text("Your new state does not depend on the old one: without h @ W_hh.T the network has no memory",
                 "你的新状态与旧状态无关：没有 h @ W_hh.T，网络就没有记忆"),
    "one bias": Text("Your step leaves out b_hh: PyTorch's RNN has two biases, one per matrix (their sum acts as one)",
                     "你的这一步漏掉了 b_hh：PyTorch 的 RNN 有两个偏置，每个矩阵一个（两者之和相当于一个偏置）"),
}


@exercise("03.3", Text("the RNN's hidden-state update", "RNN 的隐藏状态更新"),
          hints=(Text("The new state mixes the current input and the previous state, each through its own matrix, "
                      "adds both biases, then squashes.",
                      "新状态把当前输入和上一个状态混合起来：二者各乘以自己的矩阵，加上两个偏置，最后压缩取值范围。"),
                 Text("Rows are the batch, so a matrix applies on the right, transposed: x @ W_ih.T has shape (B, hidden).",
                      "每一行是小批量中的一个样本，所以矩阵要转置后从右边乘：x @ W_ih.T 的形状是 (B, hidden)。"),
                 Text("torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)",
                      "写成代码：torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)")))
def _(rnn_step):
    import torch

    _require_function(rnn_step, "rnn_step")
    results = []
    for args, right in _rnn_cases():
        got = rnn_step(*args)
        if not isinstance(got, torch.Tensor):
            raise NotYet(tr(f"rnn_step should return a tensor of shape (B, hidden) = {tuple(right.shape)}, "
                            f"got {type(got).__name__}.",
                            f"rnn_step 应当返回形状为 (B, hidden) = {tuple(right.shape)} 的张量，"
                            f"却得到了 {type(got).__name__}。"))
        if tuple(got.shape) != tuple(right.shape):
            raise NotYet(tr(f"rnn_step returned shape {tuple(got.shape)}; the new state has one row per sequence "
                            f"and one column per hidden unit, {tuple(right.shape)}.",
                            f"rnn_step 返回的形状是 {tuple(got.shape)}；新状态每个序列占一行、每个隐藏单元占一列，"
                            f"形状应为 {tuple(right.shape)}。"))
        results.append((got.detach().float(), right, rnn_mistakes(*args)))
    if all(torch.allclose(got, right, atol=1e-6) for got, right, _ in results):
        return tr("That is one step of torch.nn.RNN; the lesson's RNNCell runs it once per character.",
                  "这正是 torch.nn.RNN 的一步；本课的 RNNCell 每读一个字符就执行一次。")
    for mistake, message in _RNN_MISTAKES.items():
        if all(torch.allclose(got, values[mistake], atol=1e-6) for got, _, values in results):
            raise NotYet(tr(f"{message}.", f"{message}。"))
    got, right, _ = results[0]
    raise NotYet(tr(f"rnn_step's first row should be {[round(v, 4) for v in right[0].tolist()]}, "
                    f"yours is {[round(v, 4) for v in got[0].tolist()]}.",
                    f"rnn_step 的第一行应为 {[round(v, 4) for v in right[0].tolist()]}，"
                    f"你的结果是 {[round(v, 4) for v in got[0].tolist()]}。"))

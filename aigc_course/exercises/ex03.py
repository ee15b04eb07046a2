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

from . import NotYet, as_number, exercise


def _require_function(answer: Any, name: str) -> Callable:
    if not callable(answer):
        raise NotYet(f"{name} should be a function you define with def {name}(...), got {type(answer).__name__}.")
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
    "one path": "Your df/da misses a path: a enters f twice (in a * b and on its own), and the chain rule adds "
                "the contributions of both",
    "no tanh'": "Your gradient leaves out the derivative of tanh: the chain rule multiplies the inner derivative "
                "by tanh'(u) = 1 - tanh(u)^2",
    "tanh instead of tanh'": "Your gradient multiplies by tanh(u) itself; the derivative of tanh is 1 - tanh(u)^2",
    "swapped": "Your two numbers are the right ones in the wrong order: return (df/da, df/db)",
}


def _pair(answer: Any, what: str) -> tuple[float, float]:
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != 2:
        raise NotYet(f"{what} should return a pair (df/da, df/db), got {type(answer).__name__} {answer!r:.60}.")
    return as_number(answer[0], f"df/da of {what}"), as_number(answer[1], f"df/db of {what}")


def _same_pair(x: tuple[float, float], y: tuple[float, float]) -> bool:
    # float32 tensors keep about 7 digits; every mistake is off by more than 1e-4 at some point
    return all(math.isclose(p, q, rel_tol=1e-5, abs_tol=1e-7) for p, q in zip(x, y))


@exercise("03.1", "a gradient by hand",
          hints=("Name the inner value u = a * b + a, so f = tanh(u): first df/du, then du/da and du/db.",
                 "df/du = 1 - tanh(u)^2. The variable a appears twice in u, so du/da collects both: b + 1.",
                 "t = math.tanh(a * b + a); return ((1 - t**2) * (b + 1), (1 - t**2) * a)"))
def _(grad_f):
    _require_function(grad_f, "grad_f")
    cases = []
    for a, b in POINTS:
        what = f"grad_f({a}, {b})"
        cases.append((what, _pair(grad_f(a, b), what), f_gradients(a, b)))
    wrong = [case for case in cases if not _same_pair(case[1], case[2]["right"])]
    if not wrong:
        return "Those are the numbers the scalar engine's backward() finds (and torch.autograd too)."
    what, got, values = wrong[0]
    example = (f"{what} should be ({values['right'][0]:.6f}, {values['right'][1]:.6f}), yours gives "
               f"({got[0]:.6f}, {got[1]:.6f})")
    for mistake, message in _F_MISTAKES.items():
        if all(_same_pair(answer, vals[mistake]) for _, answer, vals in cases):
            raise NotYet(f"{message} ({example}).")
    raise NotYet(f"{example[0].upper()}{example[1:]}.")


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
    "no step": "The weights did not change: after loss.backward() the gradients are there, but only "
               "optimizer.step() moves the weights",
    "no zero_grad": "Your second step moved the weights by the gradients of both batches: PyTorch adds new "
                    "gradients to the old ones, so call optimizer.zero_grad() before loss.backward()",
    "sum": "Your steps are as many times too large as there are tokens in a batch: the loss you back-propagate "
           "is a sum over tokens; the model's loss (model(x, y)['loss']) is the mean, in nats per token",
}


@exercise("03.2", "one training step",
          hints=("A step has four parts, in this order: clear the old gradients, compute the loss, "
                 "back-propagate it, move the weights.",
                 "optimizer.zero_grad(); loss = model(x, y)['loss']; loss.backward(); optimizer.step()",
                 "Return loss.item(), the batch's loss as a plain number (nats per token), computed before the step."))
def _(training_step):
    import torch

    _require_function(training_step, "training_step")
    model, batches = _step_setup()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for i, (x, y) in enumerate(batches):
        before = copy.deepcopy(model)
        losses.append(as_number(training_step(model, optimizer, x, y), f"what training_step returned on batch {i + 1}"))
        expected = before(x, y)["loss"].item()
        if not math.isclose(losses[-1], expected, rel_tol=1e-4):
            raise NotYet(f"training_step should return the batch's loss before the step, {expected:.5f} nats "
                         f"per token on batch {i + 1}; yours returned {losses[-1]:.5f}.")
    got = [p.detach() for p in model.parameters()]

    def same(kind: str) -> bool:
        return all(torch.allclose(a, b, rtol=1e-4, atol=1e-6) for a, b in zip(got, _reference_steps(kind)))

    if same("right"):
        return f"Two steps, loss {losses[0]:.3f} then {losses[1]:.3f} nats per token: that is the heart of train()."
    for mistake, message in _STEP_MISTAKES.items():
        if same(mistake):
            raise NotYet(f"{message}.")
    raise NotYet("After two steps the weights are not where optimizer.zero_grad(), loss.backward() and "
                 "optimizer.step() on model(x, y)['loss'] put them.")


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
    "no tanh": "Your state is the weighted sum itself: the RNN squashes it with tanh, so every unit stays in (-1, 1)",
    "sigmoid": "Your state goes through a sigmoid; the vanilla RNN (and torch.nn.RNN) uses tanh",
    "W_hh not transposed": "You multiply h by W_hh instead of its transpose: with row vectors in a batch, "
                           "h_new = tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)",
    "no h": "Your new state does not depend on the old one: without h @ W_hh.T the network has no memory",
    "one bias": "Your step leaves out b_hh: PyTorch's RNN has two biases, one per matrix (their sum acts as one)",
}


@exercise("03.3", "the RNN's hidden-state update",
          hints=("The new state mixes the current input and the previous state, each through its own matrix, "
                 "adds both biases, then squashes.",
                 "Rows are the batch, so a matrix applies on the right, transposed: x @ W_ih.T has shape (B, hidden).",
                 "torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)"))
def _(rnn_step):
    import torch

    _require_function(rnn_step, "rnn_step")
    results = []
    for args, right in _rnn_cases():
        got = rnn_step(*args)
        if not isinstance(got, torch.Tensor):
            raise NotYet(f"rnn_step should return a tensor of shape (B, hidden) = {tuple(right.shape)}, "
                         f"got {type(got).__name__}.")
        if tuple(got.shape) != tuple(right.shape):
            raise NotYet(f"rnn_step returned shape {tuple(got.shape)}; the new state has one row per sequence "
                         f"and one column per hidden unit, {tuple(right.shape)}.")
        results.append((got.detach().float(), right, rnn_mistakes(*args)))
    if all(torch.allclose(got, right, atol=1e-6) for got, right, _ in results):
        return "That is one step of torch.nn.RNN; the lesson's RNNCell runs it once per character."
    for mistake, message in _RNN_MISTAKES.items():
        if all(torch.allclose(got, values[mistake], atol=1e-6) for got, _, values in results):
            raise NotYet(f"{message}.")
    got, right, _ = results[0]
    raise NotYet(f"rnn_step's first row should be {[round(v, 4) for v in right[0].tolist()]}, "
                 f"yours is {[round(v, 4) for v in got[0].tolist()]}.")

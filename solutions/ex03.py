"""Reference solutions for notebook 03 (neural language models), and realistic wrong answers."""

import math

import torch
from torch.nn import functional as F


def grad_f(a, b):
    t = math.tanh(a * b + a)
    slope = 1 - t**2  # tanh'(u)
    return slope * (b + 1), slope * a


def training_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = model(x, y)["loss"]
    loss.backward()
    optimizer.step()
    return loss.item()


def rnn_step(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)


# ----------------------------------------------------------------- wrong answers for 03.1
def _grad_one_path(a, b):  # forgets that a also enters on its own
    t = math.tanh(a * b + a)
    return (1 - t**2) * b, (1 - t**2) * a


def _grad_no_tanh_slope(a, b):  # differentiates the inside only
    return b + 1, a


def _grad_tanh_not_its_derivative(a, b):
    t = math.tanh(a * b + a)
    return t * (b + 1), t * a


def _grad_swapped(a, b):
    t = math.tanh(a * b + a)
    return (1 - t**2) * a, (1 - t**2) * (b + 1)


# ----------------------------------------------------------------- wrong answers for 03.2
def _step_without_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = model(x, y)["loss"]
    loss.backward()
    return loss.item()


def _step_without_zero_grad(model, optimizer, x, y):
    loss = model(x, y)["loss"]
    loss.backward()
    optimizer.step()
    return loss.item()


def _step_on_the_summed_loss(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)["logits"]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum")
    loss.backward()
    optimizer.step()
    return loss.item() / y.numel()


def _step_returning_the_loss_after(model, optimizer, x, y):
    training_step(model, optimizer, x, y)
    return model(x, y)["loss"].item()


# ----------------------------------------------------------------- wrong answers for 03.3
def _rnn_without_tanh(x, h, W_ih, W_hh, b_ih, b_hh):
    return x @ W_ih.T + b_ih + h @ W_hh.T + b_hh


def _rnn_sigmoid(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.sigmoid(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)


def _rnn_untransposed(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x @ W_ih.T + b_ih + h @ W_hh + b_hh)


def _rnn_forgets_h(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x @ W_ih.T + b_ih + b_hh)


def _rnn_one_bias(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x @ W_ih.T + h @ W_hh.T + b_ih)


SOLUTIONS = {
    "03.1": grad_f,
    "03.2": training_step,
    "03.3": rnn_step,
}

WRONG = {
    "03.1": [
        (_grad_one_path, "misses a path"),
        (_grad_no_tanh_slope, "derivative of tanh"),
        (_grad_tanh_not_its_derivative, "multiplies by tanh(u) itself"),
        (_grad_swapped, "wrong order"),
        (lambda a, b: 0.5, "should return a pair"),
        ("not a function", "should be a function"),
    ],
    "03.2": [
        (_step_without_step, "only optimizer.step() moves the weights"),
        (_step_without_zero_grad, "zero_grad"),
        (_step_on_the_summed_loss, "sum over tokens"),
        (_step_returning_the_loss_after, "before the step"),
        (lambda model, optimizer, x, y: None, "single number"),
    ],
    "03.3": [
        (_rnn_without_tanh, "squashes it with tanh"),
        (_rnn_sigmoid, "sigmoid"),
        (_rnn_untransposed, "transpose"),
        (_rnn_forgets_h, "no memory"),
        (_rnn_one_bias, "two biases"),
        (lambda x, h, W_ih, W_hh, b_ih, b_hh: h.tolist(), "should return a tensor"),
    ],
}

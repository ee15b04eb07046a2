"""Neural character language models, from a table of logits to a recurrent network.

Every model here has the interface of the course's GPT: ``model(ids, targets)`` takes
int64 ids ``(B, T)`` and returns a dict with ``logits`` ``(B, T, vocab_size)``, the
scores of the next character at every position, and, when ``targets`` ``(B, T)`` are
given, ``loss``: the mean cross-entropy in **nats per character**. So one training loop
and one evaluation serve them all.

- :class:`BigramLM`: one row of logits per previous character, the bigram of lesson 02
  as a trainable table.
- :class:`MLPLM`: Bengio et al. (2003): embed each of the last ``context`` characters,
  concatenate, one tanh hidden layer, then logits.
- :class:`RNNCell` and :class:`RecurrentLM`: a hidden state carried along the text;
  ``kind="rnn"`` runs the written-out cell step by step, ``"gru"``/``"lstm"`` PyTorch's.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from ..validate import check_bool, check_choice, check_int, check_token_ids

__all__ = ["BigramLM", "MLPLM", "RNNCell", "RecurrentLM", "MAX_WIDTH", "RECURRENT_KINDS"]

#: Largest vocabulary, embedding, hidden size or context the models accept (a CPU course).
MAX_WIDTH = 65_536
RECURRENT_KINDS = ("rnn", "gru", "lstm")


def _check_ids(ids: object, name: str, vocab_size: int, like: torch.Tensor | None = None) -> torch.Tensor:
    """int64 ids of shape (B, T) (or the shape of ``like``) in ``[0, vocab_size)``."""
    shape = "(B, T)" if like is None else f"{tuple(like.shape)} (the shape of ids)"
    if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.dtype != torch.long or 0 in ids.shape \
            or (like is not None and ids.shape != like.shape):
        raise ValueError(f"{name} must be a non-empty int64 tensor of shape {shape}, got "
                         f"{getattr(ids, 'dtype', type(ids).__name__)} {tuple(getattr(ids, 'shape', ()))}")
    check_token_ids(ids, name, vocab_size)
    return ids


class _LanguageModel(nn.Module):
    """What every model here shares: ``vocab_size``, the checks, the loss, the parameter count."""

    #: The longest input the model reads (``None``: any length), as the training loop asks.
    context_window: int | None = None
    #: How many of the last tokens a prediction depends on (``None``: all of them, through a
    #: recurrent state); a sampler feeds a fixed-window model only these.
    reads_last: int | None = None

    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.vocab_size = check_int(vocab_size, "vocab_size", minimum=2, maximum=MAX_WIDTH)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def _output(self, logits: torch.Tensor, targets: torch.Tensor | None, **extra) -> dict:
        out = {"logits": logits, **extra}
        if targets is not None:
            out["loss"] = F.cross_entropy(logits.reshape(-1, self.vocab_size), targets.reshape(-1))
        return out


class BigramLM(_LanguageModel):
    """``logits[b, t] = table[ids[b, t]]``: the next character's scores depend on the current one only.

    ``table`` is ``(vocab_size, vocab_size)``, zeros at the start (every character equally
    likely). Its softmax, row by row, is a bigram's conditional distribution.
    """

    reads_last = 1

    def __init__(self, vocab_size: int) -> None:
        super().__init__(vocab_size)
        self.table = nn.Parameter(torch.zeros(self.vocab_size, self.vocab_size))

    def forward(self, ids: torch.Tensor, targets: torch.Tensor | None = None) -> dict:
        ids = _check_ids(ids, "ids", self.vocab_size)
        if targets is not None:
            _check_ids(targets, "targets", self.vocab_size, like=ids)
        return self._output(self.table[ids], targets)

    def probabilities(self) -> torch.Tensor:
        """``P(next | current)``, ``(vocab_size, vocab_size)``, each row summing to 1."""
        return torch.softmax(self.table.detach(), dim=1)


class MLPLM(_LanguageModel):
    """A fixed window of the last ``context`` characters -> embeddings -> tanh layer -> logits.

    At position ``t`` the model reads ``ids[t - context + 1 .. t]``; positions before the
    start of ``ids`` read ``pad_id`` (the newline, id 0 of the course's character tokenizer),
    the way an n-gram reads ``<s>`` at the start of a line. Sizes: ``n_embd`` per character,
    ``hidden`` tanh units.
    """

    def __init__(self, vocab_size: int, context: int = 8, n_embd: int = 24, hidden: int = 512,
                 pad_id: int = 0) -> None:
        super().__init__(vocab_size)
        self.context = self.reads_last = check_int(context, "context", minimum=1, maximum=1024)
        n_embd = check_int(n_embd, "n_embd", minimum=1, maximum=MAX_WIDTH)
        hidden = check_int(hidden, "hidden", minimum=1, maximum=MAX_WIDTH)
        self.pad_id = check_int(pad_id, "pad_id", minimum=0, maximum=self.vocab_size - 1)
        self.embed = nn.Embedding(self.vocab_size, n_embd)
        self.hidden = nn.Linear(self.context * n_embd, hidden)
        self.head = nn.Linear(hidden, self.vocab_size)

    def forward(self, ids: torch.Tensor, targets: torch.Tensor | None = None) -> dict:
        ids = _check_ids(ids, "ids", self.vocab_size)
        if targets is not None:
            _check_ids(targets, "targets", self.vocab_size, like=ids)
        padded = F.pad(ids, (self.context - 1, 0), value=self.pad_id)   # (B, context - 1 + T)
        windows = padded.unfold(1, self.context, 1)                      # (B, T, context)
        x = self.embed(windows).flatten(2)                               # (B, T, context * n_embd)
        return self._output(self.head(torch.tanh(self.hidden(x))), targets)


class RNNCell(nn.Module):
    """One step of a vanilla (Elman) RNN: ``h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``.

    The parameters have the names, shapes and initialisation of ``torch.nn.RNN``'s
    (uniform in ``±1/sqrt(hidden_size)``), so their weights can be copied either way.
    """

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.input_size = check_int(input_size, "input_size", minimum=1, maximum=MAX_WIDTH)
        self.hidden_size = check_int(hidden_size, "hidden_size", minimum=1, maximum=MAX_WIDTH)
        bound = 1 / math.sqrt(self.hidden_size)
        self.weight_ih = nn.Parameter(torch.empty(self.hidden_size, self.input_size).uniform_(-bound, bound))
        self.weight_hh = nn.Parameter(torch.empty(self.hidden_size, self.hidden_size).uniform_(-bound, bound))
        self.bias_ih = nn.Parameter(torch.empty(self.hidden_size).uniform_(-bound, bound))
        self.bias_hh = nn.Parameter(torch.empty(self.hidden_size).uniform_(-bound, bound))

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """``x`` ``(B, input_size)``, ``h`` ``(B, hidden_size)`` -> the next hidden state ``(B, hidden_size)``."""
        return torch.tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh)


class RecurrentLM(_LanguageModel):
    """Embeddings -> one recurrent layer -> logits; the hidden state carries the past.

    ``kind``: ``"rnn"`` (the written-out :class:`RNNCell`, one Python step per character),
    ``"gru"`` or ``"lstm"`` (PyTorch's, in one fused call). ``forward`` also returns
    ``state``, the last hidden state, and accepts one to continue a text where the
    previous call stopped (``None``: a state of zeros).
    """

    def __init__(self, vocab_size: int, kind: str = "gru", n_embd: int = 64, hidden: int = 384) -> None:
        super().__init__(vocab_size)
        self.kind = check_choice(kind, "kind", RECURRENT_KINDS)
        n_embd = check_int(n_embd, "n_embd", minimum=1, maximum=MAX_WIDTH)
        self.hidden_size = check_int(hidden, "hidden", minimum=1, maximum=MAX_WIDTH)
        self.embed = nn.Embedding(self.vocab_size, n_embd)
        if self.kind == "rnn":
            self.cell = RNNCell(n_embd, self.hidden_size)
        else:
            self.rnn = {"gru": nn.GRU, "lstm": nn.LSTM}[self.kind](n_embd, self.hidden_size, batch_first=True)
        self.head = nn.Linear(self.hidden_size, self.vocab_size)

    def forward(self, ids: torch.Tensor, targets: torch.Tensor | None = None, state=None,
                return_hidden: bool = False) -> dict:
        """``ids`` ``(B, T)`` -> ``logits`` ``(B, T, V)``, ``state``, optional ``loss``.

        ``return_hidden``: also return ``hidden``, the states ``h_1 .. h_T`` ``(B, T, hidden)``,
        and for the written-out RNN ``steps``, the same states as the tuple the loop computed:
        each one is in the graph, so ``torch.autograd.grad(loss, steps)`` measures how much the
        loss depends on every time step.
        """
        ids = _check_ids(ids, "ids", self.vocab_size)
        if targets is not None:
            _check_ids(targets, "targets", self.vocab_size, like=ids)
        return_hidden = check_bool(return_hidden, "return_hidden")
        x = self.embed(ids)                                              # (B, T, n_embd)
        extra = {}
        if self.kind == "rnn":
            if state is None:
                h = x.new_zeros(ids.shape[0], self.hidden_size)
            elif isinstance(state, torch.Tensor) and state.shape == (ids.shape[0], self.hidden_size):
                h = state
            else:
                raise ValueError(f"state must be None or a tensor of shape (B, hidden) = "
                                 f"{(ids.shape[0], self.hidden_size)}, got {tuple(getattr(state, 'shape', ()))}")
            steps = []
            for t in range(ids.shape[1]):       # backpropagation through time runs back through this loop
                h = self.cell(x[:, t], h)
                steps.append(h)
            hidden, state = torch.stack(steps, dim=1), h
            if return_hidden:
                extra["steps"] = tuple(steps)
        else:
            _check_torch_state(state, self.kind, (1, ids.shape[0], self.hidden_size))
            hidden, state = self.rnn(x, state)                           # (B, T, hidden)
        if return_hidden:
            extra["hidden"] = hidden
        return self._output(self.head(hidden), targets, state=state, **extra)


def _check_torch_state(state: object, kind: str, shape: tuple[int, int, int]) -> None:
    """A GRU's state is one tensor ``(1, B, hidden)``, an LSTM's a pair ``(h, c)`` of them; ``None`` is zeros."""
    def fits(part: object) -> bool:
        return isinstance(part, torch.Tensor) and tuple(part.shape) == shape

    if state is None:
        return
    if kind == "lstm":
        ok = isinstance(state, tuple) and len(state) == 2 and all(fits(part) for part in state)
    else:
        ok = fits(state)
    if not ok:
        what = "a pair (h, c) of tensors" if kind == "lstm" else "a tensor"
        raise ValueError(f"state must be None or, for a {kind.upper()}, {what} of shape (1, batch, hidden) = "
                         f"{shape}, as the previous call returned; got {type(state).__name__}")

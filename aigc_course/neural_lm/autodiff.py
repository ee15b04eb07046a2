"""Backpropagation written out: a scalar automatic-differentiation engine.

Each :class:`Scalar` is one number that remembers how it was made: the values it was
computed from (its *inputs*) and, for each input, the *local derivative* of the
operation (``c = a * b`` stores ``dc/da = b`` and ``dc/db = a``). A computation thus
builds a graph. :meth:`Scalar.backward` walks that graph from the output back to the
leaves, each node after every node that uses it, and applies the **chain rule**:

    input.grad += local_derivative * node.grad

so a value used twice collects both contributions. That is all ``loss.backward()``
does in PyTorch, with tensors in place of numbers and a derivative formula per
operation; the course uses ``torch`` from here on because one tensor operation does
the work of millions of these Python objects.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

__all__ = ["Scalar", "scalars", "MAX_GRAPH_NODES"]

#: Largest graph :meth:`Scalar.backward` walks: a Python object per number is slow, and
#: a graph of millions of nodes is a sign that tensors are the right tool.
MAX_GRAPH_NODES = 1_000_000


def _number(value: object, name: str) -> float:
    """A finite real number (``bool`` refused) as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number or a Scalar, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


class Scalar:
    """A number in a computation graph: ``value``, and after :meth:`backward`, ``grad``.

    ``grad`` is the derivative of the output that :meth:`backward` was called on with
    respect to this value. Build expressions with ``+ - * / **`` (mixing in plain
    numbers is fine) and the methods :meth:`exp`, :meth:`log`, :meth:`tanh`, :meth:`relu`.
    """

    __slots__ = ("value", "grad", "inputs", "local_grads", "op")

    def __init__(self, value: float, inputs: tuple[Scalar, ...] = (), local_grads: tuple[float, ...] = (),
                 op: str = "") -> None:
        self.value = _number(value, "value")
        self.grad = 0.0
        self.inputs = inputs              # the Scalars this one was computed from
        self.local_grads = local_grads    # d(self)/d(input), one per input
        self.op = op                      # how it was made, for printing the graph

    def __repr__(self) -> str:
        return f"Scalar(value={self.value:.6g}, grad={self.grad:.6g}{', op=' + repr(self.op) if self.op else ''})"

    @staticmethod
    def _lift(other: object) -> Scalar:
        return other if isinstance(other, Scalar) else Scalar(_number(other, "operand"))

    # Each operation returns a new node holding its inputs and their local derivatives.
    def __add__(self, other: object) -> Scalar:
        other = self._lift(other)
        return Scalar(self.value + other.value, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other: object) -> Scalar:
        other = self._lift(other)
        return Scalar(self.value * other.value, (self, other), (other.value, self.value), "*")

    def __pow__(self, exponent: object) -> Scalar:
        """``self ** exponent`` for a constant real exponent (``x ** -1`` is ``1 / x``)."""
        if isinstance(exponent, Scalar):
            raise TypeError("the exponent must be a plain number: Scalar ** Scalar is not supported "
                            "(write it as (y * x.log()).exp())")
        k = _number(exponent, "exponent")
        if self.value == 0 and k < 1:
            raise ValueError(f"0 ** {k} has no finite derivative (the value is 0 and the exponent is below 1)")
        if self.value < 0 and not k.is_integer():
            raise ValueError(f"a negative value ({self.value}) to a non-integer power ({k}) is not a real number")
        return Scalar(self.value ** k, (self,), (k * self.value ** (k - 1),), f"**{k:g}")

    def exp(self) -> Scalar:
        if self.value > 709:  # math.exp overflows a float beyond e**709.78
            raise ValueError(f"exp({self.value}) is too large for a float (the input must be <= 709)")
        out = math.exp(self.value)
        return Scalar(out, (self,), (out,), "exp")

    def log(self) -> Scalar:
        """Natural logarithm; the value must be > 0."""
        if self.value <= 0:
            raise ValueError(f"log needs a value > 0, got {self.value}")
        return Scalar(math.log(self.value), (self,), (1.0 / self.value,), "log")

    def tanh(self) -> Scalar:
        out = math.tanh(self.value)
        return Scalar(out, (self,), (1.0 - out * out,), "tanh")

    def relu(self) -> Scalar:
        return Scalar(max(self.value, 0.0), (self,), (float(self.value > 0),), "relu")

    # The rest is written with the operations above.
    def __neg__(self) -> Scalar:
        return self * -1.0

    def __sub__(self, other: object) -> Scalar:
        return self + (-self._lift(other))

    def __truediv__(self, other: object) -> Scalar:
        return self * self._lift(other) ** -1

    def __radd__(self, other: object) -> Scalar:
        return self + other

    def __rmul__(self, other: object) -> Scalar:
        return self * other

    def __rsub__(self, other: object) -> Scalar:
        return self._lift(other) - self

    def __rtruediv__(self, other: object) -> Scalar:
        return self._lift(other) / self

    def graph(self) -> list[Scalar]:
        """Every node this value depends on, itself included, each after all of its inputs."""
        order, seen, stack = [], {id(self)}, [(self, False)]
        while stack:  # depth-first, without recursion: a long sum would exceed Python's recursion limit
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
                continue
            stack.append((node, True))
            for child in node.inputs:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, False))
            if len(seen) > MAX_GRAPH_NODES:
                raise ValueError(f"the graph has more than MAX_GRAPH_NODES = {MAX_GRAPH_NODES:,} nodes; "
                                 "use torch tensors for computations this large")
        return order

    def backward(self) -> None:
        """Fill ``grad`` of every node in the graph with d(self)/d(node), by the chain rule.

        Gradients are set afresh on each call (PyTorch instead adds into ``.grad`` of the
        leaves until ``zero_grad``).
        """
        order = self.graph()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):  # outputs before inputs
            for child, local in zip(node.inputs, node.local_grads):
                child.grad += local * node.grad


def scalars(values: Iterable[float]) -> list[Scalar]:
    """Leaves of a new graph, one per number in ``values``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"values must be an iterable of numbers, got {type(values).__name__}")
    return [Scalar(_number(v, f"values[{i}]")) for i, v in enumerate(values)]

"""A scalar reverse-mode automatic differentiation engine, small enough to read in one sitting.

Every arithmetic operation on a :class:`Value` returns a new Value that remembers its inputs
(its *parents*) and the local derivative of its output with respect to each of them, computed
during the forward pass. :meth:`Value.backward` then applies the chain rule of lecture 001::

    dL/dL = 1,    dL/du = sum over nodes v that use u of  dL/dv * dv/du

visiting the nodes from the output down (reverse topological order), so that dL/dv is complete
before it is passed on. The array version of the same idea is :class:`rosenblatt.Tensor`.

>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = (x * w).tanh()
>>> y.backward()
>>> round(w.grad, 6) == round(2.0 * (1 - y.data**2), 6)
True
"""

from __future__ import annotations

import math
import numbers

from rosenblatt.base.checks import describe
from rosenblatt.base.topology import topological_order


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Value:
    """A scalar in a computation graph, with the gradient of the last :meth:`backward` output.

    **Formula**: each operation stores ``d out / d parent`` for its parents; ``backward``
    accumulates ``parent.grad += (d out / d parent) * out.grad`` in reverse topological order.

    Args:
        data: a finite real number.
        label: a name shown by :meth:`trace` (e.g. ``'w1'``).

    Attributes: ``data`` (float), ``grad`` (float, dL/d this node), ``label``, ``op`` (the
    operation that made the node, ``''`` for an input) and ``parents`` (its input nodes).

    >>> a = Value(3.0)
    >>> b = a * a + 2 * a
    >>> b.backward()
    >>> b.data, a.grad
    (15.0, 8.0)

    Lecture 001 (backpropagation on a computational graph; quiz L12).
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "_local_grads")

    def __init__(self, data, label: str = ""):
        if not _is_number(data):
            raise TypeError(f"data: expected a real number, got {describe(data)}")
        if not math.isfinite(data):
            raise ValueError(f"data: expected a finite number, got {data!r}")
        if not isinstance(label, str):
            raise TypeError(f"label: expected a str, got {describe(label)}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents: tuple[Value, ...] = ()
        self._local_grads: tuple[float, ...] = ()

    @classmethod
    def _result(cls, data: float, op: str, parents, local_grads) -> Value:
        """A new node ``op(parents)`` with value ``data`` and ``d data / d parent``."""
        if not math.isfinite(data):
            operands = ", ".join(f"{p.data:g}" for p in parents)
            raise OverflowError(f"{op}({operands}) = {data}: the result is not a finite float")
        out = cls(data)
        out.op = op
        out.parents = tuple(parents)
        out._local_grads = tuple(float(g) for g in local_grads)
        return out

    # ---- arithmetic: out = f(a, b) with the partial derivatives (df/da, df/db) ----

    def __add__(self, other) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        return Value._result(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        return Value._result(self.data - other.data, "-", (self, other), (1.0, -1.0))

    def __mul__(self, other) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        return Value._result(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __truediv__(self, other) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        if other.data == 0:
            raise ZeroDivisionError(f"division of {self.data:g} by a Value equal to 0")
        b = other.data
        return Value._result(self.data / b, "/", (self, other), (1.0 / b, -self.data / b**2))

    def __pow__(self, exponent) -> Value:
        """``a ** p`` for a number p: ``d/da = p a^(p - 1)``."""
        if not _is_number(exponent):
            raise TypeError(f"exponent: expected a number, got {describe(exponent)}")
        a, p = self.data, float(exponent)
        if a == 0 and p < 0:
            raise ZeroDivisionError(f"0 ** {p:g}: a Value equal to 0 to a negative power")
        if a < 0 and not p.is_integer():
            raise ValueError(f"{a:g} ** {p:g}: a negative base needs an integer exponent")
        if a == 0 and 0 < p < 1:
            raise ValueError(f"0 ** {p:g}: the derivative p a^(p - 1) is infinite at a = 0")
        local = 0.0 if p == 0 else p * a ** (p - 1)
        return Value._result(a**p, f"**{p:g}", (self,), (local,))

    def __neg__(self) -> Value:
        return Value._result(-self.data, "neg", (self,), (-1.0,))

    def __radd__(self, other) -> Value:
        return self + other

    def __rmul__(self, other) -> Value:
        return self * other

    def __rsub__(self, other) -> Value:
        other = _lift(other)
        return other if other is NotImplemented else other - self

    def __rtruediv__(self, other) -> Value:
        other = _lift(other)
        return other if other is NotImplemented else other / self

    # ---- elementary functions: out = f(a) with f'(a) ----

    def exp(self) -> Value:
        """``e^a``, derivative ``e^a``."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data:g}) is too large for a float") from None
        return Value._result(e, "exp", (self,), (e,))

    def log(self) -> Value:
        """Natural logarithm ``ln a`` for a > 0, derivative ``1 / a``."""
        if self.data <= 0:
            raise ValueError(f"log: expected a positive Value, got {self.data:g}")
        return Value._result(math.log(self.data), "log", (self,), (1.0 / self.data,))

    def tanh(self) -> Value:
        """``tanh a``, derivative ``1 - tanh(a)^2`` (lecture 002)."""
        t = math.tanh(self.data)
        return Value._result(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """``sigma(a) = 1 / (1 + e^-a)``, derivative ``sigma (1 - sigma)``; never overflows:
        for a < 0 it is computed as ``e^a / (1 + e^a)``."""
        if self.data >= 0:
            s = 1.0 / (1.0 + math.exp(-self.data))
        else:
            e = math.exp(self.data)
            s = e / (1.0 + e)
        return Value._result(s, "sigmoid", (self,), (s * (1.0 - s),))

    def relu(self) -> Value:
        """``max(0, a)``, derivative the step ``[a >= 0]`` as in lecture 000."""
        a = self.data
        return Value._result(max(a, 0.0), "relu", (self,), (1.0 if a >= 0 else 0.0,))

    # ---- reverse mode ----

    def topological_order(self) -> list[Value]:
        """Every node this Value depends on, each after all of its parents (iteratively)."""
        return topological_order([self], lambda node: node.parents)

    def backward(self) -> None:
        """Set ``grad`` of every node in the graph to d(self)/d(node).

        Gradients are recomputed from zero on each call; a node used several times receives
        the sum of the gradients along every path (the chain rule's sum over uses).
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node._local_grads, strict=True):
                parent.grad += local * node.grad

    def trace(self) -> str:
        """The graph as text: one line per node in topological order with its operation,
        inputs (by line number), value and gradient.

        >>> x = Value(2.0, "x")
        >>> print((x * x).trace())
        node  label  op    inputs           data           grad
           0  x      input                     2              0
           1         *     0, 0                4              0
        """
        order = self.topological_order()
        index = {id(node): i for i, node in enumerate(order)}
        width = max([len("label")] + [len(node.label) for node in order])
        header = f"node  {'label':<{width}}  {'op':<5} {'inputs':<10} {'data':>12}  {'grad':>13}"
        lines = [header]
        for i, node in enumerate(order):
            inputs = ", ".join(str(index[id(p)]) for p in node.parents)
            lines.append(
                f"{i:4d}  {node.label:<{width}}  {node.op or 'input':<5} {inputs:<10} "
                f"{node.data:12.6g}  {node.grad:13.6g}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


def _lift(value):
    """A Value for a Value or a number; NotImplemented (so Python raises TypeError) otherwise."""
    if isinstance(value, Value):
        return value
    if _is_number(value):
        return Value(value)
    return NotImplemented

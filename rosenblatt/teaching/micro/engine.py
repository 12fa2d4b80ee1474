"""A scalar reverse-mode automatic differentiation engine, small enough to read in one sitting.

Every arithmetic operation on a :class:`Value` returns a new Value that remembers its inputs
(its *parents*) and the local derivative of its output with respect to each of them, computed
during the forward pass. :meth:`Value.backward` then applies the chain rule of lecture 001::

    dL/dL = 1,    dL/du = sum over nodes v that use u of  dL/dv * dv/du

visiting the nodes from the output down (reverse topological order), so that dL/dv is complete
before it is passed on. As in ``Tensor``, PyTorch and micrograd, ``backward`` *adds* to every
node's ``grad``: call :meth:`Value.zero_grad` (or :func:`zero_grad` on the parameters) between
steps. The array version of the same idea is :class:`rosenblatt.Tensor`.

Numbers follow one rule: an operation whose result or derivative is not a finite float (a
division by 0, ``0 ** -1``, ``exp(1000)``, ``1e300 * 1e300``) is refused with a ValueError
naming the operation and its operands, rather than giving inf or nan.

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
    """A scalar in a computation graph, with the gradient its :meth:`backward` calls add up.

    **Formula**: each operation stores ``d out / d parent`` for its parents; ``backward``
    accumulates ``parent.grad += (d out / d parent) * out.grad`` in reverse topological order.

    Args:
        data: a finite real number.
        label: a name shown by :meth:`trace` (e.g. ``'w1'``).

    Attributes: ``data`` (float), ``grad`` (float, the sum over ``backward`` calls of
    d(output)/d(this node)), ``label``, ``op`` (the operation that made the node, ``''`` for an
    input) and ``parents`` (its input nodes).

    >>> a = Value(3.0)
    >>> b = a * a + 2 * a
    >>> b.backward()
    >>> b.data, a.grad
    (15.0, 8.0)
    >>> b.backward()          # gradients accumulate, as in PyTorch
    >>> a.grad
    16.0
    >>> b.zero_grad()
    >>> (2 ** a).data, (a ** Value(2.0)).data
    (8.0, 9.0)

    Lecture 001 (backpropagation on a computational graph; quiz L12).
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "_local_grads", "_delta")

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
        local_grads = tuple(map(float, local_grads))
        if not (math.isfinite(data) and all(map(math.isfinite, local_grads))):
            raise ValueError(f"{_show(op, parents)} = {data}: the result or its derivative is "
                             "not a finite float")
        out = object.__new__(cls)  # data is a float already: no need for __init__'s checks
        out.data, out.grad, out.label, out.op = float(data), 0.0, "", op
        out.parents = tuple(parents)
        out._local_grads = local_grads
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
        b = other.data
        if b == 0:
            raise ValueError(f"{_show('/', (self, other))}: division by a Value equal to 0")
        return Value._result(self.data / b, "/", (self, other), (1.0 / b, -self.data / b**2))

    def __pow__(self, exponent) -> Value:
        """``a ** p``: for a number p, ``d/da = p a^(p - 1)``; for a Value p also
        ``d/dp = a^p ln a``, which needs a > 0."""
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        if not _is_number(exponent):
            raise TypeError(f"exponent: expected a number or a Value, got {describe(exponent)}")
        a, p = self.data, float(exponent)
        op = f"**{p:g}"
        if a == 0 and p < 0:
            raise ValueError(f"{_show(op, (self,))}: 0 to a negative power is a division by 0")
        if a < 0 and not p.is_integer():
            raise ValueError(f"{_show(op, (self,))}: a negative base needs an integer exponent")
        if a == 0 and 0 < p < 1:
            raise ValueError(f"{_show(op, (self,))}: the derivative p a^(p - 1) is infinite at "
                             "a = 0")
        value = _power(a, p, op, (self,))
        local = 0.0 if p == 0 else p * _power(a, p - 1, op, (self,))
        return Value._result(value, op, (self,), (local,))

    def _pow_value(self, exponent: Value) -> Value:
        a, p = self.data, exponent.data
        if a <= 0:
            raise ValueError(f"{_show('**', (self, exponent))}: a Value exponent needs a "
                             "positive base (d/dp = a^p ln a)")
        value = _power(a, p, "**", (self, exponent))
        return Value._result(value, "**", (self, exponent),
                             (p * _power(a, p - 1, "**", (self, exponent)), value * math.log(a)))

    def __rpow__(self, base) -> Value:
        """``c ** v`` for a number c > 0: ``d/dv = c^v ln c``."""
        base = _lift(base)
        return base if base is NotImplemented else base._pow_value(self)

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
            raise ValueError(f"exp({self.data:g}) is too large for a float") from None
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
        """``max(0, a)``, derivative the step ``[a >= 0]``: relu'(0) = 1, as lecture 000
        writes it (and as ``Tensor`` computes it). PyTorch, TensorFlow and micrograd take
        relu'(0) = 0; the two differ only when a is exactly 0."""
        a = self.data
        return Value._result(max(a, 0.0), "relu", (self,), (1.0 if a >= 0 else 0.0,))

    # ---- reverse mode ----

    def topological_order(self) -> list[Value]:
        """Every node this Value depends on, each after all of its parents (iteratively)."""
        return topological_order([self], lambda node: node.parents)

    def backward(self) -> None:
        """Add d(self)/d(node) to the ``grad`` of every node in the graph (self's included).

        A node used several times receives the sum of the gradients along every path (the
        chain rule's sum over uses). The derivatives of this call are found first and then
        added, so calling ``backward`` twice doubles every ``grad``; :meth:`zero_grad` resets.
        """
        order = self.topological_order()
        for node in order:
            node._delta = 0.0  # this call's d(self)/d(node), complete once node is reached
        self._delta = 1.0
        for node in reversed(order):
            d = node._delta
            node.grad += d
            if d:
                for parent, local in zip(node.parents, node._local_grads, strict=True):
                    parent._delta += local * d

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 for every node of this Value's graph."""
        zero_grad(self.topological_order())

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


def zero_grad(values) -> None:
    """Set ``grad`` to 0 for each Value in ``values`` (say, a model's ``parameters()``).

    >>> w = Value(2.0)
    >>> (w * w).backward()
    >>> zero_grad([w]); w.grad
    0.0
    """
    values = list(values)
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"values: expected Values, got {describe(v)}")
    for v in values:
        v.grad = 0.0


def _show(op: str, parents) -> str:
    """How an error names an operation: ``op(a, b)`` with the operands' values."""
    return f"{op}({', '.join(f'{p.data:g}' for p in parents)})"


def _power(a: float, p: float, op: str, parents) -> float:
    try:
        return a**p
    except (OverflowError, ZeroDivisionError):
        raise ValueError(f"{_show(op, parents)}: the result is not a finite float") from None


def _lift(value):
    """A Value for a Value or a number; NotImplemented (so Python raises TypeError) otherwise."""
    if type(value) is Value or isinstance(value, Value):
        return value
    if type(value) is float:
        return Value._result(value, "", (), ()) if math.isfinite(value) else Value(value)
    if _is_number(value):
        return Value(value)
    return NotImplemented

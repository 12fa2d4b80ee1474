"""The classroom's tiny MLP on :class:`~rosenblatt.micro.Value`: Neuron, Layer and MLP.

A neuron computes ``f(b + sum_k w_k x_k)`` (lecture 000), a layer is a list of neurons that
share their inputs, and an MLP a list of layers, the last one linear. Every weight is a Value,
so ``loss.backward()`` gives each one its gradient; ``parameters()`` lists them for the
update ``w <- w - eta dL/dw``, and ``zero_grad()`` resets their gradients between steps
(``backward`` adds to them).

>>> net = MLP(2, [3, 1], seed=0)
>>> len(net.parameters())        # (2 + 1) * 3 + (3 + 1) * 1
13
>>> out = net([1.0, -1.0])
>>> out.backward()
>>> net.zero_grad(); {p.grad for p in net.parameters()}
{0.0}
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import check_positive, describe
from rosenblatt.base.random import make_rng
from rosenblatt.teaching.micro.engine import Value, zero_grad

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


class Module:
    """What Neuron, Layer and MLP share: ``parameters()`` and ``zero_grad()``."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0."""
        zero_grad(self.parameters())


class Neuron(Module):
    """One neuron: ``f(b + sum_k w_k x_k)``.

    Args:
        nin: number of inputs. activation: 'relu' (default, as in micrograd), 'tanh',
            'sigmoid' or 'linear'. seed: None, an int or a Generator; the weights are drawn
            from U(-1, 1) and the bias starts at 0.

    >>> n = Neuron(2, activation="linear", seed=0)
    >>> n.w[0].data, n.w[1].data = 2.0, -1.0
    >>> n([3.0, 1.0]).data
    5.0
    """

    def __init__(self, nin, activation="relu", seed=None):
        nin = int(check_positive(nin, "nin", integer=True))
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation: expected one of {', '.join(map(repr, ACTIVATIONS))}, "
                             f"got {activation!r}")
        rng = seed if isinstance(seed, np.random.Generator) else make_rng(seed)
        self.w = [Value(float(v)) for v in rng.uniform(-1, 1, nin)]
        self.b = Value(0.0)
        self.activation = activation

    def __call__(self, x) -> Value:
        x = list(x) if not isinstance(x, (str, bytes)) and hasattr(x, "__iter__") else None
        if x is None or len(x) != len(self.w):
            raise ValueError(f"x: expected {len(self.w)} inputs (numbers or Values), got "
                             f"{describe(x)}")
        a = sum((w * xi for w, xi in zip(self.w, x, strict=True)), self.b)
        return a if self.activation == "linear" else getattr(a, self.activation)()

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons on the same ``nin`` inputs; returns a list of Values (one if nout=1)."""

    def __init__(self, nin, nout, activation="relu", seed=None):
        nout = int(check_positive(nout, "nout", integer=True))
        rng = seed if isinstance(seed, np.random.Generator) else make_rng(seed)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer([{', '.join(map(repr, self.neurons))}])"


class MLP(Module):
    """Layers of widths ``nouts`` on ``nin`` inputs; hidden layers use ``activation``, the
    last one is linear (micrograd's MLP)."""

    def __init__(self, nin, nouts, activation="relu", seed=None):
        if isinstance(nouts, (str, bytes)) or not hasattr(nouts, "__iter__") or not list(nouts):
            raise TypeError(f"nouts: expected a non-empty list of layer widths, got "
                            f"{describe(nouts)}")
        sizes = [nin, *nouts]
        rng = seed if isinstance(seed, np.random.Generator) else make_rng(seed)
        self.layers = [Layer(sizes[k], sizes[k + 1],
                             activation if k < len(nouts) - 1 else "linear", rng)
                       for k in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
            x = [x] if isinstance(x, Value) and layer is not self.layers[-1] else x
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(map(repr, self.layers))}])"

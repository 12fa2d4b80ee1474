"""Backpropagation written out layer by layer in the notation of lecture 000 (example L08).

For one input x and target y, :func:`explain` runs the forward pass

    o(0) = x,   p(l) = Theta(l-1) o(l-1) + b(l-1),   o(l) = g(p(l)),   h = o(L)

and the backward pass of the squared error E = 1/2 ||h - y||^2

    delta(L) = (h - y) * g'(p(L))
    delta(l) = Theta(l)^T delta(l+1) * g'(p(l))
    dE/dTheta(l)_ij = delta(l+1)_i o(l)_j,   dE/db(l)_i = delta(l+1)_i

with plain NumPy in float64, and returns every array in a :class:`BackpropTrace` whose text
shows the computation. The library's Dense layers compute row vectors ``o W + b`` with a kernel
W of shape (in, out), so Theta(l-1) = W^T for the l-th Dense layer; the notes fold the bias into
column 0 of Theta acting on o_0 = 1, here it is kept as the separate vector b.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rosenblatt.base.checks import as_array, describe
from rosenblatt.graph import Graph
from rosenblatt.models import Model, Sequential
from rosenblatt.nn import activations
from rosenblatt.nn.layers import Dense
from rosenblatt.teaching.explain_graph import explain_graph

_DIGITS = 5


@dataclass
class LayerStep:
    """One Dense layer l (1..L) of a :class:`BackpropTrace`, in the notes' column vectors.

    Attributes:
        index: l, the number of the layer the step computes (layer 0 is the input).
        activation: the name of g.
        theta: Theta(l-1), shape (N_l, N_{l-1}): the transposed Dense kernel.
        bias: b(l-1), shape (N_l,), or None for a layer without bias.
        p: p(l) = Theta(l-1) o(l-1) + b(l-1), shape (N_l,).
        o: o(l) = g(p(l)), shape (N_l,).
        g_prime: g'(p(l)), shape (N_l,).
        delta: delta(l) = dE/dp(l), shape (N_l,).
        grad_theta: dE/dTheta(l-1) = delta(l) o(l-1)^T, shape (N_l, N_{l-1}).
        grad_bias: dE/db(l-1) = delta(l), or None without bias.

    Lecture 000 (the backward pass of a fully connected network).

    >>> step = explain([[[2.0]]], [1], [0], activation="linear", print_fn=None).layers[0]
    >>> step.p, step.delta, step.grad_theta
    (array([2.]), array([2.]), array([[2.]]))
    """

    index: int
    activation: str
    theta: np.ndarray
    bias: np.ndarray | None
    p: np.ndarray
    o: np.ndarray
    g_prime: np.ndarray
    delta: np.ndarray | None = None
    grad_theta: np.ndarray | None = None
    grad_bias: np.ndarray | None = None

    @property
    def grad_kernel(self) -> np.ndarray:
        """dE/dW in the Dense layout (in, out): the transpose of ``grad_theta``."""
        return self.grad_theta.T


@dataclass
class BackpropTrace:
    """The forward and backward pass of :func:`explain`; ``str(trace)`` renders it as text.

    Attributes:
        x: o(0), shape (N_0,). y: the target, shape (N_L,).
        layers: one :class:`LayerStep` per Dense layer, l = 1..L.
        h: the output o(L). error: E = 1/2 ||h - y||^2.

    ``gradients()`` lists dE/dW and dE/db in the layout of ``model.get_weights()``. Lecture 000,
    example L08.

    >>> trace = explain([[[1.0], [1.0]]], [1, 2], [1], activation="linear", print_fn=None)
    >>> trace.error, [g.tolist() for g in trace.gradients()]
    (2.0, [[[2.0], [4.0]], [2.0]])
    """

    x: np.ndarray
    y: np.ndarray
    layers: list[LayerStep]
    h: np.ndarray
    error: float

    @property
    def deltas(self) -> list[np.ndarray]:
        """[delta(1), ..., delta(L)]: dE/dp(l) for every layer."""
        return [step.delta for step in self.layers]

    def gradients(self) -> list[np.ndarray]:
        """dE/dW and dE/db in the layout of ``model.get_weights()``: kernel (in, out), bias."""
        grads = []
        for step in self.layers:
            grads.append(step.grad_kernel)
            if step.grad_bias is not None:
                grads.append(step.grad_bias)
        return grads

    def __str__(self) -> str:
        return "\n".join(_render(self))


def explain(model, x, y, biases=None, activation="sigmoid", print_fn=print) -> BackpropTrace:
    """Backpropagation on one sample, computed and printed in the notes' notation.

    **Formula** (lecture 000)::

        o(0) = x;  p(l) = Theta(l-1) o(l-1) + b(l-1);  o(l) = g(p(l));  h = o(L)
        E = 1/2 ||h - y||^2
        delta(L) = (h - y) * g'(p(L));  delta(l) = Theta(l)^T delta(l+1) * g'(p(l))
        dE/dTheta(l)_ij = delta(l+1)_i o(l)_j;  dE/db(l) = delta(l+1)

    with Theta(l-1) = W^T for the l-th Dense layer's kernel W (in, out). Everything is computed
    in float64 whatever the model's dtype.

    Args:
        model: a built ``Sequential`` of Dense layers, or a list of kernels W, each of shape
            (N_{l-1}, N_l) as in ``Dense.get_weights()``, or a :class:`~rosenblatt.graph.Graph`
            (then the trace goes node by node, with each node's delta_i in lecture 004's
            notation: :func:`rosenblatt.teaching.explain_graph.explain_graph`).
        x: the input, shape (N_0,) or (1, N_0).
        y: the target, shape (N_L,) or (1, N_L) (a number when N_L = 1).
        biases: with a list of kernels, their biases, each of shape (N_l,); None for zeros.
        activation: with a list of kernels, g as a name, or one name per layer.
        print_fn: called with the rendered trace; None prints nothing.

    Returns:
        The :class:`BackpropTrace` (a :class:`~rosenblatt.teaching.explain_graph.GraphTrace`
        for a graph).

    >>> W1 = [[1.0, -1.0], [2.0, 3.0]]
    >>> trace = explain([W1, [[1.0], [-1.0]]], [1, 0], [1], biases=[[-1, 1], [0]],
    ...                 print_fn=None)
    >>> trace.h, trace.layers[-1].delta
    (array([0.5]), array([-0.125]))
    """
    if isinstance(model, Graph):
        if biases is not None:
            raise ValueError("biases: give biases only with a list of kernels, not with a graph")
        return explain_graph(model, x, y, print_fn=print_fn)
    kernels, bias_list, acts = _network(model, biases, activation)
    x = _sample(x, "x", kernels[0].shape[0], "input")
    y = _sample(y, "y", kernels[-1].shape[1], "output")
    steps = _forward(kernels, bias_list, acts, x)
    h = steps[-1].o
    _backward(steps, x, h - y)
    trace = BackpropTrace(x, y, steps, h, float(0.5 * np.sum((h - y) ** 2)))
    if print_fn is not None:
        print_fn(str(trace))
    return trace


def _forward(kernels, bias_list, acts, x) -> list[LayerStep]:
    steps, o = [], x
    for index, (W, b, g) in enumerate(zip(kernels, bias_list, acts, strict=True), start=1):
        theta = W.T
        p = theta @ o if b is None else theta @ o + b
        o = g.value(p)
        steps.append(LayerStep(index, g.name, theta, b, p, o, g.derivative(p, o)))
    return steps


def _backward(steps: list[LayerStep], x: np.ndarray, error: np.ndarray) -> None:
    delta = error * steps[-1].g_prime
    for k in range(len(steps) - 1, -1, -1):
        step = steps[k]
        step.delta = delta
        o_prev = steps[k - 1].o if k > 0 else x
        step.grad_theta = np.outer(delta, o_prev)
        step.grad_bias = None if step.bias is None else delta.copy()
        if k > 0:
            delta = (step.theta.T @ delta) * steps[k - 1].g_prime


# ---------------------------------------------------------------------------- validation
def _network(model, biases, activation):
    """(kernels, biases, activations) as float64 arrays and Activation objects."""
    if isinstance(model, Model):
        return _from_model(model, biases)
    if not isinstance(model, (list, tuple)):
        raise TypeError(
            f"model: expected a Sequential of Dense layers or a list of kernels, got "
            f"{describe(model)}"
        )
    if len(model) == 0:
        raise ValueError("model: expected at least one kernel, got an empty list")
    kernels = [as_array(W, f"model[{i}]", np.float64, ndim=2) for i, W in enumerate(model)]
    for i in range(1, len(kernels)):
        if kernels[i].shape[0] != kernels[i - 1].shape[1]:
            raise ValueError(
                f"model[{i}]: expected a kernel with {kernels[i - 1].shape[1]} rows (the "
                f"outputs of model[{i - 1}]), got shape {kernels[i].shape}"
            )
    return kernels, _biases(biases, kernels), _activations(activation, len(kernels))


def _from_model(model, biases):
    if not isinstance(model, Sequential):
        raise TypeError(f"model: expected a Sequential of Dense layers, got {describe(model)}")
    if biases is not None:
        raise ValueError("biases: give biases only with a list of kernels, not with a model")
    layers = model.layers
    if not layers:
        raise ValueError("model: expected at least one Dense layer, got an empty Sequential")
    for layer in layers:
        if not isinstance(layer, Dense):
            raise ValueError(
                f"model: the explainer follows Dense layers only, got layer {layer.name!r} "
                f"of type {type(layer).__name__}"
            )
        if not layer.built:
            raise ValueError(
                f"model: layer {layer.name!r} is not built; give the first layer input_dim "
                "or call model.build(input_shape)"
            )
        _check_elementwise(layer.activation, f"layer {layer.name!r}")
    kernels = [layer.kernel.data.astype(np.float64) for layer in layers]
    bias_list = [
        None if layer.bias is None else layer.bias.data.astype(np.float64) for layer in layers
    ]
    return kernels, bias_list, [layer.activation for layer in layers]


def _biases(biases, kernels):
    if biases is None:
        return [np.zeros(W.shape[1]) for W in kernels]
    if not isinstance(biases, (list, tuple)) or len(biases) != len(kernels):
        count = len(biases) if isinstance(biases, (list, tuple)) else describe(biases)
        raise ValueError(f"biases: expected a list of {len(kernels)} bias vectors, got {count}")
    out = []
    for i, (b, W) in enumerate(zip(biases, kernels, strict=True)):
        b = as_array(b, f"biases[{i}]", np.float64, ndim=1)
        if b.shape != (W.shape[1],):
            raise ValueError(
                f"biases[{i}]: expected shape ({W.shape[1]},) to match model[{i}], got {b.shape}"
            )
        out.append(b)
    return out


def _activations(activation, n_layers: int):
    names = activation if isinstance(activation, (list, tuple)) else [activation] * n_layers
    if len(names) != n_layers:
        raise ValueError(
            f"activation: expected one activation or a list of {n_layers}, got {len(names)}"
        )
    acts = [activations.get(name) for name in names]
    for i, g in enumerate(acts):
        _check_elementwise(g, f"activation[{i}]")
    return acts


def _check_elementwise(g, where: str) -> None:
    if not isinstance(g, activations.Activation):
        raise ValueError(
            f"{where}: expected an elementwise activation with a derivative g' (such as "
            f"sigmoid, tanh, relu, linear), got {getattr(g, 'name', describe(g))!r}"
        )


def _sample(value, name: str, width: int, side: str) -> np.ndarray:
    arr = as_array(value, name, np.float64, ndim=(0, 1, 2))
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    arr = arr.reshape(-1) if arr.ndim == 0 else arr
    if arr.ndim != 1 or arr.shape[0] != width:
        raise ValueError(
            f"{name}: expected {width} values (the network's {side} width) as shape "
            f"({width},) or (1, {width}), got shape {np.shape(value)}"
        )
    return arr


# ---------------------------------------------------------------------------- rendering
def _fmt(arr) -> str:
    arr = np.asarray(arr)
    if arr.ndim == 0:
        return f"{float(arr) + 0.0:.{_DIGITS}g}"  # + 0.0 prints -0.0 as 0
    return "[" + ", ".join(_fmt(row) for row in arr) + "]"


def _render(trace: BackpropTrace) -> list[str]:
    sizes = [trace.x.size] + [step.o.size for step in trace.layers]
    L = len(trace.layers)
    lines = [
        f"Backpropagation (lecture 000) on a {'-'.join(map(str, sizes))} network, "
        f"activations: {', '.join(step.activation for step in trace.layers)}",
        "Notation: column vectors, as in the notes. Dense layer l computes the row vector",
        "o(l-1) W + b with a kernel W of shape (in, out), so Theta(l-1) = W^T. The bias is kept",
        "as a separate vector b(l-1) (the notes put it in column 0 of Theta(l-1), acting on",
        "o_0 = 1), so p(l) = Theta(l-1) o(l-1) + b(l-1) and dE/db(l-1) = delta(l).",
        "",
        "Forward pass",
        f"  o(0) = x = {_fmt(trace.x)}",
    ]
    for step in trace.layers:
        k, prev = step.index, step.index - 1
        bias = f" + b({prev})" if step.bias is not None else ""
        lines.append(f"  layer {k}: g = {step.activation}")
        lines.append(f"    Theta({prev}) = {_fmt(step.theta)}")
        if step.bias is not None:
            lines.append(f"    b({prev}) = {_fmt(step.bias)}")
        lines.append(f"    p({k}) = Theta({prev}) o({prev}){bias} = {_fmt(step.p)}")
        lines.append(f"    o({k}) = g(p({k})) = {_fmt(step.o)}")
    lines += [
        f"  h = o({L}) = {_fmt(trace.h)},  y = {_fmt(trace.y)}",
        f"  E = 1/2 ||h - y||^2 = {_fmt(trace.error)}",
        "",
        "Backward pass",
    ]
    for step in reversed(trace.layers):
        k, prev = step.index, step.index - 1
        if k == L:
            rule = f"(h - y) * g'(p({L})) = {_fmt(trace.h - trace.y)} * {_fmt(step.g_prime)}"
        else:
            above = trace.layers[k]
            back = _fmt(above.theta.T @ above.delta)
            rule = f"Theta({k})^T delta({k + 1}) * g'(p({k})) = {back} * {_fmt(step.g_prime)}"
        lines.append(f"  delta({k}) = {rule} = {_fmt(step.delta)}")
        lines.append(f"  dE/dTheta({prev})_ij = delta({k})_i o({prev})_j = {_fmt(step.grad_theta)}")
        if step.grad_bias is not None:
            lines.append(f"  dE/db({prev}) = delta({k}) = {_fmt(step.grad_bias)}")
    lines.append("In the Dense layout the kernel gradient is dE/dW = (dE/dTheta)^T.")
    return lines

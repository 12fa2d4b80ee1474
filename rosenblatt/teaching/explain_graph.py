"""Backpropagation on a neuron graph g = {N, E}, node by node, in lecture 004's notation.

For one input x and target y, the forward pass visits the nodes level by level::

    z_i = x_i for an input node;   a_i = b_i + sum over edges j -> i of w_ji z_j,   z_i = f_i(a_i)

and the backward pass of E = 1/2 sum over outputs (z_i - y_i)^2 visits them in reverse::

    delta_i = dE/da_i = f_i'(a_i) ([i is an output] (z_i - y_i) + sum over edges i -> k of
              w_ik delta_k)
    dE/dw_ji = delta_i z_j,   dE/db_i = delta_i

in float64 with NumPy. :func:`rosenblatt.explain.explain` calls :func:`explain_graph` when
it is given a :class:`~rosenblatt.graph.Graph`.

>>> from rosenblatt.graph import Graph
>>> g = Graph([(1, 2)], inputs=[1], outputs=[2], activation="linear", seed=0)
>>> g.set_edge_weights({(1, 2): 3.0})
>>> trace = explain_graph(g, [2.0], [1.0], print_fn=None)
>>> trace.h, trace.delta, trace.weight_gradients
([6.0], {2: 5.0}, {(1, 2): 10.0})
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rosenblatt.base.checks import as_array
from rosenblatt.graph import Graph
from rosenblatt.nn import activations


@dataclass
class GraphTrace:
    """The forward and backward pass of :func:`explain_graph`; ``str(trace)`` renders it.

    Attributes: ``a``, ``z``, ``f_prime``, ``delta`` and ``back`` ({node: float}, z for every
    node, the others for computing nodes; ``back`` is dE/dz_i, the bracket that f_i'(a_i)
    multiplies), ``h`` (the outputs, in order), ``y``, ``error``,
    ``weight_gradients`` ({(j, i): dE/dw_ji}) and ``bias_gradients`` ({i: dE/db_i}, empty
    without biases).
    """

    graph: Graph
    a: dict
    z: dict
    f_prime: dict
    delta: dict
    back: dict
    h: list
    y: list
    error: float
    weight_gradients: dict
    bias_gradients: dict

    def __str__(self) -> str:
        return "\n".join(_render(self))


def explain_graph(graph: Graph, x, y, print_fn=print) -> GraphTrace:
    """Backpropagation on one sample through ``graph``, node by node (see the module's text).

    Args:
        graph: a :class:`~rosenblatt.graph.Graph` whose activations are elementwise.
        x: the inputs, one value per input node (shape (n,) or (1, n)).
        y: the targets, one value per output node.
        print_fn: called with the rendered trace; None prints nothing.
    """
    s = graph.structure
    x = _values(x, "x", len(s.inputs), "input")
    y = _values(y, "y", len(s.outputs), "output")
    kinds = {node: activations.get(f) for node, f in s.activations.items()}
    for node, g in kinds.items():
        if not isinstance(g, activations.Activation):
            raise ValueError(f"graph: node {node!r} has activation {getattr(g, 'name', g)!r}; "
                             "the explainer needs elementwise activations with a derivative")
    w, b = graph.edge_weights, graph.biases
    into: dict = {}
    for j, i in s.edges:
        into.setdefault(i, []).append(j)
    z = dict(zip(s.inputs, x.tolist(), strict=True))
    a, f_prime = {}, {}
    computing = [node for level in graph.levels for node in level]
    for i in computing:
        a[i] = b[i] + sum(w[(j, i)] * z[j] for j in into[i])
        value = kinds[i].value(np.array([a[i]]))
        z[i] = float(value[0])
        f_prime[i] = float(kinds[i].derivative(np.array([a[i]]), value)[0])
    target = dict(zip(s.outputs, y.tolist(), strict=True))
    delta, back = {}, {}
    for i in reversed(computing):
        back[i] = (z[i] - target[i] if i in target else 0.0) + sum(
            w[(i, k)] * delta[k] for j, k in s.edges if j == i)
        delta[i] = f_prime[i] * back[i]
    h = [z[i] for i in s.outputs]
    trace = GraphTrace(graph, a, z, f_prime, delta, back, h, y.tolist(),
                       float(0.5 * np.sum((np.array(h) - y) ** 2)),
                       {(j, i): delta[i] * z[j] for j, i in s.edges},
                       {i: delta[i] for i in computing} if graph.use_bias else {})
    if print_fn is not None:
        print_fn(str(trace))
    return trace


def _values(value, name: str, width: int, side: str) -> np.ndarray:
    arr = as_array(value, name, np.float64, ndim=(0, 1, 2)).reshape(-1)
    if arr.shape != (width,):
        raise ValueError(f"{name}: expected {width} values (one per {side} node), got shape "
                         f"{np.shape(value)}")
    return arr


def _w(j, i) -> str:
    """w_ji as the notes write it for one-character names, else w[j -> i]."""
    return f"w_{j}{i}" if len(str(j)) == len(str(i)) == 1 else f"w[{j} -> {i}]"


def _f(v: float) -> str:
    return f"{v + 0.0:.5g}"


def _render(t: GraphTrace) -> list[str]:
    s = t.graph.structure
    kinds = {i: activations.get(f).name for i, f in s.activations.items()}
    lines = [f"Backpropagation on the graph g = {{N, E}} (lecture 004): {len(s.nodes)} nodes, "
             f"{len(s.edges)} edges, {len(t.graph.levels)} levels",
             "  a_i = b_i + sum_j w_ji z_j,  z_i = f_i(a_i);  E = 1/2 sum_out (z_i - y_i)^2",
             "", "Forward pass"]
    lines += [f"  z_{j} = x_{j} = {_f(t.z[j])}" for j in s.inputs]
    w, b = t.graph.edge_weights, t.graph.biases
    for d, level in enumerate(t.graph.levels, start=1):
        lines.append(f"  level {d}")
        for i in level:
            terms = " + ".join(f"{_w(j, i)} z_{j}" for j, k in s.edges if k == i)
            numbers = " + ".join(f"({_f(w[(j, i)])})({_f(t.z[j])})" for j, k in s.edges if k == i)
            lines.append(f"    a_{i} = b_{i} + {terms} = {_f(b[i])} + {numbers} = {_f(t.a[i])}")
            lines.append(f"    z_{i} = f_{i}(a_{i}) = {kinds[i]}({_f(t.a[i])}) = {_f(t.z[i])}")
    lines += [f"  h = ({', '.join(_f(v) for v in t.h)}),  y = ({', '.join(_f(v) for v in t.y)})"
              f",  E = {_f(t.error)}", "", "Backward pass: delta_i = dE/da_i"]
    target = dict(zip(s.outputs, t.y, strict=True))
    for d in range(len(t.graph.levels), 0, -1):
        for i in t.graph.levels[d - 1]:
            parts = [f"(z_{i} - y_{i})"] if i in target else []
            parts += [f"{_w(i, k)} delta_{k}" for j, k in s.edges if j == i]
            lines.append(f"  delta_{i} = f_{i}'(a_{i}) ({' + '.join(parts)}) = "
                         f"{_f(t.f_prime[i])} * {_f(t.back[i])} = {_f(t.delta[i])}")
    lines.append("Gradients: dE/dw_ji = delta_i z_j, dE/db_i = delta_i")
    lines += [f"  dE/d{_w(j, i)} = {_f(g)}" for (j, i), g in t.weight_gradients.items()]
    lines += [f"  dE/db_{i} = {_f(g)}" for i, g in t.bias_gradients.items()]
    return lines

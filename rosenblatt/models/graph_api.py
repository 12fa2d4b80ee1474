"""The functional API's graphs seen from a model: its layers by name or position, and a
model used as a layer of a bigger graph (nested, its weights shared, as in Keras).

>>> from rosenblatt.layers import Input, Dense
>>> from rosenblatt.models import Model
>>> x = Input(shape=(3,), name="x")
>>> inner = Model(x, Dense(2, name="inner_dense")(x), name="inner")
>>> z = Input(shape=(3,), name="z")
>>> outer = Model(z, Dense(1, name="top")(inner(z)), name="outer")
>>> [layer.name for layer in outer.layers]
['z', 'inner', 'top']
>>> outer.get_layer("inner") is inner
True
"""

from __future__ import annotations

import numpy as np

from rosenblatt.nn.merge import Concatenate
from rosenblatt.nn.symbolic import SymbolicTensor, symbolic_call


def get_layer(model, name=None, index=None):
    """The layer of ``model`` called ``name``, or at position ``index`` of its ``layers``."""
    if (name is None) == (index is None):
        raise ValueError(f"get_layer: give exactly one of name and index, got name={name!r} "
                         f"and index={index!r}")
    layers = model.layers
    if index is not None:
        if not isinstance(index, (int, np.integer)) or isinstance(index, bool) or not (
                -len(layers) <= index < len(layers)):
            raise ValueError(f"index: expected an integer in [0, {len(layers) - 1}], got "
                             f"{index!r}")
        return layers[index]
    for layer in layers:
        if layer.name == name:
            return layer
    raise ValueError(f"name: no layer {name!r} in model {model.name!r}; its layers are "
                     f"{[layer.name for layer in layers]}")


def nested_call(model, values, listed: bool):
    """``model`` used as a layer on symbolic tensors: one call of a bigger graph, with one
    symbolic output per output of the model (its weights shared)."""
    if model._graph is None:
        raise TypeError(f"model {model.name!r}: only functional and Sequential models with a "
                        f"known input shape can be called on symbolic tensors")
    if not all(isinstance(v, SymbolicTensor) for v in values):
        raise TypeError("inputs: expected all symbolic tensors or none, got a mix")
    expected = [tuple(t.shape) for t in model._graph.inputs]
    got = [tuple(v.shape) for v in values]
    if expected != got:
        raise ValueError(f"inputs: model {model.name!r} expects inputs of shapes {expected}, "
                         f"got {got}")
    shapes = [tuple(t.shape[1:]) for t in model._graph.outputs]
    made = symbolic_call(model, values, shapes, listed=listed)
    return made[0] if len(made) == 1 else made


def once(weights: list) -> list:
    seen = set()
    return [w for w in weights if not (id(w) in seen or seen.add(id(w)))]


def chain(graph):
    """``(positions, layers)`` when ``graph`` is a chain after its inputs, else None.

    A chain: each call reads the one before it, and the first reads the inputs: the one input,
    or, for several 2-D inputs, a ``Concatenate`` of the last axis taking each input once, in
    the order ``positions`` (indices into the graph's inputs); ``layers`` are the calls after
    it. The graph-free training step runs such a graph as one stack of layers.
    """
    k = len(graph.inputs)
    calls = graph.nodes[k:]
    if not calls or any(n.inputs != (prev,) for prev, n in zip(calls, calls[1:], strict=False)):
        return None
    first = calls[0]
    if k == 1:
        return ([0], [n.layer for n in calls]) if first.inputs == (graph.inputs[0],) else None
    ids = [id(t) for t in graph.inputs]
    positions = [ids.index(id(t)) if id(t) in ids else -1 for t in first.inputs]
    if (not isinstance(first.layer, Concatenate) or sorted(positions) != list(range(k))
            or any(len(t.shape) != 2 for t in graph.inputs) or first.layer.axis not in (-1, 1)):
        return None
    return positions, [n.layer for n in calls[1:]]

"""The functional API's graph: symbolic tensors that record which layer made them from what.

``Input(shape=...)`` starts a graph; calling a layer on a symbolic tensor returns a new one
(no computation, only shapes). ``Model(inputs, outputs)`` orders the recorded calls and runs
them on real tensors: several inputs and outputs, merge layers reading several tensors, a
layer called more than once (shared: autodiff sums its gradient over the uses) and models
used as layers. Lecture 002: "Functional API (our favorite API)".

>>> from rosenblatt.layers import Input, Dense, concatenate
>>> a, b = Input(shape=(2,), name="a"), Input(shape=(3,), name="b")
>>> graph = Graph([a, b], Dense(1, name="out")(concatenate([a, b])))
>>> [layer.name for layer in graph.layers][-1], len(graph.inputs)
('out', 2)
"""

from __future__ import annotations

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.topology import topological_order
from rosenblatt.nn import layers
from rosenblatt.nn.symbolic import SymbolicTensor


class Graph:
    """The calls between ``inputs`` and ``outputs``, each after the calls it reads.

    ``inputs`` / ``outputs``: a symbolic tensor, a list of them, or a dict of them (its values
    in order; ``input_names`` / ``output_names`` are the tensors' names either way)."""

    def __init__(self, inputs, outputs):
        self.inputs = as_tensor_list(inputs, "inputs")
        self.outputs = as_tensor_list(outputs, "outputs")
        input_ids = {id(t) for t in self.inputs}
        ordered = topological_order(self.outputs, lambda node: node.inputs)
        self.nodes = list(self.inputs) + [
            n for n in ordered if id(n) not in input_ids]
        if len(input_ids) != len(self.inputs):
            raise ValueError("inputs: the same Input is listed twice")
        for node in self.nodes:
            if not node.inputs and id(node) not in input_ids:
                raise ValueError(
                    f"outputs depend on the input {node.layer.name!r}, which is not among the "
                    f"model's inputs"
                )
        self.layers = []
        for node in [*self.inputs, *self.nodes]:
            if node.layer not in self.layers:
                self.layers.append(node.layer)
        check_unique_names(self.layers)
        self.output_names = unique_output_names(self.outputs)
        self.input_names = [t.layer.name for t in self.inputs]

    def run(self, values: list[Tensor], training: bool) -> list[Tensor]:
        """Compute the outputs from input tensors, each call after the calls it reads."""
        results = {id(t): v for t, v in zip(self.inputs, values, strict=True)}
        calls = {}
        for node in self.nodes:
            if id(node) in results:
                continue
            call = node.call
            if id(call) not in calls:
                args = [results[id(p)] for p in call.inputs]
                calls[id(call)] = call.layer(args if call.listed else args[0], training=training)
            value = calls[id(call)]
            results[id(node)] = value[node.index] if call.several_outputs else value
        return [results[id(t)] for t in self.outputs]

    def build(self, rng) -> None:
        for node in self.nodes:
            call = node.call
            if not call.inputs:
                node.layer.ensure_built(node.shape[1:], rng)
            elif not call.listed:
                node.layer.ensure_built(call.inputs[0].shape[1:], rng)

    def get_config(self) -> dict:
        ids = _node_ids(self.nodes)
        nodes = []
        for n in self.nodes:
            spec = {"id": ids[id(n)], "layer": n.layer.name,
                    "inbound": [ids[id(p)] for p in n.inputs]}
            if n.call.listed:
                spec["listed"] = True
            if n.call.several_outputs:
                spec["index"] = n.index
                spec["call"] = ids[id(_first_sibling(self.nodes, n))]
            nodes.append(spec)
        return {
            "layers": [layers.serialize(layer) for layer in self.layers],
            "nodes": nodes,
            "inputs": [ids[id(t)] for t in self.inputs],
            "outputs": [ids[id(t)] for t in self.outputs],
        }

    @classmethod
    def from_config(cls, config: dict) -> Graph:
        by_name = {}
        for spec in config["layers"]:
            layer = layers.deserialize(spec)
            by_name[layer.name] = layer
        made, calls = {}, {}
        for node in config["nodes"]:
            layer = by_name[node["layer"]]
            args = [made[i] for i in node["inbound"]]
            if not args:
                made[node["id"]] = SymbolicTensor(tuple(layer.input_shape_arg), layer, ())
            elif "call" in node:
                key = node["call"]
                if key not in calls:
                    calls[key] = layer(args if node.get("listed") else args[0])
                made[node["id"]] = calls[key][node["index"]]
            elif node.get("listed"):
                made[node["id"]] = layer(args)
            else:
                made[node["id"]] = layer(args[0])
        return cls([made[i] for i in config["inputs"]], [made[i] for i in config["outputs"]])


def _first_sibling(nodes, node):
    return next(n for n in nodes if n.call is node.call)


def check_unique_names(layers) -> None:
    """Refuse two different layers of one model with the same name: its file could not tell
    them apart (Keras refuses them too)."""
    seen = {}
    for layer in layers:
        other = seen.setdefault(layer.name, layer)
        if other is not layer:
            raise ValueError(
                f"layers: the name {layer.name!r} is used by two layers of the model; every "
                f"layer of a model needs a unique name"
            )


def unique_output_names(outputs) -> list[str]:
    """Each output's name, Keras' way: its layer's name (numbered when a layer gives two)."""
    names = []
    for t in outputs:
        name, k = t.name, 1
        while name in names:
            name, k = f"{t.name}_{k}", k + 1
        names.append(name)
    return names


def as_tensor_list(value, name: str) -> list:
    """``value`` (a symbolic tensor, or a list, tuple or dict of them) as a non-empty list."""
    if isinstance(value, dict):
        items = list(value.values())
    else:
        items = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if not isinstance(item, SymbolicTensor):
            raise TypeError(
                f"{name}: expected tensors made by Input(...) and layers, got "
                f"{type(item).__name__}"
            )
    if not items:
        raise ValueError(f"{name}: expected at least one tensor, got none")
    return items


def _node_ids(nodes) -> dict[int, str]:
    ids, counts = {}, {}
    for node in nodes:
        k = counts.get(node.layer.name, 0)
        counts[node.layer.name] = k + 1
        ids[id(node)] = node.layer.name if k == 0 else f"{node.layer.name}:{k}"
    return ids

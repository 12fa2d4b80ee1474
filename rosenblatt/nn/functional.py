"""The functional API's graph: symbolic tensors that record which layer made them from what.

``Input(shape=...)`` starts a graph; calling a layer on a symbolic tensor returns a new one
(no computation, only shapes). ``Model(inputs, outputs)`` orders the recorded nodes and runs
them on real tensors. Lecture 002: "Functional API (our favorite API)".
"""

from __future__ import annotations

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.topology import topological_order
from rosenblatt.nn import layers
from rosenblatt.nn.symbolic import SymbolicTensor


class Graph:
    """The nodes between ``inputs`` and ``outputs``, in an order where each follows its inputs."""

    def __init__(self, inputs, outputs):
        self.inputs = _as_list(inputs, "inputs")
        self.outputs = _as_list(outputs, "outputs")
        self.nodes = topological_order(self.outputs, lambda node: node.inputs)
        input_ids = {id(t) for t in self.inputs}
        for node in self.nodes:
            if not node.inputs and id(node) not in input_ids:
                raise ValueError(
                    f"outputs depend on the input {node.layer.name!r}, which is not among the "
                    f"model's inputs"
                )
        self.layers = []
        for node in self.nodes:
            if node.layer not in self.layers:
                self.layers.append(node.layer)
        check_unique_names(self.layers)

    def run(self, values: list[Tensor], training: bool) -> list[Tensor]:
        """Compute the outputs from input tensors, each node after the nodes it reads."""
        results = {id(t): v for t, v in zip(self.inputs, values, strict=True)}
        for node in self.nodes:
            if id(node) not in results:
                results[id(node)] = node.layer(results[id(node.inputs[0])], training=training)
        return [results[id(t)] for t in self.outputs]

    def build(self, rng) -> None:
        for node in self.nodes:
            if node.inputs:
                node.layer.ensure_built(node.inputs[0].shape[1:], rng)
            else:
                node.layer.ensure_built(node.shape[1:], rng)

    def get_config(self) -> dict:
        ids = _node_ids(self.nodes)
        return {
            "layers": [layers.serialize(layer) for layer in self.layers],
            "nodes": [
                {"id": ids[id(n)], "layer": n.layer.name, "inbound": [ids[id(p)] for p in n.inputs]}
                for n in self.nodes
            ],
            "inputs": [ids[id(t)] for t in self.inputs],
            "outputs": [ids[id(t)] for t in self.outputs],
        }

    @classmethod
    def from_config(cls, config: dict) -> Graph:
        by_name = {}
        for spec in config["layers"]:
            layer = layers.deserialize(spec)
            by_name[layer.name] = layer
        made = {}
        for node in config["nodes"]:
            layer = by_name[node["layer"]]
            if node["inbound"]:
                made[node["id"]] = made[node["inbound"][0]].apply(layer)
            else:
                made[node["id"]] = SymbolicTensor(tuple(layer.input_shape_arg), layer, ())
        return cls([made[i] for i in config["inputs"]], [made[i] for i in config["outputs"]])


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


def _as_list(value, name: str) -> list:
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if not isinstance(item, SymbolicTensor):
            raise TypeError(
                f"{name}: expected tensors made by Input(...) and layers, got "
                f"{type(item).__name__}"
            )
    if len(items) != 1:
        raise ValueError(f"{name}: models with exactly one input and one output are supported, "
                         f"got {len(items)}")
    return items


def _node_ids(nodes) -> dict[int, str]:
    ids, counts = {}, {}
    for node in nodes:
        k = counts.get(node.layer.name, 0)
        counts[node.layer.name] = k + 1
        ids[id(node)] = node.layer.name if k == 0 else f"{node.layer.name}:{k}"
    return ids

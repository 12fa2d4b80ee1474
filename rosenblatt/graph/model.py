"""``Graph``: lecture 004's network g = {N, E} as a model, computed level by level.

Every node i is a neuron with its own activation f_i::

    z_i = f_i(a_i),    a_i = b_i + sum over edges j -> i of w_ji z_j

input nodes take their values from outside and output nodes give the model's outputs, in the
order of ``outputs``. Nodes are grouped into levels by depth (an input has depth 0, any other
node one more than its deepest source), and each level is one masked matrix product over the
batch (:class:`~rosenblatt.graph.level.NodeLevel`), so the cost grows with the number of
levels, not of nodes. Gradients go through ``Tensor``'s autodiff, so every optimizer, loss,
callback and batch mode of ``fit`` works.

>>> import numpy as np
>>> g = Graph([(1, 3), (2, 3), (1, 4), (2, 4), (3, 4)], inputs=[1, 2], outputs=[4], seed=0)
>>> g.count_params()           # 5 edges and the biases of nodes 3 and 4
7
>>> g.predict(np.array([[0.0, 1.0]])).shape
(1, 1)
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.autodiff.shape_ops import concatenate, getitem
from rosenblatt.base.checks import check_bool, describe
from rosenblatt.graph.level import NodeLevel
from rosenblatt.graph.structure import GraphShape
from rosenblatt.models.model import Model
from rosenblatt.models.saving import register_model_class
from rosenblatt.models.sequential import Sequential
from rosenblatt.nn import activations as activation_registry
from rosenblatt.nn import initializers
from rosenblatt.nn.layers import Dense, unique_name


class Graph(Model):
    """A network given by its nodes and weighted edges (lecture 004), trained like any model.

    Args:
        edges: a list of (j, i) pairs, each an edge j -> i with its weight w_ji. Nodes are
            any hashable names (ints and strs can be saved to a file).
        inputs, outputs: lists of nodes; the columns of x, and of the predictions, in order.
        activation: every computing node's activation unless ``activations`` names another.
        activations: ``{node: activation}`` for nodes with their own f_i.
        use_bias: every non-input node has a bias b_i.
        kernel_initializer, bias_initializer: as for Dense, drawn level by level.
        seed: int or Generator for the weights and shuffling. name, dtype: as for models.

    Refused, each with a message naming the argument: a cycle (its nodes are named), an edge
    into an input node, an output not reachable from the inputs, a non-input node without
    incoming edges, an unknown node in ``activations``, duplicate edges or nodes. Hidden
    nodes on no path from an input to an output are reported with a warning (``dangling``).

    Attributes: ``edge_weights`` {(j, i): w_ji}, ``biases`` {i: b_i} (read; write them with
    :meth:`set_edge_weights`, :meth:`set_biases`), ``levels`` (the nodes of each level).

    >>> g = Graph([("x", "h"), ("h", "y"), ("x", "y")], inputs=["x"], outputs=["y"],
    ...           activations={"y": "linear"}, seed=0)
    >>> g.set_edge_weights({("x", "h"): 1.0, ("h", "y"): 2.0, ("x", "y"): -1.0})
    >>> g.set_biases({"h": 0.0, "y": 0.5})
    >>> float(g.predict(np.array([[0.0]]))[0, 0])   # 0.5 + 2 sigma(0) - 0
    1.5
    """

    def __init__(self, edges, inputs, outputs, activation="sigmoid", activations=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 seed=None, name=None, dtype=None):
        default = activation_registry.get(activation)
        if activations is not None and isinstance(activations, dict):
            activations = {node: activation_registry.get(f) for node, f in activations.items()}
        use_bias = check_bool(use_bias, "use_bias")
        kernel_initializer = initializers.get(kernel_initializer)
        bias_initializer = initializers.get(bias_initializer)
        structure = GraphShape.of(edges, inputs, outputs, activations, default)
        super().__init__(name=name or unique_name("graph"), seed=seed)
        self.structure = structure
        self.default_activation = default
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self._levels = [NodeLevel(level, use_bias, kernel_initializer, bias_initializer,
                                  name=f"{self.name}_level_{d + 1}", dtype=dtype)
                        for d, level in enumerate(structure.levels)]
        self._place = {edge: (d, *where) for d, level in enumerate(structure.levels)
                       for edge, where in level.places.items()}
        width = [len(structure.inputs)] + [len(level.nodes) for level in structure.levels]
        for level in self._levels:
            level.ensure_built((sum(width[b] for b in level.level.blocks),), self._rng)
        self.input_shape = (len(structure.inputs),)
        self._dense = None if self.layered() else [level.as_dense() for level in self._levels]

    # ------------------------------------------------------------------ structure
    @property
    def layers(self) -> list:
        return list(self._levels)

    @property
    def levels(self) -> list[tuple]:
        """The nodes of each level, lowest first (level 0, the inputs, not included)."""
        return [level.level.nodes for level in self._levels]

    @property
    def dangling(self) -> tuple:
        """Hidden nodes on no path from an input to an output."""
        return self.structure.dangling

    def chain(self):
        """A layered graph's levels as Dense layers holding the levels' own weights (so the
        chain paths of training and prediction run it, as they run the same Sequential), else
        None."""
        if self._dense is None:
            return None
        for view, level in zip(self._dense, self._levels, strict=True):
            view.trainable = level.trainable
        return list(self._dense)

    def output_layer(self):
        """The last level's Dense form when the graph is layered (its output activation
        can then be fused into the loss), else None."""
        return None if self._dense is None else self._dense[-1]

    def call(self, inputs, training=False):
        """The outputs (batch, len(outputs)) from the inputs (batch, len(inputs)), level by
        level: each level reads the blocks below it that hold its sources."""
        blocks = [inputs]
        for level in self._levels:
            used = level.level.blocks
            x = blocks[used[0]] if len(used) == 1 else concatenate([blocks[b] for b in used], 1)
            blocks.append(level.call(x, training))
        return self._gather(blocks)

    def _gather(self, blocks):
        where = [self.structure.where[node] for node in self.structure.outputs]
        block = where[0][0]
        columns = [k for _, k in where]
        if all(b == block for b, _ in where) and columns == list(range(columns[0],
                                                                      columns[-1] + 1)):
            out = blocks[block]
            if len(columns) == out.shape[1]:
                return out
            return getitem(out, (slice(None), slice(columns[0], columns[-1] + 1)))
        return concatenate([getitem(blocks[b], (slice(None), slice(k, k + 1)))
                            for b, k in where], axis=1)

    # ------------------------------------------------------------------ weights by edge
    @property
    def edge_weights(self) -> dict:
        """``{(j, i): w_ji}`` for every edge, in the order of ``edges``."""
        return {edge: float(self._levels[d].kernel.data[row, column])
                for edge, (d, row, column) in sorted(self._place.items(), key=self._edge_order)}

    def _edge_order(self, item):
        return self.structure.edges.index(item[0])

    @property
    def biases(self) -> dict:
        """``{i: b_i}`` for every non-input node (0.0 each when ``use_bias`` is False)."""
        return {node: (float(level.bias.data[k]) if level.bias is not None else 0.0)
                for level in self._levels for k, node in enumerate(level.level.nodes)}

    def set_edge_weights(self, weights) -> None:
        """Set w_ji for the edges in ``weights`` ({(j, i): number}); other edges keep theirs.
        Every key and value is checked first: a refused call changes nothing."""
        values = _number_map(weights, "weights", self._place, "edge")
        for edge, value in values.items():
            d, row, column = self._place[edge]
            self._levels[d].kernel.data[row, column] = value

    def set_biases(self, biases) -> None:
        """Set b_i for the nodes in ``biases`` ({node: number}); the others keep theirs."""
        if not self.use_bias:
            raise ValueError("biases: this graph has no biases (use_bias=False)")
        column = {node: (level, k) for level in self._levels
                  for k, node in enumerate(level.level.nodes)}
        for node, value in _number_map(biases, "biases", column, "node").items():
            level, k = column[node]
            level.bias.data[k] = value

    def set_weights(self, values) -> None:
        """As Model.set_weights (each level's kernel, then its bias); kernel entries without
        an edge are kept at 0."""
        super().set_weights(values)
        for level in self._levels:
            level.kernel.data *= level.mask

    def count_params(self) -> int:
        """The number of edges plus the number of biases."""
        return len(self._place) + (sum(len(level.level.nodes) for level in self._levels)
                                   if self.use_bias else 0)

    # ------------------------------------------------------------------ inspection
    def summary(self, print_fn=print) -> str:
        """Print the nodes, edges and parameters, and each level's nodes and activations."""
        s = self.structure
        hidden = len(s.nodes) - len(s.inputs) - len(s.outputs)
        lines = [f'Graph: "{self.name}"',
                 f"Nodes: {len(s.nodes)} ({len(s.inputs)} inputs, {hidden} hidden, "
                 f"{len(s.outputs)} outputs)",
                 f"Edges: {len(s.edges)}", f"Levels: {len(self._levels)}"]
        for d, level in enumerate(self._levels, start=1):
            groups = "; ".join(f"{', '.join(map(repr, level.level.nodes[a:b]))} "
                               f"({activation_registry.serialize(f)})"
                               for f, a, b in level.groups)
            lines.append(f"  level {d}: {groups}")
        if s.dangling:
            lines.append(f"Dangling hidden nodes: {', '.join(map(repr, s.dangling))}")
        lines.append(f"Total params: {self.count_params():,}")
        text = "\n".join(lines)
        if print_fn is not None:
            print_fn(text)
        return text

    # ------------------------------------------------------------------ conversions
    def layered(self) -> str | None:
        """None when the graph is a layered MLP (each level fed by all of the level below
        only, one activation per level, the outputs the last level in order), else why not."""
        for d, level in enumerate(self._levels, start=1):
            if level.level.blocks != (d - 1,) or not level.full:
                return f"level {d} is not fed by every node of level {d - 1} alone"
            if level.activation is None:
                return f"level {d} mixes activations"
        if tuple(self.structure.outputs) != self._levels[-1].level.nodes:
            return "the outputs are not the last level's nodes in order"
        return None

    def to_model(self):
        """The same network as a Sequential of Dense layers, when the graph is layered."""
        reason = self.layered()
        if reason is not None:
            raise ValueError(f"to_model: the graph is not layered: {reason}")
        width = len(self.structure.inputs)
        model = Sequential(seed=self.seed)
        for level in self._levels:
            model.add(Dense(len(level.level.nodes), activation=level.activation,
                            use_bias=self.use_bias, input_dim=width, dtype=level.dtype))
            width = len(level.level.nodes)
        model.set_weights(self.get_weights())
        return model

    @classmethod
    def from_model(cls, model, seed=None):
        """The graph of a model made of Dense layers: inputs ``x1..``, hidden nodes ``h<l>_<k>``
        (layer l, unit k), outputs ``y1..``; the weights are copied. When some layers have
        biases and others not, every node gets one, those of bias-free layers starting at 0
        (so the predictions agree, but training then moves them too)."""
        chain = model.chain() if isinstance(model, Model) else None
        if not chain or any(type(layer) is not Dense for layer in chain):
            raise ValueError(f"model: expected a built model made of Dense layers only, got "
                             f"{describe(model)}")
        if not model.built:
            raise ValueError(f"model: {model.name!r} is not built yet; build or fit it first")
        names = [[f"x{k + 1}" for k in range(model.input_shape[0])]]
        for depth, layer in enumerate(chain, start=1):
            prefix = "y" if depth == len(chain) else f"h{depth}_"
            names.append([f"{prefix}{k + 1}" for k in range(layer.units)])
        edges = [(j, i) for below, above in zip(names, names[1:], strict=False)
                 for i in above for j in below]
        kinds = [activation_registry.serialize(layer.activation) for layer in chain]
        own = {node: kind for nodes, kind in zip(names[1:], kinds, strict=True)
               for node in nodes}
        graph = cls(edges, names[0], names[-1], activation=kinds[-1], activations=own,
                    use_bias=any(layer.use_bias for layer in chain), seed=seed,
                    dtype=chain[0].dtype)
        for level, layer in zip(graph._levels, chain, strict=True):
            level.kernel.data[...] = layer.kernel.data
            if level.bias is not None:
                level.bias.data[...] = 0 if layer.bias is None else layer.bias.data
        return graph

    # ------------------------------------------------------------------ files
    def get_config(self) -> dict:
        s = self.structure
        for node in s.nodes:
            if not isinstance(node, (int, str)) or isinstance(node, bool):
                raise TypeError(f"save: node {node!r} is a {type(node).__name__}; only graphs "
                                "whose node names are ints or strs can be saved")
        own = [[node, activation_registry.serialize(f)] for node, f in s.activations.items()
               if f is not self.default_activation]
        return {"name": self.name, "seed": self.seed, "edges": [list(e) for e in s.edges],
                "inputs": list(s.inputs), "outputs": list(s.outputs),
                "activation": activation_registry.serialize(self.default_activation),
                "activations": own, "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "dtype": str(self._dtype())}

    @classmethod
    def from_config(cls, config: dict):
        edges = config["edges"]
        if not isinstance(edges, list) or not all(isinstance(e, list) for e in edges):
            raise TypeError("edges: expected a list of [j, i] pairs")
        own = config.get("activations", [])
        if not isinstance(own, list) or not all(isinstance(p, list) and len(p) == 2
                                                for p in own):
            raise TypeError("activations: expected a list of [node, activation] pairs")
        return cls([tuple(e) for e in edges], config["inputs"], config["outputs"],
                   activation=config["activation"], activations=dict(map(tuple, own)),
                   use_bias=config["use_bias"], kernel_initializer=config["kernel_initializer"],
                   bias_initializer=config["bias_initializer"], seed=config.get("seed"),
                   name=config.get("name"), dtype=config.get("dtype"))


def _number_map(values, name: str, known: dict, noun: str) -> dict:
    """``values`` ({key: real number}) checked against the known keys, as floats."""
    if not isinstance(values, dict):
        raise TypeError(f"{name}: expected a dict {{{noun}: number}}, got {describe(values)}")
    out = {}
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"{name}: {key!r} is not a{'n' if noun == 'edge' else ''} {noun} "
                             "of the graph")
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"{name}: expected a real number for {key!r}, got {describe(value)}")
        if not np.isfinite(value):
            raise ValueError(f"{name}: expected a finite number for {key!r}, got {value!r}")
        out[key] = float(value)
    return out


register_model_class(Graph)

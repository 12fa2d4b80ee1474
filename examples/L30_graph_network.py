"""L30 (lecture 004): a neural network as a graph g = {N, E}.

Every node i has an activation function f_i and computes z_i = f_i(a_i) with
a_i = b_i + sum_{j -> i in E} w_ji z_j; every edge j -> i carries a weight w_ji and every
non-input node a bias b_i. The notes' network has input nodes 1, 2, hidden nodes 3, 4, 5 and
output node 6, so it computes

    y = f6(b6 + w56 f5(b5 + w15 x1 + w25 x2) + w46 f4(b4 + w14 x1 + w24 x2)
            + w36 f3(b3 + w13 x1 + w23 x2)).

:class:`GraphNetwork` below is defined by its nodes and edges only; its parameters are
rosenblatt Tensors, so backpropagation through the graph trains it by gradient descent.

Run: python examples/L30_graph_network.py [--epochs 500] [--seed 0]
"""

import argparse

import numpy as np

from rosenblatt import Tensor, activations


class GraphNetwork:
    """A feed-forward network given as nodes with activations and weighted edges.

    Args:
        nodes: ``{node: activation name}`` for the computing nodes (hidden and output).
        inputs: the input node names, in the order of the columns of x.
        edges: the edges ``(j, i)`` meaning j -> i.
        output: the output node.
        seed: int seed for the initial weights and biases, N(0, 1).
    """

    def __init__(self, nodes, inputs, edges, output, seed=0):
        rng = np.random.default_rng(seed)
        self.activations = {i: activations.get(name) for i, name in nodes.items()}
        self.inputs, self.output = list(inputs), output
        self.weights = {e: Tensor(rng.normal(), requires_grad=True, dtype="float64") for e in edges}
        self.biases = {i: Tensor(rng.normal(), requires_grad=True, dtype="float64") for i in nodes}
        self.order = self._topological_order()

    def _topological_order(self):
        """The computing nodes so that every node comes after all its predecessors."""
        done, order = set(self.inputs), []
        while len(order) < len(self.activations):
            ready = [
                i
                for i in self.activations
                if i not in done and all(j in done for (j, k) in self.weights if k == i)
            ]
            if not ready:
                raise ValueError("edges: the graph has a cycle or a node without a path")
            order += ready
            done.update(ready)
        return order

    def parameters(self):
        """Every weight and bias tensor."""
        return [*self.weights.values(), *self.biases.values()]

    def __call__(self, x):
        """y for the inputs x (n, len(inputs)): z_i = f_i(b_i + sum_j w_ji z_j) in order."""
        x = np.asarray(x, dtype=np.float64)
        z = {name: Tensor(x[:, k], dtype="float64") for k, name in enumerate(self.inputs)}
        for i in self.order:
            a = self.biases[i]
            for (j, k), w in self.weights.items():
                if k == i:
                    a = a + w * z[j]
            z[i] = self.activations[i](a)
        return z[self.output]

    def value(self, edge_or_node):
        """The current float value of w_ji (give ``(j, i)``) or of b_i (give ``i``)."""
        table = self.weights if isinstance(edge_or_node, tuple) else self.biases
        return float(table[edge_or_node].data)


def notes_network(seed=0):
    """The notes' 2-3-1 graph: tanh hidden nodes 3, 4, 5 and a sigmoid output node 6."""
    nodes = {3: "tanh", 4: "tanh", 5: "tanh", 6: "sigmoid"}
    edges = [(1, 3), (2, 3), (1, 4), (2, 4), (1, 5), (2, 5), (3, 6), (4, 6), (5, 6)]
    return GraphNetwork(nodes, inputs=[1, 2], edges=edges, output=6, seed=seed)


def closed_form(net, x):
    """The notes' expression for y, written out with NumPy from the network's values."""
    v = net.value
    x1, x2 = x[:, 0], x[:, 1]
    f5 = np.tanh(v(5) + v((1, 5)) * x1 + v((2, 5)) * x2)
    f4 = np.tanh(v(4) + v((1, 4)) * x1 + v((2, 4)) * x2)
    f3 = np.tanh(v(3) + v((1, 3)) * x1 + v((2, 3)) * x2)
    a6 = v(6) + v((5, 6)) * f5 + v((4, 6)) * f4 + v((3, 6)) * f3
    return 1 / (1 + np.exp(-a6))


def train(net, x, y, epochs, learning_rate=0.5):
    """Gradient descent on the mean squared error; returns the loss before each epoch."""
    losses = []
    target = Tensor(y, dtype="float64")
    for _ in range(epochs):
        loss = ((net(x) - target) ** 2).mean()
        for p in net.parameters():
            p.grad = None
        loss.backward()
        for p in net.parameters():
            p.data = p.data - learning_rate * p.grad
        losses.append(float(loss.data))
    return losses


def main(argv=None):
    """Return ``{'network', 'graph': y, 'expression': y, 'losses': list}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    net = notes_network(args.seed)
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])  # XOR: needs the hidden nodes
    by_graph, by_expression = net(x).data, closed_form(net, x)
    print(f"graph evaluation:   {np.round(by_graph, 6)}")
    print(f"notes' expression:  {np.round(by_expression, 6)}")
    losses = train(net, x, y, args.epochs)
    print(
        f"training on XOR: loss {losses[0]:.4f} -> {losses[-1]:.4f}; "
        f"outputs {np.round(net(x).data, 3)}"
    )
    return {"network": net, "graph": by_graph, "expression": by_expression, "losses": losses}


if __name__ == "__main__":
    main()

"""L30 (lecture 004): a neural network as a graph g = {N, E}, with rosenblatt.graph.Graph.

Every node i has an activation function f_i and computes z_i = f_i(a_i) with
a_i = b_i + sum_{j -> i in E} w_ji z_j; every edge j -> i carries a weight w_ji and every
non-input node a bias b_i. The notes' network has input nodes 1, 2, hidden nodes 3, 4, 5 and
output node 6, so it computes

    y = f6(b6 + w56 f5(b5 + w15 x1 + w25 x2) + w46 f4(b4 + w14 x1 + w24 x2)
            + w36 f3(b3 + w13 x1 + w23 x2)).

Part 1 builds it as a :class:`~rosenblatt.graph.Graph` and evaluates that closed form from the
graph's own ``edge_weights`` and ``biases``: the two agree.

Part 2 trains the smallest graph that computes XOR: one hidden node 3 and direct edges from
the inputs to the output 4 (edges 1->3, 2->3, 1->4, 2->4, 3->4; sigmoid nodes). The recipe,
the same for every seed: the default initialization (Glorot-uniform weights, zero biases),
binary cross-entropy, Adam with learning rate 0.1 on all four rows at once, 500 epochs. A run
counts as learning XOR when all four outputs fall on the right side of 0.5. Over seeds 0-99
it learns XOR in 100 of 100 runs.

Run: python examples/L30_graph_network.py [--seeds 100] [--epochs 500]
"""

import argparse

import numpy as np
from rosenblatt.optimizers import Adam

from rosenblatt.graph import Graph

NOTES_EDGES = [(1, 3), (2, 3), (1, 4), (2, 4), (1, 5), (2, 5), (3, 6), (4, 6), (5, 6)]
XOR_EDGES = [(1, 3), (2, 3), (1, 4), (2, 4), (3, 4)]
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR = np.array([[0.0], [1.0], [1.0], [0.0]])


def notes_network(seed=0):
    """The notes' 2-3-1 graph: tanh hidden nodes 3, 4, 5 and a sigmoid output node 6 (biases
    drawn too, so that every term of the closed form counts)."""
    return Graph(NOTES_EDGES, inputs=[1, 2], outputs=[6], activation="tanh",
                 activations={6: "sigmoid"}, bias_initializer="glorot_uniform", seed=seed,
                 dtype="float64")


def closed_form(graph, x):
    """The notes' expression for y, written out with NumPy from the graph's weights."""
    w, b = graph.edge_weights, graph.biases
    x1, x2 = x[:, 0], x[:, 1]
    f5 = np.tanh(b[5] + w[(1, 5)] * x1 + w[(2, 5)] * x2)
    f4 = np.tanh(b[4] + w[(1, 4)] * x1 + w[(2, 4)] * x2)
    f3 = np.tanh(b[3] + w[(1, 3)] * x1 + w[(2, 3)] * x2)
    a6 = b[6] + w[(5, 6)] * f5 + w[(4, 6)] * f4 + w[(3, 6)] * f3
    return 1 / (1 + np.exp(-a6))


def xor_graph(seed):
    """The minimal XOR graph, compiled with the recipe of the module's text."""
    graph = Graph(XOR_EDGES, inputs=[1, 2], outputs=[4], seed=seed)
    graph.compile(optimizer=Adam(learning_rate=0.1), loss="binary_crossentropy")
    return graph


def learns_xor(seed, epochs=500):
    """Train the minimal XOR graph from ``seed``; True when all four rows come out right."""
    graph = xor_graph(seed)
    graph.fit(X, XOR, batch_size=None, epochs=epochs, verbose=0)
    return bool(np.all((graph.predict(X) > 0.5) == (XOR > 0.5)))


def main(argv=None):
    """Return ``{'graph': y, 'expression': y, 'solved': [seeds], 'rate': fraction}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="train from seeds 0 .. SEEDS-1")
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0, help="the notes' network's weights")
    args = parser.parse_args(argv)
    net = notes_network(args.seed)
    by_graph, by_expression = net.predict(X)[:, 0], closed_form(net, X)
    print(f"graph evaluation:   {np.round(by_graph, 6)}")
    print(f"notes' expression:  {np.round(by_expression, 6)}")
    solved = [seed for seed in range(args.seeds) if learns_xor(seed, args.epochs)]
    rate = len(solved) / args.seeds
    print(f"minimal XOR graph (one hidden node, direct input -> output edges): learns XOR "
          f"from {len(solved)} of {args.seeds} seeds ({rate:.0%}), Adam 0.1, {args.epochs} "
          "epochs")
    return {"network": net, "graph": by_graph, "expression": by_expression, "solved": solved,
            "rate": rate}


if __name__ == "__main__":
    main()

"""G1: a layered MLP as a rosenblatt.graph.Graph against the same Sequential.

The graph is ``Graph.from_model`` of the Sequential (same weights, same data, same optimizer),
and both train one epoch per call; the figure is the graph's time over the Sequential's:
lecture 004's node-and-edge form should cost at most 1.5 times the layer form.

  G1 small  playground net 2-8-8-1 tanh, sigmoid + binary cross-entropy, SGD, batch 10
  G1 mnist  784-256-128-10 ReLU, softmax + categorical cross-entropy, Adam, batch 128
"""

from __future__ import annotations

import warnings

import numpy as np

SIZES = {"full": {"small_rows": 500, "mnist_rows": 8192}, "smoke": {"small_rows": 50,
                                                                     "mnist_rows": 256}}


def _pair(x, y, shapes, activation, output, loss, optimizer, batch):
    from rosenblatt.layers import Dense

    from rosenblatt import Sequential
    from rosenblatt.graph import Graph

    layers = [Dense(n, activation=activation, input_dim=shapes[0] if k == 0 else None)
              for k, n in enumerate(shapes[1:-1])]
    model = Sequential([*layers, Dense(shapes[-1], activation=output)], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = Graph.from_model(model, seed=0)
    runners = {}
    for name, net in (("sequential", model), ("graph", graph)):
        net.compile(optimizer, loss)
        runners[name] = (lambda net=net: net.fit(x, y, batch_size=batch, epochs=1, verbose=0))
    return runners


def g1(smoke: bool, repeat: int, alternate) -> dict:
    """Seconds per epoch of each net and the ratio graph / sequential, per network."""
    sizes = SIZES["smoke" if smoke else "full"]
    rng = np.random.default_rng(4)
    x = rng.uniform(-5, 5, (sizes["small_rows"], 2)).astype(np.float32)
    y = (x[:, :1] * x[:, 1:] > 0).astype(np.float32)
    cases = {"small": _pair(x, y, (2, 8, 8, 1), "tanh", "sigmoid", "binary_crossentropy",
                            "sgd", 10)}
    x = rng.random((sizes["mnist_rows"], 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, sizes["mnist_rows"])]
    cases["mnist"] = _pair(x, y, (784, 256, 128, 10), "relu", "softmax",
                           "categorical_crossentropy", "adam", 128)
    results = {}
    for name, runners in cases.items():
        seconds = alternate(runners, repeat, f"G1 {name}")
        results[name] = {**seconds, "ratio": seconds["graph"] / seconds["sequential"]}
    return results


def table(results: dict) -> str:
    return "\n".join(f"G1 {name}: sequential {r['sequential']:.4f} s, graph {r['graph']:.4f} s, "
                     f"graph / sequential {r['ratio']:.2f}" for name, r in results.items())

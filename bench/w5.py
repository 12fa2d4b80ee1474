"""W5: a two-input functional model of W1's size against the same-size Sequential.

The functional model reads the 784 pixels as two inputs of 392 (top and bottom halves),
joins them with ``concatenate`` and continues as W1 (256 ReLU, 128 ReLU, 10 softmax,
categorical cross-entropy, Adam 1e-3, batch 128, one epoch). A graph of that shape (inputs
joined by one Concatenate, then a chain) takes the graph-free step, as the Sequential does, with
the join done per batch; other graphs take the general autodiff step. The figure is the
functional model's time over the Sequential's (goal: at most 1.5).
"""

from __future__ import annotations

import numpy as np

SIZES = {"full": 8192, "smoke": 256}


def _models():
    from rosenblatt.layers import Dense, Input, concatenate

    from rosenblatt import Model, Sequential

    top, bottom = Input(shape=(392,), name="top"), Input(shape=(392,), name="bottom")
    x = concatenate([top, bottom])
    x = Dense(256, activation="relu")(x)
    x = Dense(128, activation="relu")(x)
    graph = Model([top, bottom], Dense(10, activation="softmax")(x), seed=0)
    sequential = Sequential([Dense(256, activation="relu", input_dim=784),
                             Dense(128, activation="relu"), Dense(10, activation="softmax")],
                            seed=0)
    return graph, sequential


def w5(smoke: bool, repeat: int, alternate) -> dict:
    """Seconds per epoch of each model and the ratio functional / sequential."""
    rows = SIZES["smoke" if smoke else "full"]
    rng = np.random.default_rng(5)
    x = rng.random((rows, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, rows)]
    graph, sequential = _models()
    runners = {}
    for name, model, data in (("functional", graph, [x[:, :392], x[:, 392:]]),
                              ("sequential", sequential, x)):
        model.compile("adam", "categorical_crossentropy")
        runners[name] = (lambda model=model, data=data:
                         model.fit(data, y, batch_size=128, epochs=1, verbose=0))
    seconds = alternate(runners, repeat, "W5")
    return {**seconds, "ratio": seconds["functional"] / seconds["sequential"]}


def table(result: dict) -> str:
    if not result:
        return ""
    return (f"W5 two-input functional 784-256-128-10: functional {result['functional']:.4f} s, "
            f"sequential {result['sequential']:.4f} s, ratio {result['ratio']:.2f}")

"""L21 (lecture 002): choosing the output layer.

Regression: one linear unit (mean squared error). Two classes: one sigmoid unit (binary
cross-entropy). N classes: N softmax units (categorical cross-entropy), whose outputs are
probabilities summing to 1. Each network trains on a suitable data set.

Run: python examples/L21_output_layers.py [--epochs 60] [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.layers import Dense

from rosenblatt import Sequential
from rosenblatt.datasets import blobs, make, moons, one_hot


def network(n_inputs, output, seed):
    """A tanh hidden layer of 16 units followed by the given output layer."""
    return Sequential([Dense(16, activation="tanh", input_dim=n_inputs), output], seed=seed)


def regression(epochs, seed):
    """One linear unit on the playground's 'plane' set: returns (initial, final) MSE."""
    x, y = make("plane", n=300, noise=0.0, seed=seed)
    model = network(2, Dense(1, activation="linear"), seed)
    model.compile(optimizer="adam", loss="mean_squared_error")
    before = model.evaluate(x, y)
    model.fit(x, y, batch_size=16, epochs=epochs, verbose=0)
    return before, model.evaluate(x, y)


def binary(epochs, seed):
    """One sigmoid unit on two moons: returns the training accuracy."""
    x, y = moons(300, noise=0.1, seed=seed)
    model = network(2, Dense(1, activation="sigmoid"), seed)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=16, epochs=epochs, verbose=0)
    return model.evaluate(x, y)[1]


def multiclass(epochs, seed):
    """Three softmax units on three blobs: returns (accuracy, outputs on the data)."""
    x, y = blobs(300, centers=[[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0]], std=1.0, seed=seed)
    model = network(2, Dense(3, activation="softmax"), seed)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, one_hot(y, 3), batch_size=16, epochs=epochs, verbose=0)
    probabilities = model.predict(x)
    return float(np.mean(probabilities.argmax(axis=1) == y)), probabilities


def main(argv=None):
    """Return ``{'regression': (mse before, after), 'binary': acc, 'multiclass': acc,
    'softmax_sums': row sums}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    reg = regression(args.epochs, args.seed)
    acc2 = binary(args.epochs, args.seed)
    acc3, probabilities = multiclass(args.epochs, args.seed)
    sums = probabilities.sum(axis=1)
    print(f"regression, 1 linear unit:  MSE {reg[0]:.4f} -> {reg[1]:.4f}")
    print(f"2 classes, 1 sigmoid unit:  accuracy {acc2:.3f}")
    print(
        f"3 classes, 3 softmax units: accuracy {acc3:.3f}, "
        f"outputs sum to 1 (max deviation {np.max(np.abs(sums - 1)):.1e})"
    )
    return {"regression": reg, "binary": acc2, "multiclass": acc3, "softmax_sums": sums}


if __name__ == "__main__":
    main()

"""L10 (lecture 001): an MLP in the row-vector convention, MLP(x) = g(x W1 + b1) W2 + b2.

A Dense-Dense model with random weights equals the formula written with NumPy.

Run: python examples/L10_mlp_formula.py [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.layers import Dense

from rosenblatt import Sequential


def main(argv=None):
    """Return ``{'model': outputs, 'formula': outputs}`` for a batch of random inputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    model = Sequential(
        [Dense(5, activation="tanh", input_dim=3, dtype="float64"), Dense(2, dtype="float64")],
        seed=args.seed,
    )
    W1, b1, W2, b2 = (rng.normal(size=w.shape) for w in model.get_weights())
    model.set_weights([W1, b1, W2, b2])
    x = rng.normal(size=(4, 3))
    by_model = model.predict(x)
    by_formula = np.tanh(x @ W1 + b1) @ W2 + b2
    print("model:\n", by_model, "\nformula g(x W1 + b1) W2 + b2:\n", by_formula)
    print(f"max difference {np.max(np.abs(by_model - by_formula)):.1e}")
    return {"model": by_model, "formula": by_formula}


if __name__ == "__main__":
    main()

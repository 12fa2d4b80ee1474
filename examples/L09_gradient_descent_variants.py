"""L09 (lectures 000, 001): batch, mini-batch and stochastic gradient descent.

A linear neuron y = x W + b is trained on a noisy linear regression problem with the three
variants of gradient descent (``batch_size=None``, a mini-batch size, ``1``). All three reach
the least-squares solution W = (X^T X)^-1 X^T y to a small tolerance.

Run: python examples/L09_gradient_descent_variants.py [--n 200] [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.classic import least_squares
from rosenblatt.layers import Dense
from rosenblatt.optimizers import SGD

from rosenblatt import Sequential

VARIANTS = {
    "batch": (None, 0.1, 400),
    "mini-batch": (16, 0.05, 60),
    "stochastic": (1, 0.005, 25),
}


def make_regression(n=200, seed=0):
    """x ~ U(-1, 1)^(n, 3) and y = x (2, -1, 0.5) + 0.3 + noise N(0, 0.1^2)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (n, 3))
    y = x @ np.array([2.0, -1.0, 0.5]) + 0.3 + rng.normal(0.0, 0.1, n)
    return x, y


def train(x, y, batch_size, learning_rate, epochs, seed=0):
    """Fit a linear neuron by SGD on the mean squared error; return (W, b) in float64."""
    model = Sequential([Dense(1, input_dim=x.shape[1], dtype="float64")], seed=seed)
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="mean_squared_error")
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)
    W, b = model.get_weights()
    return W[:, 0], float(b[0])


def main(argv=None):
    """Return ``{'least_squares': (W, b), variant: (W, b), ...}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    x, y = make_regression(args.n, args.seed)
    W, b = least_squares(x, y)
    results = {"least_squares": (W, b)}
    print(f"least squares      W = {np.round(W, 4)}, b = {b:.4f}")
    for name, (batch_size, lr, epochs) in VARIANTS.items():
        results[name] = train(x, y, batch_size, lr, epochs, args.seed)
        Wg, bg = results[name]
        gap = max(np.max(np.abs(Wg - W)), abs(bg - b))
        print(
            f"{name:12s} (batch_size={batch_size!s:4s}, eta={lr:g}, {epochs} epochs) "
            f"W = {np.round(Wg, 4)}, b = {bg:.4f}, max gap {gap:.1e}"
        )
    return results


if __name__ == "__main__":
    main()

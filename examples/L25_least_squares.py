"""L25 (lecture 003): least squares W = (X^T X)^-1 X^T y is what gradient descent finds.

A linear neuron trained by batch gradient descent on the mean squared error, stopped when the
gradient norm falls below a tolerance, ends at the closed-form least-squares solution.

Run: python examples/L25_least_squares.py [--n 100] [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.callbacks import GradientTolerance
from rosenblatt.classic import LinearNeuron
from rosenblatt.layers import Dense
from rosenblatt.optimizers import SGD

from rosenblatt import Sequential


def main(argv=None):
    """Return ``{'closed_form': (W, b), 'gradient_descent': (W, b), 'steps': int}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    X = rng.normal(size=(args.n, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) - 1.0 + rng.normal(0.0, 0.5, args.n)
    exact = LinearNeuron().fit(X, y)
    model = Sequential([Dense(1, input_dim=4, dtype="float64")], seed=args.seed)
    model.compile(optimizer=SGD(learning_rate=0.1), loss="mean_squared_error")
    stop = GradientTolerance(epsilon=1e-9)
    model.fit(X, y, batch_size=None, epochs=5000, verbose=0, callbacks=[stop])
    W, b = model.get_weights()
    print(f"closed form       W = {np.round(exact.coef_, 6)}, b = {exact.intercept_:.6f}")
    print(
        f"gradient descent  W = {np.round(W[:, 0], 6)}, b = {b[0]:.6f} "
        f"({len(stop.norms)} steps, stopped at ||grad|| = {stop.norms[-1]:.1e})"
    )
    return {
        "closed_form": (exact.coef_, exact.intercept_),
        "gradient_descent": (W[:, 0], b[0]),
        "steps": len(stop.norms),
    }


if __name__ == "__main__":
    main()

"""L27 (lectures 003, 000): universal approximation, the constructive proof (no training).

Cybenko's argument (1989) builds the network by hand: hidden sigmoid unit k is a steep step
sigmoid(s (x - c_k)) centred at c_k = (k + 1/2) / units, so the steps tile [0, 1]; a weighted
sum of such steps approximates any continuous function, and the output weights that do it best
on the data are a least-squares problem. Nothing here is random: for sin(2 pi x) the largest
error on a grid of [0, 1] is 0.89, 0.049, 0.0092 and 0.0034 for 2, 8, 32 and 128 units.

The same claim for a network *trained* from the library's default random initialization is
``L27_universal_approximation.py``.

Run: python examples/L27_staircase_construction.py [--units 2 8 32 128]
"""

import argparse

import numpy as np
from rosenblatt.classic import least_squares
from rosenblatt.layers import Dense

from rosenblatt import Sequential


def target(x):
    """The function to approximate, sin(2 pi x)."""
    return np.sin(2 * np.pi * x)


def staircase_weights(units, steepness=4.0):
    """Hidden kernel (1, units) and bias (units,): sigmoid steps centred at c_k = (k + 1/2) / units.

    Unit k computes sigmoid(s (x - c_k)) with s = steepness * units, so the steps tile [0, 1].
    """
    centres = (np.arange(units) + 0.5) / units
    s = steepness * units
    return np.full((1, units), s), -s * centres


def construct(units, n=200):
    """The network x -> staircase of ``units`` sigmoids -> linear, its output layer solved by
    least squares on ``n`` points of [0, 1]; returns (model, max error on a grid)."""
    x = np.linspace(0.0, 1.0, n).reshape(-1, 1)
    W1, b1 = staircase_weights(units)
    hidden = 1 / (1 + np.exp(-(x @ W1 + b1)))
    W2, b2 = least_squares(hidden, target(x))
    model = Sequential([Dense(units, activation="sigmoid", input_dim=1, dtype="float64"),
                        Dense(1, dtype="float64")])
    model.set_weights([W1, b1, W2, b2])
    grid = np.linspace(0.0, 1.0, 1001).reshape(-1, 1)
    return model, float(np.max(np.abs(model.predict(grid) - target(grid))))


def main(argv=None):
    """Return ``{units: max |network(x) - sin(2 pi x)| on a grid of [0, 1]}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[2, 8, 32, 128])
    args = parser.parse_args(argv)
    errors = {}
    for units in args.units:
        errors[units] = construct(units)[1]
        print(f"{units:3d} hand-built sigmoid steps: max error on the grid {errors[units]:.4f}")
    return errors


if __name__ == "__main__":
    main()

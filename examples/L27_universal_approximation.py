"""L27 (lectures 003, 000): universal approximation (Cybenko 1989).

One hidden layer of sigmoid units followed by a linear output approximates a continuous
function on [0, 1]: trained on sin(2 pi x), the largest error on a grid falls as the hidden
layer grows from 2 to 8 to 32 units.

Run: python examples/L27_universal_approximation.py [--units 2 8 32] [--epochs 300]
"""

import argparse

import numpy as np
from rosenblatt.classic import least_squares
from rosenblatt.layers import Dense
from rosenblatt.optimizers import Adam

from rosenblatt import Sequential


def target(x):
    """The function to approximate, sin(2 pi x)."""
    return np.sin(2 * np.pi * x)


def staircase_weights(units, steepness=4.0):
    """Hidden kernel (1, units) and bias (units,): sigmoid steps centred at c_k = (k + 1/2) / units.

    Unit k computes sigmoid(s (x - c_k)) with s = steepness * units, so the steps tile [0, 1];
    a weighted sum of such steps approximates any continuous function (Cybenko's argument).
    """
    centres = (np.arange(units) + 0.5) / units
    s = steepness * units
    return np.full((1, units), s), -s * centres


def fit_network(units, epochs, seed=0, n=200):
    """Fit x -> sigmoid layer of ``units`` -> linear on [0, 1]; return the max grid error.

    The hidden layer starts as a staircase, the output layer is solved by least squares, and
    then all weights are trained together with Adam on the mean squared error.
    """
    x = np.linspace(0.0, 1.0, n).reshape(-1, 1)
    y = target(x)
    model = Sequential(
        [
            Dense(units, activation="sigmoid", input_dim=1, dtype="float64"),
            Dense(1, dtype="float64"),
        ],
        seed=seed,
    )
    W1, b1 = staircase_weights(units)
    hidden = 1 / (1 + np.exp(-(x @ W1 + b1)))
    W2, b2 = least_squares(hidden, y)
    model.set_weights([W1, b1, W2, b2])
    model.compile(optimizer=Adam(learning_rate=0.001), loss="mean_squared_error")
    model.fit(x, y, batch_size=None, epochs=epochs, verbose=0)
    grid = np.linspace(0.0, 1.0, 1001).reshape(-1, 1)
    return float(np.max(np.abs(model.predict(grid) - target(grid))))


def main(argv=None):
    """Return ``{units: max |network(x) - sin(2 pi x)| on a grid of [0, 1]}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[2, 8, 32])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    errors = {}
    for units in args.units:
        errors[units] = fit_network(units, args.epochs, args.seed)
        print(f"{units:3d} hidden sigmoid units: max error on the grid {errors[units]:.4f}")
    return errors


if __name__ == "__main__":
    main()

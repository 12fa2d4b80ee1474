"""L36 (lecture 002): a dense autoencoder compresses the 8x8 digits, 64 -> 8 -> 64.

The network is trained to reproduce its input through a code of 8 numbers (Bourlard and Kamp,
1988). On held-out digits its mean squared reconstruction error is well below that of the
best constant guess, the mean image of the training digits.

Run: python examples/L36_autoencoder.py [--epochs 40] [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.layers import Dense

from rosenblatt import Sequential
from rosenblatt.datasets import load_digits, train_test_split


def autoencoder(n_inputs=64, code=8, seed=0):
    """Encoder Dense(code, relu) then decoder Dense(n_inputs, sigmoid)."""
    return Sequential(
        [Dense(code, activation="relu", input_dim=n_inputs), Dense(n_inputs, activation="sigmoid")],
        seed=seed,
    )


def reconstruction_errors(x, epochs=40, seed=0):
    """(autoencoder MSE, mean-image MSE) on a held-out quarter of the rows of x."""
    x_train, x_test, _, _ = train_test_split(x, np.arange(len(x)), 0.75, seed=seed)
    model = autoencoder(x.shape[1], seed=seed)
    model.compile(optimizer="adam", loss="mean_squared_error")
    model.fit(x_train, x_train, batch_size=32, epochs=epochs, verbose=0)
    network = float(np.mean((model.predict(x_test) - x_test) ** 2))
    baseline = float(np.mean((x_train.mean(axis=0) - x_test) ** 2))
    return network, baseline


def main(argv=None):
    """Return ``{'autoencoder': MSE, 'mean_image': MSE}`` on held-out digits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    x, _ = load_digits()
    network, baseline = reconstruction_errors(x, args.epochs, args.seed)
    print(
        f"held-out reconstruction MSE: autoencoder 64 -> 8 -> 64 {network:.4f}, "
        f"mean image {baseline:.4f} (ratio {network / baseline:.2f})"
    )
    return {"autoencoder": network, "mean_image": baseline}


if __name__ == "__main__":
    main()

"""L24 (lecture 003): a linear classifier y = x W + b on MNIST (784 -> 10).

Softmax outputs, cross-entropy loss and mini-batch SGD. The data are MNIST's IDX files in
``../shared/data/mnist`` next to the repository, or any directory given on the command line
(the training files when present, else the test files; gzipped or not). A held-out part of
the loaded images measures the accuracy, which is far above chance (10%): at least 85%.

Run: python examples/L24_mnist_linear.py [DIRECTORY] [--epochs 5] [--seed 0]
"""

import argparse
from pathlib import Path

import numpy as np
from rosenblatt.layers import Dense
from rosenblatt.optimizers import SGD

from rosenblatt import Sequential
from rosenblatt.datasets import load_mnist, train_test_split

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mnist"


def load(directory):
    """(x, y) from the directory: the 'train' files if there, else the 't10k' test files."""
    try:
        return load_mnist(directory, kind="train")
    except FileNotFoundError:
        return load_mnist(directory, kind="test")


def train(x, y, epochs=5, learning_rate=0.5, batch_size=64, holdout=0.2, seed=0):
    """Fit the linear softmax classifier; return (model, held-out accuracy)."""
    x_train, x_test, y_train, y_test = train_test_split(x, y, 1 - holdout, seed=seed)
    n_classes = 10
    model = Sequential([Dense(n_classes, activation="softmax", input_dim=x.shape[1])], seed=seed)
    model.compile(
        optimizer=SGD(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=0)
    accuracy = float(np.mean(model.predict(x_test).argmax(axis=1) == y_test))
    return model, accuracy


def main(argv=None):
    """Return ``{'n_samples', 'accuracy', 'model'}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "directory",
        nargs="?",
        default=str(DEFAULT_DIRECTORY),
        help="folder with MNIST-named IDX files",
    )
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    x, y = load(args.directory)
    model, accuracy = train(x, y, epochs=args.epochs, seed=args.seed)
    print(f"{len(x)} images of {x.shape[1]} pixels from {args.directory}")
    print(
        f"linear softmax classifier, {args.epochs} epochs: held-out accuracy {accuracy:.3f} "
        "(chance: 0.100)"
    )
    return {"n_samples": len(x), "accuracy": accuracy, "model": model}


if __name__ == "__main__":
    main()

"""``rosenblatt train``, ``rosenblatt predict`` and ``rosenblatt summary``.

``rosenblatt train`` trains a multi-layer perceptron with sensible defaults on the digits
bundled with scikit-learn, prints progress and the test accuracy, and saves the model. Flags
choose the layers, activation, optimizer, learning rate, batch size, epochs, seed and data:
``--data digits``, ``--data mnist:DIR`` (IDX files), ``--data csv:FILE --target COLUMN``, or a
playground data set such as ``--data circle`` (with ``--features x1^2,x2^2`` for crosses).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "model.npz"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("train", help="train a multi-layer perceptron and save it",
                              description=__doc__.split("\n\n")[1])
    p.add_argument("--data", default="digits",
                   help="digits (default), mnist:DIR, csv:FILE, or a playground set (circle, ...)")
    p.add_argument("--target", help="CSV target column (name or index; default: the last)")
    p.add_argument("--layers", default="128,64", help="hidden layer sizes, e.g. 256,128 "
                   "(default 128,64; '' for none)")
    p.add_argument("--activation", default="relu", help="hidden activation (default relu)")
    p.add_argument("--optimizer", default="adam", help="sgd, adam, adamw, rmsprop, adagrad")
    p.add_argument("--learning-rate", type=float, default=None,
                   help="learning rate (default: the optimizer's)")
    p.add_argument("--batch-size", default="32", help="mini-batch size, or 'full' (default 32)")
    p.add_argument("--epochs", type=int, default=30, help="epochs (default 30)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights and shuffling")
    p.add_argument("--test-split", type=float, default=0.2,
                   help="fraction held out for testing: a seeded random part, or the last "
                   "images for MNIST (default 0.2)")
    p.add_argument("--noise", type=float, default=0.1, help="playground noise (default 0.1)")
    p.add_argument("--samples", type=int, default=500, help="playground points (default 500)")
    p.add_argument("--features", help="playground feature crosses, e.g. x1,x2,x1^2,x2^2")
    p.add_argument("--output", default=DEFAULT_MODEL, help=f"model file (default {DEFAULT_MODEL})")
    p.add_argument("--plot", metavar="DIR", help="also write learning curves (and, for 2-D "
                   "data, the decision boundary) into DIR")
    p.add_argument("--verbose", type=int, default=1, choices=(0, 1, 2))
    p.set_defaults(func=train)

    p = subparsers.add_parser("predict", help="predict with a saved model",
                              description="Print a saved model's predictions for the rows of a "
                              "CSV (no header) or .npy file, one row per line.")
    p.add_argument("model", help="a file written by rosenblatt train or Model.save")
    p.add_argument("input", help="a .npy array or a CSV of numbers")
    p.add_argument("--classes", action="store_true", help="print class labels, not outputs")
    p.set_defaults(func=predict)

    p = subparsers.add_parser("summary", help="print a saved model's layers and parameters")
    p.add_argument("model", help="a saved model file")
    p.set_defaults(func=summary)


def load_data(args):
    """(x_train, y_train, x_test, y_test, task, feature_map) for the ``--data`` choice."""
    from rosenblatt import datasets

    spec, feature_map = args.data, None
    if spec == "digits":
        x, y = datasets.load_digits()
        task = "classification"
    elif spec.startswith("mnist:"):
        directory = Path(spec[len("mnist:"):])
        try:
            x_tr, y_tr = datasets.load_mnist(directory, kind="train")
            x_te, y_te = datasets.load_mnist(directory, kind="test")
            return x_tr, y_tr, x_te, y_te, "classification", None
        except FileNotFoundError:
            x, y = datasets.load_mnist(directory, kind="test")
        task = "classification"
    elif spec.startswith("csv:"):
        x, y = datasets.load_csv(spec[len("csv:"):], target=args.target if args.target else -1)
        task = "classification" if np.issubdtype(y.dtype, np.integer) else "regression"
    else:
        regression = datasets.is_regression(spec)
        kwargs = {} if regression else {"labels": "binary"}
        x, y = datasets.make(spec, n=args.samples, noise=args.noise, seed=args.seed, **kwargs)
        task = "regression" if regression else "classification"
        if args.features:
            feature_map = datasets.FeatureMap(args.features.split(","))
    if feature_map is None and args.features:
        raise ValueError("--features applies to playground data sets (circle, xor, ...)")
    n_test = int(round(len(x) * args.test_split))
    if not 0 < n_test < len(x):
        raise ValueError(f"--test-split: expected a fraction leaving samples on both sides, "
                         f"got {args.test_split}")
    if not spec.startswith("mnist:"):  # MNIST keeps its order: first images train, last test
        order = np.random.default_rng(args.seed).permutation(len(x))
        x, y = x[order], y[order]
    cut = len(x) - n_test
    return x[:cut], y[:cut], x[cut:], y[cut:], task, feature_map


def build_model(args, n_inputs: int, task: str, n_classes: int):
    import rosenblatt as rb
    from rosenblatt.nn.layers import Dense

    sizes = [int(s) for s in args.layers.split(",") if s.strip()] if args.layers else []
    model = rb.Sequential(seed=args.seed)
    model.add(rb.Input(shape=(n_inputs,)))
    for size in sizes:
        model.add(Dense(size, activation=args.activation,
                        kernel_initializer="he_uniform" if args.activation == "relu"
                        else "glorot_uniform"))
    optimizer = rb.optimizers.get(args.optimizer)
    if args.learning_rate is not None:
        optimizer.learning_rate = args.learning_rate
    if task == "regression":
        model.add(Dense(1))
        model.compile(optimizer, "mse", metrics=["mae"])
    elif n_classes == 2:
        model.add(Dense(1, activation="sigmoid"))
        model.compile(optimizer, "binary_crossentropy", metrics=["accuracy"])
    else:
        model.add(Dense(n_classes, activation="softmax"))
        model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _batch_size(text: str):
    if text in ("full", "none", "None"):
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"--batch-size: expected an integer >= 1 or 'full', got {text!r}")
    return value


def train(args) -> int:
    batch_size = _batch_size(args.batch_size)
    x_tr, y_tr, x_te, y_te, task, feature_map = load_data(args)
    raw_te = x_te
    if feature_map is not None:
        x_tr, x_te = feature_map(x_tr), feature_map(x_te)
    n_classes = int(max(y_tr.max(), y_te.max())) + 1 if task == "classification" else 0
    model = build_model(args, x_tr.shape[1], task, n_classes)
    model.feature_map = feature_map
    print(f"data: {args.data} - {len(x_tr)} training and {len(x_te)} test samples, "
          f"{x_tr.shape[1]} features" + (f", {n_classes} classes" if n_classes else ""))
    model.summary()
    history = model.fit(x_tr, y_tr, batch_size=batch_size, epochs=args.epochs,
                        validation_data=(x_te, y_te), verbose=args.verbose)
    result = model.evaluate(x_te, y_te, return_dict=True)
    if task == "classification":
        print(f"test accuracy: {result['accuracy']:.4f} (test loss {result['loss']:.4f})")
    else:
        print(f"test loss (mse): {result['loss']:.4f}, mae: {result['mae']:.4f}")
    model.save(args.output)
    print(f"model saved to {args.output}")
    if args.plot:
        write_plots(args.plot, model, history, raw_te, y_te)
    return 0


def write_plots(directory, model, history, x_test, y_test) -> None:
    from rosenblatt import plot

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    plot.history(history, save=out / "history.png")
    (out / "history.json").write_text(json.dumps(history.history))
    written = ["history.png", "history.json"]
    if x_test.shape[1] == 2:
        plot.decision_boundary(model, x_test, y_test, save=out / "boundary.png")
        written.append("boundary.png")
    print(f"plots written to {out}: {', '.join(written)}")


def _read_input(path: str) -> np.ndarray:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no input file at {path}")
    if path.suffix == ".npy":
        return np.load(path, allow_pickle=False)
    try:
        return np.loadtxt(path, delimiter=",", ndmin=2)
    except ValueError as exc:
        raise ValueError(f"{path}: expected a CSV of numbers without a header: {exc}") from exc


def predict(args) -> int:
    from rosenblatt.models import load_model

    model = load_model(args.model, compile=False)
    x = _read_input(args.input)
    feature_map = getattr(model, "feature_map", None)
    if feature_map is not None and x.ndim == 2 and x.shape[1] == 2 != model.input_shape[0]:
        x = feature_map(x)
    out = model.predict(x)
    if args.classes:
        labels = (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)
        np.savetxt(sys.stdout, labels[:, None], fmt="%d")
    else:
        np.savetxt(sys.stdout, out, fmt="%.6g", delimiter=",")
    return 0


def summary(args) -> int:
    from rosenblatt.models import load_model

    load_model(args.model, compile=False).summary()
    return 0

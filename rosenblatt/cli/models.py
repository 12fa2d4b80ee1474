"""``rosenblatt train``, ``rosenblatt predict`` and ``rosenblatt summary``.

``rosenblatt train`` trains a multi-layer perceptron with sensible defaults on the 8x8 digits
bundled with rosenblatt, prints progress and the accuracy on test data that training never saw,
and saves the model. Flags choose the layers, activation, optimizer, learning rate, batch size,
epochs, seed and data: ``--data digits``, ``--data mnist:DIR`` (IDX files), ``--data csv:FILE
--target COLUMN``, or a generated set such as ``--data circle`` (with ``--features x1^2,x2^2``
for crosses). The model file keeps how raw rows become inputs (column names, crosses,
standardization) and how outputs become the data's labels or units, which ``predict`` applies.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from rosenblatt.cli._args import int_in, positive_float
from rosenblatt.cli.data import MAX_CLASSES, choose_task, load_data, make_preprocessing, read_input
from rosenblatt.datasets import limits

DEFAULT_MODEL = "model.npz"
MAX_EPOCHS = 1_000_000  # --epochs: a stated bound, so that a typo cannot run for ever
IMAGE_SUFFIXES = (".png", ".svg")
_OTHER_IMAGES = (".jpg", ".jpeg", ".pdf", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def _dataset_names() -> str:
    from rosenblatt.datasets import DATASETS

    return ", ".join(DATASETS.names())


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in [0, 1), got {text!r}")
    return value


def _layer_sizes(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    if not all(part.isdigit() and int(part) >= 1 for part in parts):
        raise argparse.ArgumentTypeError(
            f"expected hidden layer sizes, integers >= 1 separated by commas such as 128,64 "
            f"(or '' for none), got {text!r}")
    return [int(part) for part in parts]


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("train", help="train a multi-layer perceptron and save it",
                              description=__doc__.split("\n\n")[1])
    p.add_argument("--data", default="digits",
                   help="digits (default, bundled), mnist:DIR, csv:FILE, or a generated set: "
                   + _dataset_names())
    p.add_argument("--target", help="CSV target column: its name, or its index (0 first, -1 "
                   "last; a name wins when a column is called so); default the last column")
    p.add_argument("--task", choices=("auto", "classification", "regression"), default="auto",
                   help="CSV data: auto (default) is classification for labels that are not "
                   f"numbers and for integer targets with at most {MAX_CLASSES} distinct values "
                   "(unless more than half of the rows, and at least 3, are distinct), else "
                   "regression; the choice and its reason are printed")
    p.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                   help="scale inputs (and regression targets) to mean 0 and deviation 1 with "
                   "the training part's statistics, stored in the model (default: on for CSV "
                   "data, off for the built-in sets, whose inputs are on a unit scale already)")
    p.add_argument("--layers", type=_layer_sizes, default=[128, 64],
                   help="hidden layer sizes, e.g. 256,128 (default 128,64; '' for none)")
    p.add_argument("--activation", default="relu", help="hidden activation (default relu)")
    p.add_argument("--optimizer", default="adam", help="sgd, adam, adamw, rmsprop, adagrad")
    p.add_argument("--learning-rate", type=positive_float, default=None,
                   help="learning rate, a finite number > 0 (default: the optimizer's)")
    p.add_argument("--batch-size", default="32", help="mini-batch size, or 'full' (default 32)")
    p.add_argument("--epochs", type=int_in(1, MAX_EPOCHS), default=30,
                   help=f"epochs, at most {MAX_EPOCHS:,} (default 30)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights and shuffling")
    p.add_argument("--test-split", type=float, default=0.2,
                   help="fraction held out for testing: a seeded random part, or the last "
                   "images for MNIST (default 0.2)")
    p.add_argument("--validation-split", type=_fraction, default=0.1,
                   help="fraction of the training part (its last samples) watched during "
                   "training; the test part is never used for that (default 0.1; 0 for none)")
    p.add_argument("--noise", type=float, default=0.1, help="generated sets' noise (default 0.1)")
    p.add_argument("--samples", type=int_in(1, limits.MAX_SAMPLES), default=500,
                   help=f"generated sets' points, at most {limits.MAX_SAMPLES:,} (default 500)")
    p.add_argument("--features", help="generated 2-D sets' feature crosses, e.g. x1,x2,x1^2")
    p.add_argument("--output", default=DEFAULT_MODEL, help=f"model file (default {DEFAULT_MODEL})")
    p.add_argument("--plot", metavar="FILE_OR_DIR",
                   help="also draw the learning curves: into FILE.png or FILE.svg (and, for 2-D "
                   "data, the decision boundary into FILE-boundary.png), or into a directory "
                   "(history.png, history.json, boundary.png)")
    p.add_argument("--verbose", type=int, default=1, choices=(0, 1, 2))
    p.set_defaults(func=train)

    p = subparsers.add_parser(
        "predict", help="predict with a saved model",
        description="Print a saved model's predictions, one row per line, for the rows of a "
        ".npy file (one row or many) or of a CSV file: with a header, the training columns in "
        "any order (the target column is ignored); without one, the raw columns in training "
        "order. The model's stored preprocessing is applied; regression outputs are printed "
        "in the training target's units.")
    p.add_argument("model", help="a file written by rosenblatt train or Model.save")
    p.add_argument("input", help="a .npy array or a CSV file")
    p.add_argument("--classes", action="store_true",
                   help="print class labels (the training data's own values), not outputs")
    p.set_defaults(func=predict)

    p = subparsers.add_parser("summary", help="print a saved model's layers and parameters")
    p.add_argument("model", help="a saved model file")
    p.set_defaults(func=summary)


# ---------------------------------------------------------------------------------- checks
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


def _check_output(text: str) -> None:
    """The path must be a regular file or not exist yet, in a writable directory: checked
    before any training (a device, a FIFO or a directory is refused)."""
    if not text:
        raise ValueError("--output: expected a file path, got an empty one")
    path = Path(text)
    if path.is_dir():
        raise ValueError(f"--output: expected a file path, got the directory {path}")
    if path.exists() and not path.is_file():
        raise ValueError(f"--output: expected a regular file (or a new one), got {path}, which is "
                         "a device, a pipe or another special file")
    directory = path.parent
    if not directory.is_dir():
        raise ValueError(f"--output: expected a file in an existing directory, got {path} "
                         f"(no directory {directory})")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ValueError(f"--output: expected a writable directory, got {directory} (not "
                         "writable)")


def _plot_target(text):
    """(kind, path) for --plot, 'file' or 'dir', checked (and matplotlib found) before
    training; None without --plot."""
    if text is None:
        return None
    path = Path(text)
    suffix = path.suffix.lower()
    if path.is_dir() or not suffix:
        kind, existing = "dir", path
        while not existing.exists():
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            raise ValueError(f"--plot: expected a directory that can be created, got {path}")
    elif suffix in IMAGE_SUFFIXES:
        kind = "file"
        _check_output(text)
    elif suffix in _OTHER_IMAGES:
        raise ValueError(f"--plot: expected a file ending in .png or .svg, or a directory, "
                         f"got {text!r}")
    else:
        kind = "dir"
        if path.exists():
            raise ValueError(f"--plot: expected a directory or a .png / .svg file, got {path}, "
                             "an existing file")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError('--plot needs matplotlib, which is not installed: pip install '
                          '"rosenblatt[plot]"') from None
    return kind, path


def build_model(args, n_inputs: int, task: str, n_classes: int):
    import rosenblatt as rb
    from rosenblatt.nn.layers import Dense

    model = rb.Sequential(seed=args.seed)
    model.add(rb.Input(shape=(n_inputs,)))
    for size in args.layers:
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


# ----------------------------------------------------------------------------------- train
def train(args) -> int:
    batch_size = _batch_size(args.batch_size)
    _check_output(args.output)
    plot_target = _plot_target(args.plot)
    data = load_data(args)
    x_tr, y_tr, x_te, y_te = data["split"]
    if data["task"] is None:
        task, reason = choose_task(np.concatenate([y_tr, y_te]), args.task)
        print(f"task: {task} ({reason}; --task chooses)")
    else:
        task = data["task"]
        if args.task not in ("auto", task):
            raise ValueError(f"--task {args.task}: {args.data} is a {task} set; --task "
                             "applies to CSV data")
    n_val = int(len(x_tr) * args.validation_split)
    if args.validation_split and not 0 < n_val < len(x_tr):
        raise ValueError(f"--validation-split: {args.validation_split} of {len(x_tr)} training "
                         "samples leaves no samples on one side")
    fit_part = len(x_tr) - n_val
    standardize = args.standardize if args.standardize is not None else data["task"] is None
    y_all = np.concatenate([y_tr, y_te])
    preprocessing = make_preprocessing(data, task, x_tr[:fit_part], y_tr[:fit_part], y_all,
                                       standardize)
    z_tr, z_te = preprocessing.transform(x_tr), preprocessing.transform(x_te)
    t_tr, t_te = preprocessing.encode_targets(y_tr), preprocessing.encode_targets(y_te)
    n_classes = len(preprocessing.classes) if task == "classification" else 0
    model = build_model(args, z_tr.shape[1], task, n_classes)
    model.preprocessing = preprocessing
    print(f"data: {args.data} - {len(x_tr)} training and {len(x_te)} test samples, "
          f"{z_tr.shape[1]} features" + (f", {n_classes} classes" if n_classes else ""))
    if n_val:
        print(f"validation: the last {n_val} of the training samples; the {len(x_te)} test "
              "samples are not seen during training")
    if standardize:
        print("inputs" + (" and targets" if task == "regression" else "")
              + " standardized with the training statistics (stored in the model)")
    model.summary()
    validation = (z_tr[fit_part:], t_tr[fit_part:]) if n_val else None
    fit_data = (z_tr[:fit_part], t_tr[:fit_part])
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            history = model.fit(*fit_data, batch_size=batch_size, epochs=args.epochs,
                                validation_data=validation, verbose=args.verbose)
    except ValueError as exc:  # the validation loss of a diverged model refuses its outputs
        _check_converged(model, f"the outputs stopped being finite numbers ({exc})", fit_data,
                         args.learning_rate)
        raise
    _check_converged(model, history.stop_reason, fit_data, args.learning_rate)
    if task == "classification":
        result = model.evaluate(z_te, t_te, return_dict=True)
        print(f"test accuracy: {result['accuracy']:.4f} (test loss {result['loss']:.4f})")
    else:
        error = preprocessing.decode(model.predict(z_te))[:, 0] - y_te.astype(np.float64)
        print(f"test loss (mse): {np.mean(error ** 2):.4f}, mae: {np.mean(np.abs(error)):.4f} "
              "(in the target's units)")
    model.save(args.output)
    print(f"model saved to {args.output}")
    if plot_target is not None:
        write_plots(plot_target, model, history, x_te, t_te)
    return 0


def _check_converged(model, reason, fit_data, learning_rate) -> None:
    """Refuse to evaluate or save a model whose weights, or whose loss on its own training
    data, are not finite numbers, saying why training stopped (``reason``: History's
    stop_reason)."""
    with np.errstate(over="ignore", invalid="ignore"):
        finite = all(np.isfinite(w).all() for w in model.get_weights())
        try:
            finite = finite and math.isfinite(model.evaluate(*fit_data, return_dict=True)["loss"])
        except ValueError:  # outputs that are not finite numbers are refused as y_pred
            finite = False
    if finite:
        return
    reason = reason or "the loss on the training data is not a finite number"
    rate = "" if learning_rate is None else f" than {learning_rate:g}"
    raise ValueError(f"--learning-rate: training diverged: {reason}; the model's weights or "
                     "outputs are not finite, so it was not evaluated or saved: try a smaller "
                     f"--learning-rate{rate}")


def write_plots(target, model, history, x_test, y_test) -> None:
    """Learning curves (and the boundary over raw 2-D points) into a file or a directory."""
    from rosenblatt import plot

    kind, out = target
    two_d = x_test.shape[1] == 2
    if kind == "file":
        plot.history(history, save=out)
        written = [out]
        if two_d:
            boundary = out.with_name(f"{out.stem}-boundary{out.suffix}")
            plot.decision_boundary(model, x_test, y_test, save=boundary)
            written.append(boundary)
        print(f"plots written: {', '.join(map(str, written))}")
        return
    out.mkdir(parents=True, exist_ok=True)
    plot.history(history, save=out / "history.png")
    (out / "history.json").write_text(json.dumps(history.history))
    written = ["history.png", "history.json"]
    if two_d:
        plot.decision_boundary(model, x_test, y_test, save=out / "boundary.png")
        written.append("boundary.png")
    print(f"plots written to {out}: {', '.join(written)}")


# --------------------------------------------------------------------------------- predict
def predict(args) -> int:
    from rosenblatt.models import load_model

    model = load_model(args.model, compile=False)
    preprocessing = model.preprocessing
    x = read_input(args.input, preprocessing)
    out = model.predict(preprocessing.transform(x) if preprocessing is not None else x)
    if args.classes:
        if preprocessing is not None and preprocessing.target_mean is not None:
            raise ValueError(f"--classes: {args.model} is a regression model, it has no classes")
        if preprocessing is not None:
            labels = preprocessing.labels(out)
        else:
            labels = ((out[:, 0] > 0.5).astype(int) if out.shape[1] == 1
                      else out.argmax(axis=1)).tolist()
        print("\n".join(str(label) for label in labels))
    else:
        if preprocessing is not None:
            out = preprocessing.decode(out)
        np.savetxt(sys.stdout, out, fmt="%.6g", delimiter=",")
    return 0


def summary(args) -> int:
    from rosenblatt.models import load_model

    load_model(args.model, compile=False).summary()
    return 0

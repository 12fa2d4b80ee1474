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
import csv
import inspect
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "model.npz"
MAX_CLASSES = 20  # --task auto: integer targets with more distinct values are a regression
IMAGE_SUFFIXES = (".png", ".svg")
_OTHER_IMAGES = (".jpg", ".jpeg", ".pdf", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def _dataset_names() -> str:
    from rosenblatt.datasets import DATASETS

    return ", ".join(DATASETS.names())


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


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
    p.add_argument("--learning-rate", type=_positive_float, default=None,
                   help="learning rate, a finite number > 0 (default: the optimizer's)")
    p.add_argument("--batch-size", default="32", help="mini-batch size, or 'full' (default 32)")
    p.add_argument("--epochs", type=_positive_int, default=30, help="epochs (default 30)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights and shuffling")
    p.add_argument("--test-split", type=float, default=0.2,
                   help="fraction held out for testing: a seeded random part, or the last "
                   "images for MNIST (default 0.2)")
    p.add_argument("--validation-split", type=_fraction, default=0.1,
                   help="fraction of the training part (its last samples) watched during "
                   "training; the test part is never used for that (default 0.1; 0 for none)")
    p.add_argument("--noise", type=float, default=0.1, help="generated sets' noise (default 0.1)")
    p.add_argument("--samples", type=_positive_int, default=500,
                   help="generated sets' points (default 500)")
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
    """--output must be a writable file path; checked before any training."""
    path = Path(text)
    if path.is_dir():
        raise ValueError(f"--output: expected a file path, got the directory {path}")
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


# ------------------------------------------------------------------------------------ data
def _csv_header(path: str) -> list[str]:
    try:
        with open(path, newline="") as handle:
            return [name.strip() for name in next((row for row in csv.reader(handle) if row), [])]
    except (OSError, UnicodeDecodeError):
        return []  # load_csv reports the file


def _csv_target(header: list[str], text):
    """--target as a column name when the header has it, else as an integer index."""
    if text is None:
        return -1
    if text in header:
        return text
    try:
        return int(text)
    except ValueError:
        return text


def load_data(args) -> dict:
    """The ``--data`` choice: raw train and test parts and what is known about them."""
    from rosenblatt import datasets

    spec = args.data
    data = {"task": "classification", "feature_map": None, "columns": None, "target": None,
            "ordered": False}
    if args.features and (spec in ("digits",) or ":" in spec):
        raise ValueError("--features applies to playground data sets and the other generated "
                         "2-D sets (circle, xor, moons, ...)")
    if spec == "digits":
        x, y = datasets.load_digits()
    elif spec.startswith("mnist:"):
        directory = Path(spec[len("mnist:"):])
        try:
            x_tr, y_tr = datasets.load_mnist(directory, kind="train")
            x_te, y_te = datasets.load_mnist(directory, kind="test")
            return {**data, "split": (x_tr, y_tr, x_te, y_te)}
        except FileNotFoundError:
            x, y = datasets.load_mnist(directory, kind="test")
        data["ordered"] = True  # first images train, last test
    elif spec.startswith("csv:"):
        path = spec[len("csv:"):]
        header = _csv_header(path)
        target = _csv_target(header, args.target)
        x, y, columns = datasets.load_csv(path, target=target, return_columns=True)
        if len(set(header)) != len(header):
            raise ValueError(f"{path}: expected distinct column names, got {', '.join(header)}")
        data.update(task=None, columns=columns,
                    target=target if isinstance(target, str) else header[target])
    else:
        generator = datasets.DATASETS.lookup(spec)
        accepted = inspect.signature(generator).parameters
        kwargs = {"n": args.samples, "seed": args.seed}
        if "noise" in accepted:
            kwargs["noise"] = args.noise
        if "labels" in accepted:
            kwargs["labels"] = "binary"
        x, y = generator(**kwargs)
        data.update(columns=["x1", "x2"],
                    task="regression" if datasets.is_regression(spec) else "classification")
        if args.features:
            data["feature_map"] = datasets.FeatureMap(args.features.split(","))
    fraction = args.test_split
    n_test = int(round(len(x) * fraction)) if 0 < fraction < 1 else 0
    if not 0 < n_test < len(x):
        raise ValueError(f"--test-split: expected a fraction leaving samples on both sides, "
                         f"got {args.test_split} of {len(x)} samples")
    if not data["ordered"]:
        order = np.random.default_rng(args.seed).permutation(len(x))
        x, y = x[order], y[order]
    cut = len(x) - n_test
    return {**data, "split": (x[:cut], y[:cut], x[cut:], y[cut:])}


def choose_task(y, requested: str) -> tuple[str, str]:
    """(task, reason) for targets y and --task (see its help for the auto rule)."""
    if y.dtype.kind in "US":
        if requested == "regression":
            raise ValueError(f"--task regression: expected numeric targets, got labels such as "
                             f"{y[0]!r}")
        return "classification", "the target values are labels, not numbers"
    if requested != "auto":
        return requested, "--task " + requested
    if y.dtype.kind == "f":
        return "regression", "the target values are not all whole numbers"
    distinct = len(np.unique(y))
    if distinct > MAX_CLASSES:
        return "regression", f"{distinct} distinct integer targets, more than {MAX_CLASSES}"
    if distinct >= 3 and distinct > len(y) / 2:
        return "regression", (f"{distinct} distinct integer targets in {len(y)} rows, more "
                              "than half of them")
    return "classification", f"{distinct} distinct integer targets, at most {MAX_CLASSES}"


def make_preprocessing(data: dict, task: str, x_fit, y_fit, y_all, standardize: bool):
    """The model's declared preprocessing, its statistics from the fitting part only."""
    from rosenblatt.datasets import Standardizer
    from rosenblatt.nn.features import Preprocessing

    kwargs = {"columns": data["columns"], "target": data["target"],
              "feature_map": data["feature_map"]}
    if task == "classification":
        kwargs["classes"] = np.unique(y_all).tolist()
        if len(kwargs["classes"]) < 2:
            raise ValueError(f"--target: expected at least two classes, the target holds only "
                             f"{kwargs['classes'][0]!r}")
    if standardize:
        mapped = data["feature_map"](x_fit) if data["feature_map"] is not None else x_fit
        scaler = Standardizer().fit(mapped)
        kwargs.update(mean=scaler.mean_.tolist(), scale=scaler.scale_.tolist())
        if task == "regression":
            scaler = Standardizer().fit(np.asarray(y_fit, dtype=np.float64))
            kwargs.update(target_mean=float(scaler.mean_), target_scale=float(scaler.scale_))
    return Preprocessing(**kwargs)


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
    history = model.fit(z_tr[:fit_part], t_tr[:fit_part], batch_size=batch_size,
                        epochs=args.epochs, validation_data=validation, verbose=args.verbose)
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
def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number, found {text!r}")
    return value


def _read_csv(path: Path, preprocessing) -> np.ndarray:
    """The rows of a CSV as the model's raw columns, by name when it has a header."""
    with path.open(newline="") as handle:
        rows = [(line, row) for line, row in enumerate(csv.reader(handle), 1) if row]
    if not rows:
        raise ValueError(f"{path}: expected rows of numbers, found an empty file")
    first = rows[0][1]
    columns = getattr(preprocessing, "columns", None)
    order = None
    if not all(_is_number(text) for text in first):
        names = [name.strip() for name in first]
        rows = rows[1:]
        if columns is not None:
            target = preprocessing.target
            missing = [c for c in columns if c not in names]
            extra = [n for n in names if n not in columns and n != target]
            if missing or extra:
                raise ValueError(
                    f"{path}: its columns do not match the model's: missing "
                    f"{', '.join(missing) or 'none'}; unexpected {', '.join(extra) or 'none'} "
                    f"(the model takes {', '.join(columns)}"
                    + (f"; its target {target} is ignored)" if target else ")"))
            order = [names.index(c) for c in columns]
    if not rows:
        raise ValueError(f"{path}: expected rows of numbers after the header, found none")
    width = len(rows[0][1])
    table = []
    for line, row in rows:
        if len(row) != width:
            raise ValueError(f"{path}, line {line}: expected {width} values, found {len(row)}")
        picked = [row[i] for i in order] if order is not None else row
        table.append([_number(text, f"{path}, line {line}") for text in picked])
    return np.array(table)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_input(path: str, preprocessing) -> np.ndarray:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no input file at {path}")
    if path.suffix == ".npy":
        from rosenblatt.base.checks import as_array

        x = as_array(np.load(path, allow_pickle=False), f"{path}", ndim=(1, 2))
        x = x[None, :] if x.ndim == 1 else x  # one row
    else:
        x = _read_csv(path, preprocessing)
    width = getattr(preprocessing, "n_raw", None)
    if width is not None and x.shape[1] != width:
        named = f" ({', '.join(preprocessing.columns)})" if preprocessing.columns else ""
        raise ValueError(f"{path}: expected {width} columns{named} per row, found "
                         f"{x.shape[1]}")
    return x


def predict(args) -> int:
    from rosenblatt.models import load_model

    model = load_model(args.model, compile=False)
    preprocessing = model.preprocessing
    x = _read_input(args.input, preprocessing)
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

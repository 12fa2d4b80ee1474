"""The data side of ``rosenblatt train`` and ``rosenblatt predict``: the ``--data`` choice, the
task and the model's declared preprocessing for training, and the rows of the files to predict.
"""

from __future__ import annotations

import csv
import inspect
import math
from pathlib import Path

import numpy as np

from rosenblatt.base.checks import PathNotFoundError, as_array
from rosenblatt.datasets.loaders import parse_number, read_csv_rows

MAX_CLASSES = 20  # --task auto: integer targets with more distinct values are a regression


def _csv_header(path: str) -> list[str]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return [name.strip() for name in next((row for row in csv.reader(handle) if row), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
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
    elif spec.startswith(("mnist:", "csv:")) and not spec.partition(":")[2]:
        raise ValueError(f"--data: expected a path after '{spec}', such as "
                         f"{spec}{'DIR' if spec == 'mnist:' else 'FILE.csv'}")
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


def _number(text: str, where: str) -> float:
    try:
        value = parse_number(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number, found {text!r}")
    return value


def _read_csv(path: Path, preprocessing) -> np.ndarray:
    """The rows of a CSV as the model's raw columns, by name when it has a header."""
    rows = read_csv_rows(path)
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
        parse_number(text)
    except ValueError:
        return False
    return True


def read_input(path: str, preprocessing) -> np.ndarray:
    path = Path(path)
    if not path.exists():
        raise PathNotFoundError(f"no input file at {path}")
    if not path.is_file():
        raise ValueError(f"input: expected a .npy or CSV file, got {path}, a directory or a "
                         "special file")
    if path.suffix == ".npy":
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

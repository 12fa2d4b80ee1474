"""The playground's data: its six sets, multiclass blobs and spirals, and the user's CSV.

The two-class and regression sets are :mod:`rosenblatt.datasets.playground`'s (the
original's generation rules); the split is the original's: one shuffle, the first
floor(N * percTrainData / 100) points train, the rest test.

>>> from rosenblatt.playground.settings import Settings
>>> data = make_data(Settings(dataset="circle", noise=10))
>>> data.x_train.shape, data.x_test.shape, sorted(set(data.y_train.tolist()))
((250, 2), (250, 2), [-1.0, 1.0])

Lecture 002 (the playground exercise, L17).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass

import numpy as np

from rosenblatt.datasets import playground as sets

N_CLASSIFICATION = 500  # the original's sizes
N_REGRESSION = 1200
BOX = 6.0  # the box [-6, 6]^2
MAX_UPLOAD_BYTES = 256 * 1024
MAX_UPLOAD_ROWS = 5000
_MAKERS = {"circle": sets.circle, "xor": sets.xor, "gauss": sets.gauss, "spiral": sets.spiral}
_REGRESSORS = {"reg-plane": sets.plane, "reg-gauss": sets.multi_gauss}


class UploadError(ValueError):
    """A CSV the playground cannot use: the message says which line and why."""


@dataclass(frozen=True)
class Data:
    """Points and targets, split: y is +-1 (two classes), a class index (more), or a value."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int  # 0 for regression


def seed_number(seed: str) -> int:
    """A 63-bit integer seed from the page's seed text (the same text, the same data).

    >>> seed_number("0") == seed_number("0") != seed_number("1")
    True
    """
    return int.from_bytes(hashlib.sha256(seed.encode("ascii")).digest()[:8], "big") >> 1


def blobs(n, k, noise, rng):
    """k Gaussian blobs with centres on a circle of radius 3.5 (class i at angle 2 pi i / k),
    variance 0.5 + 7 * noise as in the original's two-blob set; labels 0..k-1."""
    y = np.arange(n) % k
    angle = 2 * np.pi * y / k
    centres = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x = centres + rng.normal(0.0, math.sqrt(0.5 + 7.0 * noise), (n, 2))
    return x, y


def spirals(n, k, noise, rng):
    """k interleaved spiral arms (the original's two-arm rule, arm i turned by 2 pi i / k);
    labels 0..k-1."""
    y = np.arange(n) % k
    i = np.arange(n) // k
    m = math.ceil(n / k)
    r = 5.0 * i / m
    t = 1.75 * 2 * np.pi * i / m + 2 * np.pi * y / k
    x = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    x += rng.uniform(-1.0, 1.0, (n, 2)) * noise
    return x, y


def _split(x, y, perc, rng, n_classes) -> Data:
    order = rng.permutation(len(x))
    x, y = np.asarray(x, np.float32)[order], np.asarray(y)[order]
    y = y.astype(np.int64) if n_classes > 2 else y.astype(np.float32)
    cut = int(math.floor(len(x) * perc / 100))
    return Data(x[:cut], y[:cut], x[cut:], y[cut:], n_classes)


def make_data(settings, custom: tuple | None = None) -> Data:
    """The split data of ``settings`` (or of an uploaded ``custom = (x, y, n_classes)``)."""
    rng = np.random.default_rng(seed_number(settings.seed))
    noise = settings.noise / 100
    if custom is not None:
        x, y, n_classes = custom
    elif settings.problem == "regression":
        x, y = _REGRESSORS[settings.reg_dataset](N_REGRESSION, noise, seed=rng)
        n_classes = 0
    elif settings.classes > 2:
        make = blobs if settings.dataset == "gauss" else spirals
        x, y = make(N_CLASSIFICATION, settings.classes, noise, rng)
        n_classes = settings.classes
    else:
        x, y = _MAKERS[settings.dataset](N_CLASSIFICATION, noise, seed=rng, shuffle=False)
        n_classes = 2
    return _split(x, y, settings.perc_train_data, rng, n_classes)


def _row_numbers(row, line):
    try:
        x1, x2 = float(row[0]), float(row[1])
    except ValueError:
        raise UploadError(f"csv: line {line}: expected numbers x1, x2, got {row[:2]!r}") from None
    if not (math.isfinite(x1) and math.isfinite(x2)) or max(abs(x1), abs(x2)) > 1e6:
        raise UploadError(f"csv: line {line}: expected finite x1, x2 within +-1e6, got "
                          f"{row[:2]!r}")
    return x1, x2


def parse_csv(text, problem: str = "classification", max_classes: int = 6):
    """The points (n, 2) and targets of an uploaded CSV ``x1,x2,label`` (a header is optional).

    Points are scaled together into the box [-6, 6]^2; class labels (numbers or words, at most
    ``max_classes`` of them) become +-1 for two classes (the first label seen is +1) or 0..k-1;
    regression targets are scaled into [-1, 1].

    Returns:
        (x, y, n_classes), n_classes 0 for regression.

    Raises:
        UploadError: too large (bytes, rows), a row without exactly three fields, a value that
            is not a finite number, fewer than 4 rows, a single class or too many.

    >>> x, y, k = parse_csv("x1,x2,label\\n0,0,a\\n1,1,b\\n2,0,a\\n0,2,b\\n")
    >>> float(abs(x).max()), y.tolist(), k
    (6.0, [1.0, -1.0, 1.0, -1.0], 2)
    """
    if not isinstance(text, str):
        raise UploadError(f"csv: expected the file's text, got {type(text).__name__}")
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise UploadError(f"csv: expected at most {MAX_UPLOAD_BYTES} bytes, got {size}")
    rows = [r for r in csv.reader(io.StringIO(text)) if r and any(f.strip() for f in r)]
    if rows and rows[0] and _is_header(rows[0]):
        rows = rows[1:]
        start = 2
    else:
        start = 1
    if len(rows) > MAX_UPLOAD_ROWS:
        raise UploadError(f"csv: expected at most {MAX_UPLOAD_ROWS} rows, got {len(rows)}")
    if len(rows) < 4:
        raise UploadError(f"csv: expected at least 4 rows of x1,x2,label, got {len(rows)}")
    points, labels = [], []
    for i, row in enumerate(rows):
        if len(row) != 3:
            raise UploadError(f"csv: line {i + start}: expected 3 fields x1,x2,label, got "
                              f"{len(row)}")
        points.append(_row_numbers(row, i + start))
        labels.append(row[2].strip())
    x = np.array(points, dtype=np.float64)
    x = x * (BOX / max(float(np.abs(x).max()), 1e-12))
    if problem == "regression":
        return x, _targets(labels, start), 0
    classes = list(dict.fromkeys(labels))
    if not 2 <= len(classes) <= max_classes:
        raise UploadError(f"csv: expected 2 to {max_classes} distinct labels, got "
                          f"{len(classes)}")
    index = np.array([classes.index(v) for v in labels])
    if len(classes) == 2:
        return x, np.where(index == 0, 1.0, -1.0), 2
    return x, index, len(classes)


def _is_header(row) -> bool:
    try:
        float(row[0])
    except ValueError:
        return True
    return False


def _targets(labels, start) -> np.ndarray:
    try:
        y = np.array([float(v) for v in labels])
    except ValueError:
        raise UploadError("csv: a regression needs numeric targets in the third column") from None
    if not np.isfinite(y).all():
        raise UploadError(f"csv: line {start + int(np.argmin(np.isfinite(y)))}: the target is "
                          f"not a finite number")
    return y / max(float(np.abs(y).max()), 1e-12)

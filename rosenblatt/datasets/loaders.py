"""Real data from files and from scikit-learn: digits and numeric CSV tables."""

from __future__ import annotations

import csv
import math
import numbers
from pathlib import Path

import numpy as np


def load_digits():
    """scikit-learn's bundled 8x8 handwritten digits, pixels scaled to [0, 1].

    **Formula**: x = p / 16 for the pixel intensities p in 0..16.

    Returns:
        x: float32 array (1797, 64) in [0, 1]; y: int64 array (1797,) of digits 0-9.

    Raises:
        ImportError: scikit-learn is not installed (``pip install "rosenblatt[data]"``).

    >>> x, y = load_digits()  # doctest: +SKIP
    >>> x.shape, float(x.max()), y[:5].tolist()  # doctest: +SKIP
    ((1797, 64), 1.0, [0, 1, 2, 3, 4])

    Lecture 002 (digits for the autoencoder, L36); also a small stand-in for MNIST (003).
    """
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError as exc:
        raise ImportError('load_digits needs scikit-learn: pip install "rosenblatt[data]"') from exc
    bunch = sklearn_digits()
    x = np.asarray(bunch.data, dtype=np.float32) / np.float32(16.0)
    return x, np.asarray(bunch.target, dtype=np.int64)


def _target_index(target, columns: list[str], path: Path) -> int:
    if isinstance(target, str):
        if target not in columns:
            raise ValueError(
                f"{path}: target column {target!r} not found; columns: {', '.join(columns)}"
            )
        return columns.index(target)
    if not -len(columns) <= target < len(columns):
        raise ValueError(
            f"{path}: target column index {target} out of range for {len(columns)} "
            f"columns: {', '.join(columns)}"
        )
    return int(target) % len(columns)


def _parse_row(row: list[str], columns: list[str], line: int, path: Path) -> list[float]:
    if len(row) != len(columns):
        raise ValueError(f"{path}, line {line}: expected {len(columns)} values, found {len(row)}")
    values = []
    for column, text in zip(columns, row, strict=True):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(
                f"{path}, line {line}, column {column!r}: expected a finite number, found {text!r}"
            )
        values.append(value)
    return values


def load_csv(path, target=-1, delimiter=",", header=True):
    """Load a numeric CSV table as features x and target y.

    **Layout**: one row per sample; with ``header`` the first line names the columns. The column
    ``target`` becomes y, the other columns (in file order) become x. y is int64 when every
    target value is a whole number, else float32. Blank lines are skipped.

    Args:
        path: a str or ``pathlib.Path``.
        target: the target column's name (needs ``header``) or index (negative counts from the
            end); default the last column.
        delimiter: the field separator.
        header: whether the first line holds column names (else columns are named 'column 0',
            'column 1', ...).

    Returns:
        x: float32 array (n, d - 1); y: array (n,), int64 or float32.

    Raises:
        FileNotFoundError: no such file.
        ValueError: missing target column (lists the columns), a non-numeric or non-finite
            value (names the column and the 1-based line), a row of the wrong length, no rows.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = open(path, "w").write("a,b,label\\n1,2,0\\n3,4.5,1\\n")
    >>> x, y = load_csv(path, target="label")
    >>> x.tolist(), y.tolist()
    ([[1.0, 2.0], [3.0, 4.5]], [0, 1])
    """
    path = Path(path)
    if not isinstance(target, (str, numbers.Integral)) or isinstance(target, bool):
        raise TypeError(f"target: expected a column name (str) or index (int), got {target!r}")
    if isinstance(target, str) and not header:
        raise ValueError(f"target: a column name ({target!r}) needs header=True; give an index")
    with path.open(newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        rows = [(reader.line_num, row) for row in reader if row]
    if header:
        if not rows:
            raise ValueError(f"{path}: empty file, expected a header line")
        columns = [name.strip() for name in rows.pop(0)[1]]
    else:
        columns = [f"column {i}" for i in range(len(rows[0][1]) if rows else 0)]
    if not rows:
        raise ValueError(f"{path}: no data rows")
    index = _target_index(target, columns, path)
    table = np.array([_parse_row(row, columns, line, path) for line, row in rows])
    y = table[:, index]
    x = np.delete(table, index, axis=1).astype(np.float32)
    if np.all(y == np.round(y)):
        return x, y.astype(np.int64)
    return x, y.astype(np.float32)

"""Real data: the bundled 8x8 digits and CSV tables."""

from __future__ import annotations

import csv
import math
import numbers
import re
from importlib import resources
from os import PathLike
from pathlib import Path

import numpy as np

from rosenblatt.base.checks import PathIsDirectoryError, PathNotFoundError

DIGITS_RESOURCE = "data/digits.npz"  # uint8 images (1797, 8, 8) in 0..16, uint8 labels


def load_digits():
    """The 8x8 handwritten digits bundled with rosenblatt, pixels scaled to [0, 1].

    **Formula**: x = p / 16 for the pixel intensities p in 0..16.

    **Data**: the 1,797 images of the UCI "Optical Recognition of Handwritten Digits" set
    (E. Alpaydin and C. Kaynak, 1998; the test part of the UCI files, as scikit-learn's
    ``load_digits`` ships it), licensed CC BY 4.0, https://doi.org/10.24432/C50P49. Stored in
    the package as a compressed NumPy archive (``datasets/data/digits.npz``), read with
    ``allow_pickle=False``; no scikit-learn needed.

    Returns:
        x: float32 array (1797, 64) in [0, 1]; y: int64 array (1797,) of digits 0-9.

    >>> x, y = load_digits()
    >>> x.shape, float(x.max()), y[:5].tolist()
    ((1797, 64), 1.0, [0, 1, 2, 3, 4])

    Lecture 002 (digits for the autoencoder, L36); also a small stand-in for MNIST (003).
    """
    with resources.files(__package__).joinpath(DIGITS_RESOURCE).open("rb") as handle:
        with np.load(handle, allow_pickle=False) as archive:
            images, labels = archive["images"], archive["labels"]
    if images.shape != (1797, 8, 8) or labels.shape != (1797,) or images.max() > 16:
        raise ValueError(f"{DIGITS_RESOURCE}: expected images (1797, 8, 8) in 0..16 and "
                         f"labels (1797,), got shapes {images.shape} and {labels.shape}")
    x = images.reshape(len(images), 64).astype(np.float32) / np.float32(16.0)
    return x, labels.astype(np.int64)


# A number as a CSV cell writes it: ASCII decimal digits, optional sign, point and exponent
# (or nan / inf, refused later as not finite). Python's float() also takes '1_000' and other
# scripts' digits, which a table's cell never means.
_NUMBER = re.compile(r"[ \t]*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf(?:inity)?)"
                     r"[ \t]*", re.IGNORECASE | re.ASCII)


def parse_number(text: str) -> float:
    """The number a CSV cell writes in ASCII decimal form, or ValueError.

    >>> parse_number(" -1.5e3"), parse_number("7")
    (-1500.0, 7.0)
    """
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"expected a number in decimal digits, found {text!r}")
    return float(text)


def read_csv_rows(path: Path, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """(line number, fields) of the non-blank rows; undecodable or malformed files are a
    ValueError naming the file (missing files and folders keep their OSError types)."""
    if not path.exists():
        raise PathNotFoundError(f"path: no such file: {path}")
    if path.is_dir():
        raise PathIsDirectoryError(f"path: expected a CSV file, got the directory {path}")
    reader = None
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            return [(reader.line_num, row) for row in reader if row]
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: expected a UTF-8 text file, found the byte "
                         f"0x{exc.object[exc.start]:02x}, which is not UTF-8 (a binary "
                         "file?)") from None
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 0
        if "field larger than field limit" in str(exc):
            raise ValueError(f"{path}, line {line}: a field is longer than the csv module's "
                             f"limit of {csv.field_size_limit():,} characters") from None
        raise ValueError(f"{path}, line {line}: not a valid CSV row ({exc})") from None


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


_FLOAT32_MAX = float(np.finfo(np.float32).max)
_EXACT_INT = 2**53  # whole floats up to this size are integers exactly


def _parse_row(row: list[str], columns: list[str], line: int, path: Path,
               index: int) -> tuple[list[float], str]:
    """The feature values of one row (finite, within float32's range) and its target text."""
    if len(row) != len(columns):
        raise ValueError(f"{path}, line {line}: expected {len(columns)} values, found {len(row)}")
    values = []
    for i, (column, text) in enumerate(zip(columns, row, strict=True)):
        if i == index:
            if not text.strip():
                raise ValueError(f"{path}, line {line}, column {column!r}: missing target value")
            continue
        try:
            value = parse_number(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(f"{path}, line {line}, column {column!r}: expected a finite number "
                             f"in decimal digits, found {text!r}")
        if abs(value) > _FLOAT32_MAX:
            raise ValueError(f"{path}, line {line}, column {column!r}: {text!r} is outside "
                             f"float32's range (|x| <= {_FLOAT32_MAX:.4g})")
        values.append(value)
    return values, row[index].strip()


def _targets(texts: list[str], lines: list[int], column: str, path: Path) -> np.ndarray:
    """The target column: exact int64 integers, else float32 numbers, else str labels."""
    numbers_ = []
    for text in texts:
        try:
            numbers_.append(parse_number(text))
        except ValueError:
            return np.array(texts, dtype=str)  # labels such as 'yes' / 'no'
    for value, text, line in zip(numbers_, texts, lines, strict=True):
        if not math.isfinite(value) or abs(value) > _FLOAT32_MAX:
            raise ValueError(f"{path}, line {line}, column {column!r}: expected a finite number "
                             f"within float32's range, found {text!r}")
    try:  # integers written as integers, exactly, when they fit int64
        whole = [int(text) for text in texts]
        if all(-(2**63) <= v < 2**63 for v in whole):
            return np.array(whole, dtype=np.int64)
    except ValueError:
        pass
    if all(v == round(v) and abs(v) <= _EXACT_INT for v in numbers_):
        return np.array(numbers_).astype(np.int64)  # '3.0' or '2e1': whole and exact
    return np.array(numbers_, dtype=np.float32)


def load_csv(path, target=-1, delimiter=",", header=True, return_columns=False):
    """Load a CSV table as numeric features x and a target y (numbers or labels).

    **Layout**: one row per sample; with ``header`` the first line names the columns. The column
    ``target`` becomes y, the other columns (in file order) become x. y is int64 when every
    target value is an integer that int64 holds exactly (written as an integer, or a whole
    number of size at most 2^53), else float32 when every value is a number, else an array of
    str labels (such as 'yes' / 'no'). A number is never wrapped or rounded into another
    integer: 1e20 stays a float. Blank lines are skipped.

    Args:
        path: a str or ``pathlib.Path``.
        target: the target column's name (needs ``header``) or index (negative counts from the
            end); default the last column.
        delimiter: the field separator.
        header: whether the first line holds column names (else columns are named 'column 0',
            'column 1', ...).
        return_columns: also return the names of x's columns.

    Returns:
        x: float32 array (n, d - 1); y: array (n,), int64, float32 or str; with
        ``return_columns``, also the list of x's column names.

    Raises:
        FileNotFoundError, IsADirectoryError: no such file, or a folder (naming the path).
        TypeError: ``header`` not a bool, ``delimiter`` not one character.
        ValueError: a file that is not UTF-8 text or holds a field over the csv module's size
            limit, repeated column names, a missing target column (lists the columns), a
            non-numeric, non-finite or out-of-float32-range feature value or a missing target
            value (names the column and the 1-based line), a row of the wrong length, no rows.
            Numbers are read strictly: ASCII decimal digits, an optional sign, point and
            exponent ('1_000' and other scripts' digits are not numbers).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = open(path, "w").write("a,b,label\\n1,2,0\\n3,4.5,1\\n")
    >>> x, y = load_csv(path, target="label")
    >>> x.tolist(), y.tolist()
    ([[1.0, 2.0], [3.0, 4.5]], [0, 1])
    """
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"path: expected a str or pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if not isinstance(target, (str, numbers.Integral)) or isinstance(target, bool):
        raise TypeError(f"target: expected a column name (str) or index (int), got {target!r}")
    if not isinstance(header, (bool, np.bool_)):
        raise TypeError(f"header: expected True or False, got {header!r}")
    if isinstance(target, str) and not header:
        raise ValueError(f"target: a column name ({target!r}) needs header=True; give an index")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise TypeError(f"delimiter: expected one character, got {delimiter!r}")
    rows = read_csv_rows(path, delimiter)
    if header:
        if not rows:
            raise ValueError(f"{path}: empty file, expected a header line")
        columns = [name.strip() for name in rows.pop(0)[1]]
        repeated = sorted({name for name in columns if columns.count(name) > 1})
        if repeated:
            raise ValueError(f"{path}: expected distinct column names, got "
                             f"{', '.join(columns)} ({', '.join(map(repr, repeated))} more "
                             "than once)")
    else:
        columns = [f"column {i}" for i in range(len(rows[0][1]) if rows else 0)]
    if not rows:
        raise ValueError(f"{path}: no data rows")
    index = _target_index(target, columns, path)
    parsed = [_parse_row(row, columns, line, path, index) for line, row in rows]
    x = np.array([values for values, _ in parsed], dtype=np.float32).reshape(len(rows), -1)
    y = _targets([text for _, text in parsed], [line for line, _ in rows], columns[index], path)
    if return_columns:
        return x, y, columns[:index] + columns[index + 1:]
    return x, y

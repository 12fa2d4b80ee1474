"""Checks shared by the classic neurons: binary inputs, fitted state and accuracy."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rosenblatt.base.checks import as_array


def as_binary(value, name: str, ndim=2) -> np.ndarray:
    """Return ``value`` as an int array of 0s and 1s, or raise naming the first other value.

    Booleans and the floats 0.0 / 1.0 are accepted; NaN, inf and anything else is a ValueError
    that names the offending value and its index.

    >>> as_binary([[1, 0], [True, 1.0]], "x").tolist()
    [[1, 0], [1, 1]]
    """
    arr = as_array(value, name, ndim=ndim)
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name}: expected binary inputs (0 or 1), got {arr[where].item()!r} at index {where}"
        )
    return arr.astype(np.int64)


def check_fitted(estimator, attribute: str) -> None:
    """Raise ValueError if ``estimator`` has not been fitted (``attribute`` is missing)."""
    if not hasattr(estimator, attribute):
        name = type(estimator).__name__
        raise ValueError(f"This {name} is not fitted yet: call fit(X, y) before using it")


def check_n_features(x: np.ndarray, expected: int, name: str = "X") -> None:
    """Raise ValueError unless the 2-D array ``x`` has ``expected`` columns."""
    if x.shape[1] != expected:
        raise ValueError(f"{name}: expected {expected} feature(s) per sample, got shape {x.shape}")


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of samples where ``y_pred`` equals ``y_true``: (1/N) sum_i [y_pred_i = y_i]."""
    return float(np.mean(y_true == y_pred))


class TruthTable(NamedTuple):
    """Every input row of a Boolean function (in counting order 00, 01, 10, 11) and its output.

    ``inputs`` has shape (2**k, k) and holds 0s and 1s; ``outputs`` has shape (2**k,).
    """

    inputs: np.ndarray
    outputs: np.ndarray

    def format(self, input_names=None, output_name: str = "out") -> str:
        """The table as aligned text, one row per input combination."""
        k = self.inputs.shape[1]
        names = list(input_names) if input_names else [f"x{i + 1}" for i in range(k)]
        width = max(len(n) for n in [*names, "0"])
        out_width = max(len(output_name), 10)
        header = " ".join(n.rjust(width) for n in names) + "  " + output_name.rjust(out_width)
        lines = [header]
        for row, out in zip(self.inputs, self.outputs, strict=True):
            cells = " ".join(str(int(v)).rjust(width) for v in row)
            lines.append(cells + "  " + _format_output(out).rjust(out_width))
        return "\n".join(lines)


def _format_output(value) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.6g}"

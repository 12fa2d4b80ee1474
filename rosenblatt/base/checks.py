"""Validation at the public boundary: every message names the argument, what was expected and
what was received, and every check runs before any work starts."""

from __future__ import annotations

import math
import numbers

import numpy as np


def describe(value) -> str:
    """A short description of a received value for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"str {text!r}"
    return type(value).__name__


def as_array(value, name: str, dtype=None, ndim=None, finite=True) -> np.ndarray:
    """Convert ``value`` to a numeric ndarray or raise a clear error.

    Rejects strings, objects and ragged sequences (TypeError), arrays of the wrong number of
    dimensions and, when ``finite``, arrays holding NaN or inf (ValueError).

    >>> as_array([[1, 2]], "x", dtype=np.float32).dtype
    dtype('float32')
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected an array of numbers, got {describe(value)}")
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested sequences
        raise TypeError(f"{name}: expected an array of numbers, got a ragged sequence") from exc
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name}: expected an array of numbers, got {describe(value)}"
            + (f" (dtype {arr.dtype})" if not isinstance(value, np.ndarray) else "")
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(n) for n in allowed)
            raise ValueError(f"{name}: expected a {want}-D array, got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ValueError naming the first NaN or inf entry of ``arr``.

    For an array of 64 entries or more, a finite sum of squares (one BLAS pass, no temporary
    array: 0.9 instead of 2 us for one 784-pixel row) proves every entry finite; only when it
    is not (a NaN, an inf, or squares too large) are the entries checked one by one.
    """
    if arr.dtype.kind != "f":
        return
    if arr.size >= 64 and arr.dtype in (np.float32, np.float64) and arr.flags.c_contiguous:
        flat = arr.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow: check one by one
            if np.isfinite(np.dot(flat, flat)):
                return
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(
            f"{name}: expected finite numbers, found {arr[where]} at index {where}"
        )


def check_same_length(x: np.ndarray, y: np.ndarray, xname: str = "x", yname: str = "y"):
    if len(x) != len(y):
        raise ValueError(
            f"{xname} and {yname} must have the same number of samples, "
            f"got {xname} with {len(x)} ({x.shape}) and {yname} with {len(y)} ({y.shape})"
        )


def check_positive(value, name: str, allow_zero: bool = False, integer: bool = False):
    """Raise unless ``value`` is a positive (or non-negative) number."""
    kind = numbers.Integral if integer else numbers.Real
    ok = isinstance(value, kind) and not isinstance(value, bool)
    sign = ">= 0" if allow_zero else "> 0"
    if ok and not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number {sign}, got {value!r}")
    if ok:
        ok = value >= 0 if allow_zero else value > 0
    if not ok:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name}: expected {what} {sign}, got {value!r}")
    return value


def check_bool(value, name: str) -> bool:
    """Raise unless ``value`` is a bool (a string such as 'False' would otherwise mean True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {describe(value)}")
    return bool(value)


def check_weights(values, weights, owner: str, noun: str = "arrays",
                  got: str = "") -> list[np.ndarray]:
    """``values`` as arrays of the weights' types for ``weights`` (tensors), after checking all
    of them: their count, each one's shape, a real number type and finite entries, also once
    cast (1e300 does not fit in float32). Nothing is written here, so a
    caller that writes only after this returns changes nothing when a check fails."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{owner}: expected a list of {len(weights)} arrays, got "
                        f"{describe(values)}")
    values = list(values)
    if len(values) != len(weights):
        raise ValueError(f"{owner}: expected {len(weights)} {noun}, got {len(values)}")
    arrays = []
    for w, v in zip(weights, values, strict=True):
        name = f"{owner}: {w.name!r}"
        arr = as_array(v, name, finite=False)
        if arr.dtype.kind == "b":
            raise TypeError(f"{name}: expected an array of real numbers, got booleans")
        if arr.shape != w.data.shape:
            raise ValueError(f"{name} has shape {w.data.shape}, got {got}{arr.shape}")
        check_finite(arr, name)
        with np.errstate(over="ignore"):
            cast = arr.astype(w.data.dtype, copy=False)
        if cast.dtype.kind == "f" and not np.isfinite(cast).all():
            raise ValueError(f"{name}: values up to {np.abs(arr).max():g} do not fit in the "
                             f"weight's {cast.dtype} (largest {np.finfo(cast.dtype).max:g})")
        arrays.append(cast)
    return arrays


def check_in_range(value, name: str, low: float, high: float):
    """Raise unless ``low <= value <= high``."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}: expected a number in [{low}, {high}], got {value!r}")
    return value


def check_choice(value, name: str, choices):
    if value not in choices:
        raise ValueError(
            f"{name}: expected one of {', '.join(repr(c) for c in choices)}, got {value!r}"
        )
    return value


def float_like(x: np.ndarray) -> np.ndarray:
    """``x`` as float64 if it already is, else as float32 (the library's default dtype)."""
    return x.astype(np.float64 if x.dtype == np.float64 else np.float32, copy=False)


class PathNotFoundError(FileNotFoundError, ValueError):
    """A file or folder argument that does not exist: a FileNotFoundError, as Python reports
    files, and a ValueError, as the library reports every refused argument."""


class PathIsDirectoryError(IsADirectoryError, ValueError):
    """A file argument that names a folder (an IsADirectoryError and a ValueError)."""


class PathNotWritableError(PermissionError, ValueError):
    """A place to write that the process may not write (a PermissionError and a ValueError)."""

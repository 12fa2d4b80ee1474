"""Checks shared by the classic neurons: binary inputs, fitted state and accuracy."""

from __future__ import annotations

import inspect
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


def as_samples(value, name: str = "X") -> np.ndarray:
    """``value`` as a float64 array of samples (n, d), n >= 1 and d >= 1, refused otherwise
    with messages that also carry scikit-learn's words, so its estimator checks recognize them:
    sparse matrices, complex numbers, NaN / inf, 1-D arrays, no samples or no features.

    >>> as_samples([[1, 2]]).dtype
    dtype('float64')
    """
    if hasattr(value, "toarray") or hasattr(value, "tocsr"):
        raise TypeError(f"{name}: sparse input is not supported, got {type(value).__name__}; "
                        f"pass a dense array ({name}.toarray())")
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else value
    if getattr(arr, "dtype", None) is not None and arr.dtype.kind == "c":
        raise ValueError(f"{name}: Complex data not supported, got dtype {arr.dtype}")
    if getattr(arr, "dtype", None) is not None and arr.dtype == np.dtype(object):
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name}: expected an array of numbers ({exc})") from None
    arr = as_array(arr, name, dtype=np.float64, finite=False)
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array, got shape {arr.shape}. Reshape your "
                         f"data: {name}.reshape(-1, 1) for one feature, {name}.reshape(1, -1) "
                         "for one sample")
    if not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{name}: expected finite numbers, found {arr[where]} at index {where} "
                         "(NaN or inf)")
    if arr.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one sample, got shape {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name}: found array with 0 feature(s) (shape={arr.shape}) while a "
                         "minimum of 1 is required.")
    return arr


def as_targets(value, name: str = "y") -> np.ndarray:
    """Numeric targets as float64 (1-D or 2-D), numbers stored as Python objects included."""
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else value
    if getattr(arr, "dtype", None) is not None and arr.dtype == np.dtype(object):
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name}: Unknown label type: expected numbers ({exc})") from None
    return as_array(arr, name, dtype=np.float64, ndim=(1, 2))


def require_y(y, owner, name: str = "y") -> None:
    """Raise ValueError if the targets ``y`` are missing (None)."""
    if y is None:
        raise ValueError(f"{name}: {type(owner).__name__} requires y to be passed, but the "
                         "target y is None")


def check_fitted(estimator, attribute: str) -> None:
    """Raise ValueError if ``estimator`` has not been fitted (``attribute`` is missing)."""
    if not hasattr(estimator, attribute):
        name = type(estimator).__name__
        raise ValueError(f"This {name} is not fitted yet: call fit(X, y) before using it")


def check_n_features(x: np.ndarray, expected: int, name: str = "X", owner=None) -> None:
    """Raise ValueError unless the 2-D array ``x`` has ``expected`` columns (the message
    also says it in scikit-learn's words when ``owner``, the estimator, is given)."""
    if x.shape[1] != expected:
        lead = "" if owner is None else (f"{name} has {x.shape[1]} features, but "
                                         f"{type(owner).__name__} is expecting {expected} "
                                         "features as input: ")
        raise ValueError(f"{lead}{name}: expected {expected} feature(s) per sample, got shape "
                         f"{x.shape}")


class Estimator:
    """scikit-learn's estimator protocol, written out so that the classic learners need no
    scikit-learn: ``get_params`` / ``set_params`` over the arguments of ``__init__`` (which
    only stores them; ``fit`` checks them), and ``__sklearn_tags__`` for scikit-learn's tools
    (``clone``, ``Pipeline``, ``GridSearchCV``, ``cross_val_score``).

    ``_estimator_type`` is 'classifier', 'regressor' or None.
    """

    _estimator_type: str | None = None
    _multi_output = False  # whether fit takes 2-D targets (n, k)

    @classmethod
    def _param_names(cls) -> list[str]:
        parameters = inspect.signature(cls.__init__).parameters.values()
        return sorted(p.name for p in parameters if p.name != "self"
                      and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))

    def get_params(self, deep: bool = True) -> dict:
        """The arguments of ``__init__`` and their current values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set arguments of ``__init__`` by name (checked by the next fit). Returns self."""
        valid = self._param_names()
        unknown = [name for name in params if name not in valid]
        if unknown:
            raise ValueError(f"set_params: {type(self).__name__} has no parameter "
                             f"{unknown[0]!r}; valid parameters: {', '.join(valid)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self):
        # only scikit-learn calls this, so scikit-learn is there to import
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags

        kind = self._estimator_type
        targets = TargetTags(required=True, multi_output=self._multi_output)
        return Tags(estimator_type=kind, target_tags=targets,
                    classifier_tags=ClassifierTags() if kind == "classifier" else None,
                    regressor_tags=RegressorTags() if kind == "regressor" else None)


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

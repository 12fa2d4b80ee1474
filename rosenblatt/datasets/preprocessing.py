"""Preparing data for training: train/test split, one-hot labels, standardization."""

from __future__ import annotations

import math
import numbers

import numpy as np

from rosenblatt.base.checks import as_array, check_positive, check_same_length, float_like

from . import limits
from ._common import rng_from


class NotFittedError(ValueError, AttributeError):
    """A fitted attribute was used before ``fit`` (scikit-learn's ``NotFittedError``)."""


def _check_ratio(ratio) -> float:
    ok = isinstance(ratio, numbers.Real) and not isinstance(ratio, bool) and 0 < ratio < 1
    if not ok:
        raise ValueError(
            "ratio: expected the training fraction, a number strictly between 0 and 1 "
            f"(0.5 for the playground's 50%), got {ratio!r}"
        )
    return float(ratio)


def train_test_split(x, y, ratio=0.5, seed=None):
    """Shuffle the samples and split them into a training part and a test part.

    **Rule**: after a random permutation, the first floor(n * ratio) samples are for training
    and the rest for testing, as the playground's "ratio of training to test data".

    Args:
        x: array (n, ...) of inputs.
        y: array (n, ...) of targets.
        ratio: the training fraction, strictly between 0 and 1.
        seed: None, an int or a ``np.random.Generator``.

    Returns:
        x_train, x_test, y_train, y_test (scikit-learn's order); both parts non-empty.

    >>> x_train, x_test, y_train, y_test = train_test_split(np.arange(10), np.arange(10), 0.7)
    >>> len(x_train), len(x_test), bool((x_train == y_train).all())
    (7, 3, True)

    Lecture 002 (the playground exercise: ratio 50%, L17).
    """
    ratio = _check_ratio(ratio)
    x = as_array(x, "x", finite=False)
    y = as_array(y, "y", finite=False)
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"x, y: expected arrays of samples, got shapes {x.shape} and {y.shape}")
    check_same_length(x, y)
    n = len(x)
    n_train = math.floor(round(n * ratio, 9))
    if not 0 < n_train < n:
        raise ValueError(
            f"ratio: {ratio} of {n} samples leaves {n_train} for training and {n - n_train} "
            "for testing; both parts need at least one sample"
        )
    order = rng_from(seed).permutation(n)
    train, test = order[:n_train], order[n_train:]
    return x[train], x[test], y[train], y[test]


def one_hot(y, num_classes=None):
    """One-hot encode integer class labels.

    **Formula**: Y[i, k] = 1 if y_i = k else 0, for k = 0..K-1 with K = ``num_classes`` (default
    max(y) + 1).

    Args:
        y: array (n,) of labels 0..K-1 (integers, or floats with whole values).
        num_classes: K (int > 0), or None.

    Returns:
        float32 array (n, K).

    Raises:
        ValueError: labels that are not integers >= 0 or not below K, or an array of n K
            entries over :data:`rosenblatt.datasets.limits.MAX_ONE_HOT_ENTRIES` (2^28), refused
            before it is allocated.

    >>> one_hot([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]

    Lecture 002 (N classes, N softmax units, L21) and 003 (MNIST's ten classes, L24).
    """
    y = as_array(y, "y", ndim=1)
    source = "num_classes"
    if num_classes is not None:
        check_positive(num_classes, "num_classes", integer=True)
    bad = np.flatnonzero((y != np.round(y)) | (y < 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"y: expected integer class labels >= 0, got {y[i].item()!r} at index {i}")
    big = np.flatnonzero(y >= limits.MAX_ONE_HOT_ENTRIES)
    if big.size:
        i = int(big[0])
        raise ValueError(f"y: label {y[i].item()!r} at index {i} needs a one-hot array of more "
                         f"than rosenblatt.datasets.limits.MAX_ONE_HOT_ENTRIES = "
                         f"{limits.MAX_ONE_HOT_ENTRIES:,} entries (raise it on purpose)")
    labels = y.astype(np.int64)
    if num_classes is None:
        if labels.size == 0:
            raise ValueError("num_classes: cannot infer the number of classes from an empty y")
        num_classes, source = int(labels.max()) + 1, "y"
    entries = len(labels) * int(num_classes)  # exact: Python integers
    if entries > limits.MAX_ONE_HOT_ENTRIES:
        raise ValueError(
            f"{source}: {num_classes:,} classes for {len(labels):,} labels make a one-hot "
            f"array of {entries:,} entries, more than rosenblatt.datasets.limits."
            f"MAX_ONE_HOT_ENTRIES = {limits.MAX_ONE_HOT_ENTRIES:,} (raise it on purpose)"
        )
    over = np.flatnonzero(labels >= num_classes)
    if over.size:
        i = int(over[0])
        raise ValueError(
            f"y: label {labels[i]} at index {i} is out of range for num_classes={num_classes} "
            f"(expected 0..{num_classes - 1})"
        )
    encoded = np.zeros((len(labels), num_classes), dtype=np.float32)
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded


class Standardizer:
    """Scale each column to zero mean and unit variance, with statistics from training data.

    **Formula**: z = (x - mu) / sigma with mu, sigma the column means and (population, ddof 0)
    standard deviations of the data given to :meth:`fit`; sigma = 1 for a constant column.

    Attributes (after ``fit``): ``mean_`` and ``scale_``, float64 arrays of shape x.shape[1:].
    ``transform`` before ``fit`` raises :class:`NotFittedError` (a ValueError and an
    AttributeError, as scikit-learn's).

    >>> s = Standardizer().fit([[1.0, 5.0], [3.0, 5.0]])
    >>> s.mean_.tolist(), s.scale_.tolist()
    ([2.0, 5.0], [1.0, 1.0])
    >>> s.transform([[5.0, 6.0]]).tolist()
    [[3.0, 1.0]]

    Not in the notes: the input normalization of LeCun, Bottou, Orr and Mueller, "Efficient
    BackProp" (1998), which speeds up gradient descent (lectures 002-004).
    """

    def __init__(self):
        self.mean_ = None
        self.scale_ = None

    def fit(self, x) -> Standardizer:
        """Compute mean_ and scale_ from x (n, d) or (n,); returns self."""
        x = as_array(x, "x", ndim=(1, 2))
        if len(x) == 0:
            raise ValueError(f"x: expected at least one sample to fit, got shape {x.shape}")
        x64 = x.astype(np.float64)
        self.mean_ = x64.mean(axis=0)
        self.scale_ = np.where(np.ptp(x64, axis=0) == 0, 1.0, x64.std(axis=0))
        return self

    def transform(self, x) -> np.ndarray:
        """(x - mean_) / scale_; float64 if x is float64 else float32."""
        if self.mean_ is None:
            raise NotFittedError("Standardizer is not fitted yet: call fit(x_train) before "
                                 "transform(x)")
        x = float_like(as_array(x, "x", ndim=(1, 2)))
        if x.shape[1:] != self.mean_.shape:
            raise ValueError(
                f"x: expected samples of shape {self.mean_.shape} (as in fit), "
                f"got array of shape {x.shape}"
            )
        return ((x - self.mean_) / self.scale_).astype(x.dtype)

    def fit_transform(self, x) -> np.ndarray:
        """fit(x) then transform(x)."""
        return self.fit(x).transform(x)


def standardize(x_train, x_test=None):
    """Standardize x_train (and x_test) with the mean and deviation of x_train only.

    **Formula**: z = (x - mu_train) / sigma_train, column by column (see :class:`Standardizer`).

    Args:
        x_train: array (n, d) (or (n,)).
        x_test: optional array (m, d) (or (m,)).

    Returns:
        the standardized x_train, or (x_train, x_test) standardized when x_test is given.

    >>> standardize([[0.0], [2.0]], [[4.0]])[1].tolist()
    [[3.0]]

    Not in the notes: LeCun et al., "Efficient BackProp" (1998), input normalization.
    """
    scaler = Standardizer().fit(x_train)
    if x_test is None:
        return scaler.transform(x_train)
    return scaler.transform(x_train), scaler.transform(x_test)

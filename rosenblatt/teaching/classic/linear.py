"""The linear neuron and its closed-form training: least squares (lecture 003)."""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import as_array, check_same_length, describe

from ._common import (
    Estimator,
    as_samples,
    as_targets,
    check_fitted,
    check_n_features,
    require_y,
)


def least_squares(X, y, fit_intercept: bool = True):
    """The weights W and bias b minimizing ``||X W + b - y||^2``.

    **Formula** (lecture 003)::

        W_hat = (X^T X)^-1 X^T y          (with a column of ones in X when fit_intercept)

    solved by ``np.linalg.lstsq`` (an SVD) rather than by inverting ``X^T X``, which squares
    the condition number. When ``X^T X`` is singular the minimum-norm solution is returned.

    Args:
        X: inputs, shape (n, d).
        y: targets, shape (n,) or (n, k).
        fit_intercept: also solve for the bias b; otherwise b = 0.

    Returns:
        ``(W, b)``: W of shape (d,) or (d, k); b a float, or shape (k,) for 2-D ``y``.

    >>> W, b = least_squares([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> np.round(W, 12).tolist(), round(float(b), 12)
    ([2.0], 1.0)

    Lecture example L25.
    """
    if not isinstance(fit_intercept, bool):
        raise TypeError(f"fit_intercept: expected True or False, got {describe(fit_intercept)}")
    X = as_array(X, "X", dtype=np.float64, ndim=2)
    y = as_array(y, "y", dtype=np.float64, ndim=(1, 2))
    check_same_length(X, y, "X", "y")
    if len(X) == 0:
        raise ValueError("X: expected at least one sample, got shape (0, ...)")
    A = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    theta = np.linalg.lstsq(A, y, rcond=None)[0]
    if not fit_intercept:
        b = np.zeros(y.shape[1:])
        return theta, float(b) if y.ndim == 1 else b
    b = theta[-1]
    return theta[:-1], float(b) if y.ndim == 1 else b


class LinearNeuron(Estimator):
    """A neuron with the identity activation, fitted in closed form by least squares.

    **Formula** (lectures 002, 003): ``y_hat = x W + b``; ``fit`` sets ``(W, b)`` to
    :func:`least_squares`. A linear neuron is linear regression (lecture 002).

    Args:
        fit_intercept: learn the bias b (otherwise b = 0).

    Fitted attributes: ``coef_`` (d,) or (d, k), ``intercept_``, ``n_features_in_``.
    It is a scikit-learn regressor (``get_params``, ``clone``, pipelines, grid searches).

    >>> neuron = LinearNeuron().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> np.round(neuron.predict([[3.0]]), 12).tolist()
    [7.0]

    Lecture example L25.
    """

    _estimator_type = "regressor"
    _multi_output = True

    def __init__(self, fit_intercept: bool = True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> LinearNeuron:
        """Solve for ``coef_`` and ``intercept_`` from ``X`` (n, d) and ``y`` (n,) or (n, k)."""
        require_y(y, self)
        self.coef_, self.intercept_ = least_squares(as_samples(X), as_targets(y),
                                                    self.fit_intercept)
        self.n_features_in_ = self.coef_.shape[0]
        return self

    def predict(self, X) -> np.ndarray:
        """``X W + b`` for ``X`` of shape (n, d); returns (n,) or (n, k)."""
        check_fitted(self, "coef_")
        X = as_samples(X)
        check_n_features(X, self.n_features_in_, owner=self)
        return X @ self.coef_ + self.intercept_

    def score(self, X, y) -> float:
        """Coefficient of determination ``R^2 = 1 - sum (y - y_hat)^2 / sum (y - mean y)^2``
        (averaged over outputs for 2-D ``y``; for constant ``y``, 1 if exact and 0 otherwise)."""
        y = as_array(y, "y", dtype=np.float64, ndim=(1, 2))
        y_hat = self.predict(X)
        check_same_length(y_hat, y, "X", "y")
        if y.shape != y_hat.shape:
            raise ValueError(f"y: expected shape {y_hat.shape}, got {y.shape}")
        residual = ((y - y_hat) ** 2).sum(axis=0)
        total = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
        safe = np.where(total > 0, total, 1.0)
        r2 = np.where(total > 0, 1.0 - residual / safe, np.where(residual == 0, 1.0, 0.0))
        return float(np.mean(r2))

    def __repr__(self) -> str:
        return f"LinearNeuron(fit_intercept={self.fit_intercept!r})"

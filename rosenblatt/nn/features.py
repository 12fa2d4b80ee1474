"""Feature crosses: the playground's input features and polynomial features.

A model trained on crossed features keeps its :class:`FeatureMap` as ``model.feature_map``, a
declared part of the model that its file stores, so that predictions start from raw points.
"""

from __future__ import annotations

from itertools import combinations_with_replacement

import numpy as np

from rosenblatt.base.checks import as_array, check_positive, float_like
from rosenblatt.base.registry import Registry

FEATURES = Registry("feature")
FEATURES.register("x1")(lambda x1, x2: x1)
FEATURES.register("x2")(lambda x1, x2: x2)
FEATURES.register("x1^2", "x1_squared")(lambda x1, x2: x1 * x1)
FEATURES.register("x2^2", "x2_squared")(lambda x1, x2: x2 * x2)
FEATURES.register("x1*x2", "x1x2")(lambda x1, x2: x1 * x2)
FEATURES.register("sin(x1)")(lambda x1, x2: np.sin(x1))
FEATURES.register("sin(x2)")(lambda x1, x2: np.sin(x2))


def _feature_names(names) -> list[str]:
    if isinstance(names, str):
        names = [names]
    try:
        names = list(names)
    except TypeError:
        raise TypeError(
            f"names: expected a feature name or a sequence of names, got {type(names).__name__}"
        ) from None
    if not names:
        raise ValueError("names: expected at least one feature name, got an empty list")
    for name in names:
        FEATURES.lookup(name)
    return names


def _points(x) -> np.ndarray:
    x = float_like(as_array(x, "x", ndim=2))
    if x.shape[1] != 2:
        raise ValueError(f"x: expected shape (n, 2) (the points x1, x2), got shape {x.shape}")
    return x


def features(x, names):
    """The playground's input features of 2-D points, as columns in the order of ``names``.

    **Formulas**: 'x1', 'x2', 'x1^2' (alias 'x1_squared'), 'x2^2' ('x2_squared'),
    'x1*x2' ('x1x2'), 'sin(x1)', 'sin(x2)'.

    Args:
        x: array (n, 2) of points (x1, x2).
        names: a feature name or a sequence of them.

    Returns:
        array (n, len(names)), float64 if x is float64 else float32.

    >>> features([[2.0, 3.0]], ["x1", "x1^2", "x1*x2"]).tolist()
    [[2.0, 4.0, 6.0]]

    Lecture 002 (one neuron with extra features x^2, xy, sin x, L17).
    """
    names = _feature_names(names)
    x = _points(x)
    x1, x2 = x[:, 0], x[:, 1]
    return np.stack([FEATURES.lookup(name)(x1, x2) for name in names], axis=1)


def polynomial_features(x, degree, include_bias=False):
    """All monomials of the columns of ``x`` of total degree 1..degree (scikit-learn's order).

    **Formula**: for d features there are C(d + degree, degree) - 1 monomials
    x_i1 x_i2 ... x_ik with i1 <= ... <= ik and 1 <= k <= degree, ordered by degree and then
    lexicographically; ``include_bias`` prepends the constant column 1.

    Args:
        x: array (n, d).
        degree: the highest total degree (int > 0).
        include_bias: whether to prepend a column of ones.

    Returns:
        array (n, C(d + degree, degree) - 1 (+ 1 with bias)), float64 if x is float64 else
        float32.

    >>> polynomial_features([[2.0, 3.0]], 2).tolist()
    [[2.0, 3.0, 4.0, 6.0, 9.0]]

    Lecture 002 (feature crosses for the playground exercise, L17).
    """
    check_positive(degree, "degree", integer=True)
    x = float_like(as_array(x, "x", ndim=2))
    columns = [np.ones(len(x), dtype=x.dtype)] if include_bias else []
    for k in range(1, degree + 1):
        for combo in combinations_with_replacement(range(x.shape[1]), k):
            columns.append(np.prod(x[:, list(combo)], axis=1))
    if not columns:
        return np.empty((len(x), 0), dtype=x.dtype)
    return np.stack(columns, axis=1)


class FeatureMap:
    """A named list of playground features that a model can carry and apply to raw points.

    **Formula**: phi(x) = [f_1(x1, x2), ..., f_k(x1, x2)] for the features named (see
    :func:`features`).

    Args:
        names: a sequence of feature names ('x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)',
            'sin(x2)').

    >>> phi = FeatureMap(["x1^2", "x2^2"])
    >>> phi.n_features, phi([[1.0, 2.0]]).tolist()
    (2, [[1.0, 4.0]])
    >>> FeatureMap.from_config(phi.get_config()).names
    ['x1^2', 'x2^2']

    Lecture 002 (one neuron with extra features x^2, xy, sin x, L17).
    """

    def __init__(self, names):
        self.names = _feature_names(names)

    @property
    def n_features(self) -> int:
        """Number of output columns."""
        return len(self.names)

    def __call__(self, x) -> np.ndarray:
        """The features of the points x (n, 2), shape (n, n_features)."""
        return features(x, self.names)

    def get_config(self) -> dict:
        """A JSON-ready dict from which :meth:`from_config` rebuilds the map."""
        return {"names": list(self.names)}

    @classmethod
    def from_config(cls, config: dict) -> FeatureMap:
        """Rebuild a map from :meth:`get_config`'s dict."""
        return cls(config["names"])

    def __repr__(self) -> str:
        return f"FeatureMap({self.names!r})"

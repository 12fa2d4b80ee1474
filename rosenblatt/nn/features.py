"""Feature crosses: the playground's input features and polynomial features.

A model trained on crossed features keeps its :class:`FeatureMap` as ``model.feature_map``, a
declared part of the model that its file stores, so that predictions start from raw points.
"""

from __future__ import annotations

from itertools import combinations_with_replacement

import numpy as np

from rosenblatt.base.checks import as_array, check_positive, float_like
from rosenblatt.base.registry import Registry

# The most columns polynomial_features builds (their number, C(d + degree, degree) - 1, grows
# combinatorially and is computed exactly first); raise it
# (rosenblatt.nn.features.MAX_POLYNOMIAL_COLUMNS = ...) for more on purpose.
MAX_POLYNOMIAL_COLUMNS = 100_000

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


def _n_monomials(d: int, degree: int, cap: int) -> int:
    """C(d + degree, degree) - 1, exactly, or a number over ``cap`` as soon as it exceeds it
    (C(d + degree - m + i, i) grows with i = 1..m, m = min(d, degree), so it stops early)."""
    m, count = min(d, degree), 1
    for i in range(1, m + 1):
        count = count * (d + degree - m + i) // i
        if count - 1 > cap:
            break
    return count - 1


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

    Raises:
        ValueError: more than ``MAX_POLYNOMIAL_COLUMNS`` (100,000) columns, counted exactly
            before any is built.

    >>> polynomial_features([[2.0, 3.0]], 2).tolist()
    [[2.0, 3.0, 4.0, 6.0, 9.0]]

    Lecture 002 (feature crosses for the playground exercise, L17).
    """
    check_positive(degree, "degree", integer=True)
    x = float_like(as_array(x, "x", ndim=2))
    if not isinstance(include_bias, (bool, np.bool_)):
        raise TypeError(f"include_bias: expected True or False, got {include_bias!r}")
    n_columns = _n_monomials(x.shape[1], degree, MAX_POLYNOMIAL_COLUMNS) + bool(include_bias)
    if n_columns > MAX_POLYNOMIAL_COLUMNS:
        raise ValueError(
            f"degree: {degree:,} on {x.shape[1]} features makes more than "
            f"rosenblatt.nn.features.MAX_POLYNOMIAL_COLUMNS = {MAX_POLYNOMIAL_COLUMNS:,} "
            "columns (raise it on purpose)")
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
        names: a sequence of distinct feature names ('x1', 'x2', 'x1^2', 'x2^2', 'x1*x2',
            'sin(x1)', 'sin(x2)'); a feature named twice (or by two aliases) is refused.

    >>> phi = FeatureMap(["x1^2", "x2^2"])
    >>> phi.n_features, phi([[1.0, 2.0]]).tolist()
    (2, [[1.0, 4.0]])
    >>> FeatureMap.from_config(phi.get_config()).names
    ['x1^2', 'x2^2']

    Lecture 002 (one neuron with extra features x^2, xy, sin x, L17).
    """

    def __init__(self, names):
        names = _feature_names(names)
        seen = {}
        for name in names:
            feature = FEATURES.lookup(name)
            if feature in seen:
                raise ValueError(f"names: expected distinct features, got {seen[feature]!r} "
                                 f"and {name!r}, the same feature twice")
            seen[feature] = name
        self.names = names

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


def _finite_list(values, name: str, positive: bool = False) -> list[float]:
    """A JSON-ready list of finite floats (> 0 with ``positive``), or a clear error."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, np.ndarray)):
        raise TypeError(f"{name}: expected a list of numbers, got {type(values).__name__}")
    out = []
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name}[{i}]: expected a number, got {type(value).__name__}")
        value = float(value)
        if not np.isfinite(value) or (positive and value <= 0):
            want = "a finite number > 0" if positive else "a finite number"
            raise ValueError(f"{name}[{i}]: expected {want}, got {value!r}")
        out.append(value)
    return out


def _label_list(classes) -> list:
    """Class labels as plain JSON values (int, float or str), distinct, at least two."""
    if isinstance(classes, (str, bytes)) or not isinstance(classes, (list, tuple, np.ndarray)):
        raise TypeError(f"classes: expected a list of labels, got {type(classes).__name__}")
    out = []
    for i, label in enumerate(classes):
        if isinstance(label, (bool, np.bool_)):
            raise TypeError(f"classes[{i}]: expected an int, float or str label, got bool")
        if isinstance(label, (int, np.integer)):
            out.append(int(label))
        elif isinstance(label, (float, np.floating)) and np.isfinite(label):
            out.append(float(label))
        elif isinstance(label, (str, np.str_)):
            out.append(str(label))
        else:
            raise TypeError(f"classes[{i}]: expected an int, finite float or str label, "
                            f"got {type(label).__name__} {label!r}")
    if len(out) < 2 or len({(type(c) is str, c) for c in out}) != len(out):
        raise ValueError(f"classes: expected at least two distinct labels, got {out!r}")
    return out


class Preprocessing:
    """How a model's raw rows become its inputs, and its outputs the user's values again.

    A declared part of a model (``model.preprocessing``), stored in its file as plain JSON, so
    that predictions start from the raw rows the model was trained on and end in the units and
    labels of the training data.

    **Formulas**: inputs z = (phi(x) - mu) / sigma, with phi the feature crosses (the identity
    without a :class:`FeatureMap`) and mu, sigma the training inputs' column means and
    deviations (no scaling without them); regression outputs y = t * s + m with m, s the
    training targets' mean and deviation; class k (0..K-1, an output's argmax, or a > 0.5 for
    one sigmoid output) decodes to ``classes[k]``, the label in its original value.

    Args:
        columns: the training feature column names, in the model's order (CSV data), or None.
        target: the name of the training target column (ignored in a CSV to predict), or None.
        feature_map: a :class:`FeatureMap` (or its list of names) applied to raw (n, 2) points.
        mean, scale: the input columns' mean and scale (after the feature map), or None.
        classes: the original class labels (ints, floats or strings), index k for class k.
        target_mean, target_scale: the regression target's mean and scale, or None.

    >>> p = Preprocessing(mean=[1.0, 2.0], scale=[2.0, 4.0], classes=["no", "yes"])
    >>> p.transform([[3.0, 2.0]]).tolist(), p.labels([[0.2], [0.9]])
    ([[1.0, 0.0]], ['no', 'yes'])
    >>> Preprocessing.from_config(p.get_config()).classes
    ['no', 'yes']

    Not in the notes: input normalization (LeCun et al., "Efficient BackProp", 1998).
    """

    def __init__(self, columns=None, target=None, feature_map=None, mean=None, scale=None,
                 classes=None, target_mean=None, target_scale=None):
        if columns is not None:
            if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
                raise TypeError(f"columns: expected a list of column names, got {columns!r}")
            columns = list(columns)
            if len(set(columns)) != len(columns) or not columns:
                raise ValueError(f"columns: expected distinct column names, got {columns!r}")
        if target is not None and not isinstance(target, str):
            raise TypeError(f"target: expected a column name or None, got {target!r}")
        if feature_map is not None and not isinstance(feature_map, FeatureMap):
            feature_map = FeatureMap(feature_map)
        if (mean is None) != (scale is None):
            raise ValueError("mean, scale: expected both or neither, got only one")
        mean = None if mean is None else _finite_list(mean, "mean")
        scale = None if scale is None else _finite_list(scale, "scale", positive=True)
        if mean is not None and len(mean) != len(scale):
            raise ValueError(f"mean, scale: expected equal lengths, got {len(mean)} and "
                             f"{len(scale)}")
        if (target_mean is None) != (target_scale is None):
            raise ValueError("target_mean, target_scale: expected both or neither, got only one")
        if target_mean is not None:
            target_mean = _finite_list([target_mean], "target_mean")[0]
            target_scale = _finite_list([target_scale], "target_scale", positive=True)[0]
        classes = None if classes is None else _label_list(classes)
        if classes is not None and target_mean is not None:
            raise ValueError("classes and target_mean: a model is a classifier or a regressor, "
                             "got both")
        width = feature_map.n_features if feature_map is not None else (
            len(columns) if columns is not None else None)
        if mean is not None and width is not None and len(mean) != width:
            raise ValueError(f"mean: expected {width} values (one per model input), got "
                             f"{len(mean)}")
        if feature_map is not None and columns is not None and len(columns) != 2:
            raise ValueError(f"columns: a feature map takes 2 raw columns, got {columns!r}")
        self.columns, self.target, self.feature_map = columns, target, feature_map
        self.mean, self.scale, self.classes = mean, scale, classes
        self.target_mean, self.target_scale = target_mean, target_scale

    @property
    def n_raw(self):
        """The number of raw input columns, or None when not declared."""
        if self.feature_map is not None:
            return 2
        if self.columns is not None:
            return len(self.columns)
        return None if self.mean is None else len(self.mean)

    def transform(self, x) -> np.ndarray:
        """Raw rows x (n, n_raw) to the model's inputs: crosses, then standardization."""
        x = float_like(as_array(x, "x", ndim=2))
        if self.n_raw is not None and x.shape[1] != self.n_raw:
            named = f" ({', '.join(self.columns)})" if self.columns else ""
            raise ValueError(f"x: expected {self.n_raw} raw columns{named}, got shape {x.shape}")
        if self.feature_map is not None:
            x = self.feature_map(x)
        if self.mean is not None:
            x = ((x - np.asarray(self.mean)) / np.asarray(self.scale)).astype(x.dtype)
        return x

    __call__ = transform  # a map from raw points to model inputs, as plots take it

    def encode_targets(self, y) -> np.ndarray:
        """Targets in the user's values to the model's: class indices, or scaled targets."""
        y = np.asarray(y)
        if self.classes is not None:
            index = {label: k for k, label in enumerate(self.classes)}
            unknown = [v for v in y.tolist() if v not in index]
            if unknown:
                raise ValueError(f"y: label {unknown[0]!r} is not one of the classes "
                                 f"{self.classes!r}")
            return np.array([index[v] for v in y.tolist()], dtype=np.int64)
        y = as_array(y, "y").astype(np.float64)
        if self.target_mean is None:
            return y.astype(np.float32)
        return ((y - self.target_mean) / self.target_scale).astype(np.float32)

    def decode(self, outputs) -> np.ndarray:
        """Model outputs to the user's units: t * s + m for a regressor, else unchanged."""
        outputs = as_array(outputs, "outputs", finite=False)
        if self.target_mean is None:
            return outputs
        return outputs.astype(np.float64) * self.target_scale + self.target_mean

    def labels(self, outputs) -> list:
        """The original class label of each row of outputs (n, 1) or (n, K)."""
        outputs = as_array(outputs, "outputs", ndim=2, finite=False)
        if outputs.shape[1] == 1:
            index = (outputs[:, 0] > 0.5).astype(np.int64)
        else:
            index = outputs.argmax(axis=1)
        if self.classes is None:
            return index.tolist()
        if outputs.shape[1] not in (1, len(self.classes)):
            raise ValueError(f"outputs: expected 1 or {len(self.classes)} columns (one per "
                             f"class), got shape {outputs.shape}")
        return [self.classes[k] for k in index]

    def get_config(self) -> dict:
        """A JSON-ready dict from which :meth:`from_config` rebuilds this preprocessing."""
        return {"columns": self.columns, "target": self.target,
                "feature_map": None if self.feature_map is None else self.feature_map.names,
                "mean": self.mean, "scale": self.scale, "classes": self.classes,
                "target_mean": self.target_mean, "target_scale": self.target_scale}

    @classmethod
    def from_config(cls, config: dict) -> Preprocessing:
        """Rebuild from :meth:`get_config`'s dict; unknown keys are refused."""
        if not isinstance(config, dict):
            raise TypeError(f"preprocessing: expected a JSON object, got {type(config).__name__}")
        known = ("columns", "target", "feature_map", "mean", "scale", "classes", "target_mean",
                 "target_scale")
        unknown = sorted(set(config) - set(known))
        if unknown:
            raise ValueError(f"preprocessing: unknown fields {unknown} (expected {list(known)})")
        return cls(**config)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if v is not None)
        return f"Preprocessing({fields})"

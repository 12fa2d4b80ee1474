"""Rosenblatt's perceptron (1958) trained by his error-correction rule, and a text report of
that training on the Boolean gates of the notes."""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import (
    as_array,
    check_choice,
    check_positive,
    check_same_length,
    describe,
)
from rosenblatt.base.gates import TRUTH_VALUES, truth_table
from rosenblatt.base.random import make_rng
from rosenblatt.base.registry import Registry

from ._common import (
    Estimator,
    accuracy,
    as_samples,
    check_fitted,
    check_n_features,
    require_y,
)

_INITS = ("zeros", "random")


MAX_EPOCHS = 1_000_000  # the most epochs fit runs: errors_ holds at most this many entries


class Perceptron(Estimator):
    """A threshold unit trained by the perceptron rule, one sample at a time.

    **Formula** (lecture 000, Rosenblatt 1958; lecture 004 for the {-1, 1} form)::

        y(x) = 1 if w . x - T >= 0 else 0          (labels {0, 1})
        y(x) = sign(w . x - T), sign(0) = 1         (labels {-1, 1})
        w <- w + alpha (d(x) - y(x)) x              on every sample, right or wrong
        T <- T - alpha (d(x) - y(x))                (T learned as a bias b = -T with input x0 = 1)

    Training passes over the samples in epochs and stops after the first epoch without a
    mistake. It converges when the classes are linearly separable (the perceptron convergence
    theorem); on data that are not, such as XOR (Minsky and Papert), it runs ``max_epochs``
    epochs and reports ``converged_ = False`` rather than raising.

    Labels in {0, 1} or {-1, 1} keep their encoding; any other two labels (numbers or
    strings) are ``classes_[0]`` (0) and ``classes_[1]`` (1). Three or more classes are
    learned one-vs-rest, as scikit-learn's Perceptron does: one unit per class separates it
    from the others (labels 1 and 0), and ``predict`` picks the class whose unit has the
    largest ``w . x - T``. It is a scikit-learn classifier (``get_params``, ``clone``,
    pipelines, grid searches).

    Args:
        learning_rate: ``alpha > 0``.
        max_epochs: the most passes over the data, at most ``MAX_EPOCHS`` (10^6).
        threshold: ``None`` learns T; a number fixes T and learns only ``w``.
        shuffle: visit the samples in a new random order every epoch.
        random_state: None, an int or a ``np.random.Generator`` (for ``shuffle`` and
            ``init='random'``); the same seed gives identical results.
        init: ``'zeros'`` or ``'random'`` (w and a learned T drawn from N(0, 0.1^2)).

    Fitted attributes: ``coef_`` (d,) (k classes: (k, d)), ``intercept_`` (b = -T; (k,)),
    ``threshold_`` (T), ``classes_``, ``n_features_in_``, ``converged_``, ``n_epochs_``
    (epochs run: when converged, the epoch without mistakes; the most over the k units),
    ``errors_`` (mistakes per epoch, a list; k classes: one list per class).

    Inputs so large that a weighted sum could overflow within ``max_epochs`` are refused
    (ValueError naming X), never trained on with inf weights.

    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> p = Perceptron().fit(X, [0, 0, 0, 1])
    >>> p.converged_, p.predict(X).tolist()
    (True, [0, 0, 0, 1])

    Lecture examples L03, L04.
    """

    _estimator_type = "classifier"

    def __init__(
        self,
        learning_rate: float = 1.0,
        max_epochs: int = 100,
        threshold: float | None = None,
        shuffle: bool = False,
        random_state=None,
        init: str = "zeros",
    ):
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.threshold = threshold
        self.shuffle = shuffle
        self.random_state = random_state
        self.init = init

    def fit(self, X, y) -> Perceptron:
        """Train on ``X`` (n, d) and labels ``y`` (n,). Returns self."""
        self._check_params()
        require_y(y, self)
        X = as_samples(X)
        y = _as_labels(y)
        check_same_length(X, y, "X", "y")
        self._check_scale(X)
        classes, low = _label_encoding(y)
        rng = make_rng(self.random_state, "random_state")
        if len(classes) <= 2:
            d = y.astype(np.int64) if low is not None else (y == classes[-1]).astype(np.int64)
            W, b, errors = self._train(X, d, 0 if low is None else low, rng)
            intercept = float(b[0]) + 0.0  # + 0.0 turns -0.0 into 0.0
            converged, n_epochs = errors[-1] == 0, len(errors)
        else:
            units = [self._train(X, (y == c).astype(np.int64), 0, rng) for c in classes]
            W = np.stack([unit[0] for unit in units])
            intercept = np.array([unit[1][0] for unit in units]) + 0.0
            errors = [unit[2] for unit in units]
            converged = all(e[-1] == 0 for e in errors)
            n_epochs = max(len(e) for e in errors)
        self.coef_ = W
        self.intercept_ = intercept
        self.threshold_ = 0.0 - intercept
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.errors_ = errors
        self.n_epochs_ = n_epochs
        self.converged_ = converged
        return self

    def _check_scale(self, X: np.ndarray) -> None:
        """Refuse inputs for which the weighted sums could overflow during training: after m
        updates ``|w_j| <= 2 alpha m max|x| + |w_j(0)|``, so with m = n * max_epochs
        ``|w . x - T| <= (2 alpha m + 1) (d max|x|^2 + max|x|) + |T|`` must be finite."""
        largest = float(np.abs(X).max())
        updates = 2.0 * self.learning_rate * len(X) * self.max_epochs + 1.0
        with np.errstate(over="ignore"):
            bound = np.float64(updates) * (X.shape[1] * largest * largest + largest)
            bound += abs(self.threshold or 0.0)
        if not np.isfinite(bound):
            raise ValueError(
                f"X: inputs up to {largest:g} in magnitude make the weighted sums overflow "
                f"(learning_rate={self.learning_rate!r}, max_epochs={self.max_epochs!r}); "
                "scale X down or use a smaller learning_rate")

    def _train(self, X, d, low, rng):
        """One unit: W (d,), b (1,) and the mistakes per epoch, trained on labels ``d``."""
        W, b = self._initial_weights(X.shape[1], rng)
        errors = []
        for _ in range(self.max_epochs):
            order = rng.permutation(len(X)) if self.shuffle else range(len(X))
            errors.append(self._epoch(X, d, W, b, order, low))
            if errors[-1] == 0:
                break
        return W, b, errors

    def _epoch(self, X, d, W, b, order, low) -> int:
        """One pass of the rule over ``order``, updating W and b in place; returns mistakes."""
        eta = self.learning_rate
        learn_bias = self.threshold is None
        mistakes = 0
        for i in order:
            y = 1 if X[i] @ W + b[0] >= 0 else low
            if y != d[i]:
                W += eta * (d[i] - y) * X[i]
                if learn_bias:
                    b[0] += eta * (d[i] - y)
                mistakes += 1
        return mistakes

    def decision_function(self, X) -> np.ndarray:
        """``z = X w + b = w . x - T`` for every row of ``X`` (n, d); returns shape (n,), or
        (n, k) for k classes (one column per one-vs-rest unit)."""
        check_fitted(self, "coef_")
        X = as_samples(X)
        check_n_features(X, self.n_features_in_, owner=self)
        return X @ self.coef_.T + self.intercept_

    def predict(self, X) -> np.ndarray:
        """Class labels (n,) for ``X`` (n, d), from ``classes_``."""
        z = self.decision_function(X)
        if z.ndim == 2:
            return self.classes_[np.argmax(z, axis=1)]
        return self.classes_[(z >= 0).astype(np.int64)]

    def score(self, X, y) -> float:
        """Accuracy: the fraction of rows of ``X`` whose predicted label equals ``y``."""
        y = _as_labels(y)
        pred = self.predict(X)
        check_same_length(pred, y, "X", "y")
        return accuracy(y, pred)

    def _check_params(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        check_positive(self.max_epochs, "max_epochs", integer=True)
        if self.max_epochs > MAX_EPOCHS:
            raise ValueError(f"max_epochs: expected an integer at most {MAX_EPOCHS}, got "
                             f"{self.max_epochs!r}")
        if self.threshold is not None and (
            not isinstance(self.threshold, numbers.Real)
            or isinstance(self.threshold, bool)
            or not np.isfinite(self.threshold)
        ):
            raise ValueError(f"threshold: expected None or a finite number, got {self.threshold!r}")
        if not isinstance(self.shuffle, bool):
            raise TypeError(f"shuffle: expected True or False, got {describe(self.shuffle)}")
        check_choice(self.init, "init", _INITS)

    def _initial_weights(self, d: int, rng: np.random.Generator):
        """W (d,) and the bias b = -T held in a length-1 array so the epoch updates it in place."""
        if self.init == "random":
            W = rng.normal(0.0, 0.1, size=d)
            b = rng.normal(0.0, 0.1, size=1)
        else:
            W, b = np.zeros(d), np.zeros(1)
        if self.threshold is not None:
            b[0] = -float(self.threshold)
        return W, b

    def __repr__(self) -> str:
        return (
            f"Perceptron(learning_rate={self.learning_rate!r}, max_epochs={self.max_epochs!r}, "
            f"threshold={self.threshold!r}, shuffle={self.shuffle!r}, "
            f"random_state={self.random_state!r}, init={self.init!r})"
        )


def _as_labels(y) -> np.ndarray:
    """``y`` as a 1-D array of labels: numbers (finite) or strings."""
    arr = np.asarray(y)
    if arr.dtype.kind in "USO" and arr.ndim == 1:
        if arr.dtype.kind == "O" and not all(isinstance(v, str) for v in arr):
            raise TypeError(f"y: Unknown label type: expected labels (numbers or strings), "
                            f"got {describe(y)}")
        return arr
    return as_array(y, "y", ndim=1)


def _label_encoding(y: np.ndarray):
    """(classes_, the label of the negative class): 0 for labels in {0, 1}, -1 for labels in
    {-1, 1}, None for other labels (then classes_ are the sorted distinct labels)."""
    labels = np.unique(y)
    if labels.dtype.kind in "biuf":
        present = set(labels.tolist())
        if present <= {0, 1}:
            return np.array([0, 1]), 0
        if present <= {-1, 1}:
            return np.array([-1, 1]), -1
        if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
            example = labels[labels != np.round(labels)][0]
            raise ValueError(f"y: Unknown label type: expected class labels, got continuous "
                             f"values such as {example:g}")
    if len(labels) < 2:
        raise ValueError(f"y: the perceptron needs samples of at least two classes, got one "
                         f"class: {labels.tolist()}")
    return labels, None


_GATE_DATA = Registry("gate")
for _name in ("and", "or", "nand", "xor", "not"):
    _GATE_DATA.add(_name, truth_table(TRUTH_VALUES[_name.upper()]))


def gate_data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a Boolean gate as training data ``(X, y)``, labels in {0, 1}.

    Gates: 'and', 'or', 'nand', 'xor' (X of shape (4, 2)) and 'not' (X of shape (2, 1)), as in
    the tables of lectures 000 and 002.

    >>> X, y = gate_data("xor")
    >>> y.tolist()
    [0, 1, 1, 0]
    """
    X, y = _GATE_DATA.lookup(name)
    return X.copy(), y.copy()


def perceptron_report(
    gate: str,
    learning_rate: float = 1.0,
    max_epochs: int = 20,
    init: str = "zeros",
    shuffle: bool = False,
    random_state=None,
) -> str:
    """Train a :class:`Perceptron` on a gate's truth table and describe it epoch by epoch.

    **Formula**: the perceptron rule ``w <- w + alpha (d - y) x`` (see :class:`Perceptron`).
    The report lists the mistakes in every epoch, whether the rule converged, the final
    weights and threshold, and the output for every row.

    Args:
        gate: 'and', 'or', 'nand', 'not' or 'xor'.
        learning_rate, max_epochs, init, shuffle, random_state: as for :class:`Perceptron`.

    Returns:
        The report as a multi-line string.

    >>> "not converged after 3 epochs" in perceptron_report("xor", max_epochs=3)
    True

    Lecture examples L03 (converges on AND, OR, NAND, NOT) and L04 (not on XOR).
    """
    X, y = gate_data(gate)
    model = Perceptron(
        learning_rate=learning_rate,
        max_epochs=max_epochs,
        shuffle=shuffle,
        random_state=random_state,
        init=init,
    ).fit(X, y)
    lines = [
        f"Perceptron rule w <- w + {learning_rate:g} (d - y) x on {gate.upper()} "
        f"({len(X)} rows, init={init!r}, shuffle={shuffle})",
        "epoch  mistakes",
    ]
    lines += [f"{epoch:5d}  {errors:8d}" for epoch, errors in enumerate(model.errors_, 1)]
    lines.append(_verdict(gate, model))
    weights = ", ".join(f"{v:g}" for v in model.coef_)
    lines.append(f"final weights: w = [{weights}], threshold T = {model.threshold_:g}")
    names = [f"x{i + 1}" for i in range(X.shape[1])]
    lines.append("  ".join(names) + "  target  output")
    for x, d, out in zip(X, y, model.predict(X), strict=True):
        mark = "" if d == out else "  <- wrong"
        cells = "  ".join(f"{v:2d}" for v in x)
        lines.append(f"{cells}  {d:6d}  {out:6d}{mark}")
    return "\n".join(lines)


def _verdict(gate: str, model: Perceptron) -> str:
    if model.converged_:
        return (
            f"converged in epoch {model.n_epochs_}: "
            "an epoch without mistakes, every row is classified correctly."
        )
    reason = (
        "XOR is not linearly separable, so no w and T exist."
        if gate.lower() == "xor"
        else "try more epochs."
    )
    return f"not converged after {model.n_epochs_} epochs: {reason}"

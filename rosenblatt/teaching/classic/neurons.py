"""The first artificial neurons of lecture 000: McCulloch and Pitts' threshold unit (1943) and
Hebb's rule "neurons that fire together wire together" (1949)."""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import (
    as_array,
    check_in_range,
    check_positive,
    check_same_length,
    describe,
)
from rosenblatt.base.gates import binary_rows

from ._common import (
    Estimator,
    TruthTable,
    accuracy,
    as_binary,
    as_samples,
    as_targets,
    check_fitted,
    check_n_features,
    require_y,
)


class McCullochPitts:
    """A McCulloch-Pitts neuron: binary inputs, excitatory weights, a threshold and vetoes.

    **Formula** (lecture 000, McCulloch and Pitts 1943)::

        y = 1  iff  sum_{i excitatory} w_i x_i >= threshold  and  x_j = 0 for every inhibitory j
        y = 0  otherwise

    Any active inhibitory input prevents the neuron from firing, whatever the excitatory sum.

    Args:
        weights: shape (d,), one non-negative weight per input; ``None`` means 1 for every
            excitatory input. Inhibitory inputs carry no weight (their entry must be 0).
        threshold: the firing threshold (keyword-only).
        inhibitory: indices of the inhibitory inputs.

    >>> a_and_not_b = McCullochPitts(threshold=1, inhibitory=[1])
    >>> a_and_not_b.predict([[0, 0], [0, 1], [1, 0], [1, 1]]).tolist()
    [0, 0, 1, 0]

    Lecture example L01.
    """

    def __init__(self, weights=None, *, threshold, inhibitory=()):
        self.weights = None if weights is None else _check_weights(weights)
        if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool):
            raise TypeError(f"threshold: expected a number, got {describe(threshold)}")
        if not np.isfinite(threshold):
            raise ValueError(f"threshold: expected a finite number, got {threshold!r}")
        self.threshold = float(threshold)
        self.inhibitory = _check_inhibitory(inhibitory, self.weights)

    @classmethod
    def and_gate(cls, n_inputs: int = 2) -> McCullochPitts:
        """AND of ``n_inputs`` inputs: unit weights, threshold ``n_inputs`` (L01).

        >>> McCullochPitts.and_gate().truth_table().outputs.tolist()
        [0, 0, 0, 1]
        """
        check_positive(n_inputs, "n_inputs", integer=True)
        return cls(np.ones(n_inputs), threshold=n_inputs)

    @classmethod
    def or_gate(cls, n_inputs: int = 2) -> McCullochPitts:
        """OR of ``n_inputs`` inputs: unit weights, threshold 1 (L01).

        >>> McCullochPitts.or_gate().truth_table().outputs.tolist()
        [0, 1, 1, 1]
        """
        check_positive(n_inputs, "n_inputs", integer=True)
        return cls(np.ones(n_inputs), threshold=1)

    @classmethod
    def and_not(cls) -> McCullochPitts:
        """The gate "A AND NOT B": A excitatory with weight 1, threshold 1, B inhibitory (L01).

        >>> McCullochPitts.and_not()(1, 0), McCullochPitts.and_not()(1, 1)
        (1, 0)
        """
        return cls([1, 0], threshold=1, inhibitory=[1])

    def predict(self, X) -> np.ndarray:
        """Outputs (0 or 1) for the binary input rows ``X`` of shape (n, d); returns shape (n,)."""
        X = as_binary(X, "X")
        d = X.shape[1]
        if self.weights is not None:
            check_n_features(X, len(self.weights))
        elif self.inhibitory and max(self.inhibitory) >= d:
            raise ValueError(
                f"X: inhibitory input {max(self.inhibitory)} needs at least "
                f"{max(self.inhibitory) + 1} features per sample, got shape {X.shape}"
            )
        W = np.ones(d) if self.weights is None else self.weights
        excitatory = np.ones(d, dtype=bool)
        excitatory[list(self.inhibitory)] = False
        z = X[:, excitatory] @ W[excitatory]
        vetoed = X[:, list(self.inhibitory)].any(axis=1)
        return ((z >= self.threshold) & ~vetoed).astype(np.int64)

    def __call__(self, *inputs) -> int:
        """Output for one input combination, e.g. ``neuron(1, 0)``."""
        return int(self.predict([inputs])[0])

    def truth_table(self, n_inputs: int | None = None) -> TruthTable:
        """The output for every binary input row; ``n_inputs`` is needed only without weights."""
        if n_inputs is None:
            if self.weights is None:
                raise ValueError("n_inputs: required when the neuron has no explicit weights")
            n_inputs = len(self.weights)
        check_positive(n_inputs, "n_inputs", integer=True)
        rows = binary_rows(n_inputs)
        return TruthTable(rows, self.predict(rows))

    def score(self, X, y) -> float:
        """Accuracy of ``predict(X)`` against the targets ``y`` of shape (n,)."""
        y = as_array(y, "y", ndim=1)
        X = as_binary(X, "X")
        check_same_length(X, y, "X", "y")
        return accuracy(y, self.predict(X))

    def __repr__(self) -> str:
        weights = None if self.weights is None else self.weights.tolist()
        return (
            f"McCullochPitts(weights={weights}, threshold={self.threshold:g}, "
            f"inhibitory={list(self.inhibitory)})"
        )


def _check_weights(weights) -> np.ndarray:
    W = as_array(weights, "weights", dtype=np.float64, ndim=1)
    if (W < 0).any():
        i = int(np.argmax(W < 0))
        raise ValueError(
            f"weights: expected excitatory weights >= 0, got {W[i]:g} at index {i} "
            "(use inhibitory=[...] for inputs that should prevent firing)"
        )
    return W


def _check_inhibitory(inhibitory, W) -> tuple[int, ...]:
    if isinstance(inhibitory, (str, bytes)) or not hasattr(inhibitory, "__iter__"):
        raise TypeError(
            f"inhibitory: expected a sequence of input indices, got {describe(inhibitory)}"
        )
    indices = tuple(inhibitory)
    for j in indices:
        if not isinstance(j, numbers.Integral) or isinstance(j, bool) or j < 0:
            raise ValueError(f"inhibitory: expected input indices (ints >= 0), got {j!r}")
        if W is not None and j >= len(W):
            raise ValueError(f"inhibitory: index {j} is out of range for {len(W)} weights")
        if W is not None and W[j] != 0:
            raise ValueError(
                f"weights: input {j} is inhibitory, so its weight must be 0, got {W[j]:g} "
                "(an active inhibitory input vetoes firing instead of adding to the sum)"
            )
    return tuple(int(j) for j in indices)


class Hebbian(Estimator):
    """Hebb's rule for a layer of linear associations, optionally kept bounded.

    **Formula** (lecture 000, Hebb 1949; ``alpha`` = learning_rate, ``lambda`` = decay)::

        w_xy <- w_xy + alpha * x * y - lambda * w_xy          (W <- (1 - lambda) W + alpha x y^T)
        normalize=True: then every column w_:y <- w_:y / ||w_:y||

    With ``decay = 0`` and no normalization this is the notes' ``w_xy = w_xy + alpha x y``: the
    weight grows by ``alpha`` at every co-activation of x = y = 1 and without bound; with
    ``decay > 0`` it approaches ``alpha x y / lambda`` instead.

    Args:
        learning_rate: ``alpha > 0``.
        decay: ``lambda`` in [0, 1], the fraction of the weight lost per update.
        normalize: rescale the weights into each output to unit Euclidean norm after each update.

    Fitted attributes: ``weights_`` of shape (d_in, d_out), entry (x, y) being ``w_xy``;
    ``n_features_in_`` (d_in). An update whose weights would overflow to inf is refused
    (ValueError naming learning_rate) and leaves the weights as they were. It follows
    scikit-learn's estimator protocol (``get_params``, ``clone``).

    >>> h = Hebbian(learning_rate=0.5)
    >>> for _ in range(3):
    ...     _ = h.update(1, 1)
    >>> float(h.weights_[0, 0])
    1.5

    Lecture example L02.
    """

    def __init__(self, learning_rate: float = 0.1, decay: float = 0.0, normalize: bool = False):
        self.learning_rate = learning_rate
        self.decay = decay
        self.normalize = normalize
        self._check_params()

    def _check_params(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        check_in_range(self.decay, "decay", 0.0, 1.0)
        if not isinstance(self.normalize, bool):
            raise TypeError(f"normalize: expected True or False, got {describe(self.normalize)}")

    def update(self, x, y) -> Hebbian:
        """Apply the rule once for the pre-synaptic activity ``x`` (d_in,) and the
        post-synaptic activity ``y`` (d_out,); scalars count as length 1. Returns self."""
        self._check_params()
        x = np.atleast_1d(as_array(x, "x", dtype=np.float64, ndim=(0, 1)))
        y = np.atleast_1d(as_array(y, "y", dtype=np.float64, ndim=(0, 1)))
        if not hasattr(self, "weights_"):
            W = np.zeros((x.size, y.size))
        elif self.weights_.shape != (x.size, y.size):
            raise ValueError(
                f"x, y: expected sizes {self.weights_.shape} matching weights_, "
                f"got x of size {x.size} and y of size {y.size}"
            )
        else:
            W = self.weights_.copy()
        self._step(W, x, y)
        self.weights_, self.n_features_in_ = W, W.shape[0]
        return self

    def fit(self, X, Y, epochs: int = 1) -> Hebbian:
        """Start from zero weights and apply :meth:`update` to every row of ``X`` (n, d_in)
        and ``Y`` (n, d_out) or (n,), in order, ``epochs`` times. Returns self."""
        self._check_params()
        require_y(Y, self, "Y")
        X = as_samples(X)
        Y = as_targets(Y, "Y")
        check_same_length(X, Y, "X", "Y")
        check_positive(epochs, "epochs", integer=True)
        Y = Y.reshape(len(Y), -1)
        W = np.zeros((X.shape[1], Y.shape[1]))
        for _ in range(epochs):
            for x, y in zip(X, Y, strict=True):
                self._step(W, x, y)
        self.weights_, self.n_features_in_ = W, W.shape[0]
        return self

    def predict(self, X) -> np.ndarray:
        """Recall the associated outputs ``X @ weights_``: shape (n, d_out) from (n, d_in)."""
        check_fitted(self, "weights_")
        X = as_samples(X)
        check_n_features(X, self.weights_.shape[0], owner=self)
        return X @ self.weights_

    def _step(self, W: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
        """One update of ``W`` in place; raises (naming learning_rate) if it overflows."""
        with np.errstate(over="ignore", invalid="ignore"):
            W *= 1.0 - self.decay
            W += self.learning_rate * np.outer(x, y)
            if self.normalize:
                norms = np.linalg.norm(W, axis=0)
                np.divide(W, norms, out=W, where=norms > 0)
        if not np.isfinite(W).all():
            raise ValueError(
                f"learning_rate: the update alpha x y^T with learning_rate="
                f"{self.learning_rate!r} made the weights overflow to inf or NaN (largest "
                f"|x| {np.abs(x).max():g}, |y| {np.abs(y).max():g}); use a smaller "
                "learning_rate or smaller activities (weights_ are unchanged)")

    def __repr__(self) -> str:
        return (
            f"Hebbian(learning_rate={self.learning_rate!r}, decay={self.decay!r}, "
            f"normalize={self.normalize!r})"
        )

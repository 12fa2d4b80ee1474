"""Loss functions L(y_true, y_pred), in function and class form, with Keras names.

Function form (``mean_squared_error(y_true, y_pred)``) returns the per-sample loss, a tensor of
shape (n,), averaged over the last axis, as Keras does. Class form (``MeanSquaredError()``)
reduces it: ``reduction='mean'`` (over samples, the default), ``'sum'`` or ``'none'``.
Shapes must match exactly: (n,) against (n, 1) is an error, never a silent broadcast.
Targets must be finite numbers, and so must predictions given as arrays; predictions given as
tensors (a model's outputs) are not checked for NaN, since fit stops on a loss that is not
finite. The probability losses (cross-entropies without ``from_logits``, KL divergence) refuse
predictions outside [0, 1]: they are not probabilities (give the output a sigmoid or softmax,
or pass ``from_logits=True``).

Lecture 004: MAE, MSE, SAE (smooth absolute error), BCE, CCE; lecture 000: KL divergence for
classification; lecture 001: binary cross-entropy.

>>> import numpy as np
>>> float(MeanSquaredError()(np.array([[1.0], [2.0]]), np.array([[1.5], [2.0]])).data)
0.125
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff import ops
from rosenblatt.autodiff.tensor import Tensor, as_tensor
from rosenblatt.base.checks import (
    as_array,
    check_bool,
    check_choice,
    check_finite,
    check_positive,
    describe,
)
from rosenblatt.base.registry import Registry
from rosenblatt.nn import fused

registry = Registry("loss")
EPSILON = 1e-7  # probabilities are clipped to [EPSILON, 1 - EPSILON] before a log


def _prepare(y_true, y_pred, sparse: bool = False) -> tuple[np.ndarray, Tensor]:
    if not isinstance(y_pred, Tensor):
        y_pred = Tensor(as_array(y_pred, "y_pred"))
    y_true = np.asarray(y_true.data if isinstance(y_true, Tensor) else y_true)
    if y_true.dtype.kind not in "biuf":
        raise TypeError(f"y_true: expected numbers, got an array of dtype {y_true.dtype}")
    check_finite(y_true, "y_true")
    if sparse:
        n = y_pred.data.shape[0] if y_pred.data.ndim else 0
        if y_pred.data.ndim != 2 or y_true.shape not in ((n,), (n, 1)):
            raise ValueError(
                f"sparse labels: expected y_true of shape (n,) or (n, 1) with y_pred of shape "
                f"(n, classes), got y_true {y_true.shape} and y_pred {y_pred.data.shape}"
            )
        return y_true, y_pred
    if y_true.shape != y_pred.data.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got y_true {y_true.shape} and y_pred "
            f"{y_pred.data.shape}; reshape one of them (e.g. y.reshape(-1, 1)) to match"
        )
    return y_true.astype(y_pred.data.dtype, copy=False), y_pred


def _last_axis_mean(t: Tensor) -> Tensor:
    return t.mean(axis=-1) if t.ndim > 1 else t


def _check_probability_targets(y_true: np.ndarray, loss: str = "a cross-entropy") -> None:
    if y_true.size and (y_true.min() < 0 or y_true.max() > 1):
        raise ValueError(
            f"y_true: expected targets in [0, 1] for {loss}, got values from "
            f"{y_true.min()} to {y_true.max()}"
        )


def _check_probabilities(p: Tensor, loss: str) -> None:
    low, high = (float(p.data.min()), float(p.data.max())) if p.data.size else (0.0, 0.0)
    if low < 0 or high > 1:
        raise ValueError(
            f"y_pred: {loss} expects probabilities in [0, 1], got values from {low:g} to "
            f"{high:g}; give the output a sigmoid or softmax, or pass from_logits=True"
        )


def check_distribution_rows(y_true: np.ndarray, name: str = "y_true") -> None:
    """Refuse target rows of a categorical cross-entropy that are not probability
    distributions: each row must sum to 1 (within 1e-3, float32 rounding of label smoothing)."""
    if y_true.ndim != 2 or not y_true.size:
        return
    sums = y_true.sum(axis=1, dtype=np.float64)
    bad = np.flatnonzero(np.abs(sums - 1) > 1e-3)
    if bad.size:
        raise ValueError(
            f"{name}: categorical_crossentropy needs target rows that sum to 1 (one-hot or "
            f"probabilities), got row {bad[0]} summing to {sums[bad[0]]:g}"
            + (f" and {bad.size - 1} more" if bad.size > 1 else "")
        )


# --------------------------------------------------------------------------- per-sample functions
def mean_absolute_error(y_true, y_pred) -> Tensor:
    """MAE per sample: mean_j |y_j - y_hat_j|."""
    y, p = _prepare(y_true, y_pred)
    return _last_axis_mean((p - y).abs())


def mean_squared_error(y_true, y_pred) -> Tensor:
    """MSE per sample: mean_j (y_j - y_hat_j)^2."""
    y, p = _prepare(y_true, y_pred)
    d = p - y
    return _last_axis_mean(d * d)


def huber(y_true, y_pred, delta: float = 1.0) -> Tensor:
    """Huber per sample: mean_j of 1/2 e^2 where |e| <= delta, delta (|e| - delta/2) elsewhere."""
    check_positive(delta, "delta")
    y, p = _prepare(y_true, y_pred)
    e = (p - y).abs()
    inside = e.data <= delta
    return _last_axis_mean(ops.where(inside, 0.5 * e * e, delta * (e - 0.5 * delta)))


def smooth_absolute_error(y_true, y_pred) -> Tensor:
    """SAE (lecture 004) per sample: mean_j of 1/2 e^2 where |e| < 1, |e| - 1/2 elsewhere.

    It is the Huber loss with delta = 1: quadratic like MSE for small errors, linear like MAE
    for large ones.
    """
    return huber(y_true, y_pred, 1.0)


def binary_crossentropy(y_true, y_pred, from_logits: bool = False) -> Tensor:
    """BCE per sample: -mean_j [y log p + (1 - y) log(1 - p)], p clipped to [eps, 1 - eps].

    With ``from_logits=True``, y_pred holds z and p = sigmoid(z) (stable fused form).
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, p = _prepare(y_true, y_pred)
    _check_probability_targets(y)
    if from_logits:
        return fused.sigmoid_binary_cross_entropy(p, y, reduction="none")
    _check_probabilities(p, "binary_crossentropy")
    p = p.clip(EPSILON, 1 - EPSILON)
    return _last_axis_mean(-(y * p.log() + (1 - y) * (1 - p).log()))


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False) -> Tensor:
    """CCE per sample: -sum_k y_k log p_k, p clipped to [eps, 1 - eps]; y one-hot (n, k).

    With ``from_logits=True``, p = softmax(z) (stable fused form).
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, p = _prepare(y_true, y_pred)
    _check_probability_targets(y)
    if p.ndim != 2:
        raise ValueError(f"y_pred: expected shape (n, classes), got {p.shape}")
    check_distribution_rows(y)
    if from_logits:
        return fused.softmax_cross_entropy(p, y, reduction="none")
    _check_probabilities(p, "categorical_crossentropy")
    return -(y * p.clip(EPSILON, 1 - EPSILON).log()).sum(axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False) -> Tensor:
    """CCE per sample with integer labels: -log p_{y}, y in [0, k)."""
    from_logits = check_bool(from_logits, "from_logits")
    y, p = _prepare(y_true, y_pred, sparse=True)
    if from_logits:
        return fused.softmax_cross_entropy(p, y, reduction="none")
    _check_probabilities(p, "sparse_categorical_crossentropy")
    n, k = p.shape
    index = fused._labels_to_index(y, n, k)
    return -p.clip(EPSILON, 1 - EPSILON)[np.arange(n), index].log()


def kl_divergence(y_true, y_pred) -> Tensor:
    """KL divergence per sample: sum_k y_k log(y_k / p_k), both clipped to [eps, 1].

    Both must be probabilities, in [0, 1].
    """
    y, p = _prepare(y_true, y_pred)
    _check_probability_targets(y, "kl_divergence")
    _check_probabilities(p, "kl_divergence")
    y = np.clip(y, EPSILON, 1)
    return (Tensor(y) * (Tensor(np.log(y)) - p.clip(EPSILON, 1).log())).sum(axis=-1)


# --------------------------------------------------------------------------- class form
class Loss:
    """A loss with a reduction over samples: 'mean' (default), 'sum' or 'none'.

    Calling it gives a tensor: a scalar, or the per-sample losses for 'none'.
    """

    fn = None
    name = "loss"

    def __init__(self, reduction: str = "mean", name: str | None = None):
        self.reduction = check_choice(reduction, "reduction", ("mean", "sum", "none"))
        if name is not None:
            if not isinstance(name, str):
                raise TypeError(f"name: expected a str, got {describe(name)}")
            if not name:
                raise ValueError("name: expected a non-empty str, got ''")
            self.name = name

    def per_sample(self, y_true, y_pred) -> Tensor:
        return type(self).fn(y_true, y_pred)

    def __call__(self, y_true, y_pred) -> Tensor:
        losses = self.per_sample(y_true, y_pred)
        if self.reduction == "mean":
            return losses.mean()
        if self.reduction == "sum":
            return losses.sum()
        return losses

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.get_config()})"


class _LogitsLoss(Loss):
    def __init__(self, from_logits: bool = False, reduction: str = "mean", name=None):
        super().__init__(reduction, name)
        self.from_logits = check_bool(from_logits, "from_logits")

    def per_sample(self, y_true, y_pred):
        return type(self).fn(y_true, y_pred, from_logits=self.from_logits)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


def _loss_class(class_name, fn, base=Loss, names=()):
    cls = type(class_name, (base,), {"fn": staticmethod(fn), "name": names[0]})
    cls.__doc__ = f"Class form of :func:`{fn.__name__}`, reduced over samples.\n\n{fn.__doc__}"
    cls.__module__ = __name__
    for name in (class_name, *names):
        registry.add(name, cls)
    return cls


MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error,
                                names=("mean_absolute_error", "mae"))
MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error,
                               names=("mean_squared_error", "mse"))
SmoothAbsoluteError = _loss_class("SmoothAbsoluteError", smooth_absolute_error,
                                  names=("smooth_absolute_error", "sae"))
KLDivergence = _loss_class("KLDivergence", kl_divergence,
                           names=("kl_divergence", "kld", "kullback_leibler_divergence"))
BinaryCrossentropy = _loss_class("BinaryCrossentropy", binary_crossentropy, _LogitsLoss,
                                 ("binary_crossentropy", "bce"))
CategoricalCrossentropy = _loss_class("CategoricalCrossentropy", categorical_crossentropy,
                                      _LogitsLoss, ("categorical_crossentropy", "cce"))
SparseCategoricalCrossentropy = _loss_class(
    "SparseCategoricalCrossentropy", sparse_categorical_crossentropy, _LogitsLoss,
    ("sparse_categorical_crossentropy", "scce"),
)


class Huber(Loss):
    """Class form of :func:`huber` with its ``delta`` (default 1: the notes' SAE)."""

    name = "huber"

    def __init__(self, delta: float = 1.0, reduction: str = "mean", name=None):
        super().__init__(reduction, name)
        self.delta = float(check_positive(delta, "delta"))

    def per_sample(self, y_true, y_pred):
        return huber(y_true, y_pred, self.delta)

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


registry.add("Huber", Huber)
registry.add("huber_loss", Huber)


class LossFunctionWrapper(Loss):
    """A user's function ``fn(y_true, y_pred) -> per-sample tensor`` as a Loss."""

    def __init__(self, fn, reduction: str = "mean", name=None):
        super().__init__(reduction, name or getattr(fn, "__name__", "loss"))
        self.user_fn = fn

    def per_sample(self, y_true, y_pred):
        return as_tensor(self.user_fn(y_true, y_pred))


_FUNCTIONS = {
    mean_absolute_error: MeanAbsoluteError, mean_squared_error: MeanSquaredError,
    smooth_absolute_error: SmoothAbsoluteError, huber: Huber, kl_divergence: KLDivergence,
    binary_crossentropy: BinaryCrossentropy, categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
}


def get(identifier) -> Loss:
    """A :class:`Loss` instance from a name or alias (``'mse'``, ``'mean_squared_error'``,
    ``'MeanSquaredError'``), a config dict, a Loss instance, or a function.

    >>> get("mse").name
    'mean_squared_error'
    """
    return registry.get(identifier, Loss, optional=False, convert=_from_function,
                        expected="a name, a Loss or a function", shown=repr)


def _from_function(fn) -> Loss | None:
    """The class of one of this module's loss functions, or a wrapper of any other callable;
    None for anything else."""
    if not callable(fn):
        return None
    if fn in _FUNCTIONS:
        return _FUNCTIONS[fn]()
    return LossFunctionWrapper(fn)


def serialize(loss: Loss) -> dict:
    """``{'class_name': ..., 'config': ...}`` of a built-in loss (not of a user's function)."""
    if isinstance(loss, LossFunctionWrapper) or type(loss).__name__ not in registry:
        raise TypeError(f"loss {loss!r} is not a built-in loss and cannot be saved")
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


# short aliases, as in Keras
mae = mean_absolute_error
mse = mean_squared_error
sae = smooth_absolute_error
kld = kl_divergence

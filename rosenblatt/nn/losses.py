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
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import check_bool, check_choice, check_positive, describe
from rosenblatt.base.registry import Registry
from rosenblatt.nn import fused
from rosenblatt.nn.loss_checks import (  # noqa: F401 (check_distribution_rows: fit's checks)
    EPSILON,
    check_distribution_rows,
    check_probabilities,
    check_probability_targets,
    last_axis_mean,
    prepare,
)
from rosenblatt.nn.loss_formulas import (
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
    focal_arguments,
    hinge,
    log_cosh,
    mean_absolute_percentage_error,
    poisson,
    squared_hinge,
)

registry = Registry("loss")
# --------------------------------------------------------------------------- per-sample functions
def mean_absolute_error(y_true, y_pred) -> Tensor:
    """MAE per sample: mean_j |y_j - y_hat_j|."""
    y, p = prepare(y_true, y_pred)
    return last_axis_mean((p - y).abs())


def mean_squared_error(y_true, y_pred) -> Tensor:
    """MSE per sample: mean_j (y_j - y_hat_j)^2."""
    y, p = prepare(y_true, y_pred)
    d = p - y
    return last_axis_mean(d * d)


def huber(y_true, y_pred, delta: float = 1.0) -> Tensor:
    """Huber per sample: mean_j of 1/2 e^2 where |e| <= delta, delta (|e| - delta/2) elsewhere."""
    check_positive(delta, "delta")
    y, p = prepare(y_true, y_pred)
    e = (p - y).abs()
    inside = e.data <= delta
    return last_axis_mean(ops.where(inside, 0.5 * e * e, delta * (e - 0.5 * delta)))


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
    y, p = prepare(y_true, y_pred)
    check_probability_targets(y)
    if from_logits:
        return fused.sigmoid_binary_cross_entropy(p, y, reduction="none")
    check_probabilities(p, "binary_crossentropy")
    p = p.clip(EPSILON, 1 - EPSILON)
    return last_axis_mean(-(y * p.log() + (1 - y) * (1 - p).log()))


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False) -> Tensor:
    """CCE per sample: -sum_k y_k log p_k, p clipped to [eps, 1 - eps]; y one-hot (n, k).

    With ``from_logits=True``, p = softmax(z) (stable fused form).
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, p = prepare(y_true, y_pred)
    check_probability_targets(y)
    if p.ndim != 2:
        raise ValueError(f"y_pred: expected shape (n, classes), got {p.shape}")
    check_distribution_rows(y)
    if from_logits:
        return fused.softmax_cross_entropy(p, y, reduction="none")
    check_probabilities(p, "categorical_crossentropy")
    return -(y * p.clip(EPSILON, 1 - EPSILON).log()).sum(axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False) -> Tensor:
    """CCE per sample with integer labels: -log p_{y}, y in [0, k)."""
    from_logits = check_bool(from_logits, "from_logits")
    y, p = prepare(y_true, y_pred, sparse=True)
    if from_logits:
        return fused.softmax_cross_entropy(p, y, reduction="none")
    check_probabilities(p, "sparse_categorical_crossentropy")
    n, k = p.shape
    index = fused._labels_to_index(y, n, k)
    return -p.clip(EPSILON, 1 - EPSILON)[np.arange(n), index].log()


def kl_divergence(y_true, y_pred) -> Tensor:
    """KL divergence per sample: sum_k y_k log(y_k / p_k), both clipped to [eps, 1].

    Both must be probabilities, in [0, 1].
    """
    y, p = prepare(y_true, y_pred)
    check_probability_targets(y, "kl_divergence")
    check_probabilities(p, "kl_divergence")
    y = np.clip(y, EPSILON, 1)
    return (Tensor(y) * (Tensor(np.log(y)) - p.clip(EPSILON, 1).log())).sum(axis=-1)


# --------------------------------------------------------------------------- class form
class Loss:
    """A loss with a reduction over samples: 'mean' (default), 'sum' or 'none'.

    Calling it gives a tensor: a scalar, or the per-sample losses for 'none'. A subclass
    defines the loss of each sample in ``call(self, y_true, y_pred)`` (Keras' custom loss):
    ``y_true`` an array, ``y_pred`` a Tensor, so the gradient flows through the
    :mod:`rosenblatt.ops` it uses. ``call`` returns one loss per sample (n,), or per entry
    (n, ...), averaged over the entries of each sample, or one number for the whole batch
    (which sample weights cannot weigh).
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

    def call(self, y_true, y_pred) -> Tensor:
        """The loss of each sample (a subclass defines its own)."""
        if type(self).fn is None:
            raise NotImplementedError(f"{type(self).__name__} must define call(self, y_true, "
                                      f"y_pred), returning the loss of each sample")
        return type(self).fn(y_true, y_pred)

    def per_sample(self, y_true, y_pred) -> Tensor:
        """``call``'s losses as a Tensor: one per sample, or one number for the batch."""
        return _per_sample(self.call(y_true, y_pred), y_pred, self.name)

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


def _per_sample(losses, y_pred, name: str) -> Tensor:
    """The losses a ``call`` returned, checked: a Tensor (arrays become constant ones) of one
    number, or of one loss per sample of ``y_pred``, entries of a sample averaged."""
    if not isinstance(losses, Tensor):
        try:
            losses = Tensor(losses)
        except TypeError:
            raise TypeError(f"loss {name!r}: expected its call to return a Tensor of losses, "
                            f"got {describe(losses)}") from None
    if losses.ndim == 0:
        return losses
    n = np.shape(y_pred)[0] if np.ndim(y_pred) else None
    if losses.shape[0] != n:
        raise ValueError(f"loss {name!r}: expected one loss per sample ({n}) or one number, "
                         f"got losses of shape {losses.shape}")
    return losses.mean(axis=tuple(range(1, losses.ndim))) if losses.ndim > 1 else losses


class _LogitsLoss(Loss):
    def __init__(self, from_logits: bool = False, reduction: str = "mean", name=None):
        super().__init__(reduction, name)
        self.from_logits = check_bool(from_logits, "from_logits")

    def call(self, y_true, y_pred):
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
MeanAbsolutePercentageError = _loss_class("MeanAbsolutePercentageError",
                                          mean_absolute_percentage_error,
                                          names=("mean_absolute_percentage_error", "mape"))
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

    def call(self, y_true, y_pred):
        return huber(y_true, y_pred, self.delta)

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


registry.add("Huber", Huber)
registry.add("huber_loss", Huber)


Hinge = _loss_class("Hinge", hinge, names=("hinge",))
SquaredHinge = _loss_class("SquaredHinge", squared_hinge, names=("squared_hinge",))
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge,
                               names=("categorical_hinge",))
LogCosh = _loss_class("LogCosh", log_cosh, names=("log_cosh", "logcosh"))
Poisson = _loss_class("Poisson", poisson, names=("poisson",))
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity,
                               names=("cosine_similarity",))


class _OptionsLoss(Loss):
    """A loss whose formula takes keyword options (checked once, when it is made)."""

    def __init__(self, reduction="mean", name=None, **options):
        super().__init__(reduction, name)
        self.options = options

    def call(self, y_true, y_pred):
        return type(self).fn(y_true, y_pred, **self.options)

    def get_config(self):
        return {**super().get_config(), **self.options}


class BinaryFocalCrossentropy(_OptionsLoss):
    """Class form of :func:`binary_focal_crossentropy`, with Keras' arguments."""

    fn = staticmethod(binary_focal_crossentropy)
    name = "binary_focal_crossentropy"

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, reduction="mean", name=None):
        options = focal_arguments(alpha, gamma, from_logits, label_smoothing)
        balancing = check_bool(apply_class_balancing, "apply_class_balancing")
        super().__init__(reduction, name, apply_class_balancing=balancing, **options)


class CategoricalFocalCrossentropy(_OptionsLoss):
    """Class form of :func:`categorical_focal_crossentropy`, with Keras' arguments."""

    fn = staticmethod(categorical_focal_crossentropy)
    name = "categorical_focal_crossentropy"

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 reduction="mean", name=None):
        super().__init__(reduction, name,
                         **focal_arguments(alpha, gamma, from_logits, label_smoothing))


for _cls in (BinaryFocalCrossentropy, CategoricalFocalCrossentropy):
    registry.add(_cls.__name__, _cls)
    registry.add(_cls.name, _cls)


class LossFunctionWrapper(Loss):
    """A user's function ``fn(y_true, y_pred) -> per-sample tensor`` as a Loss."""

    def __init__(self, fn, reduction: str = "mean", name=None):
        super().__init__(reduction, name or getattr(fn, "__name__", "loss"))
        self.user_fn = fn

    def call(self, y_true, y_pred):
        return self.user_fn(y_true, y_pred)


_FUNCTIONS = {
    mean_absolute_error: MeanAbsoluteError, mean_squared_error: MeanSquaredError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    smooth_absolute_error: SmoothAbsoluteError, huber: Huber, kl_divergence: KLDivergence,
    binary_crossentropy: BinaryCrossentropy, categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    hinge: Hinge, squared_hinge: SquaredHinge, categorical_hinge: CategoricalHinge,
    log_cosh: LogCosh, poisson: Poisson, cosine_similarity: CosineSimilarity,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
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
mape = mean_absolute_percentage_error
sae = smooth_absolute_error
kld = kl_divergence
logcosh = log_cosh

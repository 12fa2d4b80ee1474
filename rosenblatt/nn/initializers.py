"""Weight initializers: the starting point of gradient descent (Keras names).

An initializer is a callable ``init(shape, dtype='float32', rng=None) -> ndarray``. Random
initializers take a ``seed``: with ``rng=None`` every call draws from
``np.random.default_rng(seed)``, so a seeded initializer returns the same values each time; a
model passes its own ``np.random.Generator`` as ``rng`` so that one model seed gives each layer
different, reproducible weights. Values are drawn in float64 and then cast to ``dtype``.

fan_in and fan_out of a shape: (in, out) -> (in, out); (n,) -> (n, n); () -> (1, 1); more
dimensions (k_1, ..., k_r, in, out) -> (in * R, out * R) with R = k_1 ... k_r (Keras' rule).

Lecture 004 ("initialization"): zero or constant weights leave hidden units symmetric; He et al.
(2015) use N(0, 2 / fan_in); Xavier (Glorot) N(0, 2 / (fan_in + fan_out)) and
U(+-sqrt(6 / (fan_in + fan_out))).

>>> get("glorot_uniform")((2, 3), rng=np.random.default_rng(0)).shape
(2, 3)
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from rosenblatt.base import limits
from rosenblatt.base.checks import check_choice, check_positive, describe
from rosenblatt.base.registry import Configurable, Registry

registry = Registry("initializer")


def compute_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shape, by Keras' rule (see the module docstring).

    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _check_shape(shape) -> tuple[int, ...]:
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    if not isinstance(dims, (tuple, list)) or not all(
        isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims
    ):
        raise TypeError(f"shape: expected an int or a tuple of ints, got {describe(shape)}")
    if any(d <= 0 for d in dims):
        raise ValueError(f"shape: expected every dimension > 0, got {tuple(dims)}")
    dims = tuple(int(d) for d in dims)
    limits.check_weight_entries(dims, "shape: a weight")
    return dims


def _check_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"dtype: expected a float dtype, got {describe(dtype)}") from exc
    if dt.kind != "f":
        raise TypeError(f"dtype: expected a float dtype such as 'float32', got {dt}")
    return dt


def _check_number(value, name: str) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return float(value)


class Initializer(Configurable):
    """Base class: ``init(shape, dtype='float32', rng=None) -> ndarray`` and a JSON config.

    Subclasses implement ``_sample(shape, rng) -> float64 ndarray`` and name their constructor
    arguments in ``_config_keys``.

    Args (of a call):
        shape: int or tuple of ints > 0, e.g. (fan_in, fan_out) for a Dense kernel, of at
            most ``rosenblatt.layers.MAX_WEIGHT_ENTRIES`` entries.
        dtype: a float dtype (default float32).
        rng: None (use the initializer's own seed) or a numpy.random.Generator to draw from.

    Returns:
        an ndarray of ``shape`` and ``dtype``, of finite numbers: parameters whose sample
        overflows (say N(0, 1e308^2)) raise ValueError.

    >>> GlorotUniform(seed=0)((2, 3), dtype="float64").dtype
    dtype('float64')

    Lecture 004 (initialization).
    """

    def __call__(self, shape, dtype="float32", rng=None) -> np.ndarray:
        shape, dtype = _check_shape(shape), _check_dtype(dtype)
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: expected None or a numpy.random.Generator, got {describe(rng)}")
        with np.errstate(over="ignore", invalid="ignore"):
            values = np.asarray(self._sample(shape, rng), dtype=dtype)
        if not np.isfinite(values).all():
            names = [k for k in self._config_keys if isinstance(getattr(self, k), float)]
            raise ValueError(
                f"{', '.join(names) or 'parameters'}: expected values that give finite weights "
                f"in {dtype}, got {self!r}, whose weights overflow"
            )
        return values

    def _sample(self, shape: tuple[int, ...], rng) -> np.ndarray:
        raise NotImplementedError


@registry.register("constant")
class Constant(Initializer):
    """Every weight equal to ``value``: W = value.

    Leaves hidden units symmetric: they receive identical gradients and stay equal (lecture 004,
    "constant initialization? It has the same problems").

    Args:
        value: a finite number (default 0.0).

    >>> Constant(0.5)((2,))
    array([0.5, 0.5], dtype=float32)
    """

    _config_keys = ("value",)

    def __init__(self, value: float = 0.0):
        self.value = _check_number(value, "value")

    def _sample(self, shape, rng):
        return np.full(shape, self.value)


@registry.register("zeros")
class Zeros(Constant):
    """W = 0, the usual bias initializer (lecture 004: a bad choice for weights, since hidden
    units stay symmetric).

    >>> Zeros()((1, 2))
    array([[0., 0.]], dtype=float32)
    """

    _config_keys = ()

    def __init__(self):
        super().__init__(0.0)


@registry.register("ones")
class Ones(Constant):
    """W = 1 (lecture 004: constant initialization keeps hidden units symmetric).

    >>> Ones()(2, dtype="float64")
    array([1., 1.])
    """

    _config_keys = ()

    def __init__(self):
        super().__init__(1.0)


class _Random(Initializer):
    """A random initializer: draws from ``rng`` when given, else from default_rng(seed)."""

    def __init__(self, seed=None):
        if seed is not None:
            check_positive(seed, "seed", allow_zero=True, integer=True)
        self.seed = None if seed is None else int(seed)

    def _sample(self, shape, rng):
        return self._draw(shape, np.random.default_rng(self.seed) if rng is None else rng)

    def _draw(self, shape, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError


@registry.register("random_uniform")
class RandomUniform(_Random):
    """W ~ U(minval, maxval), independently per weight.

    Args:
        minval, maxval: the bounds, minval < maxval (defaults -0.05, 0.05).
        seed: int >= 0 or None.

    >>> w = RandomUniform(-1.0, 1.0, seed=0)((1000,))
    >>> bool(w.min() >= -1 and w.max() <= 1)
    True

    Lecture 004 ("simplest initialization: W ~ Uniform()").
    """

    _config_keys = ("minval", "maxval", "seed")

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed=None):
        super().__init__(seed)
        self.minval = _check_number(minval, "minval")
        self.maxval = _check_number(maxval, "maxval")
        if self.minval >= self.maxval:
            raise ValueError(f"minval, maxval: expected minval < maxval, got {minval}, {maxval}")
        if not math.isfinite(self.maxval - self.minval):
            raise ValueError(f"minval, maxval: expected a range maxval - minval that is a finite "
                             f"float, got {minval}, {maxval}")

    def _draw(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, size=shape)


@registry.register("random_normal")
class RandomNormal(_Random):
    """W ~ N(mean, stddev^2), independently per weight.

    Args:
        mean: a finite number (default 0.0).
        stddev: > 0 (default 0.05).
        seed: int >= 0 or None.

    >>> RandomNormal(seed=0)((2, 2)).shape
    (2, 2)

    Lecture 004 ("simplest initialization: W ~ N(0, I)").
    """

    _config_keys = ("mean", "stddev", "seed")

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        super().__init__(seed)
        self.mean = _check_number(mean, "mean")
        self.stddev = float(check_positive(stddev, "stddev"))

    def _draw(self, shape, rng):
        return rng.normal(self.mean, self.stddev, size=shape)


@registry.register("variance_scaling")
class VarianceScaling(_Random):
    """Zero-mean weights with variance scale / n, n chosen from the shape's fans.

    Formula: n = fan_in, fan_out or (fan_in + fan_out) / 2 (``mode``); then
    ``'normal'``: W ~ N(0, scale / n); ``'uniform'``: W ~ U(+-sqrt(3 scale / n)), whose variance
    limit^2 / 3 is the same scale / n. The normal is a plain (untruncated) normal, as in the
    notes and PyTorch; Keras' default here is a truncated normal.

    Args:
        scale: > 0 (default 1.0).
        mode: ``'fan_in'``, ``'fan_out'`` or ``'fan_avg'``.
        distribution: ``'normal'`` or ``'uniform'``.
        seed: int >= 0 or None.

    >>> bool(VarianceScaling(2.0, "fan_in", "uniform", seed=0)((6, 4)).max() <= 1)
    True

    Lecture 004 (He and Xavier initializations); He et al. (2015), Glorot and Bengio (2010).
    """

    _config_keys = ("scale", "mode", "distribution", "seed")

    def __init__(self, scale=1.0, mode="fan_in", distribution="normal", seed=None):
        super().__init__(seed)
        self.scale = float(check_positive(scale, "scale"))
        self.mode = check_choice(mode, "mode", ("fan_in", "fan_out", "fan_avg"))
        self.distribution = check_choice(distribution, "distribution", ("normal", "uniform"))

    def _draw(self, shape, rng):
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / n
        if self.distribution == "normal":
            return rng.normal(0.0, math.sqrt(variance), size=shape)
        limit = math.sqrt(3 * variance)
        return rng.uniform(-limit, limit, size=shape)


@registry.register("he_normal")
class HeNormal(VarianceScaling):
    """He normal initializer: W ~ N(0, 2 / fan_in).

    A plain normal, as in the notes and PyTorch's ``kaiming_normal_``; Keras' HeNormal draws a
    truncated normal instead.

    Args:
        seed: int >= 0 or None.

    >>> w = HeNormal(seed=0)((400, 600))
    >>> round(float(w.var()) / (2 / 400), 1)
    1.0

    Lecture 004 (He et al. initialization); He et al. (2015).
    """

    _config_keys = ("seed",)

    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "normal", seed)


@registry.register("he_uniform")
class HeUniform(VarianceScaling):
    """He uniform initializer: W ~ U(+-sqrt(6 / fan_in)).

    Args:
        seed: int >= 0 or None.

    >>> w = HeUniform(seed=0)((400, 600))
    >>> bool(abs(w).max() <= (6 / 400) ** 0.5)
    True

    Lecture 004 (He et al. initialization); He et al. (2015).
    """

    _config_keys = ("seed",)

    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "uniform", seed)


@registry.register("glorot_normal", "xavier_normal")
class GlorotNormal(VarianceScaling):
    """Glorot (Xavier) normal initializer: W ~ N(0, 2 / (fan_in + fan_out)).

    A plain normal, as in the notes; Keras' GlorotNormal draws a truncated normal instead.
    Also registered as ``'xavier_normal'``.

    Args:
        seed: int >= 0 or None.

    >>> w = GlorotNormal(seed=0)((400, 600))
    >>> round(float(w.var()) / (2 / (400 + 600)), 1)
    1.0

    Lecture 004 (Xavier initialization, aka Glorot); Glorot and Bengio (2010).
    """

    _config_keys = ("seed",)

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "normal", seed)


@registry.register("glorot_uniform", "xavier_uniform")
class GlorotUniform(VarianceScaling):
    """Glorot (Xavier) uniform initializer: W ~ U(+-sqrt(6 / (fan_in + fan_out))).

    Keras' default kernel initializer. Also registered as ``'xavier_uniform'``.

    Args:
        seed: int >= 0 or None.

    >>> w = GlorotUniform(seed=0)((400, 600))
    >>> bool(abs(w).max() <= (6 / (400 + 600)) ** 0.5)
    True

    Lecture 004 (Xavier initialization, variant with Uniform); Glorot and Bengio (2010).
    """

    _config_keys = ("seed",)

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "uniform", seed)


@registry.register("lecun_normal")
class LecunNormal(VarianceScaling):
    """LeCun normal initializer: W ~ N(0, 1 / fan_in).

    A plain normal; Keras' LecunNormal draws a truncated normal instead.

    Args:
        seed: int >= 0 or None.

    >>> w = LecunNormal(seed=0)((400, 600))
    >>> round(float(w.var()) / (1 / 400), 1)
    1.0

    Lecture 004 (initialization); LeCun, Bottou, Orr and Mueller (1998), Efficient BackProp.
    """

    _config_keys = ("seed",)

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "normal", seed)


@registry.register("lecun_uniform")
class LecunUniform(VarianceScaling):
    """LeCun uniform initializer: W ~ U(+-sqrt(3 / fan_in)).

    Args:
        seed: int >= 0 or None.

    >>> w = LecunUniform(seed=0)((400, 600))
    >>> bool(abs(w).max() <= (3 / 400) ** 0.5)
    True

    Lecture 004 (initialization); LeCun, Bottou, Orr and Mueller (1998), Efficient BackProp.
    """

    _config_keys = ("seed",)

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "uniform", seed)


def serialize(initializer: Initializer) -> dict:
    """``{'class_name': ..., 'config': ...}`` for an initializer (JSON-serializable).

    >>> serialize(HeNormal(seed=1))
    {'class_name': 'HeNormal', 'config': {'seed': 1}}
    """
    return registry.serialize(initializer, Initializer)


def get(identifier):
    """An initializer from a name, a config dict, an instance or a plain callable.

    Args:
        identifier: a name such as ``'he_normal'`` (case-insensitive); a config dict
            ``{'class_name': 'RandomNormal', 'config': {...}}``; an :class:`Initializer`; a
            callable ``f(shape, dtype)`` (returned as is); or None (returned as None).

    >>> get("xavier_uniform")
    GlorotUniform(seed=None)
    """
    return registry.get(identifier, Initializer)

"""Differentiable primitives: each forward computation next to its vector-Jacobian product.

Arithmetic broadcasts like NumPy; the gradient of a broadcast input is summed back to the input's
shape in one place, :func:`unbroadcast`. Non-tensor operands (numbers, arrays) are constants in
the tensor operand's dtype; anything else (None, a string) is a TypeError. Every primitive is
checked against central differences in float64 in ``tests/test_ops.py``.

The values follow IEEE floats, as in NumPy and PyTorch: x / 0 gives inf (or nan for 0 / 0) and
exp of a large number overflows to inf, without an error; fit stops on a loss that is not finite.

>>> from rosenblatt import Tensor
>>> x = Tensor([[1.0, 2.0]], requires_grad=True)
>>> y = (x * Tensor([[3.0], [4.0]])).sum()   # broadcast (1, 2) * (2, 1) -> (2, 2)
>>> y.backward(); x.grad
array([[7., 7.]], dtype=float32)
"""

from __future__ import annotations

import builtins
import numbers

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import describe


def unbroadcast(g: np.ndarray, shape: tuple, dtype=None) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting added or stretched, giving ``shape``."""
    if g.shape != shape:
        extra = g.ndim - len(shape)
        if extra:
            g = g.sum(axis=tuple(range(extra)))
        stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
        if stretched:
            g = g.sum(axis=stretched, keepdims=True)
    if dtype is not None and g.dtype != dtype:
        g = g.astype(dtype)
    return g


def _pair(a, b, op: str = "operand") -> tuple[Tensor, Tensor]:
    """Lift a non-tensor operand to a constant tensor of the other operand's dtype."""
    if not isinstance(a, Tensor):
        a = Tensor(_constant(a, op, b.data.dtype))
    if not isinstance(b, Tensor):
        b = Tensor(_constant(b, op, a.data.dtype))
    return a, b


def numeric_array(value, op: str) -> np.ndarray:
    """``value`` (a number or an array of numbers) as an array; TypeError naming ``op`` else."""
    kind = "?"
    if value is not None and not isinstance(value, (str, bytes)):
        try:
            kind = np.asarray(value).dtype.kind
        except ValueError:  # ragged nested sequences
            pass
    if kind not in "biuf":
        raise TypeError(f"{op}: expected a number, an array of numbers or a Tensor, got "
                        f"{describe(value)}")
    return np.asarray(value)


def _constant(value, op: str, dtype) -> np.ndarray:
    """A number or array operand as an array of ``dtype``; TypeError naming ``op`` else."""
    if isinstance(value, numbers.Real):
        return np.asarray(value, dtype=dtype)
    return numeric_array(value, op).astype(dtype, copy=False)


# --------------------------------------------------------------------------- arithmetic
def add(a, b) -> Tensor:
    """Elementwise a + b (broadcasting). d/da = 1, d/db = 1."""
    a, b = _pair(a, b, "add")
    sa, sb = a.data.shape, b.data.shape
    da, db = a.data.dtype, b.data.dtype

    def vjp(g):
        return unbroadcast(g, sa, da), unbroadcast(g, sb, db)

    return Tensor._make(a.data + b.data, (a, b), vjp, "add")


def sub(a, b) -> Tensor:
    """Elementwise a - b. d/da = 1, d/db = -1."""
    a, b = _pair(a, b, "sub")
    sa, sb = a.data.shape, b.data.shape
    da, db = a.data.dtype, b.data.dtype

    def vjp(g):
        return unbroadcast(g, sa, da), unbroadcast(-g, sb, db)

    return Tensor._make(a.data - b.data, (a, b), vjp, "sub")


def mul(a, b) -> Tensor:
    """Elementwise a * b. d/da = b, d/db = a."""
    a, b = _pair(a, b, "mul")

    def vjp(g):
        ga = unbroadcast(g * b.data, a.data.shape, a.data.dtype) if a.requires_grad else None
        gb = unbroadcast(g * a.data, b.data.shape, b.data.dtype) if b.requires_grad else None
        return ga, gb

    return Tensor._make(a.data * b.data, (a, b), vjp, "mul")


def div(a, b) -> Tensor:
    """Elementwise a / b. d/da = 1/b, d/db = -a/b^2 (a / 0 is inf, as in NumPy)."""
    a, b = _pair(a, b, "div")
    out = a.data / b.data

    def vjp(g):
        ga = unbroadcast(g / b.data, a.data.shape, a.data.dtype) if a.requires_grad else None
        gb = None
        if b.requires_grad:
            gb = unbroadcast(-g * out / b.data, b.data.shape, b.data.dtype)
        return ga, gb

    return Tensor._make(out, (a, b), vjp, "div")


def neg(a: Tensor) -> Tensor:
    """-a. d/da = -1."""
    return Tensor._make(-a.data, (a,), lambda g: (-g,), "neg")


def power(a, b) -> Tensor:
    """Elementwise a ** b. d/da = b a^(b-1); d/db = a^b ln a (for a > 0)."""
    a, b = _pair(a, b, "power: exponent" if isinstance(a, Tensor) else "power: base")
    out = a.data**b.data

    def vjp(g):
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(g * b.data * a.data ** (b.data - 1), a.data.shape, a.data.dtype)
        if b.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_a = np.where(a.data > 0, np.log(np.where(a.data > 0, a.data, 1)), 0)
            gb = unbroadcast(g * out * log_a, b.data.shape, b.data.dtype)
        return ga, gb

    return Tensor._make(out, (a, b), vjp, "pow")


def matmul(a, b) -> Tensor:
    """Matrix product a @ b, 2-D or batched (leading axes broadcast), like ``np.matmul``.

    Backward: dL/da = g @ b^T, dL/db = a^T @ g (summed over broadcast batch axes). 1-D
    operands are treated as a row (left) or column (right) vector as NumPy does.
    """
    a, b = _pair(a, b, "matmul")
    if a.data.ndim == 0 or b.data.ndim == 0:
        raise ValueError(
            f"matmul: operands must be at least 1-D, got shapes {a.data.shape} and {b.data.shape}"
        )
    out = np.matmul(a.data, b.data)
    a2 = a.data[None, :] if a.data.ndim == 1 else a.data
    b2 = b.data[:, None] if b.data.ndim == 1 else b.data

    def vjp(g):
        g2 = g
        if b.data.ndim == 1:  # first: for 1-D @ 1-D, g is 0-d and becomes (1, 1)
            g2 = np.expand_dims(g2, -1)
        if a.data.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        ga = gb = None
        if a.requires_grad:
            ga = np.matmul(g2, np.swapaxes(b2, -1, -2))
            ga = unbroadcast(ga, a2.shape, a.data.dtype).reshape(a.data.shape)
        if b.requires_grad:
            gb = np.matmul(np.swapaxes(a2, -1, -2), g2)
            gb = unbroadcast(gb, b2.shape, b.data.dtype).reshape(b.data.shape)
        return ga, gb

    return Tensor._make(out, (a, b), vjp, "matmul")


# --------------------------------------------------------------------------- reductions
def _norm_axis(axis, ndim: int):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    if not isinstance(axes, (tuple, list)) or not builtins.all(
            isinstance(ax, (int, np.integer)) and not isinstance(ax, bool) for ax in axes):
        raise TypeError(f"axis: expected None, an int or a tuple of ints, got {describe(axis)}")
    for ax in axes:
        if not -builtins.max(ndim, 1) <= ax < builtins.max(ndim, 1):  # 0-d: 0, -1 (PyTorch)
            raise ValueError(f"axis {ax} is out of range for a tensor with {ndim} dimensions")
    normalized = tuple(sorted(ax % ndim for ax in axes)) if ndim else ()
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"axis: expected distinct axes, got {tuple(axes)}")
    return normalized


def _expand(g: np.ndarray, axes: tuple, keepdims: bool) -> np.ndarray:
    """Put back the reduced axes (size 1) so ``g`` broadcasts against the input."""
    return g if keepdims else np.expand_dims(g, axes)


def sum(a: Tensor, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over ``axis`` (all by default). Each input element's gradient is g."""
    axes = _norm_axis(axis, a.data.ndim)
    shape = a.data.shape

    def vjp(g):
        return (np.broadcast_to(_expand(g, axes, keepdims), shape).copy(),)

    return Tensor._make(np.sum(a.data, axis=axes, keepdims=keepdims), (a,), vjp, "sum")


def mean(a: Tensor, axis=None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis``: sum / n, so each element's gradient is g / n."""
    axes = _norm_axis(axis, a.data.ndim)
    n = int(np.prod([a.data.shape[i] for i in axes])) if axes else 1
    shape = a.data.shape

    def vjp(g):
        return (np.broadcast_to(_expand(g, axes, keepdims) / n, shape).astype(a.data.dtype),)

    return Tensor._make(np.mean(a.data, axis=axes, keepdims=keepdims), (a,), vjp, "mean")


def _extreme(a: Tensor, axis, keepdims: bool, reduce, op: str) -> Tensor:
    axes = _norm_axis(axis, a.data.ndim)
    if a.data.size == 0:
        raise ValueError(f"{op}: cannot reduce an empty tensor")
    out = reduce(a.data, axis=axes, keepdims=True)

    def vjp(g):
        mask = a.data == out
        share = mask / mask.sum(axis=axes, keepdims=True)  # ties share the gradient equally
        return ((share * _expand(g, axes, keepdims)).astype(a.data.dtype),)

    value = out if keepdims else np.squeeze(out, axis=axes)
    return Tensor._make(value, (a,), vjp, op)


def max(a: Tensor, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Maximum over ``axis``; the gradient goes to the maximal elements (shared among ties)."""
    return _extreme(a, axis, keepdims, np.max, "max")


def min(a: Tensor, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Minimum over ``axis``; the gradient goes to the minimal elements (shared among ties)."""
    return _extreme(a, axis, keepdims, np.min, "min")


# --------------------------------------------------------------------------- elementwise math
def elementwise(a, value: np.ndarray, derivative, op: str) -> Tensor:
    """An elementwise function's output tensor, given its value and its derivative.

    ``derivative(x, y)`` returns dy/dx from the input ``x`` and the output ``y`` (arrays). All
    unary math ops and the activations are built this way.
    """
    a = a if isinstance(a, Tensor) else Tensor(a)
    x = a.data

    def vjp(g):
        return (g * derivative(x, value),)

    return Tensor._make(value, (a,), vjp, op)


def exp(a) -> Tensor:
    """e^a; derivative e^a."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    return elementwise(a, np.exp(a.data), lambda x, y: y, "exp")


def log(a) -> Tensor:
    """Natural logarithm; derivative 1/a. Raises for non-positive entries."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    if (a.data <= 0).any():
        raise ValueError(
            f"log: input must be positive, got a minimum of {a.data.min()}; clip probabilities "
            "first"
        )
    return elementwise(a, np.log(a.data), lambda x, y: 1 / x, "log")


def sqrt(a) -> Tensor:
    """Square root; derivative 1 / (2 sqrt(a))."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    if (a.data < 0).any():
        raise ValueError(f"sqrt: input must be non-negative, got a minimum of {a.data.min()}")
    return elementwise(a, np.sqrt(a.data), lambda x, y: 0.5 / y, "sqrt")


def abs(a) -> Tensor:  # noqa: A001
    """|a|; derivative sign(a) (0 at 0)."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    return elementwise(a, np.abs(a.data), lambda x, y: np.sign(x), "abs")


def maximum(a, b) -> Tensor:
    """Elementwise max(a, b); the gradient goes to the larger input, split equally on ties."""
    return _select(a, b, np.greater, "maximum")


def minimum(a, b) -> Tensor:
    """Elementwise min(a, b); the gradient goes to the smaller input, split equally on ties."""
    return _select(a, b, np.less, "minimum")


def _select(a, b, wins, op: str) -> Tensor:
    a, b = _pair(a, b, op)
    out = np.where(wins(a.data, b.data), a.data, b.data)

    def vjp(g):
        wa = wins(a.data, b.data) + 0.5 * (a.data == b.data)
        return (
            unbroadcast(g * wa, a.data.shape, a.data.dtype),
            unbroadcast(g * (1 - wa), b.data.shape, b.data.dtype),
        )

    return Tensor._make(out, (a, b), vjp, op)


def where(condition, a, b) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (broadcasting); gradients follow the choice."""
    cond = np.asarray(condition.data if isinstance(condition, Tensor) else condition, dtype=bool)
    a, b = _pair(a, b, "where")
    out = np.where(cond, a.data, b.data)

    def vjp(g):
        return (
            unbroadcast(np.where(cond, g, 0), a.data.shape, a.data.dtype),
            unbroadcast(np.where(cond, 0, g), b.data.shape, b.data.dtype),
        )

    return Tensor._make(out, (a, b), vjp, "where")


def clip(a, low, high) -> Tensor:
    """Clamp ``a`` to [low, high] (either may be None); gradient 1 inside, 0 where clipped."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    for bound, name in ((low, "low"), (high, "high")):
        if bound is not None and (not isinstance(bound, numbers.Real) or isinstance(bound, bool)
                                  or bound != bound):
            raise ValueError(f"clip: {name}: expected None or a number (not NaN), got {bound!r}")
    if low is not None and high is not None and low > high:
        raise ValueError(f"clip: low must be <= high, got low={low}, high={high}")
    out = np.clip(a.data, low, high)

    def derivative(x, y):
        inside = np.ones(x.shape, dtype=x.dtype)
        if low is not None:
            inside = inside * (x >= low)
        if high is not None:
            inside = inside * (x <= high)
        return inside

    return elementwise(a, out, derivative, "clip")


def _install() -> None:
    """Make these primitives Tensor's operators and methods (``x + y`` is ``add(x, y)``)."""
    binary = {"add": add, "sub": sub, "mul": mul, "truediv": div, "pow": power,
              "matmul": matmul}
    for name, fn in binary.items():
        setattr(Tensor, f"__{name}__", fn)
        setattr(Tensor, f"__r{name}__", lambda self, other, fn=fn: fn(other, self))
    Tensor.__neg__ = neg
    for fn in (sum, mean, max, min, exp, log, sqrt, abs, clip):
        setattr(Tensor, fn.__name__, fn)


_install()

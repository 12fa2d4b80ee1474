"""``Tensor``: an ndarray that records how it was computed, and reverse-mode autodiff over it.

Every operation on tensors that need gradients returns a new tensor that remembers its inputs and a
*vector-Jacobian product*: a function turning the gradient of the output into the gradients of
the inputs. ``loss.backward()`` orders the recorded graph (iteratively, so a chain of any length
works), seeds dL/dL = 1 and walks it from the top down, accumulating each input's gradient: the
"compute dL/du for every node u, top to bottom" of lecture 001, for arrays.

>>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
array([2., 4., 6.], dtype=float32)
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

from rosenblatt.base.checks import as_array, check_bool, describe
from rosenblatt.base.topology import topological_order

_FLOAT_DTYPES = {"float32": np.float32, "float64": np.float64}
_state = threading.local()  # per thread: whether operations record the graph
_settings = {"floatx": "float32"}  # per process, like Keras' floatx


def floatx() -> str:
    """The default float type of new tensors and weights: ``'float32'`` unless changed."""
    return _settings["floatx"]


def set_floatx(dtype: str) -> None:
    """Set the process-wide default float type: ``'float32'`` (the default) or ``'float64'``."""
    if dtype not in _FLOAT_DTYPES:
        raise ValueError(f"dtype: expected 'float32' or 'float64', got {dtype!r}")
    _settings["floatx"] = dtype


def is_grad_enabled() -> bool:
    """Whether operations currently record the graph (False inside ``no_grad()``)."""
    return getattr(_state, "grad_enabled", True)


@contextlib.contextmanager
def no_grad():
    """Context in which operations record nothing: inference without a graph.

    >>> w = Tensor([2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 3
    >>> y.requires_grad
    False
    """
    previous = is_grad_enabled()
    _state.grad_enabled = False
    try:
        yield
    finally:
        _state.grad_enabled = previous


def resolve_dtype(dtype):
    """Map ``None`` / ``'float32'`` / ``'float64'`` / numpy float dtypes to a numpy dtype."""
    if dtype is None:
        return np.dtype(_FLOAT_DTYPES[floatx()])
    try:
        resolved = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype: expected 'float32' or 'float64', got {dtype!r}") from exc
    if resolved not in (np.float32, np.float64):
        raise ValueError(f"dtype: expected 'float32' or 'float64', got {dtype!r}")
    return resolved


class BackwardError(ValueError, RuntimeError):
    """``backward()`` called where it cannot run: a ValueError, and a RuntimeError as in
    PyTorch."""


def _to_array(data, dtype) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, (str, bytes)):
        raise TypeError(f"Tensor: expected numbers or an array of numbers, got {describe(data)}")
    try:
        kind = np.asarray(data).dtype.kind
    except ValueError as exc:  # ragged nested sequences
        raise TypeError("Tensor: data: expected numbers or an array of numbers, got a ragged "
                        "sequence (rows of different lengths)") from exc
    if kind not in "biuf":
        raise TypeError(f"Tensor: expected numbers or an array of numbers, got {describe(data)}")
    if dtype is None and isinstance(data, (np.ndarray, np.floating)):
        if data.dtype in (np.float32, np.float64):
            return np.asarray(data)
    return np.asarray(data, dtype=resolve_dtype(dtype))


class Tensor:
    """An n-dimensional float array with optional gradient tracking.

    Args:
        data: numbers, nested lists or an ndarray. A float32 or float64 ndarray (or NumPy
            scalar) keeps its dtype, and an ndarray is not copied; anything else becomes
            ``floatx()`` (float32 by default).
        requires_grad: record operations on this tensor so ``backward()`` can fill ``.grad``.
        dtype: ``'float32'`` or ``'float64'`` to convert explicitly.

    Attributes:
        data: the ndarray. grad: the accumulated gradient (same shape), or None.
        logits: for sigmoid(z) or softmax(z), the tensor z, from which a cross-entropy is
            computed stably (as Keras keeps it); None otherwise.
    """

    __slots__ = ("data", "grad", "requires_grad", "name", "logits", "_parents", "_vjp", "_op",
                 "_retain")
    __array_ufunc__ = None  # make `ndarray + Tensor` use Tensor.__radd__

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = _to_array(data, dtype)
        self.grad = None
        self.requires_grad = check_bool(requires_grad, "requires_grad")
        self.name = None
        self.logits = None
        self._parents = ()
        self._vjp = None
        self._op = "leaf"
        self._retain = False

    # ----------------------------------------------------------------- graph construction
    @classmethod
    def _make(cls, data: np.ndarray, parents: tuple, vjp, op: str) -> Tensor:
        """Build an op's output; records the graph only when some parent needs a gradient."""
        out = cls.__new__(cls)
        out.data = np.asarray(data)  # NumPy gives 0-d results as scalars; keep an ndarray
        out.grad = None
        out.name = None
        out.logits = None
        out._retain = False
        out._op = op
        if is_grad_enabled() and any(p.requires_grad for p in parents):
            out.requires_grad = True
            out._parents = parents
            out._vjp = vjp
        else:
            out.requires_grad = False
            out._parents = ()
            out._vjp = None
        return out

    @property
    def is_leaf(self) -> bool:
        return self._vjp is None

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this intermediate tensor after ``backward()`` (like PyTorch)."""
        self._retain = True
        return self

    def detach(self) -> Tensor:
        """A tensor sharing this one's data, cut from the graph."""
        return Tensor(self.data)

    def zero_grad(self) -> None:
        self.grad = None

    # ----------------------------------------------------------------- backward
    def backward(self, grad=None) -> None:
        """Accumulate d(self)/d(leaf) into ``.grad`` of every leaf that requires a gradient.

        ``grad`` seeds the walk; it may be omitted only for a single-element tensor (dL/dL = 1).
        Gradients accumulate across calls, like PyTorch; call ``zero_grad()`` to reset.
        A call that cannot run raises :class:`BackwardError` (a ValueError).
        """
        if not self.requires_grad:
            raise BackwardError(
                "backward(): this tensor does not require a gradient (no input had "
                "requires_grad=True, or it was computed under no_grad())"
            )
        if grad is None:
            if self.data.size != 1:
                raise BackwardError(
                    f"backward(): a gradient argument is needed for a non-scalar tensor of shape "
                    f"{self.data.shape}; call .sum() first or pass grad of that shape"
                )
            seed = np.ones_like(self.data)
        else:
            seed = as_array(grad.data if isinstance(grad, Tensor) else grad, "backward(): grad",
                            finite=False)
            if seed.shape != self.data.shape:
                raise BackwardError(
                    f"backward(): grad has shape {seed.shape}, expected {self.data.shape}"
                )
            if not np.isfinite(seed).all():
                raise BackwardError("backward(): grad: expected finite numbers, got NaN or inf")
            seed = seed.astype(self.data.dtype)
        order = self._topological_order()
        grads = {id(self): seed}
        for node in order:
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node._vjp is None or node._retain:
                # a copy: g may be shared with other tensors' gradients or the caller's array
                node.grad = np.array(g) if node.grad is None else np.asarray(node.grad + g)
            if node._vjp is None:
                continue
            for parent, pg in zip(node._parents, node._vjp(g), strict=True):
                if pg is None or not parent.requires_grad:
                    continue
                if pg.shape != parent.data.shape:
                    raise RuntimeError(
                        f"internal error: op {node._op!r} gave a gradient of shape {pg.shape} "
                        f"for an input of shape {parent.data.shape}"
                    )
                if pg.dtype != parent.data.dtype:  # ops mixing float32 and float64 inputs
                    pg = pg.astype(parent.data.dtype)
                key = id(parent)
                if key in grads:
                    grads[key] = grads[key] + pg
                else:
                    grads[key] = pg

    def _topological_order(self) -> list[Tensor]:
        """Nodes reachable from self that need a gradient, each before the nodes it uses."""
        order = topological_order([self], _grad_parents)
        order.reverse()
        return order

    # ----------------------------------------------------------------- array protocol
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (shared, not copied)."""
        return self.data

    def item(self) -> float:
        return self.data.item()

    def __len__(self) -> int:
        return len(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", precision=4, prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self.data.dtype != np.float32:
            extra += f", dtype={self.data.dtype}"
        return f"Tensor({body}{extra})"

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        self._check_one_element("float()")
        return float(self.data)

    def _check_one_element(self, what: str) -> None:
        if self.data.size != 1:
            raise TypeError(f"{what}: expected a tensor with one element, got shape "
                            f"{self.data.shape}; reduce it first (e.g. .sum()) or index it")

    __hash__ = object.__hash__

    # comparisons give plain boolean arrays: they have no gradient
    def __lt__(self, other):
        return self.data < _raw(other)

    def __le__(self, other):
        return self.data <= _raw(other)

    def __gt__(self, other):
        return self.data > _raw(other)

    def __ge__(self, other):
        return self.data >= _raw(other)

    # The arithmetic operators (+, -, *, /, **, @, unary -, indexing) and the methods sum,
    # mean, max, min, exp, log, sqrt, abs, clip, reshape, transpose and T are the primitives of
    # rosenblatt.autodiff.ops and .shape_ops, which install them on this class; tanh, sigmoid
    # and relu are the activations of rosenblatt.nn.activations, installed there.


def _grad_parents(node: Tensor):
    return [p for p in node._parents if p.requires_grad]


def _raw(value):
    return value.data if isinstance(value, Tensor) else value


def as_tensor(value, dtype=None) -> Tensor:
    """``value`` itself if it is a Tensor, else a new constant Tensor."""
    if isinstance(value, Tensor):
        return value
    return Tensor(value, dtype=dtype)

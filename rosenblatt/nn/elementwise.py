"""The elementwise activation: one formula, g and g', in the two forms every path uses.

An :class:`Activation` owns its formula in two forms:

- on Tensors, for autodiff: calling it on a tensor gives a differentiable tensor, built from
  ``value(z)`` and ``derivative(z, y)`` on ndarrays (y = value(z), passed so derivatives such as
  sigmoid' = y (1 - y) reuse it);
- in place on arrays, for the graph-free paths (the fast training step, inference through
  the fused dense, one-row prediction): ``value_in_place(z)``, ``forward_in_place(z, scratch)
  -> (y, saved)`` and ``backward_in_place(g, saved, out) -> g g'(z)``. By default they fall
  back to ``value`` and ``derivative``; an activation may override them.

Compiled loops (numba, :mod:`rosenblatt.kernels`) register as other implementations of the
same in-place forms: an activation's ``compiled`` names its loops (:class:`Compiled`), and
:meth:`Activation.in_place` and :meth:`Activation.row_in_place` choose, in this one place,
between them and NumPy. The activations themselves, each defined once, are in
:mod:`rosenblatt.nn.activations`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rosenblatt.autodiff import ops
from rosenblatt.autodiff.tensor import Tensor, as_tensor


@dataclass(frozen=True)
class Compiled:
    """The names of an activation's compiled loops in :mod:`rosenblatt.kernels.numba_loops`
    (None: that form runs in NumPy).

    forward: ``(z, b, has_bias, keep)``: z (n, k) <- g(z + b) in place, what backward needs
        written into ``keep`` (an array like z), one pass.
    backward: ``(g, keep, out, bias_grad, has_bias)``: out <- g g'(z) and, when has_bias,
        bias_grad <- the column sums of out, one pass.
    row: ``(z, b, has_bias)``: z (k,) <- g(z + b) in place, for one sample.
    """

    forward: str | None = None
    backward: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class InPlace:
    """An activation's in-place forms on arrays, compiled or NumPy (:meth:`Activation.in_place`).

    forward: ``forward(z, b, scratch) -> (y, saved)``: y = g(z + b), computed in ``z`` where
        possible (b may be None); ``scratch()`` gives an array like z kept from step to step.
    backward: ``backward(g, saved, out, bias_grad) -> dL/dz = g g'(z)``, in ``out`` where possible.
    sums_bias: whether backward also writes the column sums of dL/dz into ``bias_grad`` (when
        not None); otherwise the caller sums them.
    """

    forward: Callable
    backward: Callable
    sums_bias: bool


def _loop(loops, name):
    """The compiled loop ``name`` of the kernels module ``loops``, or None."""
    return None if loops is None or name is None else getattr(loops, name)


def _row_form(compiled, loops):
    """The compiled loop ``row(z, b, has_bias)``: z (k,) <- g(z + b) in place (b is ignored
    without ``has_bias``), or None without one."""
    return _loop(loops, compiled.row)


class Activation:
    """An elementwise activation g with derivative g'.

    Args:
        name: the Keras name.
        value: ``value(z) -> g(z)`` on ndarrays.
        derivative: ``derivative(z, y) -> g'(z)`` on ndarrays, with ``y = g(z)``.
        formula: the formula, shown in ``repr`` and documentation.
        compiled: the names of its compiled loops, if any (:class:`Compiled`).
    """

    keeps_logits = False  # whether its output tensors keep z as .logits (sigmoid does)

    def __init__(self, name: str, value, derivative, formula: str,
                 compiled: Compiled = Compiled()):
        self.name = name
        self.value = _keep_dtype(value)
        self.derivative_from = derivative
        self.formula = formula
        self.compiled = compiled
        self.__name__ = name

    def __reduce__(self):
        return reduce_by_name(self)

    def derivative(self, z: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
        """g'(z), elementwise (y = g(z) may be given to save work)."""
        z = np.asarray(z)
        return np.asarray(self.derivative_from(z, self.value(z) if y is None else y), z.dtype)

    def __call__(self, x) -> Tensor:
        x = as_tensor(x)
        out = ops.elementwise(x, self.value(x.data), self.derivative, self.name)
        if self.keeps_logits:
            out.logits = x
        return out

    # ------------------------------------------------------------------ in place, on arrays
    def value_in_place(self, z: np.ndarray) -> np.ndarray:
        """g(z), overwriting the float array ``z`` when that saves a copy (for inference)."""
        return self.value(z)

    def forward_in_place(self, z: np.ndarray, scratch) -> tuple:
        """(g(z), what :meth:`backward_in_place` needs), computed in ``z`` when possible;
        ``scratch()`` gives an array like z that the result may keep."""
        y = self.value(z)
        return y, (z, y)

    def backward_in_place(self, g: np.ndarray, saved, out: np.ndarray) -> np.ndarray:
        """g g'(z), written into ``out`` when possible, from what the forward pass saved."""
        z, y = saved
        return np.multiply(g, self.derivative(z, y), out=out)

    def in_place(self, loops=None) -> InPlace:
        """The in-place forms on batches: the compiled loops this activation registers when
        ``loops`` (:func:`rosenblatt.kernels.loops`) is given, NumPy otherwise."""
        forward = _loop(loops, self.compiled.forward)
        backward = _loop(loops, self.compiled.backward)
        return InPlace(
            forward=self._numpy_forward if forward is None else _compiled_forward(forward),
            backward=(self._numpy_backward if backward is None
                      else _compiled_backward(backward)),
            sums_bias=backward is not None,
        )

    def row_in_place(self, loops):
        """``row(z, b, has_bias)``: z (k,) <- g(z + b) in the one sample z by a compiled loop,
        or None when ``loops`` is None or this activation has no compiled row form."""
        return _row_form(self.compiled, loops)

    def _numpy_forward(self, z, b, scratch):
        if b is not None:
            z += b
        return self.forward_in_place(z, scratch)

    def _numpy_backward(self, g, saved, out, bias_grad):
        return self.backward_in_place(g, saved, out)

    def __repr__(self) -> str:
        return f"<activation {self.name}: {self.formula}>"


def _compiled_forward(kernel):
    def forward(z, b, scratch):
        keep = scratch()
        kernel(z, z[0] if b is None else b, b is not None, keep)  # z[0]: any typed vector
        return z, keep

    return forward


def _compiled_backward(kernel):
    def backward(g, saved, out, bias_grad):
        kernel(g, saved, out, out[0] if bias_grad is None else bias_grad, bias_grad is not None)
        return out

    return backward


_PICKLED_BY_NAME: dict = {}  # the registered activations (rosenblatt.nn.activations fills it)


def pickle_by_name(activation) -> None:
    """Let ``activation``, a registered one, pickle as its name: unpickling then gives back the
    one registered object (code compares activations by identity), and carries no code."""
    _PICKLED_BY_NAME[activation.name] = activation


def by_name(name: str):
    """The registered activation ``name`` (what a pickled activation becomes again)."""
    return _PICKLED_BY_NAME[name]


def reduce_by_name(activation):
    """``__reduce__`` of activations: by name when registered, else a clear TypeError."""
    if _PICKLED_BY_NAME.get(activation.name) is not activation:
        raise TypeError(f"activation {activation!r} is not a registered activation, so it "
                        "cannot be pickled; use a registered name")
    return by_name, (activation.name,)


def _keep_dtype(fn):
    def value(z):
        z = np.asarray(z)
        out = fn(z)
        return out.astype(z.dtype, copy=False) if z.dtype.kind == "f" else out

    return value

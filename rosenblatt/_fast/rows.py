"""Predicting one sample through a plain stack of Dense layers with compiled loops.

For a single row, NumPy spends more time calling than computing: each Dense layer is a
matrix-vector product, a bias addition and one to five calls for the activation (softmax:
max, subtract, exp, sum, divide), a few microseconds each, next to products of a few
microseconds. Here each layer is the product (BLAS, into a fresh vector) and one compiled
call for bias and activation (``bias_activation_row``); the row's finiteness is checked by a
compiled loop too. Predicting one row of the notes' 784-256-128-10 network takes about half
the time of the NumPy layers.

It applies to models that :meth:`Model.chain` gives, made of Dense
layers whose activations are linear, ReLU, tanh, sigmoid or softmax, with Dropout (the
identity at inference) and Flatten between them, of one float type and at least
``_kernels.MIN_SIZE`` parameters, when numba is installed. The outputs equal the NumPy
layers' up to float rounding (``tests/test_rows.py``).
"""

from __future__ import annotations

import numpy as np

from rosenblatt import kernels as _kernels
from rosenblatt.nn import activations
from rosenblatt.nn.layers import Dense, Dropout, Flatten

CODES = {activations.linear: 0, activations.relu: 1, activations.tanh: 2,
         activations.sigmoid: 3, activations.softmax_activation: 4}


class RowPlan:
    """``plan(row)``: the output for one sample (an array of the input shape, of the plan's
    float type), or None when the row holds NaN or inf (the caller reports it)."""

    def __init__(self, dense, loops):
        self.dense = dense  # (Dense layer, its activation's code) in order
        self.loops = loops
        self.dtype = dense[0][0].kernel.data.dtype

    def __call__(self, row: np.ndarray):
        loops = self.loops
        x = row.reshape(-1)
        if not loops.all_finite(x):
            return None
        for layer, code in self.dense:
            W = layer.kernel.data
            z = np.matmul(x, W)
            bias = layer.bias
            if bias is None:
                loops.bias_activation_row(z, z, False, code)
            else:
                loops.bias_activation_row(z, bias.data, True, code)
            x = z
        return x


def _make(model):
    """A RowPlan for ``model``, None when the compiled loops do not apply, or False while a
    layer has no weights yet (nothing to decide)."""
    chain = model.chain()
    if not chain:
        return None
    dense, size = [], 0
    for layer in chain:
        if type(layer) is Dense:
            if not layer.built:
                return False
            code = next((c for act, c in CODES.items() if act is layer.activation), None)
            if code is None:
                return None
            dense.append((layer, code))
            size += sum(w.data.size for w in layer.weights)
        elif type(layer) not in (Dropout, Flatten):
            return None
    dtypes = {layer.kernel.data.dtype for layer, _ in dense}
    if len(dtypes) != 1 or dtypes.pop() not in (np.float32, np.float64):
        return None  # no Dense layer, or mixed or unusual float types
    loops = _kernels.loops(size)
    return None if loops is None else RowPlan(dense, loops)


def predict_row(model, row: np.ndarray):
    """``model``'s output for the one sample ``row`` through compiled loops, or None when
    they do not apply (see the module docstring) or ``row`` is not all finite.

    The plan (or its absence) is kept on the model with the layers and activations it was
    made for, and made again when either changes.
    """
    if not _kernels.ENABLED:
        return None
    layers = model.layers
    acts = [getattr(layer, "activation", None) for layer in layers]
    cached = model.__dict__.get("_row_plan")
    if cached is None or cached[0] != layers or cached[1] != acts:
        plan = _make(model)
        if plan is False:
            return None
        object.__setattr__(model, "_row_plan", (layers, acts, plan))
    else:
        plan = cached[2]
    if plan is None or row.dtype != plan.dtype:
        return None
    return plan(row)

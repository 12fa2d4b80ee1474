"""Predicting one sample through a plain stack of Dense layers with compiled loops.

For a single row, NumPy spends more time calling than computing: each Dense layer is a
matrix-vector product, a bias addition and one to five calls for the activation (softmax:
max, subtract, exp, sum, divide), a few microseconds each, next to products of a few
microseconds. Here each layer is the product (BLAS, into a fresh vector) and one compiled
call for bias and activation (the activation's ``row_in_place`` form); the row's finiteness
is checked by a compiled loop too. Predicting one row of the notes' 784-256-128-10 network
takes about half the time of the NumPy layers.

It applies to models that :meth:`Model.chain` gives, made of Dense layers whose activations
have a compiled row form (linear, ReLU, tanh, sigmoid, softmax), with Dropout (the identity at
inference) and Flatten between them, of one float type and at least ``kernels.MIN_SIZE``
parameters, when numba is installed; otherwise the NumPy layers predict. The outputs equal the NumPy
layers' up to float rounding (``tests/test_rows.py``).
"""

from __future__ import annotations

import numpy as np

from rosenblatt import kernels as _kernels
from rosenblatt.nn.layers import Dense, Dropout, Flatten


class RowPlan:
    """``plan(row)``: the output for one sample (an array of the input shape, of the plan's
    float type), or None when the row holds NaN or inf (the caller reports it)."""

    def __init__(self, dense, loops, shape):
        self.dense = dense  # (Dense layer, its activation's compiled row form) in order
        self.loops = loops
        self.dtype = dense[0][0].kernel.data.dtype
        # the shape of one sample, for predict_sample (None for one-feature models, whose
        # 1-D inputs are columns of samples)
        self.shape = None if tuple(shape) == (1,) else tuple(shape)

    def __call__(self, row: np.ndarray):
        x = row.reshape(-1)
        if not self.loops.all_finite(x):
            return None
        for layer, bias_activation in self.dense:
            z = np.matmul(x, layer.kernel.data)
            bias = layer.bias
            if bias is None:
                bias_activation(z, z, False)
            else:
                bias_activation(z, bias.data, True)
            x = z
        return x


NO_PLAN = "no plan"  # the compiled loops do not apply to the model


def _make(model):
    """A RowPlan for ``model``, None when the compiled loops do not apply, or False while a
    layer has no weights yet (nothing to decide)."""
    chain = model.chain()
    if not chain:
        return None
    layers = []
    for layer in chain:
        if type(layer) is Dense:
            if not layer.built:
                return False
            layers.append(layer)
        elif type(layer) not in (Dropout, Flatten):
            return None
    dtypes = {layer.kernel.data.dtype for layer in layers}
    if len(dtypes) != 1 or dtypes.pop() not in (np.float32, np.float64):
        return None  # no Dense layer, or mixed or unusual float types
    loops = _kernels.loops(sum(w.data.size for layer in layers for w in layer.weights))
    if loops is None:
        return None
    forms = [getattr(layer.activation, "row_in_place", lambda loops: None)(loops)
             for layer in layers]
    if any(form is None for form in forms):
        return None  # an activation without a compiled row form
    return RowPlan(list(zip(layers, forms, strict=True)), loops, model.input_shape)


def _plan(model):
    """The model's RowPlan, or None when the compiled loops do not apply (see the module
    docstring). The plan (or NO_PLAN) is kept in the model's workspace, which is made anew
    when the model's structure changes."""
    if not _kernels.ENABLED:
        return None
    workspace = model.workspace()
    plan = workspace.row_plan
    if plan is None:
        plan = _make(model)
        if plan is False:
            return None  # a layer has no weights yet: nothing to decide, nothing kept
        workspace.row_plan = plan = NO_PLAN if plan is None else plan
    return None if plan is NO_PLAN else plan


def predict_row(model, row: np.ndarray):
    """``model``'s output for the one sample ``row`` (already of the input shape) through
    compiled loops, or None when they do not apply or ``row`` is not all finite."""
    plan = _plan(model)
    if plan is None or row.dtype != plan.dtype:
        return None
    return plan(row)


def predict_sample(model, x: np.ndarray):
    """``model``'s output for ``x`` when ``x`` is one sample (an array of the input shape and
    of the plan's float type), before any other check; else None, and predict takes its
    general way (which converts x, or reports a bad x)."""
    plan = _plan(model)
    if plan is None or x.dtype != plan.dtype or x.shape != plan.shape:
        return None
    return plan(x)

"""rosenblatt: neural networks from McCulloch-Pitts neurons to backpropagation.

A library on NumPy alone that implements what an introductory course on neural networks
teaches, with Keras-style models, scikit-learn-style classic neurons, and a readable autodiff
core (numba, if installed, compiles the optimizer's update).

>>> import rosenblatt
>>> model = rosenblatt.Sequential([rosenblatt.layers.Dense(1, input_dim=2)])
>>> model.count_params()
3
"""

from rosenblatt import (
    activations,
    callbacks,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    schedules,
)
from rosenblatt.layers import Input
from rosenblatt.models import Model, Sequential, load_model
from rosenblatt.ops import (  # noqa: A004
    abs,
    add,
    clip,
    div,
    exp,
    log,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    neg,
    power,
    relu,
    sigmoid,
    sqrt,
    sub,
    sum,
    tanh,
    where,
)
from rosenblatt.random import set_seed
from rosenblatt.shape_ops import concatenate, getitem, reshape, stack, transpose
from rosenblatt.tensor import Tensor, as_tensor, floatx, is_grad_enabled, no_grad, set_floatx

__version__ = "0.1.0"

__all__ = [
    "Tensor", "as_tensor", "floatx", "is_grad_enabled", "no_grad", "set_floatx", "set_seed",
    "abs", "add", "clip", "div", "exp", "log", "matmul", "max", "maximum", "mean", "min",
    "minimum", "mul", "neg", "power", "relu", "sigmoid", "sqrt", "sub", "sum", "tanh", "where",
    "concatenate", "getitem", "reshape", "stack", "transpose",
    "activations", "callbacks", "datasets", "initializers", "layers", "losses", "metrics",
    "models", "optimizers", "regularizers", "schedules",
    "Input", "Model", "Sequential", "load_model",
]

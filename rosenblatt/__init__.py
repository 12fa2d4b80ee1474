"""rosenblatt: neural networks from McCulloch-Pitts neurons to backpropagation.

A library on NumPy alone that implements what an introductory course on neural networks
teaches, with Keras-style models, scikit-learn-style classic neurons, and a readable autodiff
core (numba, if installed, compiles the hottest loops).

The package is built in layers, each importing only the ones below it (README, "How it is
built"): ``base`` (checks, registries, seeds), ``autodiff`` (Tensor and its primitives),
``nn`` (activations, losses, initializers, optimizers, schedules, regularizers, metrics,
layers), ``_fast`` (the compiled and graph-free paths, private), ``training`` (the loop,
callbacks, progress), ``models`` (Sequential, Model, model files), and around them
``teaching`` (classic neurons, the scalar engine, explanations), ``datasets``, ``plot`` and
``cli``. The short public paths users import (``rosenblatt.layers``, ``rosenblatt.optimizers``,
``rosenblatt.classic``, ...) name those modules.

>>> import rosenblatt
>>> model = rosenblatt.Sequential([rosenblatt.layers.Dense(1, input_dim=2)])
>>> model.count_params()
3
"""

import importlib as _importlib
import sys as _sys

from rosenblatt import datasets, models
from rosenblatt.autodiff.ops import (  # noqa: A004
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
    sqrt,
    sub,
    sum,
    where,
)
from rosenblatt.autodiff.shape_ops import concatenate, getitem, reshape, stack, transpose
from rosenblatt.autodiff.tensor import (
    Tensor,
    as_tensor,
    floatx,
    is_grad_enabled,
    no_grad,
    set_floatx,
)
from rosenblatt.base.random import set_seed
from rosenblatt.models import Model, Sequential, load_model
from rosenblatt.nn import noise as _noise  # noqa: F401 (these register their layers)
from rosenblatt.nn import normalization as _normalization  # noqa: F401
from rosenblatt.nn import reshaping as _reshaping  # noqa: F401
from rosenblatt.nn.activations import relu, sigmoid, tanh
from rosenblatt.nn.layers import Input

# The public module paths and the modules they name.
PUBLIC_MODULES = {
    "tensor": "rosenblatt.autodiff.tensor",
    "ops": "rosenblatt.autodiff.keras_ops",
    "shape_ops": "rosenblatt.autodiff.shape_ops",
    "gradcheck": "rosenblatt.autodiff.gradcheck",
    "random": "rosenblatt.base.random",
    "activations": "rosenblatt.nn.activations",
    "fused": "rosenblatt.nn.fused",
    "losses": "rosenblatt.nn.losses",
    "initializers": "rosenblatt.nn.initializers",
    "schedules": "rosenblatt.nn.schedules",
    "optimizers": "rosenblatt.nn.optimizers",
    "regularizers": "rosenblatt.nn.regularizers",
    "metrics": "rosenblatt.nn.metrics",
    "layers": "rosenblatt.nn.layers",
    "merge": "rosenblatt.nn.merge",
    "functional": "rosenblatt.nn.functional",
    "callbacks": "rosenblatt.training.callbacks",
    "saving": "rosenblatt.models.saving",
    "classic": "rosenblatt.teaching.classic",
    "micro": "rosenblatt.teaching.micro",
    "explain": "rosenblatt.teaching.explain",
    "graph": "rosenblatt.graph",
    "utils": "rosenblatt.utils",
}
for _name, _target in PUBLIC_MODULES.items():
    _module = _importlib.import_module(_target)
    _sys.modules[f"{__name__}.{_name}"] = _module
    globals()[_name] = _module
    for _sub in [key for key in _sys.modules if key.startswith(f"{_target}.")]:
        # a package's modules under the public path too (rosenblatt.micro.nn is
        # rosenblatt.teaching.micro.nn), so that importing either gives the same module
        _sys.modules[f"{__name__}.{_name}{_sub[len(_target):]}"] = _sys.modules[_sub]

__version__ = "0.1.0"

__all__ = [
    "Tensor", "as_tensor", "floatx", "is_grad_enabled", "no_grad", "set_floatx", "set_seed",
    "abs", "add", "clip", "div", "exp", "log", "matmul", "max", "maximum", "mean", "min",
    "minimum", "mul", "neg", "power", "relu", "sigmoid", "sqrt", "sub", "sum", "tanh", "where",
    "concatenate", "getitem", "reshape", "stack", "transpose",
    "activations", "callbacks", "datasets", "initializers", "layers", "losses", "metrics",
    "models", "optimizers", "regularizers", "schedules", "utils",
    "Input", "Model", "Sequential", "load_model",
]

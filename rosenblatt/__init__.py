"""rosenblatt: neural networks from McCulloch-Pitts neurons to backpropagation.

A NumPy-only library that implements what an introductory course on neural networks teaches,
with Keras-style models, scikit-learn-style classic neurons, and a readable autodiff core.

>>> import rosenblatt
>>> model = rosenblatt.Sequential([rosenblatt.layers.Dense(1, input_dim=2)])
>>> model.count_params()
3
"""

from rosenblatt.tensor import Tensor, as_tensor, floatx, is_grad_enabled, no_grad, set_floatx
from rosenblatt.ops import (
    abs, add, clip, div, exp, log, matmul, maximum, mean, minimum, mul, neg, power, sqrt, sub,
    sum, tanh, sigmoid, relu, where,
)
from rosenblatt.ops import max, min  # noqa: A004
from rosenblatt.shape_ops import concatenate, getitem, reshape, stack, transpose
from rosenblatt.random import set_seed
from rosenblatt import (
    activations, callbacks, datasets, initializers, layers, losses, metrics, optimizers,
    regularizers, schedules,
)
from rosenblatt.layers import Input
from rosenblatt.models import Model, Sequential, load_model
from rosenblatt import models

__version__ = "0.1.0"

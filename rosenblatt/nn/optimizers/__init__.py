"""Optimizers: gradient-descent update rules, applied in place (Keras names, PyTorch formulas).

A model keeps its parameters in one flat float32 vector theta and its gradients in a matching
vector g, and calls ``optimizer.apply([theta], [g])`` once per step. Each update (modules
``sgd``, ``adaptive``, ``adam``, on the base class in ``base``) is a handful of in-place NumPy
operations on preallocated slot buffers (one scratch buffer per parameter array, built lazily
on the first call), so a step allocates no arrays however many layers the model has.

Where PyTorch and Keras differ (Adam's and RMSprop's epsilon, RMSprop's momentum buffer,
Nesterov momentum, Adagrad's defaults), the formulas follow PyTorch; each class says how.
Lectures 004 (gradient descent, AdaGrad, RMSprop, Adam) and 003 (momentum).

The learning-rate schedules are here too, as ``optimizers.schedules``, as Keras has them
(the module :mod:`rosenblatt.nn.schedules`).

>>> import numpy as np
>>> theta, g = np.array([1.0, -2.0], np.float32), np.array([0.5, 0.5], np.float32)
>>> opt = get("sgd")
>>> opt.apply([theta], [g])
>>> theta
array([ 0.995, -2.005], dtype=float32)
"""

from __future__ import annotations

import sys

from rosenblatt.base.registry import Registry
from rosenblatt.nn import schedules
from rosenblatt.nn.optimizers.adam import Adam, AdamW
from rosenblatt.nn.optimizers.adam_family import Adamax, Lion, Nadam
from rosenblatt.nn.optimizers.adaptive import Adagrad, RMSprop
from rosenblatt.nn.optimizers.base import Optimizer
from rosenblatt.nn.optimizers.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Adamax", "Lion", "Nadam", "Optimizer",
           "RMSprop", "get", "registry", "schedules", "serialize"]

# ``import rosenblatt.optimizers.schedules`` as in Keras (``keras.optimizers.schedules``)
sys.modules[f"{__name__}.schedules"] = schedules

# The names, in the order error messages list them.
registry = Registry("optimizer")
registry.add("sgd", SGD)
registry.add("adagrad", Adagrad)
registry.add("rmsprop", RMSprop)
registry.add("adam", Adam)
registry.add("adamw", AdamW)
registry.add("nadam", Nadam)
registry.add("adamax", Adamax)
registry.add("lion", Lion)


def serialize(optimizer: Optimizer) -> dict:
    """``{'class_name': ..., 'config': ...}`` for an optimizer (JSON-serializable).

    >>> serialize(SGD(momentum=0.9))["config"]["momentum"]
    0.9
    """
    return registry.serialize(optimizer, Optimizer)


def get(identifier) -> Optimizer:
    """An optimizer from a name (case-insensitive), a config dict or an instance.

    Args:
        identifier: ``'sgd'``, ``'adam'``, ``'adamw'``, ``'rmsprop'``, ``'adagrad'``,
            ``'nadam'``, ``'adamax'``, ``'lion'``;
            ``{'class_name': 'Adam', 'config': {...}}``; or an :class:`Optimizer`.

    >>> get("Adam").beta_2
    0.999
    """
    return registry.get(identifier, Optimizer, optional=False, convert=None,
                        expected="a name, a config dict or an Optimizer")

"""Adaptive learning rates from the squared gradients: AdaGrad and RMSprop (PyTorch's forms).

Both divide the gradient by a root of accumulated squared gradients, so that each parameter
gets its own step size: AdaGrad sums them for ever, RMSprop keeps a decaying average.

Lecture 004 (AdaGrad, RMSprop).
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import check_positive
from rosenblatt.nn.optimizers.base import (
    Optimizer,
    _check_bool,
    _check_nonnegative,
    _check_unit,
)


class Adagrad(Optimizer):
    """AdaGrad: per-parameter learning rates shrinking with the accumulated squared gradients.

    Formula (PyTorch's form, epsilon outside the square root):
        G <- G + g^2
        theta <- theta - eta g / (sqrt(G) + epsilon)
    Keras uses sqrt(G + epsilon) and defaults initial_accumulator_value=0.1, epsilon=1e-7; the
    defaults here are PyTorch's (0.0 and 1e-10).

    Args:
        learning_rate: eta (default 0.001).
        initial_accumulator_value: G_0 >= 0.
        epsilon: > 0, keeps the denominator positive.
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> Adagrad(learning_rate=0.5).apply([theta], [np.array([3.0], np.float32)])
    >>> theta
    array([0.5], dtype=float32)

    Lecture 004 (AdaGrad); Duchi, Hazan and Singer (2011).
    """

    _config_keys = ("initial_accumulator_value", "epsilon")

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.0, epsilon=1e-10, **kw):
        super().__init__(learning_rate, **kw)
        self.initial_accumulator_value = _check_nonnegative(
            initial_accumulator_value, "initial_accumulator_value"
        )
        self.epsilon = float(check_positive(epsilon, "epsilon"))

    def _slot_names(self):
        return ("accumulator",)

    def _init_slot(self, name, like):
        return np.full_like(like, self.initial_accumulator_value)

    def _update(self, theta, g, slots, s, eta, t):
        G = slots["accumulator"]
        np.multiply(g, g, out=s)
        G += s
        np.sqrt(G, out=s)
        s += self.epsilon
        np.divide(g, s, out=s)
        s *= eta
        theta -= s


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root-mean-square of recent gradients.

    Formula (PyTorch's form; rho is the notes' alpha):
        v <- rho v + (1 - rho) g^2
        centered:  gbar <- rho gbar + (1 - rho) g,  denom = sqrt(max(v - gbar^2, 0)) + epsilon
        otherwise: denom = sqrt(v) + epsilon
        momentum mu > 0: buf <- mu buf + g / denom,  theta <- theta - eta buf
        otherwise:       theta <- theta - eta g / denom
    Keras (like the notes) puts epsilon inside the square root, sqrt(v + epsilon), and
    accumulates eta-scaled steps in its momentum buffer.

    Args:
        learning_rate: eta (default 0.001).
        rho: decay of the squared-gradient average, in [0, 1).
        momentum: mu in [0, 1).
        epsilon: > 0.
        centered: normalize by the estimated variance instead of the second moment.
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> RMSprop(learning_rate=0.1, rho=0.75).apply([theta], [np.array([4.0], np.float32)])
    >>> theta  # v = 0.25 * 16 = 4, step 0.1 * 4 / 2
    array([0.8], dtype=float32)

    Lecture 004 (RMSprop); Tieleman and Hinton (2012), Graves (2013) for the centered form.
    """

    _config_keys = ("rho", "momentum", "epsilon", "centered")

    def __init__(
        self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kw
    ):
        super().__init__(learning_rate, **kw)
        self.rho = _check_unit(rho, "rho")
        self.momentum = _check_unit(momentum, "momentum")
        self.epsilon = float(check_positive(epsilon, "epsilon"))
        self.centered = _check_bool(centered, "centered")

    def _slot_names(self):
        names = ("velocity", "average_gradient") if self.centered else ("velocity",)
        return names + ("momentum",) if self.momentum > 0 else names

    def _update(self, theta, g, slots, s, eta, t):
        rho = self.rho
        v = slots["velocity"]
        np.multiply(g, g, out=s)
        s *= 1 - rho
        v *= rho
        v += s
        if self.centered:
            gbar = slots["average_gradient"]
            np.multiply(g, 1 - rho, out=s)
            gbar *= rho
            gbar += s
            np.multiply(gbar, gbar, out=s)
            np.subtract(v, s, out=s)
            np.maximum(s, 0, out=s)
            np.sqrt(s, out=s)
        else:
            np.sqrt(v, out=s)
        s += self.epsilon
        np.divide(g, s, out=s)
        if self.momentum > 0:
            buf = slots["momentum"]
            buf *= self.momentum
            buf += s
            np.multiply(buf, eta, out=s)
        else:
            s *= eta
        theta -= s

"""Stochastic gradient descent, with momentum and Nesterov momentum (PyTorch's formulas).

Lectures 004 (theta <- theta - eta grad L) and 003 (momentum).
"""

from __future__ import annotations

import numpy as np

from rosenblatt.nn.optimizers.base import (
    Optimizer,
    _check_bool,
    _check_nonnegative,
    _check_unit,
)


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

    Formula (PyTorch's form; v starts at 0, so v_1 = d):
        d = g + weight_decay * theta
        v <- mu v + d                       (mu = momentum; skipped when mu = 0, then v = d)
        theta <- theta - eta v              (plain or heavy-ball momentum)
        theta <- theta - eta (d + mu v)     (nesterov)
    Keras writes momentum as v <- mu v - eta g, theta <- theta + v, and Nesterov as
    theta <- theta + mu v - eta g; both agree with these while eta is constant.

    Args:
        learning_rate: eta (default 0.01), float, schedule or callable.
        momentum: mu in [0, 1).
        nesterov: use Nesterov momentum (needs momentum > 0).
        weight_decay: L2 coefficient >= 0 added to the gradient (coupled, as in PyTorch's SGD).
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> SGD(learning_rate=0.1).apply([theta], [np.array([2.0], np.float32)])
    >>> theta
    array([0.8], dtype=float32)

    Lectures 004 (theta <- theta - eta grad L), 003 (momentum); Polyak (1964), Nesterov (1983).
    """

    _config_keys = ("momentum", "nesterov", "weight_decay")

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=0.0, **kw):
        super().__init__(learning_rate, **kw)
        self.momentum = _check_unit(momentum, "momentum")
        self.nesterov = _check_bool(nesterov, "nesterov")
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov: Nesterov momentum needs momentum > 0, got momentum=0.0")
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")

    def _slot_names(self):
        return ("momentum",) if self.momentum > 0 else ()

    def _update(self, theta, g, slots, s, eta, t):
        mu, wd = self.momentum, self.weight_decay
        if wd:
            np.multiply(theta, wd, out=s)
            s += g  # s = d
            g = s
        if mu == 0:
            np.multiply(g, eta, out=s)
            theta -= s
            return
        v = slots["momentum"]
        v *= mu
        v += g
        if self.nesterov:
            np.multiply(g, eta, out=s)
            theta -= s
            np.multiply(v, eta * mu, out=s)
        else:
            np.multiply(v, eta, out=s)
        theta -= s

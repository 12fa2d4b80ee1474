"""Adam and AdamW: momentum and RMSprop scaling, bias-corrected (PyTorch's formulas).

Lecture 004 (Adam: "RMSprop with smoothing"); Kingma and Ba (2015), Loshchilov and Hutter (2019).
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt import kernels as _kernels
from rosenblatt.base.checks import check_positive
from rosenblatt.nn.optimizers.base import (
    Optimizer,
    _check_bool,
    _check_nonnegative,
    _check_unit,
)


class Adam(Optimizer):
    """Adam: momentum on the gradient and RMSprop scaling, both bias-corrected.

    Formula (PyTorch's form, epsilon added to sqrt(v_hat)):
        m <- beta_1 m + (1 - beta_1) g          m_hat = m / (1 - beta_1^t)
        v <- beta_2 v + (1 - beta_2) g^2        v_hat = v / (1 - beta_2^t)
        amsgrad: v_max <- max(v_max, v), used in place of v
        theta <- theta - eta m_hat / (sqrt(v_hat) + epsilon)
    Keras adds epsilon to sqrt(v) instead of sqrt(v_hat), i.e. its epsilon is this one times
    sqrt(1 - beta_2^t).

    For speed (ten in-place NumPy passes per step, or one compiled pass when numba is installed:
    see ``rosenblatt.kernels``) the slots hold the undamped sums
    m_sum = m / (1 - beta_1) and v_sum = v / (1 - beta_2), updated as m_sum <- beta_1 m_sum + g
    and v_sum <- beta_2 v_sum + g^2; with c1 = (1 - beta_1^t) / (1 - beta_1) and
    c2 = (1 - beta_2^t) / (1 - beta_2) the step is the same number as above:
        theta <- theta - (eta sqrt(c2) / c1) m_sum / (sqrt(v_sum) + epsilon sqrt(c2)).

    Args:
        learning_rate: eta (default 0.001).
        beta_1: decay of the first moment m, in [0, 1).
        beta_2: decay of the second moment v, in [0, 1).
        epsilon: > 0.
        amsgrad: use the running maximum of v (Reddi, Kale and Kumar, 2018).
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> Adam(learning_rate=0.1).apply([theta], [np.array([5.0], np.float32)])
    >>> theta  # the first step moves every coordinate by about eta
    array([0.9], dtype=float32)

    Lecture 004 (Adam: "RMSprop with smoothing"); Kingma and Ba (2015).
    """

    _config_keys = ("beta_1", "beta_2", "epsilon", "amsgrad")

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False, **kw
    ):
        super().__init__(learning_rate, **kw)
        self.beta_1 = _check_unit(beta_1, "beta_1")
        self.beta_2 = _check_unit(beta_2, "beta_2")
        self.epsilon = float(check_positive(epsilon, "epsilon"))
        self.amsgrad = _check_bool(amsgrad, "amsgrad")

    def _slot_names(self):
        return ("m_sum", "v_sum", "v_sum_max") if self.amsgrad else ("m_sum", "v_sum")

    def _coefficients(self, eta, t):
        """(epsilon sqrt(c2), eta sqrt(c2) / c1) of step t (see the class docstring)."""
        b1, b2 = self.beta_1, self.beta_2
        c1 = (1 - b1**t) / (1 - b1)
        root_c2 = math.sqrt((1 - b2**t) / (1 - b2))
        return self.epsilon * root_c2, eta * root_c2 / c1

    def _decay(self, eta) -> float:
        return 1.0  # AdamW: 1 - eta weight_decay

    def _update(self, theta, g, slots, s, eta, t):
        eps, coef = self._coefficients(eta, t)
        vmax = slots["v_sum_max"] if self.amsgrad else None
        arrays = (theta, g, slots["m_sum"], slots["v_sum"], vmax)
        # the one choice: the compiled pass when it applies, else NumPy (same signature)
        step = _kernels.adam if _kernels.fits(*arrays) else self._numpy_step
        step(*arrays, s, b1=self.beta_1, b2=self.beta_2, eps=eps, coef=coef,
             decay=self._decay(eta))

    @staticmethod
    def _numpy_step(theta, g, m, v, vmax, s, *, b1, b2, eps, coef, decay):
        """One Adam step in ten in-place NumPy passes (``s``: scratch like theta)."""
        if decay != 1.0:
            theta *= decay
        m *= b1
        m += g
        np.multiply(g, g, out=s)
        v *= b2
        v += s
        if vmax is not None:
            v = np.maximum(vmax, v, out=vmax)
        np.sqrt(v, out=s)
        s += eps
        np.divide(m, s, out=s)
        s *= coef
        theta -= s


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (PyTorch's AdamW).

    Formula: theta <- theta (1 - eta weight_decay), then the :class:`Adam` step.

    Args:
        learning_rate: eta (default 0.001).
        weight_decay: >= 0 (default 0.01).
        beta_1, beta_2, epsilon, amsgrad: as in :class:`Adam` (keyword arguments).
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> AdamW(learning_rate=0.1, weight_decay=0.5).apply([theta], [np.array([5.0], np.float32)])
    >>> theta.round(4)  # 1 * (1 - 0.05) - 0.1
    array([0.85], dtype=float32)

    Lecture 004 (Adam); Loshchilov and Hutter (2019).
    """

    _config_keys = ("weight_decay",) + Adam._config_keys

    def __init__(self, learning_rate=0.001, weight_decay=0.01, **kw):
        super().__init__(learning_rate, **kw)
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")

    def _decay(self, eta) -> float:
        return 1 - eta * self.weight_decay

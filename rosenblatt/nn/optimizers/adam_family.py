"""Nadam, Adamax and Lion: Adam's relatives (Keras names, PyTorch's formulas where they differ).

Each updates the flat parameter vector in a few in-place NumPy passes on its slot buffers,
like :class:`~rosenblatt.nn.optimizers.adam.Adam`.

Dozat (2016) for Nadam, Kingma and Ba (2015) for Adamax, Chen et al. (2023) for Lion.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import check_positive
from rosenblatt.nn.optimizers.base import Optimizer, _check_unit


class _Moments(Optimizer):
    """The shared arguments: learning_rate, beta_1, beta_2 and (if any) epsilon."""

    _config_keys = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kw):
        super().__init__(learning_rate, **kw)
        self.beta_1 = _check_unit(beta_1, "beta_1")
        self.beta_2 = _check_unit(beta_2, "beta_2")
        self.epsilon = float(check_positive(epsilon, "epsilon"))


class Nadam(_Moments):
    """Nadam: Adam with Nesterov momentum and Dozat's momentum schedule (Keras' and PyTorch's
    NAdam are the same formula)::

        mu_t = beta_1 (1 - 0.5 * 0.96^(0.004 t)),   P_t = mu_1 mu_2 ... mu_t
        m <- beta_1 m + (1 - beta_1) g,   v <- beta_2 v + (1 - beta_2) g^2
        theta <- theta - eta [(1 - mu_t) / (1 - P_t) g + mu_{t+1} / (1 - P_t mu_{t+1}) m]
                          / (sqrt(v / (1 - beta_2^t)) + epsilon)

    Args: learning_rate (0.001), beta_1 (0.9), beta_2 (0.999), epsilon (1e-7: Keras'
    defaults; PyTorch's are 0.002 and 1e-8), and ``clipnorm``, ``clipvalue``, ``name``.

    >>> theta = np.array([1.0], np.float32)
    >>> Nadam(learning_rate=0.1).apply([theta], [np.array([5.0], np.float32)])
    >>> theta.round(3)  # eta (1 + mu_2 (1 - beta_1) / (1 - mu_1 mu_2)): a bit more than eta
    array([0.894], dtype=float32)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kw):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, **kw)
        self._products = (0, 1.0)  # (t, P_t): P_t is the product of mu_1 ... mu_t

    def _slot_names(self):
        return ("m", "v")

    def _mu(self, t: int) -> float:
        return self.beta_1 * (1 - 0.5 * 0.96 ** (0.004 * t))

    def _product(self, t: int) -> float:
        """P_t, one factor more than the last step's (from scratch after a resume)."""
        done, product = self._products
        if done > t:
            done, product = 0, 1.0
        for k in range(done + 1, t + 1):
            product *= self._mu(k)
        self._products = (t, product)
        return product

    def _update(self, theta, g, slots, s, eta, t):
        m, v = slots["m"], slots["v"]
        b1, b2 = self.beta_1, self.beta_2
        mu, mu_next, product = self._mu(t), self._mu(t + 1), self._product(t)
        m *= b1
        m += (1 - b1) * g
        np.multiply(g, g, out=s)
        s *= 1 - b2
        v *= b2
        v += s
        np.divide(v, 1 - b2**t, out=s)
        np.sqrt(s, out=s)
        s += self.epsilon  # s = the denominator
        theta -= (eta * (1 - mu) / (1 - product)) * g / s
        theta -= (eta * mu_next / (1 - product * mu_next)) * m / s


class Adamax(_Moments):
    """Adamax: Adam with the infinity norm in place of the second moment (PyTorch's form)::

        m <- beta_1 m + (1 - beta_1) g,   u <- max(beta_2 u, |g| + epsilon)
        theta <- theta - eta / (1 - beta_1^t) m / u

    Keras writes u <- max(beta_2 u, |g|) and divides by u + epsilon instead.

    Args: learning_rate (0.001), beta_1 (0.9), beta_2 (0.999), epsilon (1e-7: Keras'
    defaults; PyTorch's are 0.002 and 1e-8), and ``clipnorm``, ``clipvalue``, ``name``.

    >>> theta = np.array([1.0], np.float32)
    >>> Adamax(learning_rate=0.1).apply([theta], [np.array([5.0], np.float32)])
    >>> theta.round(3)
    array([0.9], dtype=float32)
    """

    def _slot_names(self):
        return ("m", "u")

    def _update(self, theta, g, slots, s, eta, t):
        m, u = slots["m"], slots["u"]
        m *= self.beta_1
        m += (1 - self.beta_1) * g
        np.abs(g, out=s)
        s += self.epsilon
        u *= self.beta_2
        np.maximum(u, s, out=u)
        np.divide(m, u, out=s)
        s *= eta / (1 - self.beta_1**t)
        theta -= s


class Lion(_Moments):
    """Lion (evolved sign momentum, Chen et al. 2023; Keras' Lion)::

        theta <- theta - eta sign(beta_1 m + (1 - beta_1) g)
        m <- beta_2 m + (1 - beta_2) g

    Every coordinate moves by exactly eta (or 0), so its learning rate is usually 3 to 10
    times smaller than Adam's.

    Args: learning_rate (0.001), beta_1 (0.9), beta_2 (0.99), and ``clipnorm``, ``clipvalue``,
    ``name``.

    >>> theta = np.array([1.0, 1.0], np.float32)
    >>> Lion(learning_rate=0.1).apply([theta], [np.array([5.0, -0.1], np.float32)])
    >>> theta
    array([0.9, 1.1], dtype=float32)
    """

    _config_keys = ("beta_1", "beta_2")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kw):
        super().__init__(learning_rate, beta_1, beta_2, 1.0, **kw)  # Lion has no epsilon

    def _slot_names(self):
        return ("m",)

    def _update(self, theta, g, slots, s, eta, t):
        m = slots["m"]
        np.multiply(m, self.beta_1, out=s)
        s += (1 - self.beta_1) * g
        np.sign(s, out=s)
        s *= eta
        theta -= s
        m *= self.beta_2
        m += (1 - self.beta_2) * g



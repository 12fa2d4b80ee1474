"""Weight regularizers: penalties added to the loss to keep weights small (Keras names).

A regularizer R turns a weight array W into a penalty R(W) (a float, added to the loss) and a
gradient dR/dW (same shape as W, added to the weights' gradient). Keras' formulas, with no 1/2:
R(W) = l1 * sum |W| + l2 * sum W^2. The penalty is summed in float64; coefficients or weights
so large that it overflows give inf (as NumPy does), and fit then stops as for any loss that is
not finite.

Lecture 003 (summary: "methods to improve convergence and quality: ... regularization"), 002
(the playground's "Regularization" setting).

>>> import numpy as np
>>> get("l2")(np.array([3.0, -4.0]))
0.25
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import as_array, check_positive
from rosenblatt.base.registry import Configurable, Registry

registry = Registry("regularizer")


class Regularizer(Configurable):
    """Base class: ``penalty(W) -> float``, ``gradient(W) -> ndarray``; calling it gives the
    penalty. Subclasses implement both and name their arguments in ``_config_keys``.

    >>> L2(0.5)(np.ones((2, 2)))
    2.0

    Lecture 003 (regularization).
    """

    def __call__(self, w) -> float:
        return self.penalty(w)

    def penalty(self, w) -> float:
        """R(W), a float."""
        raise NotImplementedError

    def gradient(self, w) -> np.ndarray:
        """dR/dW, an array shaped like W."""
        raise NotImplementedError


def _weights(w) -> np.ndarray:
    w = as_array(w, "w")
    return w if w.dtype.kind == "f" else w.astype(np.float64)


@registry.register("l1_l2")
class L1L2(Regularizer):
    """L1 and L2 penalties together (elastic net).

    Formula: R(W) = l1 * sum_ij |W_ij| + l2 * sum_ij W_ij^2,
    dR/dW = l1 * sign(W) + 2 * l2 * W (with sign(0) = 0, a subgradient of |W| at 0).

    Args:
        l1: coefficient >= 0 of the L1 term (default 0.0).
        l2: coefficient >= 0 of the L2 term (default 0.0).

    Methods take ``w``, an array of any shape; ``penalty`` returns a float (summed in float64),
    ``gradient`` an array of ``w``'s shape and float dtype.

    >>> r = L1L2(l1=0.1, l2=0.5)
    >>> r.penalty(np.array([1.0, -2.0]))  # 0.1 * 3 + 0.5 * 5
    2.8
    >>> r.gradient(np.array([1.0, -2.0]))  # 0.1 * sign + 2 * 0.5 * w
    array([ 1.1, -2.1])

    Lecture 003 (regularization); Keras ``L1L2``; Tibshirani (1996), Zou and Hastie (2005).
    """

    _config_keys = ("l1", "l2")

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = float(check_positive(l1, "l1", allow_zero=True))
        self.l2 = float(check_positive(l2, "l2", allow_zero=True))

    def penalty(self, w) -> float:
        w = _weights(w)
        total = 0.0
        if self.l1:
            total += self.l1 * float(np.abs(w).sum(dtype=np.float64))
        if self.l2:
            total += self.l2 * float(np.square(w).sum(dtype=np.float64))
        return total

    def gradient(self, w) -> np.ndarray:
        w = _weights(w)
        grad = np.multiply(w, 2 * self.l2)
        if self.l1:
            grad += self.l1 * np.sign(w)
        return grad


@registry.register("l1")
class L1(L1L2):
    """L1 penalty (lasso): drives weights to exactly zero.

    Formula: R(W) = l1 * sum_ij |W_ij|, dR/dW = l1 * sign(W) (sign(0) = 0).

    Args:
        l1: coefficient >= 0 (default 0.01).

    >>> L1(0.5)(np.array([[1.0, -3.0]]))
    2.0

    Lecture 003 (regularization); Keras ``L1``.
    """

    _config_keys = ("l1",)

    def __init__(self, l1: float = 0.01):
        super().__init__(l1=l1)


@registry.register("l2")
class L2(L1L2):
    """L2 penalty (weight decay, ridge): shrinks weights towards zero.

    Formula: R(W) = l2 * sum_ij W_ij^2, dR/dW = 2 * l2 * W (Keras' form, no 1/2).

    Args:
        l2: coefficient >= 0 (default 0.01).

    >>> L2(0.5).gradient(np.array([1.0, -3.0]))
    array([ 1., -3.])

    Lecture 003 (regularization); Keras ``L2``; Hoerl and Kennard (1970).
    """

    _config_keys = ("l2",)

    def __init__(self, l2: float = 0.01):
        super().__init__(l2=l2)


def serialize(regularizer: Regularizer) -> dict:
    """``{'class_name': ..., 'config': ...}`` for a regularizer (JSON-serializable).

    >>> serialize(L2(0.1))
    {'class_name': 'L2', 'config': {'l2': 0.1}}
    """
    return registry.serialize(regularizer, Regularizer)


def get(identifier):
    """A regularizer from a name, a config dict, an instance or a plain callable.

    Args:
        identifier: ``'l1'``, ``'l2'`` or ``'l1_l2'`` (Keras' default coefficients); a config
            dict ``{'class_name': 'L2', 'config': {'l2': 0.001}}``; a :class:`Regularizer`; a
            callable ``f(W) -> float`` (returned as is); or None (returned as None).

    >>> get({"class_name": "L1", "config": {"l1": 0.2}})
    L1(l1=0.2)
    """
    return registry.get(identifier, Regularizer)

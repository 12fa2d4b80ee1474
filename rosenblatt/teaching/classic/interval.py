"""Which weights make one threshold neuron compute NAND: the lecture 001 quiz, solved exactly."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from rosenblatt.base.checks import describe


@dataclass(frozen=True)
class Interval:
    """A set of real numbers between ``low`` and ``high``, each end open or closed.

    ``value in interval`` tests membership; an empty interval contains nothing. It is the
    answer type of :func:`nand_interval` (lecture 001, L11).

    >>> w2 = Interval(-1.0, -0.7, low_closed=True, high_closed=False)
    >>> str(w2), -1.0 in w2, -0.7 in w2
    ('[-1, -0.7)', True, False)
    """

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    @classmethod
    def empty(cls) -> Interval:
        """The interval that contains no number."""
        return cls(0.0, 0.0, low_closed=False, high_closed=False)

    @property
    def is_empty(self) -> bool:
        """True when no number lies in the interval."""
        if self.low == self.high:
            return not (self.low_closed and self.high_closed)
        return self.low > self.high

    def __contains__(self, value) -> bool:
        if self.is_empty:
            return False
        above = value >= self.low if self.low_closed else value > self.low
        below = value <= self.high if self.high_closed else value < self.high
        return bool(above and below)

    def __str__(self) -> str:
        if self.is_empty:
            return "{}"
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{self.low:g}, {self.high:g}{right}"


def nand_interval(w0: float, w1: float) -> Interval:
    """All w2 for which ``tau(w0 + w1 x1 + w2 x2)`` is NAND(x1, x2), ``tau(z) = [z >= 0]``.

    **Formula**: NAND is 0 only at x1 = x2 = 1, so the four rows require::

        (0, 0): w0 >= 0            (1, 0): w0 + w1 >= 0
        (0, 1): w0 + w2 >= 0       (1, 1): w0 + w1 + w2 < 0

    The first two involve only the given weights; if they hold, the last two give
    ``w2 in [-w0, -(w0 + w1))``, which is non-empty exactly when w1 < 0. Otherwise no w2 works
    and the result is :meth:`Interval.empty`.

    Args:
        w0: the bias weight (a finite number).
        w1: the weight of x1 (a finite number).

    Returns:
        An :class:`Interval`, closed at the low end and open at the high end when non-empty.

    >>> str(nand_interval(1, -0.3))
    '[-1, -0.7)'

    Lecture 001, in-class quiz 3 (example L11).
    """
    w0 = _finite(w0, "w0")
    w1 = _finite(w1, "w1")
    if w0 < 0 or w0 + w1 < 0 or w1 >= 0:
        return Interval.empty()
    return Interval(-w0, -(w0 + w1), low_closed=True, high_closed=False)


def _finite(value, name: str) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name}: expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return float(value)

"""Learning-rate schedules: the learning rate eta as a function of the step (Keras names).

A schedule is a callable of the 0-based step ``t`` (the number of updates already made) that
returns the learning rate for the next update. An optimizer given a schedule as its
``learning_rate`` asks it once per step. Lecture 004 ("guideline on learning rate": too large
diverges, too small crawls) motivates starting large and decaying.

>>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20)
0.025
>>> get({"class_name": "StepDecay", "config": {"initial_learning_rate": 1.0, "drop": 0.5,
...      "every": 3}})(7)
0.25
"""

from __future__ import annotations

import functools
import math
import numbers

from rosenblatt.base.checks import check_in_range, check_positive, describe
from rosenblatt.base.registry import Registry

registry = Registry("learning-rate schedule")


def _check_step(step) -> int:
    if not isinstance(step, numbers.Integral) or isinstance(step, bool) or step < 0:
        raise ValueError(f"step: expected an integer >= 0, got {step!r}")
    return int(step)


def _checked_rate(rate):
    """``rate`` with its step checked first and its result checked finite."""

    @functools.wraps(rate)
    def checked(self, step) -> float:
        step = _check_step(step)
        try:
            value = float(rate(self, step))
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            raise ValueError(
                f"step: the learning rate of {self!r} at step {step} is {value}, not a finite "
                f"number; choose arguments that keep it finite"
            )
        return value

    return checked


class LearningRateSchedule:
    """Base class: ``schedule(step) -> float`` for the 0-based step, plus a JSON config.

    Subclasses implement ``rate(step)`` and ``get_config()``; ``from_config`` rebuilds a schedule
    from its config.

    >>> schedule = StepDecay(0.1, drop=0.5, every=2)
    >>> [schedule(t) for t in range(5)]
    [0.1, 0.1, 0.05, 0.05, 0.025]

    Lecture 004 (eta, the learning rate of gradient descent).
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "rate" in cls.__dict__:  # every rate(), a subclass's own too, checks its step
            cls.rate = _checked_rate(cls.__dict__["rate"])

    def __call__(self, step) -> float:
        return float(self.rate(step))

    def rate(self, step: int) -> float:
        """The learning rate at ``step``, an integer >= 0; ValueError for another step or
        for a rate that overflows to a non-finite number."""
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments as a JSON-serializable dict."""
        raise NotImplementedError

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """Rebuild a schedule from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@registry.register("constant")
class Constant(LearningRateSchedule):
    """A constant learning rate: eta_t = learning_rate.

    Args:
        learning_rate: float >= 0.

    >>> Constant(0.01)(1000)
    0.01

    Lecture 004 (gradient descent with a fixed eta).
    """

    def __init__(self, learning_rate: float):
        self.learning_rate = float(check_positive(learning_rate, "learning_rate", allow_zero=True))

    def rate(self, step: int) -> float:
        return self.learning_rate

    def get_config(self) -> dict:
        return {"learning_rate": self.learning_rate}


class _Decay(LearningRateSchedule):
    """Shared arguments of the Keras decay schedules."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        self.initial_learning_rate = float(
            check_positive(initial_learning_rate, "initial_learning_rate", allow_zero=True)
        )
        self.decay_steps = check_positive(decay_steps, "decay_steps")
        self.decay_rate = float(check_positive(decay_rate, "decay_rate", allow_zero=True))
        if not isinstance(staircase, bool):
            raise TypeError(f"staircase: expected a bool, got {describe(staircase)}")
        self.staircase = staircase

    def _progress(self, step: int) -> float:
        p = step / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
        }


@registry.register("exponential_decay")
class ExponentialDecay(_Decay):
    """Exponential decay (Keras' formula).

    Formula: eta_t = initial_learning_rate * decay_rate ** (t / decay_steps), with
    t / decay_steps replaced by floor(t / decay_steps) when ``staircase``.

    Args:
        initial_learning_rate: eta_0 >= 0.
        decay_steps: number > 0, the steps over which eta is multiplied by ``decay_rate``.
        decay_rate: number >= 0 (below 1 to decay).
        staircase: decay in whole steps of ``decay_steps``.

    >>> ExponentialDecay(1.0, decay_steps=4, decay_rate=0.5, staircase=True)(7)
    0.5

    Lecture 004 (learning-rate guideline); Keras ``ExponentialDecay``.
    """

    def rate(self, step: int) -> float:
        return self.initial_learning_rate * self.decay_rate ** self._progress(step)


@registry.register("inverse_time_decay")
class InverseTimeDecay(_Decay):
    """Inverse-time decay (Keras' formula).

    Formula: eta_t = initial_learning_rate / (1 + decay_rate * t / decay_steps), with
    t / decay_steps replaced by floor(t / decay_steps) when ``staircase``.

    Args:
        initial_learning_rate: eta_0 >= 0.
        decay_steps: number > 0.
        decay_rate: number >= 0.
        staircase: decay in whole steps of ``decay_steps``.

    >>> InverseTimeDecay(1.0, decay_steps=1, decay_rate=0.5)(2)
    0.5

    Lecture 004 (learning-rate guideline); Keras ``InverseTimeDecay``.
    """

    def rate(self, step: int) -> float:
        return self.initial_learning_rate / (1 + self.decay_rate * self._progress(step))


@registry.register("step_decay")
class StepDecay(LearningRateSchedule):
    """Step decay: multiply the learning rate by ``drop`` every ``every`` steps.

    Formula: eta_t = initial_learning_rate * drop ** floor(t / every).

    Args:
        initial_learning_rate: eta_0 >= 0.
        drop: factor in (0, 1], the decay at each drop.
        every: integer > 0, steps between drops.

    >>> StepDecay(0.1, drop=0.5, every=10)(25)
    0.025

    Lecture 004 (learning-rate guideline).
    """

    def __init__(self, initial_learning_rate: float, drop: float, every: int):
        self.initial_learning_rate = float(
            check_positive(initial_learning_rate, "initial_learning_rate", allow_zero=True)
        )
        check_positive(drop, "drop")
        self.drop = float(check_in_range(drop, "drop", 0.0, 1.0))
        self.every = int(check_positive(every, "every", integer=True))

    def rate(self, step: int) -> float:
        return self.initial_learning_rate * self.drop ** (step // self.every)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "drop": self.drop,
            "every": self.every,
        }


@registry.register("piecewise_constant_decay")
class PiecewiseConstantDecay(LearningRateSchedule):
    """Piecewise-constant learning rate (Keras semantics).

    Formula: eta_t = values[0] for t <= boundaries[0], values[i] for
    boundaries[i-1] < t <= boundaries[i], and values[-1] for t > boundaries[-1].

    Args:
        boundaries: strictly increasing integers, length n >= 1.
        values: n + 1 learning rates >= 0.

    >>> s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [s(10), s(11), s(21)]
    [1.0, 0.5, 0.1]

    Lecture 004 (learning-rate guideline); Keras ``PiecewiseConstantDecay``.
    """

    def __init__(self, boundaries, values):
        if not isinstance(boundaries, (list, tuple)) or not boundaries:
            raise ValueError(
                f"boundaries: expected a non-empty list of integers, got {describe(boundaries)}"
            )
        for b in boundaries:
            check_positive(b, "boundaries", allow_zero=True, integer=True)
        if any(b2 <= b1 for b1, b2 in zip(boundaries[:-1], boundaries[1:], strict=True)):
            raise ValueError(f"boundaries: expected strictly increasing, got {list(boundaries)}")
        if not isinstance(values, (list, tuple)) or len(values) != len(boundaries) + 1:
            got = len(values) if isinstance(values, (list, tuple)) else describe(values)
            raise ValueError(
                f"values: expected a list of len(boundaries) + 1 = {len(boundaries) + 1} "
                f"learning rates, got {got}"
            )
        for v in values:
            check_positive(v, "values", allow_zero=True)
        self.boundaries = [int(b) for b in boundaries]
        self.values = [float(v) for v in values]

    def rate(self, step: int) -> float:
        for boundary, value in zip(self.boundaries, self.values[:-1], strict=True):
            if step <= boundary:
                return value
        return self.values[-1]

    def get_config(self) -> dict:
        return {"boundaries": list(self.boundaries), "values": list(self.values)}


def serialize(schedule: LearningRateSchedule) -> dict:
    """``{'class_name': ..., 'config': ...}`` for a schedule (JSON-serializable).

    >>> serialize(Constant(0.5))
    {'class_name': 'Constant', 'config': {'learning_rate': 0.5}}
    """
    return registry.serialize(schedule, LearningRateSchedule, "schedule")


def get(identifier) -> LearningRateSchedule:
    """A schedule from an instance, a number (a :class:`Constant`) or a config dict.

    Names alone are not enough, since every schedule needs arguments; pass a config dict
    ``{'class_name': 'ExponentialDecay', 'config': {...}}`` instead.

    >>> get(0.1)
    Constant(learning_rate=0.1)
    """
    return registry.get(identifier, LearningRateSchedule, optional=False,
                        make=_needs_arguments, convert=_constant, label="schedule",
                        expected="a LearningRateSchedule, a number or a config dict")


def _needs_arguments(cls: type, name: str):
    raise ValueError(
        f"schedule {name!r} needs arguments: pass {cls.__name__}(...) or "
        f"{{'class_name': {cls.__name__!r}, 'config': {{...}}}}"
    )


def _constant(value) -> Constant | None:
    """A :class:`Constant` schedule for a number (not a bool); None for anything else."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Constant(value)
    return None

"""Learning-rate schedules against their closed forms (Keras' formulas)."""

import doctest
import json
import math

import numpy as np
import pytest
from rosenblatt.schedules import (
    Constant,
    ExponentialDecay,
    InverseTimeDecay,
    PiecewiseConstantDecay,
    StepDecay,
)

from rosenblatt import schedules


def test_docstring_examples():
    result = doctest.testmod(schedules)
    assert result.attempted > 0
    assert result.failed == 0


def test_constant():
    s = Constant(0.3)
    assert [s(t) for t in (0, 1, 10**6)] == [0.3, 0.3, 0.3]


@pytest.mark.parametrize("t", [0, 1, 7, 10, 15, 100])
def test_exponential_decay_closed_form(t):
    smooth = ExponentialDecay(0.2, decay_steps=10, decay_rate=0.5)
    stairs = ExponentialDecay(0.2, decay_steps=10, decay_rate=0.5, staircase=True)
    assert smooth(t) == pytest.approx(0.2 * 0.5 ** (t / 10), rel=1e-14)
    assert stairs(t) == pytest.approx(0.2 * 0.5 ** (t // 10), rel=1e-14)


def test_exponential_decay_values_by_hand():
    s = ExponentialDecay(1.0, decay_steps=2, decay_rate=0.25)
    assert s(0) == 1.0
    assert s(1) == pytest.approx(0.5)  # 0.25 ** 0.5
    assert s(4) == pytest.approx(0.0625)


@pytest.mark.parametrize("t", [0, 1, 3, 4, 9, 50])
def test_inverse_time_decay_closed_form(t):
    smooth = InverseTimeDecay(0.5, decay_steps=4, decay_rate=2.0)
    stairs = InverseTimeDecay(0.5, decay_steps=4, decay_rate=2.0, staircase=True)
    assert smooth(t) == pytest.approx(0.5 / (1 + 2.0 * t / 4), rel=1e-14)
    assert stairs(t) == pytest.approx(0.5 / (1 + 2.0 * (t // 4)), rel=1e-14)


def test_step_decay():
    s = StepDecay(0.8, drop=0.5, every=3)
    assert [s(t) for t in range(7)] == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]


def test_piecewise_constant_keras_semantics():
    s = PiecewiseConstantDecay([100, 110], [1.0, 0.5, 0.1])
    assert [s(t) for t in (0, 100, 101, 110, 111, 10**5)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]


def test_numpy_integer_steps_are_accepted():
    assert StepDecay(1.0, 0.5, 2)(np.int64(4)) == 0.25


ALL = [
    Constant(0.1),
    ExponentialDecay(0.1, 5, 0.9, staircase=True),
    InverseTimeDecay(0.1, 5, 0.5),
    StepDecay(0.1, 0.5, 3),
    PiecewiseConstantDecay([2, 5], [0.3, 0.2, 0.1]),
]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_config_round_trip_through_json(schedule):
    spec = json.loads(json.dumps(schedules.serialize(schedule)))
    again = schedules.get(spec)
    assert type(again) is type(schedule)
    assert again.get_config() == schedule.get_config()
    assert [again(t) for t in range(12)] == [schedule(t) for t in range(12)]


def test_get_accepts_instances_and_numbers():
    s = StepDecay(1.0, 0.5, 2)
    assert schedules.get(s) is s
    assert schedules.get(0.25)(3) == 0.25


def test_every_registered_name_is_a_schedule_class():
    for name in schedules.registry.names():
        cls = schedules.registry.lookup(name)
        assert issubclass(cls, schedules.LearningRateSchedule)
        assert math.isfinite(next(s for s in ALL if type(s) is cls)(3))


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [-1, 1.5, "3", True])
def test_bad_step(step):
    with pytest.raises(ValueError, match="step: expected an integer >= 0"):
        Constant(0.1)(step)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Constant(-0.1), "learning_rate: expected a number >= 0, got -0.1"),
        (lambda: ExponentialDecay(-1.0, 10, 0.5), "initial_learning_rate: expected"),
        (lambda: ExponentialDecay(0.1, 0, 0.5), "decay_steps: expected a number > 0, got 0"),
        (lambda: ExponentialDecay(0.1, 10, -0.5), "decay_rate: expected a number >= 0"),
        (lambda: InverseTimeDecay(0.1, -2, 0.5), "decay_steps: expected a number > 0"),
        (lambda: StepDecay(0.1, 0.0, 3), "drop: expected a number > 0, got 0.0"),
        (lambda: StepDecay(0.1, 0.5, 2.5), "every: expected an? integer > 0, got 2.5"),
        (lambda: PiecewiseConstantDecay([], [0.1]), "boundaries: expected a non-empty list"),
        (lambda: PiecewiseConstantDecay([5, 5], [1, 2, 3]), "boundaries: expected strictly"),
        (lambda: PiecewiseConstantDecay([5, 9], [1, 2]), r"values: expected .* = 3 .*got 2"),
        (lambda: PiecewiseConstantDecay([5], [1.0, -2.0]), "values: expected a number >= 0"),
        (lambda: schedules.get("exponential_decay"), "needs arguments"),
        (lambda: schedules.get({"class_name": "Exponential"}), "expected keys 'class_name'"),
        (
            lambda: schedules.get({"class_name": "Exponentialdecy", "config": {}}),
            "Did you mean 'exponential_decay'.*Valid names",
        ),
    ],
)
def test_bad_arguments_raise_value_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_type_errors():
    with pytest.raises(TypeError, match="staircase: expected a bool, got str"):
        ExponentialDecay(0.1, 10, 0.5, staircase="yes")
    with pytest.raises(TypeError, match="schedule: expected a LearningRateSchedule"):
        schedules.get([0.1])
    with pytest.raises(TypeError, match="schedule: expected a LearningRateSchedule, got float"):
        schedules.serialize(0.1)

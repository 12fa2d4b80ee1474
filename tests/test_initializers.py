"""Initializers: sample moments against their formulas (L35), seeds, fans, configs, errors."""

import doctest
import json
import math

import numpy as np
import pytest
from rosenblatt.initializers import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Ones,
    RandomNormal,
    RandomUniform,
    VarianceScaling,
    Zeros,
    compute_fans,
)

from rosenblatt import initializers

SHAPE = (400, 600)  # fan_in 400, fan_out 600
N = SHAPE[0] * SHAPE[1]


def test_docstring_examples():
    result = doctest.testmod(initializers)
    assert result.attempted > 0
    assert result.failed == 0


# -- moments against the formulas (L35) ----------------------------------------------------------
# A sample variance s^2 of N draws has standard error sqrt((mu4 - sigma^4) / N): for a normal
# mu4 = 3 sigma^4, for U(-a, a) mu4 = a^4 / 5 and sigma^2 = a^2 / 3. Tolerances are 5 standard
# errors; the mean's standard error is sigma / sqrt(N).

NORMALS = [
    (HeNormal, 2 / 400),
    (GlorotNormal, 2 / (400 + 600)),
    (LecunNormal, 1 / 400),
]
UNIFORMS = [
    (HeUniform, math.sqrt(6 / 400)),
    (GlorotUniform, math.sqrt(6 / (400 + 600))),
    (LecunUniform, math.sqrt(3 / 400)),
]


@pytest.mark.parametrize("cls, variance", NORMALS, ids=lambda c: getattr(c, "__name__", ""))
def test_normal_initializers_match_their_variance(cls, variance):
    w = cls(seed=0)(SHAPE, dtype="float64")
    assert abs(w.mean()) < 5 * math.sqrt(variance / N)
    assert abs(w.var() - variance) < 5 * variance * math.sqrt(2 / N)
    # a plain (untruncated) normal: about 0.27% of draws beyond 3 standard deviations
    beyond = np.mean(np.abs(w) > 3 * math.sqrt(variance))
    assert abs(beyond - 0.0027) < 5 * math.sqrt(0.0027 / N)


@pytest.mark.parametrize("cls, limit", UNIFORMS, ids=lambda c: getattr(c, "__name__", ""))
def test_uniform_initializers_match_their_bounds_and_variance(cls, limit):
    w = cls(seed=0)(SHAPE, dtype="float64")
    variance, mu4 = limit**2 / 3, limit**4 / 5
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.999 * limit
    assert abs(w.mean()) < 5 * math.sqrt(variance / N)
    assert abs(w.var() - variance) < 5 * math.sqrt((mu4 - variance**2) / N)


def test_xavier_names_are_glorot():
    assert type(initializers.get("xavier_normal")) is GlorotNormal
    assert type(initializers.get("xavier_uniform")) is GlorotUniform


def test_random_normal_and_uniform():
    w = RandomNormal(mean=1.0, stddev=0.5, seed=3)(SHAPE, dtype="float64")
    assert abs(w.mean() - 1.0) < 5 * 0.5 / math.sqrt(N)
    assert abs(w.var() - 0.25) < 5 * 0.25 * math.sqrt(2 / N)
    u = RandomUniform(minval=2.0, maxval=5.0, seed=3)(SHAPE, dtype="float64")
    assert u.min() >= 2.0 and u.max() <= 5.0
    assert abs(u.mean() - 3.5) < 5 * math.sqrt(0.75 / N)  # variance (5 - 2)^2 / 12 = 0.75
    default = RandomUniform(seed=0)((1000,))
    assert default.min() >= -0.05 and default.max() <= 0.05


def test_variance_scaling_modes():
    w = VarianceScaling(scale=3.0, mode="fan_out", distribution="normal", seed=0)(SHAPE, "float64")
    assert abs(w.var() - 3.0 / 600) < 5 * (3.0 / 600) * math.sqrt(2 / N)


def test_constant_initializers_are_exact():
    np.testing.assert_array_equal(Zeros()((2, 3)), np.zeros((2, 3), np.float32))
    np.testing.assert_array_equal(Ones()((4,)), np.ones(4, np.float32))
    np.testing.assert_array_equal(Constant(0.25)((2, 2), dtype="float64"), np.full((2, 2), 0.25))
    assert Constant()((3,)).tolist() == [0.0, 0.0, 0.0]


# -- fans ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, fans",
    [
        ((), (1, 1)),
        ((7,), (7, 7)),
        ((3, 5), (3, 5)),
        ((3, 3, 16, 32), (144, 288)),
        ((2, 4, 5), (8, 10)),
    ],
)
def test_compute_fans(shape, fans):
    assert compute_fans(shape) == fans


def test_receptive_field_rule_drives_the_variance():
    w = HeNormal(seed=1)((5, 5, 40, 8), dtype="float64")  # fan_in = 25 * 40 = 1000
    n = w.size
    assert abs(w.var() - 2 / 1000) < 5 * (2 / 1000) * math.sqrt(2 / n)


# -- seeds and generators -----------------------------------------------------------------------

RANDOM = [
    RandomUniform,
    RandomNormal,
    VarianceScaling,
    HeNormal,
    HeUniform,
    GlorotNormal,
    GlorotUniform,
    LecunNormal,
    LecunUniform,
]


@pytest.mark.parametrize("cls", RANDOM, ids=lambda c: c.__name__)
def test_seeds_and_generators(cls):
    a, b = cls(seed=7), cls(seed=7)
    np.testing.assert_array_equal(a((20, 30)), a((20, 30)))  # seeded: same values each call
    np.testing.assert_array_equal(a((20, 30)), b((20, 30)))
    assert not np.array_equal(a((20, 30)), cls(seed=8)((20, 30)))
    rng = np.random.default_rng(0)
    first, second = a((20, 30), rng=rng), a((20, 30), rng=rng)
    assert not np.array_equal(first, second)  # successive draws from one generator differ
    np.testing.assert_array_equal(first, b((20, 30), rng=np.random.default_rng(0)))


def test_dtypes():
    assert HeNormal(seed=0)((3, 2)).dtype == np.float32
    w64 = HeNormal(seed=0)((3, 2), dtype=np.float64)
    assert w64.dtype == np.float64
    np.testing.assert_array_equal(HeNormal(seed=0)((3, 2)), w64.astype(np.float32))
    assert Ones()(3, dtype="float16").dtype == np.float16


# -- registry, config -------------------------------------------------------------------------


@pytest.mark.parametrize("name", initializers.registry.names())
def test_every_registered_name_round_trips(name):
    init = initializers.get(name.upper())
    assert isinstance(init, initializers.registry.lookup(name))
    if "seed" in init.get_config():
        init = type(init).from_config({**init.get_config(), "seed": 5})
    spec = json.loads(json.dumps(initializers.serialize(init)))
    again = initializers.get(spec)
    assert type(again) is type(init) and again.get_config() == init.get_config()
    np.testing.assert_array_equal(again((4, 3)), init((4, 3)))


def test_get_passes_through_instances_callables_and_none():
    init = HeUniform(seed=1)
    assert initializers.get(init) is init
    assert initializers.get(None) is None

    def custom(shape, dtype="float32"):
        return np.zeros(shape, dtype)

    assert initializers.get(custom) is custom


def test_configs():
    assert RandomNormal(0.5, 2.0, seed=4).get_config() == {"mean": 0.5, "stddev": 2.0, "seed": 4}
    assert GlorotUniform().get_config() == {"seed": None}
    assert Zeros().get_config() == {}
    assert Constant(3).get_config() == {"value": 3.0}


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (
            lambda: initializers.get("he_normall"),
            "Did you mean 'he_normal'.*Valid names: constant, zeros, ",
        ),
        (lambda: RandomNormal(stddev=-0.1), "stddev: expected a number > 0, got -0.1"),
        (lambda: RandomUniform(0.1, 0.1), "minval, maxval: expected minval < maxval"),
        (lambda: RandomUniform(1.0, -1.0), "minval, maxval: expected minval < maxval"),
        (lambda: HeNormal()((3, 0)), r"shape: expected every dimension > 0, got \(3, 0\)"),
        (lambda: Zeros()((-2,)), r"shape: expected every dimension > 0, got \(-2,\)"),
        (lambda: HeNormal(seed=-1), "seed: expected an? integer >= 0, got -1"),
        (lambda: HeNormal(seed=1.5), "seed: expected an? integer >= 0, got 1.5"),
        (lambda: Constant(float("nan")), "value: expected a finite number, got nan"),
        (lambda: RandomNormal(mean=float("inf")), "mean: expected a finite number"),
        (lambda: VarianceScaling(mode="fan"), "mode: expected one of 'fan_in', 'fan_out'"),
        (lambda: VarianceScaling(distribution="gauss"), "distribution: expected one of"),
        (lambda: VarianceScaling(scale=0), "scale: expected a number > 0, got 0"),
        (lambda: initializers.get({"config": {}}), "expected keys 'class_name' and 'config'"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Zeros()("3"), "shape: expected an int or a tuple of ints, got str"),
        (lambda: Zeros()((2.0, 3)), "shape: expected an int or a tuple of ints"),
        (lambda: Zeros()((2, 3), dtype="int32"), "dtype: expected a float dtype .* got int32"),
        (lambda: HeNormal()((2, 3), rng=0), "rng: expected None or a numpy.random.Generator"),
        (lambda: initializers.get(3), "initializer: expected a name, a config dict"),
        (lambda: initializers.serialize("zeros"), "initializer: expected an Initializer, got str"),
    ],
)
def test_type_errors(make, match):
    with pytest.raises(TypeError, match=match):
        make()

"""Regularizers: penalties and gradients against closed forms and central differences."""

import doctest
import json

import numpy as np
import pytest
from rosenblatt.regularizers import L1, L1L2, L2

from rosenblatt import regularizers

W = np.array([[0.5, -1.5, 2.0], [-0.25, 1.0, -3.0]])  # sum |W| = 8.25, sum W^2 = 16.5625


def test_docstring_examples():
    result = doctest.testmod(regularizers)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "reg, penalty",
    [
        (L1(0.1), 0.1 * 8.25),
        (L2(0.1), 0.1 * 16.5625),
        (L1L2(l1=0.2, l2=0.3), 0.2 * 8.25 + 0.3 * 16.5625),
        (L1L2(), 0.0),
        (L1(), 0.01 * 8.25),
        (L2(), 0.01 * 16.5625),
    ],
    ids=repr,
)
def test_penalty_closed_form(reg, penalty):
    assert reg.penalty(W) == pytest.approx(penalty, rel=1e-14)
    assert reg(W) == reg.penalty(W)
    assert isinstance(reg(W), float)


def test_gradient_closed_form():
    np.testing.assert_allclose(L1(0.1).gradient(W), 0.1 * np.sign(W))
    np.testing.assert_allclose(L2(0.1).gradient(W), 0.2 * W)  # Keras' form: no 1/2
    np.testing.assert_allclose(
        L1L2(0.2, 0.3).gradient(W), [[0.5, -1.1, 1.4], [-0.35, 0.8, -2.0]], rtol=1e-14
    )


@pytest.mark.parametrize("reg", [L1(0.3), L2(0.7), L1L2(0.2, 0.5)], ids=repr)
def test_gradient_matches_central_differences(reg):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 5))
    w[np.abs(w) < 0.1] = 0.5  # keep away from the kink of |w| at 0
    h = 1e-6
    numeric = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        plus[idx] += h
        minus[idx] -= h
        numeric[idx] = (reg.penalty(plus) - reg.penalty(minus)) / (2 * h)
    np.testing.assert_allclose(reg.gradient(w), numeric, rtol=1e-7, atol=1e-9)


def test_l1_subgradient_at_zero_is_zero():
    np.testing.assert_array_equal(L1(1.0).gradient(np.zeros(3)), np.zeros(3))


def test_dtypes_and_inputs():
    w32 = W.astype(np.float32)
    assert L1L2(0.1, 0.1).gradient(w32).dtype == np.float32
    assert L2(0.5).penalty([[1, 2]]) == 2.5  # integer lists are fine
    assert L2(0.5).gradient([1, 2]).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("name", regularizers.registry.names())
def test_every_registered_name_round_trips(name):
    reg = regularizers.get(name.upper())
    assert isinstance(reg, regularizers.registry.lookup(name))
    spec = json.loads(json.dumps(regularizers.serialize(reg)))
    again = regularizers.get(spec)
    assert type(again) is type(reg) and again.get_config() == reg.get_config()
    assert again(W) == reg(W)


def test_keras_defaults_and_configs():
    assert regularizers.get("l1").get_config() == {"l1": 0.01}
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.0, "l2": 0.0}


def test_get_passes_through_instances_callables_and_none():
    reg = L2(0.2)
    assert regularizers.get(reg) is reg
    assert regularizers.get(None) is None
    assert regularizers.get(np.sum) is np.sum


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: L1(-0.1), ValueError, "l1: expected a number >= 0, got -0.1"),
        (lambda: L2(-1), ValueError, "l2: expected a number >= 0, got -1"),
        (lambda: L1L2(l2="0.1"), ValueError, "l2: expected a number >= 0, got '0.1'"),
        (lambda: regularizers.get("l3"), ValueError, "Unknown regularizer 'l3'.*Valid names"),
        (lambda: regularizers.get({"class_name": "L2"}), ValueError, "expected keys"),
        (lambda: L2()(np.array([1.0, np.nan])), ValueError, "w: expected finite numbers"),
        (lambda: L2().gradient("w"), TypeError, "w: expected an array of numbers, got str"),
        (lambda: regularizers.get(0.1), TypeError, "regularizer: expected a name, a config"),
        (lambda: regularizers.serialize("l2"), TypeError, "expected a Regularizer, got str"),
    ],
)
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()

"""The gradient checker (lecture 004, L33): central differences (f(x + h) - f(x - h)) / 2h
approximate known derivatives, agree with autodiff to < 1e-6 in float64, and catch a wrong
derivative.
"""

import math

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck, numerical_gradient, relative_error

import rosenblatt
from rosenblatt import Tensor
from rosenblatt.autodiff import ops


def test_L33_central_difference_approximates_a_known_derivative():
    x = np.array([-1.3, 0.0, 0.4, 2.0])
    (grad,) = numerical_gradient(lambda a: float(np.sum(np.sin(a))), [x])
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-9, atol=1e-10)


def test_L33_central_difference_error_shrinks_like_h_squared():
    x = np.array([0.7])
    errors = []
    for h in (1e-2, 1e-3):
        (grad,) = numerical_gradient(lambda a: math.exp(a[0]), [x], h=h)
        errors.append(abs(grad[0] - math.exp(0.7)))
    # truncation error h^2 f'''(x) / 6: a 10x smaller step gives a ~100x smaller error
    assert errors[0] == pytest.approx(1e-4 * math.exp(0.7) / 6, rel=1e-2)
    assert 80 < errors[0] / errors[1] < 120


def test_numerical_gradient_of_several_arrays_leaves_them_unchanged():
    a, b = np.array([[1.0, 2.0]]), np.array([3.0, -1.0])
    before = a.copy(), b.copy()
    ga, gb = numerical_gradient(lambda a, b: float(np.sum(a * b) + np.sum(b**3)), [a, b])
    np.testing.assert_allclose(ga, [[3.0, -1.0]], rtol=1e-9)
    np.testing.assert_allclose(gb, [1.0 + 27.0, 2.0 + 3.0], rtol=1e-9)
    np.testing.assert_array_equal(a, before[0])
    np.testing.assert_array_equal(b, before[1])


def test_L33_gradcheck_agrees_with_autodiff():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)

    def mlp_loss(x, W, b):
        return ((rosenblatt.tanh(x @ W + b) - 0.5) ** 2).mean()

    assert gradcheck(mlp_loss, x, W, b) < 1e-6


def test_gradcheck_weights_every_output_of_a_non_scalar_function():
    # exp is its own derivative, so the weighted sum's gradient is r * exp(x), never just exp(x)
    assert gradcheck(ops.exp, np.array([[0.1, -0.2], [0.3, 1.0]])) < 1e-6


def test_gradcheck_catches_a_wrong_derivative():
    def wrong_square(t):
        return ops.elementwise(t, t.data**2, lambda x, y: x, "wrong_square")  # should be 2x

    assert gradcheck(wrong_square, np.array([0.5, -1.5, 2.0])) > 0.4


def test_gradcheck_catches_a_missing_gradient():
    def cut(t):
        return t * Tensor(t.data)  # the second factor is a constant copy: half the gradient lost

    assert gradcheck(cut, np.array([1.0, 2.0])) > 0.4


def test_gradcheck_accepts_tensors_and_float32_and_works_in_float64():
    seen = []

    def f(t):
        seen.append(t.dtype)
        return (t * t).sum()

    assert gradcheck(f, Tensor([1.0, 2.0], dtype="float32")) < 1e-6
    assert set(seen) == {np.dtype(np.float64)}


def test_gradcheck_is_reproducible():
    x = np.array([0.3, -0.8, 1.1])
    assert gradcheck(rosenblatt.sigmoid, x, seed=3) == gradcheck(rosenblatt.sigmoid, x, seed=3)


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([2.0], [1.0]) == 0.5
    # below the floor, errors are absolute / floor
    assert relative_error([1e-9], [0.0], floor=1e-3) == pytest.approx(1e-6)
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0

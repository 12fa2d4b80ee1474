"""The differentiable primitives: forward values against NumPy, gradients against float64 central
differences (``gradcheck``, relative error < 1e-6) and against derivatives worked out by hand.
"""

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck

import rosenblatt
from rosenblatt import Tensor
from rosenblatt.autodiff import ops

TOL = 1e-6


def rand(*shape, seed=0, low=-2.0, high=2.0):
    return np.asarray(np.random.default_rng(seed).uniform(low, high, size=shape))


def away_from_zero(*shape, seed=0):
    """Random numbers with |x| in [0.5, 2]: no kinks of abs, no poles of division."""
    rng = np.random.default_rng(seed)
    return np.asarray(rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape))


def distinct(*shape, seed=0):
    """Values at least 0.1 apart, so max / min have no ties and no kinks under a 1e-6 step."""
    n = int(np.prod(shape))
    return np.random.default_rng(seed).permutation(n).reshape(shape) * 0.1 - n * 0.05


def assert_gradcheck(fn, *arrays):
    assert gradcheck(fn, *arrays) < TOL


# --------------------------------------------------------------------------- arithmetic
BROADCAST_PAIRS = [
    ((3, 4), (3, 4)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 3, 4)),
    ((2, 1, 4), (3, 1)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((), ()),
    ((1, 1), (5,)),
]
BINARY = {
    "add": (ops.add, np.add),
    "sub": (ops.sub, np.subtract),
    "mul": (ops.mul, np.multiply),
    "div": (ops.div, np.divide),
    "maximum": (ops.maximum, np.maximum),
    "minimum": (ops.minimum, np.minimum),
}


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
def test_binary_ops_broadcast_values_and_gradients(name, shapes):
    op, reference = BINARY[name]
    a = away_from_zero(*shapes[0], seed=1)
    b = away_from_zero(*shapes[1], seed=2) * 1.37  # scaled: no ties for maximum / minimum
    out = op(Tensor(a), Tensor(b))
    np.testing.assert_allclose(out.data, reference(a, b), rtol=1e-15)
    assert_gradcheck(op, a, b)


def test_broadcast_gradient_is_summed_back_by_hand():
    a = Tensor(np.ones((3, 1)), requires_grad=True)
    b = Tensor(np.arange(4.0).reshape(1, 4), requires_grad=True)
    (a * b).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((3, 1), 0 + 1 + 2 + 3.0))
    np.testing.assert_array_equal(b.grad, np.full((1, 4), 3.0))


def test_constant_operands_take_the_tensor_dtype():
    t = Tensor(np.ones(2, np.float32), requires_grad=True)
    out = t * np.array([2.0, 3.0])  # a float64 array, lifted to a float32 constant
    assert out.dtype == np.float32
    out.sum().backward()
    np.testing.assert_array_equal(t.grad, [2.0, 3.0])
    assert t.grad.dtype == np.float32


def test_neg_and_sub_gradients():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (-x - x).sum().backward()
    np.testing.assert_array_equal(x.grad, [-2.0, -2.0])
    assert_gradcheck(ops.neg, rand(2, 3))


def test_division_gradients_by_hand():
    a = Tensor([6.0], requires_grad=True, dtype="float64")
    b = Tensor([3.0], requires_grad=True, dtype="float64")
    (a / b).sum().backward()
    assert a.grad[0] == pytest.approx(1 / 3) and b.grad[0] == pytest.approx(-6 / 9)


def test_unbroadcast_sums_added_and_stretched_axes():
    g = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(ops.unbroadcast(g, (4,)), g.sum(axis=(0, 1)))
    np.testing.assert_array_equal(ops.unbroadcast(g, (3, 1)), g.sum(axis=(0, 2))[:, None])
    np.testing.assert_array_equal(ops.unbroadcast(g, ()), g.sum())
    assert ops.unbroadcast(g, (2, 3, 4)) is g
    assert ops.unbroadcast(g, (1, 4), np.float32).dtype == np.float32


# --------------------------------------------------------------------------- power
@pytest.mark.parametrize("shapes", [((3,), ()), ((2, 3), (3,)), ((3, 1), (1, 2)), ((), (4,))])
def test_power_with_tensor_exponent(shapes):
    base = rand(*shapes[0], seed=3, low=0.5, high=2.0)  # a > 0: d/db = a^b ln a exists
    exponent = rand(*shapes[1], seed=4, low=-2.0, high=3.0)
    np.testing.assert_allclose(ops.power(Tensor(base), Tensor(exponent)).data, base**exponent)
    assert_gradcheck(ops.power, base, exponent)


@pytest.mark.parametrize("exponent", [2, 3, -1, 0.5, 2.5])
def test_power_with_constant_exponent(exponent):
    x = rand(2, 3, seed=5, low=0.3, high=2.0)
    assert_gradcheck(lambda t: t**exponent, x)
    t = Tensor(x, requires_grad=True)
    (t**exponent).sum().backward()
    np.testing.assert_allclose(t.grad, exponent * x ** (exponent - 1), rtol=1e-12)


def test_power_of_a_constant_base():
    x = rand(4, seed=6)
    assert_gradcheck(lambda t: 3.0**t, x)
    assert_gradcheck(lambda t: ops.power(np.array([0.5, 2.0, 1.5, 4.0]), t), x)


def test_power_gradient_of_exponent_is_zero_where_base_is_not_positive():
    b = Tensor([2.0, 2.0], requires_grad=True, dtype="float64")
    ops.power(Tensor([0.0, -3.0], dtype="float64"), b).sum().backward()
    np.testing.assert_array_equal(b.grad, [0.0, 0.0])


# --------------------------------------------------------------------------- matmul
MATMUL_SHAPES = [
    ((3, 4), (4, 5)),
    ((1, 4), (4, 1)),
    ((2, 3, 4), (4, 5)),
    ((3, 4), (2, 4, 5)),
    ((2, 3, 4), (2, 4, 5)),
    ((1, 3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (3, 4, 2)),
    ((4,), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 4, 5)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_values_and_gradients(shapes):
    a, b = rand(*shapes[0], seed=7), rand(*shapes[1], seed=8)
    out = ops.matmul(Tensor(a), Tensor(b))
    np.testing.assert_allclose(out.data, np.matmul(a, b), rtol=1e-14)
    assert_gradcheck(ops.matmul, a, b)


def test_matmul_backward_is_the_notes_formula():
    X, W = rand(5, 3, seed=9), rand(3, 2, seed=10)
    g = rand(5, 2, seed=11)
    x, w = Tensor(X, requires_grad=True), Tensor(W, requires_grad=True)
    (x @ w).backward(g)
    np.testing.assert_allclose(x.grad, g @ W.T, rtol=1e-14)
    np.testing.assert_allclose(w.grad, X.T @ g, rtol=1e-14)


def test_matmul_skips_gradients_nobody_needs():
    x = Tensor(rand(2, 3))
    w = Tensor(rand(3, 4), requires_grad=True)
    out = x @ w
    gx, gw = out._vjp(np.ones((2, 4)))
    assert gx is None and gw.shape == (3, 4)


def test_matmul_of_scalars_raises():
    with pytest.raises(ValueError, match=r"at least 1-D, got shapes \(\) and \(3,\)"):
        ops.matmul(Tensor(2.0), Tensor(np.ones(3)))


# --------------------------------------------------------------------------- reductions
AXES = [None, 0, 1, -1, -3, (0, 2), (-1, 0), (0, 1, 2), ()]
REDUCTIONS = {
    "sum": (ops.sum, np.sum),
    "mean": (ops.mean, np.mean),
    "max": (ops.max, np.max),
    "min": (ops.min, np.min),
}


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_values_and_gradients(name, axis, keepdims):
    op, reference = REDUCTIONS[name]
    x = distinct(2, 3, 4, seed=12)
    out = op(Tensor(x), axis=axis, keepdims=keepdims)
    expected = reference(x, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-14)
    assert_gradcheck(lambda t: op(t, axis=axis, keepdims=keepdims), x)


def test_mean_gradient_is_one_over_n():
    x = Tensor(np.zeros((4, 5)), requires_grad=True)
    x.mean(axis=0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((4, 5), 0.25))


def test_max_and_min_share_the_gradient_among_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 0.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [1, 0, 0]])
    x.zero_grad()
    x.min().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0, 0], [0, 0.5, 0.5]])


def test_reductions_of_a_zero_dimensional_tensor():
    x = Tensor(3.0, requires_grad=True)
    for op in (ops.sum, ops.mean, ops.max, ops.min):
        for axis in (None, 0, -1, ()):
            assert op(x, axis=axis).item() == 3.0
    ops.sum(x, axis=0).backward()
    assert x.grad == 1.0


@pytest.mark.parametrize("axis", [3, -4, (0, 5)])
def test_reduction_axis_out_of_range_raises(axis):
    with pytest.raises(ValueError, match="out of range for a tensor with 3 dimensions"):
        ops.sum(Tensor(np.ones((2, 3, 4))), axis=axis)


@pytest.mark.parametrize("op", [ops.max, ops.min])
def test_max_of_an_empty_tensor_raises(op):
    with pytest.raises(ValueError, match="cannot reduce an empty tensor"):
        op(Tensor(np.ones((0, 3))))


# --------------------------------------------------------------------------- elementwise math
UNARY = {
    "exp": (ops.exp, np.exp, np.exp, rand(3, 4, seed=13)),
    "log": (ops.log, np.log, lambda x: 1 / x, rand(3, 4, seed=14, low=0.2, high=3.0)),
    "sqrt": (ops.sqrt, np.sqrt, lambda x: 0.5 / np.sqrt(x), rand(3, 4, seed=15, low=0.2)),
    "abs": (ops.abs, np.abs, np.sign, away_from_zero(3, 4, seed=16)),
    "tanh": (rosenblatt.tanh, np.tanh, lambda x: 1 - np.tanh(x) ** 2, rand(3, 4, seed=17)),
    "sigmoid": (
        rosenblatt.sigmoid,
        lambda x: 1 / (1 + np.exp(-x)),
        lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
        rand(3, 4, seed=18),
    ),
    "relu": (
        rosenblatt.relu, lambda x: np.maximum(x, 0), lambda x: (x > 0) * 1.0, away_from_zero(7)
    ),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_values_and_gradients(name):
    op, value, derivative, x = UNARY[name]
    t = Tensor(x, requires_grad=True)
    out = op(t)
    np.testing.assert_allclose(out.data, value(x), rtol=1e-14)
    out.backward(np.ones_like(x))
    np.testing.assert_allclose(t.grad, derivative(x), rtol=1e-12)
    assert_gradcheck(op, x)


def test_unary_ops_accept_plain_arrays():
    np.testing.assert_allclose(ops.exp([0.0, 1.0]).data, [1.0, np.e], rtol=1e-6)
    assert ops.abs(np.array([-2.0])).item() == 2.0


@pytest.mark.parametrize("value", [0.0, -1.0])
def test_log_of_non_positive_raises(value):
    with pytest.raises(ValueError, match=f"log: input must be positive, got a minimum of {value}"):
        ops.log(Tensor([1.0, value]))


def test_sqrt_of_negative_raises():
    with pytest.raises(ValueError, match="sqrt: input must be non-negative, got a minimum of -2.5"):
        ops.sqrt(Tensor([-2.5, 1.0]))


def test_elementwise_builds_an_op_from_value_and_derivative():
    def cube(t):
        return ops.elementwise(t, t.data**3, lambda x, y: 3 * x**2, "cube")

    x = rand(5, seed=19)
    np.testing.assert_allclose(cube(Tensor(x)).data, x**3)
    assert_gradcheck(cube, x)


# --------------------------------------------------------------------------- selection
def test_maximum_and_minimum_against_constants():
    x = away_from_zero(3, 4, seed=20)
    assert_gradcheck(lambda t: ops.maximum(t, 0.25), x)
    assert_gradcheck(lambda t: ops.minimum(np.full((1, 4), -0.25), t), x)


def test_maximum_splits_the_gradient_on_ties():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([2.0, 2.0, 2.0], requires_grad=True)
    ops.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0, 0.5, 1])
    np.testing.assert_array_equal(b.grad, [1, 0.5, 0])


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4), (3, 4)), ((3, 1), (1, 4), (4,))], ids=str)
def test_where_follows_the_condition(shapes):
    cond = np.random.default_rng(21).random(shapes[0]) < 0.5
    a, b = rand(*shapes[1], seed=22), rand(*shapes[2], seed=23)
    np.testing.assert_array_equal(ops.where(cond, Tensor(a), Tensor(b)).data, np.where(cond, a, b))
    assert_gradcheck(lambda x, y: ops.where(cond, x, y), a, b)
    assert_gradcheck(lambda x, y: ops.where(Tensor(cond * 1.0), x, y), a, b)


def test_where_gradient_by_hand():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    ops.where(np.array([True, False]), a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [1, 0])
    np.testing.assert_array_equal(b.grad, [0, 1])


@pytest.mark.parametrize("low, high", [(-0.5, 0.7), (None, 0.3), (-0.3, None), (-9.0, 9.0)])
def test_clip_values_and_gradients(low, high):
    x = distinct(4, 5, seed=24) + 0.013  # no element exactly at a bound
    np.testing.assert_array_equal(ops.clip(Tensor(x), low, high).data, np.clip(x, low, high))
    assert_gradcheck(lambda t: ops.clip(t, low, high), x)
    t = Tensor(x, requires_grad=True)
    ops.clip(t, low, high).sum().backward()
    inside = (x >= (-np.inf if low is None else low)) & (x <= (np.inf if high is None else high))
    np.testing.assert_array_equal(t.grad, inside * 1.0)


def test_clip_with_low_above_high_raises():
    with pytest.raises(ValueError, match="low must be <= high, got low=2, high=1"):
        ops.clip(Tensor([1.0]), 2, 1)


# --------------------------------------------------------------------------- a composite function
def test_composite_expression_gradient():
    # f(x, w, b) = sum(tanh(x @ w + b)^2) / 3 + max(x)
    def f(x, w, b):
        return (rosenblatt.tanh(x @ w + b) ** 2).sum() / 3 + x.max()

    assert_gradcheck(f, distinct(4, 3, seed=25), rand(3, 2, seed=26), rand(2, seed=27))


# --------------------------------------------------------------------------- PyTorch (optional)
def test_ops_match_pytorch():
    torch = pytest.importorskip("torch")
    a, b = rand(2, 3, 4, seed=28, low=0.5), rand(2, 4, 5, seed=29)
    c = rand(4, seed=30)

    def ours(x, y, z):
        return ((x @ y).exp().mean(axis=1) * (z * z).sum() / (x.sum() + 1)).log().max(axis=-1)

    ta, tb, tc = (Tensor(v, requires_grad=True) for v in (a, b, c))
    ours(ta, tb, tc).sum().backward()
    pa, pb, pc = (torch.tensor(v, requires_grad=True) for v in (a, b, c))
    ref = ((pa @ pb).exp().mean(dim=1) * (pc * pc).sum() / (pa.sum() + 1)).log().amax(dim=-1)
    ref.sum().backward()
    np.testing.assert_allclose(ours(Tensor(a), Tensor(b), Tensor(c)).data, ref.detach().numpy())
    for mine, theirs in ((ta, pa), (tb, pb), (tc, pc)):
        np.testing.assert_allclose(mine.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)

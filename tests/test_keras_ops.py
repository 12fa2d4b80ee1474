"""``rosenblatt.ops``, Keras' ``keras.ops`` names: on Tensors the gradient flows (float64 central
differences), on arrays the values are NumPy's, and bad arguments give clear errors."""

import doctest

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck

import rosenblatt
from rosenblatt import Tensor, ops
from rosenblatt.autodiff import keras_ops

RNG = np.random.default_rng(7)
A = RNG.uniform(0.5, 2.0, (4, 3))  # positive and away from 0: log, sqrt and abs are smooth
B = RNG.uniform(-2.0, 2.0, (4, 3))


def test_the_public_path_is_this_module_and_its_docstring_runs():
    assert rosenblatt.ops is keras_ops
    import rosenblatt.ops as imported

    assert imported is keras_ops
    assert doctest.testmod(keras_ops).failed == 0


UNARY = {"square": np.square, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs,
         "negative": np.negative}
BINARY = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide,
          "power": np.power, "maximum": np.maximum, "minimum": np.minimum}
REDUCTIONS = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}


@pytest.mark.parametrize("name", UNARY)
def test_unary_functions_match_numpy_and_their_gradients_central_differences(name):
    fn = getattr(ops, name)
    out = fn(Tensor(A))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, UNARY[name](A), rtol=1e-12)
    assert gradcheck(fn, A) < 1e-6
    on_array = fn(A)
    assert type(on_array) is np.ndarray
    np.testing.assert_array_equal(on_array, UNARY[name](A))


@pytest.mark.parametrize("name", BINARY)
def test_binary_functions_on_tensors_arrays_and_mixed(name):
    fn, reference = getattr(ops, name), BINARY[name]
    np.testing.assert_array_equal(fn(A, B), reference(A, B))
    mixed = fn(A, Tensor(B))  # an array with a Tensor: a Tensor, the array a constant
    assert isinstance(mixed, Tensor)
    np.testing.assert_allclose(mixed.data, reference(A, B), rtol=1e-12)
    assert gradcheck(fn, A, B[:1]) < 1e-6  # broadcasting (4, 3) with (1, 3)


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis, keepdims", [(None, False), (-1, False), (0, True)])
def test_reductions_take_keras_axis_and_keepdims(name, axis, keepdims):
    fn, reference = getattr(ops, name), REDUCTIONS[name]
    expected = reference(B, axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(fn(B, axis=axis, keepdims=keepdims), expected)
    np.testing.assert_allclose(fn(Tensor(B), axis=axis, keepdims=keepdims).data, expected,
                               rtol=1e-12)
    assert gradcheck(lambda t: fn(t, axis=axis, keepdims=keepdims), B) < 1e-6


def test_square_has_the_derivative_2x():
    x = Tensor(B, requires_grad=True)
    ops.sum(ops.square(x)).backward()
    np.testing.assert_allclose(x.grad, 2 * B, rtol=1e-12)


def test_shape_functions_and_where_clip_matmul_follow_numpy():
    np.testing.assert_array_equal(ops.reshape(B, (-1, 1)), B.reshape(-1, 1))
    np.testing.assert_array_equal(ops.transpose(B), B.T)
    np.testing.assert_array_equal(ops.concatenate([A, B], axis=1), np.concatenate([A, B], 1))
    np.testing.assert_array_equal(ops.stack([A, B], axis=0), np.stack([A, B]))
    np.testing.assert_array_equal(ops.where(B > 0, A, B), np.where(B > 0, A, B))
    np.testing.assert_array_equal(ops.clip(B, -1.0, 1.0), np.clip(B, -1, 1))
    np.testing.assert_array_equal(ops.matmul(A, B.T), A @ B.T)
    labels = np.array([3, 1, 2])
    assert ops.reshape(labels, (-1, 1)).dtype == labels.dtype  # integers stay integers
    for fn in (lambda a, b: ops.reshape(a, (3, 4)) * b.sum(),
               lambda a, b: ops.transpose(a) @ b,
               lambda a, b: ops.concatenate([a, b], axis=0).sum(axis=0),
               lambda a, b: ops.stack([a, b], axis=1),
               lambda a, b: ops.where(B > 0, a, b),
               lambda a, b: ops.clip(a, 0.7, 1.5) * b,
               lambda a, b: ops.matmul(a, ops.transpose(b))):
        assert gradcheck(fn, A, B) < 1e-6


def test_cast_keeps_the_gradient_for_floats_and_gives_arrays_for_integers():
    x = Tensor(B, requires_grad=True)
    y = ops.cast(x, "float32")
    assert isinstance(y, Tensor) and y.dtype == np.float32
    ops.sum(y * 3.0).backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad, 3.0)
    as_int = ops.cast(Tensor([1.7, -0.2]), "int32")
    assert type(as_int) is np.ndarray and as_int.dtype == np.int32
    assert as_int.tolist() == [1, 0]  # truncation, as NumPy's astype
    assert ops.cast(np.array([True, False]), "float32").tolist() == [1.0, 0.0]


def test_argmax_equal_and_one_hot_against_numpy():
    scores = RNG.random((6, 4))
    labels = scores.argmax(axis=1)
    np.testing.assert_array_equal(ops.argmax(Tensor(scores), axis=1), labels)
    assert ops.argmax(scores, axis=1, keepdims=True).shape == (6, 1)
    np.testing.assert_array_equal(ops.equal(labels, Tensor(labels.astype(float))), True)
    hot = ops.one_hot(labels, num_classes=4)
    np.testing.assert_array_equal(hot, np.eye(4)[labels])
    assert hot.dtype == np.float32
    np.testing.assert_array_equal(ops.one_hot(labels.astype("float32"), 4, axis=0),
                                  np.eye(4)[labels].T)
    from_tensor = ops.one_hot(Tensor(labels.astype(float)), 4)
    assert isinstance(from_tensor, Tensor) and not from_tensor.requires_grad


@pytest.mark.parametrize("call, error, match", [
    (lambda: ops.square("a"), TypeError,
     "square: expected a number, an array of numbers or a Tensor, got str"),
    (lambda: ops.add(None, np.ones(2)), TypeError, "add: expected a number"),
    (lambda: ops.mean([[1.0], [1.0, 2.0]]), TypeError, "mean: expected a number"),
    (lambda: ops.cast(np.ones(2), "text"), TypeError,
     "dtype: expected a numeric type name such as 'float32' or 'int32', got 'text'"),
    (lambda: ops.cast(np.ones(2), None), TypeError, "dtype: expected a numeric type name"),
    (lambda: ops.one_hot([0, 1], num_classes=0), ValueError,
     "num_classes: expected an integer >= 1, got 0"),
    (lambda: ops.one_hot([0, 1], num_classes=2.0), ValueError, "num_classes: expected"),
    (lambda: ops.one_hot([0, 3], num_classes=3), ValueError,
     r"x: expected labels in \[0, 2\] for num_classes=3, got labels from 0 to 3"),
    (lambda: ops.one_hot([0.5, 1.0], 3), ValueError, "x: expected integer labels, found 0.5"),
    (lambda: ops.one_hot([0, 1], 3, axis=2), ValueError,
     r"axis: expected an integer in \[-2, 1\], got 2"),
    (lambda: ops.one_hot([0, 1], 3, dtype="str"), TypeError, "dtype: expected a numeric"),
    (lambda: ops.argmax("abc"), TypeError, "argmax: expected a number"),
    (lambda: ops.equal(np.ones(2), None), TypeError, "equal: expected a number"),
])
def test_bad_arguments_give_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()

"""Shape primitives: values against NumPy, gradients against central differences and against the
hand-counted scatter of indexing (an element picked k times gets gradient k).
"""

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor, concatenate, getitem, reshape, stack, transpose

TOL = 1e-6


def rand(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


# --------------------------------------------------------------------------- reshape, transpose
@pytest.mark.parametrize("shape", [(6, 4), (24,), (2, -1), (-1, 3, 2), (1, 24, 1)], ids=str)
def test_reshape(shape):
    x = rand(2, 3, 4, seed=1)
    np.testing.assert_array_equal(reshape(Tensor(x), shape).data, x.reshape(shape))
    assert gradcheck(lambda t: reshape(t, shape), x) < TOL


def test_reshape_to_an_incompatible_shape_raises():
    with pytest.raises(ValueError, match=r"cannot reshape shape \(2, 3\) into \(4, 2\)"):
        reshape(Tensor(np.ones((2, 3))), (4, 2))


@pytest.mark.parametrize("axes", [None, (0, 1, 2), (2, 0, 1), (1, 2, 0), (-1, 0, -2)], ids=str)
def test_transpose(axes):
    x = rand(2, 3, 4, seed=2)
    np.testing.assert_array_equal(transpose(Tensor(x), axes).data, np.transpose(x, axes))
    assert gradcheck(lambda t: transpose(t, axes), x) < TOL


def test_transpose_gradient_is_the_inverse_permutation():
    x = Tensor(np.zeros((2, 3, 4)), requires_grad=True)
    g = rand(3, 4, 2, seed=3)
    transpose(x, (1, 2, 0)).backward(g)
    np.testing.assert_array_equal(x.grad, np.transpose(g, (2, 0, 1)))


@pytest.mark.parametrize("axes", [(0, 0, 1), (0, 1), (0, 1, 3)], ids=str)
def test_transpose_with_a_non_permutation_raises(axes):
    with pytest.raises(ValueError, match="is not a permutation of 3 axes"):
        transpose(Tensor(np.ones((2, 3, 4))), axes)


# --------------------------------------------------------------------------- indexing
INDICES = {
    "int": 1,
    "negative int": -1,
    "slice": slice(1, 3),
    "negative step": slice(None, None, -1),
    "step 2 from the end": (slice(None), slice(-1, None, -2)),
    "ints and slice": (0, slice(None), 1),
    "ellipsis": (Ellipsis, 1),
    "new axis": (None, slice(0, 2), None),
    "int array with repeats": np.array([2, 0, 2, 2]),
    "int list": [0, -1, 0],
    "2-d int array": np.array([[0, 1], [2, 2]]),
    "int arrays paired": (np.array([0, 2, 2]), np.array([1, 1, 3])),
    "int array and slice": (slice(None), np.array([3, 3, 0])),
    "int array, negative step, int": (np.array([1, 1]), slice(None, None, -1), -1),
    "boolean mask row": np.array([True, False, True]),
    "boolean mask full": rand(3, 4, 2, seed=4) > 0,
    "mask and slice": (np.array([False, True, True]), slice(1, None)),
    "tensor index": Tensor([2.0, 0.0, 2.0]),
}


@pytest.mark.parametrize("name", INDICES)
def test_getitem_values_and_gradients(name):
    index = INDICES[name]
    x = rand(3, 4, 2, seed=5)
    numpy_index = index.data.astype(int) if isinstance(index, Tensor) else index
    out = Tensor(x)[index]
    np.testing.assert_array_equal(out.data, x[numpy_index])
    assert isinstance(out.data, np.ndarray)
    assert gradcheck(lambda t: t[index], x) < TOL


@pytest.mark.parametrize("name", INDICES)
def test_getitem_gradient_counts_each_pick(name):
    index = INDICES[name]
    numpy_index = index.data.astype(int) if isinstance(index, Tensor) else index
    x = Tensor(np.zeros((3, 4, 2)), requires_grad=True)
    getitem(x, index).sum().backward()
    # count how often each element is picked by indexing an array of element numbers
    picked = np.arange(24).reshape(3, 4, 2)[numpy_index]
    counts = np.bincount(np.ravel(picked), minlength=24).reshape(3, 4, 2)
    np.testing.assert_array_equal(x.grad, counts)


def test_integer_array_with_repeats_by_hand():
    x = Tensor([10.0, 20.0, 30.0], requires_grad=True)
    (x[[0, 0, 2]] * Tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 3.0])


def test_getitem_returns_a_copy_not_a_view():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    row = x[0]
    x.data[0, 0] = 100.0
    np.testing.assert_array_equal(row.data, [0.0, 1.0, 2.0])


@pytest.mark.parametrize("index", [5, (0, 0, 0), np.array([0, 4])], ids=str)
def test_getitem_out_of_range_raises(index):
    with pytest.raises(IndexError, match=r"invalid for a tensor of shape \(3, 4\)"):
        Tensor(np.ones((3, 4)))[index]


# --------------------------------------------------------------------------- concatenate, stack
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_concatenate(axis):
    shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]]
    for shape, size in zip(shapes, (1, 3, 2), strict=True):
        shape[axis] = size
    arrays = [rand(*s, seed=6 + k) for k, s in enumerate(shapes)]
    out = concatenate([Tensor(a) for a in arrays], axis=axis)
    np.testing.assert_array_equal(out.data, np.concatenate(arrays, axis=axis))
    assert gradcheck(lambda *ts: concatenate(ts, axis=axis), *arrays) < TOL


def test_concatenate_with_constants_and_gradient_by_hand():
    a = Tensor([[1.0, 2.0]], requires_grad=True)
    out = concatenate([a, np.zeros((2, 2)), a], axis=0)
    assert out.shape == (4, 2)
    out.backward(np.arange(8.0).reshape(4, 2))
    np.testing.assert_array_equal(a.grad, [[0 + 6, 1 + 7]])


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack(axis):
    arrays = [rand(2, 3, seed=10 + k) for k in range(4)]
    out = stack([Tensor(a) for a in arrays], axis=axis)
    np.testing.assert_array_equal(out.data, np.stack(arrays, axis=axis))
    assert gradcheck(lambda *ts: stack(ts, axis=axis), *arrays) < TOL


def test_join_keeps_each_gradient_in_its_tensor_dtype():
    a = Tensor(np.ones(2, np.float32), requires_grad=True)
    b = Tensor(np.ones(2, np.float64), requires_grad=True)
    (concatenate([a, b]).sum() + stack([a, b]).sum()).backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, [2.0, 2.0])


@pytest.mark.parametrize("join", [concatenate, stack])
def test_join_of_nothing_raises(join):
    with pytest.raises(ValueError, match="expected at least one tensor"):
        join([])


def test_concatenate_mismatched_shapes_raises():
    with pytest.raises(ValueError, match=r"shapes \[\(2, 3\), \(2, 4\)\] do not fit along axis 0"):
        concatenate([Tensor(np.ones((2, 3))), Tensor(np.ones((2, 4)))], axis=0)


def test_stack_mismatched_shapes_raises():
    with pytest.raises(ValueError, match=r"all tensors need one shape, got \[\(2,\), \(3,\)\]"):
        stack([Tensor(np.ones(2)), Tensor(np.ones(3))])

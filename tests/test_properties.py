"""Property-based tests: for random broadcastable shapes, random reductions and random valid
indexing, every gradient has its tensor's shape and equals float64 central differences.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor, getitem
from rosenblatt.autodiff import ops

TOL = 1e-6
SETTINGS = settings(max_examples=40, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def signed(shape, seed):
    """Random values with |x| in [0.5, 2]: away from the kinks of abs and the pole of 1/x."""
    rng = np.random.default_rng(seed)
    return np.asarray(rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape))


def gradients(fn, *arrays):
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    fn(*tensors).sum().backward()
    return [t.grad for t in tensors]


BINARY = {
    "add": (ops.add, np.add),
    "sub": (ops.sub, np.subtract),
    "mul": (ops.mul, np.multiply),
    "div": (ops.div, np.divide),
    "maximum": (ops.maximum, np.maximum),
    "minimum": (ops.minimum, np.minimum),
    "pow": (lambda a, b: ops.power(ops.abs(a), b), lambda a, b: np.abs(a) ** b),
}


@SETTINGS
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    name=st.sampled_from(sorted(BINARY)),
    seed=seeds,
)
def test_broadcast_binary_ops(shapes, name, seed):
    op, reference = BINARY[name]
    a_shape, b_shape = shapes.input_shapes
    a, b = signed(a_shape, seed), signed(b_shape, seed + 1) * 1.1  # 1.1: no ties in max / min
    out = op(Tensor(a), Tensor(b))
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, reference(a, b), rtol=1e-14)
    ga, gb = gradients(op, a, b)
    assert ga.shape == a.shape and gb.shape == b.shape
    assert gradcheck(op, a, b) < TOL


@st.composite
def reductions(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    ndim = len(shape)
    axis = draw(
        st.one_of(
            st.none(),
            st.integers(-ndim, ndim - 1),
            hnp.valid_tuple_axes(ndim, min_size=1),
        )
    )
    return shape, axis, draw(st.booleans())


@SETTINGS
@given(case=reductions(), name=st.sampled_from(["sum", "mean", "max", "min"]), seed=seeds)
def test_reductions(case, name, seed):
    shape, axis, keepdims = case
    size = int(np.prod(shape))
    x = np.random.default_rng(seed).permutation(size).reshape(shape) * 0.1  # distinct: no ties
    op = getattr(ops, name)
    out = op(Tensor(x), axis=axis, keepdims=keepdims)
    expected = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-14)
    (grad,) = gradients(lambda t: op(t, axis=axis, keepdims=keepdims), x)
    assert grad.shape == x.shape
    assert gradcheck(lambda t: op(t, axis=axis, keepdims=keepdims), x) < TOL


@st.composite
def indexings(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    kind = draw(st.sampled_from(["basic", "integer arrays", "boolean mask", "mixed"]))
    if kind == "basic":
        index = draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    elif kind == "integer arrays":
        index = draw(hnp.integer_array_indices(shape))
    elif kind == "boolean mask":
        depth = draw(st.integers(1, len(shape)))
        index = draw(hnp.arrays(bool, shape[:depth]))
    else:  # an integer array on the first axis, basic indices on the rest
        first = draw(hnp.integer_array_indices(shape[:1]))
        rest = draw(hnp.basic_indices(shape[1:], allow_ellipsis=False)) if len(shape) > 1 else ()
        index = first + (rest if isinstance(rest, tuple) else (rest,))
    return shape, index


@SETTINGS
@given(case=indexings(), seed=seeds)
def test_indexing(case, seed):
    shape, index = case
    x = np.random.default_rng(seed).normal(size=shape)
    out = getitem(Tensor(x), index)
    np.testing.assert_array_equal(out.data, x[index])
    (grad,) = gradients(lambda t: getitem(t, index), x)
    assert grad.shape == x.shape
    # the gradient of sum(x[index]) counts how often each element is picked
    picked = np.arange(x.size).reshape(shape)[index]
    np.testing.assert_array_equal(
        grad, np.bincount(np.ravel(picked), minlength=x.size).reshape(shape)
    )
    assert gradcheck(lambda t: getitem(t, index), x) < TOL

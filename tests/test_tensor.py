"""Tensor: dtypes, gradient bookkeeping, the backward walk, no_grad / detach and input errors.

Reference values are closed-form derivatives worked out by hand (lecture 001: "compute dL/du for
every node u, top to bottom").
"""

import sys

import numpy as np
import pytest

from rosenblatt import Tensor, as_tensor, floatx, is_grad_enabled, no_grad, set_floatx


@pytest.fixture
def restore_floatx():
    previous = floatx()
    yield
    set_floatx(previous)


# --------------------------------------------------------------------------- dtypes
def test_float32_is_the_default():
    assert floatx() == "float32"
    assert Tensor([1, 2, 3]).dtype == np.float32
    assert Tensor(2.5).dtype == np.float32
    assert Tensor([[True, False]]).dtype == np.float32


def test_float64_on_request():
    assert Tensor([1.0, 2.0], dtype="float64").dtype == np.float64
    assert Tensor([1.0], dtype=np.float64).dtype == np.float64
    assert Tensor(np.ones(3, np.float32), dtype="float64").dtype == np.float64


def test_float_ndarray_keeps_its_dtype_and_memory():
    arr = np.arange(3.0)
    t = Tensor(arr)
    assert t.dtype == np.float64
    assert t.data is arr
    assert Tensor(np.arange(3)).dtype == np.float32  # integers become floatx()


def test_set_floatx_changes_the_default(restore_floatx):
    set_floatx("float64")
    assert floatx() == "float64"
    assert Tensor([1, 2]).dtype == np.float64
    set_floatx("float32")
    assert Tensor([1, 2]).dtype == np.float32


def test_set_floatx_rejects_other_types(restore_floatx):
    with pytest.raises(ValueError, match="dtype: expected 'float32' or 'float64', got 'float16'"):
        set_floatx("float16")
    assert floatx() == "float32"


@pytest.mark.parametrize("dtype", ["int32", "float16", "complex64", "nonsense"])
def test_unsupported_dtype_argument_raises(dtype):
    with pytest.raises(ValueError, match=f"dtype: expected 'float32' or 'float64', got '{dtype}'"):
        Tensor([1.0], dtype=dtype)


def test_gradient_has_the_dtype_of_its_tensor_in_mixed_precision():
    a = Tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    b = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    out = (a * b).sum()
    assert out.dtype == np.float64
    out.backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])
    np.testing.assert_array_equal(b.grad, [1.0, 2.0])


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "value", ["3.0", b"3", ["a", "b"], np.array(["1", "2"]), np.array([None, 1.0]), {"a": 1}]
)
def test_tensor_from_non_numbers_raises_type_error(value):
    with pytest.raises(TypeError, match="Tensor: expected numbers or an array of numbers"):
        Tensor(value)


def test_tensor_from_a_string_names_the_string():
    with pytest.raises(TypeError, match="got str 'hello'"):
        Tensor("hello")


# --------------------------------------------------------------------------- basics
def test_requires_grad_and_grad_start_unset():
    x = Tensor([1.0, 2.0])
    w = Tensor([1.0, 2.0], requires_grad=True)
    assert not x.requires_grad and w.requires_grad
    assert x.grad is None and w.grad is None
    assert w.is_leaf and not (w * 2).is_leaf
    assert not (x * 2).requires_grad  # no input needs a gradient: nothing is recorded
    assert (x * w).requires_grad


def test_array_protocol():
    t = Tensor([[1.0, 2.0, 3.0]])
    assert t.shape == (1, 3) and t.ndim == 2 and t.size == 3 and len(t) == 1
    assert np.asarray(t) is t.data and t.numpy() is t.data
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert repr(t) == "Tensor([[1., 2., 3.]])"
    assert "requires_grad=True" in repr(Tensor([1.0], requires_grad=True))
    assert "float64" in repr(Tensor([1.0], dtype="float64"))
    np.testing.assert_array_equal(t < 2, [[True, False, False]])
    np.testing.assert_array_equal(t >= Tensor([[2.0, 2.0, 2.0]]), [[False, True, True]])


def test_as_tensor_passes_tensors_through():
    t = Tensor([1.0])
    assert as_tensor(t) is t
    assert as_tensor([1, 2], dtype="float64").dtype == np.float64


# --------------------------------------------------------------------------- 0-d scalars
def test_zero_dimensional_scalars():
    x = Tensor(3.0, requires_grad=True, dtype="float64")
    y = x * x * x  # dy/dx = 3 x^2 = 27
    assert x.shape == () and y.shape == ()
    assert isinstance(y.data, np.ndarray)
    assert y.item() == 27.0 and float(y) == 27.0
    y.backward()
    assert isinstance(x.grad, np.ndarray) and x.grad.shape == ()
    assert x.grad == 27.0


def test_reductions_give_zero_dimensional_arrays():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    s = x.sum()
    assert isinstance(s.data, np.ndarray) and s.shape == ()
    s.backward()
    np.testing.assert_array_equal(x.grad, np.ones((2, 3)))


def test_single_element_non_scalar_needs_no_gradient_argument():
    x = Tensor([[2.0]], requires_grad=True)
    (x * x).backward()
    np.testing.assert_array_equal(x.grad, [[4.0]])


# --------------------------------------------------------------------------- backward
def test_backward_of_a_product():
    x = Tensor([1.0, -2.0, 3.0], requires_grad=True)
    w = Tensor([0.5, 4.0, -1.0], requires_grad=True)
    (x * w).sum().backward()
    np.testing.assert_array_equal(x.grad, w.data)
    np.testing.assert_array_equal(w.grad, x.data)


def test_backward_with_an_explicit_gradient_is_a_vector_jacobian_product():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, dtype="float64")
    y = x * x  # Jacobian diag(2x)
    v = np.array([1.0, 10.0, 100.0])
    y.backward(v)
    np.testing.assert_array_equal(x.grad, 2 * x.data * v)


def test_backward_on_non_scalar_without_gradient_raises_with_the_shape():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"non-scalar tensor of shape \(2, 3\)"):
        (x * 2).backward()


def test_backward_with_wrong_shaped_gradient_raises():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"grad has shape \(3, 2\), expected \(2, 3\)"):
        (x * 2).backward(np.ones((3, 2)))
    assert x.grad is None


def test_backward_without_any_gradient_tracking_raises():
    with pytest.raises(RuntimeError, match="does not require a gradient"):
        (Tensor([1.0]) * 2).sum().backward()


def test_backward_on_a_leaf_seeds_its_own_gradient():
    x = Tensor(5.0, requires_grad=True)
    x.backward()
    assert x.grad == 1.0


def test_leaf_gradients_are_never_shared_arrays():
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    seed = np.array([1.0, 2.0, 3.0])
    (a + b).backward(seed)
    assert a.grad is not b.grad and not np.shares_memory(a.grad, seed)
    a.grad *= 0  # an in-place edit (e.g. gradient clipping) of one gradient
    np.testing.assert_array_equal(b.grad, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(seed, [1.0, 2.0, 3.0])


def test_reverse_topological_order_on_a_graph_where_order_matters():
    # y = 2x is used by two later nodes; its gradient must be complete before it flows to x.
    x = Tensor(1.5, requires_grad=True, dtype="float64")
    y = x * 2
    z = y * y + y + (y * 3).exp()
    z.backward()
    yv = 3.0
    assert x.grad == pytest.approx(2 * (2 * yv + 1 + 3 * np.exp(3 * yv)), rel=1e-12)


def test_topological_order_puts_every_node_before_its_inputs():
    rng = np.random.default_rng(0)
    nodes = [Tensor(rng.normal(size=2), requires_grad=True) for _ in range(3)]
    for _ in range(60):  # a random DAG with shared sub-expressions
        i, j = rng.integers(0, len(nodes), size=2)
        nodes.append(nodes[i] * 0.5 + nodes[j] if rng.random() < 0.5 else nodes[i] - nodes[j])
    root = sum(nodes[-10:], Tensor(np.zeros(2))).sum()
    order = root._topological_order()
    position = {id(n): k for k, n in enumerate(order)}
    assert len(position) == len(order) and order[0] is root
    for node in order:
        for parent in node._parents:
            if parent.requires_grad:
                assert position[id(parent)] > position[id(node)]


def test_ten_thousand_op_chain_runs_iteratively():
    limit = sys.getrecursionlimit()
    x = Tensor(0.5, requires_grad=True, dtype="float64")
    y = x
    sys.setrecursionlimit(1000)  # far below the chain length: recursion would fail
    try:
        for _ in range(5000):
            y = y * 1.0 + x  # y_k = y_(k-1) + x: dy/dx = 5001 after 10,000 ops
        y.backward()
    finally:
        sys.setrecursionlimit(limit)
    assert x.grad == 5001.0
    assert y.item() == pytest.approx(0.5 * 5001)


def test_hundred_thousand_op_chain():
    x = Tensor(2.0, requires_grad=True, dtype="float64")
    y = x
    for _ in range(100_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0 and y.item() == 100_002.0
    del y  # freeing the long chain must not overflow the stack either


# --------------------------------------------------------------------------- accumulation
def test_gradient_accumulates_for_x_times_x_and_x_plus_x():
    x = Tensor([1.0, -3.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, -6.0])
    x.zero_grad()
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_gradient_accumulates_through_a_diamond():
    # a -> b = 3a, c = a^2 -> d = b * c = 3 a^3: dd/da = 9 a^2
    a = Tensor([2.0, -1.0], requires_grad=True, dtype="float64")
    b = a * 3
    c = a * a
    (b * c).sum().backward()
    np.testing.assert_array_equal(a.grad, 9 * a.data**2)


def test_gradient_accumulates_across_backward_calls_until_zero_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for k in (1, 2, 3):
        (x * 4).sum().backward()
        np.testing.assert_array_equal(x.grad, [4.0 * k, 4.0 * k])
    x.zero_grad()
    assert x.grad is None


def test_retain_grad_keeps_an_intermediate_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = (x * 3).retain_grad()
    k = x * 3
    (h * h + k).sum().backward()
    np.testing.assert_array_equal(h.grad, 2 * h.data)
    assert k.grad is None
    np.testing.assert_array_equal(x.grad, 2 * h.data * 3 + 3)


# --------------------------------------------------------------------------- no_grad, detach
def test_no_grad_records_nothing_and_restores():
    w = Tensor([2.0], requires_grad=True)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = w * 3
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    np.testing.assert_array_equal(y.data, [6.0])
    with pytest.raises(RuntimeError, match="does not require a gradient"):
        y.sum().backward()


def test_no_grad_restores_after_an_exception():
    with pytest.raises(KeyError), no_grad():
        raise KeyError("boom")
    assert is_grad_enabled()


def test_detach_shares_data_and_cuts_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert d.data is x.data and not d.requires_grad
    (d * x).sum().backward()  # d is a constant: the gradient is d, not 2x
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])


# --------------------------------------------------------------------------- operators
def test_ndarray_and_tensor_operators_return_tensors():
    arr = np.array([1.0, 2.0], np.float32)
    t = Tensor([3.0, 5.0], requires_grad=True)
    cases = {
        "add": (arr + t, arr + t.data, [1, 1]),
        "sub": (arr - t, arr - t.data, [-1, -1]),
        "mul": (arr * t, arr * t.data, arr),
        "div": (arr / t, arr / t.data, -arr / t.data**2),
        "pow": (arr**t, arr**t.data, arr**t.data * np.log(arr)),
    }
    for name, (out, value, grad) in cases.items():
        assert isinstance(out, Tensor), name
        np.testing.assert_allclose(out.data, value, rtol=1e-6, err_msg=name)
        t.zero_grad()
        out.sum().backward()
        np.testing.assert_allclose(t.grad, grad, rtol=1e-6, atol=1e-7, err_msg=name)
    m = np.ones((3, 2), np.float32) @ t
    assert isinstance(m, Tensor) and m.shape == (3,)


def test_python_numbers_on_either_side():
    t = Tensor([2.0], requires_grad=True)
    out = 1 + t * 3 - 4 / t + 2**t - t**2 - (-t)
    assert isinstance(out, Tensor)
    out.sum().backward()
    expected = 3 + 4 / 4 + 4 * np.log(2) - 4 + 1
    np.testing.assert_allclose(t.grad, [expected], rtol=1e-6)


def test_methods_mirror_the_ops():
    t = Tensor([[1.0, 4.0], [9.0, 16.0]])
    np.testing.assert_array_equal(t.sqrt().data, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(t.T.data, t.data.T)
    np.testing.assert_array_equal(t.transpose(1, 0).data, t.data.T)
    np.testing.assert_array_equal(t.reshape(4).data, [1, 4, 9, 16])
    np.testing.assert_array_equal(t.reshape((1, 4)).data, [[1, 4, 9, 16]])
    assert t.max().item() == 16 and t.min().item() == 1 and t.mean().item() == 7.5
    np.testing.assert_array_equal(t.clip(2, 10).data, [[2, 4], [9, 10]])
    np.testing.assert_array_equal((-t).abs().data, t.data)
    np.testing.assert_allclose(t.log().exp().data, t.data, rtol=1e-6)
    np.testing.assert_allclose(t.tanh().data, np.tanh(t.data), rtol=1e-6)
    np.testing.assert_allclose(t.sigmoid().data, 1 / (1 + np.exp(-t.data)), rtol=1e-6)
    np.testing.assert_array_equal((t - 5).relu().data, [[0, 0], [4, 11]])

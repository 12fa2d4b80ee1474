"""Fused primitives equal their composite forms built from primitive ops (values and gradients,
float64, tight tolerance), pass central-difference checks, and reject bad input.
"""

import numpy as np
import pytest
from rosenblatt.fused import dense, sigmoid_binary_cross_entropy, softmax_cross_entropy
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor, fused
from rosenblatt import activations as A

TOL = 1e-6
RTOL = 1e-12


def rand(*shape, seed=0, scale=1.0):
    return np.random.default_rng(seed).normal(size=shape) * scale


def values_and_grads(fn, *arrays):
    """fn's value and the gradients of sum(fn * r) for a fixed random r, in float64."""
    tensors = [Tensor(np.array(a, np.float64), requires_grad=True) for a in arrays]
    out = fn(*tensors)
    r = np.random.default_rng(99).uniform(0.5, 1.5, size=out.shape)
    (out * Tensor(r)).sum().backward()
    return out.data, [t.grad for t in tensors]


def assert_same(fused_fn, composite_fn, *arrays):
    value, grads = values_and_grads(fused_fn, *arrays)
    ref_value, ref_grads = values_and_grads(composite_fn, *arrays)
    np.testing.assert_allclose(value, ref_value, rtol=RTOL, atol=1e-14)
    for g, ref in zip(grads, ref_grads, strict=True):
        np.testing.assert_allclose(g, ref, rtol=RTOL, atol=1e-14)


# --------------------------------------------------------------------------- dense
@pytest.mark.parametrize("activation", [None, *A.names()])
def test_dense_equals_activation_of_x_at_W_plus_b(activation):
    x, W, b = rand(5, 3, seed=1), rand(3, 4, seed=2), rand(4, seed=3)

    def composite(x, W, b):
        return A.get(activation)(x @ W + b)

    assert_same(lambda x, W, b: dense(x, W, b, activation), composite, x, W, b)


@pytest.mark.parametrize("activation", ["tanh", "relu", "softmax"])
def test_dense_without_bias(activation):
    x, W = rand(5, 3, seed=4), rand(3, 2, seed=5)
    assert_same(
        lambda x, W: dense(x, W, None, activation), lambda x, W: A.get(activation)(x @ W), x, W
    )


@pytest.mark.parametrize("activation", [None, "sigmoid", "relu", "softmax", A.elu_activation(0.5)])
def test_dense_gradcheck(activation):
    x, W, b = rand(4, 3, seed=6), rand(3, 5, seed=7), rand(5, seed=8)
    assert gradcheck(lambda x, W, b: dense(x, W, b, activation), x, W, b) < TOL


def test_dense_by_hand():
    x = Tensor([[1.0, 2.0]], dtype="float64")
    W = Tensor([[1.0, -1.0], [0.5, -2.0]], requires_grad=True, dtype="float64")
    b = Tensor([0.0, 1.0], requires_grad=True, dtype="float64")
    out = dense(x, W, b, "relu")  # z = [2, -4]: a = [2, 0]
    np.testing.assert_array_equal(out.data, [[2.0, 0.0]])
    out.sum().backward()
    np.testing.assert_array_equal(W.grad, [[1.0, 0.0], [2.0, 0.0]])
    np.testing.assert_array_equal(b.grad, [1.0, 0.0])


@pytest.mark.parametrize("activation", ["relu", None])
def test_dense_skips_the_input_gradient_when_the_input_needs_none(activation):
    W = Tensor(rand(3, 2, seed=9), requires_grad=True)
    b = Tensor(rand(2, seed=10), requires_grad=True)
    g = np.ones((4, 2))
    first_layer = dense(Tensor(rand(4, 3, seed=11)), W, b, activation)
    gx, gW, gb = first_layer._vjp(g)
    assert gx is None and gW.shape == (3, 2) and gb.shape == (2,)
    x = Tensor(rand(4, 3, seed=11), requires_grad=True)
    gx, _, _ = dense(x, W, b, activation)._vjp(g)
    assert gx is not None and gx.shape == (4, 3)


def test_dense_skips_gradients_of_frozen_weights():
    x = Tensor(rand(4, 3, seed=12), requires_grad=True)
    gx, gW, gb = dense(x, Tensor(rand(3, 2)), Tensor(rand(2)), "tanh")._vjp(np.ones((4, 2)))
    assert gx.shape == (4, 3) and gW is None and gb is None


def test_dense_accepts_plain_array_inputs_in_the_kernel_dtype():
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    out = dense(np.ones((1, 2), np.float32), W)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, [[2.0, 2.0, 2.0]])


@pytest.mark.parametrize(
    "x_shape, W_shape, match",
    [
        (
            (4, 3),
            (2, 5),
            r"expected x of shape \(n, 2\) and W of shape \(in, out\), got x \(4, 3\)",
        ),
        ((3,), (3, 5), r"got x \(3,\) and W \(3, 5\)"),
        ((4, 3), (3,), r"got x \(4, 3\) and W \(3,\)"),
    ],
)
def test_dense_shape_errors(x_shape, W_shape, match):
    with pytest.raises(ValueError, match=match):
        dense(Tensor(np.ones(x_shape)), Tensor(np.ones(W_shape)))


def test_dense_bias_shape_error():
    with pytest.raises(ValueError, match=r"expected b of shape \(5,\), got \(1, 5\)"):
        dense(Tensor(np.ones((4, 3))), Tensor(np.ones((3, 5))), Tensor(np.ones((1, 5))))


def test_dense_unknown_activation():
    with pytest.raises(ValueError, match="Unknown activation 'tahn'. Did you mean 'tanh'"):
        dense(Tensor(np.ones((4, 3))), Tensor(np.ones((3, 5))), activation="tahn")


# --------------------------------------------------------------------------- softmax cross-entropy
def composite_cce(z, y, reduction="mean"):
    """-sum(y * log_softmax(z)) per row, from primitive ops."""
    per_sample = -(Tensor(y) * A.log_softmax(z)).sum(axis=1)
    return {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}[reduction]


def one_hot(labels, k):
    return np.eye(k)[labels]


LABELS = np.array([2, 0, 3, 3, 1, 0])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "form", ["int", "int column", "float int", "one-hot", "soft", "unnormalized"]
)
def test_softmax_cross_entropy_equals_composite(form, reduction):
    z = rand(6, 4, seed=13, scale=2.0)
    soft = np.random.default_rng(14).dirichlet(np.ones(4), size=6)
    labels = {
        "int": LABELS,
        "int column": LABELS[:, None],
        "float int": LABELS.astype(np.float64),
        "one-hot": one_hot(LABELS, 4),
        "soft": soft,
        "unnormalized": soft * 3.0,
    }[form]
    target = one_hot(LABELS, 4) if form in ("int", "int column", "float int") else labels
    assert_same(
        lambda z: softmax_cross_entropy(z, labels, reduction),
        lambda z: composite_cce(z, target, reduction),
        z,
    )
    assert gradcheck(lambda z: softmax_cross_entropy(z, labels, reduction), z) < TOL


def test_softmax_cross_entropy_by_hand():
    # uniform logits over k classes: loss log k; gradient (1/k - y) / n
    z = Tensor(np.zeros((2, 4)), requires_grad=True, dtype="float64")
    loss = softmax_cross_entropy(z, np.array([1, 3]))
    assert loss.item() == pytest.approx(np.log(4), rel=1e-15)
    loss.backward()
    np.testing.assert_allclose(z.grad, (0.25 - one_hot([1, 3], 4)) / 2, rtol=1e-15)


def test_softmax_cross_entropy_gradient_is_softmax_minus_y_over_n():
    z = rand(5, 3, seed=15)
    t = Tensor(z, requires_grad=True)
    softmax_cross_entropy(t, LABELS[:5] % 3).backward()
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(t.grad, (p - one_hot(LABELS[:5] % 3, 3)) / 5, rtol=1e-13)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_cross_entropy_is_finite_at_large_logits(dtype):
    z = Tensor([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]], requires_grad=True, dtype=dtype)
    loss = softmax_cross_entropy(z, np.array([0, 0]), reduction="none")
    np.testing.assert_allclose(loss.data, [0.0, 2000.0], rtol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad, [[0, 0, 0], [-1, 1, 0]], atol=1e-7)
    assert loss.dtype == dtype and z.grad.dtype == dtype


@pytest.mark.parametrize(
    "labels, match",
    [
        (
            np.array([0, 4]),
            r"class labels must be in \[0, 3\] for 4 outputs, got values from 0 to 4",
        ),
        (np.array([-1, 2]), r"must be in \[0, 3\] for 4 outputs, got values from -1 to 2"),
        (np.array([0.5, 1.0]), "integer class labels expected, got non-integer values"),
        (
            np.array([0, 1, 2]),
            r"labels: expected shape \(2,\) integer classes or \(2, 4\) one-hot, "
            r"got \(3,\)",
        ),
        (np.zeros((2, 3)), r"got \(2, 3\)"),
    ],
)
def test_softmax_cross_entropy_bad_labels(labels, match):
    with pytest.raises(ValueError, match=match):
        softmax_cross_entropy(Tensor(np.zeros((2, 4))), labels)


def test_softmax_cross_entropy_bad_logits_and_reduction():
    with pytest.raises(ValueError, match=r"logits: expected shape \(n, k\), got \(4,\)"):
        softmax_cross_entropy(Tensor(np.zeros(4)), np.array([0]))
    with pytest.raises(
        ValueError, match="reduction: expected one of 'mean', 'sum', 'none', got 'avg'"
    ):
        softmax_cross_entropy(Tensor(np.zeros((2, 4))), np.array([0, 1]), reduction="avg")


# --------------------------------------------------------------------------- sigmoid BCE
def composite_bce(z, y, reduction="mean"):
    """-(y log s + (1 - y) log(1 - s)) with s = 1 / (1 + exp(-z)), from primitive ops."""
    s = 1 / (1 + (-z).exp())
    y = Tensor(y)
    elementwise = -(y * s.log() + (1 - y) * (1 - s).log())
    per_sample = elementwise.mean(axis=-1) if elementwise.ndim > 1 else elementwise
    return {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}[reduction]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(6,), (6, 1), (6, 3), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("targets", ["hard", "soft"])
def test_sigmoid_bce_equals_composite(targets, shape, reduction):
    z = rand(*shape, seed=16, scale=3.0)  # moderate logits: the composite form is accurate
    y = np.random.default_rng(17).random(shape)
    if targets == "hard":
        y = (y < 0.5) * 1.0
    assert_same(
        lambda z: sigmoid_binary_cross_entropy(z, y, reduction),
        lambda z: composite_bce(z, y, reduction),
        z,
    )
    assert gradcheck(lambda z: sigmoid_binary_cross_entropy(z, y, reduction), z) < TOL


def test_sigmoid_bce_by_hand():
    z = Tensor([0.0, 2.0], requires_grad=True, dtype="float64")
    loss = sigmoid_binary_cross_entropy(z, np.array([1.0, 0.0]))
    expected = (np.log(2) + np.log(1 + np.exp(2.0))) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-15)
    loss.backward()
    s = 1 / (1 + np.exp(-2.0))
    np.testing.assert_allclose(z.grad, [(0.5 - 1) / 2, s / 2], rtol=1e-15)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_bce_is_finite_at_large_logits(dtype):
    z = Tensor([1000.0, -1000.0, 1000.0, -1000.0], requires_grad=True, dtype=dtype)
    loss = sigmoid_binary_cross_entropy(z, np.array([1.0, 0.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [0.0, 0.0, 1000.0, 1000.0], rtol=1e-7, atol=1e-30)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad, [0.0, 0.0, 1.0, -1.0], atol=1e-30)


def test_sigmoid_bce_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"got targets \(4,\) and logits \(4, 1\)"):
        sigmoid_binary_cross_entropy(Tensor(np.zeros((4, 1))), np.zeros(4))


def test_sigmoid_bce_bad_reduction():
    with pytest.raises(ValueError, match="reduction: expected one of 'mean', 'sum', 'none'"):
        sigmoid_binary_cross_entropy(Tensor(np.zeros(2)), np.zeros(2), reduction="max")


# --------------------------------------------------------------------------- PyTorch (optional)
def test_fused_losses_match_pytorch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    z = rand(7, 5, seed=18, scale=3.0)
    labels = np.random.default_rng(19).integers(0, 5, size=7)
    soft = np.random.default_rng(20).dirichlet(np.ones(5), size=7)
    y = (np.random.default_rng(21).random((7, 5)) < 0.4) * 1.0
    cases = [
        (
            lambda t: softmax_cross_entropy(t, labels),
            lambda p: F.cross_entropy(p, torch.tensor(labels)),
        ),
        (
            lambda t: softmax_cross_entropy(t, soft, "sum"),
            lambda p: F.cross_entropy(p, torch.tensor(soft), reduction="sum"),
        ),
        (
            lambda t: sigmoid_binary_cross_entropy(t, y),
            lambda p: F.binary_cross_entropy_with_logits(p, torch.tensor(y)),
        ),
        (
            lambda t: sigmoid_binary_cross_entropy(t, y, "none").sum(),
            lambda p: (
                F.binary_cross_entropy_with_logits(p, torch.tensor(y), reduction="none")
                .mean(dim=1)
                .sum()
            ),
        ),
    ]
    for ours, theirs in cases:
        t = Tensor(z, requires_grad=True)
        out = ours(t)
        out.backward()
        p = torch.tensor(z, requires_grad=True)
        ref = theirs(p)
        ref.backward()
        np.testing.assert_allclose(out.item(), ref.item(), rtol=1e-12)
        np.testing.assert_allclose(t.grad, p.grad.numpy(), rtol=1e-10, atol=1e-15)


# --------------------------------------------------------------------------- array-level cores
def test_softmax_cross_entropy_arrays_closed_form_and_buffers():
    z = np.zeros((2, 4))
    per_sample, p, g = fused.softmax_cross_entropy_arrays(z, index=np.array([2, 0]))
    np.testing.assert_allclose(per_sample, [np.log(4), np.log(4)])  # uniform over 4 classes
    np.testing.assert_allclose(p, 0.25)
    np.testing.assert_allclose(g, [[0.25, 0.25, -0.75, 0.25], [-0.75, 0.25, 0.25, 0.25]])
    z = np.random.default_rng(0).normal(size=(5, 3))
    y = np.random.default_rng(1).random((5, 3))  # rows that do not sum to 1
    pb, gb = np.empty_like(z), np.empty_like(z)
    per_b, p_b, g_b = fused.softmax_cross_entropy_arrays(z, y=y, p=pb, g=gb)
    assert p_b is pb and g_b is gb
    per, p, g = fused.softmax_cross_entropy_arrays(z, y=y)
    np.testing.assert_array_equal(per_b, per)
    soft = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(per, -(y * np.log(soft)).sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(g, soft * y.sum(axis=1, keepdims=True) - y, rtol=1e-12)


def test_sigmoid_binary_cross_entropy_arrays_closed_form():
    z = np.array([[-1000.0, 0.0, 2.0]])
    y = np.array([[0.0, 1.0, 1.0]])
    elementwise, p, g = fused.sigmoid_binary_cross_entropy_arrays(z, y)
    np.testing.assert_allclose(elementwise, [[0.0, np.log(2), np.log1p(np.exp(-2.0))]],
                               atol=1e-300)
    np.testing.assert_allclose(p, [[0.0, 0.5, 1 / (1 + np.exp(-2.0))]], atol=1e-300)
    np.testing.assert_allclose(g, p - y)

"""Losses: the notes' values and gradients computed by hand (L13, L31), stability at probabilities
0 and 1 and at large logits, central-difference checks, the registry, errors, and (optionally)
torch.nn.functional.
"""

import math

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor
from rosenblatt import losses as L

TOL = 1e-6

# a small regression example: errors e = y_pred - y_true = [[0.5, 0], [2, -0.25]]
Y_REG = np.array([[1.0, 2.0], [0.0, -1.0]])
P_REG = np.array([[1.5, 2.0], [2.0, -1.25]])
# binary: y = [1, 0, 1], p = [0.9, 0.2, 0.6]
Y_BIN = np.array([1.0, 0.0, 1.0])
P_BIN = np.array([0.9, 0.2, 0.6])
# categorical: true classes 1 and 0
Y_CAT = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
P_CAT = np.array([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])


def loss_and_grad(loss, y_true, y_pred):
    p = Tensor(np.array(y_pred, np.float64), requires_grad=True)
    out = loss(y_true, p)
    out.backward()
    return out.item(), p.grad


# --------------------------------------------------------------------------- L31 by hand
def test_L31_mean_absolute_error():
    np.testing.assert_allclose(L.mean_absolute_error(Y_REG, P_REG).data, [0.25, 1.125])
    value, grad = loss_and_grad(L.MeanAbsoluteError(), Y_REG, P_REG)
    assert value == 0.6875
    np.testing.assert_array_equal(grad, [[0.25, 0.0], [0.25, -0.25]])  # sign(e) / (n m)


def test_L31_mean_squared_error():
    np.testing.assert_allclose(L.mean_squared_error(Y_REG, P_REG).data, [0.125, 2.03125])
    value, grad = loss_and_grad(L.MeanSquaredError(), Y_REG, P_REG)
    assert value == 1.078125
    np.testing.assert_array_equal(grad, [[0.25, 0.0], [1.0, -0.125]])  # 2 e / (n m)


def test_L31_smooth_absolute_error():
    # 1/2 e^2 where |e| < 1, |e| - 1/2 elsewhere: [[0.125, 0], [1.5, 0.03125]]
    np.testing.assert_allclose(L.smooth_absolute_error(Y_REG, P_REG).data, [0.0625, 0.765625])
    value, grad = loss_and_grad(L.SmoothAbsoluteError(), Y_REG, P_REG)
    assert value == 0.4140625
    np.testing.assert_array_equal(grad, [[0.125, 0.0], [0.25, -0.0625]])  # e or sign(e), / 4


def test_L31_smooth_absolute_error_is_huber_with_delta_one():
    e = np.linspace(-3, 3, 61)[:, None]
    expected = np.where(np.abs(e) < 1, 0.5 * e**2, np.abs(e) - 0.5)[:, 0]
    np.testing.assert_allclose(L.sae(np.zeros_like(e), e).data, expected, rtol=1e-15)
    np.testing.assert_allclose(L.huber(np.zeros_like(e), e, 1.0).data, expected, rtol=1e-15)


def test_huber_with_delta():
    # delta = 2: e = 0.5 -> 0.125; e = 3 -> 2 (3 - 1) = 4
    out = L.Huber(delta=2.0, reduction="none")(np.zeros((2, 1)), np.array([[0.5], [3.0]]))
    np.testing.assert_allclose(out.data, [0.125, 4.0])


def test_L31_L13_binary_crossentropy():
    expected = [-math.log(0.9), -math.log(0.8), -math.log(0.6)]
    np.testing.assert_allclose(L.binary_crossentropy(Y_BIN, P_BIN).data, expected, rtol=1e-12)
    value, grad = loss_and_grad(L.BinaryCrossentropy(), Y_BIN, P_BIN)
    assert value == pytest.approx(sum(expected) / 3, rel=1e-12)
    # d/dp of -(y ln p + (1 - y) ln(1 - p)) / n = (-y / p + (1 - y) / (1 - p)) / n
    np.testing.assert_allclose(grad, [-1 / 0.9 / 3, 1 / 0.8 / 3, -1 / 0.6 / 3], rtol=1e-12)


def test_L31_L13_binary_crossentropy_averages_the_last_axis():
    y, p = Y_BIN.reshape(1, 3), P_BIN.reshape(1, 3)
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3
    np.testing.assert_allclose(L.binary_crossentropy(y, p).data, [expected], rtol=1e-12)


def test_L31_L13_categorical_crossentropy():
    expected = [-math.log(0.7), -math.log(0.5)]
    np.testing.assert_allclose(L.categorical_crossentropy(Y_CAT, P_CAT).data, expected, rtol=1e-12)
    value, grad = loss_and_grad(L.CategoricalCrossentropy(), Y_CAT, P_CAT)
    assert value == pytest.approx(sum(expected) / 2, rel=1e-12)
    np.testing.assert_allclose(grad, [[0, -1 / 0.7 / 2, 0], [-1 / 0.5 / 2, 0, 0]], rtol=1e-12)


def test_L13_sparse_categorical_crossentropy_equals_one_hot():
    labels = np.array([1, 0])
    np.testing.assert_allclose(
        L.sparse_categorical_crossentropy(labels, P_CAT).data,
        L.categorical_crossentropy(Y_CAT, P_CAT).data,
        rtol=1e-15,
    )
    _, grad = loss_and_grad(L.SparseCategoricalCrossentropy(), labels[:, None], P_CAT)
    _, reference = loss_and_grad(L.CategoricalCrossentropy(), Y_CAT, P_CAT)
    np.testing.assert_allclose(grad, reference, rtol=1e-15)


def test_kl_divergence_by_hand():
    y, p = np.array([[0.2, 0.8]]), np.array([[0.5, 0.5]])
    expected = 0.2 * math.log(0.2 / 0.5) + 0.8 * math.log(0.8 / 0.5)
    np.testing.assert_allclose(L.kl_divergence(y, p).data, [expected], rtol=1e-12)
    _, grad = loss_and_grad(L.KLDivergence(), y, p)
    np.testing.assert_allclose(grad, -y / p, rtol=1e-12)  # d/dp of -y ln p


@pytest.mark.parametrize(
    "reduction, expected", [("mean", 1.078125), ("sum", 2.15625), ("none", [0.125, 2.03125])]
)
def test_reductions(reduction, expected):
    out = L.MeanSquaredError(reduction=reduction)(Y_REG, P_REG)
    np.testing.assert_allclose(out.data, expected)


# --------------------------------------------------------------------------- L13 stability
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_L13_binary_crossentropy_with_probabilities_exactly_0_and_1(dtype):
    p = Tensor([1.0, 0.0, 0.0, 1.0], requires_grad=True, dtype=dtype)
    out = L.binary_crossentropy(np.array([1.0, 0.0, 1.0, 0.0]), p)
    assert np.isfinite(out.data).all()
    assert out.data[0] < 1e-6 and out.data[1] < 1e-6  # right and certain: about 0
    assert 15 < out.data[2] < 17 and 15 < out.data[3] < 17  # wrong and certain: -ln(eps), eps 1e-7
    out.sum().backward()
    assert np.isfinite(p.grad).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_L13_categorical_crossentropy_with_probabilities_exactly_0_and_1(dtype):
    p = Tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], requires_grad=True, dtype=dtype)
    out = L.categorical_crossentropy(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), p)
    assert out.data[0] < 1e-6 and 15 < out.data[1] < 17
    out.sum().backward()
    assert np.isfinite(p.grad).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_L13_cross_entropies_from_large_logits(dtype):
    z = Tensor([[1000.0, -1000.0], [-1000.0, 1000.0]], requires_grad=True, dtype=dtype)
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    # row 0 is right and costs 0; row 1 is wrong: BCE 1000 per element, CCE 1000 - (-1000)
    cases = [
        (L.BinaryCrossentropy(from_logits=True), y, 500.0),
        (L.CategoricalCrossentropy(from_logits=True), y, 1000.0),
        (L.SparseCategoricalCrossentropy(from_logits=True), np.array([0, 0]), 1000.0),
    ]
    for loss, labels, expected in cases:
        z.zero_grad()
        out = loss(labels, z)
        out.backward()
        assert np.isfinite(out.data) and np.isfinite(z.grad).all(), loss.name
        assert out.item() == pytest.approx(expected, rel=1e-6), loss.name


# --------------------------------------------------------------------------- central differences
GRADCHECK = {
    "mae": (L.mean_absolute_error, Y_REG, P_REG + 0.1),  # no error exactly 0 (the kink of |e|)
    "mse": (L.mean_squared_error, Y_REG, P_REG),
    "sae": (L.smooth_absolute_error, Y_REG, P_REG + 0.1),
    "huber": (lambda y, p: L.huber(y, p, 0.7), Y_REG, P_REG + 0.1),
    "bce": (L.binary_crossentropy, Y_BIN, P_BIN),
    "bce soft": (L.binary_crossentropy, np.array([[0.3, 0.9]]), np.array([[0.4, 0.5]])),
    "bce logits": (
        lambda y, p: L.binary_crossentropy(y, p, from_logits=True),
        Y_BIN,
        P_BIN * 6 - 3,
    ),
    "cce": (L.categorical_crossentropy, Y_CAT, P_CAT),
    "cce logits": (lambda y, p: L.categorical_crossentropy(y, p, True), Y_CAT, P_CAT * 4),
    "scce": (L.sparse_categorical_crossentropy, np.array([2, 0]), P_CAT),
    "scce logits": (lambda y, p: L.sparse_categorical_crossentropy(y, p, True), [2, 0], P_CAT),
    "kld": (L.kl_divergence, np.array([[0.3, 0.7], [0.9, 0.1]]), P_CAT[:, :2]),
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_L31_loss_gradients_match_central_differences(name):
    fn, y_true, y_pred = GRADCHECK[name]
    assert gradcheck(lambda p: fn(y_true, p), y_pred) < TOL


# --------------------------------------------------------------------------- errors
def _suitable(name):
    """y_true, y_pred of matching shapes that the named loss accepts."""
    if L.get(name).name.startswith("sparse"):
        return np.array([1, 0]), P_CAT
    return Y_CAT, P_CAT


@pytest.mark.parametrize("name", L.registry.names())
def test_every_registered_loss_computes_a_finite_value_and_gradient(name):
    loss = L.get(name)
    assert isinstance(loss, L.Loss)
    y_true, y_pred = _suitable(name)
    value, grad = loss_and_grad(loss, y_true, y_pred)
    assert np.isfinite(value) and grad.shape == y_pred.shape and np.isfinite(grad).all()
    restored = L.get(L.serialize(loss))
    assert type(restored) is type(loss) and restored.get_config() == loss.get_config()


@pytest.mark.parametrize(
    "name", [n for n in L.registry.names() if "parse" not in n.lower()] + ["scce"]
)
def test_N_against_N_by_1_is_an_error_naming_both_shapes(name):
    loss = L.get(name)
    if isinstance(loss, L.SparseCategoricalCrossentropy):
        with pytest.raises(ValueError, match=r"got y_true \(4, 2\) and y_pred \(4, 3\)"):
            loss(np.zeros((4, 2)), np.full((4, 3), 0.5))
        return
    with pytest.raises(ValueError, match=r"got y_true \(4,\) and y_pred \(4, 1\)"):
        loss(np.zeros(4), np.full((4, 1), 0.5))
    with pytest.raises(ValueError, match=r"got y_true \(4, 3\) and y_pred \(4, 2\)"):
        loss(np.zeros((4, 3)), np.full((4, 2), 0.5))


@pytest.mark.parametrize("labels", [np.array([0, 3]), np.array([-1, 0])])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_labels_out_of_range_raise(labels, from_logits):
    with pytest.raises(ValueError, match=r"class labels must be in \[0, 2\] for 3 outputs"):
        L.sparse_categorical_crossentropy(labels, P_CAT, from_logits=from_logits)


def test_sparse_labels_must_be_integers():
    with pytest.raises(ValueError, match="integer class labels expected"):
        L.sparse_categorical_crossentropy(np.array([0.5, 1.0]), P_CAT)


@pytest.mark.parametrize("reduction", ["avg", "Mean", None])
def test_unknown_reduction_raises(reduction):
    with pytest.raises(ValueError, match="reduction: expected one of 'mean', 'sum', 'none'"):
        L.MeanSquaredError(reduction=reduction)


def test_unknown_loss_lists_valid_names_and_the_nearest():
    with pytest.raises(ValueError, match="Did you mean 'mean_squared_error'") as e:
        L.get("mean_sqared_error")
    assert "Unknown loss 'mean_sqared_error'" in str(e.value)
    assert "Valid names: MeanAbsoluteError, mean_absolute_error, mae" in str(e.value)


def test_cross_entropy_targets_outside_0_1_raise():
    with pytest.raises(
        ValueError, match=r"expected targets in \[0, 1\].*got values from 0.0 to 2.0"
    ):
        L.binary_crossentropy(np.array([0.0, 2.0]), np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match=r"expected targets in \[0, 1\]"):
        L.categorical_crossentropy(-Y_CAT, P_CAT)


def test_categorical_crossentropy_needs_two_dimensional_predictions():
    with pytest.raises(ValueError, match=r"y_pred: expected shape \(n, classes\), got \(3,\)"):
        L.categorical_crossentropy(Y_BIN, P_BIN)


@pytest.mark.parametrize("delta", [0.0, -1.0, "1"])
def test_huber_delta_must_be_positive(delta):
    with pytest.raises(ValueError, match="delta: expected a number > 0"):
        L.Huber(delta=delta)
    with pytest.raises(ValueError, match="delta: expected a number > 0"):
        L.huber(Y_REG, P_REG, delta)


def test_non_numeric_targets_raise():
    with pytest.raises(TypeError, match="y_true: expected numbers, got an array of dtype <U1"):
        L.mean_squared_error(np.array(["a", "b"]), np.zeros(2))


# --------------------------------------------------------------------------- get / serialize
def test_get_forms():
    assert isinstance(L.get("mse"), L.MeanSquaredError)
    assert isinstance(L.get("MeanSquaredError"), L.MeanSquaredError)
    assert isinstance(L.get(L.mean_squared_error), L.MeanSquaredError)
    huber = L.get({"class_name": "Huber", "config": {"delta": 2.5}})
    assert isinstance(huber, L.Huber) and huber.delta == 2.5
    loss = L.BinaryCrossentropy(from_logits=True, reduction="sum")
    assert L.get(loss) is loss
    assert L.get(L.serialize(loss)).get_config() == loss.get_config()


def test_user_functions_become_losses_but_cannot_be_saved():
    def cubic(y_true, y_pred):
        return ((y_pred - Tensor(y_true)) ** 3).sum(axis=-1)

    loss = L.get(cubic)
    assert isinstance(loss, L.LossFunctionWrapper) and loss.name == "cubic"
    assert loss(Y_REG, P_REG).item() == pytest.approx((0.125 + 8 - 0.25**3) / 2)
    with pytest.raises(TypeError, match="is not a built-in loss and cannot be saved"):
        L.serialize(loss)


@pytest.mark.parametrize("identifier, shown", [(3, "3"), ([1, 2], r"\[1, 2\]")])
def test_get_of_the_wrong_type_raises(identifier, shown):
    with pytest.raises(
        TypeError, match=f"loss: expected a name, a Loss or a function, got {shown}"
    ):
        L.get(identifier)


def test_float32_predictions_give_float32_losses():
    p = Tensor(P_CAT, requires_grad=True, dtype="float32")
    for name in ("mse", "mae", "sae", "bce", "cce", "kld"):
        out = L.get(name)(Y_CAT, p)
        assert out.dtype == np.float32, name
        p.zero_grad()
        out.backward()
        assert p.grad.dtype == np.float32, name


# --------------------------------------------------------------------------- PyTorch (optional)
def test_losses_match_torch_functional():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(5)
    y_reg, p_reg = rng.normal(size=(6, 3)), rng.normal(size=(6, 3)) * 2
    y_bin, p_bin = (rng.random((6, 3)) < 0.5) * 1.0, rng.uniform(0.05, 0.95, size=(6, 3))
    z, labels = rng.normal(size=(6, 4)) * 2, rng.integers(0, 4, size=6)
    y_prob, p_prob = rng.dirichlet(np.ones(4), size=6), rng.dirichlet(np.ones(4), size=6)
    cases = [
        (L.MeanSquaredError(), y_reg, p_reg, lambda p, y: F.mse_loss(p, y)),
        (L.MeanAbsoluteError(), y_reg, p_reg, lambda p, y: F.l1_loss(p, y)),
        (L.Huber(delta=1.5), y_reg, p_reg, lambda p, y: F.huber_loss(p, y, delta=1.5)),
        (L.SmoothAbsoluteError(), y_reg, p_reg, lambda p, y: F.smooth_l1_loss(p, y, beta=1.0)),
        (L.BinaryCrossentropy(), y_bin, p_bin, lambda p, y: F.binary_cross_entropy(p, y)),
        (
            L.BinaryCrossentropy(from_logits=True),
            y_bin,
            p_reg,
            lambda p, y: F.binary_cross_entropy_with_logits(p, y),
        ),
        (
            L.SparseCategoricalCrossentropy(from_logits=True),
            labels,
            z,
            lambda p, y: F.cross_entropy(p, y.long()),
        ),
        (
            L.CategoricalCrossentropy(from_logits=True, reduction="sum"),
            y_prob,
            z,
            lambda p, y: F.cross_entropy(p, y, reduction="sum"),
        ),
        (L.CategoricalCrossentropy(), y_prob, p_prob, lambda p, y: -(y * p.log()).sum(1).mean()),
        (
            L.KLDivergence(),
            y_prob,
            p_prob,
            lambda p, y: F.kl_div(p.log(), y, reduction="batchmean"),
        ),
    ]
    for loss, y_true, y_pred, reference in cases:
        ours, grad = loss_and_grad(loss, y_true, y_pred)
        p = torch.tensor(y_pred, requires_grad=True)
        theirs = reference(p, torch.tensor(y_true))
        theirs.backward()
        assert ours == pytest.approx(theirs.item(), rel=1e-10), loss.name
        np.testing.assert_allclose(grad, p.grad.numpy(), rtol=1e-9, atol=1e-14, err_msg=loss.name)

"""Activations: the notes' formulas and derivative identities (L06, L07), stability at |z| = 1000,
the registry, and (optionally) PyTorch.

References are closed forms evaluated with ``math`` and float64 central differences.
"""

import math

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor
from rosenblatt import activations as A

TOL = 1e-6
# points away from the kinks at 0 of relu, step, sign, leaky_relu and elu, and at -3 and 3 of
# hard_sigmoid (times 1 and 0.7)
Z = np.array([-4.0, -2.5, -1.0, -0.3, -0.01, 0.01, 0.2, 0.9, 1.7, 2.9, 3.2, 5.5])
ELEMENTWISE = [name for name in A.names() if isinstance(A.get(name), A.Activation)]


def central_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


def sigmoid_reference(z):
    return np.array([1 / (1 + math.exp(-v)) for v in np.ravel(z)]).reshape(np.shape(z))


# --------------------------------------------------------------------------- L06
CLOSED_FORMS = {
    "sigmoid": sigmoid_reference,
    "tanh": lambda z: np.array([math.tanh(v) for v in z]),
    "relu": lambda z: np.array([v if v >= 0 else 0.0 for v in z]),
    "softplus": lambda z: np.array([math.log(1 + math.exp(v)) for v in z]),
    "linear": lambda z: z.copy(),
    "step": lambda z: np.array([1.0 if v >= 0 else 0.0 for v in z]),
    "sign": lambda z: np.array([1.0 if v >= 0 else -1.0 for v in z]),
    "swish": lambda z: z * sigmoid_reference(z),
    "gelu": lambda z: np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in z]),
    "leaky_relu": lambda z: np.array([v if v >= 0 else 0.2 * v for v in z]),
    "elu": lambda z: np.array([v if v > 0 else math.exp(v) - 1 for v in z]),
    "hard_sigmoid": lambda z: np.array([min(max(v + 3, 0.0), 6.0) / 6 for v in z]),  # Keras
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_L06_values_match_the_closed_forms(name):
    np.testing.assert_allclose(A.get(name).value(Z), CLOSED_FORMS[name](Z), rtol=1e-14)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_L06_derivatives_match_central_differences(name):
    act = A.get(name)
    np.testing.assert_allclose(
        act.derivative(Z), central_difference(act.value, Z), rtol=1e-7, atol=1e-9
    )


def test_L06_sigmoid_derivative_is_f_times_one_minus_f():
    f = sigmoid_reference(Z)
    np.testing.assert_allclose(A.sigmoid.derivative(Z), f * (1 - f), rtol=1e-13)
    np.testing.assert_allclose(A.sigmoid.derivative(Z), np.exp(-Z) / (1 + np.exp(-Z)) ** 2)


def test_L06_tanh_derivative_is_one_minus_f_squared():
    f = np.tanh(Z)
    np.testing.assert_allclose(A.tanh.derivative(Z), 1 - f**2, rtol=1e-13)
    np.testing.assert_allclose(A.tanh.derivative(Z), 1 / np.cosh(Z) ** 2, rtol=1e-10)


def test_L06_relu_derivative_is_the_step_with_one_at_zero():
    z = np.array([-2.0, -1e-9, 0.0, 1e-9, 3.0])
    np.testing.assert_array_equal(A.relu.derivative(z), [0.0, 0.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(A.relu.derivative(z), A.step.value(z))


def test_L06_softplus_derivative_is_the_sigmoid():
    np.testing.assert_allclose(A.softplus.derivative(Z), sigmoid_reference(Z), rtol=1e-14)


def test_L06_linear_derivative_is_one_and_step_sign_derivatives_are_zero():
    np.testing.assert_array_equal(A.linear.derivative(Z), np.ones_like(Z))
    np.testing.assert_array_equal(A.step.derivative(Z), np.zeros_like(Z))
    np.testing.assert_array_equal(A.sign.derivative(Z), np.zeros_like(Z))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_L06_autodiff_through_each_activation(name):
    z = Z.reshape(1, -1) * np.array([[1.0], [0.7]])  # (2, 12), still away from the kinks
    assert gradcheck(A.get(name), z) < TOL
    t = Tensor(z, requires_grad=True)
    A.get(name)(t).sum().backward()
    np.testing.assert_array_equal(t.grad, A.get(name).derivative(z))


# --------------------------------------------------------------------------- L07
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_L07_tanh_is_a_scaled_sigmoid(dtype):
    x = np.linspace(-20, 20, 4001).astype(dtype)
    eps = np.finfo(dtype).eps
    np.testing.assert_allclose(
        A.tanh.value(x), 2 * A.sigmoid.value(2 * x) - 1, rtol=0, atol=4 * eps
    )


# --------------------------------------------------------------------------- dtypes, shapes
@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_keep_the_dtype(name, dtype):
    z = Z.astype(dtype)
    t = Tensor(z, requires_grad=True)
    out = A.get(name)(t)
    assert out.dtype == dtype and A.get(name).derivative(z).dtype == dtype
    out.sum().backward()
    assert t.grad.dtype == dtype


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activations_of_a_zero_dimensional_tensor(name):
    x = Tensor(0.5, requires_grad=True, dtype="float64")
    y = A.get(name)(x)
    assert y.shape == ()
    y.backward()
    assert x.grad == pytest.approx(float(A.get(name).derivative(np.array(0.5))))


def test_hard_sigmoid_is_registered_and_its_derivative_is_a_sixth_inside_the_ramp():
    act = A.get("hard_sigmoid")
    assert act is A.hard_sigmoid and A.serialize(act) == "hard_sigmoid"
    z = np.array([-7.0, -3.5, -2.9, -1.0, 0.0, 1.0, 2.9, 3.5, 7.0])
    np.testing.assert_allclose(act.value(z), np.clip(z / 6 + 0.5, 0, 1), rtol=1e-15)
    np.testing.assert_allclose(act.derivative(z), [0, 0, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0, 0],
                               rtol=1e-15)
    np.testing.assert_allclose(act.derivative(z), central_difference(act.value, z), rtol=1e-7,
                               atol=1e-9)
    assert act.value(np.float32([1.0])).dtype == np.float32


def test_leaky_relu_and_elu_parameters():
    leaky = A.leaky_relu_activation(0.01)
    np.testing.assert_allclose(leaky.value(np.array([-2.0, 3.0])), [-0.02, 3.0])
    np.testing.assert_allclose(leaky.derivative(np.array([-2.0, 3.0])), [0.01, 1.0])
    elu = A.elu_activation(2.0)
    np.testing.assert_allclose(elu.value(np.array([-1.0])), [2.0 * (math.exp(-1) - 1)])
    np.testing.assert_allclose(elu.derivative(np.array([-1.0])), [2.0 * math.exp(-1)])


# --------------------------------------------------------------------------- softmax family
def test_softmax_by_hand_and_sums_to_one():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    e = np.exp([1.0, 2.0, 3.0])
    out = A.softmax(Tensor(z)).data
    np.testing.assert_allclose(out, [e / e.sum(), [1 / 3] * 3], rtol=1e-15)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(A.softmax_activation.value(z), out, rtol=1e-15)
    assert A.get("softmax") is A.softmax_activation


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_log_softmax_logsumexp_gradients(axis):
    z = np.random.default_rng(0).normal(size=(3, 4)) * 2
    assert gradcheck(lambda t: A.softmax(t, axis=axis), z) < TOL
    assert gradcheck(lambda t: A.log_softmax(t, axis=axis), z) < TOL
    assert gradcheck(lambda t: A.logsumexp(t, axis=axis), z) < TOL
    assert gradcheck(lambda t: A.logsumexp(t, axis=axis, keepdims=True), z) < TOL
    lse = np.log(np.exp(z).sum(axis=axis))
    np.testing.assert_allclose(A.logsumexp(Tensor(z), axis=axis).data, lse, rtol=1e-14)
    np.testing.assert_allclose(
        A.log_softmax(Tensor(z), axis=axis).data, z - np.expand_dims(lse, axis), rtol=1e-13
    )


def test_logsumexp_gradient_is_the_softmax():
    z = Tensor([[0.5, -1.0, 2.0]], requires_grad=True, dtype="float64")
    A.logsumexp(z).sum().backward()
    np.testing.assert_allclose(z.grad, A.softmax_activation.value(z.data), rtol=1e-14)


# --------------------------------------------------------------------------- stability
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_sigmoid_is_finite_at_large_inputs(dtype, sign):
    z = Tensor([sign * 1000.0, sign * 50.0], requires_grad=True, dtype=dtype)
    y = A.sigmoid(z)
    expected = 1.0 if sign > 0 else 0.0
    np.testing.assert_allclose(y.data, [expected, expected], atol=1e-20)
    y.sum().backward()
    assert np.isfinite(z.grad).all() and z.grad[0] == 0.0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_softmax_family_is_finite_at_large_logits(dtype, sign):
    values = sign * np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 999.0]])
    results = {}
    for name, fn in (
        ("softmax", A.softmax),
        ("log_softmax", A.log_softmax),
        ("logsumexp", A.logsumexp),
    ):
        z = Tensor(values, requires_grad=True, dtype=dtype)
        out = fn(z)
        (out * Tensor(np.arange(out.size).reshape(out.shape) + 1.0, dtype=dtype)).sum().backward()
        assert np.isfinite(out.data).all() and np.isfinite(z.grad).all(), name
        results[name] = out.data.astype(np.float64)
    row = values[0]  # a permutation of (1000, -1000, 0): logsumexp = 1000 to float precision
    np.testing.assert_allclose(results["logsumexp"][0], 1000.0, rtol=1e-7)
    np.testing.assert_allclose(results["log_softmax"][0], row - 1000.0, atol=1e-4)
    np.testing.assert_allclose(results["softmax"][0], row == 1000.0, atol=1e-7)
    np.testing.assert_allclose(results["softmax"].sum(axis=1), 1.0, rtol=1e-6)


# --------------------------------------------------------------------------- registry
@pytest.mark.parametrize("name", A.names())
def test_every_registered_name_round_trips(name):
    act = A.get(name)
    assert A.get(A.serialize(act)) is act
    assert A.get(name.upper()) is act
    out = act(Tensor(Z.reshape(1, -1)))
    assert out.shape == (1, Z.size) and np.isfinite(out.data).all()


def test_get_accepts_none_callables_and_dicts():
    assert A.get(None) is A.linear
    assert A.get({"class_name": "tanh"}) is A.tanh

    def custom(x):
        return x

    assert A.get(custom) is custom


def test_unknown_activation_lists_valid_names_and_the_nearest():
    with pytest.raises(ValueError, match=r"Unknown activation 'rleu'\. Did you mean 'relu'\?") as e:
        A.get("rleu")
    assert "Valid names: linear, identity, step" in str(e.value) and "softmax" in str(e.value)


def test_activation_of_the_wrong_type_raises():
    with pytest.raises(TypeError, match="activation: expected a name, None or a callable, got int"):
        A.get(3)


def test_serializing_an_unregistered_activation_raises():
    with pytest.raises(TypeError, match="is not a registered activation"):
        A.serialize(A.leaky_relu_activation(0.01))


def test_repr_shows_the_formula():
    assert "g' = g (1 - g)" in repr(A.sigmoid)
    assert "softmax(z)_k" in repr(A.softmax_activation)


# --------------------------------------------------------------------------- PyTorch (optional)
def test_activations_match_pytorch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    z = np.random.default_rng(1).normal(size=(3, 5)) * 3
    z[np.abs(z) < 1e-3] = 0.5  # no exact zeros: ReLU'(0) differs (1 here, 0 in PyTorch)
    pairs = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": F.relu,
        "softplus": F.softplus,
        "swish": F.silu,
        "gelu": F.gelu,
        "elu": F.elu,
        "leaky_relu": lambda t: F.leaky_relu(t, 0.2),
        "linear": lambda t: t * 1,
        "softmax": lambda t: F.softmax(t, dim=-1),
    }
    weights = np.random.default_rng(2).normal(size=z.shape)
    for name, reference in pairs.items():
        t = Tensor(z, requires_grad=True)
        out = A.get(name)(t)
        (out * Tensor(weights)).sum().backward()
        p = torch.tensor(z, requires_grad=True)
        ref = reference(p)
        (ref * torch.tensor(weights)).sum().backward()
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(t.grad, p.grad.numpy(), rtol=1e-10, atol=1e-14, err_msg=name)
    t = Tensor(z, requires_grad=True)
    A.log_softmax(t, axis=0).sum().backward()
    p = torch.tensor(z, requires_grad=True)
    F.log_softmax(p, dim=0).sum().backward()
    np.testing.assert_allclose(t.grad, p.grad.numpy(), rtol=1e-10, atol=1e-14)


# --------------------------------------------------------------------------- in-place values
@pytest.mark.parametrize("name", ["linear", "relu", "tanh", "softmax", "sigmoid", "elu",
                                  "hard_sigmoid"])
def test_value_in_place_equals_value(name):
    act = A.get(name)
    z = np.random.default_rng(0).normal(scale=3.0, size=(5, 4)).astype(np.float32)
    expected = act.value(z.copy())
    np.testing.assert_array_equal(act.value_in_place(z.copy()), expected)

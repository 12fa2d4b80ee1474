"""The backprop explainer (lecture 000, L08) against autodiff, central differences and hand work."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from rosenblatt.explain import BackpropTrace, explain
from rosenblatt.fused import dense
from rosenblatt.layers import Activation, Dense, Dropout
from rosenblatt.tensor import Tensor

from rosenblatt.models import Sequential

ACTIVATIONS = ["sigmoid", "tanh", "relu"]
HIDDEN = [[3], [4, 3], [3, 4, 2]]


def make_model(sizes, activation, seed=0, dtype="float64", use_bias=True):
    layers = [
        Dense(
            n_out,
            activation=activation,
            input_dim=n_in if i == 0 else None,
            dtype=dtype,
            use_bias=use_bias,
            bias_initializer="ones",
        )
        for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes))
    ]
    return Sequential(layers, seed=seed)


def sample(sizes, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=sizes[0]), rng.normal(size=sizes[-1])


def zero_grads(model):
    for w in model.weights:
        w.zero_grad()


def autodiff_per_layer(model, x, y):
    """dE/dp(l) by retain_grad on each Dense pre-activation, and the weight gradients."""
    zero_grads(model)
    o, pre = Tensor(x[None, :]), []
    for layer in model.layers:
        p = dense(o, layer.kernel, layer.bias).retain_grad()  # the pre-activation x W + b
        pre.append(p)
        o = layer.activation(p)
    E = 0.5 * ((o - Tensor(y[None, :])) ** 2).sum()
    E.backward()
    return [p.grad[0] for p in pre], [w.grad.copy() for w in model.weights], E.item()


def autodiff_fused(model, x, y):
    """Weight gradients through the model's own (fused) forward pass."""
    zero_grads(model)
    h = model(x[None, :])
    (0.5 * ((h - Tensor(y[None, :])) ** 2).sum()).backward()
    return [w.grad.copy() for w in model.weights]


def numpy_error(kernels, biases, x, y, g):
    o = x
    for W, b in zip(kernels, biases, strict=True):
        o = g(W.T @ o + b)
    return 0.5 * np.sum((o - y) ** 2)


def central_differences(kernels, biases, x, y, g, h=1e-6):
    grads = []
    for W, b in zip(kernels, biases, strict=True):
        for arr in (W, b):
            grad = np.zeros_like(arr)
            for i in np.ndindex(arr.shape):
                keep = arr[i]
                arr[i] = keep + h
                up = numpy_error(kernels, biases, x, y, g)
                arr[i] = keep - h
                down = numpy_error(kernels, biases, x, y, g)
                arr[i] = keep
                grad[i] = (up - down) / (2 * h)
            grads.append(grad)
    return grads


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: "-".join(map(str, h)))
def test_deltas_and_gradients_equal_autodiff(hidden, activation):
    sizes = [3, *hidden, 2]
    model = make_model(sizes, activation)
    x, y = sample(sizes)
    trace = explain(model, x, y, print_fn=None)
    deltas, grads, E = autodiff_per_layer(model, x, y)
    assert len(trace.layers) == len(hidden) + 1
    assert all(np.any(delta != 0) for delta in trace.deltas)  # no layer is dead (relu)
    for mine, ref in zip(trace.deltas, deltas, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)
    for mine, ref in zip(trace.gradients(), grads, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)
    for mine, ref in zip(trace.gradients(), autodiff_fused(model, x, y), strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)
    assert trace.error == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(trace.h, model.predict(x[None, :])[0], rtol=1e-12)


def test_L08_three_hidden_layers_against_central_differences():
    """The notes' 3-hidden-layer network: p(1)..p(4), o(4) = h, deltas and dE/dTheta(0..3)."""
    sizes = [3, 4, 4, 3, 2]
    model = make_model(sizes, "sigmoid", seed=8)
    x, y = sample(sizes, seed=8)
    trace = explain(model, x, y, print_fn=None)
    assert [step.index for step in trace.layers] == [1, 2, 3, 4]
    weights = model.get_weights()
    kernels, biases = weights[::2], weights[1::2]
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    o = x
    for step, W, b in zip(trace.layers, kernels, biases, strict=True):
        np.testing.assert_allclose(step.theta, W.T)
        np.testing.assert_allclose(step.p, W.T @ o + b, rtol=1e-12)
        o = sigmoid(step.p)
        np.testing.assert_allclose(step.o, o, rtol=1e-12)
    np.testing.assert_allclose(trace.h, o)
    assert trace.error == pytest.approx(0.5 * np.sum((o - y) ** 2), rel=1e-12)
    numeric = central_differences(kernels, biases, x, y, sigmoid)
    for mine, ref in zip(trace.gradients(), numeric, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-6, atol=1e-9)
    deltas, _, _ = autodiff_per_layer(model, x, y)
    for mine, ref in zip(trace.deltas, deltas, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)
    text = str(trace)
    for k in range(1, 5):
        assert f"p({k}) = Theta({k - 1}) o({k - 1}) + b({k - 1})" in text
        assert f"dE/dTheta({k - 1})_ij = delta({k})_i o({k - 1})_j" in text
    assert "delta(4) = (h - y) * g'(p(4))" in text
    assert "delta(1) = Theta(1)^T delta(2) * g'(p(1))" in text


# Worked by hand: Theta(0) = [[1, 2], [-1, 3]], b(0) = (-1, 1), x = (1, 0) give p(1) = (0, 0),
# o(1) = (1/2, 1/2), g'(p(1)) = (1/4, 1/4); Theta(1) = [[1, -1]], b(1) = 0 give p(2) = 0,
# h = 1/2. With y = 1: E = 1/8, delta(2) = (1/2 - 1) / 4 = -1/8,
# dE/dTheta(1) = -1/8 (1/2, 1/2) = (-1/16, -1/16), delta(1) = (1, -1) (-1/8) / 4 = (-1/32, 1/32),
# dE/dTheta(0) = delta(1) x^T = [[-1/32, 0], [1/32, 0]].
HAND_KERNELS = [[[1.0, -1.0], [2.0, 3.0]], [[1.0], [-1.0]]]
HAND_BIASES = [[-1.0, 1.0], [0.0]]


def test_one_hidden_layer_by_hand():
    trace = explain(HAND_KERNELS, [1, 0], 1, biases=HAND_BIASES, print_fn=None)
    first, second = trace.layers
    np.testing.assert_array_equal(first.p, [0, 0])
    np.testing.assert_array_equal(first.o, [0.5, 0.5])
    np.testing.assert_array_equal(first.g_prime, [0.25, 0.25])
    np.testing.assert_array_equal(second.p, [0])
    np.testing.assert_array_equal(trace.h, [0.5])
    assert trace.error == 0.125
    np.testing.assert_array_equal(second.delta, [-0.125])
    np.testing.assert_array_equal(second.grad_theta, [[-0.0625, -0.0625]])
    np.testing.assert_array_equal(second.grad_bias, [-0.125])
    np.testing.assert_array_equal(first.delta, [-0.03125, 0.03125])
    np.testing.assert_array_equal(first.grad_theta, [[-0.03125, 0], [0.03125, 0]])
    np.testing.assert_array_equal(first.grad_kernel, [[-0.03125, 0.03125], [0, 0]])


def test_rendering_by_hand_and_notation():
    text = str(explain(HAND_KERNELS, [1, 0], [1], biases=HAND_BIASES, print_fn=None))
    assert "Theta(l-1) = W^T" in text and "o_0 = 1" in text
    assert "o(0) = x = [1, 0]" in text
    assert "Theta(0) = [[1, 2], [-1, 3]]" in text
    assert "o(1) = g(p(1)) = [0.5, 0.5]" in text
    assert "E = 1/2 ||h - y||^2 = 0.125" in text
    assert "delta(2) = (h - y) * g'(p(2)) = [-0.5] * [0.25] = [-0.125]" in text
    assert "= [-0.125, 0.125] * [0.25, 0.25] = [-0.03125, 0.03125]" in text
    assert "dE/dTheta(0)_ij = delta(1)_i o(0)_j = [[-0.03125, 0], [0.03125, 0]]" in text
    assert "-0," not in text and "-0]" not in text


def test_rendering_uses_five_significant_digits():
    # sigmoid(0.6) = 0.6456563..., sigmoid(-0.5) = 0.3775406...
    text = str(explain([[[0.6, -0.5]]], [1], [1, 0], biases=[[0, 0]], print_fn=None))
    assert "o(1) = g(p(1)) = [0.64566, 0.37754]" in text


def test_print_fn_receives_the_rendered_trace(capsys):
    seen = []
    trace = explain(HAND_KERNELS, [1, 0], [1], biases=HAND_BIASES, print_fn=seen.append)
    assert seen == [str(trace)]
    explain(HAND_KERNELS, [1, 0], [1], biases=HAND_BIASES, print_fn=None)
    assert capsys.readouterr().out == ""
    explain(HAND_KERNELS, [1, 0], [1], biases=HAND_BIASES)
    assert capsys.readouterr().out == str(trace) + "\n"


def test_weights_lists_equal_the_model_and_accept_per_layer_activations():
    model = Sequential(
        [Dense(3, "tanh", input_dim=2, dtype="float64"), Dense(1, "sigmoid", dtype="float64")],
        seed=5,
    )
    weights = model.get_weights()
    from_model = explain(model, [0.3, -0.7], [0.2], print_fn=None)
    from_lists = explain(
        weights[::2],
        [0.3, -0.7],
        [0.2],
        biases=weights[1::2],
        activation=["tanh", "sigmoid"],
        print_fn=None,
    )
    assert str(from_model) == str(from_lists)
    assert [s.activation for s in from_lists.layers] == ["tanh", "sigmoid"]


def test_zero_biases_by_default_and_layers_without_bias():
    kernels = [np.array([[0.5, -1.0]]), np.array([[2.0], [1.0]])]
    default = explain(kernels, [1.0], [0.0], print_fn=None)
    zeros = explain(kernels, [1.0], [0.0], biases=[np.zeros(2), np.zeros(1)], print_fn=None)
    assert str(default) == str(zeros)
    model = make_model([2, 3, 1], "sigmoid", seed=2, use_bias=False)
    trace = explain(model, [1.0, 2.0], [0.5], print_fn=None)
    assert all(step.bias is None and step.grad_bias is None for step in trace.layers)
    assert "b(0)" not in str(trace)
    _, grads, _ = autodiff_per_layer(model, np.array([1.0, 2.0]), np.array([0.5]))
    for mine, ref in zip(trace.gradients(), grads, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-12)


def test_float32_model_is_explained_in_float64():
    model = make_model([2, 2, 1], "sigmoid", seed=3, dtype="float32")
    trace = explain(model, np.array([1, -1], np.float32), [1], print_fn=None)
    assert isinstance(trace, BackpropTrace)
    assert all(step.delta.dtype == np.float64 for step in trace.layers)
    weights = [w.astype(np.float64) for w in model.get_weights()]
    ref = explain(weights[::2], [1, -1], [1], biases=weights[1::2], print_fn=None)
    for mine, other in zip(trace.gradients(), ref.gradients(), strict=True):
        np.testing.assert_array_equal(mine, other)


def test_x_and_y_may_be_rows_of_one_sample():
    flat = explain(HAND_KERNELS, [1, 0], [1], biases=HAND_BIASES, print_fn=None)
    rows = explain(HAND_KERNELS, [[1, 0]], [[1]], biases=HAND_BIASES, print_fn=None)
    assert str(flat) == str(rows)


def test_matches_pytorch():
    torch = pytest.importorskip("torch")
    model = make_model([3, 4, 2], "tanh", seed=11)
    x, y = sample([3, 4, 2], seed=11)
    trace = explain(model, x, y, print_fn=None)
    params = [torch.tensor(w, requires_grad=True) for w in model.get_weights()]
    o = torch.tensor(x)
    for W, b in zip(params[::2], params[1::2], strict=True):
        o = torch.tanh(o @ W + b)
    (0.5 * ((o - torch.tensor(y)) ** 2).sum()).backward()
    for mine, p in zip(trace.gradients(), params, strict=True):
        np.testing.assert_allclose(mine, p.grad.numpy(), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([1, 0, 0], [1], r"x: expected 2 values \(the network's input width\).*got shape \(3,\)"),
        ([1], [1], r"x: expected 2 values .*got shape \(1,\)"),
        ([[1, 0], [0, 1]], [1], r"x: expected 2 values .*got shape \(2, 2\)"),
        ([1, 0], [1, 0], r"y: expected 1 values \(the network's output width\)"),
        ([1, np.nan], [1], r"x: expected finite numbers"),
    ],
)
def test_bad_samples_raise_value_error(x, y, message):
    with pytest.raises(ValueError, match=message):
        explain(HAND_KERNELS, x, y, biases=HAND_BIASES, print_fn=None)


def test_non_numeric_x_raises_type_error():
    with pytest.raises(TypeError, match="x: expected an array of numbers"):
        explain(HAND_KERNELS, "10", [1], print_fn=None)


@pytest.mark.parametrize("extra", [Dropout(0.5), Activation("relu")], ids=["dropout", "act"])
def test_non_dense_layers_raise(extra):
    model = Sequential([Dense(2, input_dim=2, dtype="float64"), extra, Dense(1, dtype="float64")])
    with pytest.raises(ValueError, match=r"Dense layers only, got layer .* of type "):
        explain(model, [1, 0], [1], print_fn=None)


def test_model_errors():
    with pytest.raises(ValueError, match="layer .* is not built"):
        explain(Sequential([Dense(2)]), [1, 0], [1], print_fn=None)
    with pytest.raises(ValueError, match="empty Sequential"):
        explain(Sequential(), [1, 0], [1], print_fn=None)
    softmax = Sequential([Dense(2, "softmax", input_dim=2)])
    with pytest.raises(ValueError, match="elementwise activation .* got 'softmax'"):
        explain(softmax, [1, 0], [1, 0], print_fn=None)
    with pytest.raises(ValueError, match="biases: give biases only with a list of kernels"):
        explain(make_model([2, 1], "tanh"), [1, 0], [1], biases=[[0.0]], print_fn=None)
    with pytest.raises(TypeError, match="model: expected a Sequential .* got str"):
        explain("net", [1, 0], [1], print_fn=None)


def test_weight_list_errors():
    with pytest.raises(ValueError, match="model: expected at least one kernel"):
        explain([], [1], [1], print_fn=None)
    with pytest.raises(ValueError, match=r"model\[1\]: expected a kernel with 2 rows"):
        explain([np.ones((2, 2)), np.ones((3, 1))], [1, 0], [1], print_fn=None)
    with pytest.raises(ValueError, match=r"model\[0\]: expected a 2-D array, got shape \(2,\)"):
        explain([np.ones(2)], [1, 0], [1], print_fn=None)
    with pytest.raises(ValueError, match=r"biases\[1\]: expected shape \(1,\)"):
        explain(HAND_KERNELS, [1, 0], [1], biases=[[0, 0], [0, 0]], print_fn=None)
    with pytest.raises(ValueError, match="biases: expected a list of 2 bias vectors, got 1"):
        explain(HAND_KERNELS, [1, 0], [1], biases=[[0, 0]], print_fn=None)
    with pytest.raises(ValueError, match="activation: expected one activation or a list of 2"):
        explain(HAND_KERNELS, [1, 0], [1], activation=["relu"], print_fn=None)
    with pytest.raises(ValueError, match="Unknown activation 'sigmod'. Did you mean 'sigmoid'"):
        explain(HAND_KERNELS, [1, 0], [1], activation="sigmod", print_fn=None)


def test_docstring_examples():
    import doctest

    import rosenblatt.explain

    result = doctest.testmod(rosenblatt.explain)
    assert result.attempted >= 3 and result.failed == 0

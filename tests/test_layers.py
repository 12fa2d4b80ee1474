"""Layers: Dense, Activation, Dropout, Flatten, Input (lectures 001, 002; Keras' signatures)."""

import inspect

import numpy as np
import pytest
from rosenblatt.functional import SymbolicTensor
from rosenblatt.layers import Activation, Dense, Dropout, Flatten, Input, InputLayer

from rosenblatt import initializers, layers, regularizers


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- Dense
def test_dense_signature_matches_keras():
    params = inspect.signature(Dense).parameters
    expected = {
        "activation": None,
        "use_bias": True,
        "kernel_initializer": "glorot_uniform",
        "bias_initializer": "zeros",
        "kernel_regularizer": None,
        "bias_regularizer": None,
    }
    assert list(params)[0] == "units"
    for name, default in expected.items():
        assert params[name].default == default
    assert Dense(2, input_dim=3).input_shape_arg == (3,)
    assert Dense(2, input_shape=(3,)).input_shape_arg == (3,)
    assert Dense(2, input_shape=3).input_shape_arg == (3,)


def test_L10_dense_builds_on_first_call_from_the_input_shape():
    layer = Dense(5, activation="tanh")
    assert not layer.built and layer.weights == []
    x = np.random.default_rng(0).normal(size=(7, 4))
    a = layer(x).data
    assert layer.built and layer.input_shape == (4,)
    W, b = layer.get_weights()
    assert W.shape == (4, 5) and b.shape == (5,)  # Keras layout: kernel (in, out), bias (out,)
    assert layer.count_params() == (4 + 1) * 5
    np.testing.assert_array_equal(b, 0.0)  # bias_initializer='zeros'
    limit = np.sqrt(6.0 / (4 + 5))  # glorot_uniform: U(-limit, limit)
    assert np.all(np.abs(W) <= limit) and W.std() > 0
    np.testing.assert_allclose(a, np.tanh(x @ W + b), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer(x.astype(np.float32)).data, a, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "activation, g",
    [
        (None, lambda z: z),
        ("linear", lambda z: z),
        ("relu", lambda z: np.maximum(z, 0)),
        ("sigmoid", _sigmoid),
        ("tanh", np.tanh),
        ("softmax", lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)),
    ],
)
def test_L06_dense_activation_is_applied_to_x_W_plus_b(activation, g):
    layer = Dense(3, activation=activation, bias_initializer="ones", dtype="float64")
    x = np.random.default_rng(1).normal(size=(6, 2))
    out = layer(x).data
    W, b = layer.get_weights()
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, g(x @ W + b), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer(x).data, out, rtol=1e-12, atol=1e-12)


def test_dense_without_bias_and_with_initializer_objects():
    layer = Dense(2, use_bias=False, kernel_initializer=initializers.Constant(0.5))
    out = layer(np.ones((3, 4))).data
    assert [w.shape for w in layer.get_weights()] == [(4, 2)]
    assert layer.count_params() == 8
    np.testing.assert_allclose(out, 2.0)  # 4 inputs * 0.5


def test_dense_registers_its_regularizers():
    layer = Dense(2, kernel_regularizer="l2", bias_regularizer=regularizers.L1(0.5))
    layer(np.ones((1, 3)))
    terms = layer.regularization_terms()
    assert [w.name.split("/")[-1] for w, _ in terms] == ["kernel", "bias"]
    W, b = layer.get_weights()
    assert terms[0][1].penalty(W) == pytest.approx(0.01 * np.sum(W**2), rel=1e-6)
    b_new = np.array([1.0, -2.0])
    assert terms[1][1].penalty(b_new) == pytest.approx(0.5 * 3.0)


def test_dense_set_weights_overwrites_and_checks_before_writing():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    new = [np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0])]
    layer.set_weights(new)
    for got, want in zip(layer.get_weights(), new, strict=True):
        np.testing.assert_array_equal(got, want)
    before = layer.get_weights()
    with pytest.raises(ValueError, match="expected 2 weight arrays, got 1"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"has shape \(2,\), got an array of shape \(3,\)"):
        layer.set_weights([np.zeros((3, 2)), np.zeros(3)])  # first array fine, second not
    for got, want in zip(layer.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, want)  # nothing half-written


def test_dense_get_weights_returns_copies():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    W = layer.get_weights()[0]
    W[...] = 99.0
    assert not np.any(layer.get_weights()[0] == 99.0)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Dense(0), ValueError, "units: expected an? integer > 0, got 0"),
        (lambda: Dense(2.5), ValueError, "units: expected an? integer > 0, got 2.5"),
        (lambda: Dense("3"), ValueError, "units: expected .* got '3'"),
        (lambda: Dense(3, activation="rellu"), ValueError, "Did you mean 'relu'"),
        (lambda: Dense(3, kernel_initializer="glorot"), ValueError, "Valid names: .*glorot"),
        (lambda: Dense(3, kernel_regularizer="l3"), ValueError, "Unknown regularizer 'l3'"),
        (lambda: Dense(3, input_dim=2, input_shape=(2,)), ValueError, "not both"),
        (lambda: Dense(3, input_shape=(0,)), ValueError, "input_shape: expected .* got 0"),
        (lambda: Dense(3, input_dim=-1), ValueError, "input_dim: expected .* got -1"),
        (lambda: Dense(3, name=7), TypeError, "name: expected a str, got int"),
        (lambda: Dense(3, dtype="int32"), ValueError, "dtype: expected 'float32' or 'float64'"),
    ],
)
def test_dense_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_dense_rejects_inputs_of_the_wrong_shape():
    layer = Dense(2)
    with pytest.raises(ValueError, match=r"got \(batch, 3, 4\); add a Flatten layer first"):
        layer(np.ones((2, 3, 4)))
    assert not layer.built
    layer(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"expected inputs of shape \(batch, 4\), got \(2, 5\)"):
        layer(np.ones((2, 5)))
    with pytest.raises(TypeError, match="expected numbers"):
        layer(np.array([["a", "b", "c", "d"]]))


# --------------------------------------------------------------------------- Activation
@pytest.mark.parametrize(
    "name, g", [("tanh", np.tanh), ("sigmoid", _sigmoid), ("relu", lambda z: np.maximum(z, 0))]
)
def test_L06_activation_layer_applies_g_elementwise(name, g):
    x = np.random.default_rng(2).normal(size=(4, 3))
    layer = Activation(name, dtype="float64")
    np.testing.assert_allclose(layer(x).data, g(x), rtol=1e-12)
    np.testing.assert_allclose(layer(x).data, g(x), rtol=1e-12)
    assert layer.count_params() == 0


def test_activation_layer_softmax_rows_sum_to_one():
    x = np.random.default_rng(3).normal(size=(5, 4)) * 10
    out = Activation("softmax", dtype="float64")(x).data
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(out, np.exp(x) / np.exp(x).sum(1, keepdims=True), rtol=1e-10)


def test_activation_layer_unknown_name():
    with pytest.raises(ValueError, match="Unknown activation 'foo'. Valid names"):
        Activation("foo")


# --------------------------------------------------------------------------- Dropout
def test_dropout_is_the_identity_at_inference():
    x = np.random.default_rng(4).normal(size=(20, 10)).astype(np.float32)
    layer = Dropout(0.5, seed=0)
    np.testing.assert_array_equal(layer(x).data, x)
    np.testing.assert_array_equal(layer(x, training=False).data, x)
    np.testing.assert_array_equal(layer(x).data, x)


def test_dropout_zeroes_a_fraction_rate_and_scales_the_rest():
    rate = 0.3
    x = np.random.default_rng(5).uniform(1.0, 2.0, size=(200, 50))  # no zeros of its own
    out = Dropout(rate, seed=1, dtype="float64")(x, training=True).data
    dropped = out == 0
    # 10,000 Bernoulli(0.3) draws: standard deviation of the fraction ~ 0.0046
    assert abs(dropped.mean() - rate) < 0.025
    np.testing.assert_allclose(out[~dropped], x[~dropped] / (1 - rate), rtol=1e-12)
    # inverted dropout keeps the expectation: E[out] = x
    assert abs(out.sum() / x.sum() - 1.0) < 0.03


def test_dropout_is_reproducible_with_its_seed():
    x = np.ones((30, 30), dtype=np.float32)
    a = Dropout(0.5, seed=7)(x, training=True).data
    b = Dropout(0.5, seed=7)(x, training=True).data
    c = Dropout(0.5, seed=8)(x, training=True).data
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    layer = Dropout(0.5, seed=7)
    first, second = layer(x, training=True).data, layer(x, training=True).data
    assert not np.array_equal(first, second)  # a new mask every call
    np.testing.assert_array_equal(first, a)


def test_dropout_rate_zero_is_the_identity_in_training():
    x = np.random.default_rng(6).normal(size=(5, 5)).astype(np.float32)
    np.testing.assert_array_equal(Dropout(0.0)(x, training=True).data, x)


def test_dropout_gradient_flows_through_the_kept_units():
    from rosenblatt.tensor import Tensor

    x = Tensor(np.ones((4, 6)), requires_grad=True, dtype="float64")
    out = Dropout(0.25, seed=3, dtype="float64")(x, training=True)
    out.sum().backward()
    np.testing.assert_allclose(x.grad, out.data)  # d(sum x*mask/(1-p))/dx = mask/(1-p)


@pytest.mark.parametrize(
    "rate, seed, error, match",
    [
        (1.0, None, ValueError, r"rate: expected a number in \[0, 1\), got 1.0"),
        (-0.1, None, ValueError, r"rate: expected a number in \[0, 1\), got -0.1"),
        ("a", None, ValueError, r"rate: expected a number in \[0, 1\), got 'a'"),
        (0.5, "x", TypeError, "seed: expected an int or None, got str 'x'"),
        (0.5, -3, ValueError, "seed: expected an integer >= 0"),
    ],
)
def test_dropout_bad_arguments(rate, seed, error, match):
    with pytest.raises(error, match=match):
        Dropout(rate, seed=seed)


# --------------------------------------------------------------------------- Flatten, Input
def test_flatten_reshapes_to_batch_by_features():
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    layer = Flatten()
    out = layer(x).data
    np.testing.assert_array_equal(out, x.reshape(2, 12))
    assert layer.output_shape == (12,) and layer.compute_output_shape((3, 4)) == (12,)
    np.testing.assert_array_equal(layer(x).data, x.reshape(2, 12))


def test_flatten_then_dense_on_images():
    x = np.random.default_rng(7).normal(size=(3, 2, 2))
    flat, dense = Flatten(dtype="float64"), Dense(1, dtype="float64")
    out = dense(flat(x)).data
    W, b = dense.get_weights()
    np.testing.assert_allclose(out, x.reshape(3, 4) @ W + b, rtol=1e-12)


def test_input_gives_a_symbolic_tensor_with_a_batch_axis():
    x = Input(shape=(4,))
    assert isinstance(x, SymbolicTensor) and x.shape == (None, 4)
    assert isinstance(x.layer, InputLayer)
    h = Dense(3)(x)
    assert h.shape == (None, 3) and h.inputs == (x,)
    assert Flatten()(Input(shape=(2, 5))).shape == (None, 10)


def test_input_bad_shape():
    with pytest.raises(ValueError, match="input_shape: expected an? integer > 0, got 0"):
        Input(shape=(0,))


def _number(name, base):
    assert name == base or name.startswith(base + "_")
    return 0 if name == base else int(name[len(base) + 1 :])


@pytest.mark.parametrize(
    "make, base",
    [
        (lambda: Dense(1), "dense"),
        (lambda: InputLayer((2,)), "input_layer"),
        (lambda: Input(shape=(2,)).layer, "input_layer"),
    ],
)
def test_layer_names_are_snake_case_and_numbered_one_by_one(make, base):
    first, second = make(), make()
    assert _number(second.name, base) == _number(first.name, base) + 1
    assert Dense(1, name="out").name == "out"


# --------------------------------------------------------------------------- config round trip
def _built_layers():
    return [
        (
            Dense(
                3, activation="relu", kernel_regularizer="l2", bias_initializer="ones", input_dim=4
            ),
            (5, 4),
        ),
        (Dense(2, use_bias=False, kernel_initializer="he_normal", dtype="float64"), (5, 4)),
        (Activation("tanh"), (5, 4)),
        (Dropout(0.3, seed=2), (5, 4)),
        (Flatten(), (5, 2, 2)),
        (InputLayer((4,)), (5, 4)),
    ]


@pytest.mark.parametrize("layer, shape", _built_layers(), ids=lambda v: type(v).__name__)
def test_get_config_from_config_round_trip(layer, shape):
    x = np.random.default_rng(8).normal(size=shape)
    out = layer(x).data
    config = layer.get_config()
    copy = type(layer).from_config(config)
    assert copy.get_config() == config
    assert layers.deserialize(layers.serialize(layer)).get_config() == config
    copy(x)  # build, then copy the weights
    copy.set_weights(layer.get_weights())
    np.testing.assert_array_equal(copy(x).data, out)
    np.testing.assert_array_equal(
        copy(x.astype(copy.dtype)).data, layer(x.astype(layer.dtype)).data
    )


def test_dropout_copy_draws_the_same_masks():
    layer = Dropout(0.4, seed=11)
    copy = Dropout.from_config(layer.get_config())
    x = np.ones((10, 10), dtype=np.float32)
    np.testing.assert_array_equal(layer(x, training=True).data, copy(x, training=True).data)


def test_deserialize_refuses_unknown_classes():
    with pytest.raises(ValueError, match="unknown layer class 'Lambda'; known: Dense"):
        layers.deserialize({"class_name": "Lambda", "config": {}})


def test_trainable_flag_hides_weights():
    layer = Dense(2, trainable=False)
    layer(np.ones((1, 3)))
    assert layer.trainable_weights == [] and len(layer.weights) == 2
    assert Dense.from_config(layer.get_config()).trainable is False


def test_dense_infer_one_row_equals_the_batch_rows():
    layer = Dense(7, activation="softmax", input_dim=5)
    x = np.random.default_rng(3).normal(size=(4, 5)).astype(np.float32)
    graph_values = layer(x).data  # builds the layer
    batch = layer(x).data
    np.testing.assert_allclose(batch, graph_values, rtol=1e-6)
    for i in range(4):
        np.testing.assert_allclose(layer(x[i:i + 1]).data, batch[i:i + 1], rtol=1e-6)

"""BatchNormalization, LayerNormalization, Normalization, Reshape, GaussianNoise and
GaussianDropout: values against closed forms (and PyTorch), gradients, configs, models."""

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck
from rosenblatt.layers import (
    BatchNormalization,
    Dense,
    GaussianDropout,
    GaussianNoise,
    LayerNormalization,
    Normalization,
    Reshape,
)

import rosenblatt
from rosenblatt import layers
from rosenblatt._fast import step as fast_step
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.models import Sequential, load_model

RNG = np.random.default_rng(3)
X = RNG.normal(2.0, 3.0, size=(8, 4))


def test_batch_normalization_training_is_the_batch_formula_and_moves_the_statistics():
    bn = BatchNormalization(momentum=0.9, epsilon=1e-3, dtype="float64")
    out = bn(X, training=True).data
    mu, var = X.mean(axis=0), X.var(axis=0)
    np.testing.assert_allclose(out, (X - mu) / np.sqrt(var + 1e-3), rtol=1e-12)
    np.testing.assert_allclose(bn.moving_mean.data, 0.1 * mu, rtol=1e-12)
    np.testing.assert_allclose(bn.moving_variance.data, 0.9 + 0.1 * var, rtol=1e-12)


def test_batch_normalization_inference_uses_the_moving_statistics_and_moves_nothing():
    bn = BatchNormalization(dtype="float64")
    bn(X, training=True)
    gamma, beta = RNG.normal(size=4), RNG.normal(size=4)
    mm, mv = RNG.normal(size=4), RNG.uniform(0.5, 2, size=4)
    bn.set_weights([gamma, beta, mm, mv])
    out = bn(X).data
    np.testing.assert_allclose(out, gamma * (X - mm) / np.sqrt(mv + 1e-3) + beta, rtol=1e-12)
    np.testing.assert_array_equal(bn.moving_mean.data, mm)
    bn.trainable = False  # Keras: a frozen BatchNormalization runs in inference mode
    np.testing.assert_array_equal(bn(X, training=True).data, out)
    np.testing.assert_array_equal(bn.moving_mean.data, mm)


def test_batch_normalization_weights_in_keras_order_only_gamma_beta_trainable():
    bn = BatchNormalization()
    bn(X)
    assert [w.name.split("/")[1] for w in bn.weights] == [
        "gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name.split("/")[1] for w in bn.trainable_weights] == ["gamma", "beta"]
    assert bn.count_params() == 16


def test_batch_normalization_on_another_axis():
    x = RNG.normal(size=(5, 3, 2))
    bn = BatchNormalization(axis=1, dtype="float64")
    out = bn(x, training=True).data
    mu, var = x.mean(axis=(0, 2), keepdims=True), x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - mu) / np.sqrt(var + 1e-3), rtol=1e-12)
    assert bn.gamma.shape == (3,)


def test_layer_normalization_is_the_per_sample_formula():
    ln = LayerNormalization(epsilon=1e-5, dtype="float64")
    ln(X)
    gamma, beta = RNG.normal(size=4), RNG.normal(size=4)
    ln.set_weights([gamma, beta])
    mu, var = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True)
    np.testing.assert_allclose(ln(X).data, gamma * (X - mu) / np.sqrt(var + 1e-5) + beta,
                               rtol=1e-12)


def test_normalization_adapt_standardizes_and_inverts():
    norm = Normalization(dtype="float64")
    norm.adapt(X)
    out = norm(X).data
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, rtol=1e-12)
    assert norm.trainable_weights == [] and len(norm.get_weights()) == 2
    inverse = Normalization(mean=X.mean(axis=0), variance=X.var(axis=0), invert=True,
                            dtype="float64")
    np.testing.assert_allclose(inverse(out).data, X, rtol=1e-12)


def test_reshape_and_its_inferred_axis():
    x = np.arange(24.0).reshape(2, 12)
    np.testing.assert_array_equal(Reshape((3, 4))(x).data, x.reshape(2, 3, 4))
    np.testing.assert_array_equal(Reshape((-1, 2))(x).data, x.reshape(2, 6, 2))
    assert Reshape((2, -1)).compute_output_shape((12,)) == (2, 6)


def test_gaussian_noise_and_dropout_draw_the_noise_only_in_training():
    x = np.ones((20000, 1), dtype=np.float32)
    noise, drop = GaussianNoise(0.3, seed=1), GaussianDropout(0.2, seed=1)
    np.testing.assert_array_equal(noise(x).data, x)
    np.testing.assert_array_equal(drop(x).data, x)
    noisy = noise(x, training=True).data
    expected = x + np.random.default_rng(1).normal(0, 0.3, x.shape).astype(np.float32)
    np.testing.assert_array_equal(noisy, expected)
    d = drop(x, training=True).data
    assert abs(d.mean() - 1) < 0.01 and abs(d.std() - np.sqrt(0.2 / 0.8)) < 0.01


@pytest.mark.parametrize("make", [
    lambda: BatchNormalization(dtype="float64"),
    lambda: BatchNormalization(axis=1, center=False, dtype="float64"),
    lambda: LayerNormalization(dtype="float64"),
])
def test_normalizers_pass_the_gradient_check_in_training(make):
    shape = (5, 3, 2) if make().axis == 1 else (6, 3)
    x = RNG.normal(size=shape)
    layer = make()
    layer(x)
    n = layer.gamma.shape[0]

    def fn(x, gamma, beta):
        layer.gamma = gamma
        if layer.beta is not None:
            layer.beta = beta
        return layer(x, training=True)

    assert gradcheck(fn, x, RNG.normal(size=n), RNG.normal(size=n)) < 1e-6


@pytest.mark.parametrize("make", [
    lambda: BatchNormalization(dtype="float64"),
    lambda: Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 0.5], dtype="float64"),
    lambda: Reshape((3, 1), dtype="float64"),
    lambda: GaussianNoise(0.5, seed=2, dtype="float64"),
    lambda: GaussianDropout(0.3, seed=2, dtype="float64"),
])
def test_the_other_layers_pass_the_gradient_check(make):
    assert gradcheck(lambda x: make()(x, training=True), RNG.normal(size=(4, 3))) < 1e-6


def test_torch_agrees_on_batch_and_layer_normalization():
    torch = pytest.importorskip("torch")
    x = RNG.normal(size=(8, 4))
    bn = BatchNormalization(momentum=0.8, epsilon=1e-5, dtype="float64")
    tbn = torch.nn.BatchNorm1d(4, eps=1e-5, momentum=0.2).double()
    np.testing.assert_allclose(bn(x, training=True).data,
                               tbn(torch.tensor(x)).detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(bn.moving_mean.data, tbn.running_mean.numpy(), rtol=1e-10)
    ln, tln = LayerNormalization(epsilon=1e-5, dtype="float64"), torch.nn.LayerNorm(4).double()
    np.testing.assert_allclose(ln(x).data, tln(torch.tensor(x)).detach().numpy(), rtol=1e-10)


def _configured():
    return [
        (BatchNormalization(momentum=0.9, epsilon=1e-4, center=False,
                            gamma_initializer="he_normal"),
         (5, 4)),
        (LayerNormalization(epsilon=1e-4, scale=False), (5, 4)),
        (Normalization(mean=[0.0, 1.0, 2.0, 3.0], variance=[1.0, 2.0, 3.0, 4.0]), (5, 4)),
        (Normalization(axis=-1, invert=True), (5, 4)),
        (Reshape((2, -1)), (5, 4)),
        (GaussianNoise(0.2, seed=4), (5, 4)),
        (GaussianDropout(0.4, seed=4), (5, 4)),
    ]


@pytest.mark.parametrize("layer, shape", _configured(), ids=lambda v: type(v).__name__)
def test_config_round_trips_and_deserializes(layer, shape):
    x = RNG.normal(size=shape).astype(np.float32)
    out = layer(x).data
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    copy = layers.deserialize(layers.serialize(layer))
    assert copy.get_config() == config
    copy(x)
    copy.set_weights(layer.get_weights())
    np.testing.assert_array_equal(copy(x).data, out)


def test_public_paths_find_the_new_layers():
    for name in ("BatchNormalization", "LayerNormalization", "Normalization", "Reshape",
                 "GaussianNoise", "GaussianDropout"):
        assert getattr(rosenblatt.layers, name) is layers.LAYERS[name]


def _bn_model(seed=0):
    model = Sequential([Dense(8, activation="relu", input_dim=4), BatchNormalization(),
                        GaussianNoise(0.1), Dense(1)], seed=seed)
    model.compile("adam", "mse")
    return model


def test_a_model_moves_the_statistics_in_fit_only_and_saves_them(tmp_path):
    y = X[:, :1] * 2
    model = _bn_model()
    assert fast_step.compile_step(model, None) is None  # they run on the autodiff path
    bn = model.layers[1]
    model.fit(X, y, epochs=3, batch_size=4, verbose=0)
    assert not np.allclose(bn.moving_mean.data, 0)
    moved = bn.moving_mean.data.copy()
    prediction = model.predict(X)
    model.evaluate(X, y)
    np.testing.assert_array_equal(bn.moving_mean.data, moved)
    model.save(tmp_path / "bn.rbm")
    loaded = load_model(tmp_path / "bn.rbm")
    np.testing.assert_array_equal(loaded.layers[1].moving_mean.data, moved)
    np.testing.assert_array_equal(loaded.predict(X), prediction)
    assert len(model.trainable_weights) == 6 and len(model.weights) == 8


@pytest.mark.parametrize("make, error, match", [
    (lambda: BatchNormalization(momentum=1.5), ValueError, "momentum"),
    (lambda: BatchNormalization(epsilon=0), ValueError, "epsilon"),
    (lambda: BatchNormalization(axis="last"), TypeError, "axis"),
    (lambda: LayerNormalization(center="yes"), TypeError, "center"),
    (lambda: Normalization(mean=[0.0]), ValueError, "mean, variance"),
    (lambda: Normalization(mean=[0.0, 1.0], variance=[1.0]), ValueError, "mean, variance"),
    (lambda: Normalization(mean=[0.0], variance=[-1.0]), ValueError, "variance"),
    (lambda: Reshape((0, 2)), ValueError, "target_shape"),
    (lambda: Reshape((-1, -1)), ValueError, "target_shape"),
    (lambda: GaussianNoise(-1), ValueError, "stddev"),
    (lambda: GaussianNoise(0.1, seed=1.5), TypeError, "seed"),
    (lambda: GaussianDropout(1.0), ValueError, "rate"),
])
def test_bad_arguments_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_inputs_that_do_not_fit_are_refused():
    with pytest.raises(ValueError, match="axis 3"):
        BatchNormalization(axis=3)(X)
    with pytest.raises(ValueError, match="target_shape"):
        Reshape((3, 3))(X)
    with pytest.raises(ValueError, match="mean: expected 1 or 4 values"):
        Normalization(mean=[0.0, 1.0], variance=[1.0, 1.0])(X)


def test_a_refused_adapt_changes_nothing():
    norm = Normalization()
    norm.adapt(X)
    before = norm.get_weights()
    with pytest.raises(ValueError, match="data"):
        norm.adapt(np.ones((3, 5)))
    with pytest.raises(ValueError, match="data"):
        norm.adapt(np.ones(4))
    with pytest.raises(ValueError, match="data"):
        norm.adapt(np.array([[np.nan, 1, 2, 3]]))
    for a, b in zip(before, norm.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_moving_statistics_hold_no_gradient():
    bn = BatchNormalization(dtype="float64")
    x = Tensor(X, requires_grad=True)
    bn(x, training=True).sum().backward()
    assert bn.moving_mean.grad is None and bn.gamma.grad is not None


def test_a_saved_model_with_moving_statistics_continues_training_bit_identically(tmp_path):
    y = X[:, :1] * 2
    straight = _bn_model()
    straight.fit(X, y, epochs=4, batch_size=4, verbose=0)
    first = _bn_model()
    first.fit(X, y, epochs=2, batch_size=4, verbose=0)
    first.save(tmp_path / "half.rbm")
    resumed = load_model(tmp_path / "half.rbm")
    resumed.fit(X, y, epochs=2, batch_size=4, verbose=0)
    for a, b in zip(straight.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)

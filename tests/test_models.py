"""Models: the three Keras APIs of lecture 002, their structure, weights and summaries
(L10, L16, L19)."""

import numpy as np
import pytest
from rosenblatt.layers import Dense, Dropout, Input
from rosenblatt.tensor import Tensor

import rosenblatt as rb


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _sequential_431(**kwargs):
    return rb.Sequential([Dense(3, activation="sigmoid", input_dim=4), Dense(1)], **kwargs)


def _functional_431(**kwargs):
    inputs = Input(shape=(4,))
    hidden = Dense(3, activation="sigmoid")(inputs)
    return rb.Model(inputs, Dense(1)(hidden), **kwargs)


class TwoLayer(rb.Model):
    """A subclassed model: layers assigned in __init__, used in call."""

    def __init__(self, hidden=3, activation="sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.hidden = Dense(hidden, activation=activation)
        self.out = Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def _subclassed_431(**kwargs):
    model = TwoLayer(**kwargs)
    model.build((4,))
    return model


BUILDERS = [_sequential_431, _functional_431, _subclassed_431]
IDS = ["sequential", "functional", "subclassed"]


# --------------------------------------------------------------------------- L19
@pytest.mark.parametrize("make", BUILDERS, ids=IDS)
def test_L19_431_network_has_19_parameters(make, capsys):
    model = make()
    assert model.count_params() == 19  # (4 + 1) * 3 + (3 + 1) * 1 = 15 + 4
    text = model.summary()
    printed = capsys.readouterr().out
    assert text in printed
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    assert [layer.count_params() for layer in dense] == [15, 4]
    rows = [line for line in text.splitlines() if dense[0].name + " " in line]
    assert len(rows) == 1 and "(None, 3)" in rows[0] and rows[0].split()[-1] == "15"
    rows = [line for line in text.splitlines() if dense[1].name + " " in line]
    assert len(rows) == 1 and "(None, 1)" in rows[0] and rows[0].split()[-1] == "4"
    assert "Total params: 19" in text and "Trainable params: 19" in text
    assert "Non-trainable params: 0" in text


def test_summary_print_fn_and_large_counts():
    model = rb.Sequential([Dense(1000, input_dim=99)])
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 100,000" in lines[0]  # (99 + 1) * 1000, with Keras' separators
    assert model.summary(print_fn=None) == lines[0]


def test_summary_counts_frozen_layers_as_non_trainable():
    model = _sequential_431()
    model.layers[0].trainable = False
    text = model.summary(print_fn=None)
    assert "Total params: 19" in text and "Trainable params: 4" in text
    assert "Non-trainable params: 15" in text
    assert len(model.trainable_weights) == 2 and len(model.weights) == 4


# --------------------------------------------------------------------------- the three APIs
def test_sequential_from_a_list_and_with_add_are_the_same_model():
    a = rb.Sequential([Dense(3, activation="tanh", input_dim=2), Dense(1)], seed=5)
    b = rb.Sequential(seed=5)
    b.add(Dense(3, activation="tanh", input_dim=2))
    b.add(Dense(1))
    assert len(a.layers) == len(b.layers) == 2
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


def test_sequential_accepts_an_input_first():
    model = rb.Sequential([Input(shape=(3,)), Dense(2)])
    assert model.built and model.input_shape == (3,) and model.count_params() == 8
    assert model.output_shape == (None, 2)
    with pytest.raises(ValueError, match="an Input can only be the first element"):
        model.add(Input(shape=(2,)))


def test_sequential_without_input_shape_builds_later():
    model = rb.Sequential([Dense(4, activation="relu"), Dense(1)])
    assert not model.built
    with pytest.raises(ValueError, match="is not built yet: give the first layer input_shape"):
        model.count_params()
    model.build((5,))
    assert model.built and model.count_params() == (5 + 1) * 4 + (4 + 1)


def test_sequential_add_rejects_non_layers():
    with pytest.raises(TypeError, match="add: expected a Layer, got int"):
        rb.Sequential([Dense(1), 3])


def test_functional_model_records_the_graph():
    inputs = Input(shape=(4,))
    h = Dense(8, activation="relu")(inputs)
    h = Dropout(0.5)(h)
    outputs = Dense(2, activation="softmax")(h)
    model = rb.Model(inputs, outputs)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["InputLayer", "Dense", "Dropout", "Dense"]
    assert model.built and model.input_shape == (4,) and model.output_shape == (None, 2)
    out = model.predict(np.random.default_rng(0).normal(size=(6, 4)))
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)


def test_functional_model_bad_graphs():
    with pytest.raises(TypeError, match="inputs: expected tensors made by Input"):
        rb.Model(np.ones(3), np.ones(3))
    a, b = Input(shape=(3,)), Input(shape=(3,))
    with pytest.raises(ValueError, match="inputs: the same Input is listed twice"):
        rb.Model([a, a], Dense(1)(a))
    with pytest.raises(ValueError, match="which is not among the model's inputs"):
        rb.Model(a, Dense(1)(b))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(None, 4\), got \(None, 5\)"):
        Dense(3, input_dim=4)(Input(shape=(5,)))
    with pytest.raises(ValueError, match=r"inputs: model .* expects inputs of shapes "
                       r"\[\(None, 4\)\], got \[\(None, 5\)\]"):
        _functional_431()(Input(shape=(5,)))


def test_subclassed_model_tracks_the_layers_it_assigns():
    model = TwoLayer(hidden=5)
    assert model.layers == [model.hidden, model.out]
    assert not model.built
    model.build((2,))
    assert model.built and model.count_params() == (2 + 1) * 5 + (5 + 1)
    assert model.trainable_weights == [*model.hidden.weights, *model.out.weights]
    assert model.output_shape == (None, 1)


def test_subclassed_model_without_call():
    class NoCall(rb.Model):
        def __init__(self):
            super().__init__()
            self.dense = Dense(1)

    with pytest.raises(NotImplementedError, match="NoCall must define call"):
        NoCall().build((2,))


def test_subclassed_model_with_a_training_argument_gets_it():
    seen = []

    class WithTraining(rb.Model):
        def __init__(self):
            super().__init__(seed=0)
            self.dense = Dense(1, input_dim=2)

        def call(self, inputs, training=False):
            seen.append(training)
            return self.dense(inputs)

    model = WithTraining()
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 2)), np.ones(4), batch_size=None, verbose=0)
    model.predict(np.ones((1, 2)))
    assert True in seen and seen[-1] is False


@pytest.mark.parametrize("make", BUILDERS, ids=IDS)
def test_calling_a_model_gives_a_differentiable_tensor(make):
    model = make()
    x = np.random.default_rng(1).normal(size=(3, 4))
    out = model(x)
    assert isinstance(out, Tensor) and out.dtype == np.float32
    np.testing.assert_allclose(out.data, model.predict(x), rtol=1e-6)
    out.sum().backward()
    assert all(w.grad is not None and w.grad.shape == w.data.shape for w in model.trainable_weights)


# --------------------------------------------------------------------------- weights
@pytest.mark.parametrize("make", BUILDERS, ids=IDS)
def test_get_weights_keras_layout_and_set_weights_round_trip(make):
    model = make()
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(4, 3), (3,), (3, 1), (1,)]  # kernel (in, out), then bias, layer by layer
    rng = np.random.default_rng(2)
    new = [rng.normal(size=s).astype(np.float32) for s in shapes]
    model.set_weights(new)
    for got, want in zip(model.get_weights(), new, strict=True):
        np.testing.assert_array_equal(got, want)
    assert [w.data.shape for w in model.trainable_weights] == shapes


@pytest.mark.parametrize("make", BUILDERS, ids=IDS)
def test_set_weights_checks_everything_before_writing(make):
    model = make()
    before = model.get_weights()
    with pytest.raises(ValueError, match="set_weights: expected 4 arrays, got 1"):
        model.set_weights([np.zeros((4, 3))])
    bad = [np.zeros((4, 3)), np.zeros(3), np.zeros((3, 2)), np.zeros(1)]
    with pytest.raises(ValueError, match=r"has shape \(3, 1\), got \(3, 2\)"):
        model.set_weights(bad)
    for got, want in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, want)


def test_weights_are_views_into_one_flat_vector():
    """Lecture 004: [W, B] is the concatenation of the unknown parameters."""
    model = _sequential_431(seed=0)
    theta, grad = model.flat_parameters()
    assert theta.shape == grad.shape == (19,)
    np.testing.assert_array_equal(theta, np.concatenate([w.ravel() for w in model.get_weights()]))
    theta[:] = np.arange(19)
    W1, b1, W2, b2 = model.get_weights()
    np.testing.assert_array_equal(W1.ravel(), np.arange(12))
    np.testing.assert_array_equal(b2, [18])
    model.set_weights([W1 * 0, b1, W2, b2])
    np.testing.assert_array_equal(theta[:12], 0)


# --------------------------------------------------------------------------- L10, L16
@pytest.mark.parametrize("make", BUILDERS, ids=IDS)
def test_L10_mlp_formula_in_row_vector_convention(make):
    """MLP(x) = g(x W1 + b1) W2 + b2 (lecture 001), computed with NumPy from get_weights()."""
    model = make(seed=3)
    rng = np.random.default_rng(4)
    model.set_weights([rng.normal(size=w.shape) for w in model.get_weights()])
    W1, b1, W2, b2 = (w.astype(np.float64) for w in model.get_weights())
    x = rng.normal(size=(10, 4))
    expected = _sigmoid(x @ W1 + b1) @ W2 + b2
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model(x).data, expected, rtol=1e-5, atol=1e-5)


def test_L10_mlp_formula_in_float64():
    model = rb.Sequential(
        [Dense(6, activation="tanh", input_dim=3, dtype="float64"), Dense(2, dtype="float64")],
        seed=0,
    )
    W1, b1, W2, b2 = model.get_weights()
    assert W1.dtype == np.float64
    x = np.random.default_rng(5).normal(size=(8, 3))
    np.testing.assert_allclose(model.predict(x), np.tanh(x @ W1 + b1) @ W2 + b2, rtol=1e-13)


def test_L16_stacked_linear_layers_collapse_to_one():
    """Lecture 002: linear neurons stacked are one linear map with weights W1 W2."""
    rng = np.random.default_rng(6)
    two = rb.Sequential(
        [
            Dense(5, input_dim=3, bias_initializer="random_normal", dtype="float64"),
            Dense(2, bias_initializer="random_normal", dtype="float64"),
        ],
        seed=1,
    )
    W1, b1, W2, b2 = two.get_weights()
    assert np.any(b1 != 0) and np.any(b2 != 0)
    one = rb.Sequential([Dense(2, input_dim=3, dtype="float64")])
    one.set_weights([W1 @ W2, b1 @ W2 + b2])
    x = rng.normal(size=(20, 3))
    np.testing.assert_allclose(two.predict(x), one.predict(x), rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------- seeds
def test_same_model_seed_same_initial_weights_different_seed_different():
    a, b, c = _sequential_431(seed=3), _sequential_431(seed=3), _sequential_431(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_set_seed_makes_unseeded_models_repeat():
    rb.set_seed(12)
    a = _functional_431()
    rb.set_seed(12)
    b = _functional_431()
    c = _functional_431()
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


@pytest.mark.parametrize(
    "seed, error, match",
    [
        (-1, ValueError, "seed: expected an integer >= 0"),
        ("a", ValueError, "seed: expected an integer >= 0 or a numpy Generator, got 'a'"),
    ],
)
def test_bad_model_seed(seed, error, match):
    with pytest.raises(error, match=match):
        rb.Sequential(seed=seed)
    with pytest.raises(ValueError, match="seed: expected an integer >= 0"):
        rb.set_seed(-5)


def test_a_generator_can_be_the_seed():
    a = _sequential_431(seed=np.random.default_rng(9))
    b = _sequential_431(seed=np.random.default_rng(9))
    np.testing.assert_array_equal(a.get_weights()[0], b.get_weights()[0])


@pytest.mark.parametrize("name", ["model", "weights", "files", "graph_api", "display",
                                  "sequential", "loading"])
def test_docstring_examples(name):
    import doctest
    import importlib

    module = importlib.import_module(f"rosenblatt.models.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0

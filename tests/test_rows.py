"""Predicting one sample through compiled loops (``rosenblatt._fast.rows``) gives the NumPy
layers' outputs, checks its input as predict always does, and follows changes to the model.

The reference is the model's own forward pass, layer by layer on tensors. The tests that need
the compiled loops skip without numba; the size threshold is lowered so that small models
take the compiled path.
"""

import numpy as np
import pytest
from rosenblatt.layers import Activation, Dense, Dropout, Flatten, Input

import rosenblatt as rb
from rosenblatt import kernels as _kernels
from rosenblatt._fast import rows as _rows

ACTIVATIONS = ["linear", "relu", "tanh", "sigmoid", "softmax"]


@pytest.fixture
def compiled(monkeypatch):
    if not _kernels.available():
        pytest.skip("the compiled loops need numba (the 'fast' extra)")
    monkeypatch.setattr(_kernels, "MIN_SIZE", 0)


def _row(shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def _reference(model, row):
    return model(row[None].astype(model._dtype())).data[0]


def _plan(model):
    plan = getattr(model._workspace, "row_plan", None)
    return None if plan is _rows.NO_PLAN else plan


def _assert_compiled_equals_numpy(model, row, dtype=np.float32):
    got = model.predict(row)
    assert isinstance(_plan(model), _rows.RowPlan), "this model should take the compiled path"
    expected = _reference(model, row)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)
    return got


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("hidden", ACTIVATIONS)
@pytest.mark.parametrize("output", ["linear", "sigmoid", "softmax"])
def test_sequential_dense_stack(compiled, dtype, hidden, output):
    model = rb.Sequential([Dense(9, activation=hidden, input_dim=6, dtype=dtype),
                           Dense(7, activation=hidden, dtype=dtype),
                           Dense(4, activation=output, dtype=dtype)], seed=1)
    got = _assert_compiled_equals_numpy(model, _row(6), dtype)
    if output == "softmax":
        assert got.sum() == pytest.approx(1.0, rel=1e-6)


def test_the_notes_network_without_lowering_the_threshold():
    """784-256-128-10 has 235k parameters, over MIN_SIZE: the compiled path with defaults."""
    if not _kernels.available():
        pytest.skip("the compiled loops need numba (the 'fast' extra)")
    model = rb.Sequential([Dense(256, activation="relu", input_dim=784),
                           Dense(128, activation="relu"), Dense(10, activation="softmax")],
                          seed=0)
    _assert_compiled_equals_numpy(model, np.random.default_rng(1).random(784, np.float32))


def test_small_models_stay_in_numpy():
    model = rb.Sequential([Dense(8, activation="tanh", input_dim=2), Dense(1)], seed=0)
    model.predict(np.zeros(2))
    assert _plan(model) is None  # 33 parameters: below MIN_SIZE, numba is never needed


def test_without_bias_dropout_flatten_and_functional(compiled):
    inputs = Input((3, 4))
    h = Flatten()(inputs)
    h = Dense(10, activation="relu", use_bias=False)(h)
    h = Dropout(0.5)(h)
    outputs = Dense(3, activation="softmax")(h)
    model = rb.Model(inputs, outputs, seed=2)
    _assert_compiled_equals_numpy(model, _row((3, 4)))
    rows = _row((5, 3, 4), seed=3)
    np.testing.assert_allclose(model.predict(rows[2]), model.predict(rows)[2], rtol=1e-5,
                               atol=1e-6)


def test_one_row_batch_keeps_its_batch_axis(compiled):
    model = rb.Sequential([Dense(5, activation="relu", input_dim=4), Dense(2)], seed=0)
    row = _row(4)
    assert model.predict(row).shape == (2,)
    assert model.predict(row[None]).shape == (1, 2)
    np.testing.assert_array_equal(model.predict(row[None])[0], model.predict(row))


def test_the_compiled_loops_do_the_work(compiled, monkeypatch):
    """A deliberately wrong loop shows in the output: the path is really taken."""
    model = rb.Sequential([Dense(5, activation="relu", input_dim=4), Dense(2)], seed=0)
    row = _row(4)
    right = model.predict(row)
    plan = _plan(model)
    layer, real = plan.dense[-1]

    def broken(z, b, has_bias):
        real(z, b, has_bias)
        z += 1

    monkeypatch.setattr(plan, "dense", [*plan.dense[:-1], (layer, broken)])
    assert not np.allclose(model.predict(row), right)


def test_outputs_follow_new_weights_and_activations(compiled):
    model = rb.Sequential([Dense(6, activation="relu", input_dim=3), Dense(2)], seed=0)
    row = _row(3)
    model.predict(row)
    model.set_weights([w * 2 + 0.5 for w in model.get_weights()])
    _assert_compiled_equals_numpy(model, row)
    model.layers[0].activation = rb.activations.get("tanh")
    _assert_compiled_equals_numpy(model, row)
    model.layers[0].activation = rb.activations.get("elu")  # not compiled: NumPy layers
    np.testing.assert_allclose(model.predict(row), _reference(model, row), rtol=1e-6)
    assert _plan(model) is None
    model.compile("adam", "mse")
    model.fit(_row((16, 3), seed=4), _row((16, 2), seed=5), epochs=2, verbose=0)
    model.layers[0].activation = rb.activations.get("relu")
    _assert_compiled_equals_numpy(model, row)


@pytest.mark.parametrize("use_compiled", [True, False])
def test_an_activation_without_a_compiled_row_form_predicts_in_numpy(use_compiled,
                                                                    monkeypatch):
    if use_compiled:
        if not _kernels.available():
            pytest.skip("the compiled loops need numba (the 'fast' extra)")
        monkeypatch.setattr(_kernels, "MIN_SIZE", 0)
    model = rb.Sequential([Dense(6, activation="hard_sigmoid", input_dim=3),
                           Dense(2, activation="softmax")], seed=0)
    row = _row(3)
    got = model.predict(row)
    assert _plan(model) is None
    np.testing.assert_array_equal(got, _reference(model, row))
    hidden = np.clip(row @ model.layers[0].kernel.data / 6 + 0.5, 0, 1)
    assert hidden.min() < 1 and hidden.max() > 0
    np.testing.assert_array_equal(model.layers[0](row[None]).data[0], hidden)


def test_layers_added_after_a_prediction(compiled):
    model = rb.Sequential([Dense(6, activation="relu", input_dim=3)], seed=0)
    assert model.predict(_row(3)).shape == (6,)
    model.add(Dense(2, activation="softmax"))
    _assert_compiled_equals_numpy(model, _row(3))
    assert model.predict(_row(3)).shape == (2,)


def test_other_layers_and_dtype_mismatch_use_numpy(compiled):
    model = rb.Sequential([Dense(6, input_dim=3), Activation("relu"), Dense(2)], seed=0)
    np.testing.assert_allclose(model.predict(_row(3)), _reference(model, _row(3)), rtol=1e-6)
    assert _plan(model) is None
    model = rb.Sequential([Dense(4, input_dim=3), Dense(2)], seed=0)
    assert _rows.predict_row(model, _row(3, dtype=np.float64)) is None  # not the model's type
    assert _rows.predict_row(model, _row(3)) is not None


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("use_compiled", [True, False])
def test_a_non_finite_row_is_refused_by_name(bad, use_compiled, monkeypatch):
    if use_compiled:
        if not _kernels.available():
            pytest.skip("the compiled loops need numba (the 'fast' extra)")
        monkeypatch.setattr(_kernels, "MIN_SIZE", 0)
    else:
        monkeypatch.setattr(_kernels, "ENABLED", False)
    model = rb.Sequential([Dense(4, activation="relu", input_dim=3), Dense(2)], seed=0)
    row = _row(3)
    row[1] = bad
    with pytest.raises(ValueError, match=r"x: expected finite numbers, found .* at index \(1,\)"):
        model.predict(row)
    with pytest.raises(ValueError, match=r"at index \(0, 1\)"):
        model.predict(row[None])


def test_disabled_kernels_give_the_numpy_layers(monkeypatch):
    monkeypatch.setattr(_kernels, "ENABLED", False)
    monkeypatch.setattr(_kernels, "MIN_SIZE", 0)
    model = rb.Sequential([Dense(4, activation="relu", input_dim=3), Dense(2)], seed=0)
    np.testing.assert_array_equal(model.predict(_row(3)), _reference(model, _row(3)))
    assert _plan(model) is None


def test_turning_the_kernels_off_takes_the_numpy_path_for_a_sample_too(compiled, monkeypatch):
    model = rb.Sequential([Dense(300, activation="relu", input_dim=60), Dense(3)], seed=0)
    row = _row(60)
    model.predict(row)
    assert isinstance(_plan(model), _rows.RowPlan)
    monkeypatch.setattr(_kernels, "ENABLED", False)
    assert _rows.predict_sample(model, row) is None
    np.testing.assert_allclose(model.predict(row), _reference(model, row), rtol=1e-5, atol=1e-6)

"""Model files: JSON architecture and arrays in one .npz, loaded without pickle; resuming."""

import json
import zipfile

import numpy as np
import pytest
from rosenblatt.layers import Dense, Dropout, Input
from rosenblatt.optimizers import SGD, Adam

import rosenblatt as rb

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 3))
Y = (X[:, 0] - X[:, 1] > 0).astype(int)


def _sequential(seed=0):
    model = rb.Sequential(
        [
            Dense(8, activation="tanh", input_dim=3, kernel_regularizer="l2"),
            Dropout(0.2),
            Dense(1, activation="sigmoid"),
        ],
        seed=seed,
    )
    model.compile(Adam(learning_rate=0.01), "binary_crossentropy", metrics=["accuracy"])
    return model


def _functional(seed=0):
    inputs = Input(shape=(3,))
    h = Dense(6, activation="relu", dtype="float64")(inputs)
    h = Dropout(0.1, seed=4)(h)
    outputs = Dense(2, activation="softmax", dtype="float64")(h)
    model = rb.Model(inputs, outputs, seed=seed)
    model.compile(SGD(learning_rate=0.1, momentum=0.9), "sparse_categorical_crossentropy")
    return model


class Subclassed(rb.Model):
    def __init__(self):
        super().__init__(seed=0)
        self.hidden = Dense(4, activation="relu")
        self.out = Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def _arrays(path):
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def _write(path, arrays):
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def _assert_same_weights(a, b):
    wa, wb = a.get_weights(), b.get_weights()
    assert len(wa) == len(wb)
    for x, y in zip(wa, wb, strict=True):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


# --------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("make", [_sequential, _functional], ids=["sequential", "functional"])
def test_saved_model_loads_and_predicts_identically(make, tmp_path):
    model = make()
    model.fit(X, Y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = rb.models.load_model(path)
    assert type(loaded) is type(model)
    assert loaded.get_config() == model.get_config()
    _assert_same_weights(loaded, model)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.optimizer.iterations == model.optimizer.iterations == 10
    assert type(loaded.loss) is type(model.loss)
    assert [m.name for m in loaded.compiled_metrics] == [m.name for m in model.compiled_metrics]
    assert loaded.evaluate(X, Y) == model.evaluate(X, Y)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]


def test_file_loads_without_pickle_and_holds_no_object_arrays(tmp_path):
    path = tmp_path / "model.npz"
    model = _sequential()
    model.fit(X, Y, epochs=1, verbose=0)
    model.save(path)
    arrays = _arrays(path)  # np.load(..., allow_pickle=False) succeeds
    assert all(a.dtype != object and a.dtype.kind in "Uif" for a in arrays.values())
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            header = archive.read(name)[:200]
            assert header.startswith(b"\x93NUMPY") and b"'O'" not in header
    config = json.loads(str(arrays["__model__.json"]))
    assert config["format"] == "rosenblatt-model" and config["class_name"] == "Sequential"
    assert [k for k in arrays if k.startswith("weight/")] == [f"weight/{i}" for i in range(4)]
    np.testing.assert_array_equal(arrays["weight/0"], model.get_weights()[0])
    assert int(arrays["optimizer/iterations"]) == 2


def test_save_writes_exactly_the_given_path(tmp_path):
    model = _sequential()
    model.save(tmp_path / "model")  # no '.npz' appended
    assert [p.name for p in tmp_path.iterdir()] == ["model"]
    _assert_same_weights(rb.load_model(tmp_path / "model"), model)


def test_load_without_compiling_and_without_optimizer(tmp_path):
    model = _sequential()
    model.fit(X, Y, epochs=1, verbose=0)
    model.save(tmp_path / "a.npz")
    bare = rb.load_model(tmp_path / "a.npz", compile=False)
    assert bare.optimizer is None and bare.loss is None
    np.testing.assert_array_equal(bare.predict(X), model.predict(X))
    model.save(tmp_path / "b.npz", include_optimizer=False)
    assert not any(k.startswith("optimizer/") for k in _arrays(tmp_path / "b.npz"))
    fresh = rb.load_model(tmp_path / "b.npz")
    assert fresh.optimizer.iterations == 0 and isinstance(fresh.optimizer, Adam)


def test_float64_models_stay_float64(tmp_path):
    model = _functional()
    model.save(tmp_path / "f.npz")
    loaded = rb.load_model(tmp_path / "f.npz")
    assert all(w.dtype == np.float64 for w in loaded.get_weights())
    assert loaded.predict(X).dtype == np.float64


# --------------------------------------------------------------------------- resuming
@pytest.mark.parametrize("make", [_sequential, _functional], ids=["sequential", "functional"])
def test_resume_after_loading_equals_uninterrupted_training(make, tmp_path):
    """2 epochs, save, load, 2 more == 4 epochs: weights, optimizer slots, shuffling, dropout."""
    straight = make()
    straight.fit(X, Y, epochs=4, batch_size=8, shuffle=True, verbose=0)
    first = make()
    first.fit(X, Y, epochs=2, batch_size=8, shuffle=True, verbose=0)
    first.save(tmp_path / "half.npz")
    resumed = rb.load_model(tmp_path / "half.npz")
    history = resumed.fit(X, Y, epochs=4, initial_epoch=2, batch_size=8, shuffle=True, verbose=0)
    assert history.epoch == [2, 3]
    assert resumed.optimizer.iterations == straight.optimizer.iterations == 20
    _assert_same_weights(resumed, straight)


def test_resume_differs_without_the_optimizer_state(tmp_path):
    straight = _sequential()
    straight.fit(X, Y, epochs=4, batch_size=8, verbose=0)
    first = _sequential()
    first.fit(X, Y, epochs=2, batch_size=8, verbose=0)
    first.save(tmp_path / "half.npz", include_optimizer=False)
    resumed = rb.load_model(tmp_path / "half.npz")
    resumed.fit(X, Y, epochs=4, initial_epoch=2, batch_size=8, verbose=0)
    assert not np.array_equal(resumed.get_weights()[0], straight.get_weights()[0])


# --------------------------------------------------------------------------- subclassed
def test_subclassed_model_save_suggests_save_weights(tmp_path):
    model = Subclassed()
    model.build((3,))
    with pytest.raises(
        TypeError,
        match=r"subclassed model: its architecture is Python code. "
        r"Save its weights with save_weights\(\)",
    ):
        model.save(tmp_path / "s.npz")
    assert not (tmp_path / "s.npz").exists()


def test_save_weights_and_load_weights_round_trip(tmp_path):
    model = Subclassed()
    model.compile("adam", "binary_crossentropy")
    model.fit(X, Y, epochs=2, verbose=0)
    model.save_weights(tmp_path / "w.npz")
    other = Subclassed()
    other.build((3,))
    assert not np.array_equal(other.get_weights()[0], model.get_weights()[0])
    other.load_weights(tmp_path / "w.npz")
    _assert_same_weights(other, model)
    np.testing.assert_array_equal(other.predict(X), model.predict(X))


def test_load_weights_checks_the_model(tmp_path):
    model = Subclassed()
    model.build((3,))
    model.save_weights(tmp_path / "w.npz")
    with pytest.raises(ValueError, match=r"load_weights: build the model first"):
        Subclassed().load_weights(tmp_path / "w.npz")
    wider = rb.Sequential([Dense(5, activation="relu", input_dim=3), Dense(1)])
    before = wider.get_weights()
    with pytest.raises(ValueError, match=r"has shape \(3, 5\), got \(3, 4\)"):
        wider.load_weights(tmp_path / "w.npz")
    for got, want in zip(wider.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="holds only weights .* call model.load_weights"):
        rb.load_model(tmp_path / "w.npz")


def test_save_needs_a_built_model_and_an_existing_directory(tmp_path):
    with pytest.raises(ValueError, match="save: model .* has no weights yet"):
        rb.Sequential([Dense(1)]).save(tmp_path / "x.npz")
    with pytest.raises(FileNotFoundError, match="directory .*missing.* does not exist"):
        _sequential().save(tmp_path / "missing" / "x.npz")


# --------------------------------------------------------------------------- damaged files
@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "good.npz"
    _sequential().save(path)
    return path, _arrays(path)


def _tampered(tmp_path, arrays, **changes):
    arrays = dict(arrays)
    for key, value in changes.items():
        key = key.replace("__", "/").replace("model/json", "__model__.json")
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    path = tmp_path / "bad.npz"
    _write(path, arrays)
    return path


def _config_with(arrays, edit):
    config = json.loads(str(arrays["__model__.json"]))
    edit(config)
    return np.array(json.dumps(config))


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model file at"):
        rb.load_model(tmp_path / "nothing.npz")


def test_garbage_and_truncated_files(tmp_path, saved):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a model" * 10)
    with pytest.raises(ValueError, match="is not a rosenblatt model file: not an .npz"):
        rb.load_model(garbage)
    raw = saved[0].read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError, match="is not a rosenblatt model file"):
        rb.load_model(truncated)
    other = tmp_path / "other.npz"
    _write(other, {"a": np.ones(3)})
    with pytest.raises(ValueError, match="no __model__.json entry"):
        rb.load_model(other)


def test_pickled_object_arrays_are_refused(tmp_path, saved):
    path = _tampered(tmp_path, saved[1], weight__0=np.array([{"code": 1}], dtype=object))
    with pytest.raises(ValueError, match="Object arrays cannot be loaded when allow_pickle=False"):
        rb.load_model(path)


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda c: c.update(format="other"), r"is not a rosenblatt model file \(format 'other'\)"),
        (lambda c: c.update(version=99), "written by a newer rosenblatt"),
        (
            lambda c: c["config"]["layers"][0].update(class_name="Lambda"),
            "unknown layer class 'Lambda'; known: Dense",
        ),
        (
            lambda c: c["config"]["layers"][0]["config"].update(activation="os.system"),
            "damaged or incompatible model file: Unknown activation 'os.system'",
        ),
        (
            lambda c: c["config"]["layers"][0]["config"].update(units=5),
            r"damaged or incompatible model file: set_weights: .* has shape \(3, 5\)",
        ),
        (lambda c: c.pop("config"), "damaged or incompatible model file: 'config'"),
    ],
)
def test_tampered_architecture_gives_a_clear_error(tmp_path, saved, edit, match):
    path = _tampered(tmp_path, saved[1], model__json=_config_with(saved[1], edit))
    with pytest.raises(ValueError, match=match):
        rb.load_model(path)


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"model__json": np.array("{not json")}, "its __model__.json entry is not valid JSON"),
        ({"model__json": np.array("[1, 2]")}, r"not a rosenblatt model file \(format 'list'\)"),
        ({"weight__1": None}, "damaged or incompatible model file: missing weight arrays weight/1"),
        ({"weight__0": np.ones((2, 2))}, r"has shape \(3, 8\), got \(2, 2\)"),
        ({"weight__0": np.array(["x"] * 24).reshape(3, 8)}, "damaged or incompatible model file"),
    ],
)
def test_tampered_arrays_give_a_clear_error(tmp_path, saved, changes, match):
    with pytest.raises(ValueError, match=match):
        rb.load_model(_tampered(tmp_path, saved[1], **changes))

"""rosenblatt.utils (to_categorical, normalize, set_random_seed, plot_model) and
rosenblatt.datasets.mnist.load_data from IDX files the tests write."""

import gzip
import random
import struct

import numpy as np
import pytest
from rosenblatt.layers import Dense, Dropout

import rosenblatt
from rosenblatt import utils
from rosenblatt.datasets import mnist
from rosenblatt.models import Sequential


def test_to_categorical_as_keras():
    np.testing.assert_array_equal(utils.to_categorical([2, 0]), [[0, 0, 1], [1, 0, 0]])
    y = utils.to_categorical(np.array([[1], [0]]), num_classes=4)
    assert y.shape == (2, 4) and y.dtype == np.float32
    assert utils.to_categorical(np.zeros((2, 3), int), 2).shape == (2, 3, 2)
    with pytest.raises(ValueError, match="y: expected integer class labels"):
        utils.to_categorical([0.5])
    with pytest.raises(ValueError, match="num_classes"):
        utils.to_categorical([1], num_classes=0)


def test_normalize_divides_by_the_norm():
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    np.testing.assert_allclose(utils.normalize(x), x / np.maximum(
        np.linalg.norm(x, axis=1, keepdims=True), 1e-300) * (np.abs(x).sum(1, keepdims=True) > 0))
    np.testing.assert_allclose(utils.normalize(x, axis=0, order=1),
                               x / np.abs(x).sum(axis=0, keepdims=True))
    with pytest.raises(ValueError, match="axis"):
        utils.normalize(x, axis=2)
    with pytest.raises(ValueError, match="order"):
        utils.normalize(x, order=3)


def test_set_random_seed_makes_runs_repeat():
    def run():
        utils.set_random_seed(5)
        model = Sequential([Dense(2, input_dim=2), Dropout(0.5), Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0)
        return model.get_weights(), random.random(), np.random.rand()

    (w1, r1, n1), (w2, r2, n2) = run(), run()
    assert r1 == r2 and n1 == n2
    for a, b in zip(w1, w2, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="seed"):
        utils.set_random_seed(-1)


def test_utils_is_a_public_path():
    assert rosenblatt.utils is utils and "utils" in rosenblatt.PUBLIC_MODULES


def test_plot_model_draws_the_layers_with_shapes(tmp_path):
    pytest.importorskip("matplotlib")
    from rosenblatt.plot import graph_layout

    model = Sequential([Dense(4, activation="relu", input_dim=3), Dense(1)])
    rows = graph_layout(model)
    assert [(r["kind"], r["level"], r["parents"]) for r in rows] == [
        ("InputLayer", 0, []), ("Dense", 1, [0]), ("Dense", 2, [1])]
    assert rows[1]["input_shape"] == "(None, 3)" and rows[2]["output_shape"] == "(None, 1)"
    fig = utils.plot_model(model, to_file=tmp_path / "model.png", show_shapes=True)
    assert (tmp_path / "model.png").stat().st_size > 0
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("in: (None, 3)  out: (None, 4)" in t for t in texts)
    with pytest.raises(ValueError, match="save"):
        utils.plot_model(model, to_file=tmp_path / "model.txt")
    with pytest.raises(TypeError, match="show_shapes"):
        utils.plot_model(model, show_shapes="yes")
    with pytest.raises(ValueError, match="model: expected a built model"):
        utils.plot_model(Sequential([Dense(1)]))


def test_graph_layout_refuses_what_has_no_layers():
    from rosenblatt.plot import graph_layout

    with pytest.raises(TypeError, match="model: expected a model with layers"):
        graph_layout(3)


def test_plot_model_of_a_functional_graph():
    pytest.importorskip("matplotlib")
    from rosenblatt.plot import graph_layout

    inputs = rosenblatt.Input((3,))
    outputs = Dense(1)(Dense(4)(inputs))
    rows = graph_layout(rosenblatt.Model(inputs, outputs))
    assert [r["kind"] for r in rows] == ["InputLayer", "Dense", "Dense"]
    assert [r["parents"] for r in rows] == [[], [0], [1]]


# --------------------------------------------------------------------------- MNIST
def _write_idx(path, array, gz=False):
    codes = {np.dtype(np.uint8): 0x08}
    header = struct.pack(">BBBB", 0, 0, codes[array.dtype], array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data)
    path.write_bytes(data)


def _mnist_files(directory, n_train=5, n_test=3, gz=False):
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
              rng.integers(0, 10, n_train, dtype=np.uint8),
              rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
              rng.integers(0, 10, n_test, dtype=np.uint8)]
    for name, array in zip(mnist.FILES, arrays, strict=True):
        _write_idx(directory / name, array, gz=gz)
    return arrays


def test_load_data_gives_keras_shapes_and_types(tmp_path):
    arrays = _mnist_files(tmp_path / "here", gz=True)
    (x_train, y_train), (x_test, y_test) = mnist.load_data(tmp_path / "here")
    for got, expected in zip((x_train, y_train, x_test, y_test), arrays, strict=True):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, expected)
    assert x_train.shape == (5, 28, 28) and y_test.shape == (3,)


def test_load_data_looks_in_rosenblatt_data_then_the_user_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSENBLATT_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    _mnist_files(tmp_path / "xdg" / "rosenblatt" / "mnist", n_train=2)
    assert mnist.load_data()[0][0].shape == (2, 28, 28)
    _mnist_files(tmp_path / "data" / "mnist", n_train=4)
    assert mnist.load_data()[0][0].shape == (4, 28, 28)


def test_missing_files_are_named_with_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSENBLATT_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_data()
    message = str(info.value)
    for name in mnist.FILES:
        assert name in message
    assert str(tmp_path / "data" / "mnist") in message and "ROSENBLATT_DATA" in message
    with pytest.raises(TypeError, match="path"):
        mnist.load_data(3)


def test_malformed_pairs_are_refused(tmp_path):
    _mnist_files(tmp_path)
    _write_idx(tmp_path / mnist.FILES[1], np.zeros(4, np.uint8))
    with pytest.raises(ValueError, match="train images"):
        mnist.load_data(tmp_path)

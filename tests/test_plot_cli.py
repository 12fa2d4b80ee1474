"""``rosenblatt plot KIND ...`` writes a picture and prints its path."""

from __future__ import annotations

import importlib
import json
import sys
import types

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from rosenblatt.cli import main  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and len(data) > 4000


def run(capsys, *argv):
    code = main(["plot", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out.strip(), err


@pytest.mark.parametrize(
    "argv",
    [
        ["activations", "--names", "sigmoid", "relu"],
        ["gd", "--C", "2", "--etas", "0.1", "0.5", "1.2", "--steps", "8"],
        ["dataset", "circle", "--noise", "0.1", "--seed", "3", "--n", "120"],
    ],
)
def test_plot_kinds_write_png(tmp_path, capsys, argv):
    out = tmp_path / f"{argv[0]}.png"
    code, printed, err = run(capsys, *argv, "--out", out)
    assert (code, printed, err) == (0, str(out), "")
    assert_png(out)


def test_plot_history_from_json(tmp_path, capsys):
    logs = tmp_path / "history.json"
    logs.write_text(json.dumps({"loss": [1.0, 0.5, 0.2], "val_loss": [1.1, 0.7, 0.4]}))
    out = tmp_path / "h.svg"
    code, printed, _ = run(capsys, "history", logs, "--out", out)
    assert (code, printed) == (0, str(out))
    assert "<svg" in out.read_text()


def test_plot_default_out_is_kind_png(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, printed, _ = run(capsys, "gd")
    assert (code, printed) == (0, "gd.png")
    assert_png(tmp_path / "gd.png")


class Layer:
    def __init__(self, kernel, bias, name):
        self.kernel, self.bias, self.name = kernel, bias, name
        self.units = kernel.shape[1]
        self.activation = types.SimpleNamespace(name="sigmoid")

    def get_weights(self):
        return [self.kernel, self.bias]


class SavedModel:
    """What load_model could return: one neuron on the features x1^2, x2^2."""

    feature_map = ["x1^2", "x2^2"]

    def __init__(self):
        self.layers = [Layer(np.ones((2, 1)), np.array([-6.0]), "dense")]

    def predict(self, x):
        return 1 / (1 + np.exp(-(np.asarray(x) @ self.layers[0].kernel + self.layers[0].bias)))


@pytest.fixture
def fake_load_model(monkeypatch):
    """Route rosenblatt.models.load_model to SavedModel (the real loader lives elsewhere)."""
    loaded = []

    def load_model(path):
        loaded.append(path)
        return SavedModel()

    try:
        models = importlib.import_module("rosenblatt.models")
    except ModuleNotFoundError:
        models = types.ModuleType("rosenblatt.models")
        monkeypatch.setitem(sys.modules, "rosenblatt.models", models)
    monkeypatch.setattr(models, "load_model", load_model, raising=False)
    return loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["boundary", "m.rbz", "--data", "circle", "--resolution", "30", "--noise", "0.1"],
        ["weights", "m.rbz"],
        ["network", "m.rbz"],
    ],
)
def test_plot_model_kinds(tmp_path, capsys, fake_load_model, argv):
    out = tmp_path / "m.png"
    code, printed, err = run(capsys, *argv, "--out", out)
    assert (code, printed, err) == (0, str(out), "")
    assert fake_load_model == ["m.rbz"]
    assert_png(out)


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["gd", "--out", "gd.jpg"], "save: expected a path ending in .png or .svg, got 'gd.jpg'"),
        (["activations", "--names", "sigmoidd"], "Did you mean 'sigmoid'?"),
        (["dataset", "circel"], "Did you mean 'circle'?"),
        (["gd", "--C", "-1"], "C: expected a number > 0, got -1.0"),
        (["history", "missing.json"], "No such file"),
    ],
)
def test_plot_errors_exit_2_with_a_message(tmp_path, capsys, monkeypatch, argv, match):
    monkeypatch.chdir(tmp_path)
    code, printed, err = run(capsys, *argv)
    assert code == 2 and printed == ""
    assert err.startswith("rosenblatt plot: error:") and match in err
    assert list(tmp_path.iterdir()) == []


def test_plot_needs_a_kind(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["plot"])
    assert exc.value.code == 2
    assert "KIND" in capsys.readouterr().err


def test_plot_a_saved_model_file(tmp_path, capsys):
    models = pytest.importorskip("rosenblatt.models")
    layers = pytest.importorskip("rosenblatt.layers")
    from rosenblatt.datasets import FeatureMap

    model = models.Sequential([layers.Dense(1, activation="sigmoid", input_dim=2)])
    model.set_weights([np.ones((2, 1)), np.array([-6.0])])
    model.feature_map = FeatureMap(["x1^2", "x2^2"])
    saved = tmp_path / "circle.rbz"
    model.save(saved)
    for kind in ("boundary", "network", "weights"):
        out = tmp_path / f"{kind}.png"
        extra = ["--data", "circle", "--resolution", "20"] if kind == "boundary" else []
        code, printed, err = run(capsys, kind, saved, *extra, "--out", out)
        assert (code, printed, err) == (0, str(out), "")
        assert_png(out)

"""The 8x8 digits ship inside the package (no scikit-learn, no pickle), and the digits run of
`rosenblatt train` reports accuracy on test data that training never saw."""

import sys
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import rosenblatt
from rosenblatt.cli import main
from rosenblatt.datasets import load_digits

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_digits_equal_scikit_learns():
    datasets = pytest.importorskip("sklearn.datasets")
    x, y = load_digits()
    ref = datasets.load_digits()
    np.testing.assert_array_equal(x * 16, ref.data)
    np.testing.assert_array_equal(y, ref.target)
    assert x.dtype == np.float32 and y.dtype == np.int64


def test_the_file_holds_two_plain_uint8_arrays_read_without_pickle(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    resource = resources.files("rosenblatt.datasets").joinpath("data/digits.npz")
    with resource.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert sorted(archive.namelist()) == ["images.npy", "labels.npy"]
    with resource.open("rb") as handle, np.load(handle, allow_pickle=False) as archive:
        assert archive["images"].dtype == np.uint8 and archive["images"].shape == (1797, 8, 8)
        assert archive["labels"].dtype == np.uint8 and archive["labels"].max() == 9
    x, _ = load_digits()
    assert 0.0 <= x.min() and x.max() == 1.0


def test_the_digits_are_package_data():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "data/*.npz" in config["tool"]["setuptools"]["package-data"]["rosenblatt.datasets"]
    assert (ROOT / "rosenblatt" / "datasets" / "data" / "digits.npz").stat().st_size < 100_000


def test_validation_comes_from_the_training_part_never_the_test_part(tmp_path, monkeypatch,
                                                                     capsys):
    seen = {}
    fit, evaluate = rosenblatt.Model.fit, rosenblatt.Model.evaluate

    def recording_fit(self, x, y, **kwargs):
        seen["fit"], seen["validation"] = x, kwargs["validation_data"][0]
        return fit(self, x, y, **kwargs)

    def recording_evaluate(self, x, y, **kwargs):
        seen["test"] = x
        return evaluate(self, x, y, **kwargs)

    monkeypatch.setattr(rosenblatt.Model, "fit", recording_fit)
    monkeypatch.setattr(rosenblatt.Model, "evaluate", recording_evaluate)
    ids = np.arange(200)
    path = tmp_path / "d.csv"
    path.write_text("id,y\n" + "".join(f"{i},{i % 2}\n" for i in ids))
    code = main(["train", "--data", f"csv:{path}", "--no-standardize", "--epochs", "1",
                 "--verbose", "0", "--output", str(tmp_path / "m.npz")])
    assert code == 0
    parts = {name: set(seen[name][:, 0].astype(int).tolist()) for name in seen}
    assert len(parts["test"]) == 40 and len(parts["validation"]) == 16
    assert not parts["validation"] & parts["test"] and not parts["fit"] & parts["test"]
    assert parts["fit"] | parts["validation"] | parts["test"] == set(ids.tolist())
    assert "validation: the last 16 of the training samples" in capsys.readouterr().out

"""`rosenblatt train`, `predict` and `summary` on the command line."""

import gzip
import struct

import numpy as np
import pytest

import rosenblatt
from rosenblatt.cli import main


def _train(tmp_path, *args):
    out = tmp_path / "model.npz"
    code = main(["train", "--verbose", "0", "--output", str(out), *args])
    return code, out


def test_train_defaults_on_digits_reach_97_percent(tmp_path, capsys):
    pytest.importorskip("sklearn")
    code, out = _train(tmp_path)
    text = capsys.readouterr().out
    assert code == 0 and out.exists()
    accuracy = float(text.split("test accuracy: ")[1].split()[0])
    assert accuracy >= 0.97, text
    model = rosenblatt.load_model(out)
    assert [w.shape for w in model.get_weights()] == [(64, 128), (128,), (128, 64), (64,),
                                                       (64, 10), (10,)]


def test_train_flags_choose_layers_activation_optimizer_and_batch(tmp_path, capsys):
    code, out = _train(tmp_path, "--data", "xor", "--layers", "8,8", "--activation", "tanh",
                       "--optimizer", "sgd", "--learning-rate", "0.1", "--batch-size", "full",
                       "--epochs", "3", "--seed", "4")
    assert code == 0
    model = rosenblatt.load_model(out)
    assert [layer.units for layer in model.layers] == [8, 8, 1]
    assert model.layers[0].activation.name == "tanh"
    assert type(model.optimizer).__name__ == "SGD"
    assert model.optimizer.learning_rate == pytest.approx(0.1)
    assert model.optimizer.iterations == 3  # full batch: one step per epoch


def _write_idx(path, array, type_code):
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim)
    header += struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.tobytes())


def test_train_on_an_idx_directory_splits_first_images_train_last_test(tmp_path, capsys):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 200).astype(np.uint8)
    images = np.zeros((200, 28, 28), np.uint8)
    for i, label in enumerate(labels):  # a learnable picture: a bright row per class
        images[i, 2 * label + 3, :] = 255
    _write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images, 0x08)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels, 0x08)
    code, _ = _train(tmp_path, "--data", f"mnist:{tmp_path}", "--layers", "32", "--epochs", "15")
    text = capsys.readouterr().out
    assert code == 0
    assert "160 training and 40 test samples, 784 features, 10 classes" in text
    assert float(text.split("test accuracy: ")[1].split()[0]) >= 0.9


def test_train_on_csv_regression_with_target_column(tmp_path, capsys):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + 0.3
    path = tmp_path / "data.csv"
    rows = ["a,price,b,c"] + [f"{r[0]},{t},{r[1]},{r[2]}" for r, t in zip(x, y, strict=True)]
    path.write_text("\n".join(rows))
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--target", "price", "--layers", "",
                       "--learning-rate", "0.05", "--epochs", "40")
    text = capsys.readouterr().out
    assert code == 0 and "test loss (mse)" in text
    mse = float(text.split("test loss (mse): ")[1].split(",")[0])
    assert mse < 0.05  # a linear neuron recovers the linear target


def test_predict_and_summary_of_a_saved_model(tmp_path, capsys):
    code, out = _train(tmp_path, "--data", "circle", "--layers", "4", "--activation", "tanh",
                       "--features", "x1,x2,x1^2,x2^2", "--epochs", "2")
    assert code == 0
    model = rosenblatt.load_model(out)
    assert model.feature_map.names == ["x1", "x2", "x1^2", "x2^2"]
    points = np.array([[0.0, 0.5], [4.0, -3.0]])
    np.savetxt(tmp_path / "points.csv", points, delimiter=",")
    capsys.readouterr()
    assert main(["predict", str(out), str(tmp_path / "points.csv")]) == 0
    printed = np.loadtxt(capsys.readouterr().out.splitlines(), ndmin=2)
    expected = model.predict(model.feature_map(points))
    np.testing.assert_allclose(printed, expected, rtol=1e-5)
    assert main(["summary", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Total params: 25" in text  # (4 + 1) * 4 + (4 + 1) * 1


def test_train_writes_plots(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    code, _ = _train(tmp_path, "--data", "circle", "--layers", "4", "--epochs", "2",
                     "--plot", str(tmp_path / "pics"))
    assert code == 0
    for name in ("history.png", "boundary.png", "history.json"):
        assert (tmp_path / "pics" / name).stat().st_size > 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--batch-size", "zero"], "--batch-size: expected an integer >= 1 or 'full'"),
        (["--data", "nowhere"], "Unknown dataset 'nowhere'"),
        (["--data", "digits", "--features", "x1"], "--features applies to playground"),
        (["--data", "circle", "--test-split", "0"], "--test-split"),
        (["--data", "mnist:/no/such/dir"], "no/such/dir"),
    ],
)
def test_bad_train_arguments_give_clear_errors(tmp_path, capsys, args, message):
    code, out = _train(tmp_path, *args)
    assert code == 2 and not out.exists()
    assert message in capsys.readouterr().err


def test_predict_errors_name_the_file(tmp_path, capsys):
    assert main(["predict", str(tmp_path / "missing.npz"), "x.csv"]) == 2
    assert "missing.npz" in capsys.readouterr().err

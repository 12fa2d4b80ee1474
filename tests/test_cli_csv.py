"""The command line's CSV path: task choice, labels of any values, standardization stored in
the model, predictions from CSV files with headers, and arguments refused before training."""

import sys
import warnings

import numpy as np
import pytest

import rosenblatt
from rosenblatt.cli import main
from rosenblatt.datasets import DATASETS, load_csv


def _train(tmp_path, *args):
    out = tmp_path / "model.npz"
    code = main(["train", "--verbose", "0", "--output", str(out), *args])
    return code, out


def _write_csv(path, header, rows):
    path.write_text("\n".join([",".join(header)] + [",".join(map(str, r)) for r in rows]) + "\n")
    return path


def _points(n=200, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=(n, 2))


def _printed(capsys):
    return capsys.readouterr().out.split()


@pytest.mark.parametrize("labels", [("no", "yes"), (-3, 7), (-1, 0, 4), ("cat", "dog", "emu")])
def test_class_labels_of_any_values_come_back_from_predict(tmp_path, capsys, labels):
    x = _points(300)
    k = len(labels)
    cls = np.digitize(x[:, 0], np.linspace(-1, 1, k + 1)[1:-1])  # vertical bands
    path = _write_csv(tmp_path / "d.csv", ["a", "b", "label"],
                      [(a, b, labels[c]) for (a, b), c in zip(x, cls, strict=True)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--layers", "16", "--epochs", "60",
                       "--learning-rate", "0.01")
    text = capsys.readouterr().out
    assert code == 0 and "task: classification" in text
    model = rosenblatt.load_model(out)
    assert model.preprocessing.classes == list(labels)  # sorted, and in their own types
    centres = (np.linspace(-1, 1, k + 1)[:-1] + 1 / k)  # band middles, far from the edges
    query = _write_csv(tmp_path / "q.csv", ["b", "a"], [(0.0, c) for c in centres])
    assert main(["predict", str(out), str(query), "--classes"]) == 0
    assert _printed(capsys) == [str(label) for label in labels]


def test_regression_is_standardized_and_predicts_in_the_targets_units(tmp_path, capsys):
    rng = np.random.default_rng(1)
    x = rng.normal([50.0, -2000.0], [10.0, 300.0], size=(200, 2))
    y = 1000.0 + 30.0 * (x[:, 0] - 50) + 0.5 * (x[:, 1] + 2000)
    path = _write_csv(tmp_path / "d.csv", ["u", "price", "v"],
                      [(a, t, b) for (a, b), t in zip(x, y, strict=True)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--target", "price", "--layers", "",
                       "--learning-rate", "0.05", "--epochs", "60")
    text = capsys.readouterr().out
    assert code == 0 and "task: regression (the target values are not all whole numbers" in text
    model = rosenblatt.load_model(out)
    p = model.preprocessing
    order = np.random.default_rng(0).permutation(200)  # the CLI's split: seed 0, 160 | 40
    fit = order[:144]  # the last 16 of the 160 training rows are for validation
    x32 = x.astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(p.mean, x32[fit].mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(p.scale, x32[fit].std(axis=0), rtol=1e-5)
    np.testing.assert_allclose([p.target_mean, p.target_scale],
                               [y[fit].astype(np.float32).mean(), y[fit].astype(np.float32).std()],
                               rtol=1e-5)
    assert p.columns == ["u", "v"] and p.target == "price"
    query = np.array([[55.0, -1800.0], [40.0, -2500.0]])
    expected = 1000.0 + 30.0 * (query[:, 0] - 50) + 0.5 * (query[:, 1] + 2000)
    rows = [(t, b, a) for (a, b), t in zip(query, [0, 0], strict=True)]  # any order, a target
    _write_csv(tmp_path / "q.csv", ["price", "v", "u"], rows)
    assert main(["predict", str(out), str(tmp_path / "q.csv")]) == 0
    np.testing.assert_allclose(np.array(_printed(capsys), float), expected, rtol=0.02)


def test_no_standardize_stores_no_statistics(tmp_path, capsys):
    x = _points(100)
    path = _write_csv(tmp_path / "d.csv", ["a", "b", "y"], [(a, b, a + b) for a, b in x])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--no-standardize", "--epochs", "1")
    assert code == 0
    p = rosenblatt.load_model(out).preprocessing
    assert p.mean is None and p.target_mean is None and p.columns == ["a", "b"]


@pytest.mark.parametrize("targets, task, reason", [
    (np.arange(100) % 30, "regression", "30 distinct integer targets, more than 20"),
    (np.arange(100) % 3 - 1, "classification", "3 distinct integer targets, at most 20"),
    (np.arange(10) % 6, "regression", "6 distinct integer targets in 10 rows"),
    (np.arange(100) / 7, "regression", "the target values are not all whole numbers"),
])
def test_auto_task_rule_is_printed(tmp_path, capsys, targets, task, reason):
    rows = [(i % 5, t) for i, t in enumerate(targets)]
    path = _write_csv(tmp_path / "d.csv", ["a", "y"], rows)
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--epochs", "1", "--validation-split",
                       "0")
    text = capsys.readouterr().out
    assert code == 0 and f"task: {task} ({reason}" in text


def test_task_flag_overrides_the_rule(tmp_path, capsys):
    path = _write_csv(tmp_path / "d.csv", ["a", "y"], [(i, i % 30) for i in range(100)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--epochs", "1", "--task",
                       "classification")
    assert code == 0 and len(rosenblatt.load_model(out).preprocessing.classes) == 30


def test_target_by_index_and_by_name(tmp_path, capsys):
    path = _write_csv(tmp_path / "d.csv", ["y", "a", "b"],
                      [(int(a > 0), a, b) for a, b in _points(100)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--target", "0", "--epochs", "1")
    assert code == 0
    p = rosenblatt.load_model(out).preprocessing
    assert p.columns == ["a", "b"] and p.target == "y" and p.classes == [0, 1]
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--target", "-1", "--epochs", "1")
    assert code == 0 and rosenblatt.load_model(out).preprocessing.target == "b"


def test_predict_applies_feature_crosses_whatever_the_width(tmp_path, capsys):
    code, out = _train(tmp_path, "--data", "circle", "--layers", "4", "--features", "x1^2,x2^2",
                       "--epochs", "2")
    assert code == 0
    model = rosenblatt.load_model(out)
    points = np.array([[0.5, -1.0], [3.0, 2.0]])
    _write_csv(tmp_path / "p.csv", ["x2", "x1"], points[:, ::-1])
    capsys.readouterr()
    assert main(["predict", str(out), str(tmp_path / "p.csv")]) == 0
    expected = model.predict(points ** 2)  # the crosses, computed here by hand
    np.testing.assert_allclose(np.array(_printed(capsys), float), expected[:, 0], rtol=1e-5)
    np.save(tmp_path / "one.npy", points[1])  # a single row
    assert main(["predict", str(out), str(tmp_path / "one.npy")]) == 0
    np.testing.assert_allclose(float(_printed(capsys)[0]), expected[1, 0], rtol=1e-5)


@pytest.mark.parametrize("header, message", [
    (["a", "c"], "missing b; unexpected c"),
    (["a", "b", "extra"], "missing none; unexpected extra"),
    (["a"], "missing b; unexpected none"),
])
def test_predict_refuses_a_column_mismatch_naming_the_columns(tmp_path, capsys, header, message):
    path = _write_csv(tmp_path / "d.csv", ["a", "b", "y"], [(a, b, a) for a, b in _points(60)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--epochs", "1")
    assert code == 0
    query = _write_csv(tmp_path / "q.csv", header, [[1.0] * len(header)])
    capsys.readouterr()
    assert main(["predict", str(out), str(query)]) == 2
    err = capsys.readouterr().err
    assert message in err and "the model takes a, b; its target y is ignored" in err


def test_predict_without_header_checks_the_width(tmp_path, capsys):
    path = _write_csv(tmp_path / "d.csv", ["a", "b", "y"], [(a, b, a) for a, b in _points(60)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--epochs", "1")
    (tmp_path / "q.csv").write_text("1,2,3\n")
    capsys.readouterr()
    assert main(["predict", str(out), str(tmp_path / "q.csv")]) == 2
    assert "expected 2 columns (a, b) per row, found 3" in capsys.readouterr().err
    (tmp_path / "q.csv").write_text("1,2\n")
    assert main(["predict", str(out), str(tmp_path / "q.csv")]) == 0
    assert main(["predict", str(out), str(tmp_path / "q.csv"), "--classes"]) == 2
    assert "--classes: " in capsys.readouterr().err


@pytest.mark.parametrize("flag, value", [
    ("--layers", "abc"), ("--layers", "8,0"), ("--learning-rate", "inf"),
    ("--learning-rate", "nan"), ("--learning-rate", "0"), ("--learning-rate", "-0.1"),
    ("--epochs", "0"), ("--samples", "-5"), ("--validation-split", "1"),
])
def test_bad_numbers_are_refused_as_arguments(tmp_path, capsys, flag, value):
    with pytest.raises(SystemExit) as info:
        _train(tmp_path, "--data", "xor", flag, value)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {flag}: expected" in err and repr(value) in err
    assert not (tmp_path / "model.npz").exists()


def _refused_before_training(capsys, code, out, message):
    captured = capsys.readouterr()
    assert code == 2 and message in captured.err
    assert "data:" not in captured.out  # nothing was loaded or trained
    assert out is None or not out.exists()


def test_output_is_checked_before_training(tmp_path, capsys):
    code = main(["train", "--data", "xor", "--output", str(tmp_path / "no" / "m.npz")])
    _refused_before_training(capsys, code, tmp_path / "no", "--output: expected a file in an "
                             "existing directory")
    code = main(["train", "--data", "xor", "--output", str(tmp_path)])
    _refused_before_training(capsys, code, None, "--output: expected a file path, got the "
                             "directory")


def test_an_unwritable_output_directory_is_refused(tmp_path, capsys):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code = main(["train", "--data", "xor", "--output", str(locked / "m.npz")])
    _refused_before_training(capsys, code, locked / "m.npz", "--output: expected a writable")


def test_plot_to_a_png_file_writes_that_file(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    picture = tmp_path / "curves.png"
    code, _ = _train(tmp_path, "--data", "circle", "--layers", "4", "--epochs", "2",
                     "--plot", str(picture))
    assert code == 0 and picture.is_file() and picture.read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "curves-boundary.png").is_file()


def test_plot_without_matplotlib_is_refused_before_training(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out = _train(tmp_path, "--data", "xor", "--plot", str(tmp_path / "c.png"))
    _refused_before_training(capsys, code, out, "--plot needs matplotlib")


def test_plot_with_an_unknown_image_suffix_is_refused(tmp_path, capsys):
    code, out = _train(tmp_path, "--data", "xor", "--plot", str(tmp_path / "c.jpg"))
    _refused_before_training(capsys, code, out, "--plot: expected a file ending in .png or .svg")


@pytest.mark.parametrize("name", DATASETS.names())
def test_every_offered_data_set_trains(tmp_path, capsys, name):
    code, out = _train(tmp_path, "--data", name, "--samples", "60", "--epochs", "1",
                       "--layers", "4")
    assert code == 0, capsys.readouterr().err
    assert rosenblatt.load_model(out).preprocessing.columns == ["x1", "x2"]


def test_the_help_offers_every_data_set():
    from rosenblatt.cli import build_parser

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    data_help = next(a.help for a in train._actions if a.dest == "data")
    assert all(name in data_help.split(": ")[1].split(", ") for name in DATASETS.names())


@pytest.mark.parametrize("args, message", [
    (["--data", "xor", "--task", "regression"], "--task regression: xor is a classification"),
    (["--test-split", "nan"], "--test-split"),
])
def test_task_and_split_errors(tmp_path, capsys, args, message):
    code, out = _train(tmp_path, *args)
    assert code == 2 and message in capsys.readouterr().err and not out.exists()


def test_csv_errors_name_the_flag(tmp_path, capsys):
    labels = _write_csv(tmp_path / "s.csv", ["a", "y"], [(1, "yes"), (2, "no")] * 10)
    code, out = _train(tmp_path, "--data", f"csv:{labels}", "--task", "regression")
    assert code == 2 and "--task regression: expected numeric targets" in capsys.readouterr().err
    one = _write_csv(tmp_path / "o.csv", ["a", "y"], [(i, 1) for i in range(20)])
    code, out = _train(tmp_path, "--data", f"csv:{one}")
    assert code == 2 and "--target: expected at least two classes" in capsys.readouterr().err
    assert not out.exists()


# --- load_csv: numbers stay numbers, labels stay labels ------------------------------------


def test_load_csv_never_wraps_a_large_integer(tmp_path):
    path = _write_csv(tmp_path / "d.csv", ["a", "y"], [(1, "1e20"), (2, "3")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, y = load_csv(path)
    assert y.dtype == np.float32 and y.tolist() == [np.float32(1e20), 3.0]
    path = _write_csv(tmp_path / "e.csv", ["a", "y"], [(1, 2**63), (2, 0)])
    assert load_csv(path)[1].tolist() == [np.float32(2.0**63), 0.0]
    path = _write_csv(tmp_path / "f.csv", ["a", "y"], [(1, 2**53 + 1), (2, -(2**62))])
    y = load_csv(path)[1]
    assert y.dtype == np.int64 and y.tolist() == [2**53 + 1, -(2**62)]  # exact


def test_load_csv_keeps_string_labels_and_columns(tmp_path):
    path = _write_csv(tmp_path / "d.csv", ["a", "label", "b"], [(1, " yes", 2), (3, "no", 4)])
    x, y, columns = load_csv(path, target="label", return_columns=True)
    assert y.tolist() == ["yes", "no"] and columns == ["a", "b"] and x.tolist() == [[1, 2], [3, 4]]


def test_load_csv_refuses_what_float32_cannot_hold_and_missing_targets(tmp_path):
    path = _write_csv(tmp_path / "d.csv", ["a", "y"], [(1, 0), ("1e39", 1)])
    with pytest.raises(ValueError, match=r"line 3, column 'a': '1e39' is outside float32's range"):
        load_csv(path)
    path = _write_csv(tmp_path / "e.csv", ["a", "y"], [(1, 0), (2, "1e39")])
    with pytest.raises(ValueError, match=r"line 3, column 'y': expected a finite number within"):
        load_csv(path)
    path = _write_csv(tmp_path / "f.csv", ["a", "y"], [(1, 0), (2, " ")])
    with pytest.raises(ValueError, match=r"line 3, column 'y': missing target value"):
        load_csv(path)


def test_more_refusals_before_training(tmp_path, capsys):
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    code = main(["train", "--data", "xor", "--plot", str(a_file), "--output",
                 str(tmp_path / "m.npz")])
    _refused_before_training(capsys, code, tmp_path / "m.npz",
                             "--plot: expected a directory or a .png / .svg file")
    code = main(["train", "--data", "xor", "--plot", str(a_file / "sub"), "--output",
                 str(tmp_path / "m.npz")])
    _refused_before_training(capsys, code, tmp_path / "m.npz",
                             "--plot: expected a directory that can be created")
    code = main(["train", "--data", "xor", "--plot", str(tmp_path / "no" / "c.png"),
                 "--output", str(tmp_path / "m.npz")])
    _refused_before_training(capsys, code, tmp_path / "m.npz", "--output: expected a file in")
    dup = _write_csv(tmp_path / "dup.csv", ["a", "a", "y"], [(1, 2, 0), (2, 3, 1)] * 5)
    code, out = _train(tmp_path, "--data", f"csv:{dup}")
    assert code == 2 and "expected distinct column names, got a, a, y" in capsys.readouterr().err
    code, out = _train(tmp_path, "--data", "xor", "--samples", "20", "--validation-split",
                       "0.01")
    err = capsys.readouterr().err
    assert code == 2 and "--validation-split: 0.01 of 16 training samples" in err
    assert not out.exists()


@pytest.mark.parametrize("text, message", [
    ("", "expected rows of numbers, found an empty file"),
    ("a,b\n", "expected rows of numbers after the header, found none"),
    ("a,b\n1,2\n3\n", "line 3: expected 2 values, found 1"),
    ("a,b\n1,inf\n", "line 2: expected a finite number, found 'inf'"),
    ("1,2\n1,x\n", "line 2: expected a finite number, found 'x'"),
])
def test_predict_csv_errors_name_the_file_and_line(tmp_path, capsys, text, message):
    path = _write_csv(tmp_path / "d.csv", ["a", "b", "y"], [(a, b, a) for a, b in _points(60)])
    code, out = _train(tmp_path, "--data", f"csv:{path}", "--epochs", "1")
    (tmp_path / "q.csv").write_text(text)
    capsys.readouterr()
    assert main(["predict", str(out), str(tmp_path / "q.csv")]) == 2
    err = capsys.readouterr().err
    assert "q.csv" in err and message in err

"""The bad-input catalogue of the data side: generators, preprocessing, feature crosses, the CSV
and IDX loaders, and the command line. Every case gives a ValueError or TypeError (a missing
file or a folder keeps Python's FileNotFoundError / IsADirectoryError) whose message names the
argument, before any work: sizes that grow with an argument are refused against a stated cap
before anything is allocated, and a refused generator leaves its random generator untouched.

The memory cases run in a subprocess limited to 1 GiB of address space, where an allocation
without bound would raise MemoryError instead of the expected message.
"""

import gzip
import math
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from rosenblatt import datasets
from rosenblatt.cli import main
from rosenblatt.datasets import (
    DATASETS,
    FeatureMap,
    NotFittedError,
    Standardizer,
    blobs,
    limits,
    load_csv,
    load_idx,
    load_mnist,
    one_hot,
    polynomial_features,
)
from rosenblatt.datasets.loaders import parse_number

ROOT = Path(__file__).resolve().parents[1]
GiB = 1 << 30


def _idx_header(type_code, shape):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(s.to_bytes(4, "big") for s in shape)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    paths = {"folder": folder, "missing": folder / "none.csv", "empty_dir": folder / "empty"}
    paths["empty_dir"].mkdir()

    def text(name, content):
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(content, encoding="utf-8")

    text("ok", "a,b,y\n1,2,0\n3,4,1\n")
    text("dup", "a,a,y\n1,2,0\n3,4,1\n")
    text("underscore", "a,b,y\n1_000,2,0\n3,4,1\n")
    text("arabic", "a,b,y\n\u0661\u0662,2,0\n3,4,1\n")
    text("fullwidth", "a,b,y\n\uff11,2,0\n3,4,1\n")
    text("long", "a,b,y\n1," + "9" * 200_000 + ",0\n")
    paths["binary"] = folder / "binary.csv"
    paths["binary"].write_bytes(bytes(np.random.default_rng(0).integers(128, 256, 3000,
                                                                        dtype=np.uint8)))
    nan = np.array([1.0, np.nan, 3.0], dtype=">f4")
    paths["nan_idx"] = folder / "nan-idx1"
    paths["nan_idx"].write_bytes(_idx_header(0x0D, (3,)) + nan.tobytes())
    inf = np.array([[1.0, 2.0], [np.inf, 0.0]], dtype=">f8")
    paths["inf_idx"] = folder / "inf-idx2.gz"
    paths["inf_idx"].write_bytes(gzip.compress(_idx_header(0x0E, (2, 2)) + inf.tobytes()))
    return paths


@dataclass
class Case:
    """``call(files)`` must raise ``error`` with a message matching ``match``."""

    id: str
    call: object
    error: type
    match: str


CASES = [
    # ------------------------------------------------------------ generators: capped sizes
    *[Case(f"make-{name}-n-huge", lambda f, name=name: datasets.make(name, n=10**12), ValueError,
           r"n: expected at most 10,000,000 \(rosenblatt.datasets.limits.MAX_SAMPLES")
      for name in ("circle", "xor", "gauss", "spiral", "plane", "multi_gauss", "moons", "blobs")],
    Case("blobs-centers-huge", lambda f: blobs(centers=10**9), ValueError,
         "centers: expected at most 10,000,000"),
    # ------------------------------------------------------------ preprocessing
    Case("one-hot-label-huge", lambda f: one_hot([10**12]), ValueError,
         "y: label 1000000000000 at index 0 needs a one-hot array of more than "
         "rosenblatt.datasets.limits.MAX_ONE_HOT_ENTRIES"),
    Case("one-hot-label-1e30", lambda f: one_hot([0.0, 1e30]), ValueError,
         "y: label 1e[+]30 at index 1"),
    Case("one-hot-num-classes-huge", lambda f: one_hot([0, 1], num_classes=10**9), ValueError,
         "num_classes: 1,000,000,000 classes for 2 labels make a one-hot array of "
         "2,000,000,000 entries"),
    Case("one-hot-inferred-over-cap", lambda f: one_hot(np.zeros(3000) + 100_000), ValueError,
         "y: 100,001 classes for 3,000 labels"),
    Case("standardizer-transform-before-fit", lambda f: Standardizer().transform([[1.0]]),
         NotFittedError, r"Standardizer is not fitted yet: call fit\(x_train\)"),
    # ------------------------------------------------------------ feature crosses
    Case("feature-map-duplicate", lambda f: FeatureMap(["x1", "x1"]), ValueError,
         "names: expected distinct features, got 'x1' and 'x1'"),
    Case("feature-map-alias-duplicate", lambda f: FeatureMap(["x1^2", "x2", "x1_squared"]),
         ValueError, "names: expected distinct features, got 'x1\\^2' and 'x1_squared'"),
    Case("polynomial-degree-huge", lambda f: polynomial_features([[1.0, 2.0]], 10**6),
         ValueError, "degree: 1,000,000 on 2 features makes more than "
         "rosenblatt.nn.features.MAX_POLYNOMIAL_COLUMNS = 100,000 columns"),
    Case("polynomial-degree-astronomic", lambda f: polynomial_features(np.ones((1, 500)), 10**30),
         ValueError, "degree: .* on 500 features makes more than"),
    Case("polynomial-include-bias-str", lambda f: polynomial_features([[1.0]], 2, "yes"),
         TypeError, "include_bias: expected True or False"),
    # ------------------------------------------------------------ CSV
    Case("csv-header-str", lambda f: load_csv(f["ok"], header="yes"), TypeError,
         "header: expected True or False, got 'yes'"),
    Case("csv-delimiter-empty", lambda f: load_csv(f["ok"], delimiter=""), TypeError,
         "delimiter: expected one character"),
    Case("csv-path-int", lambda f: load_csv(5), TypeError, "path: expected a str or pathlib.Path"),
    Case("csv-duplicate-columns", lambda f: load_csv(f["dup"]), ValueError,
         r"dup.csv: expected distinct column names, got a, a, y \('a' more than once\)"),
    Case("csv-underscore-number", lambda f: load_csv(f["underscore"]), ValueError,
         "underscore.csv, line 2, column 'a': expected a finite number in decimal digits, "
         "found '1_000'"),
    Case("csv-arabic-indic-digits", lambda f: load_csv(f["arabic"]), ValueError,
         "arabic.csv, line 2, column 'a': expected a finite number in decimal digits"),
    Case("csv-fullwidth-digit", lambda f: load_csv(f["fullwidth"]), ValueError,
         "fullwidth.csv, line 2, column 'a'"),
    Case("csv-field-over-limit", lambda f: load_csv(f["long"]), ValueError,
         "long.csv, line 2: a field is longer than the csv module's limit of 131,072"),
    Case("csv-binary-file", lambda f: load_csv(f["binary"]), ValueError,
         "binary.csv: expected a UTF-8 text file"),
    Case("csv-missing", lambda f: load_csv(f["missing"]), FileNotFoundError,
         "path: no such file: .*none.csv"),
    Case("csv-directory", lambda f: load_csv(f["folder"]), IsADirectoryError,
         "path: expected a CSV file, got the directory"),
    # ------------------------------------------------------------ IDX and MNIST
    Case("idx-float-nan", lambda f: load_idx(f["nan_idx"]), ValueError,
         r"nan-idx1: expected finite numbers, found nan at index \(1,\)"),
    Case("idx-gzip-double-inf", lambda f: load_idx(f["inf_idx"]), ValueError,
         r"inf-idx2.gz: expected finite numbers, found inf at index \(1, 0\)"),
    Case("idx-missing", lambda f: load_idx(f["missing"]), FileNotFoundError, "path: no such file"),
    Case("idx-directory", lambda f: load_idx(f["folder"]), IsADirectoryError,
         "path: expected an IDX file, got the directory"),
    Case("idx-path-none", lambda f: load_idx(None), TypeError, "path: expected a str"),
    Case("mnist-no-folder", lambda f: load_mnist(f["missing"]), FileNotFoundError,
         "directory: no folder at"),
    Case("mnist-folder-without-files", lambda f: load_mnist(f["empty_dir"]), FileNotFoundError,
         "directory: MNIST file\\(s\\) not found: .*train-images-idx3-ubyte.gz"),
]


def test_the_catalogue_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 35


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_data_input_gives_a_clear_error(case, files):
    with pytest.raises(case.error, match=case.match):
        case.call(files)


def test_not_fitted_is_a_value_error_and_an_attribute_error():
    with pytest.raises(ValueError) as caught:
        Standardizer().transform([[1.0]])
    assert isinstance(caught.value, AttributeError)


@pytest.mark.parametrize("name", DATASETS.names())
def test_a_refused_generator_leaves_its_random_generator_untouched(name):
    rng = np.random.default_rng(3)
    before = rng.bit_generator.state
    with pytest.raises(ValueError, match="n: expected at most"):
        datasets.make(name, n=limits.MAX_SAMPLES + 1, seed=rng)
    assert rng.bit_generator.state == before
    if name == "blobs":
        with pytest.raises(ValueError, match="centers: expected at most"):
            blobs(10, centers=limits.MAX_SAMPLES + 1, seed=rng)
        assert rng.bit_generator.state == before


def test_the_caps_are_module_constants_that_can_be_raised(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SAMPLES", 5)
    with pytest.raises(ValueError, match="n: expected at most 5 "):
        datasets.circle(6)
    assert datasets.circle(5)[0].shape == (5, 2)
    monkeypatch.setattr(limits, "MAX_ONE_HOT_ENTRIES", 6)
    with pytest.raises(ValueError, match="num_classes: 4 classes for 2 labels"):
        one_hot([0, 1], num_classes=4)
    assert one_hot([0, 2]).shape == (2, 3)
    from rosenblatt.nn import features

    monkeypatch.setattr(features, "MAX_POLYNOMIAL_COLUMNS", 5)
    assert polynomial_features([[2.0, 3.0]], 2).shape == (1, 5)  # C(4, 2) - 1 = 5 columns
    with pytest.raises(ValueError, match="degree: 2 on 2 features makes more than"):
        polynomial_features([[2.0, 3.0]], 2, include_bias=True)


@pytest.mark.parametrize(("d", "degree"), [(1, 1), (1, 7), (2, 1), (2, 3), (3, 4), (5, 2)])
def test_polynomial_columns_count_is_exact(d, degree):
    out = polynomial_features(np.ones((2, d)), degree)
    assert out.shape == (2, math.comb(d + degree, degree) - 1)


@pytest.mark.parametrize(("text", "value"), [("7", 7.0), (" -1.5e3 ", -1500.0), (".5", 0.5),
                                             ("+2.", 2.0), ("1E-2", 0.01)])
def test_csv_numbers_in_ascii_decimal_forms_are_read(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["1_000", "\u0661", "0x10", "1e", "", "--1", "1,5"])
def test_other_number_forms_are_not_numbers(text):
    with pytest.raises(ValueError, match="expected a number in decimal digits"):
        parse_number(text)


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b,y\n1,2,0\n")
    assert load_csv(path, return_columns=True)[2] == ["a", "b"]


def test_feature_lists_may_repeat_a_column_outside_a_feature_map():
    x = datasets.features([[2.0, 3.0]], ["x1", "x1"])
    assert x.tolist() == [[2.0, 2.0]]


# ---------------------------------------------------------------------------- memory cases
def _limited(script: str) -> str:
    """``script`` in a subprocess with RLIMIT_AS = 1 GiB: what it printed."""
    pytest.importorskip("resource")
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({GiB}, {GiB}))
    """) + textwrap.dedent(script)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=180, cwd=ROOT)
    return done.stdout + done.stderr


def test_absurd_sizes_are_refused_before_allocating_under_1_gib():
    out = _limited("""
        import numpy as np
        from rosenblatt import datasets
        calls = {
            "circle": lambda: datasets.make("circle", n=10**12),
            "blobs": lambda: datasets.blobs(centers=10**9),
            "one_hot": lambda: datasets.one_hot([10**12]),
            "poly": lambda: datasets.polynomial_features([[1.0, 2.0]], 10**6),
        }
        for name, call in calls.items():
            try:
                call()
                print(name, "accepted")
            except MemoryError:
                print(name, "MemoryError")
            except ValueError as exc:
                print(name, "ValueError", str(exc).split(":")[0])
    """)
    assert out.split("\n")[:4] == ["circle ValueError n", "blobs ValueError centers",
                                   "one_hot ValueError y", "poly ValueError degree"], out


def test_a_gzipped_idx_file_loads_in_about_its_declared_size(tmp_path):
    """750 MiB declared under a 1 GiB address space: reading it needs that size once, not
    twice (decompressed chunks go straight into the array)."""
    block = gzip.compress(bytes(1 << 24), compresslevel=9)
    path = tmp_path / "zeros-idx2-ubyte.gz"
    rows = 45
    with path.open("wb") as handle:
        handle.write(gzip.compress(_idx_header(0x08, (rows, 1 << 24))))
        for _ in range(rows):
            handle.write(block)
    out = _limited(f"""
        from rosenblatt.datasets import load_idx
        try:
            array = load_idx({str(path)!r})
            print("loaded", array.shape, int(array[-1, -1]))
        except MemoryError:
            print("MemoryError")
    """)
    assert f"loaded ({rows}, {1 << 24}) 0" in out, out


# ---------------------------------------------------------------------------- command line
def _cli(capsys, *argv):
    """(exit status, stderr) of ``rosenblatt ARGV``; argparse's refusals exit with 2 too."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.err


TRAIN = ("train", "--verbose", "0", "--layers", "4", "--epochs", "1")

CLI_CASES = [
    ("csv-empty-path", ["--data", "csv:"], "--data: expected a path after 'csv:'"),
    ("mnist-empty-path", ["--data", "mnist:"], "--data: expected a path after 'mnist:'"),
    ("samples-huge", ["--data", "circle", "--samples", str(10**13)],
     "argument --samples: expected an integer from 1 to 10,000,000"),
    ("epochs-huge", ["--data", "circle", "--epochs", str(10**12)],
     "argument --epochs: expected an integer from 1 to 1,000,000"),
    ("output-empty", ["--data", "circle", "--output", ""],
     "--output: expected a file path, got an empty one"),
    ("csv-directory", ["--data", "csv:{folder}"], "path: expected a CSV file, got the directory"),
    ("csv-missing", ["--data", "csv:{missing}"], "path: no such file"),
    ("csv-binary", ["--data", "csv:{binary}"], "expected a UTF-8 text file"),
    ("csv-underscore", ["--data", "csv:{underscore}"], "column 'a': expected a finite number"),
    ("features-duplicate", ["--data", "circle", "--features", "x1,x1"],
     "names: expected distinct features"),
]


@pytest.mark.parametrize(("argv", "message"), [c[1:] for c in CLI_CASES],
                         ids=[c[0] for c in CLI_CASES])
def test_train_refuses_with_one_line_and_status_2(capsys, tmp_path, files, argv, message):
    out = tmp_path / "m.npz"
    argv = [a.format(**files) for a in argv]
    if "--output" not in argv:
        argv += ["--output", str(out)]
    code, err = _cli(capsys, *TRAIN, *argv)
    last = err.strip().splitlines()[-1]  # argparse prints its usage lines first
    assert code == 2 and last.startswith("rosenblatt train: error: ") and message in last, err
    assert "Traceback" not in err
    assert not out.exists()


def test_train_output_onto_a_fifo_is_refused_before_training(capsys, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, err = _cli(capsys, *TRAIN, "--data", "circle", "--output", fifo)
    assert code == 2 and "--output: expected a regular file (or a new one)" in err
    assert fifo.is_fifo()  # neither replaced nor written


@pytest.mark.parametrize("data", ["circle", "digits"])
def test_a_diverging_run_says_so_and_saves_nothing(capsys, tmp_path, data):
    out = tmp_path / "m.npz"
    code, err = _cli(capsys, *TRAIN, "--data", data, "--learning-rate", "1e30",
                     "--output", out)
    assert code == 2 and "--learning-rate: training diverged:" in err, err
    assert "not evaluated or saved: try a smaller --learning-rate than 1e+30" in err
    assert "Traceback" not in err and "RuntimeWarning" not in err
    assert not out.exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["perceptron", "--gate", "xor", "--epochs", str(10**15)],
     "--epochs: expected at most 10,000, got 1,000,000,000,000,000"),
    (["explain", "--hidden", "100000", "100000"], "--hidden: expected at most 1,000"),
    (["plot", "gd", "--steps", str(10**12)], "argument --steps: expected an integer from 0 to"),
    (["plot", "boundary", "m.npz", "--data", "circle", "--resolution", str(10**6)],
     "argument --resolution: expected an integer from 2 to 2,000"),
])
def test_other_commands_cap_their_sizes(capsys, argv, message):
    code, err = _cli(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_predict_refuses_a_folder_and_strange_numbers(capsys, tmp_path, files):
    model = tmp_path / "m.npz"
    assert main([*TRAIN, "--data", "circle", "--output", str(model)]) == 0
    capsys.readouterr()
    code, err = _cli(capsys, "predict", model, files["folder"])
    assert code == 2 and "input: expected a .npy or CSV file" in err
    query = tmp_path / "q.csv"
    query.write_text("x1,x2\n1_0,2\n")
    code, err = _cli(capsys, "predict", model, query)
    assert code == 2 and "q.csv, line 2: expected a finite number, found '1_0'" in err

"""Real data: IDX files and MNIST, CSV tables, scikit-learn's digits (L24, L36)."""

import gzip
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from rosenblatt.datasets import load_csv, load_digits, load_idx, load_mnist

MNIST = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mnist"
TYPE_CODES = {0x08: "B", 0x09: "b", 0x0B: "h", 0x0C: "i", 0x0D: "f", 0x0E: "d"}
NUMPY_TYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.int16,
    0x0C: np.int32,
    0x0D: np.float32,
    0x0E: np.float64,
}


def idx_bytes(code, shape, values):
    """An IDX file written with struct, independently of the loader."""
    header = bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    return header + struct.pack(f">{len(values)}{TYPE_CODES[code]}", *values)


# --- IDX ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(TYPE_CODES))
@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip(tmp_path, code, gz):
    values = (
        [0, 1, 2, 3, 4, 5, 100, 7, 8, 9, 10, 11]
        if code == 0x08
        else [-3, 1, 2, 3, 4, 5, 100, 7, 8, 9, 10, -11]
    )
    data = idx_bytes(code, (2, 3, 2), values)
    path = tmp_path / ("a.idx.gz" if gz else "a.idx")
    path.write_bytes(gzip.compress(data) if gz else data)
    array = load_idx(path)
    assert array.dtype == NUMPY_TYPES[code] and array.dtype.isnative
    assert array.shape == (2, 3, 2)
    assert array.ravel().tolist() == values


def test_idx_gzip_detected_by_magic_bytes(tmp_path):
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(gzip.compress(idx_bytes(0x08, (4,), [3, 1, 4, 1])))
    assert load_idx(str(path)).tolist() == [3, 1, 4, 1]


def test_idx_scalar_and_empty(tmp_path):
    path = tmp_path / "scalar"
    path.write_bytes(idx_bytes(0x0C, (), [-7]))
    assert load_idx(path).tolist() == -7
    path.write_bytes(idx_bytes(0x08, (0, 28), []))
    assert load_idx(path).shape == (0, 28)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x01\x00\x08\x01\x00\x00\x00\x01\x05", r"wrong magic number 0x01000801"),
        (b"\x00\x00\x0a\x01\x00\x00\x00\x01\x05", r"unknown IDX type code 0x0A"),
        (idx_bytes(0x0C, (3,), [1, 2, 3])[:-1], r"truncated data: expected 12 bytes .*found 11"),
        (idx_bytes(0x08, (2,), [1, 2]) + b"\x00", r"unexpected trailing data: expected 2 bytes"),
        (b"\x00\x00", r"truncated header: expected 4 bytes, found 2"),
        (b"\x00\x00\x08\x03\x00\x00\x00\x01", r"truncated header: expected 16 bytes"),
    ],
)
def test_idx_errors_name_file_and_problem(tmp_path, data, message):
    path = tmp_path / "broken-idx"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=message) as err:
        load_idx(path)
    assert str(path) in str(err.value)


def test_idx_bad_gzip_and_missing_file(tmp_path):
    path = tmp_path / "images.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="images.gz: not a valid gzip file"):
        load_idx(path)
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        load_idx(tmp_path / "nothing-here")


# --- MNIST ----------------------------------------------------------------------------------


def write_mnist(directory, prefix, images, labels, gz):
    suffix = ".gz" if gz else ""
    pack = gzip.compress if gz else bytes
    (directory / f"{prefix}-images-idx3-ubyte{suffix}").write_bytes(
        pack(idx_bytes(0x08, images.shape, images.ravel().tolist()))
    )
    (directory / f"{prefix}-labels-idx1-ubyte{suffix}").write_bytes(
        pack(idx_bytes(0x08, labels.shape, labels.tolist()))
    )


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_from_written_files(tmp_path, gz):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28)).astype(np.uint8)
    images[0, 0, 0], images[1, 0, 0] = 255, 0
    labels = np.array([7, 2, 1, 0, 4], dtype=np.uint8)
    write_mnist(tmp_path, "train", images, labels, gz)
    x, y = load_mnist(tmp_path)
    assert x.shape == (5, 784) and x.dtype == np.float32
    assert y.dtype == np.int64 and y.tolist() == [7, 2, 1, 0, 4]
    assert np.allclose(x, images.reshape(5, -1) / 255.0)
    assert x.max() == 1.0 and x.min() == 0.0
    x, _ = load_mnist(tmp_path, kind="train", flatten=False, normalize=False)
    assert x.shape == (5, 28, 28) and np.array_equal(x, images.astype(np.float32))


def test_mnist_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte.gz.*t10k-labels"):
        load_mnist(tmp_path, kind="test")
    with pytest.raises(ValueError, match="kind: expected one of 'train', 'test', got 'valid'"):
        load_mnist(tmp_path, kind="valid")
    write_mnist(tmp_path, "t10k", np.zeros((3, 28, 28), np.uint8), np.zeros(2, np.uint8), True)
    with pytest.raises(ValueError, match=r"expected images \(n, rows, cols\) and labels \(n,\)"):
        load_mnist(tmp_path, kind="test")


@pytest.mark.skipif(not MNIST.is_dir(), reason="../shared/data/mnist is not available")
def test_real_mnist_test_set():
    x, y = load_mnist(MNIST, kind="test")
    assert x.shape == (10000, 784) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() == 1.0
    assert np.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    images, _ = load_mnist(MNIST, kind="test", flatten=False)
    assert images.shape == (10000, 28, 28)


# --- CSV ------------------------------------------------------------------------------------


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_by_name_index_and_default(tmp_path):
    path = write(tmp_path, "a,label,b\n1,0,2.5\n3,1,-4\n\n5,2,6e1\n")
    x, y = load_csv(path, target="label")
    assert x.dtype == np.float32 and x.tolist() == [[1, 2.5], [3, -4], [5, 60]]
    assert y.dtype == np.int64 and y.tolist() == [0, 1, 2]
    x, y = load_csv(path, target=0)
    assert x.tolist() == [[0, 2.5], [1, -4], [2, 60]] and y.tolist() == [1, 3, 5]
    x, y = load_csv(path)
    assert y.dtype == np.float32 and y.tolist() == [2.5, -4, 60]
    assert x.tolist() == [[1, 0], [3, 1], [5, 2]]


def test_csv_without_header_and_other_delimiter(tmp_path):
    path = write(tmp_path, "1;2;0.5\n3;4;1.5\n")
    x, y = load_csv(path, delimiter=";", header=False)
    assert x.tolist() == [[1, 2], [3, 4]] and y.tolist() == [0.5, 1.5]


def test_csv_errors(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,0\n")
    with pytest.raises(ValueError, match=r"target column 'label' not found; columns: a, b, y"):
        load_csv(path, target="label")
    with pytest.raises(ValueError, match="target column index 3 out of range for 3 columns"):
        load_csv(path, target=3)
    with pytest.raises(TypeError, match="target: expected a column name"):
        load_csv(path, target=1.0)
    with pytest.raises(ValueError, match="target: a column name .* needs header=True"):
        load_csv(path, target="y", header=False)
    bad = write(tmp_path, "a,b,y\n1,2,0\n\n3,four,1\n", "bad.csv")
    with pytest.raises(ValueError, match=r"bad.csv, line 4, column 'b': expected a finite number"):
        load_csv(bad, target="y")
    empty_cell = write(tmp_path, "a,b,y\n1,,0\n", "cell.csv")
    with pytest.raises(ValueError, match=r"line 2, column 'b': .*found ''"):
        load_csv(empty_cell)
    nan = write(tmp_path, "a,y\nnan,1\n", "nan.csv")
    with pytest.raises(ValueError, match=r"line 2, column 'a': expected a finite number"):
        load_csv(nan)
    short = write(tmp_path, "a,b,y\n1,2\n", "short.csv")
    with pytest.raises(ValueError, match="short.csv, line 2: expected 3 values, found 2"):
        load_csv(short)
    with pytest.raises(ValueError, match="no data rows"):
        load_csv(write(tmp_path, "a,b\n", "head.csv"))
    with pytest.raises(ValueError, match="empty file"):
        load_csv(write(tmp_path, "", "empty.csv"))
    with pytest.raises(FileNotFoundError):
        load_csv(tmp_path / "missing.csv")


# --- digits ---------------------------------------------------------------------------------


def test_digits():
    datasets = pytest.importorskip("sklearn.datasets")
    x, y = load_digits()
    assert x.shape == (1797, 64) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    ref = datasets.load_digits()
    assert np.allclose(x * 16, ref.data) and np.array_equal(y, ref.target)


def test_digits_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    x, y = load_digits()  # bundled with rosenblatt since the digits ship in the package
    assert x.shape == (1797, 64) and np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182,
                                                                  181, 179, 174, 180]

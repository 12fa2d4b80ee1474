"""IDX files (the MNIST format) and the MNIST data set."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from rosenblatt.base.checks import check_choice

IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"
_MNIST_FILES = {"train": "train", "test": "t10k"}


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if path.name.endswith(".gz") or raw[:2] == _GZIP_MAGIC:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: not a valid gzip file ({exc})") from None
    return raw


def load_idx(path):
    """Read an IDX file (gzipped or raw) into a NumPy array.

    **Format**: a 4-byte magic number (two zero bytes, a type code: 0x08 uint8, 0x09 int8,
    0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64, and the number of dimensions k), then k
    big-endian uint32 sizes, then the data, big-endian, in C order. The file is gunzipped when
    its name ends with '.gz' or it starts with the gzip magic bytes 1f 8b.

    Args:
        path: a str or ``pathlib.Path``.

    Returns:
        array of the sizes read, in native byte order, of the type code's dtype.

    Raises:
        FileNotFoundError: no such file.
        ValueError: bad magic number, unknown type code, truncated or over-long data; the
            message names the file.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny-idx1-ubyte")
    >>> _ = open(path, "wb").write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]))
    >>> load_idx(path).tolist()
    [7, 8, 9]

    Lecture 003 (MNIST, L24).
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise ValueError(f"{path}: truncated header: expected 4 bytes, found {len(data)}")
    if data[0] != 0 or data[1] != 0:
        raise ValueError(
            f"{path}: wrong magic number 0x{data[:4].hex()}: an IDX file starts with two zero "
            "bytes, a type code and the number of dimensions"
        )
    if data[2] not in IDX_TYPES:
        codes = ", ".join(f"0x{code:02X}" for code in IDX_TYPES)
        raise ValueError(f"{path}: unknown IDX type code 0x{data[2]:02X} (valid: {codes})")
    dtype, ndim = IDX_TYPES[data[2]], data[3]
    start = 4 + 4 * ndim
    if len(data) < start:
        raise ValueError(
            f"{path}: truncated header: expected {start} bytes for {ndim} dimensions, "
            f"found {len(data)}"
        )
    shape = tuple(int(s) for s in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(data) - start
    if found != expected:
        what = "truncated data" if found < expected else "unexpected trailing data"
        raise ValueError(
            f"{path}: {what}: expected {expected} bytes for shape {shape}, found {found}"
        )
    array = np.frombuffer(data, dtype=dtype, offset=start).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def _find(directory: Path, stems: list[str]) -> list[Path]:
    """The file for each stem (gzipped preferred), or FileNotFoundError naming every missing one."""
    found, missing = [], []
    for stem in stems:
        candidates = [directory / f"{stem}.gz", directory / stem]
        hits = [c for c in candidates if c.is_file()]
        found.append(hits[0] if hits else None)
        if not hits:
            missing.append(f"{candidates[0]} (or {candidates[1].name})")
    if missing:
        raise FileNotFoundError(f"MNIST file(s) not found: {', '.join(missing)}")
    return found


def load_mnist(directory, kind="train", flatten=True, normalize=True):
    """Load MNIST (or any IDX pair with MNIST's file names) from ``directory``.

    **Files**: ``train-images-idx3-ubyte`` / ``train-labels-idx1-ubyte`` (kind 'train') or
    ``t10k-images-idx3-ubyte`` / ``t10k-labels-idx1-ubyte`` (kind 'test'), each optionally
    gzipped ('.gz', preferred when both exist). Pixels become x = p / 255 with ``normalize``.

    Args:
        directory: folder holding the files.
        kind: 'train' or 'test'.
        flatten: return images as rows of 784 values (else (n, 28, 28)).
        normalize: scale pixels from 0..255 to [0, 1].

    Returns:
        x: float32 array (n, 784) or (n, 28, 28); y: int64 array (n,) of digits 0-9.

    Raises:
        FileNotFoundError: a file is missing (the message names it).
        ValueError: a malformed file, or images and labels of different counts.

    >>> x, y = load_mnist("../shared/data/mnist", kind="test")  # doctest: +SKIP
    >>> x.shape, y.shape  # doctest: +SKIP
    ((10000, 784), (10000,))

    Lecture 003 (a linear classifier on MNIST, L24).
    """
    check_choice(kind, "kind", tuple(_MNIST_FILES))
    directory = Path(directory)
    prefix = _MNIST_FILES[kind]
    images_path, labels_path = _find(
        directory, [f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"]
    )
    images, labels = load_idx(images_path), load_idx(labels_path)
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"{images_path} and {labels_path}: expected images (n, rows, cols) and labels (n,), "
            f"got shapes {images.shape} and {labels.shape}"
        )
    x = images.astype(np.float32)
    if normalize:
        x /= 255.0
    if flatten:
        x = x.reshape(len(x), -1)
    return x, labels.astype(np.int64)

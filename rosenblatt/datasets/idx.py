"""IDX files (the MNIST format) and the MNIST data set.

Reading allocates no more than the file justifies: the header's sizes are multiplied in exact
integers (no 64-bit overflow) and checked against the file's real size before the data are
read; a gzipped file is decompressed as a stream, never past the size its header declares,
and refused outright when that size is over :data:`MAX_DECOMPRESSED_BYTES`. The data are read
in chunks into one array of the declared size, swapped to native byte order in place: reading
needs the data's size once, not twice.
"""

from __future__ import annotations

import gzip
import math
import zlib
from os import PathLike
from pathlib import Path

import numpy as np

from rosenblatt.base.checks import PathIsDirectoryError, PathNotFoundError, check_choice

IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
#: The most bytes a gzipped IDX file may decompress to (header and data): 1 GiB, twice the
#: largest EMNIST split. A file declaring more is refused before anything is decompressed.
#: Set ``rosenblatt.datasets.idx.MAX_DECOMPRESSED_BYTES`` higher to read larger files.
MAX_DECOMPRESSED_BYTES = 1 << 30
_GZIP_MAGIC = b"\x1f\x8b"
_MNIST_FILES = {"train": "train", "test": "t10k"}
_CHUNK = 1 << 24


def _is_gzip(path: Path) -> bool:
    if path.name.endswith(".gz"):
        return True
    with path.open("rb") as handle:
        return handle.read(2) == _GZIP_MAGIC


def _header(handle, path: Path) -> tuple[np.dtype, tuple[int, ...], int]:
    """(dtype, shape, header length) from the first bytes of an open IDX stream."""
    magic = handle.read(4)
    if len(magic) < 4:
        raise ValueError(f"{path}: truncated header: expected 4 bytes, found {len(magic)}")
    if magic[0] != 0 or magic[1] != 0:
        raise ValueError(
            f"{path}: wrong magic number 0x{magic.hex()}: an IDX file starts with two zero "
            "bytes, a type code and the number of dimensions"
        )
    if magic[2] not in IDX_TYPES:
        codes = ", ".join(f"0x{code:02X}" for code in IDX_TYPES)
        raise ValueError(f"{path}: unknown IDX type code 0x{magic[2]:02X} (valid: {codes})")
    dtype, ndim = IDX_TYPES[magic[2]], magic[3]
    start = 4 + 4 * ndim
    sizes = handle.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise ValueError(
            f"{path}: truncated header: expected {start} bytes for {ndim} dimensions, "
            f"found {4 + len(sizes)}"
        )
    shape = tuple(int.from_bytes(sizes[i:i + 4], "big") for i in range(0, 4 * ndim, 4))
    return dtype, shape, start


def _read_data(handle, expected: int, path: Path, shape: tuple) -> np.ndarray:
    """Exactly ``expected`` bytes from the stream, read in chunks straight into one array of
    that size (never a second copy), then one byte more to find trailing data."""
    try:
        data = np.empty(expected, dtype=np.uint8)
    except MemoryError:
        raise ValueError(f"{path}: its data of shape {shape} need {expected} bytes, more than "
                         "this process can allocate") from None
    view, filled = memoryview(data), 0
    while filled < expected:
        count = handle.readinto(view[filled:filled + _CHUNK])
        if not count:
            break
        filled += count
    if filled < expected or handle.read(1):
        what = "truncated data" if filled < expected else "unexpected trailing data"
        found = str(filled) if filled < expected else "more"
        raise ValueError(f"{path}: {what}: expected {expected} bytes for shape {shape}, "
                         f"found {found}")
    return data


def _as_native(data: np.ndarray, dtype: np.dtype, shape: tuple, path: Path) -> np.ndarray:
    """The bytes as an array of ``dtype`` in native byte order, swapped in place; float data
    must be finite."""
    array = data.view(dtype).reshape(shape)
    if dtype.itemsize > 1 and not dtype.isnative:
        array = array.byteswap(inplace=True).view(dtype.newbyteorder("="))
    if dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(array.reshape(-1)))
        if bad.size:
            where = np.unravel_index(int(bad[0]), shape)
            raise ValueError(f"{path}: expected finite numbers, found "
                             f"{array[where].item()!r} at index {tuple(map(int, where))}")
    return array


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
        FileNotFoundError, IsADirectoryError: no such file, or a folder (naming the path).
        ValueError: bad magic number, unknown type code, truncated or over-long data (found
            from the file's size before the data are read), a gzipped file declaring more than
            ``MAX_DECOMPRESSED_BYTES``, an invalid gzip stream, or float data holding NaN or
            infinity; the message names the file.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny-idx1-ubyte")
    >>> _ = open(path, "wb").write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]))
    >>> load_idx(path).tolist()
    [7, 8, 9]

    Lecture 003 (MNIST, L24).
    """
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"path: expected a str or pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if not path.exists():
        raise PathNotFoundError(f"path: no such file: {path}")
    if path.is_dir():
        raise PathIsDirectoryError(f"path: expected an IDX file, got the directory {path}")
    gzipped = _is_gzip(path)
    try:
        with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
            dtype, shape, start = _header(handle, path)
            expected = math.prod(shape) * dtype.itemsize  # exact: Python integers
            if gzipped and start + expected > MAX_DECOMPRESSED_BYTES:
                raise ValueError(
                    f"{path}: declares shape {shape}, {start + expected} bytes once "
                    f"decompressed, over the cap of {MAX_DECOMPRESSED_BYTES} bytes "
                    "(rosenblatt.datasets.idx.MAX_DECOMPRESSED_BYTES; raise it to read larger "
                    "files)")
            if not gzipped:
                found = path.stat().st_size - start
                if found != expected:
                    what = "truncated data" if found < expected else "unexpected trailing data"
                    raise ValueError(f"{path}: {what}: expected {expected} bytes for shape "
                                     f"{shape}, found {found}")
            data = _read_data(handle, expected, path, shape)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ValueError(f"{path}: not a valid gzip file ({exc})") from None
    return _as_native(data, dtype, shape, path)


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
        raise PathNotFoundError(f"directory: MNIST file(s) not found: {', '.join(missing)}")
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
        FileNotFoundError: no such folder, or a file is missing (the message names it).
        ValueError: a malformed file, or images and labels of different counts.

    >>> x, y = load_mnist("../shared/data/mnist", kind="test")  # doctest: +SKIP
    >>> x.shape, y.shape  # doctest: +SKIP
    ((10000, 784), (10000,))

    Lecture 003 (a linear classifier on MNIST, L24).
    """
    check_choice(kind, "kind", tuple(_MNIST_FILES))
    if not isinstance(directory, (str, PathLike)):
        raise TypeError(f"directory: expected a str or pathlib.Path, got "
                        f"{type(directory).__name__}")
    directory = Path(directory)
    if not directory.is_dir():
        raise PathNotFoundError(f"directory: no folder at {directory}")
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

"""MNIST as Keras' ``keras.datasets.mnist.load_data()`` returns it, from local IDX files.

Nothing is downloaded: the four files of MNIST (each may be gzipped, ending in .gz) are looked
for in ``path``, else in ``$ROSENBLATT_DATA/mnist``, else in the per-user data directory
(``$XDG_DATA_HOME/rosenblatt/mnist``, by default ``~/.local/share/rosenblatt/mnist``; on
Windows ``%LOCALAPPDATA%\\rosenblatt\\mnist``).

>>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
>>> x_train.shape, x_train.dtype, y_train.shape  # doctest: +SKIP
((60000, 28, 28), dtype('uint8'), (60000,))
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from rosenblatt.base.checks import PathNotFoundError, describe
from rosenblatt.datasets.idx import load_idx

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
         "t10k-labels-idx1-ubyte")


def user_data_dir() -> Path:
    """The per-user data directory of rosenblatt (``.../rosenblatt``)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "rosenblatt"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "rosenblatt"


def search_dirs(path=None) -> list[Path]:
    """Where :func:`load_data` looks, in order."""
    if path is not None:
        return [Path(path)]
    dirs = []
    if os.environ.get("ROSENBLATT_DATA"):
        dirs.append(Path(os.environ["ROSENBLATT_DATA"]) / "mnist")
    return [*dirs, user_data_dir() / "mnist"]


def _files_in(directory: Path) -> list[Path] | None:
    found = []
    for name in FILES:
        hits = [directory / f"{name}.gz", directory / name]
        hits = [h for h in hits if h.is_file()]
        if not hits:
            return None
        found.append(hits[0])
    return found


def load_data(path=None):
    """MNIST's 60,000 training and 10,000 test digits, as Keras gives them.

    Args: path: a directory holding the four IDX files (default: the search above).
    Returns: ``(x_train, y_train), (x_test, y_test)``: images uint8 (n, 28, 28) in 0..255,
    labels uint8 (n,).
    Raises: FileNotFoundError naming the four files and where to put them.
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path: expected None or a directory (str or path), got {describe(path)}")
    dirs = search_dirs(path)
    for directory in dirs:
        files = _files_in(directory)
        if files is not None:
            break
    else:
        raise PathNotFoundError(
            f"path: the MNIST files {', '.join(FILES)} (each may end in .gz) were not found "
            f"in {' or '.join(str(d) for d in dirs)}; download them from "
            f"https://yann.lecun.com/exdb/mnist/ (or a mirror) and put them in "
            f"{dirs[0]}, or set ROSENBLATT_DATA to a folder whose mnist/ holds them")
    arrays = [load_idx(f) for f in files]
    for images, labels, kind in ((arrays[0], arrays[1], "train"), (arrays[2], arrays[3], "t10k")):
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{directory}: expected {kind} images (n, rows, cols) and labels "
                             f"(n,), got shapes {images.shape} and {labels.shape}")
    x_train, y_train, x_test, y_test = (a.astype(np.uint8, copy=False) for a in arrays)
    return (x_train, y_train), (x_test, y_test)

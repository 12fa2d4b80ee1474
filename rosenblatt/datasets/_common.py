"""Helpers shared by the dataset generators: seeds, label encodings, dtypes."""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import check_choice, check_in_range, check_positive

from . import limits

LABELS = ("bipolar", "binary")


def rng_from(seed) -> np.random.Generator:
    """A ``np.random.Generator`` from ``seed`` (None, an int >= 0, or a Generator)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"seed: expected an integer >= 0, got {seed!r}")
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"seed: expected None, an integer or a np.random.Generator, got {type(seed).__name__}"
    )


def check_args(n, noise, labels=None, shuffle=True, max_noise=0.5):
    """Validate the arguments every generator shares, before any work.

    ``n`` a positive integer, at most :data:`limits.MAX_SAMPLES`; ``noise`` in [0, max_noise]
    (``max_noise=None``: any noise >= 0); ``labels`` 'bipolar' ({-1, 1}) or 'binary' ({0, 1})
    unless None; ``shuffle`` a bool.
    """
    check_positive(n, "n", integer=True)
    limits.check_samples(n)
    if max_noise is None:
        check_positive(noise, "noise", allow_zero=True)
    else:
        check_in_range(noise, "noise", 0.0, max_noise)
    if labels is not None:
        check_choice(labels, "labels", LABELS)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle: expected True or False, got {type(shuffle).__name__}")


def encode_sign(sign: np.ndarray, labels: str) -> np.ndarray:
    """Turn +1/-1 class signs into int64 labels: bipolar keeps them, binary maps -1 to 0."""
    sign = np.asarray(sign, dtype=np.int64)
    return sign if labels == "bipolar" else (sign + 1) // 2


def finish(x: np.ndarray, y: np.ndarray, shuffle: bool, rng: np.random.Generator):
    """Cast x to float32 and, when ``shuffle``, apply one random permutation to x and y."""
    x = np.asarray(x, dtype=np.float32)
    if shuffle:
        order = rng.permutation(len(x))
        x, y = x[order], y[order]
    return x, y

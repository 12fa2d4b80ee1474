"""scikit-learn's classic toy sets: two interleaving moons and Gaussian blobs."""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import as_array, check_positive

from . import limits
from ._common import check_args, encode_sign, finish, rng_from


def moons(n=500, noise=0.0, seed=None, labels="binary", shuffle=True):
    """Two interleaving half circles, as scikit-learn's ``make_moons``.

    **Rule**: with theta_j evenly spaced over [0, pi], the first n // 2 points lie on the upper
    half circle (cos theta, sin theta) (class 0), the other n - n // 2 on the lower one
    (1 - cos theta, 0.5 - sin theta) (class 1); then N(0, noise^2) is added to each coordinate.

    Args:
        n: number of points (int > 0, at most ``limits.MAX_SAMPLES``).
        noise: standard deviation of the Gaussian noise (>= 0).
        seed: None, an int or a ``np.random.Generator``.
        labels: ``'binary'`` ({0, 1}, scikit-learn's) or ``'bipolar'`` ({-1, 1}).
        shuffle: shuffle the points (else the class-0 moon comes first).

    Returns:
        x: float32 array (n, 2); y: int64 array (n,).

    >>> x, y = moons(4, shuffle=False)
    >>> np.round(x, 6).tolist(), y.tolist()
    ([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [2.0, 0.5]], [0, 0, 1, 1])

    Lecture 002 (non-linearly-separable sets for the playground exercise, L17).
    """
    check_args(n, noise, labels, shuffle, max_noise=None)
    rng = rng_from(seed)
    n_upper = n // 2
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n - n_upper)
    upper = np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1)
    lower = np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1)
    x = np.concatenate([upper, lower], axis=0) + rng.normal(0.0, 1.0, (n, 2)) * noise
    sign = np.repeat([-1, 1], [n_upper, n - n_upper])
    return finish(x, encode_sign(sign, labels), shuffle, rng)


def _centres(centers, rng: np.random.Generator) -> np.ndarray:
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        check_positive(centers, "centers", integer=True)
        limits.check_samples(centers, "centers")
        return rng.uniform(-10.0, 10.0, (int(centers), 2))
    arr = as_array(centers, "centers", dtype=np.float64, ndim=2)
    if len(arr) == 0:
        raise ValueError(f"centers: expected at least one centre, got shape {arr.shape}")
    return arr


def blobs(n=500, centers=3, std=1.0, seed=None, shuffle=True):
    """Isotropic Gaussian blobs, one class per blob, as scikit-learn's ``make_blobs``.

    **Rule**: blob k (k = 0..K-1) gets n // K points (the first n % K blobs one more), drawn
    from N(c_k, std^2 I) and labelled k. ``centers`` is either K, and then the c_k are drawn
    uniformly from [-10, 10]^2, or the (K, d) array of the c_k themselves.

    Args:
        n: number of points (int > 0, at most ``limits.MAX_SAMPLES``).
        centers: number of blobs (int > 0, at most ``limits.MAX_SAMPLES``) or array (K, d)
            of centres.
        std: standard deviation of each blob (> 0).
        seed: None, an int or a ``np.random.Generator``.
        shuffle: shuffle the points (else blob 0 comes first).

    Returns:
        x: float32 array (n, d) (d = 2 when ``centers`` is an int); y: int64 array (n,) in 0..K-1.

    >>> x, y = blobs(7, centers=[[0.0, 0.0], [5.0, 5.0]], std=0.1, seed=0, shuffle=False)
    >>> y.tolist()
    [0, 0, 0, 0, 1, 1, 1]

    Lecture 002 (N classes need N softmax units, L21).
    """
    check_args(n, 0.0, shuffle=shuffle)
    check_positive(std, "std")
    rng = rng_from(seed)
    c = _centres(centers, rng)
    k = len(c)
    counts = np.full(k, n // k)
    counts[: n % k] += 1
    y = np.repeat(np.arange(k, dtype=np.int64), counts)
    x = c[y] + rng.normal(0.0, std, (n, c.shape[1]))
    return finish(x, y, shuffle, rng)

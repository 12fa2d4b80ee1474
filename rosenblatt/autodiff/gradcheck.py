"""Gradient checking by central differences in float64 (lecture 004, L33).

    df/dx ~ (f(x + h) - f(x - h)) / 2h

:func:`gradcheck` compares this estimate with what ``backward()`` gives for every input element
and returns the largest relative error. The tests of every op, activation and loss use it.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tensor import Tensor


def numerical_gradient(f, arrays: list[np.ndarray], h: float = 1e-6) -> list[np.ndarray]:
    """Central-difference gradients of the scalar ``f(*arrays)`` with respect to each array.

    The step is ``h * max(1, |x|)`` per element. ``arrays`` are float64 and left unchanged.
    """
    grads = []
    for arr in arrays:
        grad = np.zeros_like(arr)
        for i in np.ndindex(arr.shape):
            original = arr[i]
            step = h * max(1.0, abs(original))
            arr[i] = original + step
            up = f(*arrays)
            arr[i] = original - step
            down = f(*arrays)
            arr[i] = original
            grad[i] = (up - down) / (2 * step)
        grads.append(grad)
    return grads


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-3) -> float:
    """max_i |a_i - b_i| / max(|a_i|, |b_i|, floor): relative, absolute near zero."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.size == 0:
        return 0.0
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    return float(np.max(np.abs(a - b) / scale))


def gradcheck(fn, *inputs, h: float = 1e-6, seed: int = 0, floor: float = 1e-3) -> float:
    """Largest relative error between autodiff and central differences for ``fn(*inputs)``.

    Args:
        fn: a function of tensors returning a tensor of any shape. A non-scalar output y is
            reduced to the scalar sum(y * r) with a fixed random r, so every output matters.
        inputs: arrays or tensors; each becomes a float64 tensor requiring a gradient.
        h: relative step of the central difference.
        floor: errors of gradients smaller than this are measured absolutely.
    Returns:
        max over all input elements of |autodiff - numerical| / max(|autodiff|, |num|, floor).

    >>> gradcheck(lambda x: (x * x).sum(), np.array([1.0, -2.0])) < 1e-6
    True
    """
    arrays = [np.array(x.data if isinstance(x, Tensor) else x, dtype=np.float64) for x in inputs]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=out.data.shape)
    (out * Tensor(weights)).sum().backward()
    analytic = [t.grad if t.grad is not None else np.zeros_like(t.data) for t in tensors]

    def scalar(*arrs):
        value = fn(*[Tensor(a) for a in arrs]).data
        return float(np.sum(value * weights))

    numeric = numerical_gradient(scalar, arrays, h=h)
    errors = [relative_error(a, n, floor) for a, n in zip(analytic, numeric, strict=True)]
    return max(errors, default=0.0)

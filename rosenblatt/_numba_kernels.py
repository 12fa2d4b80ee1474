"""Compiled loops (numba), imported only through :mod:`rosenblatt._kernels`.

Each loop does in one pass over memory what the NumPy form does in several, with the same
operations in the same order on each entry (no fused multiply-add, no reassociation), so
its results equal the NumPy form's.
"""

import math

import numba


@numba.njit(cache=True, error_model="numpy", nogil=True)
def adam(source, theta, g, m, v, vmax, b1, b2, eps, coef, decay, amsgrad):
    for i in range(theta.size):
        gi = g[i]
        mi = m[i] * b1 + gi
        vi = v[i] * b2 + gi * gi
        m[i] = mi
        v[i] = vi
        if amsgrad:
            vi = max(vmax[i], vi)
            vmax[i] = vi
        theta[i] = source[i] * decay - (mi / (math.sqrt(vi) + eps)) * coef


# ---------------------------------------------------------------------------- the fast step
# The elementwise work of a training step (rosenblatt._fast), each in one pass over arrays a
# few hundred kilobytes large, in place of three or four NumPy calls. Sums (bias gradients,
# softmax denominators) are accumulated in the arrays' float type, in a different order from
# NumPy's, so they agree with it to float rounding.

@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_relu(z, b, has_bias, mask):
    """z (n, k) += b; mask = (z >= 0) as 0/1; z *= mask, in place."""
    one, zero = z.dtype.type(1), z.dtype.type(0)
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            zij = z[i, j] + b[j] if has_bias else z[i, j]
            mij = one if zij >= 0 else zero
            mask[i, j] = mij
            z[i, j] = zij * mij


@numba.njit(cache=True, error_model="numpy", nogil=True)
def relu_backward(g, mask, dz, gb, has_bias):
    """dz = g * mask; gb = the column sums of dz when has_bias."""
    rows, cols = g.shape
    if has_bias:
        gb[:] = 0
    for i in range(rows):
        for j in range(cols):
            d = g[i, j] * mask[i, j]
            dz[i, j] = d
            if has_bias:
                gb[j] += d


@numba.njit(cache=True, error_model="numpy", nogil=True)
def column_sums(g, gb):
    """gb = the column sums of g (n, k)."""
    gb[:] = 0
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            gb[j] += g[i, j]


@numba.njit(cache=True, error_model="numpy", nogil=True)
def softmax_cross_entropy_index(z, index, p, g, scale):
    """p = softmax(z); g = (p - onehot(index)) * scale; returns the sum over rows of
    logsumexp(z_i) - z_i[index_i] (the per-sample losses), as a float64."""
    rows, cols = z.shape
    total = 0.0
    for i in range(rows):
        m = z[i, 0]
        for j in range(1, cols):
            if z[i, j] > m:
                m = z[i, j]
        s = z.dtype.type(0)
        for j in range(cols):
            e = math.exp(z[i, j] - m)
            p[i, j] = e
            s += e
        for j in range(cols):
            pj = p[i, j] / s
            p[i, j] = pj
            g[i, j] = pj * scale
        k = index[i]
        g[i, k] = (p[i, k] - 1) * scale
        total += (math.log(s) + m) - z[i, k]
    return total

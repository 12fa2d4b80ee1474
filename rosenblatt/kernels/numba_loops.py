"""Compiled loops (numba), imported only through :mod:`rosenblatt.kernels`.

Each loop does in one pass over memory what the NumPy form does in several, with the same
operations in the same order on each entry (no fused multiply-add, no reassociation), so
its results equal the NumPy form's; the one exception is the Adam step's flush of subnormal
moments to zero (see :func:`adam`). The activations' loops (bias + ReLU, its backward, the
one-row bias + activation loops) are other implementations of an activation's in-place forms:
each activation names its loops (``rosenblatt.nn.activations.Compiled``), and chooses them
over its NumPy forms when the caller has the loops; this module imports nothing of rosenblatt.
"""

import math

import numba


@numba.njit(inline="always")
def _adam_moments(g, m, v, i, b1, b2, tiny):
    """m[i], v[i] <- beta_1 m + g, beta_2 v + g^2, each flushed to zero below ``tiny``."""
    gi = g[i]
    mi = m[i] * b1 + gi
    vi = v[i] * b2 + gi * gi
    mi *= abs(mi) >= tiny  # NaN stays NaN
    vi *= vi >= tiny
    m[i] = mi
    v[i] = vi
    return mi, vi


@numba.njit(cache=True, error_model="numpy", nogil=True)
def adam(theta, g, m, v, vmax, b1, b2, eps, coef, decay, amsgrad, tiny):
    """One Adam step on ``theta`` in place (see ``kernels.adam``).

    Moments below ``tiny``, the smallest normal float, are flushed to zero: a gradient entry
    that stays zero (a dead unit, a pixel that is always blank) makes its m decay by beta_1
    every step into subnormal numbers, which the CPU computes a few times slower; flushed, it
    stays zero at full speed. (Moving the AMSGrad branch into the inlined helper keeps the
    compiler from vectorizing the loop.)
    """
    for i in range(theta.size):
        mi, vi = _adam_moments(g, m, v, i, b1, b2, tiny)
        if amsgrad:
            vi = max(vmax[i], vi)
            vmax[i] = vi
        theta[i] = theta[i] * decay - (mi / (math.sqrt(vi) + eps)) * coef


# ---------------------------------------------------------------------------- the fast step
# The elementwise work of a training step (rosenblatt._fast.step), each in one pass over arrays a
# few hundred kilobytes large, in place of three or four NumPy calls. Sums (bias gradients,
# softmax denominators) are accumulated in the arrays' float type, in a different order from
# NumPy's, so they agree with it to float rounding.

@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_relu(z, b, has_bias, mask):
    """z (n, k) += b; mask = (z >= 0) as 0/1; z *= mask, in place (ReLU's compiled forward)."""
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
    """dz = g * mask; gb = the column sums of dz when has_bias (ReLU's compiled backward)."""
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


# ------------------------------------------------------------------------ one-row inference
# rosenblatt._fast.rows: a single sample's forward pass keeps BLAS for the matrix-vector
# products and does each layer's bias and activation in one call instead of three to six NumPy
# calls. Each activation names its row loop (``activations.Compiled.row``).

@numba.njit(cache=True, error_model="numpy", nogil=True)
def all_finite(x):
    """Whether every entry of the 1-D array x is finite (no NaN, no inf)."""
    for i in range(x.size):
        if not math.isfinite(x[i]):
            return False
    return True


@numba.njit(inline="always")
def _add_bias(z, b, has_bias):
    if has_bias:
        for j in range(z.size):
            z[j] += b[j]


@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_linear_row(z, b, has_bias):
    """z (k,) += b."""
    _add_bias(z, b, has_bias)


@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_relu_row(z, b, has_bias):
    """z (k,) <- max(z + b, 0) in place."""
    _add_bias(z, b, has_bias)
    zero = z.dtype.type(0)
    for j in range(z.size):
        if z[j] < zero:  # NaN stays NaN, as with np.maximum
            z[j] = zero


@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_tanh_row(z, b, has_bias):
    """z (k,) <- tanh(z + b) in place."""
    _add_bias(z, b, has_bias)
    for j in range(z.size):
        z[j] = math.tanh(z[j])


@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_sigmoid_row(z, b, has_bias):
    """z (k,) <- sigmoid(z + b) in place, in the stable form of ``activations._sigmoid``."""
    _add_bias(z, b, has_bias)
    zero, one = z.dtype.type(0), z.dtype.type(1)
    for j in range(z.size):
        e = math.exp(-abs(z[j]))  # never overflows
        z[j] = one / (one + e) if z[j] >= zero else e / (one + e)


@numba.njit(cache=True, error_model="numpy", nogil=True)
def bias_softmax_row(z, b, has_bias):
    """z (k,) <- softmax(z + b) in place, as exp(z - max z) / sum."""
    _add_bias(z, b, has_bias)
    k = z.size
    m = z[0]
    for j in range(1, k):
        if z[j] > m:
            m = z[j]
    s = z.dtype.type(0)
    for j in range(k):
        e = math.exp(z[j] - m)
        z[j] = e
        s += e
    for j in range(k):
        z[j] /= s

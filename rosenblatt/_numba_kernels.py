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

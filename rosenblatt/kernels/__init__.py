"""Optional compiled kernels for the hottest loops: the optimizer update, the elementwise work
of the fast step, and a layer's bias and activation when predicting one sample.

NumPy runs an Adam step as ten passes over the parameters, one per operation; the compiled
kernel (numba, the ``fast`` extra) does it in one, a few times faster on networks of 10^5
parameters and more. :func:`adam` has the signature of ``optimizers.Adam``'s NumPy form, and
the optimizer picks one of the two with :func:`fits`. Likewise bias + ReLU, the ReLU
derivative with the bias gradient, and softmax cross-entropy each become one call and one
pass, as does a layer's bias and activation when predicting one sample (see :func:`loops`).
The activations' loops are chosen by the activations themselves
(``rosenblatt.nn.activations.Activation.in_place``): this package sits below ``nn`` and knows
nothing of it.

Without numba, or with the environment variable ``ROSENBLATT_KERNELS=0`` (or
``rosenblatt.kernels.ENABLED = False``), everything runs in NumPy: the same numbers for the
update (but for Adam's subnormal moments, which the compiled pass flushes to zero), the same
up to float rounding for the step's sums. numba is imported on first use, and only for models
of at least ``MIN_SIZE`` parameters.
"""

from __future__ import annotations

import os

import numpy as np

ENABLED = os.environ.get("ROSENBLATT_KERNELS", "1") != "0"
MIN_SIZE = 1 << 14  # below this the NumPy passes are as fast as a kernel call

_module = None  # the compiled kernels' module once imported, False if numba is missing
# the smallest normal number of each float type: the compiled Adam flushes moments below it
_TINY = {np.dtype(t): t(np.finfo(t).tiny) for t in (np.float32, np.float64)}


def _kernels():
    global _module
    if _module is None:
        try:
            from rosenblatt.kernels import numba_loops
        except ImportError:
            _module = False
        else:
            _module = numba_loops
    return _module


def available() -> bool:
    """Whether the compiled kernels can run (numba installed and kernels enabled)."""
    return ENABLED and bool(_kernels())


def loops(size: int):
    """The compiled loops for a model of ``size`` parameters, or None when it runs in NumPy
    (small models never import numba): the fast step's ``column_sums`` and
    ``softmax_cross_entropy_index``, one-row inference's ``all_finite``, and the activations'
    loops that they name (``bias_relu``, ``relu_backward``, ``bias_<activation>_row``)."""
    if not ENABLED or size < MIN_SIZE or not _kernels():
        return None
    return _module


def fits(*arrays) -> bool:
    """Whether the compiled Adam step (:func:`adam`) can update these arrays (None entries,
    an absent AMSGrad maximum, are left out): numba installed and kernels enabled, and
    contiguous vectors of one float type and size, at least ``MIN_SIZE`` long."""
    arrays = [a for a in arrays if a is not None]
    first = arrays[0]
    return (ENABLED and first.size >= MIN_SIZE and first.dtype in (np.float32, np.float64)
            and all(a.ndim == 1 and a.flags.c_contiguous and a.dtype == first.dtype
                    and a.size == first.size for a in arrays)
            and bool(_kernels()))


def adam(theta, g, m, v, vmax, scratch, *, b1, b2, eps, coef, decay) -> None:
    """One Adam step (see ``optimizers.Adam``) in one compiled pass, for arrays that
    :func:`fits` accepts; the signature of the NumPy form (``scratch`` is unused here).

    ``vmax`` is the AMSGrad maximum or None; ``decay`` multiplies the parameters first (AdamW).
    The numbers equal the NumPy form's except that moments m, v below the smallest normal float
    become zero (subnormal numbers cost the CPU several times more; see ``numba_loops.adam``):
    a parameter then differs by less than coef * 1.2e-38 / (sqrt(v) + eps) from NumPy's.
    """
    cast = theta.dtype.type
    _module.adam(theta, g, m, v, m if vmax is None else vmax, cast(b1), cast(b2),
                 cast(eps), cast(coef), cast(decay), vmax is not None, _TINY[theta.dtype])

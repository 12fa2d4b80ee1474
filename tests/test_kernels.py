"""The compiled optimizer kernel (numba, optional) gives the NumPy update's numbers, and
everything works without numba.

The kernel tests skip when numba is not installed; the test extra installs it.
"""

import importlib.util
import sys

import numpy as np
import pytest

import rosenblatt
from rosenblatt import _kernels, optimizers

needs_numba = pytest.mark.skipif(importlib.util.find_spec("numba") is None,
                                 reason="numba is not installed")

MAKERS = {
    "adam": lambda: optimizers.Adam(0.01),
    "adam eps": lambda: optimizers.Adam(0.05, beta_1=0.5, beta_2=0.9, epsilon=1e-3),
    "amsgrad": lambda: optimizers.Adam(0.01, amsgrad=True),
    "adamw": lambda: optimizers.AdamW(0.01, weight_decay=0.1),
    "adamw amsgrad": lambda: optimizers.AdamW(0.02, weight_decay=0.5, amsgrad=True),
}


def _steps(make, dtype, enabled, monkeypatch, n=_kernels.MIN_SIZE + 17, steps=4):
    monkeypatch.setattr(_kernels, "ENABLED", enabled)
    rng = np.random.default_rng(0)
    theta = rng.normal(size=n).astype(dtype)
    opt = make()
    for k in range(steps):
        g = rng.normal(scale=10.0 ** -k, size=n).astype(dtype)  # shrinking: amsgrad keeps v_max
        opt.apply([theta], [g])
    return theta, opt.get_state()


@needs_numba
@pytest.mark.parametrize("name", MAKERS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernel_equals_the_numpy_update(name, dtype, monkeypatch):
    calls = []
    original = _kernels._kernels

    def counting():
        module = original()
        calls.append(module)
        return module

    monkeypatch.setattr(_kernels, "_kernels", counting)
    fast, fast_state = _steps(MAKERS[name], dtype, True, monkeypatch)
    assert calls and calls[-1], "the compiled kernel should have run"
    slow, slow_state = _steps(MAKERS[name], dtype, False, monkeypatch)
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(fast, slow, rtol=rtol, atol=0)
    for key in slow_state:
        np.testing.assert_allclose(fast_state[key], slow_state[key], rtol=rtol, atol=0)


@needs_numba
def test_small_strided_or_mixed_arrays_use_numpy(monkeypatch):
    def refuse():
        raise AssertionError("the kernel should not be asked for")

    assert _kernels.available()
    monkeypatch.setattr(_kernels, "_kernels", refuse)
    small = np.ones(10, np.float32)
    assert not _kernels.adam(small, small, small, small.copy(), small.copy(), None, .9, .9,
                             1e-8, 1, 1)
    big = np.ones(2 * _kernels.MIN_SIZE, np.float32)
    strided = big[::2]
    assert not _kernels.adam(strided, strided, strided, strided.copy(), strided.copy(), None,
                             .9, .9, 1e-8, 1.0, 1.0)
    half = np.ones(_kernels.MIN_SIZE, np.float64)
    assert not _kernels.adam(half, big[:_kernels.MIN_SIZE], half, half.copy(), half.copy(),
                             None, .9, .9, 1e-8, 1.0, 1.0)


def test_the_switch_turns_the_kernels_off(monkeypatch):
    monkeypatch.setattr(_kernels, "ENABLED", False)
    assert not _kernels.available()
    big = np.ones(_kernels.MIN_SIZE, np.float32)
    assert not _kernels.adam(big, big, big, big.copy(), big.copy(), None, .9, .9, 1e-8, 1.0, 1.0)


def test_without_numba_the_numpy_update_runs(monkeypatch):
    expected, _ = _steps(MAKERS["adam"], np.float32, False, monkeypatch)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba now fails
    monkeypatch.delitem(sys.modules, "rosenblatt._numba_kernels", raising=False)
    monkeypatch.delattr(rosenblatt, "_numba_kernels", raising=False)
    monkeypatch.setattr(_kernels, "_module", None)
    got, _ = _steps(MAKERS["adam"], np.float32, True, monkeypatch)
    assert _kernels._module is False and not _kernels.available()
    np.testing.assert_array_equal(got, expected)

"""The compiled kernels (numba, optional) give the NumPy forms' numbers: the optimizer
update exactly, the fast step's elementwise loops to float rounding; everything works
without numba.

The kernel tests skip when numba is not installed; the test extra installs it.
"""

import importlib.util
import sys

import numpy as np
import pytest

import rosenblatt
from rosenblatt import kernels as _kernels
from rosenblatt import optimizers

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
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_moments_below_the_smallest_normal_float_become_zero(dtype, monkeypatch):
    """A gradient entry that stops moving leaves m decaying by beta_1 each step: NumPy's m
    goes subnormal, the kernel's becomes exactly zero; the parameters stay equal."""
    tiny = np.finfo(dtype).tiny
    n, dead = _kernels.MIN_SIZE + 5, slice(0, 40)
    results = {}
    for enabled in (True, False):
        monkeypatch.setattr(_kernels, "ENABLED", enabled)
        rng = np.random.default_rng(3)
        theta = rng.normal(size=n).astype(dtype)
        opt = optimizers.Adam(0.01)
        for step in range(200):
            g = rng.normal(size=n).astype(dtype)
            g[dead] = tiny * 1e8 if step == 0 else 0.0  # 0.9^k * 1e8 tiny < tiny after 175
            opt.apply([theta], [g])
        results[enabled] = theta, opt.get_state()
    (fast, fast_state), (slow, slow_state) = results[True], results[False]
    m_fast, m_slow = fast_state["m_sum/0"], slow_state["m_sum/0"]
    assert (m_fast[dead] == 0).all()
    assert ((m_slow[dead] != 0) & (np.abs(m_slow[dead]) < tiny)).all()  # subnormal in NumPy
    np.testing.assert_array_equal(fast[dead], slow[dead])
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(fast, slow, rtol=rtol, atol=0)
    np.testing.assert_allclose(m_fast[40:], m_slow[40:], rtol=rtol, atol=0)


@needs_numba
def test_small_strided_or_mixed_arrays_use_numpy(monkeypatch):
    def refuse():
        raise AssertionError("the kernel should not be asked for")

    assert _kernels.available()
    monkeypatch.setattr(_kernels, "_kernels", refuse)
    small = np.ones(10, np.float32)
    assert not _kernels.fits(small, small, small.copy(), small.copy(), None)
    big = np.ones(2 * _kernels.MIN_SIZE, np.float32)
    strided = big[::2]
    assert not _kernels.fits(strided, strided, strided.copy(), strided.copy(), None)
    half = np.ones(_kernels.MIN_SIZE, np.float64)
    assert not _kernels.fits(big[:_kernels.MIN_SIZE], half, half.copy(), half.copy(), None)


def test_the_switch_turns_the_kernels_off(monkeypatch):
    monkeypatch.setattr(_kernels, "ENABLED", False)
    assert not _kernels.available()
    big = np.ones(_kernels.MIN_SIZE, np.float32)
    assert not _kernels.fits(big, big, big.copy(), big.copy(), None)


def test_without_numba_the_numpy_update_runs(monkeypatch):
    expected, _ = _steps(MAKERS["adam"], np.float32, False, monkeypatch)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba now fails
    monkeypatch.delitem(sys.modules, "rosenblatt.kernels.numba_loops", raising=False)
    monkeypatch.delattr(rosenblatt.kernels, "numba_loops", raising=False)
    monkeypatch.setattr(_kernels, "_module", None)
    got, _ = _steps(MAKERS["adam"], np.float32, True, monkeypatch)
    assert _kernels._module is False and not _kernels.available()
    np.testing.assert_array_equal(got, expected)
    assert _kernels.loops(10 ** 6) is None


# --------------------------------------------------------------------------- the step's loops
def test_loops_only_for_models_of_min_size_parameters(monkeypatch):
    assert _kernels.loops(_kernels.MIN_SIZE - 1) is None
    monkeypatch.setattr(_kernels, "ENABLED", False)
    assert _kernels.loops(10 ** 6) is None


def _loops():
    loops = _kernels.loops(_kernels.MIN_SIZE)
    assert loops is not None
    return loops


def _logits(dtype, rows=13, cols=7, seed=0):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=(rows, cols)).astype(dtype)
    z[0, :3] = 0.0  # relu'(0) = 1: exact zeros keep their mask of one
    return z, rng.normal(size=cols).astype(dtype)


@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bias", [True, False])
def test_bias_relu_is_the_numpy_form_exactly(dtype, bias):
    z, b = _logits(dtype)
    b[:3] = 0.0
    expected = z + b if bias else z.copy()
    mask = (expected >= 0).astype(dtype)
    expected *= mask
    got, got_mask = z.copy(), np.full_like(z, np.nan)
    _loops().bias_relu(got, b if bias else np.zeros(1, dtype), bias, got_mask)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got_mask, mask)
    assert got_mask[0, :3].tolist() == [1, 1, 1]


@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bias", [True, False])
def test_relu_backward_and_column_sums(dtype, bias):
    g, _ = _logits(dtype, seed=1)
    mask = (_logits(dtype, seed=2)[0] >= 0).astype(dtype)
    dz, gb = np.full_like(g, np.nan), np.full(g.shape[1], np.nan, dtype)
    _loops().relu_backward(g, mask, dz, gb if bias else np.zeros(1, dtype), bias)
    np.testing.assert_array_equal(dz, g * mask)
    if bias:
        np.testing.assert_allclose(gb, (g * mask).sum(axis=0), rtol=1e-5, atol=1e-5)
    else:
        assert np.isnan(gb).all()  # untouched
    sums = np.full(g.shape[1], np.nan, dtype)
    _loops().column_sums(g, sums)
    np.testing.assert_allclose(sums, g.sum(axis=0), rtol=1e-5, atol=1e-5)


@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_loop_equals_the_array_form(dtype):
    from rosenblatt import fused

    z, _ = _logits(dtype, rows=17, cols=10, seed=3)
    z[1] += 500.0  # large logits: the maximum is taken out first, nothing overflows
    index = np.random.default_rng(4).integers(0, 10, 17)
    per_sample, p_ref, g_ref = fused.softmax_cross_entropy_arrays(z, index=index)
    p, g = np.empty_like(z), np.empty_like(z)
    scale = dtype(1 / 17)
    total = _loops().softmax_cross_entropy_index(z, index, p, g, scale)
    tol = 1e-6 if dtype == np.float32 else 1e-13
    assert total == pytest.approx(float(per_sample.astype(np.float64).sum()), rel=tol)
    np.testing.assert_allclose(p, p_ref, rtol=tol, atol=tol)
    np.testing.assert_allclose(g, g_ref * scale, rtol=tol, atol=tol)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=tol)


# --------------------------------------------------------------------- one-row inference loops
@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_finite_finds_nan_and_both_infinities(dtype):
    x = np.linspace(-3e30 if dtype == np.float32 else -1e300, 1e30, 300).astype(dtype)
    assert _loops().all_finite(x)
    for bad in (np.nan, np.inf, -np.inf):
        for where in (0, 151, 299):
            y = x.copy()
            y[where] = bad
            assert not _loops().all_finite(y)


@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("name", ["linear", "relu", "tanh", "sigmoid", "softmax"])
def test_the_compiled_row_form_equals_the_activation_of_z_plus_b(dtype, bias, name):
    from rosenblatt import activations

    act = activations.get(name)
    z, b = _logits(dtype, rows=1, cols=40, seed=5)
    z = z[0]
    z[5], z[6] = 60.0, -60.0  # sigmoid and softmax far out: nothing overflows
    expected = act.value(z + b if bias else z.copy())
    got = z.copy()
    act.row_in_place(_loops())(got, b if bias else got, bias)
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)
    assert got.dtype == dtype and np.isfinite(got).all()


@needs_numba
def test_the_compiled_row_forms_keep_nan_like_numpy():
    from rosenblatt import activations

    for act in (activations.relu, activations.tanh, activations.sigmoid):
        z = np.array([1.0, np.nan, -2.0], np.float32)
        expected = act.value(z)
        act.row_in_place(_loops())(z, z, False)
        np.testing.assert_array_equal(np.isnan(z), np.isnan(expected))
    z = np.array([1.0, np.nan, -2.0], np.float32)
    activations.softmax_activation.row_in_place(_loops())(z, z, False)
    assert np.isnan(z).all()  # as NumPy's softmax of a row holding NaN

"""The playground's generators and the toy sets follow their generation rules (L17)."""

import math

import numpy as np
import pytest

from rosenblatt.datasets import (
    DATASETS,
    blobs,
    circle,
    features,
    gauss,
    is_regression,
    make,
    moons,
    multi_gauss,
    multi_gauss_target,
    plane,
    spiral,
    xor,
)

CLASSIFIERS = [circle, xor, gauss, spiral]
ALL_NAMES = ["circle", "xor", "gauss", "spiral", "plane", "multi_gauss", "moons", "blobs"]


def radius(x):
    return np.hypot(x[:, 0].astype(np.float64), x[:, 1].astype(np.float64))


# --- shapes, dtypes, labels, reproducibility -------------------------------------------------


@pytest.mark.parametrize("name", ALL_NAMES)
def test_shapes_dtypes_and_seeds(name):
    x, y = make(name, n=101, seed=3)
    assert x.shape == (101, 2) and x.dtype == np.float32 and y.shape == (101,)
    x2, y2 = make(name, n=101, seed=3)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    x3, _ = make(name, n=101, seed=4)
    assert not np.array_equal(x, x3)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_generator_seed_is_used_and_advanced(name):
    rng = np.random.default_rng(11)
    first, _ = make(name, n=50, seed=rng)
    second, _ = make(name, n=50, seed=rng)
    assert not np.array_equal(first, second)
    again, _ = make(name, n=50, seed=np.random.default_rng(11))
    assert np.array_equal(first, again)


@pytest.mark.parametrize("gen", [circle, gauss, spiral])
def test_balanced_classes(gen):
    _, y = gen(500, noise=0.0, seed=1)
    assert (y == 1).sum() == 250 and (y == -1).sum() == 250
    _, y = gen(7, seed=1)
    assert (y == 1).sum() == 4 and (y == -1).sum() == 3


@pytest.mark.parametrize("gen", CLASSIFIERS + [moons])
def test_binary_and_bipolar_labels_agree(gen):
    x_bi, y_bi = gen(200, noise=0.1, seed=5, labels="bipolar")
    x_01, y_01 = gen(200, noise=0.1, seed=5, labels="binary")
    assert np.array_equal(x_bi, x_01)
    assert set(np.unique(y_bi)) <= {-1, 1} and set(np.unique(y_01)) <= {0, 1}
    assert np.array_equal(y_01, (y_bi + 1) // 2)
    assert y_bi.dtype == np.int64 and y_01.dtype == np.int64


@pytest.mark.parametrize("gen", [circle, gauss, spiral, moons])
def test_shuffle_permutes_the_same_points(gen):
    x_s, y_s = gen(60, noise=0.0, seed=2, shuffle=True)
    x_o, y_o = gen(60, noise=0.0, seed=2, shuffle=False)
    key_s = np.lexsort((y_s, x_s[:, 1], x_s[:, 0]))
    key_o = np.lexsort((y_o, x_o[:, 1], x_o[:, 0]))
    assert np.array_equal(x_s[key_s], x_o[key_o]) and np.array_equal(y_s[key_s], y_o[key_o])
    assert not np.array_equal(y_s, y_o)
    assert np.all(np.diff(y_o) * np.sign(y_o[-1] - y_o[0]) >= 0)  # unshuffled: sorted by class


# --- circle ---------------------------------------------------------------------------------


def test_circle_noise0_radius_bands_and_separation():
    x, y = circle(500, noise=0.0, seed=0)
    r = radius(x)
    assert np.all(r[y == 1] < 2.5)
    assert np.all((r[y == -1] >= 3.5) & (r[y == -1] <= 5.0))
    assert np.array_equal(np.where(r < 3.0, 1, -1), y)
    # angles cover the whole circle
    angle = np.arctan2(x[:, 0], x[:, 1])
    assert np.histogram(angle, bins=4, range=(-np.pi, np.pi))[0].min() > 50
    # L17: one neuron on x1^2 and x2^2 separates the circle
    phi = features(x, ["x1^2", "x2^2"])
    assert np.array_equal(np.where(phi.sum(axis=1) < 9.0, 1, -1), y)


def test_circle_noise_flips_labels_within_the_perturbation_bound():
    noise = 0.3
    x, y = circle(2000, noise=noise, seed=1)
    r = radius(x)
    reach = 5 * noise * math.sqrt(2)  # largest possible perturbation of the point
    # the returned points are the unperturbed ones: still in the two radius bands
    assert np.all((r < 2.5) | ((r >= 3.5) & (r <= 5.0)))
    assert np.all(r[y == 1] < 2.5 + reach)
    assert np.all(r[y == -1] > 2.5 - reach)
    inner = r < 2.5
    assert 0 < (y[~inner] == 1).sum() and 0 < (y[inner] == -1).sum()


def test_circle_flip_rates_match_a_simulation_of_the_rule():
    # the rule simulated here with its own random numbers: perturbation U(-5, 5)^2 * noise
    noise, m = 0.3, 200_000
    rng = np.random.default_rng(123)
    r = np.concatenate([rng.uniform(0, 2.5, m), rng.uniform(3.5, 5, m)])
    t = rng.uniform(0, 2 * np.pi, 2 * m)
    p = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-5, 5, (2 * m, 2)) * noise
    inside = np.hypot(p[:, 0], p[:, 1]) < 2.5
    expected_inner, expected_outer = 1 - inside[:m].mean(), inside[m:].mean()  # ~0.185, ~0.024
    x, y = circle(20000, noise=noise, seed=8)
    inner = radius(x) < 2.5
    assert abs(np.mean(y[inner] == -1) - expected_inner) < 0.02
    assert abs(np.mean(y[~inner] == 1) - expected_outer) < 0.008


# --- xor ------------------------------------------------------------------------------------


def test_xor_noise0_quadrant_rule_and_padding():
    x, y = xor(500, noise=0.0, seed=0)
    x64 = x.astype(np.float64)
    assert np.array_equal(y, np.where(x64[:, 0] * x64[:, 1] >= 0, 1, -1))
    assert np.all(np.abs(x) >= 0.3 - 1e-6) and np.all(np.abs(x) <= 5.3 + 1e-6)
    assert 150 < (y == 1).sum() < 350


def test_xor_noise_only_flips_points_near_the_axes():
    noise = 0.2
    x, y = xor(20000, noise=noise, seed=2)
    far = np.all(np.abs(x) > 5 * noise, axis=1)
    sign = np.where(x[:, 0] * x[:, 1] >= 0, 1, -1)
    assert np.array_equal(y[far], sign[far])
    assert (y[~far] != sign[~far]).sum() > 0
    # flip rate against the rule simulated with its own random numbers
    rng = np.random.default_rng(321)
    p = rng.uniform(-5, 5, (400_000, 2))
    p += np.where(p > 0, 0.3, -0.3)
    moved = p + rng.uniform(-5, 5, p.shape) * noise
    expected = np.mean((p[:, 0] * p[:, 1] >= 0) != (moved[:, 0] * moved[:, 1] >= 0))
    assert abs(np.mean(y != sign) - expected) < 0.008  # expected ~0.048


# --- gauss ----------------------------------------------------------------------------------


@pytest.mark.parametrize("noise, variance", [(0.0, 0.5), (0.2, 1.9), (0.5, 4.0)])
def test_gauss_means_and_variance(noise, variance):
    x, y = gauss(20000, noise=noise, seed=3)
    for label, centre in [(1, 2.0), (-1, -2.0)]:
        part = x[y == label].astype(np.float64)
        se = math.sqrt(variance / len(part))
        assert np.all(np.abs(part.mean(axis=0) - centre) < 5 * se)
        assert np.allclose(part.var(axis=0), variance, rtol=0.08)


def test_gauss_noise0_line_separates():
    # the line x1 + x2 = 0 is 2 sqrt(2) = 4 standard deviations (sqrt 0.5) from each centre:
    # a point falls on the wrong side with probability Phi(-4) ~ 3.2e-5
    wrong = 0
    for seed in range(10):
        x, y = gauss(500, noise=0.0, seed=seed)
        wrong_here = (np.sign(x.sum(axis=1)) != y).sum()
        assert wrong_here <= 2
        wrong += wrong_here
    assert wrong <= 3
    x, y = gauss(20000, noise=0.5, seed=0)  # variance 4: Phi(-sqrt 2) ~ 7.9% wrong
    assert 0.06 < np.mean(np.sign(x.sum(axis=1)) != y) < 0.10


# --- spiral ---------------------------------------------------------------------------------


def test_spiral_noise0_radii_and_angles():
    x, y = spiral(500, noise=0.0, shuffle=False)
    m = 250
    i = np.arange(m)
    pos, neg = x[y == 1].astype(np.float64), x[y == -1].astype(np.float64)
    assert np.allclose(radius(pos), 5 * i / m, atol=1e-5)
    assert np.allclose(radius(neg), 5 * i / m, atol=1e-5)
    t = 1.75 * 2 * np.pi * i[1:] / m
    assert np.allclose(pos[1:, 0], (5 * i[1:] / m) * np.sin(t), atol=1e-5)
    assert np.allclose(pos[1:, 1], (5 * i[1:] / m) * np.cos(t), atol=1e-5)
    assert np.allclose(neg, -pos, atol=1e-5)  # delta = pi: the second arm is the first rotated


def test_spiral_noise_is_bounded_per_coordinate():
    clean, _ = spiral(400, noise=0.0, shuffle=False)
    noisy, _ = spiral(400, noise=0.4, seed=9, shuffle=False)
    shift = noisy.astype(np.float64) - clean
    assert np.all(np.abs(shift) <= 0.4 + 1e-6)
    assert np.abs(shift).max() > 0.3 and abs(shift.mean()) < 0.05


# --- regression sets ------------------------------------------------------------------------


def test_plane_rule():
    x, y = plane(500, noise=0.0, seed=0)
    assert y.dtype == np.float32
    assert np.all(np.abs(x) <= 6)
    assert np.allclose(y, (x[:, 0].astype(np.float64) + x[:, 1]) / 10, atol=1e-6)
    x, y = plane(500, noise=0.5, seed=0)
    error = np.abs(y - (x[:, 0].astype(np.float64) + x[:, 1]) / 10)
    assert error.max() <= 0.6 + 1e-6 and error.max() > 0.3


def reference_multi_gauss(p1, p2):
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    best = 0.0
    for c1, c2, s in bumps:
        d = math.sqrt((p1 - c1) ** 2 + (p2 - c2) ** 2)
        value = s * min(1.0, max(0.0, 1 - d / 2))
        if abs(value) > abs(best):
            best = value
    return best


def test_multi_gauss_rule():
    x, y = multi_gauss(400, noise=0.0, seed=4)
    assert np.all(np.abs(x) <= 6) and np.all(np.abs(y) <= 1)
    ref = [reference_multi_gauss(float(a), float(b)) for a, b in x]
    assert np.allclose(y, ref, atol=1e-6)
    assert np.any(y > 0.5) and np.any(y < -0.5) and np.any(y == 0)
    _, y_noisy = multi_gauss(400, noise=0.5, seed=4)
    assert np.all(np.abs(y_noisy) <= 1) and not np.allclose(y_noisy, y)


def test_multi_gauss_noise_matches_a_simulation_of_the_rule():
    # the target is taken at the point moved by U(-6, 6)^2 * noise (the target surface itself is
    # checked against the loop reference above)
    rng = np.random.default_rng(77)
    p = rng.uniform(-6, 6, (20000, 2))
    moved = p + rng.uniform(-6, 6, p.shape) * 0.5
    expected = np.abs(multi_gauss_target(moved) - multi_gauss_target(p)).mean()  # ~0.25
    x, y = multi_gauss(20000, noise=0.5, seed=5)
    assert abs(np.abs(y - multi_gauss_target(x)).mean() - expected) < 0.015


def test_multi_gauss_target_hand_values():
    points = [[-4, 2.5], [0, 2.5], [0, -2.5], [-4, 1.5], [0, 0], [4, -1.5], [6, 6]]
    assert multi_gauss_target(points).tolist() == [1.0, -1.0, 1.0, 0.5, 0.0, -0.5, 0.0]


def test_regression_names():
    assert is_regression("plane") and is_regression("reg-gauss") and is_regression("Multi_Gauss")
    assert not any(is_regression(name) for name in ["circle", "xor", "gauss", "spiral", "moons"])
    for alias, generator in [("reg-plane", plane), ("REG_GAUSS", multi_gauss)]:
        x, y = make(alias, n=20, noise=0.1, seed=0)
        x_ref, y_ref = generator(20, noise=0.1, seed=0)
        assert np.array_equal(x, x_ref) and np.array_equal(y, y_ref)


# --- moons and blobs ------------------------------------------------------------------------


def test_moons_match_scikit_learn():
    datasets = pytest.importorskip("sklearn.datasets")
    x, y = moons(101, noise=0.0, shuffle=False)
    x_ref, y_ref = datasets.make_moons(101, noise=None, shuffle=False)
    assert np.allclose(x, x_ref, atol=1e-6) and np.array_equal(y, y_ref)


def test_moons_rule_and_noise():
    x, y = moons(200, noise=0.0, seed=0)
    upper, lower = x[y == 0].astype(np.float64), x[y == 1].astype(np.float64)
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1, atol=1e-6)
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1, atol=1e-6)
    assert np.all(upper[:, 1] >= -1e-6) and np.all(lower[:, 1] <= 0.5 + 1e-6)
    clean, _ = moons(20000, noise=0.0, shuffle=False)
    noisy, _ = moons(20000, noise=0.1, seed=0, shuffle=False)
    assert abs((noisy - clean).std() - 0.1) < 0.005


def test_blobs_counts_centres_and_spread():
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, -10.0]])
    x, y = blobs(3000, centers=centres, std=0.5, seed=0)
    assert np.array_equal(np.bincount(y), [1000, 1000, 1000])
    for k in range(3):
        assert np.allclose(x[y == k].mean(axis=0), centres[k], atol=0.05)
        assert np.allclose(x[y == k].std(axis=0), 0.5, rtol=0.08)
    _, y = blobs(10, centers=3, seed=0, shuffle=False)
    assert y.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    x, y = blobs(50, centers=[[1.0, 2.0, 3.0]], std=0.1, seed=0)
    assert x.shape == (50, 3) and set(y.tolist()) == {0}


def test_blobs_random_centres_lie_in_the_box():
    x, y = blobs(4000, centers=4, std=0.01, seed=6)
    assert set(y.tolist()) == {0, 1, 2, 3}
    means = np.array([x[y == k].mean(axis=0) for k in range(4)])
    assert np.all(np.abs(means) < 10.0) and len(np.unique(means.round(2), axis=0)) == 4


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral", "plane", "multi_gauss"])
@pytest.mark.parametrize("noise", [-0.1, 0.51, 1, "0.1", None])
def test_noise_out_of_range(name, noise):
    with pytest.raises(ValueError, match=r"noise: expected a number in \[0.0, 0.5\]"):
        make(name, noise=noise)


def test_bad_common_arguments():
    with pytest.raises(ValueError, match=r"n: expected an? integer > 0, got 0"):
        circle(0)
    with pytest.raises(ValueError, match=r"n: expected an? integer > 0, got 2.5"):
        xor(2.5)
    with pytest.raises(ValueError, match="labels: expected one of 'bipolar', 'binary'"):
        gauss(labels="signed")
    with pytest.raises(TypeError, match="seed: expected None, an integer or a np.random"):
        spiral(seed="7")
    with pytest.raises(ValueError, match="seed: expected an integer >= 0, got -1"):
        spiral(seed=-1)
    with pytest.raises(TypeError, match="shuffle: expected True or False, got str"):
        circle(shuffle="yes")
    with pytest.raises(ValueError, match="noise: expected a number >= 0, got -0.5"):
        moons(noise=-0.5)
    with pytest.raises(ValueError, match="std: expected a number > 0, got 0"):
        blobs(std=0)
    with pytest.raises(ValueError, match=r"centers: expected an? integer > 0, got 0"):
        blobs(centers=0)
    with pytest.raises(ValueError, match="centers: expected a 2-D array, got shape"):
        blobs(centers=[1.0, 2.0])
    with pytest.raises(ValueError, match="centers: expected at least one centre"):
        blobs(centers=np.empty((0, 2)))


def test_unknown_dataset_lists_valid_names():
    with pytest.raises(ValueError, match="Unknown dataset 'circel'. Did you mean 'circle'") as err:
        make("circel")
    for name in ALL_NAMES:
        assert name in str(err.value)
    with pytest.raises(ValueError, match="Valid names: circle, xor, gauss, spiral"):
        is_regression("swiss_roll")
    assert set(ALL_NAMES) <= set(DATASETS.names())

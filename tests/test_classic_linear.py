"""Least squares and the linear neuron (L25, lecture 003)."""

import numpy as np
import pytest
from rosenblatt.classic import LinearNeuron, least_squares


def _data(seed=0, n=60, d=3, k=None, noise=0.1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    shape = (d,) if k is None else (d, k)
    W, b = rng.normal(size=shape), rng.normal(size=shape[1:])
    y = X @ W + b + noise * rng.normal(size=(n,) + shape[1:])
    return X, y, W, b


def test_L25_equals_normal_equations():
    """W = (X^T X)^-1 X^T y with a column of ones, solved here by np.linalg.solve."""
    X, y, _, _ = _data()
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.solve(A.T @ A, A.T @ y)
    W, b = least_squares(X, y)
    np.testing.assert_allclose(W, theta[:-1], rtol=1e-10)
    assert b == pytest.approx(theta[-1], rel=1e-10)
    W0, b0 = least_squares(X, y, fit_intercept=False)
    np.testing.assert_allclose(W0, np.linalg.solve(X.T @ X, X.T @ y), rtol=1e-10)
    assert b0 == 0.0


def test_L25_recovers_noiseless_weights_and_multiple_outputs():
    X, y, W, b = _data(seed=1, k=2, noise=0.0)
    W_hat, b_hat = least_squares(X, y)
    assert W_hat.shape == (3, 2) and b_hat.shape == (2,)
    np.testing.assert_allclose(W_hat, W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b_hat, b, rtol=1e-10, atol=1e-12)


def test_L25_residual_is_orthogonal_to_the_inputs():
    X, y, _, _ = _data(seed=2, noise=1.0)
    W, b = least_squares(X, y)
    residual = y - (X @ W + b)
    np.testing.assert_allclose(X.T @ residual, 0.0, atol=1e-10)
    assert abs(residual.sum()) < 1e-10


def test_L25_equals_the_gradient_descent_solution_of_a_linear_neuron():
    """Batch gradient descent on J = 1/(2N) ||X W + b - y||^2 (lecture 000) converges to it."""
    X, y, _, _ = _data(seed=3, noise=0.5)
    W, b = np.zeros(3), 0.0
    for _ in range(3000):
        error = X @ W + b - y
        W -= 0.1 * X.T @ error / len(X)
        b -= 0.1 * error.mean()
    W_ls, b_ls = least_squares(X, y)
    np.testing.assert_allclose(W, W_ls, rtol=1e-8)
    assert b == pytest.approx(b_ls, rel=1e-8)


def test_L25_rank_deficient_gives_minimum_norm_solution():
    X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    W, _ = least_squares(X, [2.0, 4.0, 6.0], fit_intercept=False)
    np.testing.assert_allclose(W, [1.0, 1.0], rtol=1e-12)  # pinv solution splits evenly


def test_L25_matches_scikit_learn():
    linear_model = pytest.importorskip("sklearn.linear_model")
    metrics = pytest.importorskip("sklearn.metrics")
    for k in (None, 2):
        X, y, _, _ = _data(seed=4, k=k, noise=0.3)
        ref = linear_model.LinearRegression().fit(X, y)
        neuron = LinearNeuron().fit(X, y)
        np.testing.assert_allclose(neuron.coef_, ref.coef_.T, rtol=1e-9)
        np.testing.assert_allclose(neuron.intercept_, ref.intercept_, rtol=1e-9)
        np.testing.assert_allclose(neuron.predict(X), ref.predict(X), rtol=1e-9)
        assert neuron.score(X, y) == pytest.approx(metrics.r2_score(y, ref.predict(X)), rel=1e-9)


def test_L25_linear_neuron_predicts_and_scores():
    X, y, W, b = _data(seed=5, noise=0.0)
    neuron = LinearNeuron().fit(X, y)
    assert neuron.n_features_in_ == 3
    X_new = np.random.default_rng(6).normal(size=(4, 3))
    np.testing.assert_allclose(neuron.predict(X_new), X_new @ W + b, rtol=1e-10)
    assert neuron.score(X, y) == pytest.approx(1.0)
    y_mean = np.full_like(y, y.mean())
    mean_only = LinearNeuron().fit(np.zeros((len(y), 1)), y)  # best constant predictor
    np.testing.assert_allclose(mean_only.predict(np.zeros((len(y), 1))), y_mean)
    assert mean_only.score(np.zeros((len(y), 1)), y) == pytest.approx(0.0, abs=1e-12)
    zero = LinearNeuron().fit([[0.0], [1.0]], [0.0, 0.0])  # constant targets: R^2 is 1 or 0
    assert zero.score([[0.0], [1.0]], [0.0, 0.0]) == 1.0
    assert zero.score([[0.0], [1.0]], [1.0, 1.0]) == 0.0


def test_L25_errors():
    with pytest.raises(ValueError, match="same number of samples.*X with 3.*y with 2"):
        least_squares(np.ones((3, 2)), [1.0, 2.0])
    with pytest.raises(ValueError, match=r"y: expected finite numbers, found nan at index \(1,\)"):
        least_squares(np.ones((3, 2)), [1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="X: expected a 2-D array, got shape"):
        least_squares(np.ones((3, 2, 1)), [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="fit_intercept: expected True or False"):
        least_squares(np.ones((3, 2)), [1.0, 2.0, 3.0], fit_intercept="yes")
    with pytest.raises(ValueError, match="at least one sample"):
        least_squares(np.ones((0, 2)), [])
    with pytest.raises(ValueError, match="not fitted yet"):
        LinearNeuron().predict([[1.0]])
    neuron = LinearNeuron().fit(np.eye(3), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"expected 3 feature\(s\) per sample, got shape \(1, 2\)"):
        neuron.predict([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"y: expected shape \(3,\), got \(3, 1\)"):
        neuron.score(np.eye(3), [[1.0], [2.0], [3.0]])

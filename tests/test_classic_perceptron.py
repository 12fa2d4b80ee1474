"""Rosenblatt's perceptron rule (L03) and its failure on XOR (L04), lectures 000, 003, 004."""

import re
import warnings

import numpy as np
import pytest
from rosenblatt.classic import Perceptron, gate_data, perceptron_report

SEPARABLE = ["and", "or", "nand", "not"]


def _reference_rule(X, d, alpha, max_epochs):
    """The notes' rule written out sample by sample, zero start, labels {0, 1}, T learned."""
    w, T = [0.0] * len(X[0]), 0.0
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x, target in zip(X, d, strict=True):
            y = 1 if sum(wi * xi for wi, xi in zip(w, x, strict=True)) - T >= 0 else 0
            if y != target:
                w = [wi + alpha * (target - y) * xi for wi, xi in zip(w, x, strict=True)]
                T = T - alpha * (target - y)
                mistakes += 1
        errors.append(mistakes)
        if mistakes == 0:
            break
    return w, T, errors


def test_L03_and_by_hand():
    """Worked by hand from w = (0, 0), T = 0, alpha = 1, rows in the order 00, 01, 10, 11."""
    X, y = gate_data("and")
    p = Perceptron().fit(X, y)
    assert p.errors_ == [2, 3, 3, 2, 1, 0]
    assert p.n_epochs_ == 6 and p.converged_
    assert p.coef_.tolist() == [2.0, 1.0]
    assert p.threshold_ == 3.0 and p.intercept_ == -3.0


@pytest.mark.parametrize("gate", SEPARABLE + ["xor"])
@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_L03_matches_the_rule_written_out(gate, alpha):
    X, y = gate_data(gate)
    w, T, errors = _reference_rule(X.tolist(), y.tolist(), alpha, 30)
    p = Perceptron(learning_rate=alpha, max_epochs=30).fit(X, y)
    assert p.errors_ == errors
    np.testing.assert_allclose(p.coef_, w, rtol=1e-12, atol=1e-12)
    assert p.threshold_ == pytest.approx(T, abs=1e-12)


@pytest.mark.parametrize("gate", SEPARABLE)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"learning_rate": 0.1},
        {"shuffle": True, "random_state": 1},
        {"init": "random", "random_state": 7},
        {"init": "random", "shuffle": True, "random_state": np.random.default_rng(3)},
    ],
)
def test_L03_converges_on_separable_gates(gate, options):
    X, y = gate_data(gate)
    p = Perceptron(**options).fit(X, y)
    assert p.converged_
    assert p.n_epochs_ == len(p.errors_)
    assert p.errors_[-1] == 0 and all(e > 0 for e in p.errors_[:-1])
    np.testing.assert_array_equal(p.predict(X), y)
    assert p.score(X, y) == 1.0


@pytest.mark.parametrize("gate", SEPARABLE + ["xor"])
def test_L03_same_random_state_same_result(gate):
    X, y = gate_data(gate)
    runs = [
        Perceptron(init="random", shuffle=True, random_state=42, max_epochs=25).fit(X, y)
        for _ in range(2)
    ]
    assert runs[0].errors_ == runs[1].errors_
    np.testing.assert_array_equal(runs[0].coef_, runs[1].coef_)
    assert runs[0].intercept_ == runs[1].intercept_
    other = Perceptron(init="random", random_state=43).fit(X, y)
    assert not np.array_equal(other.coef_, runs[0].coef_)


def test_L03_labels_minus_one_one_use_sign():
    X, y01 = gate_data("and")
    y = 2 * y01 - 1
    p = Perceptron().fit(X, y)
    assert p.converged_
    assert p.classes_.tolist() == [-1, 1]
    np.testing.assert_array_equal(p.predict(X), y)
    z = p.decision_function(X)
    np.testing.assert_array_equal(p.predict(X), np.where(z >= 0, 1, -1))


def test_L03_fixed_threshold_learns_only_w():
    X, y = gate_data("and")
    p = Perceptron(threshold=1.5).fit(X, y)
    assert p.converged_ and p.threshold_ == 1.5
    np.testing.assert_array_equal(p.predict(X), y)


def test_L03_converges_on_random_separable_data():
    rng = np.random.default_rng(0)
    w_true, b_true = rng.normal(size=5), 0.3
    X = rng.normal(size=(400, 5))
    margin = X @ w_true + b_true
    X, margin = X[np.abs(margin) > 0.2], margin[np.abs(margin) > 0.2]
    y = (margin > 0).astype(int)
    p = Perceptron(max_epochs=1000, shuffle=True, random_state=0).fit(X, y)
    assert p.converged_
    assert p.score(X, y) == 1.0


@pytest.mark.parametrize("max_epochs", [10, 200])
@pytest.mark.parametrize("options", [{}, {"init": "random", "shuffle": True, "random_state": 5}])
def test_L04_xor_does_not_converge_and_does_not_raise(max_epochs, options):
    X, y = gate_data("xor")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = Perceptron(max_epochs=max_epochs, **options).fit(X, y)
    assert not p.converged_
    assert p.n_epochs_ == max_epochs == len(p.errors_)
    assert all(e > 0 for e in p.errors_)
    assert (p.predict(X) != y).sum() >= 1


def test_L03_L04_report():
    report = perceptron_report("and")
    assert "converged in epoch 6" in report
    assert "w = [2, 1], threshold T = 3" in report
    assert "wrong" not in report
    xor = perceptron_report("XOR", max_epochs=7)
    assert "not converged after 7 epochs" in xor
    assert "<- wrong" in xor
    epoch_lines = [line for line in xor.splitlines() if re.fullmatch(r"\s*\d+\s+\d+", line)]
    assert len(epoch_lines) == 7
    seeded = {"init": "random", "shuffle": True, "random_state": 9}
    assert perceptron_report("nand", **seeded) == perceptron_report("nand", **seeded)
    assert "converged in epoch" in perceptron_report("not")


def test_gate_data_tables_and_copies():
    X, y = gate_data("nand")
    assert [int(not (a and b)) for a, b in X] == y.tolist()
    X[0, 0] = 9
    assert gate_data("nand")[0][0, 0] == 0
    assert gate_data("not")[0].shape == (2, 1)
    with pytest.raises(
        ValueError, match="Unknown gate 'nor'.*Valid names: and, or, nand, xor, not"
    ):
        gate_data("nor")


def test_L03_input_errors():
    X, y = gate_data("and")
    with pytest.raises(ValueError, match=r"at least two classes, got one class: \[2\]"):
        Perceptron().fit(X, [2, 2, 2, 2])
    with pytest.raises(ValueError, match=r"y: Unknown label type: .*continuous values"):
        Perceptron().fit(X, [0.5, 1.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="same number of samples.*X with 4.*y with 3"):
        Perceptron().fit(X, [0, 0, 1])
    with pytest.raises(
        ValueError, match=r"X: expected finite numbers, found nan at index \(1, 0\)"
    ):
        Perceptron().fit([[0, 0], [np.nan, 1], [1, 0], [1, 1]], y)
    with pytest.raises(ValueError, match="X: expected a 2-D array"):
        Perceptron().fit([0, 1, 0, 1], y)
    with pytest.raises(ValueError, match="at least one sample"):
        Perceptron().fit(np.zeros((0, 2)), [])


def test_L03_parameter_errors():
    X, y = gate_data("and")
    cases = [
        (ValueError, "learning_rate: expected a number > 0, got 0", {"learning_rate": 0}),
        (ValueError, "max_epochs: expected an? integer > 0, got 1.5", {"max_epochs": 1.5}),
        (ValueError, "threshold: expected None or a finite number", {"threshold": np.nan}),
        (TypeError, "shuffle: expected True or False", {"shuffle": "yes"}),
        (ValueError, "init: expected one of 'zeros', 'random', got 'ones'", {"init": "ones"}),
        (TypeError, "random_state: expected None, an int or", {"random_state": "seed"}),
        (ValueError, "random_state: expected an int >= 0", {"random_state": -1}),
    ]
    for error, message, params in cases:
        with pytest.raises(error, match=message):
            Perceptron(**params).fit(X, y)


def test_L03_predict_errors():
    with pytest.raises(ValueError, match="not fitted yet"):
        Perceptron().predict([[0, 1]])
    X, y = gate_data("and")
    p = Perceptron().fit(X, y)
    with pytest.raises(ValueError, match=r"expected 2 feature\(s\) per sample, got shape \(1, 3\)"):
        p.predict([[0, 1, 1]])
    with pytest.raises(ValueError, match="same number of samples"):
        p.score(X, y[:2])


def test_L03_unseeded_runs_follow_the_global_seed():
    from rosenblatt.random import set_seed

    X, y = gate_data("or")
    runs = []
    for _ in range(2):
        set_seed(123)
        runs.append(Perceptron(init="random", shuffle=True).fit(X, y))
    np.testing.assert_array_equal(runs[0].coef_, runs[1].coef_)
    assert runs[0].errors_ == runs[1].errors_

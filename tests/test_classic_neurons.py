"""McCulloch-Pitts neurons (L01) and Hebb's rule (L02), lecture 000."""

import itertools

import numpy as np
import pytest
from rosenblatt.classic import Hebbian, McCullochPitts

ROWS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def _outputs(neuron, rows):
    return [neuron(*row) for row in rows]


# ---- McCulloch-Pitts (L01) ----


def test_L01_and_or_truth_tables():
    assert _outputs(McCullochPitts.and_gate(), ROWS) == [int(a and b) for a, b in ROWS]
    assert _outputs(McCullochPitts.or_gate(), ROWS) == [int(a or b) for a, b in ROWS]
    table = McCullochPitts.and_gate().truth_table()
    assert table.inputs.tolist() == [list(r) for r in ROWS]
    assert table.outputs.tolist() == [0, 0, 0, 1]


def test_L01_a_and_not_b_with_b_inhibitory():
    neuron = McCullochPitts.and_not()
    assert _outputs(neuron, ROWS) == [int(a and not b) for a, b in ROWS]
    assert neuron.inhibitory == (1,)
    same = McCullochPitts(
        threshold=1, inhibitory=[1]
    )  # default weights: 1 excitatory, 0 inhibitory
    assert same.truth_table(n_inputs=2).outputs.tolist() == [0, 0, 1, 0]


def test_L01_inhibitory_input_vetoes_any_excitatory_sum():
    neuron = McCullochPitts([5, 5, 0], threshold=1, inhibitory=[2])
    assert neuron(1, 1, 0) == 1
    assert neuron(1, 1, 1) == 0
    assert neuron(0, 0, 1) == 0


def test_L01_three_input_gates_match_their_definitions():
    rows = list(itertools.product((0, 1), repeat=3))
    majority = McCullochPitts(threshold=2)
    assert majority.predict(rows).tolist() == [int(sum(r) >= 2) for r in rows]
    assert _outputs(McCullochPitts.and_gate(3), rows) == [int(all(r)) for r in rows]
    assert _outputs(McCullochPitts.or_gate(3), rows) == [int(any(r)) for r in rows]
    weighted = McCullochPitts([2, 1, 1], threshold=2.5)
    assert _outputs(weighted, rows) == [int(2 * a + b + c >= 2.5) for a, b, c in rows]


def test_L01_threshold_is_inclusive_and_score_is_accuracy():
    neuron = McCullochPitts([1, 1], threshold=1)
    assert neuron(1, 0) == 1  # sum == threshold fires
    assert neuron.score(ROWS, [0, 1, 1, 1]) == 1.0
    assert neuron.score(ROWS, [0, 0, 0, 1]) == 0.5


def test_L01_accepts_bools_and_float_bits():
    neuron = McCullochPitts.and_gate()
    assert neuron.predict(np.array([[True, True], [1.0, 0.0]])).tolist() == [1, 0]


@pytest.mark.parametrize("bad, shown", [(2, "2"), (0.5, "0.5"), (-1, "-1")])
def test_L01_non_binary_input_names_the_value(bad, shown):
    with pytest.raises(ValueError, match=rf"X: expected binary inputs \(0 or 1\), got {shown}"):
        McCullochPitts.and_gate().predict([[1, 0], [1, bad]])


def test_L01_input_errors():
    neuron = McCullochPitts.and_gate()
    with pytest.raises(ValueError, match="finite"):
        neuron.predict([[1.0, np.nan]])
    with pytest.raises(ValueError, match=r"expected 2 feature\(s\) per sample, got shape \(1, 3\)"):
        neuron.predict([[1, 0, 1]])
    with pytest.raises(ValueError, match="expected a 2-D array"):
        neuron.predict([1, 0])
    with pytest.raises(TypeError, match="array of numbers"):
        neuron.predict("10")
    with pytest.raises(ValueError, match="same number of samples"):
        neuron.score(ROWS, [0, 1])
    with pytest.raises(ValueError, match="inhibitory input 2 needs at least 3 features"):
        McCullochPitts(threshold=1, inhibitory=[2]).predict([[1, 0]])


def test_L01_construction_errors():
    with pytest.raises(ValueError, match=r"weights: expected excitatory weights >= 0, got -1"):
        McCullochPitts([1, -1], threshold=1)
    with pytest.raises(ValueError, match="input 1 is inhibitory, so its weight must be 0, got 1"):
        McCullochPitts([1, 1], threshold=1, inhibitory=[1])
    with pytest.raises(ValueError, match="index 2 is out of range for 2 weights"):
        McCullochPitts([1, 0], threshold=1, inhibitory=[2])
    with pytest.raises(ValueError, match=r"inhibitory: expected input indices \(ints >= 0\)"):
        McCullochPitts(threshold=1, inhibitory=[-1])
    with pytest.raises(TypeError, match="inhibitory: expected a sequence"):
        McCullochPitts(threshold=1, inhibitory=1)
    with pytest.raises(TypeError, match="threshold: expected a number, got str"):
        McCullochPitts(threshold="1")
    with pytest.raises(ValueError, match="threshold: expected a finite number"):
        McCullochPitts(threshold=float("inf"))
    with pytest.raises(ValueError, match="n_inputs: required"):
        McCullochPitts(threshold=1).truth_table()
    with pytest.raises(ValueError, match="n_inputs: expected an? integer > 0, got 0"):
        McCullochPitts.and_gate(0)


# ---- Hebb's rule (L02) ----


@pytest.mark.parametrize("alpha", [0.1, 0.25, 1.0])
@pytest.mark.parametrize("k", [1, 5, 40])
def test_L02_weight_grows_by_k_alpha_after_k_coactivations(alpha, k):
    hebb = Hebbian(learning_rate=alpha)
    for _ in range(k):
        hebb.update(1, 1)
    assert hebb.weights_.shape == (1, 1)
    assert hebb.weights_[0, 0] == pytest.approx(k * alpha, rel=1e-12)


def test_L02_no_growth_when_either_side_is_silent():
    hebb = Hebbian(learning_rate=0.3).update(1, 1)
    before = hebb.weights_.copy()
    for x, y in [(0, 1), (1, 0), (0, 0)]:
        hebb.update(x, y)
        np.testing.assert_array_equal(hebb.weights_, before)


def test_L02_matrix_form_is_the_sum_of_outer_products():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(6, 4))
    Y = rng.integers(0, 2, size=(6, 3))
    hebb = Hebbian(learning_rate=0.1).fit(X, Y, epochs=3)
    expected = np.zeros((4, 3))
    for _ in range(3):
        for x, y in zip(X, Y, strict=True):
            for i in range(4):
                for j in range(3):
                    expected[i, j] += 0.1 * x[i] * y[j]
    np.testing.assert_allclose(hebb.weights_, expected, rtol=1e-12)
    np.testing.assert_allclose(hebb.predict(X), X @ expected, rtol=1e-12)


def test_L02_fit_starts_over_and_matches_updates():
    X = np.array([[1.0, 0.0], [0.5, 1.0]])
    Y = np.array([1.0, 2.0])
    by_update = Hebbian(learning_rate=0.2, decay=0.1)
    for x, y in zip(X, Y, strict=True):
        by_update.update(x, y)
    fitted = Hebbian(learning_rate=0.2, decay=0.1).fit(X, Y).fit(X, Y)
    np.testing.assert_array_equal(fitted.weights_, by_update.weights_)


@pytest.mark.parametrize("alpha, decay", [(0.1, 0.05), (0.5, 0.2)])
def test_L02_decay_closed_form_and_bound(alpha, decay):
    hebb = Hebbian(learning_rate=alpha, decay=decay)
    for k in range(1, 201):
        hebb.update(1, 1)
        closed_form = alpha / decay * (1 - (1 - decay) ** k)  # w_k = (1-l) w_(k-1) + alpha
        assert hebb.weights_[0, 0] == pytest.approx(closed_form, rel=1e-10)
    assert hebb.weights_[0, 0] <= alpha / decay


def test_L02_normalize_keeps_unit_norm_along_the_pattern():
    x = np.array([3.0, 4.0, 0.0])
    hebb = Hebbian(learning_rate=0.7, normalize=True)
    for _ in range(50):
        hebb.update(x, [1.0, 0.0])
    np.testing.assert_allclose(hebb.weights_[:, 0], x / 5.0, rtol=1e-12)
    np.testing.assert_array_equal(hebb.weights_[:, 1], 0.0)  # never co-active: stays zero


def test_L02_errors():
    with pytest.raises(ValueError, match="learning_rate: expected a number > 0, got 0"):
        Hebbian(learning_rate=0)
    with pytest.raises(ValueError, match=r"decay: expected a number in \[0.0, 1.0\], got 1.5"):
        Hebbian(decay=1.5)
    with pytest.raises(TypeError, match="normalize: expected True or False"):
        Hebbian(normalize=1)
    hebb = Hebbian().update([1, 0], 1)
    with pytest.raises(ValueError, match=r"expected sizes \(2, 1\) matching weights_"):
        hebb.update([1, 0, 1], 1)
    with pytest.raises(ValueError, match="finite"):
        Hebbian().update([np.nan], 1)
    with pytest.raises(ValueError, match="same number of samples"):
        Hebbian().fit([[1.0], [0.0]], [1.0])
    with pytest.raises(ValueError, match="epochs: expected an? integer > 0, got 0"):
        Hebbian().fit([[1.0]], [1.0], epochs=0)
    with pytest.raises(ValueError, match="not fitted yet"):
        Hebbian().predict([[1.0]])
    with pytest.raises(ValueError, match=r"expected 2 feature\(s\)"):
        hebb.predict([[1.0]])

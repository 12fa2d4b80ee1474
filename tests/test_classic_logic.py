"""The notes' gate networks (L05, L14, L15, L22, L23, L28, L29) and the NAND quiz (L11)."""

import math
import warnings

import numpy as np
import pytest
from rosenblatt.classic import Interval, format_truth_tables, gate, gates, nand_interval
from rosenblatt.classic.logic import BETA_XOR, sigmoid

ROWS = [(0, 0), (0, 1), (1, 0), (1, 1)]
AND = [int(a and b) for a, b in ROWS]
OR = [int(a or b) for a, b in ROWS]
XOR = [int(a != b) for a, b in ROWS]
XNOR = [int(a == b) for a, b in ROWS]
NAND = [int(not (a and b)) for a, b in ROWS]

EXPECTED = {
    "not_L14": [1, 0],
    "and_L14": AND,
    "or_L14": OR,
    "xor_L15": XOR,
    "and_L22": AND,
    "or_L22": OR,
    "not_L22": [1, 0],
    "xor_feature_L23": XOR,
    "xor_or_and_L23": XOR,
    "nand_L11": NAND,
    "xor_L05": XOR,
    "xor_pm1_L29": [-1, 1, 1, -1],  # lecture 004's table: targets in {-1, 1}
    "xnor_L29": XNOR,
}
SIGMOID_GATES = {"and_sigmoid_L28": AND, "xnor_sigmoid_L29": XNOR}


def test_every_gate_has_an_expected_table():
    assert set(gates()) == set(EXPECTED) | set(SIGMOID_GATES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_L05_L14_L15_L22_L23_L29_truth_tables(name):
    g = gate(name)
    table = g.truth_table()
    assert table.outputs.tolist() == EXPECTED[name]
    rows = [(0,), (1,)] if g.n_inputs == 1 else ROWS
    assert table.inputs.tolist() == [list(r) for r in rows]
    assert [g(*r) for r in rows] == EXPECTED[name]
    assert g.predict(rows).tolist() == EXPECTED[name]


def test_L14_L22_exact_weights_by_hand():
    """[beta . x + beta0 > 0] evaluated by hand with the notes' betas."""
    assert [int(-1 * x + 0.5 > 0) for x in (0, 1)] == gate("not_L14").truth_table().outputs.tolist()
    assert [int(a + b - 1.5 > 0) for a, b in ROWS] == gate("and_L14").truth_table().outputs.tolist()
    assert [int(a + b - 0.5 > 0) for a, b in ROWS] == gate("or_L14").truth_table().outputs.tolist()
    assert [int(-x + 0.5 > 0) for x in (0, 1)] == gate("not_L22").truth_table().outputs.tolist()


def test_L15_beta_is_the_notes_matrix_and_formula():
    assert BETA_XOR.tolist() == [[1, 1, -0.5], [1, 1, -1.5], [1, -2, -0.5]]
    by_formula = [int((a + b - 0.5 > 0) - 2 * (a + b - 1.5 > 0) - 0.5 > 0) for a, b in ROWS]
    assert by_formula == XOR == gate("xor_L15").truth_table().outputs.tolist()


def test_L28_sigmoid_and_matches_the_notes_values():
    out = gate("and_sigmoid_L28").truth_table().outputs
    by_hand = [1 / (1 + math.exp(-z)) for z in (-30, -10, -10, 10)]
    np.testing.assert_allclose(out, by_hand, rtol=1e-12)
    assert (out[:3] < 1e-4).all() and out[3] > 0.9999


def test_L29_sigmoid_xnor_is_near_binary():
    out = gate("xnor_sigmoid_L29").truth_table().outputs
    assert out[1] < 1e-4 and out[2] < 1e-4
    assert out[0] > 0.9999 and out[3] > 0.9999


def test_sigmoid_helper_is_stable():
    z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
    np.testing.assert_allclose(s[1:4], [1 / (1 + math.exp(30)), 0.5, 1 / (1 + math.exp(-30))])
    assert s[0] == 0.0 and s[4] == 1.0


@pytest.mark.parametrize("bad", [2, 0.5, -1])
def test_non_binary_input_to_a_gate(bad):
    with pytest.raises(ValueError, match=rf"expected binary inputs \(0 or 1\), got {bad}"):
        gate("xor_L15")(1, bad)
    with pytest.raises(ValueError, match="expected binary inputs"):
        gate("and_sigmoid_L28").predict([[0, 1], [bad, 1]])


def test_gate_input_errors():
    with pytest.raises(ValueError, match=r"xor_L15: expected 2 input bit\(s\), got 1"):
        gate("xor_L15")(1)
    with pytest.raises(ValueError, match=r"expected 1 feature\(s\) per sample"):
        gate("not_L22").predict(ROWS)
    with pytest.raises(ValueError, match="finite"):
        gate("or_L22").predict([[np.nan, 1]])
    with pytest.raises(ValueError, match="Unknown gate 'xor_L51'. Did you mean 'xor_L15'"):
        gate("xor_L51")


def test_gate_lookup_ignores_case_and_underscores():
    assert gate("XOR_l15") is gate("xorl15") is gates()["xor_L15"]


def test_format_truth_tables_lists_every_gate():
    text = format_truth_tables()
    blocks = text.split("\n\n")
    assert len(blocks) == len(gates())
    for block, (name, g) in zip(blocks, gates().items(), strict=True):
        lines = block.splitlines()
        assert lines[0].startswith(f"{name}  (lecture {g.lecture})")
        assert len(lines) == 2 + 2**g.n_inputs
        last_cells = [line.split()[-1] for line in lines[2:]]
        if name in EXPECTED:
            assert last_cells == [str(v) for v in EXPECTED[name]]


# ---- L11: which w2 make tau(w0 + w1 x1 + w2 x2) a NAND gate ----


def _is_nand(w0, w1, w2):
    """Brute force: the neuron's truth table, tau(z) = [z >= 0], against NAND."""
    return [int(w0 + w1 * a + w2 * b >= 0) for a, b in ROWS] == NAND


def test_L11_quiz_answer():
    interval = nand_interval(1, -0.3)
    assert (interval.low, interval.high) == (-1.0, pytest.approx(-0.7))
    assert interval.low_closed and not interval.high_closed
    assert str(interval) == "[-1, -0.7)"
    for w2 in (-1, -0.8):
        assert w2 in interval and _is_nand(1, -0.3, w2)
    for w2 in (-0.7, -1.01):
        assert w2 not in interval and not _is_nand(1, -0.3, w2)


def test_L11_interval_agrees_with_brute_force_on_a_grid():
    w2_grid = np.concatenate([np.linspace(-3, 3, 1201), [-1.0, -0.7, -0.3, 0.0]])
    rng = np.random.default_rng(11)
    pairs = [(1.0, -0.3), (0.0, 0.0), (1.0, 0.0), (1.0, 0.5), (-0.5, -0.2), (1.0, -1.5)]
    pairs += [tuple(rng.uniform(-2, 2, size=2).round(2)) for _ in range(30)]
    for w0, w1 in pairs:
        ends = np.array([-w0, -(w0 + w1)])
        grid = np.concatenate(
            [w2_grid, ends, np.nextafter(ends, -np.inf), np.nextafter(ends, np.inf)]
        )
        interval = nand_interval(w0, w1)
        hits = [float(w2) for w2 in grid if _is_nand(w0, w1, float(w2))]
        assert [float(w2) for w2 in grid if float(w2) in interval] == hits, (w0, w1)
        if interval.is_empty:
            assert hits == []


def test_L11_empty_cases():
    for w0, w1 in [(-0.1, -1.0), (1.0, -1.5), (1.0, 0.0), (1.0, 2.0)]:
        interval = nand_interval(w0, w1)
        assert interval.is_empty and str(interval) == "{}"
        assert 0.0 not in interval and -w0 not in interval


def test_L11_errors():
    with pytest.raises(TypeError, match="w0: expected a number, got str"):
        nand_interval("1", -0.3)
    with pytest.raises(ValueError, match="w1: expected a finite number, got nan"):
        nand_interval(1, float("nan"))


def test_interval_membership_and_text():
    closed = Interval(0.0, 1.0)
    assert 0.0 in closed and 1.0 in closed and 1.5 not in closed
    opened = Interval(0.0, 1.0, low_closed=False, high_closed=False)
    assert 0.0 not in opened and 0.5 in opened and str(opened) == "(0, 1)"
    assert Interval(2.0, 2.0).is_empty is False and 2.0 in Interval(2.0, 2.0)
    assert Interval(2.0, 1.0).is_empty and Interval.empty().is_empty

"""``rosenblatt explain``, ``gates`` and ``perceptron`` (lectures 000, 002, 003, 004)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rosenblatt.classic import gates

from rosenblatt.cli import main

ROOT = Path(__file__).resolve().parents[1]
BOOLEAN = {
    "not": lambda a, b=0: 1 - a,
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: 1 - (a & b),
    "xor": lambda a, b: a ^ b,
    "xnor": lambda a, b: 1 - (a ^ b),
}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def truth_blocks(text):
    """{gate name: [(inputs, output), ...]} parsed from the printed tables."""
    blocks = {}
    for block in text.strip().split("\n\n"):
        header, _, *rows = block.splitlines()
        name = header.split()[0]
        parsed = []
        for row in rows:
            *bits, out = row.split()
            parsed.append((tuple(int(b) for b in bits), float(out)))
        blocks[name] = parsed
    return blocks


def reference_mistakes(X, d, alpha, max_epochs):
    """The perceptron rule written out: w, T from zero, labels {0, 1}, rows in order."""
    w, T, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        mistakes = 0
        for x, target in zip(X, d, strict=True):
            out = 1 if w @ x - T >= 0 else 0
            if out != target:
                w, T = w + alpha * (target - out) * x, T - alpha * (target - out)
                mistakes += 1
        errors.append(mistakes)
        if mistakes == 0:
            break
    return errors


TRUTH = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "xor": [0, 1, 1, 0],
}


def gate_rows(gate):
    if gate == "not":
        return np.array([[0], [1]]), [1, 0]
    return np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), TRUTH[gate]


def epoch_table(out):
    return [int(m) for m in re.findall(r"^\s+\d+\s+(\d+)$", out, flags=re.MULTILINE)]


# ---------------------------------------------------------------------------- gates
def test_gates_prints_every_truth_table(capsys):
    code, out, err = run(capsys, "gates")
    assert (code, err) == (0, "")
    blocks = truth_blocks(out)
    assert list(blocks) == list(gates())
    for name, rows in blocks.items():
        kind = name.split("_")[0]
        expected_rows = [(0,), (1,)] if kind == "not" else [(0, 0), (0, 1), (1, 0), (1, 1)]
        assert [bits for bits, _ in rows] == expected_rows
        for bits, value in rows:
            bit = (value + 1) / 2 if "pm1" in name else round(value)
            assert bit == BOOLEAN[kind](*bits), (name, bits, value)


def test_python_dash_m_rosenblatt_gates():
    result = subprocess.run(
        [sys.executable, "-m", "rosenblatt", "gates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "xor_L15  (lecture 002)" in result.stdout
    assert truth_blocks(result.stdout)["xor_L15"] == [
        ((0, 0), 0),
        ((0, 1), 1),
        ((1, 0), 1),
        ((1, 1), 0),
    ]


# ---------------------------------------------------------------------------- perceptron
@pytest.mark.parametrize("gate", ["and", "or", "nand", "not"])
def test_perceptron_converges_on_separable_gates(capsys, gate):
    code, out, err = run(capsys, "perceptron", "--gate", gate)
    assert (code, err) == (0, "")
    X, d = gate_rows(gate)
    expected = reference_mistakes(X, d, 1.0, 20)
    assert epoch_table(out) == expected and expected[-1] == 0
    assert f"converged in epoch {len(expected)}" in out
    assert "not converged" not in out and "<- wrong" not in out


def test_perceptron_on_and_converges_in_epoch_6(capsys):
    # By hand from w = 0, T = 0, alpha = 1: mistakes 2, 3, 3, 2, 1, 0 (lecture example L03).
    _, out, _ = run(capsys, "perceptron", "--gate", "and")
    assert epoch_table(out) == [2, 3, 3, 2, 1, 0]
    assert "converged in epoch 6" in out


def test_perceptron_fails_on_xor(capsys):
    code, out, err = run(capsys, "perceptron", "--gate", "xor", "--epochs", "7")
    assert (code, err) == (0, "")
    mistakes = epoch_table(out)
    assert len(mistakes) == 7 and min(mistakes) > 0
    assert mistakes == reference_mistakes(*gate_rows("xor"), 1.0, 7)
    assert "not converged after 7 epochs" in out
    assert "XOR is not linearly separable" in out


def test_perceptron_options_reach_the_rule(capsys):
    _, out, _ = run(capsys, "perceptron", "--gate", "or", "--learning-rate", "0.5")
    assert epoch_table(out) == reference_mistakes(*gate_rows("or"), 0.5, 20)
    assert "w <- w + 0.5 (d - y) x" in out
    _, first, _ = run(
        capsys, "perceptron", "--gate", "nand", "--shuffle", "--init", "random", "--seed", "4"
    )
    _, second, _ = run(
        capsys, "perceptron", "--gate", "nand", "--shuffle", "--init", "random", "--seed", "4"
    )
    assert first == second and "init='random', shuffle=True" in first


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--epochs", "0"], "--epochs: expected an integer > 0, got 0"),
        (["--learning-rate", "-1"], "--learning-rate: expected a number > 0, got -1.0"),
    ],
)
def test_perceptron_bad_options(capsys, argv, message):
    code, out, err = run(capsys, "perceptron", *argv)
    assert code == 2 and out == ""
    assert message in err


def test_perceptron_unknown_gate_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit) as info:
        main(["perceptron", "--gate", "xnor"])
    assert info.value.code == 2
    assert "invalid choice: 'xnor'" in capsys.readouterr().err


# ---------------------------------------------------------------------------- explain
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_explain_default_network(capsys):
    from rosenblatt.cli.classic import DEFAULT_BIASES, DEFAULT_KERNELS

    code, out, err = run(capsys, "explain")
    assert (code, err) == (0, "")
    assert "2-2-1 network, activations: sigmoid, sigmoid" in out
    assert "o(0) = x = [1, 0]" in out
    (W1, W2), (b1, b2) = map(np.asarray, DEFAULT_KERNELS), map(np.asarray, DEFAULT_BIASES)
    o1 = sigmoid(np.array([1.0, 0.0]) @ W1 + b1)
    h = sigmoid(o1 @ W2 + b2)
    delta2 = (h - 1) * h * (1 - h)
    assert f"h = o(2) = [{h[0]:.5g}],  y = [1]" in out
    assert f"E = 1/2 ||h - y||^2 = {0.5 * (h[0] - 1) ** 2:.5g}" in out
    assert f"= [{delta2[0]:.5g}]" in out
    assert "Theta(l-1) = W^T" in out


def test_explain_options(capsys):
    code, out, _ = run(
        capsys, "explain", "--hidden", "3", "2", "--activation", "tanh", "--seed", "1"
    )
    assert code == 0
    assert "2-3-2-1 network, activations: tanh, tanh, tanh" in out
    assert "delta(3) = (h - y) * g'(p(3))" in out and "dE/dTheta(0)_ij" in out
    _, again, _ = run(
        capsys, "explain", "--hidden", "3", "2", "--activation", "tanh", "--seed", "1"
    )
    _, other, _ = run(
        capsys, "explain", "--hidden", "3", "2", "--activation", "tanh", "--seed", "2"
    )
    assert again == out and other != out
    _, single, _ = run(capsys, "explain", "--hidden", "--x", "1", "2", "3", "--y", "0", "1")
    assert "3-2 network" in single and "p(2)" not in single


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--hidden", "0"], "--hidden: expected an integer > 0, got 0"),
        (["--activation", "softmax"], "expected an elementwise activation"),
        (["--activation", "sigmod"], "Did you mean 'sigmoid'"),
    ],
)
def test_explain_bad_options(capsys, argv, message):
    code, out, err = run(capsys, "explain", *argv)
    assert code == 2 and out == ""
    assert message in err

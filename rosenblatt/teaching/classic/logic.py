"""The logic-gate networks of the notes, each with the exact weights the notes give.

Every gate is a :class:`Gate`: call it on bits (``gate(1, 0)``), on rows of bits
(``gate.predict(X)``), or print its :meth:`Gate.truth_table`. Gate names end in the id of the
worked example they reproduce (see ``LECTURE_EXAMPLES.md``); :func:`gates` returns them all.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.gates import binary_rows
from rosenblatt.base.registry import Registry

from ._common import TruthTable, as_binary, check_n_features


def step(z: np.ndarray) -> np.ndarray:
    """Strict step ``[z > 0]`` of lectures 002 and 003: 1 where z > 0, else 0.

    >>> step(np.array([-0.5, 0.0, 0.5])).tolist()
    [0, 0, 1]
    """
    return (z > 0).astype(np.int64)


def tau(z: np.ndarray) -> np.ndarray:
    """Step ``tau(z) = [z >= 0]`` of lectures 000 and 001: 1 where z >= 0, else 0.

    >>> tau(np.array([-0.5, 0.0, 0.5])).tolist()
    [0, 1, 1]
    """
    return (z >= 0).astype(np.int64)


def sign(z: np.ndarray) -> np.ndarray:
    """``sign(z)`` of lecture 004 with outputs in {-1, 1}: 1 where z >= 0, else -1.

    >>> sign(np.array([-0.5, 0.0, 0.5])).tolist()
    [-1, 1, 1]
    """
    return np.where(z >= 0, 1, -1)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic ``g(z) = 1 / (1 + exp(-z))`` of lecture 004, computed without overflow.

    >>> sigmoid(np.array([0.0])).tolist()
    [0.5]
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Gate:
    """A Boolean function computed by a small network of neurons with fixed weights.

    **Formula**: given by ``formula`` (e.g. ``[x1 + x2 - 3/2 > 0]``), where ``[.]`` is 1 when
    the condition holds and 0 otherwise.

    Args:
        name: registry name, e.g. ``'and_L22'``.
        n_inputs: number of binary inputs (1 or 2 here).
        function: maps an int array of bits (n, n_inputs) to the outputs (n,).
        formula: the network as the notes write it.
        lecture: the seed file it comes from (``'000'`` ... ``'004'``).

    >>> g = gate("and_L22")
    >>> g(1, 1), g(1, 0)
    (1, 0)
    """

    def __init__(self, name: str, n_inputs: int, function, formula: str, lecture: str):
        self.name = name
        self.n_inputs = n_inputs
        self.function = function
        self.formula = formula
        self.lecture = lecture

    def predict(self, X) -> np.ndarray:
        """Outputs (n,) for the rows of bits ``X`` (n, n_inputs); non-binary input is an error."""
        X = as_binary(X, "X")
        check_n_features(X, self.n_inputs)
        return self.function(X)

    def __call__(self, *bits):
        """The output for one input combination, e.g. ``gate(0, 1)``."""
        if len(bits) != self.n_inputs:
            raise ValueError(
                f"{self.name}: expected {self.n_inputs} input bit(s), got {len(bits)}: {bits}"
            )
        out = self.predict([bits])[0]
        return out.item()

    def truth_table(self) -> TruthTable:
        """Inputs (2**n_inputs, n_inputs) in counting order and the outputs for each row."""
        rows = binary_rows(self.n_inputs)
        return TruthTable(rows, self.function(rows))

    def __repr__(self) -> str:
        return f"Gate({self.name!r}: {self.formula}, lecture {self.lecture})"


def _unit(X: np.ndarray, weights, bias: float) -> np.ndarray:
    """The pre-activation ``z = X @ weights + bias`` of one neuron."""
    return X @ np.asarray(weights, dtype=np.float64) + bias


# L14, lecture 002: output [beta . x + beta0 > 0] with NOT beta1 = -1, beta0 = 0.5;
# AND (1, 1, -1.5); OR (1, 1, -0.5)
def _not_l14(X):
    return step(_unit(X, [-1.0], 0.5))


def _and_l14(X):
    return step(_unit(X, [1.0, 1.0], -1.5))


def _or_l14(X):
    return step(_unit(X, [1.0, 1.0], -0.5))


# L15, lecture 002: rows 1-2 of beta are the hidden neurons, row 3 the output neuron.
BETA_XOR = np.array([[1.0, 1.0, -0.5], [1.0, 1.0, -1.5], [1.0, -2.0, -0.5]])


def _xor_l15(X):
    hidden = step(X @ BETA_XOR[:2, :2].T + BETA_XOR[:2, 2])
    return step(hidden @ BETA_XOR[2, :2] + BETA_XOR[2, 2])


# L22, lecture 003
def _and_l22(X):
    return step(X[:, 0] + X[:, 1] - 3 / 2)


def _or_l22(X):
    return step(X[:, 0] + X[:, 1] - 1 / 2)


def _not_l22(X):
    return step(-X[:, 0] + 1 / 2)


# L23, lecture 003: a nonlinear feature, or OR minus AND in a second layer
def _xor_feature_l23(X):
    x1, x2 = X[:, 0], X[:, 1]
    return step(x1 + x2 - 2 * x1 * x2 - 1 / 2)


def _xor_or_and_l23(X):
    return step(_or_l22(X) - _and_l22(X) - 1 / 2)


# L11, lecture 001: tau(w0 + w1 x1 + w2 x2) with w0 = 1, w1 = -0.3 and w2 = -0.8 from [-1, -0.7)
def _nand_l11(X):
    return tau(_unit(X, [-0.3, -0.8], 1.0))


# L05, lecture 000: two perceptrons y = [sum w_i x_i - T >= 0]. The first computes
# h = x1 AND x2 (w = (1, 1), T = 2); the second sees x1, x2 and h (w = (1, 1, -2), T = 1).
def _xor_l05(X):
    h = tau(_unit(X, [1.0, 1.0], -2.0))
    return tau(_unit(np.column_stack([X, h]), [1.0, 1.0, -2.0], -1.0))


# L28, lecture 004: AND as g(-30 + 20 x1 + 20 x2), g the sigmoid
def _and_sigmoid_l28(X):
    return sigmoid(_unit(X, [20.0, 20.0], -30.0))


# L29, lecture 004: XOR with targets in {-1, 1} and bias input x0 = 1: sign units
# h1 = sign(w . (x0, x1, x2)) with w = (-0.5, 1, 1) (OR), h2 with w = (-1.5, 1, 1) (AND),
# output sign(w . (x0, h1, h2)) with w = (-1, 1, -1): +1 exactly when h1 = 1 and h2 = -1.
def _xor_pm1_l29(X):
    x = np.column_stack([np.ones(len(X)), X])
    h1 = sign(x @ [-0.5, 1.0, 1.0])
    h2 = sign(x @ [-1.5, 1.0, 1.0])
    return sign(np.column_stack([np.ones(len(X)), h1, h2]) @ [-1.0, 1.0, -1.0])


# L29, lecture 004: NOT(A XOR B) = (A AND B) OR ((NOT A) AND (NOT B)), built from the step
# gates of lecture 002 (L14) ...
def _xnor_l29(X):
    a, b = X[:, :1], X[:, 1:]
    both = _and_l14(X)
    neither = _and_l14(np.column_stack([_not_l14(a), _not_l14(b)]))
    return _or_l14(np.column_stack([both, neither]))


# ... and from the sigmoid units of lecture 004: AND (-30, 20, 20), (NOT A) AND (NOT B)
# (10, -20, -20) and OR (-10, 20, 20).
def _xnor_sigmoid_l29(X):
    hidden = np.column_stack(
        [sigmoid(_unit(X, [20.0, 20.0], -30.0)), sigmoid(_unit(X, [-20.0, -20.0], 10.0))]
    )
    return sigmoid(_unit(hidden, [20.0, 20.0], -10.0))


_GATES = Registry("gate")
for _gate in (
    Gate("not_L14", 1, _not_l14, "[-x1 + 0.5 > 0]", "002"),
    Gate("and_L14", 2, _and_l14, "[x1 + x2 - 1.5 > 0]", "002"),
    Gate("or_L14", 2, _or_l14, "[x1 + x2 - 0.5 > 0]", "002"),
    Gate(
        "xor_L15",
        2,
        _xor_l15,
        "[(x1 + x2 - 0.5 > 0) - 2 (x1 + x2 - 1.5 > 0) - 0.5 > 0], "
        "beta = [[1, 1, -0.5], [1, 1, -1.5], [1, -2, -0.5]]",
        "002",
    ),
    Gate("and_L22", 2, _and_l22, "[x1 + x2 - 3/2 > 0]", "003"),
    Gate("or_L22", 2, _or_l22, "[x1 + x2 - 1/2 > 0]", "003"),
    Gate("not_L22", 1, _not_l22, "[-x1 + 1/2 > 0]", "003"),
    Gate("xor_feature_L23", 2, _xor_feature_l23, "[x1 + x2 - 2 x1 x2 - 1/2 > 0]", "003"),
    Gate("xor_or_and_L23", 2, _xor_or_and_l23, "[(x1 OR x2) - (x1 AND x2) - 1/2 > 0]", "003"),
    Gate("nand_L11", 2, _nand_l11, "tau(1 - 0.3 x1 - 0.8 x2), tau(z) = [z >= 0]", "001"),
    Gate("xor_L05", 2, _xor_l05, "h = [x1 + x2 - 2 >= 0]; [x1 + x2 - 2 h - 1 >= 0]", "000"),
    Gate("and_sigmoid_L28", 2, _and_sigmoid_l28, "g(-30 + 20 x1 + 20 x2)", "004"),
    Gate(
        "xor_pm1_L29",
        2,
        _xor_pm1_l29,
        "x0 = 1; h1 = sign(-0.5 x0 + x1 + x2), h2 = sign(-1.5 x0 + x1 + x2); "
        "sign(-x0 + h1 - h2), outputs in {-1, 1}",
        "004",
    ),
    Gate("xnor_L29", 2, _xnor_l29, "(A AND B) OR ((NOT A) AND (NOT B)), step gates", "004"),
    Gate(
        "xnor_sigmoid_L29",
        2,
        _xnor_sigmoid_l29,
        "g(-10 + 20 g(-30 + 20 x1 + 20 x2) + 20 g(10 - 20 x1 - 20 x2))",
        "004",
    ),
):
    _GATES.add(_gate.name, _gate)


def gates() -> dict[str, Gate]:
    """Every gate of the notes by name, in lecture-example order.

    >>> list(gates())[:3]
    ['not_L14', 'and_L14', 'or_L14']
    """
    return {name: _GATES.lookup(name) for name in _GATES.names()}


def gate(name: str) -> Gate:
    """The gate called ``name`` (case and underscores ignored); unknown names list the valid ones.

    >>> gate("xor_L15").truth_table().outputs.tolist()
    [0, 1, 1, 0]
    """
    return _GATES.lookup(name)


def format_truth_tables() -> str:
    """The truth table of every gate in :func:`gates`, with its formula and lecture, as text.

    >>> print(format_truth_tables().splitlines()[0])
    not_L14  (lecture 002): [-x1 + 0.5 > 0]
    """
    blocks = []
    for g in gates().values():
        header = f"{g.name}  (lecture {g.lecture}): {g.formula}"
        blocks.append(header + "\n" + g.truth_table().format(output_name=g.name))
    return "\n\n".join(blocks)

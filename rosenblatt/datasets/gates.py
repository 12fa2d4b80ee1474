"""The logic gates as data sets, the first of the notes (their truth values: base.gates)."""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import check_choice
from rosenblatt.base.gates import TRUTH_VALUES, truth_table
from rosenblatt.base.registry import Registry

GATES = Registry("logic gate")
for _name, _column in TRUTH_VALUES.items():
    GATES.add(_name, _column)


def logic_gate(name: str, encoding: str = "binary"):
    """The truth table of a logic gate as a data set.

    **Formula**: rows (x1, x2) = 00, 01, 10, 11 (NOT: x = 0, 1) with the gate's output d(x);
    with ``encoding='bipolar'`` inputs and labels are mapped v -> 2 v - 1, so {0, 1} -> {-1, 1}.

    Args:
        name: 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR' or 'NOT' (any case).
        encoding: 'binary' ({0, 1}) or 'bipolar' ({-1, 1}).

    Returns:
        x: float32 array (4, 2), or (2, 1) for NOT; y: int64 array (4,) or (2,).

    >>> x, y = logic_gate("xor")
    >>> x.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    >>> logic_gate("and", encoding="bipolar")[1].tolist()
    [-1, -1, -1, 1]

    Lectures 000 and 004 (McCulloch-Pitts and perceptron gates, L01, L03, L04, L29).
    """
    x, y = truth_table(GATES.lookup(name))
    check_choice(encoding, "encoding", ("binary", "bipolar"))
    if encoding == "bipolar":
        x, y = 2 * x - 1, 2 * y - 1
    return x.astype(np.float32), y

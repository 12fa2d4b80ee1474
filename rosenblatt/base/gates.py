"""The logic gates' truth values, written once for the data sets and the classic neurons.

A gate of k inputs is its column of 2**k outputs, one per input row in counting order (00, 01,
10, 11; NOT: 0, 1). ``rosenblatt.datasets.logic_gate`` and ``rosenblatt.classic.gate_data``
both build their tables from :data:`TRUTH_VALUES` with :func:`truth_table`.

>>> x, y = truth_table(TRUTH_VALUES["XOR"])
>>> x.tolist(), y.tolist()
([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])

Lectures 000 to 004 (the truth tables of AND, OR, NAND, NOR, XOR, XNOR and NOT).
"""

from __future__ import annotations

import itertools

import numpy as np

TRUTH_VALUES: dict[str, tuple[int, ...]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
    "NOT": (1, 0),
}


# The most inputs a truth table is made for: 2^20 rows (160 MiB for 20 inputs). Its size
# doubles with every input, so a neuron of 64 inputs would need 2^64 rows; raise the limit
# (rosenblatt.base.gates.MAX_TABLE_INPUTS = ...) for a larger table on purpose.
MAX_TABLE_INPUTS = 20


def binary_rows(n_inputs: int) -> np.ndarray:
    """All 2**n_inputs rows of 0s and 1s in counting order, shape (2**n_inputs, n_inputs).

    >>> binary_rows(2).tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    """
    if n_inputs > MAX_TABLE_INPUTS:
        raise ValueError(
            f"n_inputs: a truth table of {n_inputs} inputs has 2^{n_inputs} rows, more than "
            f"the 2^{MAX_TABLE_INPUTS} of rosenblatt.base.gates.MAX_TABLE_INPUTS"
        )
    return np.array(list(itertools.product((0, 1), repeat=n_inputs)), dtype=np.int64)


def truth_table(outputs) -> tuple[np.ndarray, np.ndarray]:
    """The inputs (2**k, k) in counting order and the outputs (2**k,) of a column of 2**k
    outputs, both int64 arrays.

    >>> truth_table(TRUTH_VALUES["NOT"])[0].tolist()
    [[0], [1]]
    """
    outputs = np.array(outputs, dtype=np.int64)
    n_inputs = len(outputs).bit_length() - 1  # 2**k outputs: k inputs
    return binary_rows(n_inputs), outputs

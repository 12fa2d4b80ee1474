"""The notes' own neurons and learning rules, written out without autodiff.

- :class:`McCullochPitts`: threshold logic with excitatory and inhibitory inputs (L01);
- :class:`Hebbian`: ``w_xy <- w_xy + alpha x y`` (L02);
- :class:`Perceptron` and :func:`perceptron_report`: Rosenblatt's rule (L03, L04);
- :mod:`~rosenblatt.classic.logic`: the notes' gate networks with their exact weights
  (L05, L14, L15, L22, L23, L28, L29);
- :func:`nand_interval`: the weights that make one neuron a NAND gate (L11);
- :func:`least_squares` and :class:`LinearNeuron`: the closed-form linear neuron (L25).
"""

from ._common import TruthTable
from .interval import Interval, nand_interval
from .linear import LinearNeuron, least_squares
from .logic import Gate, format_truth_tables, gate, gates
from .neurons import Hebbian, McCullochPitts
from .perceptron import Perceptron, gate_data, perceptron_report

__all__ = [
    "Gate",
    "Hebbian",
    "Interval",
    "LinearNeuron",
    "McCullochPitts",
    "Perceptron",
    "TruthTable",
    "format_truth_tables",
    "gate",
    "gate_data",
    "gates",
    "least_squares",
    "nand_interval",
    "perceptron_report",
]

"""Pictures of everything the notes draw: decision boundaries in the playground's colours,
training histories, activations and their derivatives, gradient descent in one dimension,
weight histograms, the network as a graph, the layer graph, confusion matrices and digits.

matplotlib is an optional extra (``pip install "rosenblatt[plot]"``), imported only when a
picture is drawn. Every drawing function returns the ``matplotlib.figure.Figure`` and takes
``save=None`` or a path ending in .png or .svg to write the figure to. The helpers
:func:`plane_grid`, :func:`gradient_descent_path`, :func:`classify_step` and
:func:`confusion_counts` return numbers and need no matplotlib.
"""

from rosenblatt.plot.boundary import decision_boundary, plane_grid, scatter
from rosenblatt.plot.curves import ELEMENTWISE_ACTIVATIONS, activations, history
from rosenblatt.plot.descent import classify_step, gradient_descent_1d, gradient_descent_path
from rosenblatt.plot.graph import graph_layout, layer_graph
from rosenblatt.plot.images import confusion_counts, confusion_matrix, digits
from rosenblatt.plot.parameters import network, weights

__all__ = [
    "ELEMENTWISE_ACTIVATIONS",
    "activations",
    "classify_step",
    "confusion_counts",
    "confusion_matrix",
    "decision_boundary",
    "digits",
    "gradient_descent_1d",
    "gradient_descent_path",
    "graph_layout",
    "history",
    "layer_graph",
    "network",
    "plane_grid",
    "scatter",
    "weights",
]

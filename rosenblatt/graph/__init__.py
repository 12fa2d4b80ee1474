"""Lecture 004's neuron graphs g = {N, E} as models, computed level by level.

>>> from rosenblatt.graph import Graph
>>> Graph([(1, 2)], inputs=[1], outputs=[2], seed=0).count_params()
2
"""

from rosenblatt.graph.model import Graph

__all__ = ["Graph"]

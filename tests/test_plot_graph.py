"""rosenblatt.plot.network on a rosenblatt.graph.Graph: nodes by level, weighted edges with
their weights written on them, activations."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.collections import LineCollection  # noqa: E402

from rosenblatt import plot  # noqa: E402
from rosenblatt.graph import Graph  # noqa: E402

EDGES = [(1, 3), (2, 3), (1, 4), (2, 4), (1, 5), (2, 5), (3, 6), (4, 6), (5, 6), (1, 6)]


def test_graph_drawing_shows_edges_weights_and_activations(tmp_path):
    g = Graph(EDGES, inputs=[1, 2], outputs=[6], activation="tanh",
              activations={6: "sigmoid"}, seed=0)
    g.set_edge_weights({(1, 6): -2.5})
    fig = plot.network(g, save=tmp_path / "g.png")
    assert (tmp_path / "g.png").stat().st_size > 0
    ax = fig.axes[0]
    links = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(links) == 1 and len(links[0].get_segments()) == len(EDGES)
    widths = links[0].get_linewidths()
    assert np.argmax(widths) == EDGES.index((1, 6))  # the largest |w| is the widest edge
    texts = [t.get_text() for t in ax.texts]
    assert "-2.5" in texts
    assert texts.count("tanh") == 3 and texts.count("sigmoid") == 1
    assert {"1", "2", "3", "4", "5", "6", "inputs", "level 1", "level 2"} <= set(texts)


def test_large_graph_is_drawn_without_weight_labels():
    edges = [(f"x{k}", f"h{m}") for k in range(8) for m in range(8)]
    edges += [(f"h{m}", "y") for m in range(8)]
    g = Graph(edges, inputs=[f"x{k}" for k in range(8)], outputs=["y"], seed=0)
    texts = [t.get_text() for t in plot.network(g).axes[0].texts]
    assert not any(t.replace(".", "").replace("-", "").replace("e", "").isdigit()
                   for t in texts if t not in {str(k) for k in range(10)})

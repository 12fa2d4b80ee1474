"""The backprop explainer on graphs: each node's delta_i, against autodiff and against the
layer-by-layer explainer on the same network."""

import doctest

import numpy as np
import pytest
from rosenblatt.explain import explain
from rosenblatt.layers import Dense

import rosenblatt.teaching.explain_graph
from rosenblatt import Sequential, Tensor
from rosenblatt.graph import Graph

EDGES = [(1, 3), (2, 3), (1, 4), (2, 4), (3, 5), (4, 5), (1, 5), (3, 6), (2, 6)]


def _graph():
    return Graph(EDGES, inputs=[1, 2], outputs=[5, 6], activation="tanh",
                 activations={5: "sigmoid", 6: "linear"}, bias_initializer="glorot_uniform",
                 seed=4, dtype="float64")


def test_graph_gradients_equal_autodiff():
    g, x, y = _graph(), np.array([0.3, -1.2]), np.array([1.0, -0.5])
    trace = explain(g, x, y, print_fn=None)
    out = g(Tensor(x[None, :], dtype="float64"), training=True)
    error = ((out - Tensor(y[None, :])) ** 2).sum() * 0.5
    error.backward()
    assert trace.error == pytest.approx(float(error.data), rel=1e-12)
    for (j, i), grad in trace.weight_gradients.items():
        d, row, column = g._place[(j, i)]
        assert grad == pytest.approx(g.layers[d].kernel.grad[row, column], rel=1e-10)
    for level in g.layers:
        for k, node in enumerate(level.level.nodes):
            assert trace.bias_gradients[node] == pytest.approx(level.bias.grad[k], rel=1e-10)
    text = str(trace)
    assert "delta_6 = f_6'(a_6) ((z_6 - y_6)) =" in text
    assert "delta_3 = f_3'(a_3) (w_35 delta_5 + w_36 delta_6) =" in text


def test_graph_deltas_equal_the_layer_explainer_on_the_same_network():
    model = Sequential([Dense(3, activation="tanh", input_dim=2, dtype="float64",
                              bias_initializer="glorot_uniform"),
                        Dense(1, activation="sigmoid", dtype="float64")], seed=1)
    g = Graph.from_model(model)
    layers = explain(model, [0.5, 0.2], [1.0], print_fn=None)
    nodes = explain(g, [0.5, 0.2], [1.0], print_fn=None)
    np.testing.assert_allclose([nodes.delta[f"h1_{k}"] for k in (1, 2, 3)],
                               layers.layers[0].delta, rtol=1e-12)
    assert nodes.delta["y1"] == pytest.approx(layers.layers[1].delta[0], rel=1e-12)
    assert "dE/dw[x1 -> h1_1] =" in str(nodes)


def test_graph_explainer_errors():
    g = _graph()
    with pytest.raises(ValueError, match="x: expected 2 values"):
        explain(g, [1.0], [1.0, 0.0], print_fn=None)
    with pytest.raises(ValueError, match="y: expected 2 values"):
        explain(g, [1.0, 2.0], [1.0], print_fn=None)
    with pytest.raises(ValueError, match="biases: give biases only with a list of kernels"):
        explain(g, [1.0, 2.0], [1.0, 0.0], biases=[[0.0]], print_fn=None)
    soft = Graph([(1, 2), (1, 3)], [1], [2, 3], activation="softmax", seed=0)
    with pytest.raises(ValueError, match="graph: node 2 has activation 'softmax'"):
        explain(soft, [1.0], [1.0, 0.0], print_fn=None)


def test_docstring_examples():
    result = doctest.testmod(rosenblatt.teaching.explain_graph)
    assert result.attempted > 0 and result.failed == 0

"""rosenblatt.graph.Graph: lecture 004's g = {N, E} against its closed form, central
differences on random DAGs, conversions, files, and every validation error."""

import doctest
import math
import warnings

import numpy as np
import pytest
from rosenblatt.layers import Dense

import rosenblatt
import rosenblatt.graph.level
import rosenblatt.graph.model
import rosenblatt.graph.structure
from rosenblatt import Sequential, Tensor, callbacks, load_model
from rosenblatt.graph import Graph

NOTES_EDGES = [(1, 3), (2, 3), (1, 4), (2, 4), (1, 5), (2, 5), (3, 6), (4, 6), (5, 6)]
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def notes_graph(seed=0, dtype="float64"):
    return Graph(NOTES_EDGES, inputs=[1, 2], outputs=[6], activation="tanh",
                 activations={6: "sigmoid"}, bias_initializer="glorot_uniform", seed=seed,
                 dtype=dtype)


def test_L30_forward_is_the_notes_closed_form():
    g = notes_graph(seed=3)
    w, b = g.edge_weights, g.biases
    assert set(w) == set(NOTES_EDGES) and set(b) == {3, 4, 5, 6}
    x = np.random.default_rng(0).normal(size=(7, 2))
    x1, x2 = x[:, 0], x[:, 1]
    f = {i: np.tanh(b[i] + w[(1, i)] * x1 + w[(2, i)] * x2) for i in (3, 4, 5)}
    a6 = b[6] + w[(5, 6)] * f[5] + w[(4, 6)] * f[4] + w[(3, 6)] * f[3]
    expected = 1 / (1 + np.exp(-a6))
    np.testing.assert_allclose(g.predict(x)[:, 0], expected, rtol=1e-12)
    assert g.levels == [(3, 4, 5), (6,)]


def _random_dag(rng, n_inputs=3, n_hidden=6, n_outputs=2):
    names = [f"n{k}" for k in range(n_inputs + n_hidden + n_outputs)]
    inputs, rest = names[:n_inputs], names[n_inputs:]
    edges = []
    for k, node in enumerate(rest):
        earlier = names[:n_inputs + k]
        chosen = [j for j in earlier if rng.random() < 0.4] or [earlier[-1]]
        edges += [(j, node) for j in chosen]
    kinds = ["tanh", "sigmoid", "linear", "softplus", "swish"]
    own = {node: kinds[int(rng.integers(len(kinds)))] for node in rest}
    return edges, inputs, rest[-n_outputs:], own


def _loss(g, x, r):
    return float(np.sum(g.predict(x) * r))


@pytest.mark.parametrize("seed", range(6))
def test_gradients_match_central_differences_on_random_dags(seed):
    rng = np.random.default_rng(seed)
    edges, inputs, outputs, own = _random_dag(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a random DAG may have dangling nodes
        g = Graph(edges, inputs, outputs, activations=own, bias_initializer="glorot_uniform",
                  seed=seed, dtype="float64")
    assert any(len(level.level.blocks) > 1 for level in g.layers)  # skip edges
    x = rng.normal(size=(5, len(inputs)))
    r = rng.normal(size=(5, len(outputs)))
    out = g(Tensor(x, dtype="float64"), training=True)
    (out * Tensor(r)).sum().backward()
    h = 1e-6
    for level in g.layers:
        for (row, column) in level.level.places.values():
            entry = level.kernel.data
            saved = entry[row, column]
            entry[row, column] = saved + h
            up = _loss(g, x, r)
            entry[row, column] = saved - h
            down = _loss(g, x, r)
            entry[row, column] = saved
            assert level.kernel.grad[row, column] == pytest.approx((up - down) / (2 * h),
                                                                  rel=1e-6, abs=1e-8)
        assert np.all(level.kernel.grad[level.mask == 0] == 0)  # absent edges: no gradient
        for k in range(len(level.level.nodes)):
            saved = level.bias.data[k]
            level.bias.data[k] = saved + h
            up = _loss(g, x, r)
            level.bias.data[k] = saved - h
            down = _loss(g, x, r)
            level.bias.data[k] = saved
            assert level.bias.grad[k] == pytest.approx((up - down) / (2 * h), rel=1e-6,
                                                       abs=1e-8)


def _xor_graph(seed):
    """The minimal XOR graph: one hidden node 3 and direct edges from the inputs to 4."""
    g = Graph([(1, 3), (2, 3), (1, 4), (2, 4), (3, 4)], inputs=[1, 2], outputs=[4], seed=seed)
    g.compile(rosenblatt.optimizers.Adam(learning_rate=0.1), "binary_crossentropy")
    return g


def test_every_batch_mode_and_callbacks_train_a_graph():
    for batch_size in (None, 1, 2):
        g = _xor_graph(0)
        stop = callbacks.EarlyStopping(monitor="loss", patience=1000)
        history = g.fit(XOR_X, XOR_Y, batch_size=batch_size, epochs=20, verbose=0,
                        callbacks=[stop])
        losses = history.history["loss"]
        assert len(losses) == 20 and losses[-1] < losses[0]
    g.compile("sgd", "mean_squared_error", metrics=["accuracy"])
    assert len(g.evaluate(XOR_X, XOR_Y)) == 2


def test_edge_weights_and_biases_set_and_refused_calls_change_nothing():
    g = notes_graph()
    g.set_edge_weights({(1, 3): 0.25})
    g.set_biases({6: -1.0})
    assert g.edge_weights[(1, 3)] == 0.25 and g.biases[6] == -1.0
    before = g.get_weights()
    with pytest.raises(ValueError, match=r"weights: \(1, 6\) is not an edge"):
        g.set_edge_weights({(1, 4): 9.0, (1, 6): 1.0})
    with pytest.raises(TypeError, match="weights: expected a real number for"):
        g.set_edge_weights({(1, 4): "9"})
    with pytest.raises(ValueError, match="weights: expected a finite number"):
        g.set_edge_weights({(1, 4): math.inf})
    with pytest.raises(TypeError, match="weights: expected a dict"):
        g.set_edge_weights([1.0])
    with pytest.raises(ValueError, match="biases: 1 is not a node"):
        g.set_biases({3: 1.0, 1: 1.0})
    for a, b in zip(before, g.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    no_bias = Graph([(1, 2)], [1], [2], use_bias=False, seed=0)
    with pytest.raises(ValueError, match="biases: this graph has no biases"):
        no_bias.set_biases({2: 1.0})


def test_set_weights_keeps_absent_edges_at_zero():
    g = Graph([(1, 3), (3, 4), (1, 4), (2, 4)], [1, 2], [4], seed=0)
    g.set_weights([np.ones_like(w) for w in g.get_weights()])
    assert all(v == 1.0 for v in g.edge_weights.values())
    assert g.get_weights()[2].sum() == 3  # level 2 reads [1, 2, 3]: three edges, not more


def test_from_model_and_to_model_give_identical_predictions():
    model = Sequential([Dense(5, activation="relu", input_dim=3), Dense(4, activation="tanh"),
                        Dense(2, activation="softmax")], seed=1)
    g = Graph.from_model(model)
    x = np.random.default_rng(0).normal(size=(9, 3)).astype("float32")
    np.testing.assert_array_equal(g.predict(x), model.predict(x))
    assert g.count_params() == model.count_params()
    back = g.to_model()
    np.testing.assert_array_equal(back.predict(x), model.predict(x))
    with pytest.raises(ValueError, match="to_model: the graph is not layered"):
        Graph([(1, 3), (3, 4), (1, 4)], [1], [4], seed=0).to_model()
    with pytest.raises(ValueError, match="model: expected a built model made of Dense"):
        Graph.from_model("model")


def test_a_layered_graph_trains_as_its_sequential_does():
    model = Sequential([Dense(6, activation="tanh", input_dim=2),
                        Dense(1, activation="sigmoid")], seed=2)
    g = Graph.from_model(model)
    assert g.chain() is not None and g.output_layer().kernel is g.layers[-1].kernel
    for net in (model, g):
        net.compile("adam", "binary_crossentropy")
        net.fit(XOR_X, XOR_Y, batch_size=2, epochs=5, shuffle=False, verbose=0)
    np.testing.assert_allclose(g.predict(XOR_X), model.predict(XOR_X), rtol=1e-6)
    g.layers[0].trainable = False
    before = g.get_weights()[0]
    g.compile("adam", "binary_crossentropy")
    g.fit(XOR_X, XOR_Y, epochs=2, verbose=0)
    np.testing.assert_array_equal(g.get_weights()[0], before)
    assert Graph([(1, 3), (3, 4), (1, 4)], [1], [4], seed=0).chain() is None


def test_save_and_load_round_trip(tmp_path):
    g = notes_graph(seed=2, dtype=None)
    g.compile("adam", "binary_crossentropy")
    g.fit(XOR_X, XOR_Y, epochs=3, verbose=0)
    path = tmp_path / "g.npz"
    g.save(path)
    loaded = load_model(path)
    assert type(loaded) is Graph and loaded.edge_weights == g.edge_weights
    np.testing.assert_array_equal(loaded.predict(XOR_X), g.predict(XOR_X))
    loaded.fit(XOR_X, XOR_Y, epochs=2, verbose=0, shuffle=False)
    g.fit(XOR_X, XOR_Y, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_array_equal(loaded.predict(XOR_X), g.predict(XOR_X))
    named = Graph([(("a", 1), "b")], [("a", 1)], ["b"], seed=0)
    with pytest.raises(TypeError, match="save: node \\('a', 1\\) is a tuple"):
        named.save(tmp_path / "named.npz")
    assert not (tmp_path / "named.npz").exists()


def test_summary_names_nodes_edges_and_parameters():
    text = notes_graph().summary(print_fn=None)
    assert "Nodes: 6 (2 inputs, 3 hidden, 1 outputs)" in text
    assert "Edges: 9" in text and "Total params: 13" in text
    assert "level 1: 3, 4, 5 (tanh)" in text and "level 2: 6 (sigmoid)" in text


@pytest.mark.parametrize(("edges", "inputs", "outputs", "kwargs", "error", "match"), [
    ([(1, 2), (2, 3), (3, 2)], [1], [3], {}, ValueError, "edges: the graph has a cycle through "
     "nodes 2 -> 3 -> 2|edges: the graph has a cycle through nodes 3 -> 2 -> 3"),
    ([(1, 2), (2, 1)], [1], [2], {}, ValueError, r"edges: edge \(2, 1\) goes into the input"),
    ([(1, 2), (3, 4)], [1], [4], {}, ValueError, "outputs: node 4 cannot be reached from the"),
    ([(1, 2)], [1], [2], {"activations": {9: "tanh"}}, ValueError,
     "activations: node 9 is not in the graph"),
    ([(1, 2)], [1], [2], {"activations": {1: "tanh"}}, ValueError,
     "activations: node 1 is an input"),
    ([(1, 2), (1, 2)], [1], [2], {}, ValueError, r"edges: the edge \(1, 2\) is listed twice"),
    ([(1, 2)], [1, 1], [2], {}, ValueError, "inputs: node 1 is listed twice"),
    ([(1, 2)], [1], [7], {}, ValueError, "outputs: node 7 is not in the graph"),
    ([(1, 2)], [1], [1], {}, ValueError, "outputs: node 1 is an input"),
    ([(1, 2), (3, 2)], [1], [2], {}, ValueError, "edges: node 3 has no incoming edge"),
    ([(1, 2, 3)], [1], [2], {}, TypeError, r"edges: expected \(j, i\) pairs"),
    ("12", [1], [2], {}, TypeError, "edges: expected a list of"),
    ([(1, 2)], [], [2], {}, ValueError, "inputs: expected at least one node"),
    ([(1, 2)], [1], [2], {"activations": [1]}, TypeError, "activations: expected a dict"),
])
def test_validation_errors(edges, inputs, outputs, kwargs, error, match):
    with pytest.raises(error, match=match):
        Graph(edges, inputs, outputs, **kwargs)


def test_dangling_hidden_nodes_are_reported():
    with pytest.warns(UserWarning, match="hidden node\\(s\\) 5 do not lie on a path"):
        g = Graph([(1, 2), (1, 5)], [1], [2], seed=0)
    assert g.dangling == (5,)
    assert "Dangling hidden nodes: 5" in g.summary(print_fn=None)


@pytest.mark.parametrize("module", [rosenblatt.graph.model, rosenblatt.graph.level,
                                    rosenblatt.graph.structure, rosenblatt.graph])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0

"""``rosenblatt explain --model PATH``: a saved neuron graph explained node by node (lecture 004),
a saved Sequential layer by layer (lecture 000), checked against the library's explainer and
against central differences in float64 of an independent forward pass."""

from __future__ import annotations

import re

import numpy as np
import pytest
from rosenblatt.explain import explain
from rosenblatt.layers import Dense, Input

import rosenblatt as rb
from rosenblatt.cli import main
from rosenblatt.graph import Graph

# Two inputs, two hidden nodes, two outputs; a skip edge 1 -> 5, mixed activations.
EDGES = [(1, 3), (2, 3), (1, 4), (2, 4), (3, 5), (4, 5), (1, 5), (3, 6), (2, 6)]
ACTIVATION = {3: "tanh", 4: "tanh", 5: "sigmoid", 6: "linear"}
F = {"tanh": np.tanh, "sigmoid": lambda a: 1 / (1 + np.exp(-a)), "linear": lambda a: a}
X, Y = [0.3, -1.2], [1.0, -0.5]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _graph():
    return Graph(EDGES, inputs=[1, 2], outputs=[5, 6], activation="tanh",
                 activations={5: "sigmoid", 6: "linear"}, bias_initializer="glorot_uniform",
                 seed=4, dtype="float64")


@pytest.fixture
def graph_file(tmp_path):
    graph = _graph()
    path = tmp_path / "graph.npz"
    graph.save(path)
    return graph, path


def _forward(w, b, x, shift=None):
    """{node: (a_i, z_i)} of the notes' a_i = b_i + sum_j w_ji z_j, z_i = f_i(a_i), written
    from the edge list alone; ``shift`` adds a number to one node's a_i."""
    values = {1: (None, x[0]), 2: (None, x[1])}

    def visit(i):
        if i not in values:
            a = b[i] + sum(w[(j, k)] * visit(j) for j, k in EDGES if k == i)
            a += shift[1] if shift is not None and shift[0] == i else 0.0
            values[i] = (a, F[ACTIVATION[i]](a))
        return values[i][1]

    for node in ACTIVATION:
        visit(node)
    return values


def _error(w, b, x, y, shift=None):
    values = _forward(w, b, x, shift)
    return 0.5 * ((values[5][1] - y[0]) ** 2 + (values[6][1] - y[1]) ** 2)


def _printed(out: str):
    """The numbers the command printed: {node: z_i}, {node: delta_i}, {(j, i): dE/dw_ji}."""
    z = {int(i): float(v) for i, v in re.findall(r"^\s+z_(\d) = \S+ = (?:\S+ = )?(\S+)$",
                                                  out, re.M)}
    delta = {int(i): float(v) for i, v in re.findall(r"^\s+delta_(\d) = .* = (\S+)$", out, re.M)}
    grads = {(int(j), int(i)): float(v)
             for j, i, v in re.findall(r"^\s+dE/dw_(\d)(\d) = (\S+)$", out, re.M)}
    return z, delta, grads


def test_a_saved_graph_prints_the_library_explainer_trace(capsys, graph_file):
    graph, path = graph_file
    code, out, err = run(capsys, "explain", "--model", path, "--x", *X, "--y", *Y)
    assert (code, err) == (0, "")
    assert out == str(explain(graph, X, Y, print_fn=None)) + "\n"
    loaded = rb.load_model(path)
    assert out == str(explain(loaded, X, Y, print_fn=None)) + "\n"
    assert "Backpropagation on the graph g = {N, E} (lecture 004): 6 nodes, 9 edges" in out


def test_printed_deltas_equal_central_differences_of_the_pre_activations(capsys, graph_file):
    graph, path = graph_file
    _, out, _ = run(capsys, "explain", "--model", path, "--x", *X, "--y", *Y)
    z, delta, grads = _printed(out)
    w, b = graph.edge_weights, graph.biases
    values = _forward(w, b, X)
    assert set(z) == {1, 2, 3, 4, 5, 6} and set(delta) == set(ACTIVATION)
    for node, (_, value) in values.items():
        assert z[node] == pytest.approx(value, rel=1e-4, abs=1e-9)  # printed with 5 digits
    trace = explain(graph, X, Y, print_fn=None)
    h = 1e-6
    for node in ACTIVATION:
        numeric = (_error(w, b, X, Y, (node, h)) - _error(w, b, X, Y, (node, -h))) / (2 * h)
        assert trace.delta[node] == pytest.approx(numeric, rel=1e-7, abs=1e-10)
        assert delta[node] == pytest.approx(numeric, rel=1e-4, abs=1e-9)
    for edge in EDGES:
        up, down = dict(w), dict(w)
        up[edge] += h
        down[edge] -= h
        numeric = (_error(up, b, X, Y) - _error(down, b, X, Y)) / (2 * h)
        assert grads[edge] == pytest.approx(numeric, rel=1e-4, abs=1e-9)


def test_a_saved_sequential_is_explained_layer_by_layer(capsys, tmp_path):
    model = rb.Sequential([Dense(3, activation="tanh", input_dim=2, dtype="float64",
                                 bias_initializer="glorot_uniform"),
                           Dense(1, activation="sigmoid", dtype="float64")], seed=1)
    path = tmp_path / "mlp.npz"
    model.save(path)
    code, out, err = run(capsys, "explain", "--model", path, "--x", 0.5, 0.2, "--y", 1)
    assert (code, err) == (0, "")
    trace = explain(model, [0.5, 0.2], [1.0], print_fn=None)
    assert out == str(trace) + "\n"
    assert "2-3-1 network, activations: tanh, sigmoid" in out
    # delta(2) = dE/dp(2) against central differences of an independent forward pass
    (W1, b1, W2, b2), x = model.get_weights(), np.array([0.5, 0.2])

    def error(shift):
        p2 = np.tanh(x @ W1 + b1) @ W2 + b2 + shift
        return 0.5 * float((1 / (1 + np.exp(-p2[0])) - 1.0) ** 2)

    numeric = (error(1e-6) - error(-1e-6)) / 2e-6
    assert trace.layers[-1].delta[0] == pytest.approx(numeric, rel=1e-7)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--x", 0.3, "--y", 1, -0.5], "--x: expected 2 numbers (one per input of the model in "),
        (["--x", *X, "--y", 1], "--y: expected 2 numbers (one per output of the model in "),
        (["--x", 1, 2, 3, "--y", *Y], "got 3"),
        (["--y", *Y], "--x: expected the sample's values with --model, got none"),
        (["--x", *X], "--y: expected the sample's values with --model, got none"),
        (["--x", *X, "--y", *Y, "--hidden", 3], "--hidden: the network and its activations "
         "come from --model"),
        (["--x", *X, "--y", *Y, "--seed", 1], "expected no --seed with --model, got 1"),
        (["--x", *X, "--y", *Y, "--activation", "relu"], "expected no --activation with "
         "--model, got relu"),
    ],
)
def test_bad_samples_and_flags_are_refused(capsys, graph_file, argv, message):
    _, path = graph_file
    code, out, err = run(capsys, "explain", "--model", path, *argv)
    assert code == 2 and out == ""
    assert message in err


@pytest.mark.parametrize(("value", "flag"), [("a", "--x"), ("nan", "--x"), ("inf", "--y")])
def test_values_that_are_not_finite_numbers_are_refused_by_argparse(capsys, graph_file, value,
                                                                    flag):
    _, path = graph_file
    argv = {"--x": [value, 1], "--y": Y} if flag == "--x" else {"--x": X, "--y": [1, value]}
    with pytest.raises(SystemExit) as info:
        main(["explain", "--model", str(path), "--x", *map(str, argv["--x"]),
              "--y", *map(str, argv["--y"])])
    assert info.value.code == 2
    assert f"argument {flag}: expected a finite number, got '{value}'" in capsys.readouterr().err


def test_a_missing_path_is_refused(capsys, tmp_path):
    code, out, err = run(capsys, "explain", "--model", tmp_path / "none.npz", "--x", *X,
                         "--y", *Y)
    assert code == 2 and out == ""
    assert f"no model file at {tmp_path / 'none.npz'}" in err


def test_a_file_that_is_not_a_model_is_refused(capsys, tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("a = b + sum w z\n")
    code, out, err = run(capsys, "explain", "--model", path, "--x", *X, "--y", *Y)
    assert code == 2 and out == ""
    assert f"{path} is not a rosenblatt model file" in err
    assert path.read_text() == "a = b + sum w z\n"


def test_models_the_explainer_cannot_follow_are_refused(capsys, tmp_path):
    inputs = Input(shape=(2,))
    functional = rb.Model(inputs, Dense(1, activation="sigmoid")(inputs), seed=0)
    functional.save(tmp_path / "functional.npz")
    code, out, err = run(capsys, "explain", "--model", tmp_path / "functional.npz", "--x", *X,
                         "--y", 1)
    assert code == 2 and out == ""
    assert "--model: expected a file holding a Graph or a Sequential of Dense layers, got a " \
           "Model in " in err
    soft = rb.Sequential([Dense(2, activation="softmax", input_dim=2)], seed=0)
    soft.save(tmp_path / "softmax.npz")
    code, out, err = run(capsys, "explain", "--model", tmp_path / "softmax.npz", "--x", *X,
                         "--y", 1, 0)
    assert code == 2 and out == ""
    assert "expected an elementwise activation" in err and "'softmax'" in err

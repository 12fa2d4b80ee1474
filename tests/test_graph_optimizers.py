"""A neuron graph is a model like any other: every optimizer and the training callbacks run
on it. The reference is the same network as a Sequential: ``Graph.from_model`` copies its
weights, and a layered graph computes the same function with the same parameters, so from
the same start, data and batches both must train to the same weights and report the same
history (float64; the graph's masked products round differently only in the last bits)."""

import numpy as np
import pytest
from rosenblatt.layers import Dense, Input

import rosenblatt as rb
from rosenblatt.graph import Graph

OPTIMIZERS = {
    "SGD": lambda: rb.optimizers.SGD(learning_rate=0.1),
    "SGD momentum": lambda: rb.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    "SGD nesterov": lambda: rb.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    "Adam": lambda: rb.optimizers.Adam(learning_rate=0.02),
    "AdamW": lambda: rb.optimizers.AdamW(learning_rate=0.02),
    "Adamax": lambda: rb.optimizers.Adamax(learning_rate=0.02),
    "Nadam": lambda: rb.optimizers.Nadam(learning_rate=0.02),
    "RMSprop": lambda: rb.optimizers.RMSprop(learning_rate=0.01),
    "Adagrad": lambda: rb.optimizers.Adagrad(learning_rate=0.1),
    "Lion": lambda: rb.optimizers.Lion(learning_rate=0.003),
}


def _pair(seed):
    sequential = rb.Sequential([Input(shape=(2,)), Dense(4, activation="tanh", dtype="float64"),
                                Dense(3, activation="relu", dtype="float64"),
                                Dense(1, activation="sigmoid", dtype="float64")], seed=seed)
    return sequential, Graph.from_model(sequential)


def _xor_data(seed, rows=48):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (rows, 2))
    return x, (x[:, 0] * x[:, 1] > 0).astype(float)


def _assert_same_training(sequential, graph, histories):
    for a, b in zip(graph.to_model().get_weights(), sequential.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    for key in histories[0]:
        np.testing.assert_allclose(histories[1][key], histories[0][key], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("seed", range(2))
def test_every_optimizer_trains_the_graph_as_the_sequential(optimizer, seed):
    sequential, graph = _pair(seed)
    x, y = _xor_data(seed)
    histories = []
    for model in (sequential, graph):
        model.compile(OPTIMIZERS[optimizer](), "binary_crossentropy", metrics=["accuracy"])
        histories.append(model.fit(x, y, batch_size=8, epochs=6, verbose=0,
                                   shuffle=False).history)
    assert histories[0]["loss"][-1] < histories[0]["loss"][0]  # it does train
    _assert_same_training(sequential, graph, histories)


def test_the_training_callbacks_run_on_the_graph_as_on_the_sequential(tmp_path):
    sequential, graph = _pair(3)
    x, y = _xor_data(3, rows=64)
    histories = []
    for name, model in (("sequential", sequential), ("graph", graph)):
        model.compile(rb.optimizers.Adam(learning_rate=0.05), "binary_crossentropy")
        callbacks = [
            rb.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
            rb.callbacks.EarlyStopping(monitor="val_loss", patience=3,
                                       restore_best_weights=True),
            rb.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.95),
            rb.callbacks.TerminateOnNaN(),
            rb.callbacks.CSVLogger(str(tmp_path / f"{name}.csv")),
            rb.callbacks.ModelCheckpoint(str(tmp_path / f"{name}.npz"), save_best_only=True),
        ]
        histories.append(model.fit(x, y, batch_size=16, epochs=25, verbose=0, shuffle=False,
                                   validation_split=0.25, callbacks=callbacks).history)
    assert len(histories[0]["loss"]) == len(histories[1]["loss"])
    _assert_same_training(sequential, graph, histories)
    assert (tmp_path / "graph.csv").read_text().count("\n") == len(histories[1]["loss"]) + 1
    saved = rb.models.load_model(str(tmp_path / "graph.npz"))
    assert isinstance(saved, Graph)

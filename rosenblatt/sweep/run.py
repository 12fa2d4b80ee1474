"""One run of a sweep: a configuration trained on one data set with one seed.

A run is a plain dictionary (JSON-able) so that it travels to any Dask worker and into the
results file as it is. :func:`train_run` never raises for a configuration that fails: the
error is returned in the record (``"error"``), so the sweep goes on.

The training follows the playground (lecture 002, L17): the data set of ``n`` points with the
playground's noise, one shuffle, the first ``ratio`` of the points train, the rest test; tanh
hidden units and a tanh output on labels +-1, weights ~ U(-0.5, 0.5), biases 0.1, plain SGD on
the squared error, and the playground's loss

    L = 1/(2N) sum_i (a_i - y_i)^2,

reported per epoch on the training and the test points. A run stops at ``epochs``, when the
test loss falls below ``target_loss``, or when the loss turns NaN / inf ("diverged").
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import traceback

import numpy as np

from rosenblatt.datasets import playground as sets
from rosenblatt.models import Sequential
from rosenblatt.nn import initializers, optimizers
from rosenblatt.nn.features import FeatureMap
from rosenblatt.nn.layers import Dense
from rosenblatt.training.callbacks import Callback

DATASETS = {"circle": sets.circle, "xor": sets.xor, "gauss": sets.gauss, "spiral": sets.spiral}
# The settings a configuration may give, with their defaults (the playground's).
DEFAULTS = {
    "layers": [4, 2],
    "activation": "tanh",
    "learning_rate": 0.03,
    "batch_size": 10,
    "epochs": 100,
    "features": ["x1", "x2"],
    "noise": 0.0,
    "ratio": 0.5,
    "n": 500,
    "target_loss": None,
}


def run_id(config: dict, dataset: str, seed: int) -> str:
    """A stable name of a run: the first 16 hex digits of the SHA-256 of its canonical JSON.

    >>> run_id({"layers": [4]}, "xor", 0) == run_id({"layers": [4]}, "xor", 0)
    True
    """
    text = json.dumps({"config": config, "dataset": dataset, "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def settings_of(config: dict) -> dict:
    """The configuration completed by :data:`DEFAULTS` (the configuration wins)."""
    return {**DEFAULTS, **config}


def make_split(dataset: str, s: dict, seed: int):
    """(x_train, y_train, x_test, y_test) of ``dataset``: y in {-1, +1}, shape (m, 1)."""
    rng = np.random.default_rng(seed)
    x, y = DATASETS[dataset](s["n"], s["noise"], seed=rng, shuffle=False)
    order = rng.permutation(len(x))
    x, y = x[order].astype(np.float32), y[order].astype(np.float32)[:, None]
    cut = int(math.floor(len(x) * s["ratio"]))
    return x[:cut], y[:cut], x[cut:], y[cut:]


def build_model(s: dict, n_inputs: int, seed: int) -> Sequential:
    """The playground's network for settings ``s``, compiled for SGD on the squared error."""
    init = initializers.RandomUniform(-0.5, 0.5, seed=seed)
    layers, width = [], n_inputs
    for units in [*s["layers"], 1]:
        act = s["activation"] if len(layers) < len(s["layers"]) else "tanh"
        layers.append(Dense(int(units), activation=act, kernel_initializer=init,
                            bias_initializer=initializers.Constant(0.1), input_dim=width))
        width = None
    model = Sequential(layers, seed=seed)
    # rosenblatt's mse is mean (a - y)^2, twice the playground's loss: half the rate, same steps
    model.compile(optimizer=optimizers.SGD(learning_rate=s["learning_rate"] / 2), loss="mse")
    return model


class _Losses(Callback):
    """Records the playground's train and test losses after every epoch; stops at the target
    or when a loss is not finite."""

    def __init__(self, data, target):
        super().__init__()
        self.data, self.target = data, target
        self.train, self.test, self.stopped = [], [], "epochs"

    def on_epoch_end(self, epoch, logs=None):
        x_tr, y_tr, x_te, y_te = self.data
        with np.errstate(all="ignore"):
            train = float(0.5 * np.mean((self.model.predict(x_tr, verbose=0) - y_tr) ** 2))
            test = float(0.5 * np.mean((self.model.predict(x_te, verbose=0) - y_te) ** 2))
        self.train.append(train)
        self.test.append(test)
        if not (math.isfinite(train) and math.isfinite(test)):
            self.stopped = "diverged"
            self.stop("diverged")
        elif self.target is not None and test < self.target:
            self.stopped = "target"
            self.stop("target reached")


def _accuracy(model, x, y) -> float:
    with np.errstate(all="ignore"):
        return float(np.mean(np.where(model.predict(x, verbose=0) >= 0, 1.0, -1.0) == y))


def train_run(run: dict) -> dict:
    """Train one run ``{"id", "config", "dataset", "seed"}``; returns its result record.

    The record holds the run's fields and ``losses`` (per epoch, train and test), ``metrics``
    (final losses and accuracies, ``epochs``, ``stopped``: 'target', 'epochs' or 'diverged'),
    ``params`` (the number of weights and biases), ``seconds``, and ``error`` (None, or the
    exception's type and message when the configuration failed: the sweep records it and goes
    on). The same run gives the same numbers in any process.

    >>> r = train_run({"id": "a", "config": {"layers": [2], "epochs": 2}, "dataset": "gauss",
    ...                "seed": 0})
    >>> r["error"], len(r["losses"]["test"]), r["params"]
    (None, 2, 9)
    """
    started = time.perf_counter()
    record = {**run, "losses": None, "metrics": None, "params": None, "error": None}
    try:
        s = settings_of(run["config"])
        seed = int(run["seed"])
        x_tr, y_tr, x_te, y_te = make_split(run["dataset"], s, seed)
        phi = FeatureMap(s["features"])
        data = (phi(x_tr), y_tr, phi(x_te), y_te)
        model = build_model(s, phi.n_features, seed)
        losses = _Losses(data, s["target_loss"])
        model.fit(data[0], y_tr, batch_size=s["batch_size"], epochs=int(s["epochs"]), verbose=0,
                  shuffle=False, callbacks=[losses])
        if losses.stopped == "epochs" and model.stop_reason:  # the loop's NaN / inf check
            losses.stopped = "diverged"
        record["losses"] = {"train": losses.train, "test": losses.test}
        record["params"] = int(model.count_params())
        record["metrics"] = {
            "train_loss": losses.train[-1], "test_loss": losses.test[-1],
            "train_accuracy": _accuracy(model, data[0], y_tr),
            "test_accuracy": _accuracy(model, data[2], y_te),
            "epochs": len(losses.test), "stopped": losses.stopped,
        }
    except Exception as exc:  # noqa: BLE001 - a failing configuration is a result
        record["error"] = f"{type(exc).__name__}: {exc}"
        record["traceback"] = traceback.format_exc(limit=3)
    record["seconds"] = time.perf_counter() - started
    return record

"""A playground run as files: the trained model (a rosenblatt model file, no pickle) and a
Python script that reproduces the run with the library alone.

>>> from rosenblatt.playground.settings import Settings
>>> from rosenblatt.playground.session import Session
>>> text = script(Session(Settings(network_shape=(), features=("xSquared", "ySquared"))))
>>> "Sequential" in text and "fit(" in text
True
"""

from __future__ import annotations

import os
import tempfile

from rosenblatt.nn import optimizers

from .data import N_CLASSIFICATION, N_REGRESSION


def optimizers_config(optimizer) -> dict:
    """The optimizer's ``{'class_name', 'config'}``, as ``optimizers.get`` takes it."""
    return optimizers.serialize(optimizer)


def model_bytes(session) -> bytes:
    """The session's model as the bytes of a ``.npz`` model file (``rosenblatt.load_model``)."""
    handle, path = tempfile.mkstemp(suffix=".npz")
    os.close(handle)
    try:
        session.model.save(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.remove(path)


_DATA = {"circle": "circle", "xor": "xor", "gauss": "gauss", "spiral": "spiral",
         "reg-plane": "plane", "reg-gauss": "multi_gauss"}


def _data_lines(session) -> list[str]:
    s = session.settings
    if s.custom_data:
        return ["# the run used data uploaded from a CSV file: load it here, scaled into",
                "# [-6, 6]^2 (see rosenblatt.playground.data.parse_csv)",
                "x, y, n_classes = parse_csv(open('data.csv').read(), " f"{s.problem!r})",
                "data = make_data(settings, custom=(x, y, n_classes))"]
    if s.classes > 2 or s.problem == "regression":
        return ["data = make_data(settings)  # " + (
            f"{s.classes} classes" if s.classes > 2 else s.reg_dataset)]
    n = N_REGRESSION if s.problem == "regression" else N_CLASSIFICATION
    name = _DATA[s.reg_dataset if s.problem == "regression" else s.dataset]
    return [f"# the same points as rosenblatt.datasets.{name}({n}, noise={s.noise / 100:g}),",
            "# split as the original does: one shuffle, the first part trains",
            "data = make_data(settings)"]


def script(session) -> str:
    """A Python script that rebuilds the run's data, model and training with rosenblatt."""
    s, model = session.settings, session.model
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        kind = type(layer).__name__
        if kind == "Dense":
            act = config.get("activation")
            layers.append(f"    layers.Dense({config['units']}, activation={act!r}, "
                          "kernel_initializer=init, bias_initializer=bias, "
                          "kernel_regularizer=reg),")
        else:
            layers.append(f"    layers.Dropout({config['rate']!r}, seed=seed),")
    units, act, loss = session._output()
    init = ("initializers.Zeros()" if s.init_zero else
            "initializers.RandomUniform(-0.5, 0.5, seed=seed)")
    reg = "None"
    if s.regularization == "L2" and s.regularization_rate > 0:
        reg = f"regularizers.L2({s.regularization_rate!r})"
    elif s.regularization == "L1" and s.regularization_rate > 0:
        reg = f"regularizers.L1({2 * s.regularization_rate!r})"
    if session.n_classes > 2:
        targets = f"np.eye({session.n_classes}, dtype='float32')[data.y_train]"
    elif session.n_classes == 2 and s.loss == "crossentropy":
        targets = "((data.y_train + 1) / 2)[:, None]  # +-1 to 1/0"
    else:
        targets = "data.y_train[:, None]"
    optimizer = model.optimizer
    lines = [
        '"""A run of the rosenblatt playground, reproduced with the library."""',
        "",
        "import numpy as np",
        "",
        "from rosenblatt import Sequential, initializers, layers, optimizers, regularizers",
        "from rosenblatt.nn.features import FeatureMap",
        "from rosenblatt.playground.data import make_data, parse_csv, seed_number",
        "from rosenblatt.playground.settings import parse_settings",
        "",
        f"settings = parse_settings({s.to_message()!r})",
        *_data_lines(session),
        "seed = seed_number(settings.seed) % 2**31",
        f"init = {init}",
        "bias = initializers.Constant(0.1)",
        f"reg = {reg}",
        f"phi = FeatureMap({s.feature_names!r})",
        "model = Sequential([",
        *layers,
        "], seed=seed)",
        "# squared error: the original's 0.5 (out - t)^2 is mse / 2, so SGD takes half the rate",
        f"model.compile(optimizer=optimizers.get({optimizers_config(optimizer)!r}),",
        f"              loss={loss!r})",
        f"x_train, y_train = phi(data.x_train), {targets}",
        f"for epoch in range({max(session.epochs_done, 1)}):",
        f"    model.fit(x_train, y_train, batch_size={s.batch_size}, epochs=1, verbose=0, "
        "shuffle=False)",
        "print(model.predict(phi(data.x_test))[:5])",
        "",
    ]
    return "\n".join(lines)

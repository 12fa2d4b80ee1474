"""The systems measured by the benchmark: each maker sets a workload up and returns a function
that runs it once (one epoch, some epochs, or one prediction)."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
from rosenblatt.layers import Dense

import rosenblatt as rb
from rosenblatt import kernels as _kernels


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def versions() -> dict:
    out = {"numpy": np.__version__, "rosenblatt": rb.__version__}
    for module in ("torch", "sklearn", "numba"):
        if has(module):
            out[module] = __import__(module).__version__
    out["rosenblatt compiled kernels"] = _kernels.available()
    return out


def set_threads(n: int) -> None:
    if has("torch"):
        import torch

        torch.set_num_threads(n)


def available(makers: dict) -> dict:
    needs = {"torch": "torch", "sklearn": "sklearn"}
    return {name: make for name, make in makers.items() if name not in needs or has(needs[name])}


# --------------------------------------------------------------------------- models
def rb_mlp(shapes, hidden="relu", output="softmax", seed=0):
    model = rb.Sequential([rb.Input(shape=(shapes[0],))], seed=seed)
    for units in shapes[1:-1]:
        model.add(Dense(units, activation=hidden))
    model.add(Dense(shapes[-1], activation=output))
    return model


def torch_mlp(shapes, hidden="relu", weights=None):
    import torch

    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[hidden]
    layers = []
    for i, (a, b) in enumerate(zip(shapes[:-1], shapes[1:], strict=True)):
        layers.append(torch.nn.Linear(a, b))
        if i < len(shapes) - 2:
            layers.append(act())
    model = torch.nn.Sequential(*layers)
    if weights is not None:
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        with torch.no_grad():
            for lin, (W, b) in zip(
                linears, zip(weights[::2], weights[1::2], strict=True), strict=True
            ):
                lin.weight.copy_(torch.from_numpy(W.T.copy()))
                lin.bias.copy_(torch.from_numpy(b))
    return model


# --------------------------------------------------------------------------- W1 / W4: one epoch
def w1_rosenblatt(x, y, shapes, batch):
    model = rb_mlp(shapes)
    model.compile(rb.optimizers.Adam(learning_rate=1e-3), "sparse_categorical_crossentropy")
    return lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)


def _torch_epoch(model, opt, xt, yt, batch, loss_fn):
    for i in range(0, len(xt), batch):
        loss = loss_fn(model(xt[i : i + batch]), yt[i : i + batch])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def w1_torch(x, y, shapes, batch):
    import torch

    model = torch_mlp(shapes)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    loss_fn = torch.nn.functional.cross_entropy
    return lambda: _torch_epoch(model, opt, xt, yt, batch, loss_fn)


def w1_sklearn(x, y, shapes, batch):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=shapes[1:-1],
        solver="adam",
        learning_rate_init=1e-3,
        batch_size=batch,
        shuffle=False,
        alpha=0.0,
        random_state=0,
    )
    classes = np.arange(shapes[-1])

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.partial_fit(x, y, classes=classes)

    return epoch


def w1_floor(x, y, shapes, batch):
    rng = np.random.default_rng(0)
    Ws = [
        rng.standard_normal((a, b), dtype=np.float32) * 0.05
        for a, b in zip(shapes, shapes[1:], strict=False)
    ]

    def epoch():
        for i in range(0, len(x), batch):
            xb = x[i : i + batch]
            acts = [xb]
            for W in Ws:
                acts.append(acts[-1] @ W)
            g = acts[-1]
            for k in range(len(Ws) - 1, -1, -1):
                acts[k].T @ g
                if k:
                    g = g @ Ws[k].T

    return epoch


# the floor runs right after rosenblatt in each round: the closest target is the paired best
W1_MAKERS = {
    "rosenblatt": w1_rosenblatt,
    "floor": w1_floor,
    "torch": w1_torch,
    "sklearn": w1_sklearn,
}


# --------------------------------------------------------------------------- W2: playground net
def w2_rosenblatt(x, y, epochs):
    model = rb_mlp((2, 8, 8, 1), hidden="tanh", output="sigmoid")
    model.compile(rb.optimizers.SGD(learning_rate=0.03), "binary_crossentropy")
    return lambda: model.fit(x, y, batch_size=10, epochs=epochs, verbose=0, shuffle=False)


def w2_rosenblatt_logits(x, y, epochs):
    """W2 written as PyTorch users write it: a linear output and the loss from the logits."""
    model = rb_mlp((2, 8, 8, 1), hidden="tanh", output="linear")
    model.compile(rb.optimizers.SGD(learning_rate=0.03),
                  rb.losses.BinaryCrossentropy(from_logits=True))
    return lambda: model.fit(x, y, batch_size=10, epochs=epochs, verbose=0, shuffle=False)


def w2_torch(x, y, epochs):
    import torch

    model = torch_mlp((2, 8, 8, 1), hidden="tanh")
    opt = torch.optim.SGD(model.parameters(), lr=0.03)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.float32)[:, None])
    loss_fn = torch.nn.functional.binary_cross_entropy_with_logits

    def run():
        for _ in range(epochs):
            _torch_epoch(model, opt, xt, yt, 10, loss_fn)

    return run


def w2_sklearn(x, y, epochs):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(8, 8),
        activation="tanh",
        solver="sgd",
        learning_rate_init=0.03,
        momentum=0.0,
        nesterovs_momentum=False,
        batch_size=10,
        alpha=0.0,
        shuffle=False,
        random_state=0,
    )

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(epochs):
                clf.partial_fit(x, y, classes=np.array([0, 1]))

    return run


W2_MAKERS = {"rosenblatt": w2_rosenblatt, "rosenblatt_logits": w2_rosenblatt_logits,
             "torch": w2_torch, "sklearn": w2_sklearn}


# --------------------------------------------------------------------------- W3: predict one row
def _row():
    return np.random.default_rng(4).random(784, dtype=np.float32)


def w3_rosenblatt():
    model, row = rb_mlp((784, 256, 128, 10)), _row()
    return lambda: model.predict(row)


def w3_torch():
    import torch

    model, row = torch_mlp((784, 256, 128, 10)), _row()

    def predict():
        with torch.no_grad():
            return torch.softmax(model(torch.from_numpy(row[None])), dim=1).numpy()

    return predict


def w3_sklearn():
    from sklearn.neural_network import MLPClassifier

    x, y = np.random.default_rng(5).random((64, 784), dtype=np.float32), np.arange(64) % 10
    clf = MLPClassifier(hidden_layer_sizes=(256, 128), max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(x, y)
    row = _row()[None]
    return lambda: clf.predict_proba(row)


W3_MAKERS = {"rosenblatt": w3_rosenblatt, "torch": w3_torch, "sklearn": w3_sklearn}


# --------------------------------------------------------------------------- correctness guard
def guard(x, tolerance=2e-2):
    """One W1 epoch from the same initial weights: rosenblatt's and PyTorch's losses agree."""
    if not has("torch"):
        return None
    import torch

    y = np.argmax(x @ np.random.default_rng(6).standard_normal((784, 10)), axis=1)
    model = rb_mlp((784, 256, 128, 10))
    model.compile(rb.optimizers.Adam(learning_rate=1e-3), "sparse_categorical_crossentropy")
    tmodel = torch_mlp((784, 256, 128, 10), weights=model.get_weights())
    opt = torch.optim.Adam(tmodel.parameters(), lr=1e-3, fused=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    _torch_epoch(tmodel, opt, xt, yt, 128, torch.nn.functional.cross_entropy)
    model.fit(x, y, batch_size=128, epochs=1, verbose=0, shuffle=False)
    ours = float(model.evaluate(x, y))
    with torch.no_grad():
        theirs = float(torch.nn.functional.cross_entropy(tmodel(xt), yt))
    return {
        "rosenblatt": ours,
        "torch": theirs,
        "agree": abs(ours - theirs) <= tolerance * max(1.0, abs(theirs)),
    }

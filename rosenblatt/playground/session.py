"""One page's training run: rosenblatt's Sequential, optimizers and losses, one epoch at a time,
and the pictures the page draws (heat map, every neuron's thumbnail, the weights).

**The original rules** (the default: optimizer 'sgd', loss 'squared'): the loss is the
original's 0.5 (out - target)^2 on +-1 targets with a tanh output (linear for regression),
weights ~ U(-0.5, 0.5), biases 0.1, plain SGD on mini-batches taken in the same order every
epoch. rosenblatt's ``mse`` is (out - target)^2, whose gradient is twice the original's, so
SGD runs with eta / 2 and reports mse / 2: the steps and the numbers are the original's.
L2 (the original's 0.5 w^2) becomes rosenblatt's ``L2(rate)`` and L1 ``L1(2 rate)`` under the
same halving.

>>> from rosenblatt.playground.settings import Settings
>>> run = Session(Settings(dataset="gauss", network_shape=(), learning_rate=0.1))
>>> run.epoch()
1
>>> frame = run.frame()
>>> frame["epoch"], frame["testLoss"] < 0.1
(1, True)

Lecture 002 (the playground exercise, L17).
"""

from __future__ import annotations

import base64
import math
import time

import numpy as np

from rosenblatt.models import Sequential
from rosenblatt.nn import activations, initializers, optimizers, regularizers, schedules
from rosenblatt.nn.features import FeatureMap
from rosenblatt.nn.layers import Dense, Dropout

from .data import BOX, make_data, seed_number

DENSITY = 100  # the heat map's cells per side, as in the original
THUMB_STEP = 4  # a neuron's thumbnail takes every 4th cell: 25 x 25
GRID = np.linspace(-BOX, BOX, DENSITY)
_GX, _GY = np.meshgrid(GRID, GRID[::-1])  # row 0 is the top of the picture (x2 = +6)
GRID_POINTS = np.stack([_GX.ravel(), _GY.ravel()], axis=1).astype(np.float32)
_EPS = 1e-7


def encode(values, low=-1.0, high=1.0) -> str:
    """Values clipped to [low, high] as bytes 0..255, in base64 (NaN becomes the middle)."""
    v = np.nan_to_num(np.asarray(values, np.float64), nan=(low + high) / 2)
    scaled = np.rint((np.clip(v, low, high) - low) * (255.0 / (high - low)))
    return base64.b64encode(scaled.astype(np.uint8).tobytes()).decode("ascii")


class Session:
    """A run of ``settings`` on its data (or on ``custom = (x, y, n_classes)``, uploaded)."""

    def __init__(self, settings, custom=None):
        self.settings = settings
        self.data = make_data(settings, custom)
        self.feature_map = FeatureMap(settings.feature_names)
        self.inputs_train = self.feature_map(self.data.x_train)
        self.inputs_test = self.feature_map(self.data.x_test)
        self.inputs_grid = self.feature_map(GRID_POINTS)
        self.model = self._build()
        self.targets_train = self._targets(self.data.y_train)
        self.epochs_done = 0
        self.stop_reason = ""
        self.seconds = 0.0
        self.train_loss, self.test_loss = self._losses()

    # ------------------------------------------------------------------ the model
    @property
    def n_classes(self) -> int:
        return self.data.n_classes

    def _output(self):
        """(units, activation, loss name) of the output layer."""
        s = self.settings
        if self.n_classes == 0:
            return 1, "linear", "mse"
        if self.n_classes > 2:
            return self.n_classes, "softmax", (
                "mse" if s.loss == "squared" else "categorical_crossentropy")
        if s.loss == "crossentropy":
            return 1, "sigmoid", "binary_crossentropy"
        return 1, "tanh", "mse"

    def _build(self) -> Sequential:
        s = self.settings
        seed = seed_number(s.seed) % 2**31
        init = initializers.Zeros() if s.init_zero else initializers.RandomUniform(
            -0.5, 0.5, seed=seed)
        reg = None
        if s.regularization == "L2" and s.regularization_rate > 0:
            reg = regularizers.L2(s.regularization_rate)
        elif s.regularization == "L1" and s.regularization_rate > 0:
            reg = regularizers.L1(2 * s.regularization_rate)
        layers = []
        width = self.feature_map.n_features
        for units, act in zip(s.network_shape, s.hidden_activations(), strict=True):
            layers.append(Dense(units, activation=act, kernel_initializer=init,
                                bias_initializer=initializers.Constant(0.1),
                                kernel_regularizer=reg, input_dim=width))
            width = None
            if s.dropout > 0:
                layers.append(Dropout(s.dropout, seed=seed))
        units, act, loss = self._output()
        layers.append(Dense(units, activation=act, kernel_initializer=init,
                            bias_initializer=initializers.Constant(0.1),
                            kernel_regularizer=reg, input_dim=width))
        model = Sequential(layers, seed=seed)
        model.compile(optimizer=self._optimizer(), loss=loss)
        model.feature_map = self.feature_map
        return model

    def learning_rate(self) -> float:
        """The rate rosenblatt's optimizer gets: halved for SGD on squared error (mse's
        gradient is twice the original's 0.5 (out - target)^2)."""
        s = self.settings
        halve = s.loss == "squared" and s.optimizer in ("sgd", "momentum")
        return s.learning_rate / 2 if halve else s.learning_rate

    def _optimizer(self):
        s = self.settings
        rate = self.learning_rate()
        if s.schedule == "exponential":  # halves every 100 epochs
            steps = max(1, math.ceil(len(self.data.x_train) / s.batch_size))
            rate = schedules.ExponentialDecay(rate, decay_steps=100 * steps, decay_rate=0.5)
        if s.optimizer == "momentum":
            return optimizers.SGD(learning_rate=rate, momentum=0.9)
        return optimizers.get({"class_name": s.optimizer, "config": {"learning_rate": rate}})

    def _targets(self, y) -> np.ndarray:
        if self.n_classes > 2:
            return np.eye(self.n_classes, dtype=np.float32)[y]
        if self.n_classes == 2 and self.settings.loss == "crossentropy":
            return ((y + 1) / 2).astype(np.float32)[:, None]
        return np.asarray(y, np.float32)[:, None]

    # ------------------------------------------------------------------ training
    def epoch(self) -> int:
        """Train one epoch (unless stopped); returns the epoch count."""
        if self.stop_reason:
            return self.epochs_done
        started = time.perf_counter()
        self.model.stop_reason = ""
        self.model.fit(self.inputs_train, self.targets_train, batch_size=self.settings.batch_size,
                       epochs=1, verbose=0, shuffle=False)
        self.seconds += time.perf_counter() - started
        self.epochs_done += 1
        self.train_loss, self.test_loss = self._losses()
        if getattr(self.model, "stop_reason", "") or not (
                math.isfinite(self.train_loss) and math.isfinite(self.test_loss)):
            self.stop_reason = "diverged"
        elif self.settings.target_loss is not None and self.test_loss < self.settings.target_loss:
            self.stop_reason = "target"
        elif self.settings.max_epochs and self.epochs_done >= self.settings.max_epochs:
            self.stop_reason = "maxEpochs"
        return self.epochs_done

    def message(self) -> str:
        """Why the run stopped, in words for the page ('' while it runs)."""
        s = self.settings
        if self.stop_reason == "target":
            return (f"test loss {self.test_loss:.4f} < {s.target_loss:g} at epoch "
                    f"{self.epochs_done}")
        if self.stop_reason == "diverged":
            return (f"training diverged at epoch {self.epochs_done}: the loss became NaN or inf "
                    f"with learning rate {s.learning_rate:g}; try a smaller learning rate")
        if self.stop_reason == "maxEpochs":
            return f"reached the epoch limit {s.max_epochs}"
        return ""

    # ------------------------------------------------------------------ readouts
    def activations_of(self, x) -> list[np.ndarray]:
        """Every Dense layer's output on the model inputs ``x`` (inference: no dropout)."""
        outs, h = [], np.asarray(x, np.float32)
        for layer in self.model.layers:
            if not isinstance(layer, Dense):
                continue
            z = h @ layer.kernel.data + layer.bias.data
            if layer.activation is activations.softmax_activation:
                e = np.exp(z - z.max(axis=1, keepdims=True))
                h = e / e.sum(axis=1, keepdims=True)
            else:
                h = layer.activation.value(z)
            outs.append(h)
        return outs

    def _loss_of(self, out, y) -> float:
        t = self._targets(y)
        with np.errstate(all="ignore"):
            if self.settings.loss == "squared" or self.n_classes == 0:
                return float(0.5 * np.mean((out - t) ** 2))
            p = np.clip(out, _EPS, 1 - _EPS)
            if self.n_classes > 2:
                return float(-np.mean(np.sum(t * np.log(p), axis=1)))
            return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))

    def _losses(self) -> tuple[float, float]:
        tr = self.activations_of(self.inputs_train)[-1]
        te = self.activations_of(self.inputs_test)[-1]
        return self._loss_of(tr, self.data.y_train), self._loss_of(te, self.data.y_test)

    def predicted_classes(self, out) -> np.ndarray:
        if self.n_classes > 2:
            return out.argmax(axis=1)
        threshold = 0.5 if self.settings.loss == "crossentropy" else 0.0
        return np.where(out[:, 0] >= threshold, 1.0, -1.0)

    def metrics(self) -> dict:
        """Accuracy and the test confusion matrix (classification), or R^2 (regression)."""
        out = {}
        for name, x, y in (("train", self.inputs_train, self.data.y_train),
                           ("test", self.inputs_test, self.data.y_test)):
            pred = self.activations_of(x)[-1]
            if self.n_classes == 0:
                ss = float(np.sum((y - y.mean()) ** 2))
                res = float(np.sum((y - pred[:, 0]) ** 2))
                out[f"{name}R2"] = 1.0 - res / ss if ss > 0 else 0.0
                continue
            k = self.predicted_classes(pred)
            out[f"{name}Accuracy"] = float(np.mean(k == y)) if len(y) else 0.0
            if name == "test":
                labels = [1.0, -1.0] if self.n_classes == 2 else list(range(self.n_classes))
                out["confusion"] = [[int(np.sum((y == a) & (k == b))) for b in labels]
                                    for a in labels]
        return out

    def frame(self) -> dict:
        """What the page draws after an epoch: losses, the heat map (100 x 100, base64 bytes),
        each neuron's 25 x 25 thumbnail, the weights and the metrics."""
        layers = self.activations_of(self.inputs_grid)
        out = layers[-1]
        frame = {"type": "frame", "epoch": self.epochs_done, "trainLoss": self.train_loss,
                 "testLoss": self.test_loss, "stopped": self.stop_reason,
                 "message": self.message(),
                 "epochsPerSecond": self.epochs_done / self.seconds if self.seconds else 0.0}
        if self.n_classes > 2:
            frame["heatmap"] = encode(out.max(axis=1), 0.0, 1.0)
            frame["heatClass"] = base64.b64encode(
                out.argmax(axis=1).astype(np.uint8).tobytes()).decode("ascii")
        elif self.n_classes == 2 and self.settings.loss == "crossentropy":
            frame["heatmap"] = encode(2 * out[:, 0] - 1)
        else:
            frame["heatmap"] = encode(out[:, 0])
        thumbs = []
        for h in layers:
            cells = h.reshape(DENSITY, DENSITY, -1)[::THUMB_STEP, ::THUMB_STEP]
            thumbs.append([encode(cells[:, :, j]) for j in range(cells.shape[2])])
        frame["neurons"] = thumbs
        dense = [layer for layer in self.model.layers if isinstance(layer, Dense)]
        frame["weights"] = [np.round(d.kernel.data.astype(np.float64), 4).tolist() for d in dense]
        frame["biases"] = [np.round(d.bias.data.astype(np.float64), 4).tolist() for d in dense]
        frame.update(self.metrics())
        return _finite_json(frame)

    def points(self) -> dict:
        """The data for the page: [x1, x2, label] rows of the train and test sets."""
        def rows(x, y):
            return np.round(np.column_stack([x, y]).astype(np.float64), 4).tolist()
        return {"type": "data", "classes": self.n_classes,
                "features": self.settings.feature_names,
                "train": rows(self.data.x_train, self.data.y_train),
                "test": rows(self.data.x_test, self.data.y_test)}


def _finite_json(value):
    """NaN and inf become None, so that the page always receives valid JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    return value

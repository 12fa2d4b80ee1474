"""The playground's settings: the TensorFlow Playground's URL keys and rosenblatt's additions,
each with its allowed values, checked before any work.

Every message from the page passes :func:`parse_settings`, which refuses an unknown key or a
value out of range with an error naming the key, what was expected and what was received; the
page shows that message (and clamps its URL hash itself, so a hostile link never reaches
here unchecked).

>>> s = parse_settings({"dataset": "circle", "networkShape": [], "learningRate": 0.1})
>>> s.network_shape, s.learning_rate, s.optimizer, s.loss
((), 0.1, 'sgd', 'squared')
>>> parse_settings({"batchSize": 0})
Traceback (most recent call last):
...
rosenblatt.playground.settings.SettingsError: batchSize: expected an integer from 1 to 30, got 0

Lecture 002 (the playground exercise, L17).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

MAX_LAYERS = 10  # hidden layers (the original: 6)
MAX_NEURONS = 32  # per hidden layer (the original: 8)
MAX_BATCH = 30
MAX_EPOCHS = 1_000_000
MAX_CLASSES = 6
DATASETS = ("circle", "xor", "gauss", "spiral")
MULTICLASS_DATASETS = ("gauss", "spiral")
REG_DATASETS = ("reg-plane", "reg-gauss")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu", "gelu", "swish")
OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop")
LOSSES = ("squared", "crossentropy")
REGULARIZATIONS = ("none", "L1", "L2")
SCHEDULES = ("constant", "exponential")
FEATURES = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
# the page's feature keys and rosenblatt's feature names (rosenblatt.nn.features)
FEATURE_NAMES = {"x": "x1", "y": "x2", "xSquared": "x1^2", "ySquared": "x2^2",
                 "xTimesY": "x1*x2", "sinX": "sin(x1)", "sinY": "sin(x2)"}
UI_ONLY = ("showTestData", "discretize", "collectStats", "hideText", "cosX", "cosY")


class SettingsError(ValueError):
    """A setting out of its range: the message names the key, the expected and the received."""


@dataclass(frozen=True)
class Settings:
    """One run's setup, in the original's units (noise and percTrainData in percent).

    The defaults are the original's, and its training rules: squared error, weights
    U(-0.5, 0.5), biases 0.1, plain SGD.
    """

    problem: str = "classification"
    dataset: str = "circle"
    reg_dataset: str = "reg-plane"
    noise: int = 0
    perc_train_data: int = 50
    batch_size: int = 10
    learning_rate: float = 0.03
    activation: str = "tanh"
    layer_activations: tuple = ()
    regularization: str = "none"
    regularization_rate: float = 0.0
    network_shape: tuple = (4, 2)
    features: tuple = ("x", "y")
    seed: str = "0"
    init_zero: bool = False
    target_loss: float | None = None
    max_epochs: int = 0
    optimizer: str = "sgd"
    loss: str = "squared"
    classes: int = 2
    dropout: float = 0.0
    schedule: str = "constant"
    custom_data: bool = field(default=False)

    @property
    def original_rules(self) -> bool:
        """Whether the run follows the original's training exactly."""
        return self.optimizer == "sgd" and self.loss == "squared" and self.dropout == 0 \
            and self.schedule == "constant"

    @property
    def multiclass(self) -> bool:
        return self.problem == "classification" and self.classes > 2

    @property
    def feature_names(self) -> list[str]:
        """The features in rosenblatt's names, in the page's order."""
        return [FEATURE_NAMES[k] for k in FEATURES if k in self.features]

    def hidden_activations(self) -> list[str]:
        """One activation per hidden layer (the per-layer choice, else the common one)."""
        n = len(self.network_shape)
        if self.layer_activations:
            return list(self.layer_activations)
        return [self.activation] * n

    def to_message(self) -> dict:
        """The settings under the page's keys (a JSON object)."""
        out = {}
        for f in fields(self):
            key = _KEYS[f.name]
            value = getattr(self, f.name)
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


# the page's key of each field
_KEYS = {"problem": "problem", "dataset": "dataset", "reg_dataset": "regDataset",
         "noise": "noise", "perc_train_data": "percTrainData", "batch_size": "batchSize",
         "learning_rate": "learningRate", "activation": "activation",
         "layer_activations": "layerActivations", "regularization": "regularization",
         "regularization_rate": "regularizationRate", "network_shape": "networkShape",
         "features": "features", "seed": "seed", "init_zero": "initZero",
         "target_loss": "targetLoss", "max_epochs": "maxEpochs", "optimizer": "optimizer",
         "loss": "loss", "classes": "classes", "dropout": "dropout", "schedule": "schedule",
         "custom_data": "customData"}
_FIELDS = {key: name for name, key in _KEYS.items()}


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(key: str, expected: str, value) -> SettingsError:
    return SettingsError(f"{key}: expected {expected}, got {_show(value)}")


def _integer(key, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(key, f"an integer from {low} to {high}", value)
    return value


def _number(key, value, low, high, low_open=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(key, "a number", value)
    value = float(value)
    below = value <= low if low_open else value < low
    if not math.isfinite(value) or below or value > high:
        bracket = "(" if low_open else "["
        raise _fail(key, f"a number in {bracket}{low:g}, {high:g}]", value)
    return value


def _choice(key, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise _fail(key, f"one of {', '.join(choices)}", value)
    return value


def _flag(key, value):
    if not isinstance(value, bool):
        raise _fail(key, "true or false", value)
    return value


def _shape(key, value):
    if not isinstance(value, list) or len(value) > MAX_LAYERS:
        raise _fail(key, f"a list of at most {MAX_LAYERS} layer sizes", value)
    return tuple(_integer(f"{key}[{i}]", v, 1, MAX_NEURONS) for i, v in enumerate(value))


def _features(key, value):
    if not isinstance(value, list) or not value or len(value) > len(FEATURES):
        raise _fail(key, f"a non-empty list of features from {', '.join(FEATURES)}", value)
    chosen = [_choice(f"{key}[{i}]", v, FEATURES) for i, v in enumerate(value)]
    if len(set(chosen)) != len(chosen):
        raise _fail(key, "distinct features", value)
    return tuple(k for k in FEATURES if k in chosen)


def _seed(key, value):
    if not isinstance(value, str) or not 1 <= len(value) <= 32 or not all(
            c.isascii() and (c.isalnum() or c in ".-_") for c in value):
        raise _fail(key, "1 to 32 letters, digits, '.', '-' or '_'", value)
    return value


def _activations(key, value):
    if not isinstance(value, list) or len(value) > MAX_LAYERS:
        raise _fail(key, f"a list of at most {MAX_LAYERS} activation names", value)
    return tuple(_choice(f"{key}[{i}]", v, ACTIVATIONS) for i, v in enumerate(value))


_CHECKS = {
    "problem": lambda k, v: _choice(k, v, ("classification", "regression")),
    "dataset": lambda k, v: _choice(k, v, DATASETS),
    "regDataset": lambda k, v: _choice(k, v, REG_DATASETS),
    "noise": lambda k, v: _integer(k, v, 0, 50),
    "percTrainData": lambda k, v: _integer(k, v, 10, 90),
    "batchSize": lambda k, v: _integer(k, v, 1, MAX_BATCH),
    "learningRate": lambda k, v: _number(k, v, 0.0, 10.0, low_open=True),
    "activation": lambda k, v: _choice(k, v, ACTIVATIONS),
    "layerActivations": _activations,
    "regularization": lambda k, v: _choice(k, v, REGULARIZATIONS),
    "regularizationRate": lambda k, v: _number(k, v, 0.0, 10.0),
    "networkShape": _shape,
    "features": _features,
    "seed": _seed,
    "initZero": _flag,
    "targetLoss": lambda k, v: None if v is None else _number(k, v, 0.0, 100.0, low_open=True),
    "maxEpochs": lambda k, v: _integer(k, v, 0, MAX_EPOCHS),
    "optimizer": lambda k, v: _choice(k, v, OPTIMIZERS),
    "loss": lambda k, v: _choice(k, v, LOSSES),
    "classes": lambda k, v: _integer(k, v, 2, MAX_CLASSES),
    "dropout": lambda k, v: _number(k, v, 0.0, 0.9),
    "schedule": lambda k, v: _choice(k, v, SCHEDULES),
    "customData": _flag,
}


def parse_settings(message, base: Settings | None = None) -> Settings:
    """Settings from a JSON object of the page's keys; missing keys keep ``base``'s values.

    Raises :class:`SettingsError` (a ValueError) for anything but a JSON object, an unknown
    key, or a value outside its range, and for combinations that cannot run (a multiclass
    set other than gauss or spiral, per-layer activations that do not match the layers).
    """
    if not isinstance(message, dict):
        raise _fail("settings", "a JSON object", type(message).__name__)
    unknown = sorted(k for k in message if k not in _CHECKS and k not in UI_ONLY)
    if unknown:
        raise SettingsError(f"settings: unknown key {_show(unknown[0])} (expected one of "
                            f"{', '.join(_CHECKS)})")
    values = {} if base is None else {f.name: getattr(base, f.name) for f in fields(base)}
    for key, value in message.items():
        if key in _CHECKS:
            values[_FIELDS[key]] = _CHECKS[key](key, value)
    settings = Settings(**values)
    if settings.multiclass and settings.dataset not in MULTICLASS_DATASETS \
            and not settings.custom_data:
        raise SettingsError(f"classes: {settings.classes} classes are offered on the "
                            f"datasets {', '.join(MULTICLASS_DATASETS)}, got dataset "
                            f"{settings.dataset!r}")
    if settings.layer_activations and len(settings.layer_activations) != len(
            settings.network_shape):
        raise SettingsError(f"layerActivations: expected one activation per hidden layer "
                            f"({len(settings.network_shape)}), got "
                            f"{len(settings.layer_activations)}")
    return settings

"""``load_model``: a model rebuilt from its file, architecture, weights and optimizer state.

The file is read by :mod:`rosenblatt.models.saving` (JSON and arrays, never pickle); only the
built-in model and layer classes can be made from it, so loading never runs code.
"""

from __future__ import annotations

import json

from rosenblatt.base.checks import check_bool, describe
from rosenblatt.models import saving
from rosenblatt.models.model import Model
from rosenblatt.models.sequential import Sequential
from rosenblatt.nn import layers

MODEL_CLASSES = saving.MODEL_CLASSES
saving.register_model_class(Sequential)
saving.register_model_class(Model)
# models are layers of bigger functional models: their files name them as layers too
layers.LAYERS.update({"Sequential": Sequential, "Model": Model})


def load_model(path, compile: bool = True):  # noqa: A002
    """Rebuild a saved model: architecture from JSON, weights, and (if saved) optimizer state.

    Every array's declared shape is checked against the architecture before it is read; any
    damage gives a :class:`~rosenblatt.models.saving.ModelFileError` naming what is wrong.
    """
    compile = check_bool(compile, "compile")
    archive = saving.read(path)
    config = archive.config
    if config.get("weights_only"):
        raise saving.ModelFileError(f"{path} holds only weights (save_weights): rebuild the model "
                                    "in code and call model.load_weights(path)")
    name = config.get("class_name", "Model")
    if not isinstance(name, str) or name not in MODEL_CLASSES:
        raise archive.error(f"class_name: expected one of {', '.join(map(repr, MODEL_CLASSES))}, "
                            f"got {name!r}")
    return saving.restore(archive, MODEL_CLASSES[name], compile=compile)


def model_from_json(json_string: str, custom_objects=None):
    """A model rebuilt from ``Model.to_json()``: the same architecture and layer names, fresh
    weights. Only the built-in model and layer classes can be made (no code runs).

    >>> from rosenblatt.layers import Dense
    >>> model = Sequential([Dense(2, input_dim=3, name="d")])
    >>> model_from_json(model.to_json()).get_layer("d").units
    2
    """
    if custom_objects is not None:
        raise ValueError("custom_objects: only built-in layers can be rebuilt, got "
                         f"{describe(custom_objects)}")
    if not isinstance(json_string, str):
        raise TypeError(f"json_string: expected a str from Model.to_json(), got "
                        f"{describe(json_string)}")
    try:
        spec = json.loads(json_string)
    except ValueError as exc:
        raise ValueError(f"json_string: not valid JSON ({exc})") from None
    name = spec.get("class_name") if isinstance(spec, dict) else None
    if name not in MODEL_CLASSES or not isinstance(spec.get("config"), dict):
        raise ValueError(f"json_string: expected {{'class_name': one of "
                         f"{', '.join(map(repr, MODEL_CLASSES))}, 'config': {{...}}}}, got "
                         f"class_name {name!r}")
    return MODEL_CLASSES[name].from_config(spec["config"])


def clone_model(model):
    """A new model of the same architecture and configuration as ``model``, with its own
    freshly initialized weights (nothing shared), as Keras' ``clone_model``.

    >>> from rosenblatt.layers import Dense
    >>> model = Sequential([Dense(2, input_dim=3)])
    >>> clone = clone_model(model)
    >>> clone.count_params() == model.count_params(), clone.weights[0] is model.weights[0]
    (True, False)
    """
    if not isinstance(model, Model):
        raise TypeError(f"model: expected a Model or Sequential, got {describe(model)}")
    config = model.get_config()
    if config.get("seed") is None:
        return type(model).from_config(config)
    return type(model).from_config({**config, "seed": None})

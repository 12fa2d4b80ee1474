"""``load_model``: a model rebuilt from its file, architecture, weights and optimizer state.

The file is read by :mod:`rosenblatt.models.saving` (JSON and arrays, never pickle); only the
built-in model and layer classes can be made from it, so loading never runs code.
"""

from __future__ import annotations

from rosenblatt.models import saving
from rosenblatt.models.model import Model
from rosenblatt.models.sequential import Sequential
from rosenblatt.nn.features import FeatureMap


def load_model(path, compile: bool = True):  # noqa: A002
    """Rebuild a saved model: architecture from JSON, weights, and (if saved) optimizer state."""
    config, arrays = saving.read(path)
    if config.get("weights_only"):
        raise ValueError(f"{path} holds only weights (save_weights): rebuild the model in code "
                         "and call model.load_weights(path)")
    cls = Sequential if config.get("class_name") == "Sequential" else Model
    try:
        model = cls.from_config(config["config"])
        model.set_weights(saving.weights_of(arrays))
        model._rng.bit_generator.state = config["rng_state"]
        by_name = {layer.name: layer for layer in model.layers}
        for name, state in config.get("layer_rng_states", {}).items():
            by_name[name]._rng.bit_generator.state = state  # a seeded Dropout's own generator
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: damaged or incompatible model file: {exc}") from exc
    if config.get("feature_map") is not None:
        model.feature_map = FeatureMap.from_config(config["feature_map"])
    spec = config.get("compile")
    if compile and spec is not None:
        model.compile(optimizer=spec["optimizer"], loss=spec["loss"], metrics=spec["metrics"])
        state = {k[len("optimizer/"):]: v for k, v in arrays.items() if k.startswith("optimizer/")}
        if state:
            model.flat_parameters()
            model.optimizer.set_state(state)
    return model

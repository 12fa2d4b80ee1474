"""``load_model``: a model rebuilt from its file, architecture, weights and optimizer state.

The file is read by :mod:`rosenblatt.models.saving` (JSON and arrays, never pickle); only the
built-in model and layer classes can be made from it, so loading never runs code.
"""

from __future__ import annotations

from rosenblatt.models import saving
from rosenblatt.models.model import Model
from rosenblatt.models.sequential import Sequential
from rosenblatt.nn.features import FeatureMap, Preprocessing

MODEL_CLASSES = saving.MODEL_CLASSES
saving.register_model_class(Sequential)
saving.register_model_class(Model)


def load_model(path, compile: bool = True):  # noqa: A002
    """Rebuild a saved model: architecture from JSON, weights, and (if saved) optimizer state.

    Every array's declared shape is checked against the architecture before it is read; any
    damage gives a :class:`~rosenblatt.models.saving.ModelFileError` naming what is wrong.
    """
    archive = saving.read(path)
    config = archive.config
    if config.get("weights_only"):
        raise saving.ModelFileError(f"{path} holds only weights (save_weights): rebuild the model "
                                    "in code and call model.load_weights(path)")
    name = config.get("class_name", "Model")
    if not isinstance(name, str) or name not in MODEL_CLASSES:
        raise archive.error(f"class_name: expected one of {', '.join(map(repr, MODEL_CLASSES))}, "
                            f"got {name!r}")
    try:
        model = MODEL_CLASSES[name].from_config(_mapping(config, "config"))
        model.set_weights(archive.weights(model.weights))
        _restore_generator(model._rng, config["rng_state"], "rng_state")
        by_name = {layer.name: layer for layer in model.layers}
        for layer, state in _mapping(config, "layer_rng_states", {}).items():
            if getattr(by_name.get(layer), "_rng", None) is None:
                raise ValueError(f"layer_rng_states: no layer {layer!r} with its own generator")
            _restore_generator(by_name[layer]._rng, state, f"layer_rng_states[{layer!r}]")
        if config.get("preprocessing") is not None:
            model.preprocessing = Preprocessing.from_config(_mapping(config, "preprocessing"))
        elif config.get("feature_map") is not None:  # files written before preprocessing
            model.feature_map = FeatureMap.from_config(_mapping(config, "feature_map"))
        spec = config.get("compile")
        if compile and spec is not None:
            _compile(model, archive, _mapping(config, "compile"))
    except saving.ModelFileError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError) as exc:
        text = f"{exc} (a missing field)" if isinstance(exc, KeyError) else str(exc)
        raise archive.error(text) from exc
    return model


def _mapping(config: dict, key: str, default=None) -> dict:
    value = config[key] if default is None else config.get(key, default)
    if not isinstance(value, dict):
        raise TypeError(f"{key}: expected a JSON object, got {type(value).__name__}")
    return value


def _restore_generator(rng, state, name: str) -> None:
    """Set a generator's state from the file, refusing anything but a PCG64 state dict."""
    if not isinstance(state, dict) or state.get("bit_generator") != "PCG64":
        raise TypeError(f"{name}: expected a PCG64 generator state, got {type(state).__name__}")
    inner = state.get("state")
    numbers = [inner.get("state"), inner.get("inc")] if isinstance(inner, dict) else [None]
    numbers += [state.get("has_uint32"), state.get("uinteger")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**128
               for n in numbers):
        raise ValueError(f"{name}: the generator's numbers must be integers in [0, 2^128)")
    rng.bit_generator.state = state


def _compile(model, archive, spec: dict) -> None:
    metrics = spec["metrics"]
    if not isinstance(metrics, list):
        raise TypeError(f"compile.metrics: expected a list, got {type(metrics).__name__}")
    model.compile(optimizer=spec["optimizer"], loss=spec["loss"], metrics=metrics)
    keys = archive.keys("optimizer/")
    if keys:
        theta, _ = model.flat_parameters()
        model.optimizer.set_state({key[len("optimizer/"):]: archive.array(key, max_size=theta.size)
                                   for key in keys})

"""Model files: architecture as JSON and weights as arrays in one ``.npz`` archive.

Loading uses ``np.load(..., allow_pickle=False)`` and builds layers only from the registry of
built-in classes, so a model file can never run code. The optimizer's state (slots, step
count) and the random generators (the model's, and those of layers seeded on their own) are
stored too, so training resumes exactly.

File layout: ``__model__.json`` (a UTF-8 string array), ``weight/<i>`` per weight, and
``optimizer/<key>`` per optimizer state array.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from rosenblatt.nn import losses, optimizers

FORMAT = "rosenblatt-model"
VERSION = 1


def _describe_config(model, include_optimizer: bool) -> dict:
    config = {"format": FORMAT, "version": VERSION, "class_name": type(model).__name__,
              "config": model.get_config(), "rng_state": model._rng.bit_generator.state,
              "layer_rng_states": {layer.name: layer._rng.bit_generator.state
                                   for layer in model.layers
                                   if getattr(layer, "_rng", None) is not None}}
    if config["class_name"] not in ("Sequential", "Model"):
        config["class_name"] = "Model"
    feature_map = getattr(model, "feature_map", None)
    if feature_map is not None:  # the input features a model of raw 2-D points was trained on
        config["feature_map"] = feature_map.get_config()
    if model.loss is not None:
        config["compile"] = {
            "optimizer": optimizers.serialize(model.optimizer),
            "loss": losses.serialize(model.loss),
            "metrics": [m.name for m in model.compiled_metrics],
            "include_optimizer": include_optimizer,
        }
    return config


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"cannot store {type(value).__name__} in a model file")


def _write(path, arrays: dict) -> None:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"cannot save to {path}: directory {path.parent} does not exist")
    with open(path, "wb") as handle:  # a file object: numpy does not append '.npz'
        np.savez(handle, **arrays)


def save_model(model, path, include_optimizer: bool = True) -> None:
    """Write ``model`` to ``path``: JSON architecture, weights, optimizer state."""
    if not model.built:
        raise ValueError(f"save: model {model.name!r} has no weights yet; build or fit it first")
    config = _describe_config(model, include_optimizer)
    arrays = {"__model__.json": np.array(json.dumps(config, default=_json_default))}
    for i, w in enumerate(model.get_weights()):
        arrays[f"weight/{i}"] = w
    if include_optimizer and model.optimizer is not None:
        for key, value in model.optimizer.get_state().items():
            arrays[f"optimizer/{key}"] = np.asarray(value)
    _write(path, arrays)


def read(path) -> tuple[dict, dict]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no model file at {path}")
    if not zipfile.is_zipfile(path):  # else numpy would try, and refuse, to unpickle it
        raise ValueError(f"{path} is not a rosenblatt model file: not an .npz (zip) archive")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ValueError(f"{path} is not a rosenblatt model file: {exc}") from exc
    if "__model__.json" not in arrays:
        raise ValueError(f"{path} is not a rosenblatt model file: no __model__.json entry")
    try:
        config = json.loads(str(arrays.pop("__model__.json")))
    except ValueError as exc:
        raise ValueError(f"{path}: its __model__.json entry is not valid JSON ({exc})") from exc
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        found = config.get("format") if isinstance(config, dict) else type(config).__name__
        raise ValueError(f"{path} is not a rosenblatt model file (format {found!r})")
    if config.get("version", 0) > VERSION:
        raise ValueError(f"{path} was written by a newer rosenblatt (file version "
                         f"{config['version']}, this one reads {VERSION})")
    return config, arrays


def weights_of(arrays: dict) -> list[np.ndarray]:
    count = sum(1 for key in arrays if key.startswith("weight/"))
    missing = [f"weight/{i}" for i in range(count) if f"weight/{i}" not in arrays]
    if missing:
        raise ValueError(f"missing weight arrays {', '.join(missing)}")
    return [arrays[f"weight/{i}"] for i in range(count)]


def save_weights(model, path) -> None:
    """Write only the weights (any model, subclassed ones included)."""
    _write(path, {"__model__.json": np.array(json.dumps({"format": FORMAT, "version": VERSION,
                                                          "weights_only": True})),
                  **{f"weight/{i}": w for i, w in enumerate(model.get_weights())}})


def load_weights(model, path) -> None:
    """Load weights saved by ``save_weights`` or ``save`` into a built model of the same shape."""
    _, arrays = read(path)
    if not model.built:
        raise ValueError("load_weights: build the model first (call it on data or build(shape))")
    model.set_weights(weights_of(arrays))

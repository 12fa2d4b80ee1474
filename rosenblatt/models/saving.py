"""Model files: architecture as JSON and weights as arrays in one ``.npz`` archive.

Reading never runs code and never allocates more than the architecture needs: the archive's
entry headers are read first, any entry the format does not define is refused, every array's
declared type and shape is checked (against the architecture, for weights) before it is read,
and arrays are read with ``allow_pickle=False``; weights and optimizer state holding NaN, inf
or complex numbers are refused, naming the array. Layers are built only from the registry of
built-in classes. The optimizer's state (slots, step count) and the random generators (the
model's, and those of layers seeded on their own) are stored too, so training resumes exactly.

Writing is atomic: the archive goes to a temporary file beside the target, is flushed to disk,
and then replaces the target in one step (``os.replace``), so a save that fails halfway (a
full disk, an exception, Ctrl-C) leaves the previous file as it was.

File layout: ``__model__.json`` (a UTF-8 string array), ``weight/<i>`` per weight, and
``optimizer/<key>`` per optimizer state array.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from rosenblatt.base.checks import (
    PathIsDirectoryError,
    PathNotFoundError,
    PathNotWritableError,
    check_bool,
)
from rosenblatt.nn import losses, optimizers
from rosenblatt.nn.features import FeatureMap, Preprocessing

FORMAT = "rosenblatt-model"
VERSION = 1
MAX_JSON_CHARS = 1 << 24  # the architecture's JSON: 16 Mi characters at most
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}
_ENTRY = re.compile(r"(__model__\.json|weight/\d+|optimizer/[A-Za-z0-9_]+(/\d+)?)\.npy")


# The model classes a file can name, by class name (filled by loading and by the modules above
# models that define models, with register_model_class); loading builds only these.
MODEL_CLASSES: dict = {}


def register_model_class(cls) -> None:
    """Let model files name ``cls`` (its ``get_config`` / ``from_config`` round-trip)."""
    MODEL_CLASSES[cls.__name__] = cls


class ModelFileError(ValueError):
    """A file that is not a rosenblatt model file, or a damaged or incompatible one."""


def _describe_config(model, include_optimizer: bool) -> dict:
    config = {"format": FORMAT, "version": VERSION, "class_name": type(model).__name__,
              "config": model.get_config(), "rng_state": model._rng.bit_generator.state,
              "layer_rng_states": {layer.name: layer._rng.bit_generator.state
                                   for layer in model.layers
                                   if getattr(layer, "_rng", None) is not None}}
    if config["class_name"] not in MODEL_CLASSES:
        config["class_name"] = "Model"
    preprocessing = getattr(model, "preprocessing", None)
    if preprocessing is not None:  # raw rows to inputs, outputs to the user's values
        config["preprocessing"] = preprocessing.get_config()
    if model.loss is not None:
        config["compile"] = {
            "optimizer": optimizers.serialize(model.optimizer),
            **compile_arguments(model),
            "include_optimizer": include_optimizer,
        }
    return config


def compile_arguments(model) -> dict:
    """compile's loss, metrics and loss_weights as JSON: one per output for a model with
    several (a list, or a dict by output name, as they were given)."""
    given = getattr(model, "_compile_config", None)
    if not getattr(model, "multi_output", False) or given is None:
        tracked = {getattr(m, "name", None) for m in model.compiled_metrics
                   if getattr(m, "needs_weights", False)}
        return {"loss": losses.serialize(model.loss),
                "metrics": [m.name for m in model.compiled_metrics if m.name not in tracked]}
    names = model.output_names
    per_loss = [None if loss is None else losses.serialize(loss) for loss in model.loss.losses]
    metrics = {name: [] for name in names}
    for metric in model.compiled_metrics:
        if not getattr(metric, "needs_weights", False):
            metrics[names[metric.index]].append(metric.metric.name)
    return {"loss": dict(zip(names, per_loss, strict=True)), "metrics": metrics,
            "loss_weights": dict(zip(names, model.loss.weights, strict=True))}


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"cannot store {type(value).__name__} in a model file")


def file_path(path, name: str = "path") -> Path:
    """``path`` (a str or os.PathLike) as a Path, or a TypeError naming ``name``."""
    if not isinstance(path, (str, os.PathLike)) or (isinstance(path, str) and not path):
        raise TypeError(f"{name}: expected a file path (a non-empty str or os.PathLike), got "
                        f"{type(path).__name__}" + (" ''" if path == "" else ""))
    return Path(path)


def writable_target(path) -> Path:
    """The regular file a save writes, checked before any work: a symbolic link is followed
    (the link stays, its target is replaced), its directory must exist, and an existing
    target must be a regular file (not a directory, a device or a FIFO)."""
    path = file_path(path).resolve()
    if not path.parent.is_dir():
        raise PathNotFoundError(f"cannot save to {path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise PathIsDirectoryError(f"cannot save to {path}: it is a directory")
    if path.exists() and not path.is_file():
        raise ValueError(f"path: cannot save to {path}: it exists and is not a regular file "
                         "(a device, a FIFO or a socket)")
    if not os.access(path.parent, os.W_OK):
        raise PathNotWritableError(f"cannot save to {path}: directory {path.parent} is not "
                                   "writable")
    return path


def _write(path: Path, arrays: dict) -> None:
    """Write ``arrays`` as an ``.npz`` archive to ``path`` (a :func:`writable_target`)
    atomically (see the module's text)."""
    directory = path.parent
    handle = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.", suffix=".tmp",
                                         delete=False)
    try:
        with handle:  # a file object: numpy does not append '.npz'
            np.savez(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _arrays(model, include_optimizer: bool) -> dict:
    """The entries of ``model``'s file: JSON architecture, weights, optimizer state."""
    config = _describe_config(model, include_optimizer)
    arrays = {"__model__.json": np.array(json.dumps(config, default=_json_default))}
    for i, w in enumerate(model.get_weights()):
        arrays[f"weight/{i}"] = w
    if include_optimizer and model.optimizer is not None:
        for key, value in model.optimizer.get_state().items():
            arrays[f"optimizer/{key}"] = np.asarray(value)
    return arrays


def save_model(model, path, include_optimizer: bool = True) -> None:
    """Write ``model`` to ``path``: JSON architecture, weights, optimizer state."""
    include_optimizer = check_bool(include_optimizer, "include_optimizer")
    target = writable_target(path)
    if not model.built:
        raise ValueError(f"save: model {model.name!r} has no weights yet; build or fit it first")
    _write(target, _arrays(model, include_optimizer))


def to_bytes(model) -> bytes:
    """``model``'s file (architecture, weights, optimizer state) as bytes in memory: what
    pickling a model holds, so that its bytes carry no code (an unbuilt model has no weights)."""
    buffer = io.BytesIO()
    np.savez(buffer, **_arrays(model, include_optimizer=True))
    return buffer.getvalue()


class Archive:
    """A model file opened for reading: its JSON config and its arrays, each read on request
    after its declared type and shape have been checked. ``data``: the file's bytes in memory
    (a pickled model), ``path`` then only names them in messages."""

    def __init__(self, path, data: bytes | None = None):
        self.path = file_path(path)  # with ``data``: only the name messages give the bytes
        self._source = self.path if data is None else io.BytesIO(data)
        if data is None and not self.path.exists():
            raise PathNotFoundError(f"no model file at {self.path}")
        if not zipfile.is_zipfile(self._source):  # else numpy would try, and refuse, to unpickle
            raise ModelFileError(f"{self.path} is not a rosenblatt model file: not an .npz (zip) "
                                 "archive")
        try:
            with zipfile.ZipFile(self._source) as archive:
                infos = archive.infolist()
                if "__model__.json.npy" not in {info.filename for info in infos}:
                    raise self.error("is not a rosenblatt model file: no __model__.json entry",
                                     damaged=False)
                self.headers = {info.filename[:-4]: self._header(archive, info)
                                for info in infos}
                self.config = self._config(archive)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ModelFileError(f"{self.path} is not a rosenblatt model file: {exc}") from exc

    def error(self, text: str, damaged: bool = True) -> ModelFileError:
        prefix = "damaged or incompatible model file: " if damaged else ""
        return ModelFileError(f"{self.path}: {prefix}{text}" if damaged else f"{self.path} {text}")

    def _header(self, archive, info) -> tuple[tuple, np.dtype]:
        """(shape, dtype) that an entry declares, read from its first bytes only."""
        if not _ENTRY.fullmatch(info.filename):
            raise self.error(f"unexpected entry {info.filename!r} (a model file holds "
                             "__model__.json, weight/<i> and optimizer/<name> arrays only)",
                             damaged=False)
        with archive.open(info) as handle:
            try:
                version = np.lib.format.read_magic(handle)
                if version not in _HEADER_READERS:
                    raise ValueError(f"unsupported .npy format version {version}")
                shape, _, dtype = _HEADER_READERS[version](handle)
            except ValueError as exc:
                raise self.error(f"entry {info.filename!r} is not a NumPy array ({exc})") from exc
        return tuple(shape), dtype

    def _config(self, archive) -> dict:
        shape, dtype = self.headers["__model__.json"]
        if shape != () or dtype.kind != "U" or dtype.itemsize // 4 > MAX_JSON_CHARS:
            raise self.error(f"its __model__.json entry must be one string of at most "
                             f"{MAX_JSON_CHARS} characters, got dtype {dtype} and shape {shape}")
        with archive.open("__model__.json.npy") as handle:
            text = str(np.lib.format.read_array(handle, allow_pickle=False))
        try:
            config = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise self.error(f"its __model__.json entry is not valid JSON ({exc})",
                             damaged=False) from None
        if not isinstance(config, dict) or config.get("format") != FORMAT:
            found = config.get("format") if isinstance(config, dict) else type(config).__name__
            raise self.error(f"is not a rosenblatt model file (format {found!r})", damaged=False)
        version = config.get("version", 0)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise self.error(f"its version must be an integer >= 0, got {version!r}")
        if version > VERSION:
            raise self.error(f"was written by a newer rosenblatt (file version {version}, this "
                             f"one reads {VERSION})", damaged=False)
        return config

    def keys(self, prefix: str) -> list[str]:
        return [key for key in self.headers if key.startswith(prefix)]

    def array(self, key: str, shape=None, max_size=None) -> np.ndarray:
        """The array ``key``, after checking that it declares a real number type and ``shape``
        (or at most ``max_size`` entries); refused when it holds NaN or inf."""
        declared, dtype = self._typed(key)
        if shape is not None and declared != tuple(shape):
            raise self.error(f"set_weights: {key} should have shape {tuple(shape)}, got "
                             f"{declared}")
        size = int(np.prod(declared, dtype=object))
        if max_size is not None and size > max_size:
            raise self.error(f"{key} declares {size} entries, more than the {max_size} the "
                             "model can use")
        with zipfile.ZipFile(self._source) as archive, archive.open(f"{key}.npy") as handle:
            value = np.lib.format.read_array(handle, allow_pickle=False)
        if dtype.kind == "f" and not np.isfinite(value).all():
            raise self.error(f"{key} holds NaN or inf values")
        return value

    def _typed(self, key: str) -> tuple[tuple, np.dtype]:
        """The declared (shape, dtype) of ``key``, refused unless real numbers."""
        declared, dtype = self.headers[key]
        if dtype.hasobject:
            raise self.error(f"{key} holds Python objects (dtype object), which are never "
                             "read (Object arrays cannot be loaded when allow_pickle=False)")
        if dtype.kind not in "biuf":
            raise self.error(f"{key}: expected an array of real numbers, got dtype {dtype}")
        return declared, dtype

    def weights(self, model_weights) -> list[np.ndarray]:
        """The weight arrays, checked against the model's weights (count and shapes)."""
        count = len(self.keys("weight/"))
        missing = [f"weight/{i}" for i in range(count) if f"weight/{i}" not in self.headers]
        if missing:
            raise self.error(f"missing weight arrays {', '.join(missing)}")
        if count != len(model_weights):
            raise self.error(f"set_weights: expected {len(model_weights)} weight arrays, the "
                             f"file has {count}")
        for i, w in enumerate(model_weights):  # every header first, then the arrays
            declared = self._typed(f"weight/{i}")[0]
            if declared != w.data.shape:
                raise self.error(f"set_weights: {w.name!r} has shape {w.data.shape}, got "
                                 f"{declared}")
        return [self.array(f"weight/{i}", w.data.shape) for i, w in enumerate(model_weights)]


def read(path) -> Archive:
    """Open a model file: its config is read and checked, its arrays are read on request."""
    return Archive(path)


def save_weights(model, path) -> None:
    """Write only the weights (any model, subclassed ones included)."""
    target = writable_target(path)
    header = {"format": FORMAT, "version": VERSION, "weights_only": True}
    _write(target, {"__model__.json": np.array(json.dumps(header)),
                    **{f"weight/{i}": w for i, w in enumerate(model.get_weights())}})


def load_weights(model, path) -> None:
    """Load weights saved by ``save_weights`` or ``save`` into a built model of the same shape."""
    if not model.built:
        raise ValueError("load_weights: build the model first (call it on data or build(shape))")
    model.set_weights(read(path).weights(model.weights))


def restore(archive: Archive, model_class, compile: bool = True):  # noqa: A002
    """A ``model_class`` (Sequential or Model) rebuilt from an opened model file: architecture,
    weights, generators, preprocessing and, with ``compile``, the optimizer and its state."""
    config = archive.config
    try:
        model = model_class.from_config(_mapping(config, "config"))
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
    except ModelFileError:
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
    if not isinstance(metrics, (list, dict)):
        raise TypeError(f"compile.metrics: expected a list or a dict, got "
                        f"{type(metrics).__name__}")
    model.compile(optimizer=spec["optimizer"], loss=spec["loss"], metrics=metrics,
                  loss_weights=spec.get("loss_weights"))
    keys = archive.keys("optimizer/")
    if keys:
        theta, _ = model.flat_parameters()
        model.optimizer.set_state({key[len("optimizer/"):]: archive.array(key, max_size=theta.size)
                                   for key in keys})

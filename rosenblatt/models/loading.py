"""``load_model``: a model rebuilt from its file, architecture, weights and optimizer state.

The file is read by :mod:`rosenblatt.models.saving` (JSON and arrays, never pickle); only the
built-in model and layer classes can be made from it, so loading never runs code.
"""

from __future__ import annotations

from rosenblatt.base.checks import check_bool
from rosenblatt.models import saving
from rosenblatt.models.model import Model
from rosenblatt.models.sequential import Sequential

MODEL_CLASSES = saving.MODEL_CLASSES
saving.register_model_class(Sequential)
saving.register_model_class(Model)


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

"""A model's files: ``save`` (architecture, weights and optimizer state in one ``.npz``
file), ``save_weights`` / ``load_weights``, and pickling, which goes through the same safe
format (:mod:`rosenblatt.models.saving`: JSON and arrays, never pickled code).

``Model`` takes these methods from :class:`ModelFiles`.

>>> import pickle
>>> import numpy as np
>>> from rosenblatt.layers import Dense
>>> from rosenblatt.models import Sequential
>>> model = Sequential([Dense(2, input_dim=3)], seed=0)
>>> copy = pickle.loads(pickle.dumps(model))
>>> x = np.ones((1, 3))
>>> bool(np.array_equal(copy.predict(x), model.predict(x)))
True
"""

from __future__ import annotations

from rosenblatt.models import saving


class ModelFiles:
    """The file methods of :class:`~rosenblatt.models.Model` (a mixin without state)."""

    def save(self, path, include_optimizer: bool = True) -> None:
        """Write architecture (JSON), weights and optimizer state to one ``.npz`` file."""
        saving.save_model(self, path, include_optimizer=include_optimizer)

    def save_weights(self, path) -> None:
        saving.save_weights(self, path)

    def load_weights(self, path) -> None:
        saving.load_weights(self, path)

    def __getstate__(self) -> dict:
        """Pickling (pickle, joblib, cloudpickle) goes through the model file's safe format:
        the pickled bytes hold this class and the file's bytes (JSON and arrays), no other
        code. A round trip predicts identically and continues training bit-identically."""
        return {"model_file": saving.to_bytes(self)}

    def __setstate__(self, state: dict) -> None:
        if not isinstance(state, dict) or not isinstance(state.get("model_file"), bytes):
            raise TypeError(f"__setstate__: expected {{'model_file': bytes}}, got "
                            f"{type(state).__name__}")
        archive = saving.Archive(f"<pickled {type(self).__name__}>", state["model_file"])
        self.__dict__.update(saving.restore(archive, type(self)).__dict__)

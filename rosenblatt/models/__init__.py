"""Models: ``Sequential``, functional ``Model(inputs, outputs)`` and subclassed ``Model``; their
files (``save`` / ``load_model``).
"""

from rosenblatt.models.loading import clone_model, load_model, model_from_json
from rosenblatt.models.model import Model
from rosenblatt.models.sequential import Sequential

__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_json"]

"""Models: ``Sequential``, functional ``Model(inputs, outputs)`` and subclassed ``Model``; their
files (``save`` / ``load_model``).
"""

from rosenblatt.models.loading import load_model
from rosenblatt.models.model import Model
from rosenblatt.models.sequential import Sequential

__all__ = ["Model", "Sequential", "load_model"]

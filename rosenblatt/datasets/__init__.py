"""Data sets: logic gates, the TensorFlow Playground's sets, toy sets, real data, and the tools
to prepare them (split, feature crosses, one-hot labels, standardization).

Every generator and loader returns ``(x, y)`` NumPy arrays with ``x`` float32.
"""

from rosenblatt.nn.features import FEATURES, FeatureMap, features, polynomial_features

from . import limits, mnist
from .catalog import DATASETS, REGRESSION, is_regression, make
from .gates import GATES, logic_gate
from .idx import load_idx, load_mnist
from .loaders import load_csv, load_digits
from .playground import circle, gauss, multi_gauss, multi_gauss_target, plane, spiral, xor
from .preprocessing import NotFittedError, Standardizer, one_hot, standardize, train_test_split
from .toy import blobs, moons

__all__ = [
    "DATASETS",
    "FEATURES",
    "GATES",
    "REGRESSION",
    "FeatureMap",
    "NotFittedError",
    "Standardizer",
    "blobs",
    "circle",
    "features",
    "gauss",
    "is_regression",
    "load_csv",
    "load_digits",
    "load_idx",
    "limits",
    "load_mnist",
    "mnist",
    "logic_gate",
    "make",
    "moons",
    "multi_gauss",
    "multi_gauss_target",
    "one_hot",
    "plane",
    "polynomial_features",
    "spiral",
    "standardize",
    "train_test_split",
    "xor",
]

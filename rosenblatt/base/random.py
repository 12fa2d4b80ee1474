"""Seeds: one seed makes training bit-identical, shuffling and dropout included.

There is no hidden global state in NumPy's legacy RNG: each model owns an
``np.random.Generator`` made from its ``seed``; a model without a seed takes one from the
global generator, which :func:`set_seed` resets.

>>> set_seed(0); a = global_rng().random()
>>> set_seed(0); a == global_rng().random()
True
"""

from __future__ import annotations

import numbers

import numpy as np

_global = {"rng": np.random.default_rng()}


def set_seed(seed: int) -> None:
    """Reset the global generator, from which models without a seed of their own draw one."""
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed: expected an integer >= 0, got {seed!r}")
    _global["rng"] = np.random.default_rng(int(seed))


def global_rng() -> np.random.Generator:
    return _global["rng"]


def make_rng(seed=None) -> np.random.Generator:
    """A generator from an int seed, a Generator (returned as is), or None (global draw)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng(int(global_rng().integers(2**63)))
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed: expected an integer >= 0 or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))

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

from rosenblatt.base.checks import describe

_global = {"rng": np.random.default_rng()}


def set_seed(seed: int) -> None:
    """Reset the global generator, from which models without a seed of their own draw one."""
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed: expected an integer >= 0, got {seed!r}")
    _global["rng"] = np.random.default_rng(int(seed))


def global_rng() -> np.random.Generator:
    return _global["rng"]


def make_rng(seed=None, name: str | None = None) -> np.random.Generator:
    """A generator from an int seed >= 0, a Generator (returned as is), or None (a seed drawn
    from the global generator, which :func:`set_seed` resets).

    Args:
        seed: None, an int >= 0 or a ``np.random.Generator``.
        name: the argument's name for scikit-learn-style errors (e.g. ``'random_state'``): a
            seed of the wrong type is then a TypeError and a negative int a ValueError, both
            naming it. Without a name, either is a ValueError about ``seed``.

    >>> int(make_rng(0).integers(10)) == int(make_rng(0, "random_state").integers(10))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng(int(global_rng().integers(2**63)))
    is_int = isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
    if name is None:
        if not is_int or seed < 0:
            raise ValueError(f"seed: expected an integer >= 0 or a numpy Generator, got {seed!r}")
    elif not is_int:
        raise TypeError(
            f"{name}: expected None, an int or a np.random.Generator, got {describe(seed)}"
        )
    elif seed < 0:
        raise ValueError(f"{name}: expected an int >= 0, got {seed}")
    return np.random.default_rng(int(seed))

"""Data sets by name: ``make('circle', n=200, noise=0.1)``."""

from __future__ import annotations

from rosenblatt.base.registry import Registry

from . import playground, toy

DATASETS = Registry("dataset")
DATASETS.add("circle", playground.circle)
DATASETS.add("xor", playground.xor)
DATASETS.add("gauss", playground.gauss)
DATASETS.add("spiral", playground.spiral)
DATASETS.add("plane", playground.plane)
DATASETS.add("reg-plane", playground.plane)
DATASETS.add("multi_gauss", playground.multi_gauss)
DATASETS.add("reg-gauss", playground.multi_gauss)
DATASETS.add("moons", toy.moons)
DATASETS.add("blobs", toy.blobs)

REGRESSION = ("plane", "multi_gauss")


def make(name: str, **kwargs):
    """Generate the data set called ``name`` with the generator's keyword arguments.

    **Names**: 'circle', 'xor', 'gauss', 'spiral' (playground classification), 'plane',
    'multi_gauss' (playground regression; also the playground's 'reg-plane', 'reg-gauss'),
    'moons', 'blobs'. Case, '_' and '-' are ignored.

    Args:
        name: the data set's name.
        **kwargs: passed to the generator (``n``, ``noise``, ``seed``, ...).

    Returns:
        (x, y): float32 array (n, 2) and labels (n,) as the generator returns them.

    >>> x, y = make("Circle", n=10, seed=0)
    >>> x.shape, y.shape
    ((10, 2), (10,))

    Lecture 002 (the playground exercise, L17).
    """
    return DATASETS.lookup(name)(**kwargs)


def is_regression(name: str) -> bool:
    """True when the data set ``name`` has real-valued targets ('plane', 'multi_gauss').

    >>> is_regression("reg-gauss"), is_regression("xor")
    (True, False)
    """
    generator = DATASETS.lookup(name)
    return any(DATASETS.lookup(other) is generator for other in REGRESSION)

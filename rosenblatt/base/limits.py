"""Size limits checked before anything is allocated.

``MAX_WEIGHT_ENTRIES`` is the most entries one weight array may have (2^27: 512 MiB in
float32). A layer configured for more (say Dense(200_000) on 100,000 inputs), or an initializer
asked for a larger array, is refused before anything is allocated. Raise it
(``rosenblatt.layers.MAX_WEIGHT_ENTRIES = ...``, an alias of this value) to build larger
weights on purpose.

>>> check_weight_entries((3, 4), "kernel")
12
"""

from __future__ import annotations

import math
import types

MAX_WEIGHT_ENTRIES = 1 << 27


def check_weight_entries(shape: tuple[int, ...], what: str) -> int:
    """The number of entries of ``shape``; ValueError naming ``what`` when it exceeds
    ``MAX_WEIGHT_ENTRIES``."""
    entries = math.prod(int(d) for d in shape)
    if entries > MAX_WEIGHT_ENTRIES:
        raise ValueError(
            f"{what} of shape {tuple(shape)} would have {entries:,} entries, more than "
            f"rosenblatt.layers.MAX_WEIGHT_ENTRIES = {MAX_WEIGHT_ENTRIES:,}; raise that limit "
            f"to build it on purpose"
        )
    return entries


class LimitAlias(types.ModuleType):
    """A module type whose ``MAX_WEIGHT_ENTRIES`` reads and writes this module's value, so that
    setting it on a public module (``rosenblatt.layers``) changes the one limit every check
    reads."""

    @property
    def MAX_WEIGHT_ENTRIES(self) -> int:  # noqa: N802 (a module constant's name)
        return globals()["MAX_WEIGHT_ENTRIES"]

    @MAX_WEIGHT_ENTRIES.setter
    def MAX_WEIGHT_ENTRIES(self, value: int) -> None:  # noqa: N802
        globals()["MAX_WEIGHT_ENTRIES"] = value

"""Caps on the sizes that the data sets' arguments ask for, checked before anything is
allocated, so that a mistyped size is a clear ValueError rather than a MemoryError or a hang.

Each cap is a module constant, read at every call: raise it on purpose, for example
``rosenblatt.datasets.limits.MAX_SAMPLES = 10**8``, to generate more.
"""

from __future__ import annotations

#: The most points a generator makes (``n`` of circle, xor, gauss, spiral, plane,
#: multi_gauss, moons, blobs) and the most centres ``blobs`` draws: ten million points, a
#: (10^7, 2) float32 array of 80 MB.
MAX_SAMPLES = 10_000_000

#: The most entries of a one-hot array, n labels times K classes: 2^28 (1 GiB of float32).
MAX_ONE_HOT_ENTRIES = 1 << 28


def check_samples(n: int, name: str = "n") -> None:
    """Refuse a count of points (or centres) over :data:`MAX_SAMPLES`, naming ``name``."""
    if n > MAX_SAMPLES:
        raise ValueError(
            f"{name}: expected at most {MAX_SAMPLES:,} (rosenblatt.datasets.limits.MAX_SAMPLES; "
            f"raise it to generate more), got {n:,}"
        )

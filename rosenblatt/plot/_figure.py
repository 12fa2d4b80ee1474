"""Plumbing shared by the pictures: the optional matplotlib import, the playground's colours,
panel grids and saving.

matplotlib is an optional extra; it is imported here, when a picture is drawn, and nowhere in
the core.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from rosenblatt.base.checks import describe

ORANGE = "#f59322"
BLUE = "#0877bd"
GREY = "#e8eaeb"
# Class colours: the playground's two, then matplotlib's tab10 without its own orange and blue.
CLASS_COLORS = (
    ORANGE,
    BLUE,
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
SAVE_SUFFIXES = (".png", ".svg")


def require_matplotlib():
    """Import and return ``matplotlib``, or explain how to install it."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            "rosenblatt.plot needs matplotlib, which is not installed: "
            'pip install "rosenblatt[plot]"'
        ) from exc
    return matplotlib


def pyplot():
    """Import and return ``matplotlib.pyplot`` (see :func:`require_matplotlib`)."""
    require_matplotlib()
    import matplotlib.pyplot as plt

    return plt


def playground_cmap():
    """The playground's diverging colour map: orange (negative) to grey to blue (positive)."""
    pyplot()
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("playground", [ORANGE, GREY, BLUE])


def check_save(save) -> Path | None:
    """Validate ``save`` (None or a path ending in .png or .svg) before any drawing."""
    if save is None:
        return None
    if not isinstance(save, (str, os.PathLike)):
        raise TypeError(
            f"save: expected None or a path ending in .png or .svg, got {describe(save)}"
        )
    path = Path(save)
    if path.suffix.lower() not in SAVE_SUFFIXES:
        raise ValueError(f"save: expected a path ending in .png or .svg, got {str(save)!r}")
    return path


def panels(count: int, ncols: int, size: tuple[float, float] = (3.0, 2.6)):
    """A figure with ``count`` axes laid out ``ncols`` to a row; unused cells are removed.

    Returns the figure and the flat list of its ``count`` axes.
    """
    plt = pyplot()
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    fig, grid = plt.subplots(
        nrows,
        ncols,
        figsize=(size[0] * ncols, size[1] * nrows),
        squeeze=False,
        layout="constrained",
    )
    axes = list(grid.ravel())
    for ax in axes[count:]:
        fig.delaxes(ax)
    return fig, axes[:count]


def finish(fig, path: Path | None):
    """Write ``fig`` to ``path`` (if given) and return it."""
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig

"""The playground's picture: a model's output as a heat map over the input plane, with the data
points on top (lecture 002, the TensorFlow Playground exercise)."""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import as_array, check_same_length, describe
from rosenblatt.plot._figure import (
    CLASS_COLORS,
    check_save,
    finish,
    panels,
    playground_cmap,
)


def plane_grid(x, x_test=None, resolution: int = 200, margin: float = 0.1):
    """The grid of points covering the plane of the data ``x`` (and ``x_test``), with a margin.

    Formula: on each axis j, ``lo_j = min_j - m (max_j - min_j)`` and
    ``hi_j = max_j + m (max_j - min_j)`` (a span of 0 is widened by 1 on both sides); the grid
    holds ``(u_a, v_b)`` with ``u_a = lo_1 + a (hi_1 - lo_1) / (r - 1)`` and
    ``v_b = lo_2 + b (hi_2 - lo_2) / (r - 1)`` for ``a, b = 0 ... r - 1``, in row ``a + r b``
    (x1 varies fastest, so ``grid`` reshaped to ``(r, r)`` is an image with x2 along its rows).

    Args:
        x: points, shape ``(n, 2)``.
        x_test: more points that must fall inside the plane, shape ``(m, 2)``, or None.
        resolution: ``r``, the number of grid points per axis (>= 2).
        margin: ``m``, the margin as a fraction of the data's span (>= 0).

    Returns:
        ``(grid, extent)``: the points, shape ``(r * r, 2)``, and ``(lo_1, hi_1, lo_2, hi_2)``.

    >>> grid, extent = plane_grid([[0.0, 0.0], [1.0, 2.0]], resolution=3, margin=0.0)
    >>> extent
    (0.0, 1.0, 0.0, 2.0)
    >>> grid[:4].tolist()
    [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [0.0, 1.0]]

    Lecture 002 (the playground's output picture).
    """
    x = _plane_points(x, "x")
    points = x if x_test is None else np.concatenate([x, _plane_points(x_test, "x_test")])
    resolution = _check_resolution(resolution)
    if not isinstance(margin, numbers.Real) or isinstance(margin, bool) or not margin >= 0:
        raise ValueError(f"margin: expected a number >= 0, got {margin!r}")
    low, high = points.min(axis=0), points.max(axis=0)
    span = high - low
    pad = np.where(span > 0, margin * span, 1.0)
    low, high = low - pad, high + pad
    u = np.linspace(low[0], high[0], resolution)
    v = np.linspace(low[1], high[1], resolution)
    uu, vv = np.meshgrid(u, v)
    grid = np.column_stack([uu.ravel(), vv.ravel()])
    return grid, (float(low[0]), float(high[0]), float(low[1]), float(high[1]))


def decision_boundary(
    model, x, y, x_test=None, y_test=None, features=None, resolution: int = 200, ax=None, save=None
):
    """Draw the model's output over the input plane as the playground does, with the data on top.

    Formula: the heat map is ``model.predict(phi(u, v))`` over a grid of the plane (see
    :func:`plane_grid`), where ``phi`` maps the two raw inputs to the model's inputs (the
    identity, the playground's feature crosses, or any callable). One output: orange (low) to
    blue (high) on [0, 1] with the boundary ``a = 0.5``, or on [-1, 1] with the boundary
    ``a = 0`` when the outputs are bipolar (some are below 0); points are coloured on the scale
    of their labels (0/1, or -1/1 and real targets when some are below 0). Several outputs:
    each point of the plane takes the colour of ``argmax_k a_k``, more opaque the surer the
    model (``max_k a_k`` rescaled from ``1/K`` to 1); outputs that are not probabilities
    (logits) go through softmax first.

    Args:
        model: anything with ``predict(x) -> (n, k)``; its ``preprocessing`` (raw points
            to inputs) or else a ``feature_map`` attribute (feature names or a callable) is
            used when ``features`` is None.
        x: training points in the raw input plane, shape ``(n, 2)``.
        y: their labels: shape ``(n,)`` or ``(n, 1)`` (0/1, -1/1 or real values), or one-hot
            ``(n, k)``.
        x_test, y_test: test points and labels (drawn with black edges), or None.
        features: None (the model takes ``x``), a list of names for
            ``rosenblatt.datasets.features`` (e.g. ``['x1', 'x2', 'x1^2']``), or a callable
            mapping an ``(n, 2)`` array to the model's ``(n, d)`` inputs.
        resolution: grid points per axis.
        ax: a matplotlib Axes to draw into, or None for a new figure.
        save: None, or a path ending in .png or .svg to write the figure to.

    Returns:
        The ``matplotlib.figure.Figure``.

    >>> class Circle:
    ...     def predict(self, x):
    ...         return 1 / (1 + np.exp(-(x ** 2).sum(axis=1, keepdims=True) + 1))
    >>> fig = decision_boundary(Circle(), [[0, 0], [2, 1]], [0, 1], resolution=20)
    >>> len(fig.axes)  # the plane and its colour bar
    2

    Lecture 002 (playground exercise, L17) and https://playground.tensorflow.org.
    """
    path = check_save(save)
    x = _plane_points(x, "x", hint=True)
    y = _labels(y, "y")
    check_same_length(x, y, "x", "y")
    test = _test_points(x_test, y_test)
    resolution = _check_resolution(resolution)
    mapping = _mapping(model, features)
    _check_width(model, mapping, x)
    grid, extent = plane_grid(x, None if test is None else test[0], resolution)
    out = _predict(model, mapping, grid)
    fig, ax = _figure_and_axes(ax)
    image = out.reshape(resolution, resolution, out.shape[1])
    if out.shape[1] == 1:
        _draw_binary(fig, ax, image[..., 0], extent, bipolar=out.min() < 0)
        labels_bipolar = y.min() < 0 or (test is not None and test[1].min() < 0)
        colours = _binary_colors(y, labels_bipolar)
        test_colours = None if test is None else _binary_colors(test[1], labels_bipolar)
    else:
        _check_classes(y, "y", out.shape[1])
        if test is not None:
            _check_classes(test[1], "y_test", out.shape[1])
        _draw_classes(ax, image, extent)
        colours = _class_colors(y)
        test_colours = None if test is None else _class_colors(test[1])
    _draw_points(ax, x, colours, test, test_colours)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_title("decision boundary")
    return finish(fig, path)


def scatter(x, y, x_test=None, y_test=None, ax=None, save=None):
    """Draw a 2-D data set as the playground shows it: points coloured by label, white-edged.

    Formula: a point with label ``y`` gets the playground colour of ``y`` on the scale
    orange (0 or -1) to blue (1); integer labels 0 ... K-1 with K > 2 get one colour per class.

    Args:
        x: training points, shape ``(n, 2)``.
        y: their labels or targets, shape ``(n,)``, ``(n, 1)`` or one-hot ``(n, k)``.
        x_test, y_test: test points and labels (drawn with black edges), or None.
        ax: a matplotlib Axes to draw into, or None for a new figure.
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure``.

    >>> fig = scatter([[0, 0], [1, 1], [0, 1]], [0, 1, 1])
    >>> len(fig.axes)
    1

    Lecture 002 (the playground's data sets).
    """
    path = check_save(save)
    x = _plane_points(x, "x")
    y = _labels(y, "y")
    check_same_length(x, y, "x", "y")
    test = _test_points(x_test, y_test)
    fig, ax = _figure_and_axes(ax)
    labels = y if test is None else np.concatenate([y, test[1]])
    if _is_multiclass(labels):
        colours = _class_colors(y)
        test_colours = None if test is None else _class_colors(test[1])
    else:
        bipolar = labels.min() < 0
        colours = _binary_colors(y, bipolar)
        test_colours = None if test is None else _binary_colors(test[1], bipolar)
    _draw_points(ax, x, colours, test, test_colours)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title("data")
    return finish(fig, path)


def _plane_points(x, name: str, hint: bool = False) -> np.ndarray:
    x = as_array(x, name, dtype=np.float64, ndim=2)
    if x.shape[1] != 2 or len(x) == 0:
        if hint:
            raise ValueError(
                f"{name}: decision boundary needs 2-D inputs, points of the plane of shape "
                f"(n, 2) with n >= 1; got shape {x.shape}. If the model takes other inputs, "
                "pass x in the plane and features=... to map them"
            )
        raise ValueError(f"{name}: expected points of shape (n, 2) with n >= 1, got {x.shape}")
    return x


def _labels(y, name: str) -> np.ndarray:
    y = as_array(y, name, dtype=np.float64, ndim=(1, 2))
    if y.ndim == 2:
        y = y[:, 0] if y.shape[1] == 1 else y.argmax(axis=1).astype(np.float64)
    return y


def _test_points(x_test, y_test):
    if (x_test is None) != (y_test is None):
        raise ValueError(
            "x_test and y_test: pass both or neither, got "
            f"x_test={describe(x_test)} and y_test={describe(y_test)}"
        )
    if x_test is None:
        return None
    x_test = _plane_points(x_test, "x_test")
    y_test = _labels(y_test, "y_test")
    check_same_length(x_test, y_test, "x_test", "y_test")
    return x_test, y_test


def _check_resolution(resolution) -> int:
    if (
        not isinstance(resolution, numbers.Integral)
        or isinstance(resolution, bool)
        or resolution < 2
    ):
        raise ValueError(f"resolution: expected an integer >= 2, got {resolution!r}")
    return int(resolution)


def _mapping(model, features):
    """The map from raw (n, 2) points to the model's inputs, or None for the identity."""
    if features is None:  # the model's declared preprocessing (crosses, scaling), if any
        features = getattr(model, "preprocessing", None) or getattr(model, "feature_map", None)
    if features is None or callable(features):
        return features
    if isinstance(features, str) or not all(isinstance(f, str) for f in features):
        raise TypeError(
            "features: expected None, a list of feature names or a callable, "
            f"got {describe(features)}"
        )
    names = list(features)
    from rosenblatt.datasets import features as feature_crosses

    return lambda points: feature_crosses(points, names)


def _apply(mapping, points: np.ndarray) -> np.ndarray:
    if mapping is None:
        return points
    inputs = np.asarray(mapping(points))
    if inputs.ndim != 2 or len(inputs) != len(points):
        raise ValueError(
            f"features: expected the mapping to return shape ({len(points)}, d) for "
            f"{len(points)} points, got shape {inputs.shape}"
        )
    return inputs


def _input_width(model):
    """The number of inputs of the model's first layer with weights, or None if unknown."""
    for layer in getattr(model, "layers", None) or []:
        weights = layer.get_weights()
        if weights and np.ndim(weights[0]) == 2:
            return int(np.shape(weights[0])[0])
    return None


def _check_width(model, mapping, x: np.ndarray) -> None:
    width = _input_width(model)
    inputs = _apply(mapping, x)
    if width is None or inputs.shape[1] == width:
        return
    if mapping is None:
        raise ValueError(
            f"model: expects {width} inputs but x has 2 columns; pass features=... "
            "(feature names or a callable) to map the plane to the model's inputs"
        )
    raise ValueError(
        f"features: the model expects {width} inputs but the features give "
        f"{inputs.shape[1]} columns"
    )


def _predict(model, mapping, grid: np.ndarray) -> np.ndarray:
    out = np.asarray(model.predict(_apply(mapping, grid)), dtype=np.float64)
    if out.ndim == 1:
        out = out[:, None]
    if out.ndim != 2 or len(out) != len(grid):
        raise ValueError(
            f"model: expected predict to return shape ({len(grid)}, k), got shape {out.shape}"
        )
    return out


def _figure_and_axes(ax):
    if ax is not None:
        return ax.figure, ax
    fig, axes = panels(1, 1, size=(5.2, 4.4))
    return fig, axes[0]


def _draw_binary(fig, ax, values: np.ndarray, extent, bipolar: bool) -> None:
    low, level = (-1.0, 0.0) if bipolar else (0.0, 0.5)
    shown = ax.imshow(
        values,
        extent=extent,
        origin="lower",
        cmap=playground_cmap(),
        vmin=low,
        vmax=1.0,
        aspect="auto",
        interpolation="bilinear",
        alpha=0.75,
    )
    if values.min() < level < values.max():
        u = np.linspace(extent[0], extent[1], values.shape[1])
        v = np.linspace(extent[2], extent[3], values.shape[0])
        ax.contour(u, v, values, levels=[level], colors="#333333", linewidths=1.2)
    fig.colorbar(shown, ax=ax, shrink=0.85, label="model output")


def _draw_classes(ax, outputs: np.ndarray, extent) -> None:
    from matplotlib.colors import to_rgba_array

    k = outputs.shape[-1]
    rows_sum_to_one = np.allclose(outputs.sum(axis=-1), 1.0, atol=1e-3)
    if outputs.min() < 0 or outputs.max() > 1 or not rows_sum_to_one:
        shifted = np.exp(outputs - outputs.max(axis=-1, keepdims=True))
        outputs = shifted / shifted.sum(axis=-1, keepdims=True)
    sure = np.clip((outputs.max(axis=-1) - 1 / k) / (1 - 1 / k), 0.0, 1.0)
    rgba = to_rgba_array(CLASS_COLORS)[outputs.argmax(axis=-1) % len(CLASS_COLORS)]
    rgba[..., 3] = 0.1 + 0.6 * sure
    ax.imshow(rgba, extent=extent, origin="lower", aspect="auto", interpolation="nearest")


def _binary_colors(y: np.ndarray, bipolar: bool) -> np.ndarray:
    low = -1.0 if bipolar else 0.0
    return playground_cmap()(np.clip((y - low) / (1.0 - low), 0.0, 1.0))


def _is_multiclass(y: np.ndarray) -> bool:
    return bool(np.all(y == np.round(y)) and y.min() >= 0 and y.max() >= 2)


def _check_classes(y: np.ndarray, name: str, k: int) -> None:
    if not np.all(y == np.round(y)) or y.min() < 0 or y.max() >= k:
        raise ValueError(
            f"{name}: expected class labels 0 ... {k - 1} for a model with {k} outputs, "
            f"got values from {y.min():g} to {y.max():g}"
        )


def _class_colors(y: np.ndarray) -> list[str]:
    return [CLASS_COLORS[int(c) % len(CLASS_COLORS)] for c in y]


def _draw_points(ax, x: np.ndarray, colours, test, test_colours) -> None:
    ax.scatter(
        x[:, 0],
        x[:, 1],
        c=colours,
        s=30,
        edgecolors="white",
        linewidths=1.0,
        label="train",
        zorder=3,
    )
    if test is not None:
        ax.scatter(
            test[0][:, 0],
            test[0][:, 1],
            c=test_colours,
            s=30,
            edgecolors="black",
            linewidths=1.0,
            label="test",
            zorder=3,
        )
        legend = ax.legend(loc="upper right", framealpha=0.8)
        for handle in legend.legend_handles:
            handle.set_facecolor("#bbbbbb")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")

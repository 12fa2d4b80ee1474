"""The layer graph of a model: one box per layer, arrows from each layer to those it feeds
(what ``rosenblatt.utils.plot_model`` draws, as Keras' ``plot_model``).

The layout needs no matplotlib (:func:`graph_layout`); the drawing does.
"""

from __future__ import annotations

from rosenblatt.base.checks import check_bool, describe
from rosenblatt.plot._figure import BLUE, check_save, finish, panels


def _shape(shape) -> str:
    return "?" if shape is None else str((None, *tuple(shape)))


def graph_layout(model) -> list[dict]:
    """One dict per layer, in computing order: ``name``, ``kind`` (its class), ``level``
    (0 for the inputs, else one more than its deepest parent), ``column`` (its place in its
    level), ``parents`` (indices of the layers it takes inputs from) and its ``input_shape``
    and ``output_shape`` with the batch axis (None).

    Functional models give their graph; Sequential and subclassed ones a chain of ``layers``.
    """
    layers = getattr(model, "layers", None)
    if layers is None:
        raise TypeError(f"model: expected a model with layers, got {describe(model)}")
    graph = getattr(model, "_graph", None)
    if graph is not None:
        nodes = list(graph.nodes)
        index = {id(node): i for i, node in enumerate(nodes)}
        entries = [(node.layer, [index[id(p)] for p in node.inputs]) for node in nodes]
    else:
        entries = [(layer, [i - 1] if i else []) for i, layer in enumerate(layers)]
    rows, per_level = [], {}
    for layer, parents in entries:
        level = 1 + max((rows[p]["level"] for p in parents), default=-1)
        column = per_level.get(level, 0)
        per_level[level] = column + 1
        rows.append({"name": layer.name, "kind": type(layer).__name__, "level": level,
                     "column": column, "parents": parents,
                     "input_shape": _shape(layer.input_shape),
                     "output_shape": _shape(layer.output_shape)})
    for row in rows:  # centre each level's boxes
        row["column"] -= (per_level[row["level"]] - 1) / 2
    return rows


def layer_graph(model, save=None, show_shapes=False):
    """Draw the layers of ``model`` as boxes ("name (Class)", and with ``show_shapes`` the
    input and output shapes), top to bottom, with an arrow for every connection.

    Args: model: a built model. save: None or a path ending in .png or .svg. show_shapes: bool.
    Returns: the ``matplotlib.figure.Figure``.
    """
    path = check_save(save)
    show_shapes = check_bool(show_shapes, "show_shapes")
    rows = graph_layout(model)
    depth = 1 + max(row["level"] for row in rows)
    width = max(abs(row["column"]) for row in rows) * 2 + 1
    fig, axes = panels(1, 1, size=(max(3.5, 3.2 * width), 0.9 * depth + 0.6))
    ax = axes[0]
    for row in rows:
        x, y = row["column"], -row["level"]
        for parent in row["parents"]:
            source = rows[parent]
            ax.annotate("", xy=(x, y + 0.25), xytext=(source["column"], -source["level"] - 0.25),
                        arrowprops={"arrowstyle": "->", "color": "#666666"})
        text = f"{row['name']} ({row['kind']})"
        if show_shapes:
            text += f"\nin: {row['input_shape']}  out: {row['output_shape']}"
        ax.text(x, y, text, ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": BLUE})
    ax.set_xlim(-width / 2, width / 2)
    ax.set_ylim(-depth + 0.5, 0.5)
    ax.set_axis_off()
    return finish(fig, path)

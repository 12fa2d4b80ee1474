"""Pictures of a model's parameters: weight histograms per layer, and the network drawn as
neurons and weighted links (lecture 004's graph g = {N, E})."""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import describe
from rosenblatt.graph import Graph
from rosenblatt.plot._figure import (
    BLUE,
    GREY,
    ORANGE,
    check_save,
    finish,
    panels,
    playground_cmap,
)


def weights(model, save=None):
    """Draw a histogram of each layer's kernel, against the He and Glorot initial densities.

    Formula: the histogram (as a density) of the entries of ``W`` (fan_in x fan_out), with the
    normal densities of He, ``N(0, 2 / fan_in)``, and Glorot (Xavier),
    ``N(0, 2 / (fan_in + fan_out))``, for comparing initializations.

    Args:
        model: anything with ``.layers``; a layer's ``get_weights()`` is ``[kernel (in, out),
            bias (out,)]`` or ``[]`` (such layers are skipped).
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure``, with one axes per layer with weights.

    >>> class Layer:
    ...     name = "dense"
    ...     def get_weights(self):
    ...         return [np.ones((2, 3)), np.zeros(3)]
    >>> class Model:
    ...     layers = [Layer()]
    >>> len(weights(Model()).axes)
    1

    Lecture 004 (initialization, L35); He et al. 2015; Glorot and Bengio 2010.
    """
    path = check_save(save)
    layers = _dense_layers(model)
    fig, axes = panels(len(layers), ncols=3, size=(3.8, 2.9))
    for ax, (name, _, kernel, _) in zip(axes, layers, strict=True):
        fan_in, fan_out = kernel.shape
        values = kernel.ravel()
        he, glorot = np.sqrt(2.0 / fan_in), np.sqrt(2.0 / (fan_in + fan_out))
        ax.hist(
            values,
            bins=int(np.clip(np.sqrt(values.size), 10, 50)),
            density=True,
            color=BLUE,
            alpha=0.75,
            label="weights",
        )
        reach = 1.05 * max(np.abs(values).max(), 3.0 * he)
        s = np.linspace(-reach, reach, 201)
        ax.plot(s, _normal_pdf(s, he), color=ORANGE, label="He N(0, 2/fan_in)")
        ax.plot(
            s,
            _normal_pdf(s, glorot),
            color="#333333",
            linestyle="--",
            label="Glorot N(0, 2/(fan_in+fan_out))",
        )
        ax.set_title(f"{name}: {fan_in}x{fan_out}, std {values.std():.3g}", fontsize="medium")
        ax.set_xlabel("weight")
    axes[0].legend(fontsize="x-small")
    return finish(fig, path)


def network(model, save=None, max_units: int = 12):
    """Draw the network as neurons in columns joined by links, coloured and sized by weight.

    Formula: a link ``i -> j`` between consecutive layers has width proportional to
    ``|W_ij| / max |W|`` and is blue for ``W_ij > 0``, orange for ``W_ij < 0`` (as in the
    playground); a neuron's fill shows its bias ``b_j`` on the same scale.

    Args:
        model: anything with ``.layers`` whose layers with weights form a chain of Dense layers
            (kernel ``(in, out)``, bias ``(out,)``); its ``feature_map`` (a list of feature
            names, or an object with ``.names``), if any, labels the inputs.
        save: None, or a path ending in .png or .svg.
        max_units: layers wider than this show their first and last units and a gap.

    Returns:
        The ``matplotlib.figure.Figure`` (one axes).

    >>> class Layer:
    ...     name, units = "dense", 3
    ...     def get_weights(self):
    ...         return [np.ones((2, 3)), np.zeros(3)]
    >>> class Model:
    ...     layers = [Layer()]
    >>> len(network(Model()).axes)
    1

    A :class:`~rosenblatt.graph.Graph` is drawn node by node instead: its levels as columns,
    every edge j -> i (skip edges too) with its weight w_ji written on it (when it has at
    most ``MAX_EDGE_LABELS`` = 40 edges), each node with its name and its activation f_i.

    Lecture 004 (the graph g = {N, E}, L30) and the playground's network view.
    """
    path = check_save(save)
    if isinstance(model, Graph):
        return _draw_graph(model, path)
    if not isinstance(max_units, numbers.Integral) or isinstance(max_units, bool) or max_units < 3:
        raise ValueError(f"max_units: expected an integer >= 3, got {max_units!r}")
    layers = _dense_layers(model)
    _check_chain(layers)
    sizes = [layers[0][2].shape[0]] + [kernel.shape[1] for _, _, kernel, _ in layers]
    shown = [_shown_units(n, max_units) for n in sizes]
    positions = [_column(column, slots) for column, slots in enumerate(shown)]
    half = max(len(slots) for slots in shown) / 2
    fig, axes = panels(1, 1, size=(max(4.5, 2.2 * len(sizes)), max(3.2, 0.8 * half + 1.4)))
    ax = axes[0]
    _draw_links(ax, layers, shown, positions)
    _draw_neurons(ax, layers, shown, positions)
    _label_layers(ax, model, layers, sizes, shown, positions)
    ax.set_xlim(-0.7, len(sizes) - 0.3)
    ax.set_ylim(-half - 1.2, half + 0.7)
    ax.set_axis_off()
    return finish(fig, path)


def _dense_layers(model) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """``(name, activation name, kernel, bias)`` for every layer with a 2-D kernel."""
    layers = getattr(model, "layers", None)
    if layers is None:
        raise TypeError(f"model: expected an object with .layers, got {describe(model)}")
    found = []
    for index, layer in enumerate(layers):
        params = layer.get_weights()
        if not params or np.ndim(params[0]) != 2:
            continue
        kernel = np.asarray(params[0], dtype=np.float64)
        bias = (
            np.asarray(params[1], dtype=np.float64)
            if len(params) > 1
            else np.zeros(kernel.shape[1])
        )
        activation = getattr(layer, "activation", None)
        act_name = getattr(activation, "name", None) or getattr(activation, "__name__", None)
        found.append((str(getattr(layer, "name", f"layer {index}")), act_name, kernel, bias))
    if not found:
        raise ValueError(
            "model: has no layer with weights to draw (build it first, e.g. by calling fit or "
            "predict, or give the first layer input_dim)"
        )
    return found


def _check_chain(layers) -> None:
    for (prev, _, k_prev, _), (name, _, kernel, _) in zip(layers, layers[1:], strict=False):
        if kernel.shape[0] != k_prev.shape[1]:
            raise ValueError(
                f"model: network() draws a chain of Dense layers, but layer {name!r} takes "
                f"{kernel.shape[0]} inputs while {prev!r} gives {k_prev.shape[1]}"
            )


def _shown_units(n: int, max_units: int) -> list[int | None]:
    """Unit indices drawn for a layer of ``n`` units; None marks the gap of a wide layer."""
    if n <= max_units:
        return list(range(n))
    head = (max_units - 1) // 2 + (max_units - 1) % 2
    tail = max_units - 1 - head
    return list(range(head)) + [None] + list(range(n - tail, n))


def _column(column: int, slots: list) -> dict:
    """Map each drawn unit (and the gap, None) to its (x, y) position, centred vertically."""
    middle = (len(slots) - 1) / 2
    return {unit: (float(column), middle - row) for row, unit in enumerate(slots)}


def _draw_links(ax, layers, shown, positions) -> None:
    from matplotlib.collections import LineCollection

    segments, values = [], []
    for column, (_, _, kernel, _) in enumerate(layers):
        for i in (u for u in shown[column] if u is not None):
            for j in (u for u in shown[column + 1] if u is not None):
                segments.append([positions[column][i], positions[column + 1][j]])
                values.append(kernel[i, j])
    values = np.asarray(values)
    scale = np.abs(values).max() or 1.0
    widths = 0.3 + 3.7 * np.abs(values) / scale
    colours = [BLUE if v > 0 else ORANGE if v < 0 else GREY for v in values]
    ax.add_collection(
        LineCollection(segments, linewidths=widths, colors=colours, alpha=0.8, zorder=1)
    )


def _draw_neurons(ax, layers, shown, positions) -> None:
    biases = np.concatenate([bias for *_, bias in layers])
    scale = np.abs(biases).max() or 1.0
    cmap = playground_cmap()
    for column, slots in enumerate(shown):
        units = [u for u in slots if u is not None]
        xy = np.array([positions[column][u] for u in units])
        if column == 0:
            fill = ["white"] * len(units)
        else:
            bias = layers[column - 1][3]
            fill = cmap(0.5 + 0.5 * bias[units] / scale)
        ax.scatter(
            xy[:, 0], xy[:, 1], s=420, c=fill, edgecolors="#333333", linewidths=1.2, zorder=2
        )
        if None in slots:
            x, y = positions[column][None]
            ax.text(x, y, "...", rotation=90, ha="center", va="center", fontsize=14, zorder=2)


def _label_layers(ax, model, layers, sizes, shown, positions) -> None:
    feature_map = getattr(model, "feature_map", None)
    names = getattr(feature_map, "names", feature_map)
    if not isinstance(names, (list, tuple)) or len(names) != sizes[0]:
        names = [f"x{i + 1}" for i in range(sizes[0])]
    for unit in (u for u in shown[0] if u is not None):
        x, y = positions[0][unit]
        ax.text(x - 0.12, y, str(names[unit]), ha="right", va="center", fontsize="small")
    last = len(sizes) - 1
    for unit in (u for u in shown[last] if u is not None):
        x, y = positions[last][unit]
        label = "ŷ" if sizes[last] == 1 else f"ŷ{unit + 1}"
        ax.text(x + 0.12, y, label, ha="left", va="center", fontsize="small")
    top = max(len(slots) for slots in shown) / 2 + 0.2
    for column, size in enumerate(sizes):
        role = "input" if column == 0 else "output" if column == last else f"hidden {column}"
        if column == 0:
            detail = f"{size} inputs"
        else:
            name, activation = layers[column - 1][:2]
            unit_word = "unit" if size == 1 else "units"
            detail = f"{name}\n{size} {unit_word}" + (f", {activation}" if activation else "")
        ax.text(column, top, role, ha="center", va="bottom", fontweight="bold")
        ax.text(column, -top, detail, ha="center", va="top", fontsize="small")


MAX_EDGE_LABELS = 40  # a graph with more edges is drawn without the weights written on them


def _draw_graph(graph: Graph, path):
    """Lecture 004's picture of g = {N, E}: nodes by level, weighted edges, activations."""
    from matplotlib.collections import LineCollection

    s = graph.structure
    columns = [list(s.inputs), *[list(level) for level in graph.levels]]
    where = {node: (float(c), (len(nodes) - 1) / 2 - row)
             for c, nodes in enumerate(columns) for row, node in enumerate(nodes)}
    half = max(len(nodes) for nodes in columns) / 2
    fig, axes = panels(1, 1, size=(max(4.5, 2.2 * len(columns)), max(3.2, 1.0 * half + 1.6)))
    ax = axes[0]
    weights = graph.edge_weights
    values = np.array(list(weights.values()))
    scale = np.abs(values).max() or 1.0
    ax.add_collection(LineCollection(
        [[where[j], where[i]] for j, i in weights], linewidths=0.3 + 3.7 * np.abs(values) / scale,
        colors=[BLUE if v > 0 else ORANGE if v < 0 else GREY for v in values], alpha=0.8,
        zorder=1))
    if len(weights) <= MAX_EDGE_LABELS:
        for (j, i), w in weights.items():
            (x0, y0), (x1, y1) = where[j], where[i]
            ax.text(x0 + 0.4 * (x1 - x0), y0 + 0.4 * (y1 - y0), f"{w:.2g}", fontsize="x-small",
                    ha="center", va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    biases = graph.biases
    bias_scale = max(abs(b) for b in biases.values()) or 1.0
    cmap = playground_cmap()
    for node, (x, y) in where.items():
        fill = "white" if node in s.inputs else cmap(0.5 + 0.5 * biases[node] / bias_scale)
        ax.scatter([x], [y], s=520, c=[fill], edgecolors="#333333", linewidths=1.2, zorder=2)
        ax.text(x, y, str(node), ha="center", va="center", fontsize="small", zorder=3)
        if node not in s.inputs:
            name = getattr(s.activations[node], "name", str(s.activations[node]))
            ax.text(x, y - 0.32, name, ha="center", va="top", fontsize="x-small", zorder=3)
    top = half + 0.2
    for c in range(len(columns)):
        role = "inputs" if c == 0 else f"level {c}"
        ax.text(c, top, role, ha="center", va="bottom", fontweight="bold")
    ax.set_title(f"g = {{N, E}}: {len(s.nodes)} nodes, {len(s.edges)} edges", fontsize="small")
    ax.set_xlim(-0.7, len(columns) - 0.3)
    ax.set_ylim(-half - 0.9, half + 0.7)
    ax.set_axis_off()
    return finish(fig, path)


def _normal_pdf(s: np.ndarray, std: float) -> np.ndarray:
    return np.exp(-0.5 * (s / std) ** 2) / (std * np.sqrt(2.0 * np.pi))

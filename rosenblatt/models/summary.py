"""The table that ``Model.summary()`` prints: each layer's name, type, output shape and
parameter count, then the totals (as Keras prints it). A graph that is not a plain chain
(several inputs or outputs, merges, shared layers, nested models) gets a fourth column,
"Connected to": the tensors each call reads, as ``layer[call][output]``."""

from __future__ import annotations


def summary_text(model) -> str:
    """The table of ``Model.summary()``: layer (type), output shape, parameter count (and
    what each call is connected to, for a graph)."""
    graph = model._graph
    if graph is not None and model.chain() is None:
        rows = [("Layer (type)", "Output Shape", "Param #", "Connected to")]
        calls, seen = _call_numbers(graph.nodes), set()
        for node in graph.nodes:
            if id(node.call) in seen:
                continue
            seen.add(id(node.call))
            siblings = [n for n in graph.nodes if n.call is node.call]
            shape = ", ".join(str(n.shape) for n in sorted(siblings, key=lambda n: n.index))
            inbound = ", ".join(f"{p.layer.name}[{calls[id(p.call)]}][{p.index}]"
                                for p in node.inputs) or "-"
            layer = node.layer
            rows.append((f"{layer.name} ({type(layer).__name__})", shape,
                         f"{layer.count_params():,}", inbound))
        layers = graph.layers
    else:
        rows = [("Layer (type)", "Output Shape", "Param #")]
        for layer in model.layers:
            shape = layer.output_shape
            shape_text = "?" if shape is None else str((None, *shape))
            rows.append((f"{layer.name} ({type(layer).__name__})", shape_text,
                         f"{layer.count_params():,}"))
        layers = model.layers
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows) + 2 for i in range(columns)]
    line = "-" * sum(widths)
    lines = [f'Model: "{model.name}"', line]
    for i, row in enumerate(rows):
        lines.append("".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("=" * sum(widths))
    total = sum(w.data.size for w in model.weights) if layers else 0
    trainable = sum(w.data.size for w in model.trainable_weights)
    lines += ["=" * sum(widths), f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", line]
    return "\n".join(lines)


def _call_numbers(nodes) -> dict[int, int]:
    """Each call's number among the calls of its layer (0 for a layer's first use)."""
    numbers, counts = {}, {}
    for node in nodes:
        if id(node.call) not in numbers:
            k = counts.get(id(node.layer), 0)
            counts[id(node.layer)] = k + 1
            numbers[id(node.call)] = k
    return numbers

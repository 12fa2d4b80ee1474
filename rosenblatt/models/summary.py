"""The table that ``Model.summary()`` prints: each layer's name, type, output shape and
parameter count, then the totals (as Keras prints it)."""

from __future__ import annotations


def summary_text(model) -> str:
    """The table of ``Model.summary()``: layer (type), output shape, parameter count."""
    rows = [("Layer (type)", "Output Shape", "Param #")]
    for layer in model.layers:
        shape = layer.output_shape
        shape_text = "?" if shape is None else str((None, *shape))
        rows.append((f"{layer.name} ({type(layer).__name__})", shape_text,
                     f"{layer.count_params():,}"))
    widths = [max(len(r[i]) for r in rows) + 2 for i in range(3)]
    line = "-" * sum(widths)
    lines = [f'Model: "{model.name}"', line]
    for i, row in enumerate(rows):
        lines.append("".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("=" * sum(widths))
    total = sum(layer.count_params() for layer in model.layers)
    trainable = sum(w.data.size for w in model.trainable_weights)
    lines += ["=" * sum(widths), f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", line]
    return "\n".join(lines)

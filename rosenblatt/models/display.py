"""How a model shows itself in Jupyter: ``Model._repr_html_``, the summary as an HTML table
(layer and type, output shape, parameters, then the totals).

>>> from rosenblatt.layers import Dense
>>> from rosenblatt.models import Sequential
>>> "<table" in summary_html(Sequential([Dense(1, input_dim=2)]))
True
"""

from __future__ import annotations

from html import escape


def summary_html(model) -> str:
    """The rows of ``model.summary()`` as an HTML table (an unbuilt model shows '?' shapes)."""
    rows = []
    for layer in model.layers:
        shape = layer.output_shape
        rows.append((f"{layer.name} ({type(layer).__name__})",
                     "?" if shape is None else str((None, *shape)), f"{layer.count_params():,}"))
    total = sum(layer.count_params() for layer in model.layers)
    trainable = sum(w.data.size for w in model.trainable_weights) if model.built else 0
    cells = "".join(
        f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td style='text-align:right'>{c}</td></tr>"
        for a, b, c in rows)
    return (f"<div><b>Model: &quot;{escape(model.name)}&quot;</b><table>"
            f"<thead><tr><th>Layer (type)</th><th>Output Shape</th><th>Param #</th></tr></thead>"
            f"<tbody>{cells}</tbody></table>"
            f"<p>Total params: {total:,}<br>Trainable params: {trainable:,}<br>"
            f"Non-trainable params: {total - trainable:,}</p></div>")

"""How a History shows itself in Jupyter: ``History._repr_html_``, its learning curves as an
inline SVG chart (one line per logged value, ``val_`` values dashed), drawn without matplotlib.

>>> svg = history_svg({"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.4]})
>>> svg.startswith("<svg") and svg.count("<polyline") == 2
True
"""

from __future__ import annotations

import math
from html import escape

import numpy as np

COLOURS = ("#0877bd", "#f59322", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
WIDTH, HEIGHT, PAD = 480, 260, 44


def _scalars(history: dict) -> dict[str, list]:
    """``history`` with each value logged as a vector (one per class: ``F1Score(average=None)``)
    split into one series per entry, 'f1_score[0]', 'f1_score[1]'..."""
    series: dict[str, list] = {}
    for key, values in history.items():
        size = max((np.size(v) for v in values if np.ndim(v) > 0), default=0)
        if not size:
            series[key] = list(values)
        for i in range(size):
            series[f"{key}[{i}]"] = [np.ravel(v)[i] for v in values]
    return series


def _panels(history: dict) -> dict[str, list[str]]:
    """The logged names grouped by value: 'loss' with 'val_loss', 'acc' with 'val_acc', every
    'f1_score[i]' with every 'val_f1_score[i]'..."""
    groups: dict[str, list[str]] = {}
    for key in history:
        name = key[4:] if key.startswith("val_") else key
        groups.setdefault(name.split("[")[0], []).append(key)
    return groups


def history_svg(history: dict, keys=None) -> str:
    """An SVG line chart of ``history`` (a dict of per-epoch lists), for ``keys`` (default:
    the loss and its validation value, or every key when there is no loss)."""
    history = _scalars(history)
    if keys is None:
        keys = _panels(history).get("loss") or list(history)
    series = {k: [float(v) for v in history[k]] for k in keys if history.get(k)}
    values = [v for vs in series.values() for v in vs if math.isfinite(v)]
    if not values:
        return "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='30'><text x='4' " \
               "y='20'>no epochs yet</text></svg>"
    low, high = min(values), max(values)
    high = high if high > low else low + 1
    epochs = max(len(vs) for vs in series.values())

    def point(i, v):
        x = PAD + (WIDTH - 2 * PAD) * (i / max(epochs - 1, 1))
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * ((v - low) / (high - low))
        return f"{x:.1f},{y:.1f}"

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
             f"font-family='sans-serif' font-size='11'>",
             f"<rect x='{PAD}' y='{PAD}' width='{WIDTH - 2 * PAD}' height='{HEIGHT - 2 * PAD}' "
             f"fill='none' stroke='#ccc'/>",
             f"<text x='{PAD - 4}' y='{PAD + 4}' text-anchor='end'>{high:.3g}</text>",
             f"<text x='{PAD - 4}' y='{HEIGHT - PAD}' text-anchor='end'>{low:.3g}</text>",
             f"<text x='{WIDTH / 2}' y='{HEIGHT - 10}' text-anchor='middle'>epoch (1 to "
             f"{epochs})</text>"]
    for n, (key, vs) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        dash = " stroke-dasharray='5,3'" if key.startswith("val_") else ""
        points = " ".join(point(i, v) for i, v in enumerate(vs) if math.isfinite(v))
        parts.append(f"<polyline points='{points}' fill='none' stroke='{colour}' "
                     f"stroke-width='2'{dash}/>")
        parts.append(f"<text x='{PAD + 8 + 90 * n}' y='{PAD - 10}' fill='{colour}'>"
                     f"{escape(key)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def history_html(history: dict) -> str:
    """One chart per logged value (the loss first), side by side."""
    history = _scalars(history)
    charts = [history_svg(history, keys) for keys in _panels(history).values()]
    return "<div style='display:flex;flex-wrap:wrap'>" + "".join(charts) + "</div>"

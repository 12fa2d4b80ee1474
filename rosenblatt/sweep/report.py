"""A sweep's results summed up: configurations averaged over seeds, the best of them as a
table, and two figures (test loss against parameter count; a heat map of two settings).

matplotlib is imported only when a figure is drawn (the ``plot`` extra).
"""

from __future__ import annotations

import json
import math
from pathlib import Path


def _mean(values) -> float:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else math.nan


def varying(records) -> list[str]:
    """The settings whose value differs between the configurations of ``records``."""
    keys = sorted({k for r in records for k in r["config"]})
    return [k for k in keys
            if len({json.dumps(r["config"].get(k), sort_keys=True) for r in records}) > 1]


def label(config: dict, keys) -> str:
    """``name=value`` of the settings ``keys`` of ``config``, compactly."""
    return " ".join(f"{k}={json.dumps(config.get(k), separators=(',', ':'))}" for k in keys)


def group(records) -> list[dict]:
    """One row per (data set, configuration), averaged over its seeds: ``test_loss``,
    ``test_accuracy``, ``epochs`` (means over the runs without error), ``reached`` (runs
    stopped at the target loss), ``runs``, ``errors`` (runs that raised; ``error`` is the
    first message), ``params``."""
    rows = {}
    for r in records:
        key = (r["dataset"], json.dumps(r["config"], sort_keys=True))
        rows.setdefault(key, []).append(r)
    out = []
    for (dataset, _), runs in rows.items():
        ok = [r for r in runs if r.get("error") is None]
        metric = lambda name, ok=ok: _mean([r["metrics"][name] for r in ok])  # noqa: E731
        errors = [r["error"] for r in runs if r.get("error") is not None]
        out.append({
            "dataset": dataset, "config": runs[0]["config"], "runs": len(runs),
            "errors": len(errors), "error": errors[0] if errors else None,
            "params": ok[0]["params"] if ok else None,
            "test_loss": metric("test_loss"), "test_accuracy": metric("test_accuracy"),
            "epochs": metric("epochs"),
            "reached": sum(r["metrics"]["stopped"] == "target" for r in ok),
        })
    return out


def _sort_key(row):
    loss = row["test_loss"]
    return (row["dataset"], math.isnan(loss), loss, row["params"] or 0)


def _number(value, digits=4) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.{digits}g}"


def best_table(records, top=5) -> str:
    """A Markdown table of the ``top`` configurations of each data set, lowest mean test loss
    first (configurations that only raised come last, with their error).

    >>> recs = [{"dataset": "xor", "config": {"layers": [4]}, "seed": 0, "error": None,
    ...          "params": 17, "metrics": {"test_loss": 0.04, "test_accuracy": 0.98,
    ...                                    "epochs": 9, "stopped": "target"}}]
    >>> print(best_table(recs).splitlines()[2])
    | xor | layers=[4] | 17 | 0.04 | 0.98 | 9 | 1/1 |  |
    """
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise ValueError(f"top: expected an integer >= 1, got {top!r}")
    keys = varying(records) or sorted({k for r in records for k in r["config"]})
    lines = ["| dataset | configuration | parameters | test loss | test accuracy | epochs | "
             "reached target | errors |", "|---|---|---|---|---|---|---|---|"]
    shown = {}
    for row in sorted(group(records), key=_sort_key):
        if shown.setdefault(row["dataset"], 0) >= top:
            continue
        shown[row["dataset"]] += 1
        errors = f"{row['errors']}: {row['error']}" if row["errors"] else ""
        lines.append(f"| {row['dataset']} | {label(row['config'], keys)} | "
                     f"{_number(row['params'])} | {_number(row['test_loss'])} | "
                     f"{_number(row['test_accuracy'])} | {_number(row['epochs'], 3)} | "
                     f"{row['reached']}/{row['runs']} | {errors} |")
    return "\n".join(lines)


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ImportError("the sweep's figures need matplotlib: pip install "
                          "'rosenblatt[plot]'") from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def params_figure(records, path):
    """Save a scatter of mean test loss (log scale) against parameter count, one colour per
    data set; returns the path."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    rows = [r for r in group(records) if r["params"] is not None and r["test_loss"] > 0]
    for dataset in sorted({r["dataset"] for r in rows}):
        mine = [r for r in rows if r["dataset"] == dataset]
        ax.scatter([r["params"] for r in mine], [r["test_loss"] for r in mine], label=dataset,
                   alpha=0.7, s=18)
    ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="mean test loss",
           title="Test loss against network size")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)


def heatmap_figure(records, path, x, y, dataset=None):
    """Save a heat map of the mean test loss over two settings ``x`` and ``y`` (each cell
    averaged over seeds and the other settings; of one ``dataset``, or all); returns the path."""
    known = {k for r in records for k in r["config"]}
    for name, value in (("x", x), ("y", y)):
        if value not in known:
            raise ValueError(f"{name}: expected a setting of the sweep from {sorted(known)}, "
                             f"got {value!r}")
    plt = _pyplot()
    records = [r for r in records if dataset is None or r["dataset"] == dataset]
    text = lambda r, k: json.dumps(r["config"].get(k), separators=(",", ":"))  # noqa: E731
    xs = sorted({text(r, x) for r in records}, key=_order)
    ys = sorted({text(r, y) for r in records}, key=_order)
    cells = [[_mean([r["metrics"]["test_loss"] for r in records
                     if r.get("error") is None and text(r, x) == cx and text(r, y) == cy])
              for cx in xs] for cy in ys]
    fig, ax = plt.subplots(figsize=(1.2 * len(xs) + 2.5, 0.6 * len(ys) + 2))
    image = ax.imshow(cells, cmap="viridis_r", aspect="auto")
    ax.set_xticks(range(len(xs)), xs)
    ax.set_yticks(range(len(ys)), ys)
    finite = [v for row in cells for v in row if not math.isnan(v)]
    middle = (min(finite) + max(finite)) / 2 if finite else 0.0
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            ax.text(j, i, _number(value, 2), ha="center", va="center", fontsize="small",
                    color="black" if value < middle else "white")
    ax.set(xlabel=x, ylabel=y, title=f"mean test loss{f' ({dataset})' if dataset else ''}")
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)


def _order(text: str):
    value = json.loads(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    if isinstance(value, list):
        return (1, len(value), text)
    return (2, 0, text)

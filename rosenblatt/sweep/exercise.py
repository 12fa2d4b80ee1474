"""Lecture 002's playground exercise, answered for every playground data set at once.

The exercise (lecture 002, L17): on circle, xor, gauss and spiral with noise 10%, a 50% training
ratio and batch size 10, train until the test loss is below 0.05, and find the smallest
network that gets there, with and without the extra features (x^2, xy, sin x); try the
learning rates 0.01, 0.1 and 1. Here a network "gets there" when at least :data:`SHARE` of its
seeds (4 of 5) reach the target within the epoch budget :data:`EPOCHS` (at noise 10% a few
points are labelled across the boundary, and an unlucky draw may keep one seed above 0.05);
"smallest" is the fewest parameters.
"""

from __future__ import annotations

import json
import statistics

from .grid import SweepSpec

EPOCHS = 300
SHARE = 0.8
SEEDS = 5
RATES = [0.01, 0.1, 1]
PLAIN = ["x1", "x2"]
EXTRA = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
NETWORKS = [[], [1], [2], [3], [4], [6], [8], [4, 2], [8, 4], [8, 8]]


def exercise_spec(seeds=SEEDS, epochs=EPOCHS) -> SweepSpec:
    """The exercise as a sweep: networks x features x learning rates x 4 data sets x seeds.

    >>> len(exercise_spec().runs())
    1200
    """
    return SweepSpec(
        grid={"features": [PLAIN, EXTRA], "layers": NETWORKS, "learning_rate": RATES},
        fixed={"noise": 0.1, "ratio": 0.5, "batch_size": 10, "target_loss": 0.05,
               "epochs": epochs, "activation": "tanh"},
        datasets=["circle", "xor", "gauss", "spiral"], seeds=seeds)


def _features_name(features) -> str:
    return "x1, x2" if list(features) == PLAIN else "+ x1^2, x2^2, x1x2, sin"


def _cells(records):
    """{(dataset, features name, rate, layers json): (params, runs, reached, epochs list)}."""
    cells = {}
    for r in records:
        c = r["config"]
        key = (r["dataset"], _features_name(c["features"]), c["learning_rate"],
               json.dumps(c["layers"]))
        cell = cells.setdefault(key, {"params": None, "runs": 0, "reached": 0, "epochs": []})
        cell["runs"] += 1
        if r.get("error") is None:
            cell["params"] = r["params"]
            if r["metrics"]["stopped"] == "target":
                cell["reached"] += 1
                cell["epochs"].append(r["metrics"]["epochs"])
    return cells


def smallest(records, dataset, features, rate=None):
    """The smallest network (fewest parameters, then the fewest epochs) of which at least
    :data:`SHARE` of the seeds reached the target, at ``rate`` (or any rate): a dict, or None."""
    best = None
    for (d, f, lr, layers), cell in _cells(records).items():
        if d != dataset or f != features or (rate is not None and lr != rate):
            continue
        if cell["params"] is None or cell["reached"] < SHARE * cell["runs"]:
            continue
        found = {"layers": json.loads(layers), "params": cell["params"], "rate": lr,
                 "epochs": statistics.median(cell["epochs"]),
                 "reached": cell["reached"], "runs": cell["runs"]}
        if best is None or (found["params"], found["epochs"]) < (best["params"], best["epochs"]):
            best = found
    return best


def _show(found, with_rate=False) -> str:
    if found is None:
        return "not reached"
    rate = f", rate {found['rate']:g}" if with_rate else ""
    return (f"{found['layers']} ({found['params']} p{rate}, {found['epochs']:g} ep, "
            f"{found['reached']}/{found['runs']})")


def answer_table(records) -> str:
    """The answer key as a Markdown table: for each data set and feature set, the smallest
    network whose every seed reached test loss < 0.05 (its parameters, its learning rate and
    the median epoch it got there), then the same at each learning rate."""
    rates = sorted({r["config"]["learning_rate"] for r in records})
    head = ("| data set | inputs | smallest network | "
            + " | ".join(f"rate {lr:g}" for lr in rates) + " |")
    lines = [head, "|---|---|---|" + "---|" * len(rates)]
    datasets = list(dict.fromkeys(r["dataset"] for r in records))
    for dataset in datasets:
        for features in ("x1, x2", "+ x1^2, x2^2, x1x2, sin"):
            row = [dataset, features, _show(smallest(records, dataset, features), True)]
            row += [_show(smallest(records, dataset, features, lr)) for lr in rates]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def docs_page(table: str, figure_name: str, n_runs: int, seconds: float, workers: str) -> str:
    """The docs page: the exercise, how it was answered, the table and the figure."""
    return f"""# The playground exercise, answered

Lecture 002 (L17) asks, for the playground's data sets with noise 10%, a 50% training ratio and
batch size 10, to train until the test loss falls below 0.05, to find the smallest network
that gets there with and without the extra features (x^2, xy, sin x), and to try the learning
rates 0.01, 0.1 and 1. This page is the instructor's answer key. It is written by

    rosenblatt sweep --exercise playground --docs docs/sweep-exercise.md

which runs {n_runs} training runs ({len(NETWORKS)} networks x 2 input sets x {len(RATES)}
learning rates x 4 data sets x {SEEDS} seeds; tanh units, plain SGD on the playground's loss
1/(2N) sum (a - y)^2, weights ~ U(-0.5, 0.5)) in {seconds:.0f} s on {workers}.

A network counts when at least {SHARE:.0%} of its seeds reach test loss < 0.05 within
{EPOCHS} epochs (at noise 10% a few points are labelled across the boundary, so an unlucky draw
can keep one seed above the target); "smallest" means the fewest parameters (weights and
biases). Each cell gives the hidden layers, the parameter count ("p"), the median epoch at
which the target was reached ("ep") and the seeds that reached it; "not reached" means no
network of the sweep ({', '.join(map(str, NETWORKS))}) got there in the budget.

{table}

Reading it: gauss is linearly separable, so one neuron (no hidden layer) is enough; circle
needs hidden layers on x1, x2 but none once x1^2 and x2^2 are inputs; xor needs hidden units on
x1, x2, while the product feature x1x2 alone separates it. No network of this sweep gets spiral
below 0.05 in the budget: it needs more epochs, a larger network or another optimizer. Rate 0.01
gets there where the others do, but takes ten to a hundred times more epochs; 1 is the fastest
where it does not overshoot.

![test loss against parameter count](images/{figure_name})
"""

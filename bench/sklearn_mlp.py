#!/usr/bin/env python3
"""The digits fit: rosenblatt.sklearn.MLPClassifier against scikit-learn's MLPClassifier.

    python3 bench/sklearn_mlp.py              # 5 seeds, the settings below
    python3 bench/sklearn_mlp.py --seeds 2    # fewer rounds

All get the same data (digits scaled to [0, 1], float64, 75% train), the same settings
(hidden (100,), relu, adam, learning_rate_init 1e-3, batch 'auto' = 200, max_iter 200, tol
1e-4, n_iter_no_change 10) and the same seed: rosenblatt in its default float32 and in
float64 (``dtype=None``, scikit-learn's choice for float64 data), scikit-learn in float64.
The systems alternate within one process (the first fit of each is untimed: numba compiles
on it); the table reports the median fit time, the ratio to scikit-learn's (the goal:
rosenblatt at most 0.5x), the mean test accuracy and the epochs run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's rosenblatt
from rosenblatt.sklearn import MLPClassifier  # noqa: E402

SETTINGS = dict(hidden_layer_sizes=(100,), activation="relu", solver="adam", max_iter=200)
SYSTEMS = {
    "rosenblatt (float32, its default)": lambda **kw: MLPClassifier(dtype="float32", **kw),
    "rosenblatt (dtype=None: float64)": lambda **kw: MLPClassifier(dtype=None, **kw),
    "scikit-learn (float64)": SkMLPClassifier,
}


def _fit(make, data, seed):
    Xtr, Xte, ytr, yte = data
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = make(random_state=seed, **SETTINGS).fit(Xtr, ytr)
    return time.perf_counter() - started, model.score(Xte, yte), model.n_iter_


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    X, y = load_digits(return_X_y=True)
    data = train_test_split(X / 16, y, test_size=0.25, random_state=0)  # float64, as loaded
    for make in SYSTEMS.values():
        _fit(make, data, 0)  # untimed: compiles, warms caches
    runs = {name: [] for name in SYSTEMS}
    for seed in range(args.seeds):
        order = list(SYSTEMS.items())
        for name, make in order if seed % 2 == 0 else order[::-1]:
            runs[name].append(_fit(make, data, seed))
    reference = statistics.median(t for t, _, _ in runs["scikit-learn (float64)"])
    print("| system | fit time (median s) | ratio | accuracy (mean) | epochs (mean) |")
    print("|---|---|---|---|---|")
    for name, figures in runs.items():
        median = statistics.median(t for t, _, _ in figures)
        accuracy = np.mean([a for _, a, _ in figures])
        epochs = np.mean([n for _, _, n in figures])
        print(f"| {name} | {median:.3f} | {median / reference:.2f}x | {accuracy:.4f} "
              f"| {epochs:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

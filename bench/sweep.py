#!/usr/bin/env python3
"""The sweep workload: 32 small playground networks, serially and on 2 Dask workers, and what
the sweep machinery adds per run.

    python3 bench/sweep.py              # 100 epochs per run, median of 3 rounds
    python3 bench/sweep.py --epochs 30  # shorter

The 32 runs: hidden layers [4], [6], [8], [4, 2] x learning rates 0.03, 0.1 x circle, xor x
seeds 0, 1 (noise 10%, batch 10, tanh, plain SGD). Timed, each the median of the rounds:

- ``bare``: ``train_run`` called 32 times in a loop (the training alone);
- ``serial``: ``run_sweep(serial=True)`` (the same plus the results file and bookkeeping);
- ``dask warm``: ``run_sweep`` on an already running LocalCluster of 2 single-threaded worker
  processes on 127.0.0.1 (``scheduler=address``: connecting, submitting, gathering, writing);
- ``dask cold``: ``run_sweep(workers=2)``, starting and stopping its LocalCluster.

The machinery's cost per run is measured on 32 one-epoch runs (a few ms of training each), on
the warm cluster: (2 x wall time - the runs' own seconds) / 32, the time the 2 workers spent on
each run beyond its training (and (wall time - own seconds) / 32 in-process). The goals of
issue 16: at least 1.7x faster with 2 workers than serially, at most 50 ms added per run. The
load average is printed too: on a machine that other work keeps busy, 2 workers cannot give 2x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rosenblatt.sweep import SweepSpec, run_sweep, train_run  # noqa: E402


def workload(epochs: int) -> list[dict]:
    spec = SweepSpec(grid={"layers": [[4], [6], [8], [4, 2]], "learning_rate": [0.03, 0.1]},
                     fixed={"epochs": epochs, "noise": 0.1}, datasets=["circle", "xor"],
                     seeds=2)
    return spec.runs()


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def machinery(runs, path, workers, **where) -> float:
    """Seconds per run that ``workers`` spent beyond the runs' own training."""
    started = time.perf_counter()
    records = run_sweep(runs, path, progress=False, **where)
    wall = time.perf_counter() - started
    return (workers * wall - sum(r["seconds"] for r in records)) / len(runs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from dask.distributed import LocalCluster

    runs = workload(args.epochs)
    n = len(runs)
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    samples = {"bare": [], "serial": [], "dask warm": [], "dask cold": []}
    with tempfile.TemporaryDirectory() as tmp, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address="127.0.0.1:0") as cluster:
        run_sweep(runs[:2], Path(tmp) / "warm-up.jsonl", scheduler=cluster.scheduler_address,
                  progress=False)
        for i in range(args.rounds):
            samples["bare"].append(timed(lambda: [train_run(r) for r in runs]))
            samples["serial"].append(timed(lambda i=i: run_sweep(
                runs, Path(tmp) / f"s{i}.jsonl", serial=True, progress=False)))
            samples["dask warm"].append(timed(lambda i=i: run_sweep(
                runs, Path(tmp) / f"w{i}.jsonl", scheduler=cluster.scheduler_address,
                progress=False)))
        for i in range(args.rounds):
            samples["dask cold"].append(timed(lambda i=i: run_sweep(
                runs, Path(tmp) / f"c{i}.jsonl", workers=2, progress=False)))
        tiny = workload(1)
        overhead = {"in-process": [], "2 workers": []}
        for i in range(args.rounds):
            overhead["in-process"].append(
                machinery(tiny, Path(tmp) / f"ts{i}.jsonl", 1, serial=True))
            overhead["2 workers"].append(machinery(
                tiny, Path(tmp) / f"tw{i}.jsonl", 2, scheduler=cluster.scheduler_address))
    t = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{n} runs of {args.epochs} epochs, median of {args.rounds} rounds\n")
    print("| how | seconds | per run (ms) | speed-up over serial |")
    print("|---|---|---|---|")
    for name, seconds in t.items():
        print(f"| {name} | {seconds:.2f} | {1000 * seconds / n:.1f} | "
              f"{t['serial'] / seconds:.2f}x |")
    print("\nmachinery per run (32 one-epoch runs): " + ", ".join(
        f"{name} {1000 * statistics.median(v):.1f} ms" for name, v in overhead.items()))
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

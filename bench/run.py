#!/usr/bin/env python3
"""Speed benchmark: rosenblatt against PyTorch and scikit-learn on the notes' networks.

    python3 run.py bench            # full sizes (installs PyTorch 2.13 CPU if it can)
    python3 run.py bench --only W1  # some of the workloads
    python3 bench/run.py --smoke    # tiny sizes, seconds (run by the test suite)

Workloads (same data, shapes, hyperparameters and, where the API allows, initial weights):
  W1  MLP 784-256-128-10 ReLU, softmax cross-entropy, Adam 1e-3, batch 128, one epoch
  W2  playground net 2-8-8-1 tanh, sigmoid + binary cross-entropy, SGD 0.03, batch 10, 500 rows;
      also in its logits form (linear output, BinaryCrossentropy(from_logits=True))
  W3  predict one row with the W1 network
  W4  784-w-w-10 for w in 64, 256, 1024, 2048 and batch 32, 128, 512, one epoch
and the floor: the same sequence of matrix products alone through NumPy. Systems alternate
within one process and each measurement is repeated after an untimed first call; the table
reports medians and ratios, and the JSON file keeps every figure. W1's peak memory is
measured in a child process per system. A correctness guard checks that rosenblatt's W1 loss
matches PyTorch's when both start from the same weights.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import graph as graph_bench  # noqa: E402
import systems  # noqa: E402
import w5 as w5_bench  # noqa: E402

SIZES = {
    "full": {
        "w1_rows": 60000,
        "w4_rows": 8192,
        "w4_widths": (64, 256, 1024, 2048),
        "w4_batches": (32, 128, 512),
        "w2_epochs": 20,
        "w3_calls": 2000,
    },
    "smoke": {
        "w1_rows": 512,
        "w4_rows": 256,
        "w4_widths": (16,),
        "w4_batches": (64,),
        "w2_epochs": 1,
        "w3_calls": 20,
    },
}


SAMPLES: dict = {}  # every timing, by workload and system, for the JSON file


def alternate(runners: dict, repeat: int, label: str) -> dict:
    """Median seconds per system, the systems taking turns in each round, after one untimed
    call each (imports, compiled kernels and first allocations are not what is measured).

    Every other round runs the systems in reverse order, so that a load rising or falling
    through a round favours no system over the rounds.
    """
    for fn in runners.values():
        fn()
    times = {name: [] for name in runners}
    order = list(runners.items())
    for round_ in range(repeat):
        for name, fn in order if round_ % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    SAMPLES[label] = times
    return {name: statistics.median(values) for name, values in times.items()}


def mnist_like(rows: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.random((rows, 784), dtype=np.float32), rng.integers(0, 10, rows)


def w1(available, sizes, repeat):
    x, y = mnist_like(sizes["w1_rows"])
    shapes = (784, 256, 128, 10)
    runners = {name: make(x, y, shapes, 128) for name, make in available.items()}
    return alternate(runners, repeat, "W1")


def w2(available, sizes, repeat):
    rng = np.random.default_rng(1)
    x = rng.uniform(-5, 5, (500, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    runners = {name: make(x, y, sizes["w2_epochs"]) for name, make in available.items()}
    seconds = alternate(runners, repeat, "W2")
    steps = 50 * sizes["w2_epochs"]
    return {name: steps / s for name, s in seconds.items()}


def w3(available, sizes, repeat):
    """Microseconds per single-row predict: ten short rounds (a tenth of the calls each) per
    repetition, so that the systems alternate every few milliseconds and a change in the
    machine's load falls on all of them."""
    calls = max(1, sizes["w3_calls"] // 10)
    predictors = {name: make() for name, make in available.items()}
    runners = {name: (lambda f=fn: [f() for _ in range(calls)]) for name, fn in predictors.items()}
    seconds = alternate(runners, repeat * 10, "W3")
    return {name: s / calls * 1e6 for name, s in seconds.items()}


def w4(available, sizes, repeat):
    x, y = mnist_like(sizes["w4_rows"], seed=2)
    results = {}
    for width in sizes["w4_widths"]:
        for batch in sizes["w4_batches"]:
            shapes = (784, width, width, 10)
            runners = {name: make(x, y, shapes, batch) for name, make in available.items()}
            key = f"w={width},b={batch}"
            results[key] = alternate(runners, max(1, repeat // 2), f"W4 {key}")
    return results


WORKLOADS = {
    "W1": (w1, systems.W1_MAKERS),
    "W2": (w2, systems.W2_MAKERS),
    "W3": (w3, systems.W3_MAKERS),
    "W4": (w4, systems.W1_MAKERS),
}


def peak_memory_mb(system: str, rows: int) -> float | None:
    """Peak resident memory of a child process that runs one W1 epoch on ``system``."""
    cmd = [sys.executable, __file__, "--memory-probe", system, "--rows", str(rows)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def memory_probe(system: str, rows: int) -> None:
    x, y = mnist_like(rows)
    fn = systems.W1_MAKERS[system](x, y, (784, 256, 128, 10), 128)
    fn()
    # VmHWM starts afresh at exec; ru_maxrss would carry over the parent's peak
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                print(int(line.split()[1]) / 1024)
                return
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def paired_ratios(samples: dict) -> dict:
    """Median over rounds of rosenblatt's time over each other system's in the same round.

    Systems take turns within a round, so a paired ratio cancels load that drifts between
    rounds (the table's ratio of medians does not). W2 is in steps per second elsewhere; here
    every figure is a ratio of times, lower is better for rosenblatt.
    """
    out = {}
    for label, times in samples.items():
        ours = times.get("rosenblatt")
        if not ours:
            continue
        out[label] = {
            name: statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
            for name, theirs in times.items() if name != "rosenblatt"
        }
    return out


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def table(results: dict) -> str:
    lines = [
        "| workload | rosenblatt | PyTorch | scikit-learn | floor | rb/torch | rb/sklearn "
        "| rb/floor |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(name, values, unit, fmt="{:.3f}"):
        get = values.get
        cells = [
            fmt.format(get(k)) + unit if get(k) is not None else "-"
            for k in ("rosenblatt", "torch", "sklearn", "floor")
        ]
        ratios = [ratio(get("rosenblatt"), get(k)) for k in ("torch", "sklearn", "floor")]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + " | "
            + " | ".join("-" if r is None else f"{r:.2f}" for r in ratios)
            + " |"
        )

    if results["W1"]:
        row("W1 epoch", results["W1"], " s")
    if results["W2"]:
        row("W2 steps/s (higher is better)", results["W2"], " steps/s", "{:,.0f}")
        logits = results["W2"].get("rosenblatt_logits")
        if logits is not None:
            row("W2 logits form steps/s", {**results["W2"], "rosenblatt": logits}, " steps/s",
                "{:,.0f}")
    if results["W3"]:
        row("W3 predict one row", results["W3"], " us", "{:.1f}")
    for key, values in results["W4"].items():
        row(f"W4 {key}", values, " s")
    mem = results.get("memory_mb", {})
    lines.append(
        "| W1 peak memory (MB) | "
        + " | ".join(
            "-" if mem.get(k) is None else f"{mem[k]:.0f}"
            for k in ("rosenblatt", "torch", "sklearn")
        )
        + " | - | | | |"
    )
    paired = results.get("paired", {})
    for label in ("W1", "W2", "W3"):
        if paired.get(label):
            lines.append(f"\n{label} paired (median of per-round time ratios): " + ", ".join(
                f"rb/{name} {value:.2f}" for name, value in paired[label].items()))
    guard = results.get("guard")
    if guard:
        lines.append(
            f"\nguard: W1 loss rosenblatt {guard['rosenblatt']:.5f}, PyTorch "
            f"{guard['torch']:.5f} (same initial weights), agree: {guard['agree']}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the tests")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (median reported)")
    parser.add_argument("--json", default="bench/results.json", help="where to write results")
    parser.add_argument("--only", default="W1,W2,W3,W4,W5,G1",
                        help="comma-separated workloads to run (default: all; G1 is "
                             "bench/graph.py's layered Graph against Sequential, W5 "
                             "bench/w5.py's two-input functional model)")
    parser.add_argument("--threads", type=int, default=None, help="threads for every system")
    parser.add_argument("--memory-probe", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=60000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        memory_probe(args.memory_probe, args.rows)
        return 0
    warnings.filterwarnings("ignore")
    sizes = SIZES["smoke" if args.smoke else "full"]
    repeat = 1 if args.smoke else args.repeat
    threads = args.threads or len(os.sched_getaffinity(0))
    systems.set_threads(threads)
    results = {"sizes": sizes, "threads": threads, "systems": systems.versions()}
    only = {name.strip().upper() for name in args.only.split(",")}
    unknown = only - set(WORKLOADS) - {"G1", "W5"}
    if unknown:
        parser.error(f"--only: unknown workloads {sorted(unknown)}; choose from W1, W2, W3, W4, "
                     f"W5, G1")
    for name, (run, makers) in WORKLOADS.items():
        results[name] = run(systems.available(makers), sizes, repeat) if name in only else {}
    if "W1" in only:
        results["guard"] = systems.guard(mnist_like(sizes["w1_rows"], seed=3)[0])
    if not args.smoke and "W1" in only:
        results["memory_mb"] = {
            name: peak_memory_mb(name, sizes["w1_rows"])
            for name in systems.available(systems.W1_MAKERS)
            if name != "floor"
        }
    results["G1"] = graph_bench.g1(args.smoke, repeat, alternate) if "G1" in only else {}
    results["W5"] = w5_bench.w5(args.smoke, repeat, alternate) if "W5" in only else {}
    results["samples_s"] = SAMPLES
    results["paired"] = paired_ratios(SAMPLES)
    print(table(results))
    print(graph_bench.table(results["G1"]))
    print(w5_bench.table(results["W5"]))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The playground workload: epochs per second of the playground's default setup, each epoch
followed by everything the page draws (the 100 x 100 heat map, every neuron's thumbnail, the
weights, losses and metrics), as the server computes it for a frame.

    python3 bench/playground.py              # 300 epochs, median of 3 rounds
    python3 bench/playground.py --epochs 20  # shorter

Default setup: circle, features x1 and x2, hidden layers 4 and 2, tanh, 500 points (250
train), batch 10, learning rate 0.03, the original's rules (plain SGD on 0.5 squared error).
The page's goal is at least 60 epochs per second on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rosenblatt.playground import Session, Settings  # noqa: E402


def epochs_per_second(epochs: int, frames: bool = True) -> float:
    """One round: a fresh default session trained ``epochs`` epochs, a frame after each."""
    run = Session(Settings())
    started = time.perf_counter()
    for _ in range(epochs):
        run.epoch()
        if frames:
            run.frame()
    return epochs / (time.perf_counter() - started)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.rounds < 1:
        parser.error("--epochs and --rounds: expected integers >= 1")
    epochs_per_second(5)  # untimed first call
    with_frames = statistics.median(epochs_per_second(args.epochs) for _ in range(args.rounds))
    training = statistics.median(epochs_per_second(args.epochs, frames=False)
                                 for _ in range(args.rounds))
    print(f"playground default setup: {with_frames:.0f} epochs/s with a frame per epoch "
          f"(heat map and thumbnails), {training:.0f} epochs/s training alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())

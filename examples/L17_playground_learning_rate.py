"""L17 (lecture 002): the playground exercise, learning rates 0.01, 0.1 and 1.

The notes' setup on the TensorFlow Playground: the "circle" set (500 points, noise 10%, ratio
of training to test data 50%, batch size 10, no regularization), one tanh neuron fed with the
extra features x1^2 and x2^2 (no hidden layer), and training stopped as soon as the test loss
is below 0.05. Every run here is a run of rosenblatt's playground
(:class:`rosenblatt.playground.Session`) in its default "original rules" mode: the playground's
own data generation and split from the seed text, the loss 1/2 (out - target)^2 on targets
+-1, weights U(-0.5, 0.5), biases 0.1, plain SGD on batches of 10. Seed ``s`` here is the
page's ``seed=s``: the page opened with the same settings draws the same data and weights.

What one seed shows depends on the drawn data and weights, so the script trains from seeds
0 .. SEEDS-1 for EPOCHS epochs each and counts, for each learning rate, the runs whose test
loss falls below 0.05 and the median epoch it first does (over those runs), the runs whose
test loss rises to 0.05 or more again afterwards, and those whose test loss never falls below
0.5. With the defaults (seeds 0-19, 100 epochs) it prints:

    lr     below 0.05   median epoch   above 0.05 again   never below 0.5
    0.01   12 of 20    45             0                  4
    0.1    14 of 20    5              1                  4
    1      14 of 20    4              13                 3
    no learning rate gets below 0.05 in 5 of 20 runs
    lr 0.1 gets there before lr 0.01 in 14 of 20
    lr 1 ends (mean of the last 20 epochs) with a higher test loss than lr 0.1 in 16 of 20

and with ``--seeds 100 --epochs 300``: below 0.05 in 77, 77 and 69 of 100 runs (median epoch
44, 5 and 5), above it again in 0, 2 and 61, never below 0.5 in 13, 11 and 13; none gets
there in 16; lr 0.1 first in 76; lr 1 ending higher in 87. So lr 0.1 reaches the target
about nine times sooner than lr 0.01, which gets there slowly (as often, given 300 epochs);
lr 1 touches it as early (a stop at the first epoch below 0.05 catches that dip), but its
test loss keeps bouncing and rises above 0.05 again in nearly every run: it does not
converge. Not every draw gets there: in about one run in eight the tanh ends saturated, with
one sign on every point (its inputs x1^2 and x2^2 reach 36; test loss about 1, one class
everywhere) whatever the learning rate, and in a few more the test loss levels off just
above 0.05.

Run: python examples/L17_playground_learning_rate.py [--seed 0] [--epochs 100] [--seeds 20]
"""

import argparse
import statistics

from rosenblatt.playground import Session, parse_settings

LEARNING_RATES = (0.01, 0.1, 1.0)
TARGET = 0.05
STUCK = 0.5  # a test loss never below this: the neuron answers one class everywhere


def exercise(learning_rate, seed, epochs, target=TARGET):
    """The exercise's settings under the page's keys, checked as the page's messages are."""
    return parse_settings({
        "dataset": "circle", "noise": 10, "percTrainData": 50, "batchSize": 10,
        "features": ["xSquared", "ySquared"], "networkShape": [], "activation": "tanh",
        "learningRate": learning_rate, "seed": str(seed), "targetLoss": target,
        "maxEpochs": epochs})


def train(learning_rate, seed, epochs, target=TARGET):
    """One playground run, stopped at test loss < ``target`` (None: never) or after ``epochs``.

    Returns:
        (the epoch the target was reached or None, the test loss after each epoch)
    """
    run = Session(exercise(learning_rate, seed, epochs, target))
    losses = []
    while not run.stop_reason:
        run.epoch()
        losses.append(run.test_loss)
    return (run.epochs_done if run.stop_reason == "target" else None), losses


def seed_statistics(seeds, epochs, late=20):
    """The exercise over ``seeds``, each learning rate for the whole budget of ``epochs``.

    Returns a dict: ``runs``; per learning rate, the runs that reach test loss < 0.05
    (``reached``), the median first epoch below it over those runs (``median_epoch``, None if
    none) and the runs whose test loss rises to 0.05 or more after first being below it
    (``rises_again``) and the runs whose test loss never falls below 0.5 (``stuck``: the
    tanh saturated at one sign on every point, loss about 1); the runs where no learning rate
    reaches 0.05 (``none_reach``), where
    lr 0.1 reaches it before lr 0.01 or lr 0.01 never does (``medium_before_slow``), and where
    lr 1's mean test loss over the last ``late`` epochs is above lr 0.1's
    (``fast_ends_higher``).
    """
    first = {lr: [] for lr in LEARNING_RATES}
    rises = {lr: 0 for lr in LEARNING_RATES}
    stuck = {lr: 0 for lr in LEARNING_RATES}
    late_loss = {lr: [] for lr in LEARNING_RATES}
    for seed in seeds:
        for lr in LEARNING_RATES:
            _, losses = train(lr, seed, epochs, target=None)
            below = next((k for k, v in enumerate(losses) if v < TARGET), None)
            first[lr].append(None if below is None else below + 1)
            rises[lr] += below is not None and max(losses[below:]) >= TARGET
            stuck[lr] += min(losses) >= STUCK
            late_loss[lr].append(sum(losses[-late:]) / late)
    never = epochs + 1
    return {
        "runs": len(first[0.1]),
        "epochs": epochs,
        "reached": {lr: sum(e is not None for e in first[lr]) for lr in LEARNING_RATES},
        "median_epoch": {lr: statistics.median([e for e in first[lr] if e is not None])
                         if any(e is not None for e in first[lr]) else None
                         for lr in LEARNING_RATES},
        "rises_again": rises,
        "stuck": stuck,
        "none_reach": sum(all(e is None for e in runs)
                          for runs in zip(*first.values(), strict=True)),
        "medium_before_slow": sum(a is not None and a < (b or never)
                                  for a, b in zip(first[0.1], first[0.01], strict=True)),
        "fast_ends_higher": sum(h > m for h, m in zip(late_loss[1.0], late_loss[0.1],
                                                      strict=True)),
    }


def describe(stats):
    """The statistics as the lines the script prints: a table, then three counts."""
    n = stats["runs"]
    lines = ["lr     below 0.05   median epoch   above 0.05 again   never below 0.5"]
    for lr in LEARNING_RATES:
        median = stats["median_epoch"][lr]
        lines.append(f"{lr:<6g} {stats['reached'][lr]:>2} of {n:<5} "
                     f"{'-' if median is None else format(median, 'g'):<14} "
                     f"{stats['rises_again'][lr]:<18} {stats['stuck'][lr]}")
    lines += [f"no learning rate gets below 0.05 in {stats['none_reach']} of {n} runs",
              f"lr 0.1 gets there before lr 0.01 in {stats['medium_before_slow']} of {n}",
              f"lr 1 ends (mean of the last 20 epochs) with a higher test loss than lr 0.1 in "
              f"{stats['fast_ends_higher']} of {n}"]
    return lines


def main(argv=None):
    """Return ``{learning_rate: (epoch the test loss fell below 0.05 or None, test losses)}``
    for ``--seed``, and ``'statistics'``: :func:`seed_statistics` over seeds 0 .. SEEDS-1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="the page's seed for one run each")
    parser.add_argument("--epochs", type=int, default=100, help="the epoch budget of a run")
    parser.add_argument("--learning-rates", type=float, nargs="+", default=LEARNING_RATES)
    parser.add_argument("--seeds", type=int, default=20,
                        help="also train from seeds 0 .. SEEDS-1 and count outcomes (0: skip)")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.seeds < 0:
        parser.error(f"--epochs: expected >= 1, got {args.epochs}; --seeds: expected >= 0, "
                     f"got {args.seeds}")
    results = {}
    for lr in args.learning_rates:
        reached, losses = train(lr, args.seed, args.epochs)
        results[lr] = (reached, losses)
        outcome = (f"test loss < 0.05 at epoch {reached}" if reached
                   else f"not reached in {args.epochs} epochs")
        print(f"seed {args.seed}, lr = {lr:<5g} {outcome}: test loss {losses[-1]:.4f}")
    if args.seeds > 0:
        stats = seed_statistics(range(args.seeds), args.epochs)
        print(f"over seeds 0-{args.seeds - 1}, {args.epochs} epochs each (median: of the "
              f"runs that get below 0.05):")
        for line in describe(stats):
            print("  " + line)
        results["statistics"] = stats
    return results


if __name__ == "__main__":
    main()

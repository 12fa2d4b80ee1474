"""``rosenblatt explain``, ``rosenblatt gates`` and ``rosenblatt perceptron``: the notes' classic
demonstrations in the terminal.

- ``explain``: backpropagation on one sample, layer by layer (lecture 000, L08);
- ``gates``: the truth table of every gate network of the notes (L05, L14, L15, L22, L23, ...);
- ``perceptron --gate G``: Rosenblatt's rule on a gate, converging on AND, OR, NAND, NOT and not
  on XOR (L03, L04).
"""

from __future__ import annotations

import itertools

import numpy as np

from rosenblatt.base.checks import check_positive

# The default network of ``rosenblatt explain``: 2-2-1, Dense kernels (in, out) and biases.
DEFAULT_KERNELS = ([[0.5, -0.3], [0.2, 0.8]], [[1.0], [-1.5]])
DEFAULT_BIASES = ([0.1, -0.2], [0.3])
DEFAULT_X = (1.0, 0.0)
DEFAULT_Y = (1.0,)
GATES = ("and", "or", "nand", "not", "xor")
MAX_EPOCHS = 10_000  # perceptron --epochs: one printed line per epoch
MAX_UNITS = 1_000  # explain --hidden: every value of every layer is printed


def add_parser(subparsers) -> None:
    """Add the ``explain``, ``gates`` and ``perceptron`` commands to ``subparsers``."""
    sub = subparsers.add_parser(
        "explain",
        help="backpropagation on one sample, printed layer by layer",
        description=(
            "Run the forward and backward pass of a small Dense network on one sample and print "
            "p, o, delta and dE/dTheta per layer in the notation of lecture 000. By default "
            "the network is 2-2-1 with fixed weights, x = (1, 0), y = 1; with --seed, or with "
            "other sizes, the weights are drawn from U(-1, 1) (seed 0 unless given)."
        ),
    )
    sub.add_argument(
        "--activation",
        default="sigmoid",
        metavar="NAME",
        help="g for every layer, e.g. sigmoid, tanh, relu (default sigmoid)",
    )
    sub.add_argument(
        "--hidden",
        type=int,
        nargs="*",
        metavar="UNITS",
        help=f"hidden layer sizes, each at most {MAX_UNITS:,} (default 2; none for a single "
        "layer)",
    )
    sub.add_argument(
        "--seed",
        type=int,
        metavar="INT",
        help="draw the weights from U(-1, 1) with this seed instead of the fixed ones",
    )
    sub.add_argument("--x", type=float, nargs="+", metavar="X", help="the input (default 1 0)")
    sub.add_argument("--y", type=float, nargs="+", metavar="Y", help="the target (default 1)")
    sub.set_defaults(func=_explain)

    sub = subparsers.add_parser(
        "gates",
        help="the truth table of every gate network of the notes",
        description="Print the truth table, formula and lecture of every gate network.",
    )
    sub.set_defaults(func=_gates)

    sub = subparsers.add_parser(
        "perceptron",
        help="the perceptron rule on a logic gate, epoch by epoch",
        description=(
            "Train Rosenblatt's perceptron on a gate's truth table and print the mistakes per "
            "epoch: it converges on AND, OR, NAND and NOT and never on XOR."
        ),
    )
    sub.add_argument("--gate", choices=GATES, default="and", help="the gate (default and)")
    sub.add_argument("--epochs", type=int, default=20,
                     help=f"the most epochs, at most {MAX_EPOCHS:,} (default 20)")
    sub.add_argument(
        "--learning-rate", type=float, default=1.0, help="alpha in w <- w + alpha (d - y) x"
    )
    sub.add_argument(
        "--seed",
        type=int,
        metavar="INT",
        help="seed for --shuffle and --init random (default: unseeded)",
    )
    sub.add_argument("--shuffle", action="store_true", help="new sample order every epoch")
    sub.add_argument(
        "--init", choices=("zeros", "random"), default="zeros", help="starting weights"
    )
    sub.set_defaults(func=_perceptron)


def _explain(args) -> int:
    from rosenblatt.teaching.explain import explain

    x = DEFAULT_X if args.x is None else tuple(args.x)
    y = DEFAULT_Y if args.y is None else tuple(args.y)
    hidden = [2] if args.hidden is None else args.hidden
    for units in hidden:
        check_positive(units, "--hidden", integer=True)
        _check_at_most(units, "--hidden", MAX_UNITS)
    sizes = [len(x), *hidden, len(y)]
    if args.seed is None and sizes == [2, 2, 1]:
        kernels, biases = DEFAULT_KERNELS, DEFAULT_BIASES
    else:
        kernels, biases = _random_weights(sizes, 0 if args.seed is None else args.seed)
    explain(kernels, x, y, biases=biases, activation=args.activation)
    return 0


def _check_at_most(value: int, flag: str, cap: int) -> None:
    if value > cap:
        raise ValueError(f"{flag}: expected at most {cap:,}, got {value:,}")


def _random_weights(sizes: list[int], seed: int):
    """Kernels (in, out) and biases drawn from U(-1, 1)."""
    rng = np.random.default_rng(seed)
    kernels = [rng.uniform(-1, 1, (n_in, n_out)) for n_in, n_out in itertools.pairwise(sizes)]
    biases = [rng.uniform(-1, 1, n_out) for n_out in sizes[1:]]
    return kernels, biases


def _gates(args) -> int:
    from rosenblatt.teaching.classic import format_truth_tables

    print(format_truth_tables())
    return 0


def _perceptron(args) -> int:
    from rosenblatt.teaching.classic import perceptron_report

    check_positive(args.epochs, "--epochs", integer=True)
    _check_at_most(args.epochs, "--epochs", MAX_EPOCHS)
    check_positive(args.learning_rate, "--learning-rate")
    print(
        perceptron_report(
            args.gate,
            learning_rate=args.learning_rate,
            max_epochs=args.epochs,
            init=args.init,
            shuffle=args.shuffle,
            random_state=args.seed,
        )
    )
    return 0

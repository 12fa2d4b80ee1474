"""``rosenblatt explain``, ``rosenblatt gates`` and ``rosenblatt perceptron``: the notes' classic
demonstrations in the terminal.

- ``explain``: backpropagation on one sample, layer by layer (lecture 000, L08), or node by node
  through a saved neuron graph g = {N, E} (``--model``, lecture 004);
- ``gates``: the truth table of every gate network of the notes (L05, L14, L15, L22, L23, ...);
- ``perceptron --gate G``: Rosenblatt's rule on a gate, converging on AND, OR, NAND, NOT and not
  on XOR (L03, L04).
"""

from __future__ import annotations

import itertools

import numpy as np

from rosenblatt.base.checks import check_positive
from rosenblatt.cli._args import finite_float

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
        help="backpropagation on one sample, printed layer by layer or node by node",
        description=(
            "Run the forward and backward pass of E = 1/2 sum (h_i - y_i)^2 on one sample and "
            "print every value on the way. By default the network is a small Dense network "
            "printed layer by layer (p, o, delta and dE/dTheta, lecture 000): 2-2-1 with fixed "
            "weights, x = (1, 0), y = 1; with --seed, or with other sizes, the weights are drawn "
            "from U(-1, 1) (seed 0 unless given). With --model PATH it is a saved model: a "
            "neuron graph g = {N, E} (rosenblatt.graph.Graph) printed node by node (a_i, z_i "
            "and delta_i = dE/da_i, lecture 004), or a Sequential of Dense layers printed layer "
            "by layer; --x and --y are then required, and x is the network's own input (a "
            "preprocessing stored by rosenblatt train is not applied)."
        ),
    )
    sub.add_argument(
        "--model",
        metavar="PATH",
        help="a model file written by Model.save or rosenblatt train: a Graph or a Sequential "
        "of Dense layers with elementwise activations (not with --hidden, --seed, --activation)",
    )
    sub.add_argument(
        "--activation",
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
    sub.add_argument("--x", type=finite_float, nargs="+", metavar="X",
                     help="the input, one number per input (default 1 0; required with --model)")
    sub.add_argument("--y", type=finite_float, nargs="+", metavar="Y",
                     help="the target, one number per output (default 1; required with --model)")
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

    if args.model is not None:
        return _explain_model(args)
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
    explain(kernels, x, y, biases=biases,
            activation="sigmoid" if args.activation is None else args.activation)
    return 0


def _explain_model(args) -> int:
    """``explain --model PATH``: the saved Graph node by node, or the saved Sequential of Dense
    layers layer by layer, on the sample (--x, --y)."""
    from rosenblatt.models import load_model
    from rosenblatt.teaching.explain import explain  # imports the graph: its files can load

    for flag, value in (("--hidden", args.hidden), ("--seed", args.seed),
                        ("--activation", args.activation)):
        if value is not None:
            raise ValueError(f"{flag}: the network and its activations come from --model "
                             f"{args.model}; expected no {flag} with --model, got {value}")
    for flag, value in (("--x", args.x), ("--y", args.y)):
        if value is None:
            raise ValueError(f"{flag}: expected the sample's values with --model, got none")
    model = load_model(args.model, compile=False)
    widths = _widths(model, args.model)
    if widths is not None:
        for flag, value, width, side in (("--x", args.x, widths[0], "input"),
                                         ("--y", args.y, widths[1], "output")):
            if len(value) != width:
                raise ValueError(f"{flag}: expected {width} numbers (one per {side} of the "
                                 f"model in {args.model}), got {len(value)}")
    explain(model, args.x, args.y)
    return 0


def _widths(model, path) -> tuple[int, int] | None:
    """(inputs, outputs) of a Graph or of a built Sequential of Dense layers; None for another
    Sequential (the explainer then names the layer it cannot follow)."""
    from rosenblatt.graph import Graph
    from rosenblatt.models import Sequential
    from rosenblatt.nn.layers import Dense

    if isinstance(model, Graph):
        return len(model.structure.inputs), len(model.structure.outputs)
    if not isinstance(model, Sequential):
        raise TypeError(f"--model: expected a file holding a Graph or a Sequential of Dense "
                        f"layers, got a {type(model).__name__} in {path}")
    layers = model.layers
    if layers and all(isinstance(layer, Dense) and layer.built for layer in layers):
        return layers[0].kernel.shape[0], layers[-1].kernel.shape[1]
    return None


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

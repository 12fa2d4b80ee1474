"""``rosenblatt plot KIND ...``: draw one of the notes' pictures into a PNG or SVG file.

Kinds: ``activations``, ``gd`` (gradient descent on e(w) = 1/2 C w^2), ``dataset NAME``,
``boundary MODEL --data NAME``, ``weights MODEL``, ``network MODEL``, ``history FILE.json``.
Each takes ``--out PATH`` (default ``KIND.png``) and prints the path it wrote.
"""

from __future__ import annotations

import json

from rosenblatt.cli._args import int_in

MAX_STEPS = 10_000  # gd --steps
MAX_RESOLUTION = 2_000  # boundary --resolution: a grid of resolution^2 points


def add_parser(subparsers) -> None:
    """Add the ``plot`` command and its kinds to ``subparsers``."""
    parser = subparsers.add_parser(
        "plot",
        help="draw a picture into a PNG or SVG file (needs matplotlib)",
        description="Draw one of the notes' pictures into a PNG or SVG file.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True

    sub = _kind(kinds, "activations", "each activation and its derivative", _activations)
    sub.add_argument("--names", nargs="+", metavar="NAME", help="activations (default: all)")

    sub = _kind(kinds, "gd", "gradient descent on e(w) = 1/2 C w^2 for several rates", _gd)
    sub.add_argument("--C", type=float, default=1.0, help="the curvature C (default 1)")
    sub.add_argument(
        "--etas",
        type=float,
        nargs="+",
        metavar="ETA",
        help="learning rates (default 0.5/C 1/C 1.5/C 2.2/C)",
    )
    sub.add_argument("--w0", type=float, default=1.0, help="starting point (default 1)")
    sub.add_argument("--steps", type=int_in(0, MAX_STEPS), default=20,
                     help=f"steps drawn, at most {MAX_STEPS:,} (default 20)")

    sub = _kind(kinds, "dataset", "a scatter of a playground data set", _dataset)
    sub.add_argument("name", metavar="NAME", help="data set name, e.g. circle, xor, spiral")
    _data_options(sub)

    sub = _kind(kinds, "boundary", "a saved model's decision boundary over a data set", _boundary)
    sub.add_argument("model", metavar="MODEL", help="a saved model file")
    sub.add_argument("--data", required=True, metavar="NAME", help="data set name")
    sub.add_argument("--resolution", type=int_in(2, MAX_RESOLUTION), default=200,
                     help=f"grid points per axis, at most {MAX_RESOLUTION:,} (default 200)")
    _data_options(sub)

    sub = _kind(kinds, "weights", "histograms of a saved model's weights per layer", _weights)
    sub.add_argument("model", metavar="MODEL", help="a saved model file")

    sub = _kind(kinds, "network", "a saved model drawn as neurons and weighted links", _network)
    sub.add_argument("model", metavar="MODEL", help="a saved model file")

    sub = _kind(kinds, "history", "loss and metrics per epoch from a JSON file", _history)
    sub.add_argument("file", metavar="FILE.json", help="a JSON dict of per-epoch lists")


def _kind(kinds, name: str, help_text: str, draw):
    sub = kinds.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:])
    sub.add_argument(
        "--out",
        default=f"{name}.png",
        metavar="PATH",
        help=f"where to write the picture, .png or .svg (default {name}.png)",
    )
    sub.set_defaults(func=lambda args: _run(args, draw))
    return sub


def _data_options(sub) -> None:
    sub.add_argument("--n", type=int, help="number of points (default: the generator's)")
    sub.add_argument("--noise", type=float, help="noise level (default: the generator's)")
    sub.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def _run(args, draw) -> int:
    from rosenblatt.plot._figure import check_save, pyplot, require_matplotlib

    check_save(args.out)
    require_matplotlib().use("Agg")
    fig = draw(args)
    pyplot().close(fig)
    print(args.out)
    return 0


def _activations(args):
    from rosenblatt.plot import activations

    return activations(args.names, save=args.out)


def _gd(args):
    from rosenblatt.plot import gradient_descent_1d

    return gradient_descent_1d(
        C=args.C, etas=args.etas, w0=args.w0, steps=args.steps, save=args.out
    )


def _make(args, name: str):
    from rosenblatt.datasets import make

    options = {key: getattr(args, key) for key in ("n", "noise") if getattr(args, key) is not None}
    return make(name, seed=args.seed, **options)


def _dataset(args):
    from rosenblatt.plot import scatter

    x, y = _make(args, args.name)
    return scatter(x, y, save=args.out)


def _load(path: str):
    from rosenblatt.models import load_model

    return load_model(path)


def _boundary(args):
    from rosenblatt.plot import decision_boundary

    model = _load(args.model)
    x, y = _make(args, args.data)
    return decision_boundary(model, x, y, resolution=args.resolution, save=args.out)


def _weights(args):
    from rosenblatt.plot import weights

    return weights(_load(args.model), save=args.out)


def _network(args):
    from rosenblatt.plot import network

    return network(_load(args.model), save=args.out)


def _history(args):
    from rosenblatt.plot import history

    try:
        with open(args.file, encoding="utf-8") as handle:
            logs = json.load(handle)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{args.file}: expected a JSON file of training logs ({exc})") from None
    return history(logs, save=args.out)

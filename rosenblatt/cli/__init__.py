"""The ``rosenblatt`` command: one subcommand per module in this package.

Each subcommand module defines ``add_parser(subparsers)``, which adds its parser and sets
``func`` (called with the parsed arguments, returning an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("train", "predict", "summary", "explain", "gates", "perceptron", "plot")
_MODULES = {"train": "models", "predict": "models", "summary": "models", "explain": "classic",
            "gates": "classic", "perceptron": "classic", "plot": "plot"}
COMMANDS, _MODULES = (*COMMANDS, "playground"), {**_MODULES, "playground": "playground"}
COMMANDS, _MODULES = (*COMMANDS, "sweep"), {**_MODULES, "sweep": "sweep"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rosenblatt",
        description="Neural networks from McCulloch-Pitts neurons to backpropagation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    seen = set()
    for name in COMMANDS:
        module = _MODULES[name]
        if module in seen:
            continue
        seen.add(module)
        try:
            mod = importlib.import_module(f"rosenblatt.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"rosenblatt.cli.{module}":
                raise
            continue
        mod.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, TypeError, OSError, ImportError) as exc:
        print(f"rosenblatt {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

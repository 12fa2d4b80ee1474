"""Curves: a training history per epoch, and the activation functions with their derivatives."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rosenblatt.base.checks import as_array, describe
from rosenblatt.plot._figure import BLUE, ORANGE, check_save, finish, panels

ELEMENTWISE_ACTIVATIONS = (
    "linear",
    "step",
    "sign",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "softplus",
    "gelu",
    "swish",
)


def history(history, save=None):
    """Draw each logged quantity per epoch, one panel per quantity, training against validation.

    Formula: panel ``q`` shows the points ``(epoch, history[q][epoch - 1])`` for
    ``epoch = 1 ... E`` and, when present, ``(epoch, history['val_' + q][epoch - 1])``.

    Args:
        history: a History (anything with a ``.history`` dict) or such a dict itself, mapping
            names ('loss', 'accuracy', 'val_loss', ...) to per-epoch lists of numbers.
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure``, with one axes per quantity.

    >>> fig = history({"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.7, 0.6]})
    >>> len(fig.axes)
    1

    Lecture 002 (fit, validation_split) and 003 (watching Q converge).
    """
    path = check_save(save)
    logs = _logs(history)
    quantities = [k for k in logs if not k.startswith("val_")]
    quantities += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]
    fig, axes = panels(len(quantities), ncols=3, size=(4.0, 3.0))
    for ax, name in zip(axes, quantities, strict=True):
        for key, label, colour in ((name, "train", BLUE), ("val_" + name, "validation", ORANGE)):
            if key in logs:
                values = logs[key]
                ax.plot(
                    np.arange(1, len(values) + 1),
                    values,
                    color=colour,
                    label=label,
                    marker="o" if len(values) <= 30 else None,
                    markersize=3,
                )
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.legend()
    return finish(fig, path)


def activations(names=None, save=None):
    """Draw each activation ``f(z)`` and its derivative ``f'(z)``, one small panel each.

    Formula: the curves ``z -> f(z)`` (solid) and ``z -> f'(z)`` (dashed) for ``z`` in
    [-4, 4], as on the notes' slides; e.g. ``sigmoid' = f (1 - f)``, ``tanh' = 1 - f^2``,
    ``relu' = step``, ``softplus' = sigmoid``. Softmax is not elementwise and has no such curve.

    Args:
        names: activation names known to ``rosenblatt.activations.get``, or None for all the
            elementwise ones (``ELEMENTWISE_ACTIVATIONS``).
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure``, with one axes per activation.

    >>> fig = activations(["sigmoid", "tanh", "relu"])
    >>> len(fig.axes)
    3

    Lectures 000, 001, 002 and 004 (activation functions, L06).
    """
    path = check_save(save)
    from rosenblatt.nn import activations as registry

    names = list(ELEMENTWISE_ACTIVATIONS) if names is None else _names(names)
    functions = [registry.get(name) for name in names]
    z = np.linspace(-4.0, 4.0, 401)
    fig, axes = panels(len(names), ncols=4, size=(2.8, 2.4))
    for ax, name, f in zip(axes, names, functions, strict=True):
        ax.axhline(0.0, color="#cccccc", linewidth=0.8)
        ax.axvline(0.0, color="#cccccc", linewidth=0.8)
        ax.plot(z, np.asarray(f.value(z)), color=BLUE, label="f(z)")
        ax.plot(z, np.asarray(f.derivative(z)), color=ORANGE, linestyle="--", label="f'(z)")
        ax.set_title(name)
        ax.set_xlabel("z")
    axes[0].legend(loc="upper left", fontsize="small")
    return finish(fig, path)


def _logs(history) -> dict[str, np.ndarray]:
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise TypeError(
            f"history: expected a History or a dict of per-epoch lists, got {describe(history)}"
        )
    if not logs:
        raise ValueError("history: expected at least one logged quantity, got an empty dict")
    out = {}
    for key, values in logs.items():
        if not isinstance(key, str):
            raise TypeError(f"history: expected str keys, got {describe(key)}")
        values = as_array(values, f"history[{key!r}]", dtype=np.float64, ndim=1, finite=False)
        if len(values) == 0:
            raise ValueError(f"history[{key!r}]: expected at least one epoch, got an empty list")
        out[key] = values
    return out


def _names(names) -> list[str]:
    names = [names] if isinstance(names, str) else list(names)
    if not names or not all(isinstance(n, str) for n in names):
        raise TypeError(f"names: expected a non-empty list of activation names, got {names!r}")
    for name in names:
        if name.replace("_", "").lower() == "softmax":
            raise ValueError(
                "names: softmax is not elementwise (each output depends on every input), so it "
                "has no curve f(z) to draw; leave it out"
            )
    return names

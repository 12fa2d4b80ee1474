"""Gradient descent on the notes' one-dimensional loss ``e(w) = 1/2 C w^2`` (lecture 004)."""

from __future__ import annotations

import math
import numbers

import numpy as np

from rosenblatt.base.checks import check_positive
from rosenblatt.plot._figure import BLUE, ORANGE, check_save, finish, pyplot


def gradient_descent_path(C: float, eta: float, w0: float = 1.0, steps: int = 20) -> np.ndarray:
    """The iterates of gradient descent on ``e(w) = 1/2 C w^2``.

    Formula: ``w_{t+1} = w_t - eta e'(w_t) = (1 - eta C) w_t``, hence
    ``w_t = (1 - eta C)^t w_0``. A diverging path may overflow to inf.

    Args:
        C: the curvature ``C > 0``.
        eta: the learning rate ``eta > 0``.
        w0: the starting point ``w_0``.
        steps: the number of steps ``T >= 0``.

    Returns:
        ``[w_0, w_1, ..., w_T]``, shape ``(T + 1,)``, float64.

    >>> gradient_descent_path(C=2.0, eta=0.75, w0=1.0, steps=3).tolist()
    [1.0, -0.5, 0.25, -0.125]

    Lecture 004 (possible behaviours according to eta, L32).
    """
    _check_problem(C, w0, steps)
    check_positive(eta, "eta")
    w = np.empty(steps + 1)
    w[0] = w0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            w[t + 1] = w[t] - eta * C * w[t]
    return w


def classify_step(C: float, eta: float) -> str:
    """How gradient descent on ``e(w) = 1/2 C w^2`` behaves with learning rate ``eta``.

    Formula: with ``r = 1 - eta C`` (so ``w_t = r^t w_0``): ``eta < 1/C`` is 'monotone'
    (``0 < r < 1``), ``eta = 1/C`` is 'one step' (``r = 0``), ``1/C < eta < 2/C`` is
    'oscillating' (``-1 < r < 0``), ``eta = 2/C`` is 'stuck' (``r = -1``: it jumps between
    ``w_0`` and ``-w_0`` for ever) and ``eta > 2/C`` is 'diverging' (``r < -1``). Equality is
    tested with a relative tolerance of 1e-9, so that ``eta = 1 / C`` computed in floating
    point counts as one step.

    Args:
        C: the curvature ``C > 0``.
        eta: the learning rate ``eta > 0``.

    Returns:
        'monotone', 'one step', 'oscillating', 'stuck' or 'diverging'.

    >>> [classify_step(1.0, eta) for eta in (0.5, 1.0, 1.5, 2.0, 2.2)]
    ['monotone', 'one step', 'oscillating', 'stuck', 'diverging']

    Lecture 004 (L32).
    """
    check_positive(C, "C")
    check_positive(eta, "eta")
    product = eta * C
    if math.isclose(product, 1.0, rel_tol=1e-9):
        return "one step"
    if math.isclose(product, 2.0, rel_tol=1e-9):
        return "stuck"
    if product < 1.0:
        return "monotone"
    return "oscillating" if product < 2.0 else "diverging"


def gradient_descent_1d(C: float = 1.0, etas=None, w0: float = 1.0, steps: int = 20, save=None):
    """Draw gradient descent on ``e(w) = 1/2 C w^2`` for several learning rates.

    Formula: ``w_{t+1} = (1 - eta C) w_t`` (see :func:`gradient_descent_path`). For each
    ``eta``, a column of two panels: the parabola with the iterates ``(w_t, e(w_t))`` on it
    (shown within ``|w| <= 3 |w_0|``), and ``w_t`` against ``t``; the title names the
    behaviour (:func:`classify_step`).

    Args:
        C: the curvature ``C > 0``.
        etas: learning rates, or None for ``0.5/C, 1/C, 1.5/C, 2.2/C`` (monotone, one step,
            oscillating, diverging).
        w0: the starting point.
        steps: the number of steps drawn.
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure``, with ``2 * len(etas)`` axes.

    >>> fig = gradient_descent_1d(C=2.0)
    >>> len(fig.axes)
    8

    Lecture 004 (possible behaviours according to eta, L32).
    """
    path = check_save(save)
    _check_problem(C, w0, steps)
    etas = [x / C for x in (0.5, 1.0, 1.5, 2.2)] if etas is None else _check_etas(etas)
    plt = pyplot()
    fig, axes = plt.subplots(
        2, len(etas), figsize=(3.2 * len(etas), 5.6), squeeze=False, layout="constrained"
    )
    reach = 3.0 * abs(w0) if w0 != 0 else 1.0
    w = np.linspace(-reach, reach, 201)
    for column, eta in enumerate(etas):
        path_w = gradient_descent_path(C, eta, w0, steps)
        top, bottom = axes[0, column], axes[1, column]
        top.plot(w, 0.5 * C * w**2, color="#999999")
        top.plot(path_w, 0.5 * C * path_w**2, color=ORANGE, marker="o", markersize=3)
        top.plot(path_w[:1], 0.5 * C * path_w[:1] ** 2, "ko", markersize=5)
        top.set_xlim(-reach, reach)
        top.set_ylim(-0.05 * C * reach**2, 0.55 * C * reach**2)
        top.set_title(f"eta = {eta * C:g}/C: {classify_step(C, eta)}")
        top.set_xlabel("w")
        top.set_ylabel("e(w)")
        bottom.axhline(0.0, color="#cccccc", linewidth=0.8)
        bottom.plot(np.arange(steps + 1), path_w, color=BLUE, marker="o", markersize=3)
        bottom.set_xlabel("t")
        bottom.set_ylabel("w_t")
    return finish(fig, path)


def _check_problem(C, w0, steps) -> None:
    check_positive(C, "C")
    if not isinstance(w0, numbers.Real) or isinstance(w0, bool) or not math.isfinite(w0):
        raise ValueError(f"w0: expected a finite number, got {w0!r}")
    check_positive(steps, "steps", allow_zero=True, integer=True)


def _check_etas(etas) -> list[float]:
    if isinstance(etas, numbers.Real):
        etas = [etas]
    etas = list(etas)
    if not etas:
        raise ValueError("etas: expected at least one learning rate, got an empty list")
    for eta in etas:
        check_positive(eta, "etas")
    return etas

"""L32 (lecture 004): gradient descent on e(w) = 1/2 C w^2 and the four regimes of eta.

The update w <- w - eta e'(w) = (1 - eta C) w gives: eta < 1/C converges monotonically;
eta = 1/C reaches the minimum in one step; 1/C < eta < 2/C converges while oscillating around
it; eta > 2/C diverges. The gradient comes from autodiff and the step from the SGD optimizer.

Run: python examples/L32_gradient_descent_quadratic.py [--C 2] [--steps 10]
"""

import argparse

import numpy as np
from rosenblatt.optimizers import SGD

from rosenblatt import Tensor

REGIMES = {"monotone": 0.5, "one step": 1.0, "oscillating": 1.5, "diverging": 2.5}


def descend(C, eta, w0=1.0, steps=10):
    """The iterates w_0, ..., w_steps of gradient descent on 1/2 C w^2 (float64)."""
    w = Tensor(np.array([w0]), requires_grad=True, dtype="float64")
    optimizer = SGD(learning_rate=eta)
    path = [w0]
    for _ in range(steps):
        w.grad = None
        (0.5 * C * w * w).sum().backward()
        optimizer.apply([w.data], [w.grad])
        path.append(float(w.data[0]))
    return np.array(path)


def main(argv=None):
    """Return ``{'C': C, regime: (eta, iterates)}`` for eta = 0.5/C, 1/C, 1.5/C, 2.5/C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=2.0)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args(argv)
    results = {"C": args.C}
    for regime, factor in REGIMES.items():
        eta = factor / args.C
        path = descend(args.C, eta, steps=args.steps)
        results[regime] = (eta, path)
        print(
            f"eta = {factor:g}/C = {eta:<6g} {regime:12s} w: "
            + " ".join(f"{w:+.3g}" for w in path[:7])
            + " ..."
        )
    return results


if __name__ == "__main__":
    main()

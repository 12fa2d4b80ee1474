"""L18 (lecture 002): the gradient of one sigmoid neuron under the squared error.

For J = (y - y_hat)^2 with y_hat = g(z), z = sum_i w_i x_i (x_0 = 1, w_0 = b) and g the sigmoid,
the chain rule gives dJ/dw_i = 2 (y_hat - y) g'(z) x_i = delta x_i with g'(z) = g(z) (1 - g(z)).
This hand formula equals the gradient from autodiff.

Run: python examples/L18_one_neuron_gradient.py [--seed 0]
"""

import argparse

import numpy as np

from rosenblatt import Tensor


def by_formula(w, b, x, y):
    """(dJ/dw, dJ/db) = (2 (y_hat - y) g'(z) x, 2 (y_hat - y) g'(z))."""
    y_hat = 1 / (1 + np.exp(-(x @ w + b)))
    delta = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return delta * x, delta


def by_autodiff(w, b, x, y):
    """The same gradient from ``backward()`` on J = (y - sigmoid(x w + b))^2."""
    w_t = Tensor(w, requires_grad=True, dtype="float64")
    b_t = Tensor(b, requires_grad=True, dtype="float64")
    J = (Tensor(y, dtype="float64") - ((Tensor(x, dtype="float64") @ w_t) + b_t).sigmoid()) ** 2
    J.backward()
    return w_t.grad, float(b_t.grad)


def main(argv=None):
    """Return ``{'formula': (dw, db), 'autodiff': (dw, db)}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    w, b, x, y = rng.normal(size=3), float(rng.normal()), rng.normal(size=3), 1.0
    formula, autodiff = by_formula(w, b, x, y), by_autodiff(w, b, x, y)
    print(f"dJ/dw by formula  = {formula[0]}, dJ/db = {formula[1]:.8f}")
    print(f"dJ/dw by autodiff = {autodiff[0]}, dJ/db = {autodiff[1]:.8f}")
    return {"formula": formula, "autodiff": autodiff}


if __name__ == "__main__":
    main()

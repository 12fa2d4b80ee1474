"""L08 (lecture 000): backpropagation written out layer by layer.

A network with three hidden sigmoid layers runs the forward pass p(l) = Theta(l-1) o(l-1),
o(l) = g(p(l)) on one sample; the backward pass of E = 1/2 (h - y)^2 gives
delta(L) = (h - y) * g'(p(L)), delta(l) = Theta(l)^T delta(l+1) * g'(p(l)) and
dE/dTheta(l)_ij = delta(l+1)_i o(l)_j. The trace is printed by ``rosenblatt.explain`` and its
gradients are compared with what the autodiff engine gives for the same model.

Run: python examples/L08_backprop_trace.py [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.explain import explain
from rosenblatt.layers import Dense

from rosenblatt import Sequential, Tensor


def build_model(sizes=(3, 4, 4, 3, 2), seed=0):
    """A float64 Sequential of sigmoid Dense layers with the given widths (input first)."""
    layers = [Dense(sizes[1], activation="sigmoid", input_dim=sizes[0], dtype="float64")]
    layers += [Dense(n, activation="sigmoid", dtype="float64") for n in sizes[2:]]
    return Sequential(layers, seed=seed)


def autodiff_gradients(model, x, y):
    """dE/dW and dE/db for E = 1/2 ||model(x) - y||^2, from ``backward()`` on tensors."""
    for w in model.weights:
        w.grad = None
    h = model(Tensor(x[None, :], dtype="float64"))
    error = 0.5 * ((h - Tensor(y[None, :], dtype="float64")) ** 2).sum()
    error.backward()
    return [w.grad for w in model.weights]


def main(argv=None):
    """Print the trace; return ``{'trace', 'max_difference'}`` (explain vs autodiff)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    model = build_model(seed=args.seed)
    x, y = rng.uniform(-1, 1, 3), np.array([1.0, 0.0])
    trace = explain(model, x, y)
    reference = autodiff_gradients(model, x, y)
    difference = max(
        float(np.max(np.abs(a - b))) for a, b in zip(trace.gradients(), reference, strict=True)
    )
    print(f"\nmax |dE/dTheta (trace) - dE/dTheta (autodiff)| = {difference:.2e}")
    return {"trace": trace, "max_difference": difference, "model": model, "x": x, "y": y}


if __name__ == "__main__":
    main()

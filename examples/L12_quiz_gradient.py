"""L12 (lecture 001, quiz): df/dw2 for f(x, w) = sigmoid(sigmoid(x1 w1) w2 + x2).

At w1 = w2 = 0, x1 = 11, x2 = 5: sigmoid(x1 w1) = 0.5, so df/dw2 = 0.5 sigmoid(5) (1 - sigmoid(5))
= 0.0033240283... The same number comes from the Tensor engine, from the scalar Value engine
and from a central difference.

Run: python examples/L12_quiz_gradient.py
"""

import math

from rosenblatt.micro import Value

from rosenblatt import Tensor

X1, X2 = 11.0, 5.0


def f(w1, w2):
    """The quiz function on plain floats."""
    s = 1 / (1 + math.exp(-X1 * w1))
    return 1 / (1 + math.exp(-(s * w2 + X2)))


def by_tensor(w1=0.0, w2=0.0):
    """df/dw2 from ``Tensor.backward``."""
    w1, w2 = (
        Tensor(w1, requires_grad=True, dtype="float64"),
        Tensor(w2, requires_grad=True, dtype="float64"),
    )
    out = ((w1 * X1).sigmoid() * w2 + X2).sigmoid()
    out.backward()
    return float(w2.grad)


def by_value(w1=0.0, w2=0.0):
    """df/dw2 from the scalar ``Value`` engine."""
    w1, w2 = Value(w1, "w1"), Value(w2, "w2")
    out = ((w1 * X1).sigmoid() * w2 + X2).sigmoid()
    out.backward()
    return w2.grad


def main(argv=None):
    """Return ``{'closed_form', 'tensor', 'value', 'central'}``."""
    s5 = 1 / (1 + math.exp(-5.0))
    h = 1e-6
    results = {
        "closed_form": 0.5 * s5 * (1 - s5),
        "tensor": by_tensor(),
        "value": by_value(),
        "central": (f(0.0, h) - f(0.0, -h)) / (2 * h),
    }
    for name, value in results.items():
        print(f"df/dw2 by {name:11s} = {value:.10f}")
    return results


if __name__ == "__main__":
    main()

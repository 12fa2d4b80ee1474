"""L06, L07 (lectures 000, 001, 002, 004): activation functions and their derivatives.

For sigmoid, tanh, ReLU, softplus, linear, step and sign, the derivative the library uses is
compared with a central difference (away from the kinks of ReLU, step and sign) and with the
notes' identities: sigmoid' = f (1 - f), tanh' = 1 - f^2 (lecture 000 prints 1 - f, a typo),
ReLU' = step, softplus' = sigmoid, linear' = 1, step' = sign' = 0. L07 checks
tanh(x) = 2 sigmoid(2x) - 1 to float precision.

Run: python examples/L06_L07_activations.py
"""

import numpy as np

from rosenblatt import activations


def identity_derivative(name, z, f):
    """The notes' closed form of g'(z), written from the value f = g(z)."""
    sigmoid = activations.sigmoid.value(z)
    return {
        "sigmoid": f * (1 - f),
        "tanh": 1 - f**2,
        "relu": (z > 0).astype(np.float64),
        "softplus": sigmoid,
        "linear": np.ones_like(z),
        "step": np.zeros_like(z),
        "sign": np.zeros_like(z),
    }[name]


def main(argv=None):
    """Return ``{'central': {name: err}, 'identity': {name: err}, 'tanh_identity': err}``."""
    z = np.linspace(-4.0, 4.0, 81)
    z = z[np.abs(z) > 1e-3]  # leave out the kink at 0
    h = 1e-6
    central, identity = {}, {}
    for name in ("sigmoid", "tanh", "relu", "softplus", "linear", "step", "sign"):
        g = activations.get(name)
        f = g.value(z)
        derivative = g.derivative(z)
        numeric = (g.value(z + h) - g.value(z - h)) / (2 * h)
        central[name] = float(np.max(np.abs(derivative - numeric)))
        identity[name] = float(np.max(np.abs(derivative - identity_derivative(name, z, f))))
        print(
            f"{name:8s} {g.formula:60s} |g' - central| = {central[name]:.1e}, "
            f"|g' - identity| = {identity[name]:.1e}"
        )
    x = np.linspace(-10.0, 10.0, 2001)
    tanh_identity = float(np.max(np.abs(np.tanh(x) - (2 * activations.sigmoid.value(2 * x) - 1))))
    print(f"L07: max |tanh(x) - (2 sigmoid(2x) - 1)| on [-10, 10] = {tanh_identity:.1e}")
    return {"central": central, "identity": identity, "tanh_identity": tanh_identity}


if __name__ == "__main__":
    main()

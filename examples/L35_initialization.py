"""L35 (lecture 004): weight initialization.

With a constant initialization every hidden unit computes the same function and receives the
same gradient, so after training all hidden units still have identical weights: the symmetry
is never broken. Random initializers break it; their sample variances match the formulas:
He N(0, 2 / fan_in), Xavier (Glorot) N(0, 2 / (fan_in + fan_out)) and
U(+-sqrt(6 / (fan_in + fan_out))), whose variance is 2 / (fan_in + fan_out).

Run: python examples/L35_initialization.py [--epochs 50] [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.layers import Dense

from rosenblatt import Sequential, initializers

FAN_IN, FAN_OUT = 300, 200


def trained_hidden_kernel(kernel_initializer, epochs, seed=0):
    """Train a 3-8-1 tanh network on random regression data; return the hidden kernel (3, 8)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = np.sin(x @ np.array([1.0, -1.0, 0.5]))
    model = Sequential(
        [
            Dense(8, activation="tanh", input_dim=3, kernel_initializer=kernel_initializer),
            Dense(1, kernel_initializer=kernel_initializer),
        ],
        seed=seed,
    )
    model.compile(optimizer="sgd", loss="mean_squared_error")
    model.fit(x, y, batch_size=16, epochs=epochs, verbose=0)
    return model.get_weights()[0]


def variances(seed=0):
    """{name: (sample variance, formula)} for a (FAN_IN, FAN_OUT) kernel."""
    formulas = {
        "he_normal": 2 / FAN_IN,
        "glorot_normal": 2 / (FAN_IN + FAN_OUT),
        "glorot_uniform": 2 / (FAN_IN + FAN_OUT),
    }
    result = {}
    for name, formula in formulas.items():
        init = initializers.get({"class_name": name, "config": {"seed": seed}})
        result[name] = (float(np.var(init((FAN_IN, FAN_OUT), dtype="float64"))), formula)
    return result


def main(argv=None):
    """Return ``{'constant': kernel, 'random': kernel, 'variances': {...}}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    constant = trained_hidden_kernel(initializers.Constant(0.3), args.epochs, args.seed)
    random = trained_hidden_kernel("glorot_uniform", args.epochs, args.seed)
    spread = float(np.max(np.ptp(constant, axis=1)))
    print(
        f"constant 0.3 init, after {args.epochs} epochs: hidden kernel columns differ by at "
        f"most {spread:.1e}\n{np.round(constant, 4)}"
    )
    print(f"glorot_uniform init: columns differ by up to {np.max(np.ptp(random, axis=1)):.2f}")
    var = variances(args.seed)
    for name, (sample, formula) in var.items():
        print(f"{name:14s} sample variance {sample:.6f}, formula {formula:.6f}")
    return {"constant": constant, "random": random, "variances": var}


if __name__ == "__main__":
    main()

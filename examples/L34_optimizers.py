"""L34 (lectures 004, 003): the update rules of SGD, momentum, AdaGrad, RMSprop and Adam.

Each optimizer takes three steps on theta from a fixed sequence of gradients; the same steps
are written out by hand from the formulas (PyTorch's forms):

    SGD       theta <- theta - eta g
    momentum  v <- mu v + g;  theta <- theta - eta v
    AdaGrad   G <- G + g^2;   theta <- theta - eta g / (sqrt(G) + eps)
    RMSprop   v <- rho v + (1 - rho) g^2;  theta <- theta - eta g / (sqrt(v) + eps)
    Adam      m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
              theta <- theta - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)

Run: python examples/L34_optimizers.py
"""

import numpy as np
from rosenblatt.optimizers import SGD, Adagrad, Adam, RMSprop

GRADIENTS = [np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([-1.0, 3.0])]
THETA0 = np.array([1.0, 1.0])
ETA, MU, RHO, B1, B2, EPS = 0.1, 0.9, 0.9, 0.9, 0.999, 1e-8


def by_hand(rule):
    """The iterates theta_1..theta_3 of ``rule`` from the formulas, in float64."""
    theta, s1, s2 = THETA0.copy(), np.zeros(2), np.zeros(2)
    path = []
    for t, g in enumerate(GRADIENTS, start=1):
        if rule == "sgd":
            theta = theta - ETA * g
        elif rule == "momentum":
            s1 = MU * s1 + g
            theta = theta - ETA * s1
        elif rule == "adagrad":
            s1 = s1 + g**2
            theta = theta - ETA * g / (np.sqrt(s1) + EPS)
        elif rule == "rmsprop":
            s1 = RHO * s1 + (1 - RHO) * g**2
            theta = theta - ETA * g / (np.sqrt(s1) + EPS)
        else:
            s1 = B1 * s1 + (1 - B1) * g
            s2 = B2 * s2 + (1 - B2) * g**2
            theta = theta - ETA * (s1 / (1 - B1**t)) / (np.sqrt(s2 / (1 - B2**t)) + EPS)
        path.append(theta.copy())
    return np.array(path)


def by_library(rule):
    """The same iterates from the library's optimizer applied in place."""
    optimizer = {
        "sgd": SGD(learning_rate=ETA),
        "momentum": SGD(learning_rate=ETA, momentum=MU),
        "adagrad": Adagrad(learning_rate=ETA, epsilon=EPS),
        "rmsprop": RMSprop(learning_rate=ETA, rho=RHO, epsilon=EPS),
        "adam": Adam(learning_rate=ETA, beta_1=B1, beta_2=B2, epsilon=EPS),
    }[rule]
    theta, path = THETA0.copy(), []
    for g in GRADIENTS:
        optimizer.apply([theta], [g.copy()])
        path.append(theta.copy())
    return np.array(path)


def main(argv=None):
    """Return ``{rule: (library iterates, hand iterates)}``, each of shape (3, 2)."""
    results = {}
    for rule in ("sgd", "momentum", "adagrad", "rmsprop", "adam"):
        results[rule] = (by_library(rule), by_hand(rule))
        gap = np.max(np.abs(results[rule][0] - results[rule][1]))
        print(
            f"{rule:9s} theta_3 = {np.round(results[rule][0][-1], 6)}  "
            f"max |library - formula| over 3 steps = {gap:.1e}"
        )
    return results


if __name__ == "__main__":
    main()

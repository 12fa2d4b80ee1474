"""L13, L31 (lectures 001, 004): the loss functions, their values and gradients.

MAE, MSE, SAE (smooth absolute error: 1/2 e^2 where |e| < 1, |e| - 1/2 elsewhere), binary
and categorical cross-entropy are evaluated on small hand-checkable batches; their gradients
with respect to the predictions are compared with central differences. Cross-entropy stays
finite for probabilities 0 and 1 (clipped) and for large logits (log-sum-exp).

Run: python examples/L13_L31_losses.py
"""

import numpy as np
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor, losses

Y_REG = np.array([[0.0], [1.0], [2.0], [3.0]])
P_REG = np.array([[0.5], [1.0], [4.0], [1.5]])  # errors 0.5, 0, 2, -1.5
Y_BIN = np.array([[1.0], [0.0], [1.0]])
P_BIN = np.array([[0.9], [0.2], [0.6]])
Y_CAT = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
P_CAT = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])

CASES = {
    "mae": (losses.mean_absolute_error, Y_REG, P_REG),
    "mse": (losses.mean_squared_error, Y_REG, P_REG),
    "sae": (losses.smooth_absolute_error, Y_REG, P_REG),
    "bce": (losses.binary_crossentropy, Y_BIN, P_BIN),
    "cce": (losses.categorical_crossentropy, Y_CAT, P_CAT),
}


def mean_loss(fn, y_true, y_pred):
    """The loss averaged over samples, as a float."""
    return float(fn(y_true, Tensor(y_pred, dtype="float64")).mean().data)


def stability():
    """BCE and CCE at probabilities 0 and 1 and at logits of +-1000: all finite."""
    values = {
        "bce p=0,1": mean_loss(losses.binary_crossentropy, [[1.0], [0.0]], [[0.0], [1.0]]),
        "cce p=0": mean_loss(losses.categorical_crossentropy, [[1.0, 0.0]], [[0.0, 1.0]]),
        "bce logits": float(
            losses.binary_crossentropy(
                [[1.0], [0.0]], Tensor([[1000.0], [-1000.0]]), from_logits=True
            )
            .mean()
            .data
        ),
        "cce logits": float(
            losses.categorical_crossentropy(
                [[1.0, 0.0]], Tensor([[1000.0, -1000.0]]), from_logits=True
            )
            .mean()
            .data
        ),
    }
    return values


def main(argv=None):
    """Return ``{'values': {name: loss}, 'gradcheck': {name: rel err}, 'stability': {...}}``."""
    values, errors = {}, {}
    for name, (fn, y, p) in CASES.items():
        values[name] = mean_loss(fn, y, p)
        errors[name] = gradcheck(lambda t, fn=fn, y=y: fn(y, t).mean(), p)
        print(
            f"{name.upper()}: {values[name]:.6f}   gradient vs central difference: "
            f"{errors[name]:.1e}"
        )
    stable = stability()
    for name, value in stable.items():
        print(f"{name:11s}: {value:.4f} (finite)")
    return {"values": values, "gradcheck": errors, "stability": stable}


if __name__ == "__main__":
    main()

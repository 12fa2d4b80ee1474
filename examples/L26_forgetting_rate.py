"""L26 (lecture 003): mini-batch training with a forgetting rate.

The functional Q starts as the mean loss over the training set; after each mini-batch with
loss eps it is updated as Q = lambda eps + (1 - lambda) Q, and training stops when Q changes by
less than a tolerance (for a few steps in a row). Q is printed per epoch.

Run: python examples/L26_forgetting_rate.py [--forgetting-rate 0.05] [--tol 1e-3]
"""

import argparse

import numpy as np
from rosenblatt.callbacks import ForgettingRate, LambdaCallback
from rosenblatt.layers import Dense
from rosenblatt.optimizers import SGD

from rosenblatt import Sequential


def main(argv=None):
    """Train until Q settles.

    Returns ``{'Q' (per step), 'batch_losses', 'rate', 'Q_per_epoch', 'epochs', 'stop_reason',
    'tol', 'patience'}``.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forgetting-rate", type=float, default=0.05)
    parser.add_argument("--tol", type=float, default=1e-3)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    x = rng.normal(size=(400, 3))
    y = x @ np.array([0.5, -1.0, 2.0]) + rng.normal(0.0, 0.1, 400)
    model = Sequential([Dense(1, input_dim=3, dtype="float64")], seed=args.seed)
    model.compile(optimizer=SGD(learning_rate=0.05), loss="mean_squared_error")
    q = ForgettingRate(forgetting_rate=args.forgetting_rate, tol=args.tol, patience=args.patience)
    batch_losses = []
    record = LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch_losses.append(logs["batch_loss"])
    )
    history = model.fit(x, y, batch_size=20, epochs=200, verbose=0, callbacks=[record, q])
    for epoch, value in enumerate(history.history["Q"], start=1):
        print(f"epoch {epoch:3d}: Q = {value:.6f}")
    print(history.stop_reason)
    return {
        "Q": q.values,
        "batch_losses": batch_losses,
        "rate": args.forgetting_rate,
        "Q_per_epoch": history.history["Q"],
        "epochs": len(history.epoch),
        "stop_reason": history.stop_reason,
        "tol": args.tol,
        "patience": args.patience,
    }


if __name__ == "__main__":
    main()

"""L20 (lecture 002): the three Keras APIs, with ``keras`` replaced by ``rosenblatt``.

The notes' Sequential (with ``add``), Functional (with ``Input``) and Subclassing (with ``call``)
code runs as written after changing the imports: compile(optimizer='sgd',
loss='mean_squared_error'), fit(..., epochs=100, validation_split=0.33), predict.

Run: python examples/L20_keras_apis.py [--epochs 100] [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.layers import Dense

import rosenblatt as keras
from rosenblatt import layers


def sequential_api(n_features):
    """The notes' Sequential API: add layers one by one."""
    model = keras.Sequential()
    model.add(layers.Dense(16, input_dim=n_features, activation="relu"))
    model.add(layers.Dense(8, activation="relu"))
    model.add(layers.Dense(1))
    return model


def functional_api(n_features):
    """The notes' Functional API: call layers on an Input, then Model(inputs, outputs)."""
    inputs = keras.Input(shape=(n_features,))
    x = Dense(16, activation="relu")(inputs)
    x = Dense(8, activation="relu")(x)
    outputs = Dense(1)(x)
    return keras.Model(inputs, outputs)


class MyModel(keras.Model):
    """The notes' subclassed model: three Dense layers applied in ``call``."""

    def __init__(self):
        super().__init__()
        self.dense1 = Dense(16, activation="relu")
        self.dense2 = Dense(8, activation="relu")
        self.dense3 = Dense(1)

    def call(self, inputs):
        """The forward pass: dense1, dense2, dense3."""
        x = self.dense1(inputs)
        x = self.dense2(x)
        return self.dense3(x)


def make_data(n=150, seed=0):
    """A smooth regression target y = sin(x1) + x2 / 2 on x ~ U(-2, 2)^(n, 2), split 2 : 1."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, (n, 2)).astype(np.float32)
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1]
    return x[:100], y[:100], x[100:], y[100:]


def main(argv=None):
    """Return ``{api: (first loss, last loss, predictions shape)}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    keras.set_seed(args.seed)  # the notes' code passes no seeds: fix the global one
    X_train, y_train, X_test, _ = make_data(seed=args.seed)
    N_features = X_train.shape[1]
    results = {}
    for name, model in (
        ("sequential", sequential_api(N_features)),
        ("functional", functional_api(N_features)),
        ("subclassing", MyModel()),
    ):
        model.compile(optimizer="sgd", loss="mean_squared_error")
        history = model.fit(X_train, y_train, epochs=args.epochs, validation_split=0.33, verbose=0)
        y_pred = model.predict(X_test)
        losses = history.history["loss"]
        results[name] = (losses[0], losses[-1], y_pred.shape)
        print(
            f"{name:11s}: loss {losses[0]:.4f} -> {losses[-1]:.4f}, "
            f"val_loss {history.history['val_loss'][-1]:.4f}, predictions {y_pred.shape}"
        )
    return results


if __name__ == "__main__":
    main()

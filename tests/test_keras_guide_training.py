"""The Dense-only programs of Keras' guide "Training & evaluation with the built-in methods",
written as the guide writes them with only the import changed (``import rosenblatt as
keras``), on a small MNIST that the tests write as IDX files and load as the guide loads MNIST.

Where the guide implies numbers, they are checked against references computed here with
NumPy: the losses and metrics that evaluate reports, the weighted mean of sample weights, the
loss of a model with several outputs (sum_k w_k L_k), the custom losses' closed forms, the
custom metric's counts, the callbacks' rules replayed on the logged values.
"""

import csv
import math
import os

import numpy as np
import pytest

import rosenblatt as keras
from rosenblatt import layers, ops

N_VAL = 100


@pytest.fixture(scope="module")
def data(mnist_dir):
    """The guide's preprocessing: flat float32 pixels in [0, 1], float32 labels, and the last
    samples of the training set reserved for validation."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data(path=mnist_dir)
    assert x_train.shape == (600, 28, 28) and x_train.dtype == np.uint8
    x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255
    x_test = x_test.reshape(len(x_test), 784).astype("float32") / 255
    y_train = y_train.astype("float32")
    y_test = y_test.astype("float32")
    x_val, y_val = x_train[-N_VAL:], y_train[-N_VAL:]
    return x_train[:-N_VAL], y_train[:-N_VAL], x_val, y_val, x_test, y_test


def get_uncompiled_model(seed=0):
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs, seed=seed)


def get_compiled_model(seed=0):
    model = get_uncompiled_model(seed)
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


def _cross_entropy(probabilities, labels):
    """Per-sample -log p[label], clipped as Keras clips."""
    p = np.clip(probabilities[np.arange(len(labels)), labels.astype(int)], 1e-7, 1 - 1e-7)
    return -np.log(p.astype(np.float64))


# --------------------------------------------------------------------------- first example
def test_the_end_to_end_workflow_fits_evaluates_and_predicts(data):
    x_train, y_train, x_val, y_val, x_test, y_test = data
    model = get_uncompiled_model()
    model.compile(
        optimizer=keras.optimizers.RMSprop(),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=2,
                        validation_data=(x_val, y_val), verbose=0)
    assert {k: len(v) for k, v in history.history.items()} == {
        "loss": 2, "sparse_categorical_accuracy": 2, "val_loss": 2,
        "val_sparse_categorical_accuracy": 2}
    results = model.evaluate(x_test, y_test, batch_size=128)
    probabilities = model.predict(x_test)
    assert results[0] == pytest.approx(_cross_entropy(probabilities, y_test).mean(), rel=1e-5)
    assert results[1] == np.mean(probabilities.argmax(axis=1) == y_test)
    assert history.history["val_loss"][-1] == pytest.approx(
        model.evaluate(x_val, y_val)[0], rel=1e-6)
    predictions = model.predict(x_test[:3])
    assert predictions.shape == (3, 10)
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-5)


def test_string_identifiers_compile_the_same_model(data):
    x_train, y_train, *_ = data
    by_name, by_object = get_compiled_model(seed=5), get_uncompiled_model(seed=5)
    by_object.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(),
                      metrics=[keras.metrics.SparseCategoricalAccuracy()])
    logs = [m.fit(x_train, y_train, batch_size=64, epochs=1, shuffle=False,
                  verbose=0).history for m in (by_name, by_object)]
    assert logs[0]["loss"] == logs[1]["loss"]
    assert logs[0]["sparse_categorical_accuracy"] == logs[1]["sparse_categorical_accuracy"]


# --------------------------------------------------------------------------- custom losses
def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


def test_a_custom_loss_function_is_mean_squared_error(data):
    x_train, y_train, *_ = data
    y_train_one_hot = ops.one_hot(y_train, num_classes=10)
    np.testing.assert_array_equal(y_train_one_hot, np.eye(10)[y_train.astype(int)])
    model = get_uncompiled_model(seed=1)
    model.compile(optimizer=keras.optimizers.Adam(), loss=custom_mean_squared_error)
    history = model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1, shuffle=False,
                        verbose=0)
    p = model.predict(x_train)
    assert model.evaluate(x_train, y_train_one_hot) == pytest.approx(
        np.mean((y_train_one_hot - p) ** 2), rel=1e-5)
    builtin = get_uncompiled_model(seed=1)
    builtin.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    np.testing.assert_allclose(history.history["loss"], builtin.fit(
        x_train, y_train_one_hot, batch_size=64, epochs=1, shuffle=False,
        verbose=0).history["loss"], rtol=1e-5)


def test_a_loss_subclass_adds_its_regularization_term(data):
    x_train, y_train, *_ = data
    y_train_one_hot = ops.one_hot(y_train, num_classes=10)
    model = get_uncompiled_model(seed=2)
    model.compile(optimizer=keras.optimizers.Adam(), loss=CustomMSE())
    model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1, verbose=0)
    p = model.predict(x_train).astype(np.float64)
    closed = np.mean((y_train_one_hot - p) ** 2) + 0.1 * np.mean((0.5 - p) ** 2)
    assert model.evaluate(x_train, y_train_one_hot) == pytest.approx(closed, rel=1e-5)


# --------------------------------------------------------------------------- custom metric
class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        y_true = ops.reshape(y_true, (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(ops.reshape(sample_weight, (-1, 1)), "float32")
            values = ops.multiply(values, sample_weight)
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives.value

    def reset_state(self):
        self.true_positives.assign(0.0)


def test_a_custom_metric_counts_the_correct_predictions(data):
    x_train, y_train, _, _, x_test, y_test = data
    model = get_uncompiled_model(seed=3)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CategoricalTruePositives()])
    history = model.fit(x_train, y_train, batch_size=64, epochs=3, verbose=0)
    counts = history.history["categorical_true_positives"]
    assert len(counts) == 3 and all(c == int(c) and 0 <= c <= len(x_train) for c in counts)
    _, count = model.evaluate(x_test, y_test, batch_size=64)
    assert count == np.sum(model.predict(x_test).argmax(axis=1) == y_test)


# --------------------------------------------------------------------------- add_loss
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * ops.sum(inputs))
        return inputs  # Pass-through layer.


def test_an_activity_regularization_layer_adds_its_loss(data):
    x_train, y_train, *_ = data
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = ActivityRegularizationLayer()(x)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs, seed=4)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    assert history.history["loss"][0] > 1.0  # "much higher than before"
    kernel, bias = model.get_layer("dense_1").get_weights()
    activity = np.maximum(x_train.astype(np.float64) @ kernel + bias, 0).sum()
    logits = model.predict(x_train).astype(np.float64)
    probabilities = np.exp(logits - logits.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    expected = _cross_entropy(probabilities, y_train).mean() + 1e-2 * activity
    assert model.evaluate(x_train, y_train) == pytest.approx(expected, rel=1e-4)


# --------------------------------------------------------------------------- validation
def test_validation_split_holds_out_the_last_samples_before_shuffling(data):
    x_train, y_train, *_ = data
    model = get_compiled_model(seed=6)
    history = model.fit(x_train, y_train, batch_size=64, validation_split=0.2, epochs=1,
                        verbose=0)
    held = len(x_train) - int(len(x_train) * 0.8)
    loss, accuracy = model.evaluate(x_train[-held:], y_train[-held:])
    assert history.history["val_loss"] == [pytest.approx(loss, rel=1e-6)]
    assert history.history["val_sparse_categorical_accuracy"] == [accuracy]


# --------------------------------------------------------------------------- batches from Python
def _batches(x, y, weights=None, batch_size=64, seed=0):
    """An endless generator of shuffled batches, as the guide's tf.data pipelines give them."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(x))
        for start in range(0, len(x) - batch_size + 1, batch_size):
            i = order[start:start + batch_size]
            yield (x[i], y[i]) if weights is None else (x[i], y[i], weights[i])


def test_a_generator_of_batches_trains_steps_per_epoch_batches_each_epoch(data):
    x_train, y_train, x_val, y_val, *_ = data
    drawn = []

    def counted(source):
        for batch in source:
            drawn.append(len(batch[0]))
            yield batch

    model = get_compiled_model(seed=7)
    history = model.fit(counted(_batches(x_train, y_train)), epochs=3, steps_per_epoch=4,
                        validation_data=(x_val, y_val), verbose=0)
    assert drawn == [64] * 12 and len(history.history["val_loss"]) == 3


# --------------------------------------------------------------------------- weighting
def test_sample_weights_weigh_the_mean_loss_and_class_weights_are_the_same(data):
    x_train, y_train, *_ = data
    class_weight = {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0,
                    # Set weight "2" for class "5", making this class 2x more important
                    5: 2.0, 6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0}
    sample_weight = np.ones(shape=(len(y_train),))
    sample_weight[y_train == 5] = 2.0
    assert (y_train == 5).any()

    reference = get_compiled_model(seed=8)
    per_sample = _cross_entropy(reference.predict(x_train), y_train)
    weighted = reference.evaluate(x_train, y_train, sample_weight=sample_weight)[0]
    assert weighted == pytest.approx(np.sum(sample_weight * per_sample) / len(y_train),
                                     rel=1e-5)  # Keras' (1/n) sum_i s_i l_i

    by_class, by_sample, by_batches = (get_compiled_model(seed=9) for _ in range(3))
    first = by_class.fit(x_train, y_train, class_weight=class_weight, batch_size=None,
                         epochs=1, verbose=0).history["loss"][0]
    by_sample.fit(x_train, y_train, sample_weight=sample_weight, batch_size=None, epochs=1,
                  verbose=0)
    for a, b in zip(by_class.get_weights(), by_sample.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    start = get_compiled_model(seed=9)  # the loss of that one step is at the first weights
    assert first == pytest.approx(
        np.sum(sample_weight * _cross_entropy(start.predict(x_train), y_train)) / len(y_train),
        rel=1e-5)

    one_pass = [(x_train[i:i + 64], y_train[i:i + 64], sample_weight[i:i + 64])
                for i in range(0, len(x_train), 64)]
    by_batches.fit(iter(one_pass), epochs=1, verbose=0)
    again = get_compiled_model(seed=9)
    again.fit(x_train, y_train, sample_weight=sample_weight, batch_size=64, shuffle=False,
              epochs=1, verbose=0)
    for a, b in zip(by_batches.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_loss_of_one_number_for_the_batch_cannot_weigh_samples(data):
    x_train, y_train, *_ = data
    model = get_uncompiled_model(seed=10)
    model.compile("adam", loss=lambda y, p: ops.mean(ops.square(y - p)))
    before = model.get_weights()
    with pytest.raises(ValueError, match="sample_weight: the loss '<lambda>' gives one number "
                                         "for the whole batch"):
        model.fit(x_train, ops.one_hot(y_train, 10), sample_weight=np.ones(len(x_train)),
                  verbose=0)
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- several outputs
def _two_in_two_out(seed=0):
    """The guide's model with an image and a time series input, as Dense layers."""
    image_input = keras.Input(shape=(48,), name="img_input")
    timeseries_input = keras.Input(shape=(20,), name="ts_input")
    x1 = layers.Dense(8, activation="relu")(image_input)
    x2 = layers.Dense(8, activation="relu")(timeseries_input)
    x = layers.concatenate([x1, x2])
    score_output = layers.Dense(1, name="score_output")(x)
    class_output = layers.Dense(5, activation="softmax", name="class_output")(x)
    return keras.Model(inputs=[image_input, timeseries_input],
                       outputs=[score_output, class_output], seed=seed)


RNG = np.random.default_rng(12)
IMG = RNG.random(size=(100, 48))
TS = RNG.random(size=(100, 20))
SCORE = RNG.random(size=(100, 1)) + 0.5
CLASS = np.eye(5)[RNG.integers(0, 5, size=100)]


def test_per_output_losses_metrics_and_loss_weights():
    model = _two_in_two_out()
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=[keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()],
        metrics=[[keras.metrics.MeanAbsolutePercentageError(),
                  keras.metrics.MeanAbsoluteError()],
                 [keras.metrics.CategoricalAccuracy()]],
    )
    history = model.fit([IMG, TS], [SCORE, CLASS], batch_size=32, epochs=1, verbose=0)
    assert list(history.history) == [  # Keras' names, in its order
        "loss", "score_output_loss", "class_output_loss",
        "score_output_mean_absolute_percentage_error", "score_output_mean_absolute_error",
        "class_output_categorical_accuracy"]

    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss={"score_output": keras.losses.MeanSquaredError(),
              "class_output": keras.losses.CategoricalCrossentropy()},
        metrics={"score_output": [keras.metrics.MeanAbsolutePercentageError(),
                                  keras.metrics.MeanAbsoluteError()],
                 "class_output": [keras.metrics.CategoricalAccuracy()]},
        loss_weights={"score_output": 2.0, "class_output": 1.0},
    )
    model.fit({"img_input": IMG, "ts_input": TS},
              {"score_output": SCORE, "class_output": CLASS}, batch_size=32, epochs=1,
              verbose=0)
    logs = model.evaluate({"img_input": IMG, "ts_input": TS},
                          {"score_output": SCORE, "class_output": CLASS}, return_dict=True)
    score, probabilities = (p.astype(np.float64) for p in model.predict([IMG, TS]))
    mse = np.mean((score - SCORE) ** 2)
    cce = np.mean(-np.log(np.clip(probabilities, 1e-7, 1 - 1e-7))[CLASS == 1])
    assert logs["score_output_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["class_output_loss"] == pytest.approx(cce, rel=1e-5)
    assert logs["loss"] == pytest.approx(2.0 * mse + 1.0 * cce, rel=1e-5)  # sum_k w_k L_k
    assert logs["score_output_mean_absolute_percentage_error"] == pytest.approx(
        np.mean(100 * np.abs(score - SCORE) / SCORE), rel=1e-5)
    assert logs["score_output_mean_absolute_error"] == pytest.approx(
        np.mean(np.abs(score - SCORE)), rel=1e-5)
    assert logs["class_output_categorical_accuracy"] == np.mean(
        probabilities.argmax(1) == CLASS.argmax(1))


@pytest.mark.parametrize("loss", [
    [None, keras.losses.CategoricalCrossentropy()],  # list loss version
    {"class_output": keras.losses.CategoricalCrossentropy()},  # or dict loss version
])
def test_an_output_without_a_loss_needs_no_target_and_is_not_trained(loss):
    model = _two_in_two_out(seed=1)
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=loss)
    score_weights = model.get_layer("score_output").get_weights()
    shared = model.get_layer("class_output").get_weights()
    history = model.fit([IMG, TS], [CLASS], batch_size=32, epochs=2, verbose=0)
    model.fit({"img_input": IMG, "ts_input": TS}, {"class_output": CLASS}, batch_size=32,
              epochs=1, verbose=0)
    model.fit([IMG, TS], [SCORE, CLASS], batch_size=32, epochs=1, verbose=0)
    assert sorted(history.history) == ["class_output_loss", "loss"]
    for a, b in zip(score_weights, model.get_layer("score_output").get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(shared[0], model.get_layer("class_output").get_weights()[0])
    probabilities = model.predict([IMG, TS])[1].astype(np.float64)
    cce = np.mean(-np.log(np.clip(probabilities, 1e-7, 1 - 1e-7))[CLASS == 1])
    assert model.evaluate([IMG, TS], [CLASS]) == pytest.approx([cce, cce], rel=1e-5)


@pytest.mark.parametrize("loss, metrics, y, error, match", [
    ([None, None], None, None, ValueError,
     r"loss: expected a loss for at least one of the outputs \['score_output', 'class_output'\]"),
    ([None, "cce"], [["mae"], ["categorical_accuracy"]], None, ValueError,
     "metrics: the output 'score_output' has no loss, so no target to measure it against"),
    ([None, "cce"], None, [SCORE, CLASS, CLASS], ValueError,
     r"y: the model's outputs with a loss are \['class_output'\] \(of \['score_output', "
     r"'class_output'\]\): expected a list of 1 arrays"),
    ({"class_output": "cce"}, None, {"score_output": SCORE}, ValueError,
     r"y: expected a dict keyed by the outputs with a loss \['class_output'\], missing "
     r"\['class_output'\]"),
    ({"class_output": "cce"}, None, {"class_output": CLASS, "scores": SCORE}, ValueError,
     r"got unknown \['scores'\]"),
])
def test_outputs_without_a_loss_refuse_what_cannot_work(loss, metrics, y, error, match):
    model = _two_in_two_out(seed=2)
    before = model.get_weights()
    with pytest.raises(error, match=match):
        model.compile("rmsprop", loss=loss, metrics=metrics)
        model.fit([IMG, TS], y, verbose=0)
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_model_with_an_output_without_a_loss_saves_and_loads(tmp_path):
    model = _two_in_two_out(seed=3)
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=[None, "cce"])
    model.fit([IMG, TS], [CLASS], epochs=1, verbose=0)
    model.save(tmp_path / "model.npz")
    restored = keras.models.load_model(tmp_path / "model.npz")
    assert restored.evaluate([IMG, TS], [CLASS]) == model.evaluate([IMG, TS], [CLASS])


# --------------------------------------------------------------------------- callbacks
def _early_stop_epoch(values, min_delta, patience):
    """Keras' rule replayed: the epoch (from 1) after which training stops, or None."""
    best, wait = math.inf, 0
    for epoch, value in enumerate(values, start=1):
        if value < best - min_delta:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return None


def test_early_stopping_follows_keras_rule_and_says_so(data, capsys):
    x_train, y_train, *_ = data
    model = get_compiled_model(seed=11)
    callbacks = [
        keras.callbacks.EarlyStopping(
            # Stop training when `val_loss` is no longer improving
            monitor="val_loss",
            # "no longer improving" being defined as "no better than 1e-2 less"
            min_delta=1e-2,
            # "no longer improving" being further defined as "for at least 2 epochs"
            patience=2,
            verbose=1,
        )
    ]
    history = model.fit(x_train, y_train, epochs=20, batch_size=64, callbacks=callbacks,
                        validation_split=0.2, verbose=0)
    values = history.history["val_loss"]
    stopped = _early_stop_epoch(values, 1e-2, 2)
    assert stopped is not None and len(values) == stopped
    assert capsys.readouterr().out.startswith(f"Epoch {stopped}: early stopping")


def test_model_checkpoint_saves_when_val_loss_improves(data, tmp_path, capsys):
    x_train, y_train, *_ = data
    model = get_compiled_model(seed=12)
    callbacks = [
        keras.callbacks.ModelCheckpoint(
            filepath=str(tmp_path / "mymodel_{epoch}.npz"),
            save_best_only=True,  # Only save a model if `val_loss` has improved.
            monitor="val_loss",
            verbose=1,
        )
    ]
    history = model.fit(x_train, y_train, epochs=4, batch_size=64, callbacks=callbacks,
                        validation_split=0.2, verbose=0)
    values = history.history["val_loss"]
    improved = [e + 1 for e, v in enumerate(values) if v < min(values[:e], default=math.inf)]
    assert sorted(os.listdir(tmp_path)) == sorted(f"mymodel_{e}.npz" for e in improved)
    assert capsys.readouterr().out.count("improved from") == len(improved)
    best = keras.models.load_model(tmp_path / f"mymodel_{improved[-1]}.npz")
    held = len(x_train) - int(len(x_train) * 0.8)
    assert best.evaluate(x_train[-held:], y_train[-held:])[0] == pytest.approx(
        min(values), rel=1e-6)


def test_checkpoints_every_few_batches_restore_the_latest_model(data, tmp_path):
    x_train, y_train, *_ = data
    checkpoint_dir = tmp_path / "ckpt"
    os.makedirs(checkpoint_dir)

    def make_or_restore_model():
        # Either restore the latest model, or create a fresh one
        checkpoints = [checkpoint_dir / name for name in os.listdir(checkpoint_dir)]
        if checkpoints:
            latest = max(checkpoints, key=lambda p: int(p.name.split("-")[1]))
            return keras.models.load_model(latest)
        return get_compiled_model(seed=13)

    model = make_or_restore_model()
    weights = []
    callbacks = [
        keras.callbacks.LambdaCallback(on_batch_end=lambda b, logs: weights.append(
            model.get_weights())),
        # This callback saves the model every 3 batches, with the training loss in its name.
        keras.callbacks.ModelCheckpoint(
            filepath=str(checkpoint_dir / "ckpt-{batch}-loss={loss:.2f}.npz"), save_freq=3),
    ]
    model.fit(x_train, y_train, epochs=1, batch_size=64, callbacks=callbacks, verbose=0)
    steps = math.ceil(len(x_train) / 64)
    assert len(os.listdir(checkpoint_dir)) == steps // 3
    restored = make_or_restore_model()
    for a, b in zip(restored.get_weights(), weights[steps // 3 * 3 - 1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_learning_rate_schedule_decays_by_its_closed_form(data):
    x_train, y_train, *_ = data
    initial_learning_rate = 0.1
    lr_schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate, decay_steps=4, decay_rate=0.96, staircase=True)
    optimizer = keras.optimizers.RMSprop(learning_rate=lr_schedule)
    model = get_uncompiled_model(seed=14)
    model.compile(optimizer, "sparse_categorical_crossentropy")
    model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    steps = math.ceil(len(x_train) / 64)
    assert optimizer.iterations == steps
    assert float(optimizer.current_learning_rate) == pytest.approx(
        0.1 * 0.96 ** (steps // 4), rel=1e-12)


def test_reduce_lr_on_plateau_csv_logger_and_scheduler_logs(data, tmp_path):
    x_train, y_train, *_ = data
    model = get_compiled_model(seed=15)
    path = tmp_path / "training.csv"
    history = model.fit(
        x_train, y_train, epochs=6, batch_size=64, validation_split=0.2, verbose=0,
        callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5,
                                                     patience=1, min_delta=0.2),
                   keras.callbacks.CSVLogger(path)])
    val, rates = history.history["val_loss"], history.history["learning_rate"]
    eta, best, wait = 1e-3, math.inf, 0  # Keras' rule replayed on the logged val_loss
    for value, logged in zip(val, rates, strict=True):
        assert logged == pytest.approx(eta, rel=1e-12)
        if value < best - 0.2:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= 1:
                eta, wait = eta * 0.5, 0
    assert min(rates) < 1e-3  # the rule acted
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [float(r["val_loss"]) for r in rows] == pytest.approx(val, rel=1e-12)
    assert [int(r["epoch"]) for r in rows] == list(range(6))

    halving = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr if epoch == 0
                                                    else lr * 0.5)
    rates = model.fit(x_train, y_train, epochs=3, batch_size=64, verbose=0,
                      callbacks=[halving]).history["learning_rate"]
    assert rates == pytest.approx([eta, eta / 2, eta / 4], rel=1e-12)


class LossHistory(keras.callbacks.Callback):
    def on_train_begin(self, logs):
        self.per_batch_losses = []

    def on_batch_end(self, batch, logs):
        self.per_batch_losses.append(logs.get("loss"))


def test_a_custom_callback_records_the_loss_of_every_batch(data):
    x_train, y_train, *_ = data
    model = get_compiled_model(seed=16)
    loss_history = LossHistory()
    history = model.fit(x_train, y_train, epochs=2, batch_size=64, callbacks=[loss_history],
                        verbose=0)
    steps = math.ceil(len(x_train) / 64)
    assert len(loss_history.per_batch_losses) == 2 * steps
    ends = [loss_history.per_batch_losses[steps - 1], loss_history.per_batch_losses[-1]]
    assert ends == pytest.approx(history.history["loss"], rel=1e-6)

"""The mean absolute percentage error metric, and custom metrics written as Keras writes them:
a Metric subclass whose state lives in variables made with ``add_variable`` (or Keras 2's
``add_weight``), counted against NumPy, accumulated over batches, reset, and used in fit."""

import numpy as np
import pytest
from rosenblatt.metrics import MeanAbsolutePercentageError, Metric

import rosenblatt as keras
from rosenblatt import metrics, ops

RNG = np.random.default_rng(11)


# --------------------------------------------------------------------------- MAPE
def test_mape_function_and_class_against_the_closed_form_over_batches():
    y = RNG.uniform(0.5, 3.0, size=(90, 2)) * RNG.choice([-1, 1], size=(90, 2))
    p = y + RNG.normal(size=(90, 2))
    w = RNG.uniform(0.1, 2.0, size=90)
    per_sample = (100 * np.abs(y - p) / np.abs(y)).mean(axis=1)
    assert metrics.mean_absolute_percentage_error(y, p) == pytest.approx(per_sample.mean())
    m = MeanAbsolutePercentageError()
    for i in range(0, 90, 32):
        m.update_state(y[i:i + 32], p[i:i + 32], w[i:i + 32])
    assert m.result() == pytest.approx(np.sum(w * per_sample) / w.sum(), rel=1e-12)
    assert m.name == "mean_absolute_percentage_error"


def test_mape_against_scikit_learn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    y = RNG.uniform(0.5, 3.0, size=50)
    p = y + RNG.normal(size=50)
    expected = 100 * sklearn_metrics.mean_absolute_percentage_error(y, p)
    assert metrics.mape(y, p) == pytest.approx(expected, rel=1e-12)


def test_mape_names_and_config():
    for name in ("mape", "mean_absolute_percentage_error", "MeanAbsolutePercentageError"):
        assert isinstance(metrics.get(name), MeanAbsolutePercentageError)
    assert metrics.get("mape").name == "mape"
    assert isinstance(metrics.get(metrics.mean_absolute_percentage_error),
                      MeanAbsolutePercentageError)
    restored = metrics.get(metrics.serialize(MeanAbsolutePercentageError(name="pct")))
    assert type(restored) is MeanAbsolutePercentageError and restored.name == "pct"


# --------------------------------------------------------------------------- custom metrics
class TruePositives(Metric):
    """Counts the samples whose argmax is their integer label (weighted), with keras.ops."""

    def __init__(self, name="true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_variable(shape=(), name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        predicted = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(ops.reshape(y_true, (-1, 1)), "int32") == ops.cast(predicted, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.reshape(sample_weight, (-1, 1)))
        self.count.assign_add(ops.sum(values))

    def result(self):
        return self.count.value

    def reset_state(self):
        self.count.assign(0.0)


class PerClassCounts(Metric):
    """A vector state in Keras 2's words: add_weight, and no reset_state of its own."""

    def __init__(self, classes=3):
        super().__init__(name="per_class")
        self.counts = self.add_weight(name="counts", shape=(classes,), initializer=1.0)

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.counts.assign_add(np.bincount(np.asarray(y_true, int), minlength=3))

    def result(self):
        return self.counts


def test_a_custom_metric_counts_as_numpy_counts_over_batches_and_resets():
    scores = RNG.random((100, 4))
    labels = RNG.integers(0, 4, size=100)
    w = RNG.uniform(0.0, 2.0, size=100)
    m = TruePositives()
    assert m.result() == 0.0 and m.name == "true_positives"
    for i in range(0, 100, 30):
        m.update_state(labels[i:i + 30], scores[i:i + 30], w[i:i + 30])
    hits = scores.argmax(axis=1) == labels
    assert m.result() == pytest.approx(float(np.sum(w * hits)), rel=1e-12)
    m.reset_state()
    m.update_state(labels, scores)
    assert m.result() == float(hits.sum())
    assert [v.name for v in m.variables] == ["count"]


def test_a_vector_state_in_keras_2_words_resets_to_its_initial_value():
    m = PerClassCounts()
    m.update_state([0, 2, 2], None)
    np.testing.assert_array_equal(metrics.log_value(m.result()), [2.0, 1.0, 3.0])
    m.reset_state()  # the base's: every variable back to its initializer
    np.testing.assert_array_equal(np.asarray(m.result()), [1.0, 1.0, 1.0])


def test_fit_logs_a_custom_metric_as_the_count_of_the_epoch():
    x = RNG.normal(size=(64, 5))
    y = RNG.integers(0, 3, size=64).astype("float32")
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax", input_dim=5)], seed=3)
    model.compile("rmsprop", "sparse_categorical_crossentropy", metrics=[TruePositives()])
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    count = history.history["true_positives"][0]
    assert count == int(count) and 0 <= count <= 64
    _, evaluated = model.evaluate(x, y)
    assert evaluated == float(np.sum(model.predict(x).argmax(axis=1) == y))


@pytest.mark.parametrize("call, error, match", [
    (lambda m: m.add_variable(shape=(-1,)), ValueError,
     r"shape: expected a tuple of integers >= 0 \(\(\) for a number\), got \(-1,\)"),
    (lambda m: m.add_variable(initializer="glorot_uniform"), ValueError,
     "initializer: expected 'zeros', 'ones' or a number, got 'glorot_uniform'"),
    (lambda m: m.add_variable(name=3), TypeError, "name: expected a str, got int"),
    (lambda m: m.count.assign_add("many"), TypeError,
     "count.assign_add: expected a number or an array of numbers, got str"),
    (lambda m: m.count.assign(np.ones(3)), ValueError,
     r"count.assign: expected a value of shape \(\), got shape \(3,\)"),
])
def test_bad_variables_and_values_give_clear_errors(call, error, match):
    m = TruePositives()
    m.count.assign(2.0)
    with pytest.raises(error, match=match):
        call(m)
    assert m.result() == 2.0 and len(m.variables) == 1  # nothing changed


def test_a_metric_without_its_methods_says_which_to_define():
    class Empty(Metric):
        pass

    with pytest.raises(NotImplementedError, match=r"Empty must define update_state\(self"):
        Empty().update_state([1.0], [1.0])
    with pytest.raises(NotImplementedError, match=r"Empty must define result\(self\)"):
        Empty().result()

"""Metrics: hand-computed values, scikit-learn, running values over batches, shapes, errors."""

import doctest
import importlib
import json
import math

import numpy as np
import pytest
from rosenblatt.metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    MeanAbsoluteError,
    MeanMetricWrapper,
    MeanSquaredError,
    R2Score,
    RootMeanSquaredError,
    SparseCategoricalAccuracy,
)

from rosenblatt import metrics


@pytest.mark.parametrize("submodule", ["", ".values", ".functions", ".running"])
def test_docstring_examples(submodule):
    result = doctest.testmod(importlib.import_module(metrics.__name__ + submodule))
    assert result.attempted > 0
    assert result.failed == 0


# -- hand-computed values -------------------------------------------------------------------------


def test_accuracy_picks_the_kind_from_the_shapes():
    # binary: predictions 1, 0, 1, 0 (0.5 is not above the threshold) vs labels 1, 0, 0, 1
    assert metrics.accuracy([1, 0, 0, 1], [0.9, 0.1, 0.7, 0.5]) == 0.5
    assert metrics.accuracy([[1], [0], [0], [1]], [[0.9], [0.1], [0.7], [0.5]]) == 0.5
    assert metrics.accuracy([1, 0, 0, 1], [[0.9], [0.1], [0.7], [0.5]]) == 0.5
    scores = [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]  # argmax 1, 0, 2
    assert metrics.accuracy([1, 0, 0], scores) == pytest.approx(2 / 3)  # sparse
    assert metrics.accuracy([[1], [0], [2]], scores) == 1.0
    one_hot = [[0, 1, 0], [0, 0, 1], [0, 0, 1]]
    assert metrics.accuracy(one_hot, scores) == pytest.approx(2 / 3)  # categorical


def test_binary_accuracy_threshold_and_multilabel():
    assert metrics.binary_accuracy([1, 1, 0], [0.35, 0.25, 0.1], threshold=0.3) == pytest.approx(
        2 / 3
    )
    # multi-label (N, K): mean over labels, then samples: (1 + 0.5) / 2
    assert metrics.binary_accuracy([[1, 0], [1, 1]], [[0.9, 0.2], [0.8, 0.1]]) == 0.75


def test_categorical_and_sparse_accuracy():
    scores = np.array([[2.0, 1.0], [0.0, 3.0], [5.0, 4.0], [1.0, 1.5]])  # argmax 0, 1, 0, 1
    assert metrics.sparse_categorical_accuracy([0, 1, 1, 1], scores) == 0.75
    assert metrics.categorical_accuracy(np.eye(2)[[0, 1, 1, 1]], scores) == 0.75


def test_regression_metrics_by_hand():
    y, p = [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]  # errors 0.5, -0.5, 0, -1
    assert metrics.mae(y, p) == metrics.mean_absolute_error(y, p) == 0.5
    assert metrics.mse(y, p) == metrics.mean_squared_error(y, p) == 0.375
    assert metrics.rmse(y, p) == pytest.approx(math.sqrt(0.375), rel=1e-15)
    # mean(y) = 2.875, SS_tot = 29.1875, SS_res = 1.5
    assert metrics.r2(y, p) == metrics.r2_score(y, p) == pytest.approx(1 - 1.5 / 29.1875)


def test_r2_multioutput_and_constant_targets():
    y = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    p = np.array([[1.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    # column 0: 1 - 1 / 2; column 1: constant and predicted exactly -> 1
    assert metrics.r2_score(y, p) == pytest.approx((0.5 + 1.0) / 2)
    p[0, 1] = 4.0  # constant column predicted wrongly -> 0
    assert metrics.r2_score(y, p) == pytest.approx((0.5 + 0.0) / 2)


def test_mae_mse_average_over_outputs():
    y = np.zeros((2, 2))
    p = np.array([[1.0, 3.0], [0.0, -2.0]])
    assert metrics.mae(y, p) == 1.5
    assert metrics.mse(y, p) == 3.5


# -- scikit-learn ----------------------------------------------------------------------------------


def _regression_data(seed=0, shape=(37,)):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=shape)
    return y, y + rng.normal(scale=0.5, size=shape)


def test_against_sklearn_classification():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    labels, scores = rng.integers(0, 4, size=50), rng.random((50, 4))
    assert metrics.sparse_categorical_accuracy(labels, scores) == pytest.approx(
        skm.accuracy_score(labels, scores.argmax(axis=1))
    )
    assert metrics.accuracy(np.eye(4)[labels], scores) == pytest.approx(
        skm.accuracy_score(labels, scores.argmax(axis=1))
    )
    y, prob = rng.integers(0, 2, size=50), rng.random(50)
    assert metrics.binary_accuracy(y, prob) == pytest.approx(skm.accuracy_score(y, prob > 0.5))


@pytest.mark.parametrize("shape", [(37,), (37, 3)])
def test_against_sklearn_regression(shape):
    skm = pytest.importorskip("sklearn.metrics")
    y, p = _regression_data(shape=shape)
    assert metrics.mae(y, p) == pytest.approx(skm.mean_absolute_error(y, p), rel=1e-12)
    assert metrics.mse(y, p) == pytest.approx(skm.mean_squared_error(y, p), rel=1e-12)
    assert metrics.rmse(y, p) == pytest.approx(math.sqrt(skm.mean_squared_error(y, p)))
    assert metrics.r2_score(y, p) == pytest.approx(skm.r2_score(y, p), rel=1e-12)


def test_weighted_running_values_against_sklearn():
    skm = pytest.importorskip("sklearn.metrics")
    y, p = _regression_data(seed=2, shape=(40, 2))
    w = np.random.default_rng(3).uniform(0, 2, size=40)
    r2, mae = R2Score(), MeanAbsoluteError()
    for lo, hi in [(0, 7), (7, 8), (8, 30), (30, 40)]:
        r2.update_state(y[lo:hi], p[lo:hi], sample_weight=w[lo:hi])
        mae.update_state(y[lo:hi], p[lo:hi], sample_weight=w[lo:hi])
    assert r2.result() == pytest.approx(skm.r2_score(y, p, sample_weight=w), rel=1e-12)
    assert mae.result() == pytest.approx(skm.mean_absolute_error(y, p, sample_weight=w), rel=1e-12)


# -- running values over batches equal the value on the concatenation -------------------------


def _classification_data():
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 3, size=23)
    scores = rng.random((23, 3))
    binary = (rng.random(23) > 0.5).astype(float)
    return labels, scores, binary, rng.random((23, 1))


LABELS, SCORES, BINARY, PROBS = _classification_data()
Y_REG, P_REG = _regression_data(seed=5, shape=(23, 2))
CASES = [
    (Accuracy, metrics.accuracy, LABELS, SCORES),
    (Accuracy, metrics.accuracy, BINARY, PROBS),
    (BinaryAccuracy, metrics.binary_accuracy, BINARY[:, None], PROBS),
    (CategoricalAccuracy, metrics.categorical_accuracy, np.eye(3)[LABELS], SCORES),
    (SparseCategoricalAccuracy, metrics.sparse_categorical_accuracy, LABELS, SCORES),
    (MeanAbsoluteError, metrics.mean_absolute_error, Y_REG, P_REG),
    (MeanSquaredError, metrics.mean_squared_error, Y_REG, P_REG),
    (RootMeanSquaredError, metrics.root_mean_squared_error, Y_REG, P_REG),
    (R2Score, metrics.r2_score, Y_REG, P_REG),
    (R2Score, metrics.r2_score, Y_REG[:, 0], P_REG[:, :1]),
]


@pytest.mark.parametrize("cls, fn, y, p", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_running_value_over_batches_equals_the_function(cls, fn, y, p):
    m = cls()
    assert m.result() == 0.0
    for lo, hi in [(0, 5), (5, 6), (6, 16), (16, 23)]:  # uneven batches
        m.update_state(y[lo:hi], p[lo:hi])
    assert m.result() == pytest.approx(fn(y, p), rel=1e-12, abs=1e-15)
    m.reset_state()
    m.update_state(y[:4], p[:4])
    assert m.result() == pytest.approx(fn(y[:4], p[:4]), rel=1e-12, abs=1e-15)


def test_sample_weights_weight_samples():
    m = MeanSquaredError()
    m.update_state([0.0, 0.0], [1.0, 3.0], sample_weight=[3.0, 1.0])
    assert m.result() == (3 * 1 + 1 * 9) / 4
    m.update_state([0.0], [2.0], sample_weight=[[0.0]])
    assert m.result() == 3.0
    acc = Accuracy()
    acc.update_state([1, 0], [0.9, 0.9], sample_weight=[1.0, 3.0])
    assert acc.result() == 0.25


# -- get, names, configs ------------------------------------------------------------------------


@pytest.mark.parametrize("name", metrics.registry.names())
def test_every_registered_name_gives_a_metric_named_as_given(name):
    m = metrics.get(name)
    assert isinstance(m, metrics.registry.lookup(name)) and m.name == name
    spec = json.loads(json.dumps(metrics.serialize(m)))
    again = metrics.get(spec)
    assert type(again) is type(m) and again.name == name


def test_get_names_functions_and_callables():
    assert metrics.get("acc").name == "acc" and type(metrics.get("acc")) is Accuracy
    assert type(metrics.get("MSE")) is MeanSquaredError and metrics.get("MSE").name == "MSE"
    assert metrics.get(metrics.r2_score).name == "r2_score"
    assert type(metrics.get(metrics.r2_score)) is R2Score
    m = BinaryAccuracy(threshold=0.7, name="ba")
    assert metrics.get(m) is m
    assert m.get_config() == {"name": "ba", "threshold": 0.7}
    assert BinaryAccuracy().name == "binary_accuracy"
    assert RootMeanSquaredError().name == "root_mean_squared_error"

    def max_error(y_true, y_pred):
        return float(np.max(np.abs(np.asarray(y_true) - y_pred)))

    wrapped = metrics.get(max_error)
    assert isinstance(wrapped, MeanMetricWrapper) and wrapped.name == "max_error"
    wrapped.update_state([0.0, 0.0], np.array([1.0, 3.0]))
    wrapped.update_state([0.0], np.array([6.0]))
    assert wrapped.result() == (3.0 * 2 + 6.0) / 3  # batch values weighted by batch size


# -- shapes and errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: metrics.mse(np.zeros(3), np.zeros((3, 2))), r"y_true \(3,\) and y_pred \(3, 2\)"),
        (lambda: metrics.mae(np.zeros((3, 2)), np.zeros((3, 1))), r"\(3, 2\) and y_pred \(3, 1\)"),
        (lambda: metrics.r2(np.zeros((3, 1)), np.zeros((3, 3))), r"same shape, got y_true"),
        (lambda: metrics.mse(np.zeros(3), np.zeros(4)), "same number of samples"),
        (lambda: metrics.mse([], []), "expected at least one sample, got 0"),
        (lambda: metrics.mse(1.0, 1.0), "expected arrays with a sample axis"),
        (lambda: metrics.mse([1.0, np.nan], [1.0, 2.0]), "y_true: expected finite numbers"),
        (lambda: metrics.accuracy([0, 2], [0.1, 0.9]), "binary labels 0 or 1, found 2"),
        (lambda: metrics.accuracy([0, 3], np.eye(3)[:2]), r"labels in \[0, 2\], found 3"),
        (lambda: metrics.accuracy([0, 0.5], np.eye(3)[:2]), r"labels in \[0, 2\], found 0.5"),
        (lambda: metrics.accuracy(np.zeros((2, 2)), np.zeros((2, 3))), "expected y_pred"),
        (lambda: metrics.categorical_accuracy([0, 1], np.eye(2)), "one-hot y_true"),
        (lambda: metrics.sparse_categorical_accuracy(np.eye(2), np.eye(2)), "integer labels"),
        (lambda: metrics.binary_accuracy([1], [0.5], threshold=2), r"threshold: .*\[0.0, 1.0\]"),
        (lambda: BinaryAccuracy(threshold=-1), "threshold: expected a number in"),
        (lambda: metrics.get("accuracyy"), "Did you mean 'accuracy'.*Valid names: accuracy, acc"),
        (lambda: metrics.get({"config": {}}), "expected keys 'class_name' and 'config'"),
        (lambda: MeanSquaredError().update_state([1.0], [1.0], [-1.0]), "weights >= 0"),
        (lambda: MeanSquaredError().update_state([1.0], [1.0], [1.0, 1.0]), r"shape \(1,\)"),
    ],
)
def test_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_n_and_n1_are_the_same_column():
    assert metrics.mse(np.zeros(3), np.ones((3, 1))) == 1.0
    assert metrics.r2([1.0, 2.0, 3.0], [[1.0], [2.0], [2.0]]) == 0.5


def test_r2_running_output_count_is_fixed():
    m = R2Score()
    m.update_state(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="expected 2 output column.*got 3"):
        m.update_state(np.zeros((2, 3)), np.zeros((2, 3)))


def test_type_errors():
    with pytest.raises(TypeError, match="y_pred: expected an array of numbers, got str"):
        metrics.mae([1.0], "a")
    with pytest.raises(TypeError, match="metric: expected a name, a config dict"):
        metrics.get(3)
    with pytest.raises(TypeError, match="name: expected a str, got int"):
        Accuracy(name=5)
    with pytest.raises(TypeError, match="fn: expected a callable"):
        MeanMetricWrapper(3)
    with pytest.raises(TypeError, match="cannot be serialized"):
        MeanMetricWrapper(np.abs).get_config()
    with pytest.raises(TypeError, match="metric: expected a Metric, got str"):
        metrics.serialize("acc")

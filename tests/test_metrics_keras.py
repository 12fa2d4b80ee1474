"""Precision, Recall, F1Score, AUC and the top-k accuracies: values against scikit-learn and
closed forms, accumulation over batches, sample weights, configs, errors, and use in fit."""

import json

import numpy as np
import pytest
from rosenblatt.metrics import (
    AUC,
    F1Score,
    Precision,
    Recall,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
)

from rosenblatt import metrics

RNG = np.random.default_rng(7)
Y = (RNG.random(300) < 0.4).astype(float)
SCORES = np.clip(0.35 * Y + RNG.random(300) * 0.65, 0, 1)
W = RNG.uniform(0.2, 2.0, size=300)


def _batches(metric, y, p, w=None, size=64):
    for i in range(0, len(y), size):
        metric.update_state(y[i:i + size], p[i:i + size],
                            None if w is None else w[i:i + size])
    return metric.result()


def test_precision_and_recall_against_scikit_learn():
    skm = pytest.importorskip("sklearn.metrics")
    for threshold in (0.3, 0.5, 0.7):
        predicted = (SCORES > threshold).astype(float)
        assert _batches(Precision(thresholds=threshold), Y, SCORES, W) == pytest.approx(
            skm.precision_score(Y, predicted, sample_weight=W), rel=1e-12)
        assert _batches(Recall(thresholds=threshold), Y, SCORES) == pytest.approx(
            skm.recall_score(Y, predicted), rel=1e-12)


def test_a_list_of_thresholds_gives_a_vector_and_class_id_picks_a_column():
    p = Precision(thresholds=[0.2, 0.8])
    p.update_state([1, 0, 1], [0.9, 0.5, 0.3])
    assert isinstance(p.result(), np.ndarray) and p.result().tolist() == [2 / 3, 1.0]
    assert not p.scalar and Precision(thresholds=[0.3]).scalar
    r = Recall(class_id=1)
    r.update_state([[1, 0], [0, 1], [0, 1]], [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
    assert r.result() == 0.5


def test_precision_is_zero_before_any_predicted_positive():
    p = Precision()
    assert p.result() == 0.0
    p.update_state([1, 1], [0.1, 0.2])
    assert p.result() == 0.0


def test_f1_against_scikit_learn_for_every_average():
    skm = pytest.importorskip("sklearn.metrics")
    labels = RNG.integers(0, 4, size=200)
    scores = RNG.random((200, 4)) + np.eye(4)[labels] * 0.5
    onehot = np.eye(4)[labels]
    predicted = scores.argmax(axis=1)
    for average in (None, "micro", "macro", "weighted"):
        ours = _batches(F1Score(average=average), onehot, scores)
        theirs = skm.f1_score(labels, predicted, average=average)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    ours = _batches(F1Score(average="macro", threshold=0.9), onehot, scores)
    theirs = skm.f1_score(onehot, (scores > 0.9).astype(int), average="macro")
    assert ours == pytest.approx(theirs, rel=1e-6)


def test_roc_auc_equals_the_exact_area_when_every_gap_holds_a_threshold():
    skm = pytest.importorskip("sklearn.metrics")
    y = np.array([0, 1, 0, 1, 1, 0, 1, 0, 0, 1], dtype=float)
    p = np.array([0.05, 0.95, 0.35, 0.45, 0.85, 0.55, 0.25, 0.15, 0.75, 0.65])
    assert _batches(AUC(num_thresholds=11), y, p, size=3) == pytest.approx(
        skm.roc_auc_score(y, p), rel=1e-12)
    fine = _batches(AUC(num_thresholds=2001), Y, SCORES, W)
    assert fine == pytest.approx(skm.roc_auc_score(Y, SCORES, sample_weight=W), abs=2e-3)


def test_pr_auc_interpolation_is_the_area_under_the_interpolated_curve():
    # Davis and Goadrich: between two thresholds TP grows linearly with TP + FP; integrate the
    # precision along that path in recall by a fine midpoint sum
    m = AUC(num_thresholds=5, curve="PR")
    m.update_state(Y, SCORES)
    tp, fp, fn, _ = m._counts
    positives = tp[0] + fn[0]
    area = 0.0
    for i in range(len(tp) - 1):
        s = (np.arange(100000) + 0.5) / 100000
        tp_s = tp[i + 1] + s * (tp[i] - tp[i + 1])
        fp_s = fp[i + 1] + s * (fp[i] - fp[i + 1])
        area += np.sum(tp_s / (tp_s + fp_s)) * (tp[i] - tp[i + 1]) / 100000 / positives
    assert m.result() == pytest.approx(area, rel=1e-6)


def test_riemann_sums_bracket_the_interpolated_area():
    values = {method: _batches(AUC(num_thresholds=20, summation_method=method), Y, SCORES)
              for method in ("minoring", "interpolation", "majoring")}
    assert values["minoring"] <= values["interpolation"] <= values["majoring"]


def test_auc_from_logits():
    logits = np.log(SCORES.clip(1e-3, 1 - 1e-3) / (1 - SCORES.clip(1e-3, 1 - 1e-3)))
    assert _batches(AUC(from_logits=True), Y, logits) == pytest.approx(
        _batches(AUC(), Y, SCORES.clip(1e-3, 1 - 1e-3)), rel=1e-12)


def test_top_k_accuracies_with_ties_counted_in():
    y_pred = np.array([[0.5, 0.2, 0.3], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2], [0.1, 0.2, 0.7]])
    labels = np.array([2, 0, 1, 0])
    expected = {1: [0, 0, 1, 0], 2: [1, 0, 1, 0], 3: [1, 1, 1, 1]}
    for k, right in expected.items():
        sparse = SparseTopKCategoricalAccuracy(k=k)
        sparse.update_state(labels, y_pred, sample_weight=[1, 2, 1, 1])
        assert sparse.result() == pytest.approx(np.dot(right, [1, 2, 1, 1]) / 5)
        dense = TopKCategoricalAccuracy(k=k)
        dense.update_state(np.eye(3)[labels], y_pred)
        assert dense.result() == pytest.approx(np.mean(right))


def test_top_k_against_scikit_learn():
    skm = pytest.importorskip("sklearn.metrics")
    labels = RNG.integers(0, 6, size=100)
    scores = RNG.random((100, 6))
    assert _batches(SparseTopKCategoricalAccuracy(k=3), labels, scores) == pytest.approx(
        skm.top_k_accuracy_score(labels, scores, k=3))


@pytest.mark.parametrize("metric", [
    Precision(thresholds=[0.3, 0.6], class_id=1, name="p"), Recall(), F1Score("weighted", 0.4),
    AUC(num_thresholds=50, curve="PR", summation_method="majoring", from_logits=True),
    AUC(thresholds=[0.2, 0.5]), TopKCategoricalAccuracy(k=2), SparseTopKCategoricalAccuracy(3),
], ids=lambda m: type(m).__name__)
def test_configs_round_trip(metric):
    config = json.loads(json.dumps(metrics.serialize(metric)))
    again = metrics.get(config)
    assert type(again) is type(metric) and again.get_config() == metric.get_config()


def test_keras_names():
    for name, cls in [("precision", Precision), ("recall", Recall), ("auc", AUC),
                      ("f1_score", F1Score), ("top_k_categorical_accuracy",
                                              TopKCategoricalAccuracy),
                      ("sparse_top_k_categorical_accuracy", SparseTopKCategoricalAccuracy)]:
        m = metrics.get(name)
        assert type(m) is cls and m.name == name
    assert TopKCategoricalAccuracy().k == 5 and AUC().num_thresholds == 200


@pytest.mark.parametrize("make, error, match", [
    (lambda: Precision(thresholds=1.5), ValueError, "thresholds"),
    (lambda: Recall(thresholds=[]), ValueError, "thresholds"),
    (lambda: Recall(class_id=-1), ValueError, "class_id"),
    (lambda: F1Score(average="mean"), ValueError, "average"),
    (lambda: F1Score(threshold="high"), ValueError, "threshold"),
    (lambda: AUC(curve="roc2"), ValueError, "curve"),
    (lambda: AUC(num_thresholds=1), ValueError, "num_thresholds"),
    (lambda: AUC(summation_method="simpson"), ValueError, "summation_method"),
    (lambda: AUC(from_logits="no"), TypeError, "from_logits"),
    (lambda: TopKCategoricalAccuracy(k=0), ValueError, "k"),
])
def test_bad_arguments_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("metric, y, p, match", [
    (Precision(class_id=3), [[1, 0]], [[0.5, 0.5]], "class_id"),
    (AUC(), [1, 0], [1.5, 0.2], "y_pred: AUC expects probabilities"),
    (F1Score(), [1, 0], [0.5, 0.2], "y_true, y_pred"),
    (SparseTopKCategoricalAccuracy(), [3], [[0.5, 0.5]], "y_true"),
    (TopKCategoricalAccuracy(), [1, 0], [[0.5, 0.5]], "y_true and y_pred"),
])
def test_a_refused_update_changes_nothing(metric, y, p, match):
    before = metric.result()
    with pytest.raises(ValueError, match=match):
        metric.update_state(y, p)
    assert metric.result() == before


def test_fit_logs_the_new_metrics_under_keras_names():
    from rosenblatt.layers import Dense

    from rosenblatt.models import Sequential
    x = RNG.normal(size=(120, 3))
    y = (x[:, :1] + 0.3 * x[:, 1:2] > 0).astype(float)
    model = Sequential([Dense(1, activation="sigmoid", input_dim=3)], seed=0)
    model.compile("adam", "binary_crossentropy",
                  metrics=["precision", "recall", "auc", F1Score(average="micro", threshold=0.5)])
    history = model.fit(x, y, epochs=3, verbose=0)
    assert {"precision", "recall", "auc", "f1_score"} <= set(history.history)
    logs = model.evaluate(x, y, return_dict=True)
    p = (model.predict(x) > 0.5).astype(float)
    tp = float(((p == 1) & (y == 1)).sum())
    assert logs["precision"] == pytest.approx(tp / p.sum())
    assert logs["auc"] == pytest.approx(_batches(AUC(), y, model.predict(x)), rel=1e-6)


def test_f1_refuses_a_change_in_the_number_of_classes():
    m = F1Score(average="macro")
    m.update_state([[1, 0]], [[0.6, 0.4]])
    before = m.result()
    with pytest.raises(ValueError, match="y_pred: expected 2 classes"):
        m.update_state([[1, 0, 0]], [[0.6, 0.3, 0.1]])
    assert m.result() == before

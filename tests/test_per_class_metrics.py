"""Metrics with one value per class (F1Score(average=None), as Keras: a vector) or per
threshold in fit and evaluate: the vectors go into the logs, History, evaluate's result, the
progress lines, CSVLogger's rows and History's curves; callbacks refuse to monitor them."""

import json

import numpy as np
import pytest
from rosenblatt.callbacks import CSVLogger, EarlyStopping
from rosenblatt.layers import Dense
from rosenblatt.metrics import F1Score, Precision, log_value
from rosenblatt.optimizers import SGD

from rosenblatt.models import Sequential
from rosenblatt.training.callback_base import _monitored

# five samples whose predicted classes are fixed: true 0 0 1 1 2, predicted 0 1 1 1 0
TRUE = np.array([0, 0, 1, 1, 2])
PREDICTED = np.array([0, 1, 1, 1, 0])
# class 0: TP 1, FP 1, FN 1 -> p = r = 1/2, F1 = 1/2; class 1: TP 2, FP 1, FN 0 -> p = 2/3,
# r = 1, F1 = 2 (2/3) / (5/3) = 4/5; class 2: TP 0 -> F1 = 0
CLOSED_FORM = np.array([0.5, 0.8, 0.0])


def _fixed_model(seed=0):
    """A softmax layer whose input is the one-hot predicted class: its argmax is that class."""
    model = Sequential([Dense(3, activation="softmax", use_bias=False, input_dim=3)], seed=seed)
    model.set_weights([5.0 * np.eye(3)])
    model.compile(SGD(learning_rate=0.0), "categorical_crossentropy",
                  metrics=[F1Score(average=None)])
    return model, np.eye(3)[PREDICTED], np.eye(3)[TRUE]


def test_log_value_keeps_numbers_and_makes_vectors_arrays():
    assert log_value(0.25) == 0.25 and type(log_value(np.float32(0.5))) is float
    vector = log_value([0.25, 0.75])
    assert isinstance(vector, np.ndarray) and vector.dtype == np.float64
    assert vector.tolist() == [0.25, 0.75]


def test_fit_history_and_evaluate_hold_the_per_class_closed_form():
    model, x, y = _fixed_model()
    history = model.fit(x, y, epochs=3, batch_size=2, verbose=0)  # sums over 3 batches
    f1 = history.history["f1_score"]
    assert len(f1) == 3 and all(isinstance(v, np.ndarray) and v.shape == (3,) for v in f1)
    for value in f1:
        np.testing.assert_allclose(value, CLOSED_FORM, atol=1e-6)
    logs = model.evaluate(x, y, return_dict=True)
    np.testing.assert_allclose(logs["f1_score"], CLOSED_FORM, atol=1e-6)
    loss, values = model.evaluate(x, y)
    assert loss == pytest.approx(logs["loss"]) and np.array_equal(values, logs["f1_score"])
    assert model.test_on_batch(x, y, return_dict=True)["f1_score"].shape == (3,)
    assert model.train_on_batch(x, y, return_dict=True)["f1_score"].shape == (3,)


def test_f1_per_class_in_fit_against_scikit_learn():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    centres = 2.0 * np.eye(4)
    labels = rng.integers(0, 4, size=400)
    x = centres[labels] + rng.normal(size=(400, 4))
    model = Sequential([Dense(8, activation="tanh", input_dim=4),
                        Dense(4, activation="softmax")], seed=1)
    model.compile("adam", "categorical_crossentropy", metrics=[F1Score(average=None)])
    history = model.fit(x[:300], np.eye(4)[labels[:300]], epochs=4, batch_size=32, verbose=0,
                        validation_data=(x[300:], np.eye(4)[labels[300:]]))
    # the validation value of the last epoch is that of the final weights
    predicted = model.predict(x[300:]).argmax(axis=1)
    expected = skm.f1_score(labels[300:], predicted, average=None, labels=range(4))
    np.testing.assert_allclose(history.history["val_f1_score"][-1], expected, atol=1e-5)
    logs = model.evaluate(x[:300], np.eye(4)[labels[:300]], return_dict=True, batch_size=64)
    expected = skm.f1_score(labels[:300], model.predict(x[:300]).argmax(axis=1), average=None,
                            labels=range(4))
    np.testing.assert_allclose(logs["f1_score"], expected, atol=1e-5)


def test_progress_lines_print_every_class(capsys):
    model, x, y = _fixed_model()
    model.fit(x, y, epochs=1, batch_size=5, verbose=2)
    out = capsys.readouterr().out
    assert out.strip().endswith(" - f1_score: [0.5000, 0.8000, 0.0000]")
    model.fit(x, y, epochs=1, batch_size=5, verbose=2, validation_data=(x, y))
    lines = capsys.readouterr().out.splitlines()  # too long for 80 columns: wrapped, compact
    assert "f1_score=[0.5000,0.8000,0.0000]" in lines[0] and all(len(s) <= 80 for s in lines)
    assert lines[1] == "  val_f1_score=[0.5000,0.8000,0.0000]"


def test_csv_logger_writes_each_vector_as_one_field(tmp_path):
    import csv

    model, x, y = _fixed_model()
    path = tmp_path / "log.csv"
    history = model.fit(x, y, epochs=2, batch_size=2, verbose=0, callbacks=[CSVLogger(path)])
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "f1_score", "loss"]
    for epoch, row in enumerate(rows[1:]):
        assert row[1].startswith("[") and json.loads(row[1]) == \
            history.history["f1_score"][epoch].tolist()
        assert float(row[2]) == history.history["loss"][epoch]


def test_history_draws_one_curve_per_class():
    model, x, y = _fixed_model()
    history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y))
    html = history._repr_html_()
    assert html.count("<svg") == 2  # the loss, and the three classes' F1 with their val_
    assert html.count("<polyline") == 2 + 6
    assert "f1_score[2]" in html and "val_f1_score[0]" in html


def test_a_threshold_list_gives_a_vector_in_the_logs():
    model, x, y = _fixed_model()
    model.compile(SGD(learning_rate=0.0), "categorical_crossentropy",
                  metrics=[Precision(thresholds=[0.1, 0.9])])
    probabilities = model.predict(x)
    tp = [((probabilities > t) & (y == 1)).sum() for t in (0.1, 0.9)]
    predicted = [(probabilities > t).sum() for t in (0.1, 0.9)]
    logs = model.evaluate(x, y, return_dict=True)
    np.testing.assert_allclose(logs["precision"], np.divide(tp, predicted), rtol=1e-12)


def test_callbacks_refuse_to_monitor_a_vector_before_training():
    model, x, y = _fixed_model()
    model.compile("sgd", "categorical_crossentropy", metrics=[F1Score(average=None)])
    before = model.get_weights()
    for monitor in ("f1_score", "val_f1_score"):
        with pytest.raises(ValueError, match=f"monitor: '{monitor}' is logged as a vector"):
            model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
                      callbacks=[EarlyStopping(monitor=monitor)])
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    with pytest.raises(ValueError, match="monitor: 'f1' is logged as a vector"):
        _monitored({"f1": np.array([0.5, 0.25])}, "f1")

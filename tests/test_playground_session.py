"""The playground's settings, data and training session (NumPy alone): every setting and its
bad values, the original's rules checked against an independent NumPy reference, exports."""

import doctest
import json

import numpy as np
import pytest

from rosenblatt.playground import data as data_module
from rosenblatt.playground import export, session, settings
from rosenblatt.playground.session import Session
from rosenblatt.playground.settings import Settings, SettingsError, parse_settings

GOOD = {"problem": "regression", "dataset": "spiral", "regDataset": "reg-gauss", "noise": 35,
        "percTrainData": 70, "batchSize": 30, "learningRate": 10, "activation": "gelu",
        "layerActivations": ["relu", "elu"], "regularization": "L1",
        "regularizationRate": 0.3, "networkShape": [32, 1], "features": ["sinY", "x"],
        "seed": "a.b-c_9", "initZero": True, "targetLoss": 0.05, "maxEpochs": 100,
        "optimizer": "rmsprop", "loss": "crossentropy", "classes": 6, "dropout": 0.5,
        "schedule": "exponential", "customData": False}

BAD = [
    ("problem", "clustering"), ("problem", 1), ("dataset", "moons"), ("dataset", None),
    ("regDataset", "reg-circle"), ("noise", -5), ("noise", 55), ("noise", 10.5),
    ("noise", True), ("percTrainData", 5), ("percTrainData", 95), ("batchSize", 0),
    ("batchSize", 31), ("batchSize", "10"), ("learningRate", 0), ("learningRate", -0.1),
    ("learningRate", 11), ("learningRate", float("nan")), ("learningRate", float("inf")),
    ("learningRate", "0.1"), ("activation", "softmax"), ("activation", "TANH"),
    ("layerActivations", "tanh"), ("layerActivations", ["tanh", "bogus"]),
    ("regularization", "L3"), ("regularizationRate", -1), ("regularizationRate", 11),
    ("networkShape", "4,2"), ("networkShape", [0]), ("networkShape", [33]),
    ("networkShape", [1] * 11), ("networkShape", [2.5]), ("features", []),
    ("features", ["z"]), ("features", ["x", "x"]), ("features", "x"), ("seed", ""),
    ("seed", "a" * 33), ("seed", "<script>"), ("seed", 5), ("initZero", "true"),
    ("targetLoss", 0), ("targetLoss", -1), ("targetLoss", 101), ("targetLoss", "low"),
    ("maxEpochs", -1), ("maxEpochs", 10**7), ("optimizer", "lbfgs"), ("loss", "hinge"),
    ("classes", 1), ("classes", 7), ("dropout", 0.95), ("dropout", -0.1),
    ("schedule", "cosine"), ("customData", 1), ("bogusKey", 1),
]


def test_doctests():
    for module in (settings, data_module, session, export):
        assert doctest.testmod(module).failed == 0


def test_defaults_are_the_originals():
    s = Settings()
    assert (s.dataset, s.noise, s.perc_train_data, s.batch_size, s.learning_rate) == (
        "circle", 0, 50, 10, 0.03)
    assert (s.activation, s.network_shape, s.features) == ("tanh", (4, 2), ("x", "y"))
    assert s.original_rules


def test_every_setting_takes_its_good_values():
    message = dict(GOOD, problem="classification", layerActivations=["relu", "elu"])
    s = parse_settings(message)
    assert s.to_message()["networkShape"] == [32, 1]
    assert s.features == ("x", "sinY")  # the page's order
    assert s.hidden_activations() == ["relu", "elu"]
    assert not s.original_rules and s.multiclass
    assert parse_settings({"targetLoss": None}).target_loss is None


@pytest.mark.parametrize("key, value", BAD)
def test_every_setting_refuses_its_bad_values(key, value):
    with pytest.raises(SettingsError) as info:
        parse_settings({key: value})
    assert str(info.value).startswith(key) or key in str(info.value)


def test_settings_must_be_an_object_and_combinations_must_run():
    with pytest.raises(SettingsError, match="settings: expected a JSON object"):
        parse_settings([1, 2])
    with pytest.raises(SettingsError, match="classes: 3 classes"):
        parse_settings({"classes": 3, "dataset": "circle"})
    with pytest.raises(SettingsError, match="layerActivations: expected one activation"):
        parse_settings({"networkShape": [2], "layerActivations": ["tanh", "relu"]})


def _reference_sgd(x, t, w, b, lr, batch, epochs):
    """The original's rule for one tanh neuron, written from its description: mean over the
    batch of d/dw 0.5 (tanh(xw + b) - t)^2, then w -= lr * that."""
    for _ in range(epochs):
        for start in range(0, len(x), batch):
            xb, tb = x[start:start + batch], t[start:start + batch]
            out = np.tanh(xb @ w + b)
            delta = (out - tb) * (1 - out ** 2)
            w = w - lr * xb.T @ delta / len(xb)
            b = b - lr * delta.mean()
    return w, b


def test_original_rules_equal_an_independent_reference():
    s = Settings(network_shape=(), features=("xSquared", "ySquared"), learning_rate=0.1,
                 noise=10)
    run = Session(s)
    dense = run.model.layers[0]
    w0 = dense.kernel.data.astype(np.float64).ravel()
    assert np.all(np.abs(w0) <= 0.5) and float(dense.bias.data[0]) == pytest.approx(0.1)
    x = run.inputs_train.astype(np.float64)
    t = run.data.y_train.astype(np.float64)
    for _ in range(5):
        run.epoch()
    w, b = _reference_sgd(x, t, w0, 0.1, 0.1, 10, 5)
    np.testing.assert_allclose(dense.kernel.data.ravel(), w, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dense.bias.data, [b], rtol=1e-4, atol=1e-5)
    out = np.tanh(run.inputs_test.astype(np.float64) @ w + b)
    assert run.test_loss == pytest.approx(0.5 * np.mean((out - run.data.y_test) ** 2), rel=1e-4)


def test_the_exercise_stops_below_the_target():
    s = parse_settings({"dataset": "circle", "noise": 10, "percTrainData": 50, "batchSize": 10,
                        "features": ["xSquared", "ySquared"], "networkShape": [],
                        "activation": "tanh", "learningRate": 0.1, "targetLoss": 0.05})
    run = Session(s)
    while not run.stop_reason and run.epochs_done < 500:
        run.epoch()
    assert run.stop_reason == "target" and run.test_loss < 0.05
    assert "< 0.05" in run.message()
    epochs = run.epochs_done
    assert run.epoch() == epochs  # a stopped run stays stopped


def test_data_follow_the_originals_split_and_sizes():
    d = data_module.make_data(Settings(perc_train_data=30))
    assert len(d.x_train) == 150 and len(d.x_test) == 350
    d = data_module.make_data(Settings(problem="regression", perc_train_data=10))
    assert len(d.x_train) == 120 and d.n_classes == 0
    again = data_module.make_data(Settings(perc_train_data=30))
    np.testing.assert_array_equal(again.x_train, data_module.make_data(
        Settings(perc_train_data=30)).x_train)


@pytest.mark.parametrize("dataset", ["gauss", "spiral"])
def test_multiclass_runs_with_softmax_and_cross_entropy(dataset):
    run = Session(Settings(dataset=dataset, classes=4, loss="crossentropy", optimizer="adam",
                           network_shape=(8, 8), learning_rate=0.03))
    assert sorted(set(run.data.y_train.tolist())) == [0, 1, 2, 3]
    first = run.test_loss
    for _ in range(30):
        run.epoch()
    frame = run.frame()
    assert np.array(frame["confusion"]).shape == (4, 4)
    assert sum(map(sum, frame["confusion"])) == len(run.data.y_test)
    assert len(frame["heatClass"]) > 0 and np.isfinite(run.test_loss)
    if dataset == "gauss":  # four blobs are easy; four spiral arms take long
        assert run.test_loss < first and frame["testAccuracy"] > 0.8


def test_frame_pictures_have_the_documented_sizes():
    run = Session(Settings())
    frame = run.frame()
    heat = np.frombuffer(__import__("base64").b64decode(frame["heatmap"]), np.uint8)
    assert heat.size == 100 * 100
    assert [len(layer) for layer in frame["neurons"]] == [4, 2, 1]
    assert len(__import__("base64").b64decode(frame["neurons"][0][0])) == 25 * 25
    assert [np.array(w).shape for w in frame["weights"]] == [(2, 4), (4, 2), (2, 1)]
    json.dumps(frame, allow_nan=False)


def test_regression_reports_r2_and_divergence_is_explained():
    run = Session(Settings(problem="regression", network_shape=(), learning_rate=0.01))
    for _ in range(20):
        run.epoch()
    assert 0.5 < run.metrics()["testR2"] <= 1
    wild = Session(Settings(problem="regression", reg_dataset="reg-gauss", activation="relu",
                            network_shape=(8, 8), learning_rate=10, features=(
                                "xSquared", "ySquared")))
    for _ in range(50):
        wild.epoch()
        if wild.stop_reason:
            break
    assert wild.stop_reason == "diverged"
    assert "smaller learning rate" in wild.message()
    json.dumps(wild.frame(), allow_nan=False)


@pytest.mark.parametrize("changes", [
    {"optimizer": "momentum"}, {"optimizer": "rmsprop"}, {"loss": "crossentropy"},
    {"dropout": 0.2}, {"schedule": "exponential"}, {"regularization": "L2",
                                                     "regularization_rate": 0.01},
    {"init_zero": True}, {"activation": "leaky_relu"}, {"activation": "swish"},
    {"layer_activations": ("relu", "sigmoid")}, {"max_epochs": 3},
])
def test_every_choice_trains_and_its_script_reproduces_the_weights(changes):
    run = Session(Settings(**changes))
    for _ in range(3):
        run.epoch()
    assert np.isfinite(run.test_loss)
    namespace = {}
    exec(export.script(run), namespace)  # noqa: S102 - the script the page exports
    for mine, theirs in zip(run.model.get_weights(), namespace["model"].get_weights(),
                            strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
    if "max_epochs" in changes:
        assert run.stop_reason == "maxEpochs"


def test_model_export_loads_back_with_rosenblatt(tmp_path):
    import rosenblatt

    run = Session(Settings(features=("xSquared", "ySquared"), network_shape=()))
    run.epoch()
    path = tmp_path / "m.npz"
    path.write_bytes(export.model_bytes(run))
    model = rosenblatt.load_model(path)
    np.testing.assert_allclose(model.predict(run.inputs_test), run.activations_of(
        run.inputs_test)[-1], rtol=1e-5, atol=1e-6)


def test_csv_upload_good_and_bad():
    x, y, k = data_module.parse_csv("1,2,a\n3,4,b\n5,6,c\n7,8,a\n")
    assert k == 3 and y.tolist() == [0, 1, 2, 0] and np.abs(x).max() == pytest.approx(6)
    x, y, k = data_module.parse_csv("x1,x2,y\n0,1,0.5\n1,0,-2\n2,2,1\n3,3,0\n", "regression")
    assert k == 0 and np.abs(y).max() == pytest.approx(1)
    run = Session(Settings(custom_data=True, classes=3), custom=(x, np.arange(4) % 3, 3))
    run.epoch()
    bad = [
        ("1,2,a\n3,4,b\n", "at least 4 rows"),
        ("1,2\n3,4\n5,6\n7,8\n", "expected 3 fields"),
        ("1,x,a\n3,4,b\n5,6,a\n7,8,b\n", "line 1: expected numbers"),
        ("1,nan,a\n3,4,b\n5,6,a\n7,8,b\n", "finite"),
        ("1,1e9,a\n3,4,b\n5,6,a\n7,8,b\n", "within"),
        ("1,2,a\n3,4,a\n5,6,a\n7,8,a\n", "2 to 6 distinct labels"),
        ("".join(f"{i},{i},{i}\n" for i in range(8)), "2 to 6 distinct labels"),
        ("0,0,0\n" * (data_module.MAX_UPLOAD_ROWS + 1), "at most 5000 rows"),
        ("0" * (data_module.MAX_UPLOAD_BYTES + 1), "bytes"),
        (b"1,2,3", "expected the file's text"),
    ]
    for text, match in bad:
        with pytest.raises(data_module.UploadError, match=match):
            data_module.parse_csv(text)
    with pytest.raises(data_module.UploadError, match="numeric targets"):
        data_module.parse_csv("1,2,a\n3,4,b\n5,6,a\n7,8,b\n", "regression")

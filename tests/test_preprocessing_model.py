"""The declared preprocessing of a model: raw rows to inputs, outputs back to the user's values,
stored in the model file as JSON and restored by load_model."""

import json

import numpy as np
import pytest
from rosenblatt.layers import Dense

import rosenblatt as rb
from rosenblatt.models.saving import ModelFileError
from rosenblatt.nn.features import FeatureMap, Preprocessing


def _model(n_inputs=3, units=1):
    model = rb.Sequential([Dense(units, input_dim=n_inputs)], seed=0)
    model.compile("sgd", "mse")
    return model


def test_transform_and_decode_match_a_direct_computation():
    rng = np.random.default_rng(0)
    x = rng.normal(5.0, 3.0, size=(50, 3))
    mu, sigma = x.mean(axis=0), x.std(axis=0)
    p = Preprocessing(columns=["a", "b", "c"], mean=mu, scale=sigma, target_mean=10.0,
                      target_scale=4.0)
    np.testing.assert_allclose(p.transform(x), (x - mu) / sigma, rtol=1e-12)
    np.testing.assert_allclose(p.decode(np.array([[0.0], [1.0], [-0.5]])), [[10.0], [14.0], [8.0]])
    np.testing.assert_allclose(p.encode_targets([14.0, 8.0]), [1.0, -0.5])


def test_feature_crosses_then_standardization():
    points = np.array([[1.0, 2.0], [-3.0, 0.5]])
    p = Preprocessing(feature_map=["x1^2", "x1*x2"], mean=[1.0, 2.0], scale=[2.0, 0.5])
    expected = (np.stack([points[:, 0] ** 2, points[:, 0] * points[:, 1]], 1) - [1, 2]) / [2, .5]
    np.testing.assert_allclose(p.transform(points), expected)
    assert p(points).shape == (2, 2)  # callable: a map for plots


def test_class_labels_of_any_values_round_trip():
    for classes in ([-3, 0, 7], ["no", "yes"], [0.5, 1.5, 2.5]):
        p = Preprocessing(classes=classes)
        again = Preprocessing.from_config(json.loads(json.dumps(p.get_config())))
        assert again.classes == classes
        k = len(classes)
        outputs = np.eye(k) if k > 2 else np.array([[0.1], [0.9]])
        assert again.labels(outputs) == classes
        np.testing.assert_array_equal(again.encode_targets(list(reversed(classes))),
                                      np.arange(k)[::-1])


def test_saved_model_keeps_its_preprocessing(tmp_path):
    model = _model(3, 4)
    model.preprocessing = Preprocessing(columns=["b", "a", "c"], target="y", mean=[1, 2, 3],
                                        scale=[1, 2, 4], classes=[-1, "x", 3, 4.5])
    model.save(tmp_path / "m.npz")
    loaded = rb.load_model(tmp_path / "m.npz")
    assert loaded.preprocessing.get_config() == model.preprocessing.get_config()
    assert loaded.feature_map is None


def test_feature_map_is_part_of_the_preprocessing(tmp_path):
    model = _model(2)
    model.feature_map = FeatureMap(["x1^2", "x2^2"])
    assert model.preprocessing.feature_map.names == ["x1^2", "x2^2"]
    model.save(tmp_path / "m.npz")
    assert rb.load_model(tmp_path / "m.npz").feature_map.names == ["x1^2", "x2^2"]
    model.feature_map = None
    assert model.preprocessing is None


def _edit(tmp_path, model, change):
    model.save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as archive:
        arrays = dict(archive)
    config = json.loads(str(arrays["__model__.json"]))
    change(config)
    arrays["__model__.json"] = np.array(json.dumps(config))
    path = tmp_path / "edited.npz"
    np.savez(path, **arrays)
    return path


def test_files_with_the_older_feature_map_field_still_load(tmp_path):
    model = _model(2)
    model.feature_map = FeatureMap(["x1", "x2^2"])

    def older(config):
        config["feature_map"] = {"names": config.pop("preprocessing")["feature_map"]}

    path = _edit(tmp_path, model, older)
    assert rb.load_model(path).feature_map.names == ["x1", "x2^2"]


@pytest.mark.parametrize("field, value, message", [
    ("scale", [1.0, 0.0, 1.0], "scale[1]: expected a finite number > 0"),
    ("mean", [1.0, "a", 1.0], "mean[1]: expected a number"),
    ("mean", [1.0, 2.0], "mean, scale: expected equal lengths"),
    ("classes", [1, 1], "classes: expected at least two distinct labels"),
    ("classes", [[1], 2], "classes[0]: expected an int, finite float or str label"),
    ("columns", ["a", 3, "c"], "columns: expected a list of column names"),
    ("surprise", 1, "unknown fields ['surprise']"),
])
def test_a_damaged_preprocessing_gives_a_model_file_error(tmp_path, field, value, message):
    model = _model(3)
    model.preprocessing = Preprocessing(columns=["a", "b", "c"], mean=[0, 0, 0], scale=[1, 1, 1])

    def damage(config):
        config["preprocessing"][field] = value

    path = _edit(tmp_path, model, damage)
    with pytest.raises(ModelFileError, match="damaged or incompatible") as info:
        rb.load_model(path)
    assert message in str(info.value)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"mean": [0.0]}, ValueError, "mean, scale: expected both or neither"),
    ({"mean": [np.nan], "scale": [1.0]}, ValueError, "mean[0]: expected a finite number"),
    ({"scale": [-1.0], "mean": [0.0]}, ValueError, "scale[0]: expected a finite number > 0"),
    ({"target_mean": 1.0}, ValueError, "target_mean, target_scale: expected both"),
    ({"target_mean": 0.0, "target_scale": np.inf}, ValueError, "target_scale[0]"),
    ({"classes": [0, 1], "target_mean": 0.0, "target_scale": 1.0}, ValueError, "both"),
    ({"classes": [True, False]}, TypeError, "classes[0]: expected an int, float or str"),
    ({"classes": "ab"}, TypeError, "classes: expected a list of labels, got str"),
    ({"columns": ["a", "a"]}, ValueError, "columns: expected distinct column names"),
    ({"columns": ["a", "b", "c"], "mean": [0.0], "scale": [1.0]}, ValueError,
     "mean: expected 3 values"),
    ({"columns": ["a"], "feature_map": ["x1"]}, ValueError, "columns: a feature map takes 2"),
    ({"target": 3}, TypeError, "target: expected a column name"),
    ({"feature_map": ["x3"]}, ValueError, "x3"),
])
def test_bad_preprocessing_arguments_are_refused(kwargs, error, message):
    with pytest.raises(error) as info:
        Preprocessing(**kwargs)
    assert message in str(info.value)


def test_transform_refuses_the_wrong_width_naming_the_columns():
    p = Preprocessing(columns=["a", "b"], mean=[0, 0], scale=[1, 1])
    with pytest.raises(ValueError, match=r"x: expected 2 raw columns \(a, b\), got shape"):
        p.transform(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="y: label 'maybe' is not one of the classes"):
        Preprocessing(classes=["no", "yes"]).encode_targets(["yes", "maybe"])
    with pytest.raises(ValueError, match="outputs: expected 1 or 3 columns"):
        Preprocessing(classes=[1, 2, 3]).labels(np.zeros((2, 2)))


def test_feature_map_setter_refuses_a_callable_leaving_the_model_unchanged():
    model = _model(2)
    model.feature_map = ["x1", "x2"]
    with pytest.raises(TypeError, match="feature_map: expected None, a FeatureMap"):
        model.feature_map = lambda x: x
    assert model.feature_map.names == ["x1", "x2"]

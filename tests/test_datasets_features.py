"""Feature crosses (the playground's inputs, polynomial features), gates, and data preparation."""

import json
from itertools import product
from math import comb

import numpy as np
import pytest

from rosenblatt.datasets import (
    FeatureMap,
    NotFittedError,
    Standardizer,
    features,
    logic_gate,
    one_hot,
    polynomial_features,
    standardize,
    train_test_split,
)

POINTS = np.array([[0.5, -2.0], [3.0, 1.5], [-1.0, 0.0]])


# --- logic gates ----------------------------------------------------------------------------

RULES = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: 1 - (a & b),
    "NOR": lambda a, b: 1 - (a | b),
    "XOR": lambda a, b: a ^ b,
    "XNOR": lambda a, b: 1 - (a ^ b),
}


@pytest.mark.parametrize("name", list(RULES))
def test_two_input_gates(name):
    x, y = logic_gate(name.lower())
    rows = list(product([0, 1], repeat=2))
    assert x.dtype == np.float32 and x.tolist() == [list(map(float, r)) for r in rows]
    assert y.dtype == np.int64 and y.tolist() == [RULES[name](a, b) for a, b in rows]
    xb, yb = logic_gate(name, encoding="bipolar")
    assert np.array_equal(xb, 2 * x - 1) and np.array_equal(yb, 2 * y - 1)


def test_not_gate():
    x, y = logic_gate("Not")
    assert x.shape == (2, 1) and x.ravel().tolist() == [0.0, 1.0] and y.tolist() == [1, 0]
    x, y = logic_gate("NOT", encoding="bipolar")
    assert x.ravel().tolist() == [-1.0, 1.0] and y.tolist() == [1, -1]


def test_gate_errors():
    with pytest.raises(ValueError, match="Unknown logic gate 'XAND'.*Valid names: AND, OR, NAND"):
        logic_gate("XAND")
    with pytest.raises(ValueError, match="encoding: expected one of 'binary', 'bipolar'"):
        logic_gate("AND", encoding="signed")


# --- playground features --------------------------------------------------------------------


def test_each_feature_formula():
    x1, x2 = POINTS[:, 0], POINTS[:, 1]
    expected = {
        "x1": x1,
        "x2": x2,
        "x1^2": x1**2,
        "x1_squared": x1**2,
        "x2^2": x2**2,
        "X2_Squared": x2**2,
        "x1*x2": x1 * x2,
        "x1x2": x1 * x2,
        "sin(x1)": np.sin(x1),
        "sin(x2)": np.sin(x2),
    }
    for name, column in expected.items():
        assert np.allclose(features(POINTS, [name])[:, 0], column), name
    out = features(POINTS, list(expected))
    assert out.shape == (3, len(expected))
    assert np.allclose(out, np.stack(list(expected.values()), axis=1))


def test_features_order_and_dtype():
    out = features(POINTS.astype(np.float32), ["sin(x2)", "x1"])
    assert out.dtype == np.float32
    assert np.allclose(out, np.stack([np.sin(POINTS[:, 1]), POINTS[:, 0]], axis=1))
    assert features(POINTS, "x1^2").shape == (3, 1)
    assert features(POINTS, ["x1"]).dtype == np.float64


def test_feature_errors():
    with pytest.raises(ValueError, match=r"Unknown feature 'x3'.*Valid names: x1, x2, x1\^2"):
        features(POINTS, ["x1", "x3"])
    with pytest.raises(ValueError, match=r"x: expected shape \(n, 2\).*got shape \(3, 3\)"):
        features(np.ones((3, 3)), ["x1"])
    with pytest.raises(ValueError, match="names: expected at least one feature name"):
        features(POINTS, [])
    with pytest.raises(TypeError, match="names: expected a feature name or a sequence"):
        features(POINTS, 3)
    with pytest.raises(ValueError, match="x: expected finite numbers"):
        features([[np.nan, 1.0]], ["x1"])


def test_feature_map():
    phi = FeatureMap(["x1", "x2", "x1*x2"])
    assert phi.n_features == 3
    assert np.array_equal(phi(POINTS), features(POINTS, ["x1", "x2", "x1*x2"]))
    config = json.loads(json.dumps(phi.get_config()))
    again = FeatureMap.from_config(config)
    assert again.names == phi.names and np.array_equal(again(POINTS), phi(POINTS))
    assert "x1*x2" in repr(phi)
    with pytest.raises(ValueError, match="Unknown feature 'cos"):
        FeatureMap(["cos(x1)"])


# --- polynomial features --------------------------------------------------------------------


@pytest.mark.parametrize("d, degree", [(1, 1), (2, 2), (2, 3), (3, 2), (4, 3)])
def test_polynomial_count(d, degree):
    x = np.random.default_rng(0).normal(size=(5, d))
    assert polynomial_features(x, degree).shape == (5, comb(d + degree, degree) - 1)
    assert polynomial_features(x, degree, include_bias=True).shape == (5, comb(d + degree, degree))


def test_polynomial_by_hand():
    out = polynomial_features([[2.0, 3.0]], 3, include_bias=True)
    assert out.tolist() == [[1, 2, 3, 4, 6, 9, 8, 12, 18, 27]]


@pytest.mark.parametrize("degree, bias", [(1, False), (2, True), (3, False)])
def test_polynomial_matches_scikit_learn(degree, bias):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    x = np.random.default_rng(1).normal(size=(20, 3))
    ref = preprocessing.PolynomialFeatures(degree, include_bias=bias).fit_transform(x)
    assert np.allclose(polynomial_features(x, degree, include_bias=bias), ref)


def test_polynomial_errors():
    with pytest.raises(ValueError, match=r"degree: expected an? integer > 0, got 0"):
        polynomial_features(POINTS, 0)
    with pytest.raises(ValueError, match="x: expected a 2-D array, got shape"):
        polynomial_features([1.0, 2.0], 2)


# --- train / test split ---------------------------------------------------------------------


@pytest.mark.parametrize("ratio", [0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
def test_split_sizes_and_alignment(ratio):
    x = np.arange(1000).reshape(500, 2)
    y = np.arange(500) * 10
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, ratio=ratio, seed=0)
    assert len(x_tr) == round(500 * ratio) and len(x_te) == 500 - round(500 * ratio)
    assert np.array_equal(x_tr[:, 0] * 5, y_tr) and np.array_equal(x_te[:, 0] * 5, y_te)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == y.tolist()


def test_split_floor_is_robust_to_rounding():
    x = np.zeros((100, 1))
    assert len(train_test_split(x, x, ratio=0.29, seed=0)[0]) == 29  # 100 * 0.29 = 28.999...
    assert len(train_test_split(x[:7], x[:7], ratio=0.5, seed=0)[0]) == 3


def test_split_is_seeded_and_shuffled():
    x = np.arange(100)
    a = train_test_split(x, x, seed=1)
    b = train_test_split(x, x, seed=1)
    c = train_test_split(x, x, seed=2)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(np.sort(a[0]), np.arange(50))


@pytest.mark.parametrize("ratio", [0, 1, 50, -0.5, 1.5, True, "0.5", None])
def test_split_bad_ratio(ratio):
    with pytest.raises(ValueError, match="ratio: expected the training fraction"):
        train_test_split(np.zeros(10), np.zeros(10), ratio=ratio)


def test_split_other_errors():
    with pytest.raises(ValueError, match="x and y must have the same number of samples"):
        train_test_split(np.zeros(10), np.zeros(9))
    with pytest.raises(ValueError, match="ratio: 0.1 of 5 samples leaves 0 for training"):
        train_test_split(np.zeros(5), np.zeros(5), ratio=0.1)


# --- one-hot --------------------------------------------------------------------------------


def test_one_hot():
    out = one_hot([2, 0, 1, 2])
    assert out.dtype == np.float32
    assert out.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert one_hot(np.array([1.0, 0.0]), num_classes=4).tolist() == [[0, 1, 0, 0], [1, 0, 0, 0]]
    assert np.array_equal(one_hot(np.arange(10)), np.eye(10))


def test_one_hot_errors():
    with pytest.raises(ValueError, match="y: expected integer class labels >= 0, got -1"):
        one_hot([0, -1])
    with pytest.raises(ValueError, match=r"y: expected integer class labels >= 0, got 1.5"):
        one_hot([0.0, 1.5])
    with pytest.raises(ValueError, match=r"y: label 3 at index 1 is out of range for num_classes="):
        one_hot([0, 3], num_classes=3)
    with pytest.raises(ValueError, match=r"num_classes: expected an? integer > 0"):
        one_hot([0], num_classes=0)
    with pytest.raises(ValueError, match="y: expected a 1-D array"):
        one_hot([[0, 1]])
    with pytest.raises(ValueError, match="num_classes: cannot infer"):
        one_hot([])


# --- standardization ------------------------------------------------------------------------


def test_standardize_uses_training_statistics_only():
    x_train = np.array([[1.0, 10.0, 7.0], [3.0, 30.0, 7.0], [5.0, 20.0, 7.0]])
    x_test = np.array([[7.0, 40.0, 8.0]])
    z_train, z_test = standardize(x_train, x_test)
    sd0, sd1 = np.sqrt(8 / 3), np.sqrt(200 / 3)  # population deviations by hand
    assert np.allclose(z_train[:, 0], [-2 / sd0, 0, 2 / sd0])
    assert np.allclose(z_test, [[4 / sd0, 20 / sd1, 1.0]])
    assert np.allclose(z_train.mean(axis=0), 0) and np.allclose(z_train[:, :2].std(axis=0), 1)
    assert np.array_equal(z_train[:, 2], [0, 0, 0])  # constant column: scale 1
    assert np.allclose(standardize(x_train), z_train)


def test_standardizer_attributes_and_dtypes():
    x = np.random.default_rng(0).normal(3, 2, size=(50, 4)).astype(np.float32)
    s = Standardizer().fit(x)
    assert s.mean_.shape == (4,) and s.scale_.shape == (4,)
    assert s.transform(x).dtype == np.float32
    assert s.transform(x.astype(np.float64)).dtype == np.float64
    assert np.allclose(Standardizer().fit_transform(x), s.transform(x))
    assert Standardizer().fit(np.full(5, 2.0)).scale_ == 1.0


def test_standardizer_matches_scikit_learn():
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    x = np.random.default_rng(2).normal(1, 3, size=(40, 3))
    x[:, 1] = 5.0
    ref = preprocessing.StandardScaler().fit(x)
    ours = Standardizer().fit(x)
    assert np.allclose(ours.mean_, ref.mean_) and np.allclose(ours.scale_, ref.scale_)
    assert np.allclose(ours.transform(x), ref.transform(x))


def test_standardizer_errors():
    with pytest.raises(NotFittedError, match="Standardizer is not fitted yet") as caught:
        Standardizer().transform([[1.0]])
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, AttributeError)
    s = Standardizer().fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"x: expected samples of shape \(2,\).*\(3, 3\)"):
        s.transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match="x: expected at least one sample"):
        Standardizer().fit(np.empty((0, 2)))
    with pytest.raises(ValueError, match="x: expected finite numbers"):
        standardize([[1.0], [np.inf]])

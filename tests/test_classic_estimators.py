"""The classic learners as scikit-learn estimators: the protocol written out (no scikit-learn
needed), the perceptron's one-vs-rest classes, and the hostile inputs they refuse."""

import warnings

import numpy as np
import pytest
from rosenblatt.classic import Hebbian, LinearNeuron, Perceptron, gate_data

from rosenblatt.teaching.classic.perceptron import MAX_EPOCHS


def _three_blobs(seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 4.0], [4.0, 0.0], [-4.0, -4.0]])
    y = np.repeat([0, 1, 2], 20)
    return centers[y] + rng.normal(size=(60, 2)), y


def test_get_params_and_set_params():
    p = Perceptron(learning_rate=0.5, shuffle=True)
    assert p.get_params() == {"init": "zeros", "learning_rate": 0.5, "max_epochs": 100,
                              "random_state": None, "shuffle": True, "threshold": None}
    assert p.set_params(max_epochs=7) is p and p.max_epochs == 7
    assert LinearNeuron().get_params() == {"fit_intercept": True}
    assert Hebbian(decay=0.1).get_params()["decay"] == 0.1


def test_set_params_refuses_unknown_names_and_changes_nothing():
    p = Perceptron()
    with pytest.raises(ValueError, match="set_params: Perceptron has no parameter 'eta'; valid "
                                         "parameters: init, learning_rate"):
        p.set_params(max_epochs=5, eta=0.1)
    assert p.max_epochs == 100


def test_one_vs_rest_units_are_the_binary_perceptrons():
    X, y = _three_blobs()
    p = Perceptron().fit(X, y)
    assert p.coef_.shape == (3, 2) and p.intercept_.shape == (3,)
    assert p.decision_function(X).shape == (60, 3)
    for k in range(3):
        unit = Perceptron().fit(X, (y == k).astype(int))
        np.testing.assert_array_equal(p.coef_[k], unit.coef_)
        assert p.intercept_[k] == unit.intercept_
        assert p.errors_[k] == unit.errors_
    np.testing.assert_array_equal(p.predict(X), np.argmax(X @ p.coef_.T + p.intercept_, axis=1))
    assert p.score(X, y) == 1.0 and p.converged_


def test_string_labels_and_any_two_labels():
    X, y = gate_data("and")
    words = np.array(["no", "yes"])[y]
    p = Perceptron().fit(X, words)
    assert p.classes_.tolist() == ["no", "yes"] and p.predict(X).tolist() == words.tolist()
    p = Perceptron().fit(X, np.array([2, 5])[y])
    assert p.classes_.tolist() == [2, 5] and p.predict(X).tolist() == [2, 2, 2, 5]


def test_max_epochs_is_bounded():
    X, y = gate_data("xor")
    p = Perceptron(max_epochs=10**15)
    with pytest.raises(ValueError, match=rf"max_epochs: expected an integer at most {MAX_EPOCHS}, "
                                         r"got 1000000000000000"):
        p.fit(X, y)
    assert not hasattr(p, "coef_")


def test_overflowing_inputs_are_refused_without_warnings():
    X, y = gate_data("and")
    p = Perceptron().fit(X, y)
    before = p.coef_.copy()
    huge = np.where(X == 1, 1e308, -1e308)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"X: inputs up to 1e\+308 in magnitude make the "
                                             "weighted sums overflow"):
            p.fit(huge, y)
        with pytest.raises(ValueError, match=r"X: inputs up to 1e\+150 in magnitude make"):
            Perceptron(learning_rate=1e10, max_epochs=10).fit(X * 1e150, y)
        assert np.isfinite(Perceptron().fit(X * 1e100, y).coef_).all()  # large, and safe
    np.testing.assert_array_equal(p.coef_, before)


def test_hebbian_overflow_is_refused_and_weights_stay():
    h = Hebbian(learning_rate=1e300).update([1.0], [1.0])
    with pytest.raises(ValueError, match=r"learning_rate: the update alpha x y\^T with "
                                         r"learning_rate=1e\+300 made the weights overflow"):
        h.update([1e10], [1e10])
    assert h.weights_.tolist() == [[1e300]]
    fitted = Hebbian().fit([[1.0, 0.0]], [1.0])
    with pytest.raises(ValueError, match="learning_rate: "):
        fitted.set_params(learning_rate=1e300).fit([[1e10, 0.0]], [1e10])
    assert fitted.weights_.tolist() == [[0.1], [0.0]]


def test_inputs_refused_in_scikit_learns_words():
    X, y = gate_data("and")
    with pytest.raises(ValueError, match=r"X: found array with 0 feature\(s\) \(shape=\(4, 0\)\)"):
        Perceptron().fit(np.zeros((4, 0)), y)
    with pytest.raises(ValueError, match="X: Complex data not supported"):
        LinearNeuron().fit(X + 1j, y)
    with pytest.raises(ValueError, match=r"X: expected a 2-D array, got shape \(4,\)\. Reshape"):
        Perceptron().fit(X, y).predict(y)
    with pytest.raises(ValueError, match="y: Perceptron requires y to be passed"):
        Perceptron().fit(X, None)
    with pytest.raises(ValueError, match="X has 3 features, but LinearNeuron is expecting 2"):
        LinearNeuron().fit(X, y).predict(np.zeros((1, 3)))
    with pytest.raises(TypeError, match=r"X: expected an array of numbers \(float\(\) argument"):
        Perceptron().fit(np.array([[{}, 1]] * 4, dtype=object), y)


def test_scikit_learn_tools_take_the_classic_learners():
    sklearn = pytest.importorskip("sklearn")
    from sklearn.base import clone, is_classifier, is_regressor
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    assert sklearn is not None
    assert is_classifier(Perceptron()) and is_regressor(LinearNeuron())
    copy = clone(Perceptron(learning_rate=0.3))
    assert copy.learning_rate == 0.3
    X, y = _three_blobs()
    assert cross_val_score(make_pipeline(StandardScaler(), Perceptron()), X, y, cv=3).mean() > 0.9
    search = GridSearchCV(Perceptron(), {"learning_rate": [0.1, 1.0]}, cv=3).fit(X, y)
    assert search.best_score_ > 0.9


def test_one_vs_rest_accuracy_is_scikit_learns_on_iris():
    pytest.importorskip("sklearn")
    from sklearn.datasets import load_iris
    from sklearn.linear_model import Perceptron as SkPerceptron
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_iris(return_X_y=True)
    for shuffle in (False, True):  # in the data's order, and reshuffled every epoch
        ours = cross_val_score(make_pipeline(StandardScaler(), Perceptron(
            max_epochs=100, shuffle=shuffle, random_state=0)), X, y, cv=5).mean()
        theirs = cross_val_score(make_pipeline(StandardScaler(), SkPerceptron(
            max_iter=100, tol=None, shuffle=shuffle, random_state=0)), X, y, cv=5).mean()
        assert ours >= theirs - 0.02, (shuffle, ours, theirs)

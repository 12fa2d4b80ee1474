"""The numbers behind the pictures: gradient descent on e(w) = 1/2 C w^2 (L32), the confusion
counts, and the plane grid of the decision boundary. None of these needs matplotlib."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosenblatt.plot import classify_step, confusion_counts, gradient_descent_path, plane_grid

# --- gradient descent in one dimension (lecture 004, L32) -----------------------------------


@pytest.mark.parametrize(
    ("C", "eta", "w0", "steps"),
    [(1.0, 0.5, 1.0, 20), (2.0, 0.75, -3.0, 15), (0.3, 5.0, 2.5, 12), (4.0, 0.6, 1.0, 30)],
)
def test_path_matches_closed_form(C, eta, w0, steps):
    t = np.arange(steps + 1)
    expected = (1.0 - eta * C) ** t * w0
    np.testing.assert_allclose(gradient_descent_path(C, eta, w0, steps), expected, rtol=1e-12)


def test_path_by_hand():
    # e(w) = 1/2 * 2 * w^2, e'(w) = 2 w; eta = 0.25: w <- w - 0.5 w
    assert gradient_descent_path(2.0, 0.25, 8.0, 3).tolist() == [8.0, 4.0, 2.0, 1.0]
    assert gradient_descent_path(1.0, 0.1, 5.0, 0).tolist() == [5.0]


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        (0.5, "monotone"),
        (1.0, "one step"),
        (1.5, "oscillating"),
        (2.0, "stuck"),
        (2.2, "diverging"),
        (0.01, "monotone"),
        (1.99, "oscillating"),
        (2.01, "diverging"),
    ],
)
@pytest.mark.parametrize("C", [1.0, 3.0, 0.1, 7.0])
def test_classify_step_regimes_of_the_notes(C, scale, expected):
    assert classify_step(C, scale / C) == expected


@settings(max_examples=60, deadline=None)
@given(
    C=st.floats(0.05, 20.0),
    ratio=st.floats(0.02, 3.0).filter(lambda r: abs(r - 1) > 1e-6 and abs(r - 2) > 1e-6),
)
def test_classification_agrees_with_the_path(C, ratio):
    eta = ratio / C
    w = gradient_descent_path(C, eta, 1.0, 6)
    kind = classify_step(C, eta)
    steps = np.abs(w)
    if kind == "monotone":
        assert np.all(w > 0) and np.all(np.diff(w) < 0)
    elif kind == "oscillating":
        assert np.all(np.sign(w[1:]) == -np.sign(w[:-1])) and np.all(np.diff(steps) < 0)
    else:
        assert kind == "diverging"
        assert np.all(np.sign(w[1:]) == -np.sign(w[:-1])) and np.all(np.diff(steps) > 0)


def test_one_step_and_stuck_paths():
    C = 4.0
    w = gradient_descent_path(C, 1 / C, 3.0, 5)
    assert w[0] == 3.0 and np.all(w[1:] == 0.0)
    w = gradient_descent_path(C, 2 / C, 3.0, 5)
    assert w.tolist() == [3.0, -3.0, 3.0, -3.0, 3.0, -3.0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"C": 0.0, "eta": 0.1}, r"C: expected a number > 0, got 0.0"),
        ({"C": 1.0, "eta": -0.1}, r"eta: expected a number > 0, got -0.1"),
        ({"C": 1.0, "eta": 0.1, "steps": -1}, r"steps: expected an? integer >= 0, got -1"),
        ({"C": 1.0, "eta": 0.1, "steps": 2.5}, r"steps: expected an? integer >= 0, got 2.5"),
        ({"C": 1.0, "eta": 0.1, "w0": float("nan")}, r"w0: expected a finite number, got nan"),
    ],
)
def test_path_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gradient_descent_path(**kwargs)


def test_classify_step_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"C: expected a number > 0, got -1"):
        classify_step(-1, 0.1)
    with pytest.raises(ValueError, match=r"eta: expected a number > 0, got 0"):
        classify_step(1.0, 0)


# --- confusion counts ---------------------------------------------------------------------


def test_confusion_counts_by_hand():
    y_true = [0, 0, 1, 1, 1, 2]
    y_pred = [0, 1, 1, 1, 2, 0]
    expected = [[1, 1, 0], [0, 2, 1], [1, 0, 0]]
    assert confusion_counts(y_true, y_pred).tolist() == expected
    # scores and one-hot rows are turned into labels by argmax
    scores = np.eye(3)[y_pred] * 0.8 + 0.05
    assert confusion_counts(np.eye(3)[y_true], scores).tolist() == expected


def test_confusion_counts_label_order_and_unseen_labels():
    m = confusion_counts([1, 1, 3], [3, 1, 3], labels=[3, 2, 1])
    assert m.tolist() == [[1, 0, 0], [0, 0, 0], [1, 0, 1]]
    assert m.dtype.kind == "i"


def test_confusion_counts_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 6, 300)
    y_pred = np.where(rng.random(300) < 0.6, y_true, rng.integers(0, 6, 300))
    np.testing.assert_array_equal(
        confusion_counts(y_true, y_pred), metrics.confusion_matrix(y_true, y_pred)
    )
    labels = [5, 0, 3, 1, 2, 4, 9]
    np.testing.assert_array_equal(
        confusion_counts(y_true, y_pred, labels=labels),
        metrics.confusion_matrix(y_true, y_pred, labels=labels),
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (
            ([0, 1, 2], [0, 1, 7]),
            {"labels": [0, 1, 2]},
            ValueError,
            r"y_pred: label 7 is not one of labels \[0, 1, 2\]",
        ),
        (
            ([0, 1], [0, 1]),
            {"labels": [0, 1, 1]},
            ValueError,
            r"labels: expected distinct class labels",
        ),
        (([0, 1.5], [0, 1]), {}, ValueError, r"y_true: expected integer class labels"),
        (([0, 1, 1], [0, 1]), {}, ValueError, r"y_true and y_pred must have the same number"),
        (("01", [0, 1]), {}, TypeError, r"y_true: expected an array of numbers"),
    ],
)
def test_confusion_counts_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        confusion_counts(*args, **kwargs)


# --- the plane of the decision boundary ---------------------------------------------------


def test_plane_grid_extent_and_spacing():
    x = np.array([[-1.0, 2.0], [3.0, 4.0], [0.0, 3.0]])
    grid, extent = plane_grid(x, resolution=5, margin=0.25)
    # span (4, 2): x1 in [-1 - 1, 3 + 1], x2 in [2 - 0.5, 4 + 0.5]
    assert extent == (-2.0, 4.0, 1.5, 4.5)
    assert grid.shape == (25, 2)
    u = np.linspace(-2.0, 4.0, 5)
    v = np.linspace(1.5, 4.5, 5)
    np.testing.assert_allclose(grid[:5], np.column_stack([u, np.full(5, 1.5)]))
    np.testing.assert_allclose(grid[::5, 1], v)
    np.testing.assert_allclose(grid[-1], [4.0, 4.5])


def test_plane_grid_covers_test_points_and_pads_a_flat_axis():
    _, extent = plane_grid([[0.0, 1.0], [2.0, 1.0]], x_test=[[4.0, 1.0]], margin=0.0)
    assert extent == (0.0, 4.0, 0.0, 2.0)


@pytest.mark.parametrize(
    ("x", "kwargs", "match"),
    [
        ([[0.0, 1.0, 2.0]], {}, r"x: expected points of shape \(n, 2\)"),
        ([[0.0, 1.0]], {"resolution": 1}, r"resolution: expected an integer >= 2, got 1"),
        ([[0.0, 1.0]], {"margin": -0.1}, r"margin: expected a number >= 0, got -0.1"),
        ([[0.0, np.inf]], {}, r"x: expected finite numbers"),
    ],
)
def test_plane_grid_rejects_bad_input(x, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plane_grid(x, **kwargs)

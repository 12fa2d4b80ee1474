"""Every picture is drawn headless (Agg), saved, and checked: a valid PNG (or SVG) of a few KB,
the expected number of axes, and the drawn data equal to independently computed values."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from rosenblatt import plot  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def assert_png(path, min_bytes=4000):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > min_bytes


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Named:
    def __init__(self, name):
        self.name = name


class FakeDense:
    """A stand-in for a Dense layer: kernel (in, out), bias (out,)."""

    def __init__(self, kernel, bias, activation="sigmoid", name="dense"):
        self.kernel = np.asarray(kernel, dtype=np.float64)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.units = self.kernel.shape[1]
        self.activation = Named(activation)
        self.name = name

    def get_weights(self):
        return [self.kernel, self.bias]


class NoWeights:
    name = "dropout"

    def get_weights(self):
        return []


class Circle:
    """predict = sigmoid(x1^2 + x2^2 - 4) on the raw plane (no layers: width unknown)."""

    def predict(self, x):
        return sigmoid(x[:, :1] ** 2 + x[:, 1:2] ** 2 - 4.0)


class FeatureNeuron:
    """One sigmoid neuron on features: predict = sigmoid(features @ W + b)."""

    def __init__(self, n_features, feature_map=None):
        self.W = np.ones((n_features, 1))
        self.b = np.array([-4.0])
        self.layers = [FakeDense(self.W, self.b)]
        if feature_map is not None:
            self.feature_map = feature_map

    def predict(self, x):
        return sigmoid(np.asarray(x) @ self.W + self.b)


class Softmax3:
    """Three classes: logits (2 x1, 2 x2, -2 x1 - 2 x2), softmax."""

    def predict(self, x):
        z = 2.0 * np.stack([x[:, 0], x[:, 1], -x[:, 0] - x[:, 1]], axis=1)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def ring_data(seed=0, n=60):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=(n, 2))
    y = (np.hypot(x[:, 0], x[:, 1]) > 2).astype(float)
    return x, y


def heat_map_expected(extent, resolution):
    u = np.linspace(extent[0], extent[1], resolution)
    v = np.linspace(extent[2], extent[3], resolution)
    return sigmoid(u[None, :] ** 2 + v[:, None] ** 2 - 4.0)


# --- decision boundary ---------------------------------------------------------------------


def test_decision_boundary_binary_heat_map_is_the_model_output(tmp_path):
    x, y = ring_data()
    xt, yt = ring_data(seed=1, n=20)
    fig = plot.decision_boundary(Circle(), x, y, xt, yt, resolution=40, save=tmp_path / "b.png")
    assert_png(tmp_path / "b.png")
    assert len(fig.axes) == 2  # the plane and its colour bar
    ax = fig.axes[0]
    image = ax.images[0]
    points = np.concatenate([x, xt])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = 0.1 * (high - low)
    extent = (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])
    np.testing.assert_allclose(image.get_extent(), extent)
    np.testing.assert_allclose(image.get_array(), heat_map_expected(extent, 40), rtol=1e-12)
    assert image.get_clim() == (0.0, 1.0)
    levels = [c.levels for c in ax.collections if hasattr(c, "levels")]
    assert [list(lv) for lv in levels] == [[0.5]]
    assert len(ax.collections) >= 3  # boundary, train points, test points


def test_decision_boundary_bipolar_outputs_put_the_boundary_at_zero():
    class Tanh:
        def predict(self, x):
            return np.tanh(x[:, :1] + x[:, 1:])

    x, y = ring_data()
    fig = plot.decision_boundary(Tanh(), x, 2 * y - 1, resolution=30)
    ax = fig.axes[0]
    assert ax.images[0].get_clim() == (-1.0, 1.0)
    assert [list(c.levels) for c in ax.collections if hasattr(c, "levels")] == [[0.0]]


@pytest.mark.parametrize("how", ["names", "feature_map", "callable", "feature_map_object"])
def test_decision_boundary_maps_the_plane_to_features(how):
    x, y = ring_data()
    names = ["x1^2", "x2^2"]
    if how == "names":
        model, features = FeatureNeuron(2), names
    elif how == "feature_map":
        model, features = FeatureNeuron(2, feature_map=names), None
    elif how == "callable":
        model, features = FeatureNeuron(2), (lambda p: p**2)
    else:
        from rosenblatt.datasets import FeatureMap

        model, features = FeatureNeuron(2, feature_map=FeatureMap(names)), None
    fig = plot.decision_boundary(model, x, y, features=features, resolution=25)
    image = fig.axes[0].images[0]
    expected = heat_map_expected(image.get_extent(), 25)
    np.testing.assert_allclose(image.get_array(), expected, rtol=1e-6)


def test_decision_boundary_multiclass_colours_by_argmax_and_confidence(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2)) * 2
    y = Softmax3().predict(x).argmax(axis=1)
    fig = plot.decision_boundary(Softmax3(), x, y, resolution=30, save=tmp_path / "m.png")
    assert_png(tmp_path / "m.png")
    assert len(fig.axes) == 1
    rgba = fig.axes[0].images[0].get_array()
    extent = fig.axes[0].images[0].get_extent()
    u = np.linspace(extent[0], extent[1], 30)
    v = np.linspace(extent[2], extent[3], 30)
    grid = np.column_stack([np.tile(u, 30), np.repeat(v, 30)])
    p = Softmax3().predict(grid)
    colours = mpl.colors.to_rgba_array(plot.boundary.CLASS_COLORS)[:3, :3]
    np.testing.assert_allclose(rgba[..., :3].reshape(-1, 3), colours[p.argmax(axis=1)])
    sure = (p.max(axis=1) - 1 / 3) / (2 / 3)
    order = np.argsort(sure)
    assert np.all(np.diff(rgba[..., 3].reshape(-1)[order]) >= -1e-12)


def test_decision_boundary_draws_into_given_axes():
    fig, ax = plt.subplots()
    x, y = ring_data()
    assert plot.decision_boundary(Circle(), x, y, resolution=10, ax=ax) is fig
    assert ax.images


def test_decision_boundary_writes_svg(tmp_path):
    x, y = ring_data()
    plot.decision_boundary(Circle(), x, y, resolution=10, save=tmp_path / "b.svg")
    text = (tmp_path / "b.svg").read_text()
    assert "<svg" in text and len(text) > 4000


class Exploding:
    layers = [FakeDense(np.ones((3, 1)), np.zeros(1))]

    def predict(self, x):
        raise AssertionError("predict must not be called for bad input")


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (
            (Circle(), np.zeros((4, 3)), np.zeros(4)),
            {},
            ValueError,
            r"x: decision boundary needs 2-D inputs.*pass x in the plane and features=\.\.\.",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {},
            ValueError,
            r"model: expects 3 inputs but x has 2 columns; pass features=",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {"features": ["x1", "x2"]},
            ValueError,
            r"features: the model expects 3 inputs but the features give 2 columns",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {"features": ["x1", "x3"]},
            ValueError,
            r"Unknown feature 'x3'",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {"features": "x1"},
            TypeError,
            r"features: expected None, a list of feature names or a callable",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {"features": lambda p: p[:, 0]},
            ValueError,
            r"features: expected the mapping to return shape \(4, d\)",
        ),
        (
            (Circle(), np.zeros((4, 2)), np.zeros(3)),
            {},
            ValueError,
            r"x and y must have the same number of samples",
        ),
        (
            (Circle(), np.zeros((4, 2)), np.zeros(4)),
            {"x_test": np.zeros((2, 2))},
            ValueError,
            r"x_test and y_test: pass both or neither",
        ),
        (
            (Circle(), np.zeros((4, 2)), np.zeros(4)),
            {"resolution": 1},
            ValueError,
            r"resolution: expected an integer >= 2",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {"save": "b.jpg"},
            ValueError,
            r"save: expected a path ending in .png or .svg, got 'b.jpg'",
        ),
        (
            (Exploding(), np.zeros((4, 2)), np.zeros(4)),
            {"save": 3},
            TypeError,
            r"save: expected None or a path ending in .png or .svg, got int",
        ),
    ],
)
def test_decision_boundary_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot.decision_boundary(*args, **kwargs)


def test_decision_boundary_rejects_labels_outside_the_classes():
    with pytest.raises(ValueError, match=r"y: expected class labels 0 \.\.\. 2 .* got values"):
        plot.decision_boundary(Softmax3(), np.zeros((3, 2)), [0, 1, 5], resolution=5)


def test_scatter(tmp_path):
    x, y = ring_data()
    fig = plot.scatter(x, 2 * y - 1, x[:5], y[:5], save=tmp_path / "s.png")
    assert_png(tmp_path / "s.png")
    assert len(fig.axes) == 1
    train = fig.axes[0].collections[0]
    np.testing.assert_allclose(train.get_offsets(), x)


# --- curves ----------------------------------------------------------------------------------


class FakeHistory:
    def __init__(self, logs):
        self.history = logs


LOGS = {
    "loss": [0.9, 0.5, 0.3],
    "accuracy": [0.5, 0.7, 0.8],
    "val_loss": [1.0, 0.7, 0.6],
    "val_accuracy": [0.4, 0.6, 0.7],
    "val_auc": [0.6, 0.7, 0.8],
}


@pytest.mark.parametrize("wrap", [dict, FakeHistory])
def test_history_one_panel_per_quantity(tmp_path, wrap):
    fig = plot.history(wrap(LOGS), save=tmp_path / "h.png")
    assert_png(tmp_path / "h.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy", "auc"]
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["train", "validation"]
    np.testing.assert_allclose(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines[1].get_ydata(), LOGS["val_loss"])


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ([1, 2], TypeError, r"history: expected a History or a dict of per-epoch lists"),
        ({}, ValueError, r"history: expected at least one logged quantity"),
        ({"loss": []}, ValueError, r"history\['loss'\]: expected at least one epoch"),
        ({"loss": [[1, 2]]}, ValueError, r"history\['loss'\]: expected a 1-D array"),
    ],
)
def test_history_rejects_bad_input(value, error, match):
    with pytest.raises(error, match=match):
        plot.history(value)


def test_activations_curves_match_the_notes_identities(tmp_path):
    fig = plot.activations(["sigmoid", "tanh", "relu", "softplus"], save=tmp_path / "a.png")
    assert_png(tmp_path / "a.png")
    assert len(fig.axes) == 4
    curves = {
        ax.get_title(): [ln for ln in ax.get_lines() if ln.get_label() in ("f(z)", "f'(z)")]
        for ax in fig.axes
    }
    z = curves["sigmoid"][0].get_xdata()
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(curves["sigmoid"][0].get_ydata(), s, rtol=1e-6)
    np.testing.assert_allclose(curves["sigmoid"][1].get_ydata(), s * (1 - s), rtol=1e-6)
    np.testing.assert_allclose(curves["tanh"][1].get_ydata(), 1 - np.tanh(z) ** 2, atol=1e-9)
    np.testing.assert_allclose(curves["relu"][0].get_ydata(), np.maximum(z, 0))
    np.testing.assert_allclose(curves["softplus"][1].get_ydata(), s, rtol=1e-6)


def test_activations_default_draws_every_elementwise_activation():
    fig = plot.activations()
    assert [ax.get_title() for ax in fig.axes] == list(plot.ELEMENTWISE_ACTIVATIONS)


def test_activations_rejects_unknown_and_softmax():
    with pytest.raises(ValueError, match=r"Unknown activation 'relux'. Did you mean 'relu'\?"):
        plot.activations(["sigmoid", "relux"])
    with pytest.raises(ValueError, match=r"names: softmax is not elementwise"):
        plot.activations(["softmax"])
    with pytest.raises(TypeError, match=r"names: expected a non-empty list of activation names"):
        plot.activations([])


def test_gradient_descent_1d_panels(tmp_path):
    C = 2.0
    fig = plot.gradient_descent_1d(C=C, steps=10, save=tmp_path / "g.png")
    assert_png(tmp_path / "g.png")
    assert len(fig.axes) == 8
    titles = [ax.get_title() for ax in fig.axes[:4]]
    assert titles == [
        "eta = 0.5/C: monotone",
        "eta = 1/C: one step",
        "eta = 1.5/C: oscillating",
        "eta = 2.2/C: diverging",
    ]
    t = np.arange(11)
    for ax, ratio in zip(fig.axes[4:], (0.5, 1.0, 1.5, 2.2), strict=True):
        path = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 11][0]
        np.testing.assert_allclose(path.get_ydata(), (1 - ratio) ** t, rtol=1e-12, atol=1e-300)


def test_gradient_descent_1d_custom_rates_and_errors():
    fig = plot.gradient_descent_1d(C=1.0, etas=[2.0])
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "eta = 2/C: stuck"
    with pytest.raises(ValueError, match=r"etas: expected a number > 0, got -0.5"):
        plot.gradient_descent_1d(etas=[0.1, -0.5])
    with pytest.raises(ValueError, match=r"etas: expected at least one learning rate"):
        plot.gradient_descent_1d(etas=[])
    with pytest.raises(ValueError, match=r"C: expected a number > 0"):
        plot.gradient_descent_1d(C=0)


# --- parameters -------------------------------------------------------------------------------


class TwoLayers:
    def __init__(self, seed=0, n_in=2, hidden=3, n_out=1):
        rng = np.random.default_rng(seed)
        self.layers = [
            FakeDense(rng.normal(size=(n_in, hidden)), rng.normal(size=hidden), "tanh"),
            NoWeights(),
            FakeDense(
                rng.normal(size=(hidden, n_out)), rng.normal(size=n_out), "sigmoid", name="dense_1"
            ),
        ]


def test_weights_histograms_and_reference_densities(tmp_path):
    model = TwoLayers(n_in=20, hidden=30)
    fig = plot.weights(model, save=tmp_path / "w.png")
    assert_png(tmp_path / "w.png")
    assert len(fig.axes) == 2
    ax = fig.axes[0]
    assert ax.get_title().startswith("dense: 20x30")
    he, glorot = (ln for ln in ax.get_lines())
    s = he.get_xdata()
    np.testing.assert_allclose(
        he.get_ydata(), np.exp(-(s**2) / (2 * 2 / 20)) / np.sqrt(2 * np.pi * 2 / 20)
    )
    np.testing.assert_allclose(
        glorot.get_ydata(), np.exp(-(s**2) / (2 * 2 / 50)) / np.sqrt(2 * np.pi * 2 / 50)
    )
    heights = np.array([patch.get_height() for patch in ax.patches])
    widths = np.array([patch.get_width() for patch in ax.patches])
    assert np.sum(heights * widths) == pytest.approx(1.0)  # a density


def test_network_links_follow_the_weights(tmp_path):
    model = TwoLayers(seed=1, n_in=2, hidden=4, n_out=1)
    fig = plot.network(model, save=tmp_path / "n.png")
    assert_png(tmp_path / "n.png")
    assert len(fig.axes) == 1
    links = [c for c in fig.axes[0].collections if isinstance(c, mpl.collections.LineCollection)]
    assert len(links) == 1
    weights = np.concatenate([model.layers[0].kernel.ravel(), model.layers[2].kernel.ravel()])
    assert len(links[0].get_segments()) == 2 * 4 + 4 * 1
    widths = links[0].get_linewidths()
    np.testing.assert_allclose(widths, 0.3 + 3.7 * np.abs(weights) / np.abs(weights).max())
    blue = mpl.colors.to_rgba(plot.boundary.CLASS_COLORS[1], 0.8)
    is_blue = [tuple(c) == pytest.approx(blue) for c in links[0].get_colors()]
    assert is_blue == list(weights > 0)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert {"input", "hidden 1", "output", "x1", "x2", "ŷ"} <= set(texts)


def test_network_shortens_wide_layers():
    model = TwoLayers(n_in=784, hidden=32, n_out=10)
    fig = plot.network(model, max_units=12)
    links = [c for c in fig.axes[0].collections if isinstance(c, mpl.collections.LineCollection)]
    assert len(links[0].get_segments()) == 11 * 11 + 11 * 10
    assert "784 inputs" in [t.get_text() for t in fig.axes[0].texts]


def test_parameter_plots_reject_bad_models():
    with pytest.raises(TypeError, match=r"model: expected an object with .layers, got int"):
        plot.weights(3)

    class Empty:
        layers = [NoWeights()]

    with pytest.raises(ValueError, match=r"model: has no layer with weights to draw"):
        plot.network(Empty())

    class Broken:
        layers = [FakeDense(np.ones((2, 3)), np.zeros(3)), FakeDense(np.ones((4, 1)), np.zeros(1))]

    with pytest.raises(ValueError, match=r"layer 'dense' takes 4 inputs while 'dense' gives 3"):
        plot.network(Broken())
    with pytest.raises(ValueError, match=r"max_units: expected an integer >= 3"):
        plot.network(TwoLayers(), max_units=2)


# --- images -----------------------------------------------------------------------------------


def test_confusion_matrix(tmp_path):
    y_true = [0, 0, 1, 1, 1, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2]
    fig = plot.confusion_matrix(y_true, y_pred, save=tmp_path / "c.png")
    assert_png(tmp_path / "c.png")
    assert len(fig.axes) == 2
    assert fig.axes[0].images[0].get_array().tolist() == [[1, 1, 0], [0, 2, 1], [0, 0, 2]]
    assert "71.4%" in fig.axes[0].get_title()
    fig = plot.confusion_matrix(y_true, y_pred, normalize=True)
    shown = fig.axes[0].images[0].get_array()
    np.testing.assert_allclose(shown, [[0.5, 0.5, 0], [0, 2 / 3, 1 / 3], [0, 0, 1]])
    with pytest.raises(TypeError, match=r"normalize: expected True or False, got 'true'"):
        plot.confusion_matrix(y_true, y_pred, normalize="true")


def test_digits_grid_marks_mistakes(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((30, 64))
    y_true = np.arange(30) % 10
    y_pred = y_true.copy()
    y_pred[[2, 7]] = 9 - y_true[[2, 7]]
    fig = plot.digits(x, y_true, y_pred, save=tmp_path / "d.png")
    assert_png(tmp_path / "d.png")
    assert len(fig.axes) == 25
    assert fig.axes[0].images[0].get_array().shape == (8, 8)
    np.testing.assert_allclose(fig.axes[3].images[0].get_array(), x[3].reshape(8, 8))
    red = [i for i, ax in enumerate(fig.axes) if ax.title.get_color() == "red"]
    assert red == [2, 7]
    assert fig.axes[2].get_title() == "7 (true 2)"


@pytest.mark.parametrize(
    ("x", "kwargs", "shape", "count"),
    [
        (np.zeros((5, 784)), {}, (28, 28), 5),
        (np.zeros((12, 6, 4)), {"n": 7}, (6, 4), 7),
        (np.zeros((4, 12)), {"shape": (3, 4)}, (3, 4), 4),
        (np.zeros((4, 49)), {}, (7, 7), 4),
    ],
)
def test_digits_shapes(x, kwargs, shape, count):
    fig = plot.digits(x, np.zeros(len(x)), **kwargs)
    assert len(fig.axes) == count
    assert fig.axes[0].images[0].get_array().shape == shape


@pytest.mark.parametrize(
    ("x", "kwargs", "match"),
    [
        (np.zeros((3, 50)), {}, r"shape: cannot infer the image shape from rows of width 50"),
        (np.zeros((3, 64)), {"shape": (4, 4)}, r"shape: expected \(h, w\) .* h \* w = 64"),
        (np.zeros((3, 64)), {"n": 0}, r"n: expected an integer >= 1, got 0"),
        (np.zeros((3, 64)), {"y_pred": [1, 2]}, r"x and y_pred must have the same number"),
    ],
)
def test_digits_rejects_bad_input(x, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.digits(x, np.zeros(len(x)), **kwargs)


# --- matplotlib is optional -------------------------------------------------------------------


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r'pip install "rosenblatt\[plot\]"'):
        plot.history({"loss": [1.0]})


def test_importing_the_library_does_not_import_matplotlib():
    code = (
        "import sys, rosenblatt, rosenblatt.plot, rosenblatt.cli; "
        "rosenblatt.cli.build_parser(); "
        "rosenblatt.plot.gradient_descent_path(1.0, 0.5); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- with the library's own models -------------------------------------------------------------


def test_real_model_with_feature_map(tmp_path):
    models = pytest.importorskip("rosenblatt.models")
    layers = pytest.importorskip("rosenblatt.layers")
    from rosenblatt.datasets import FeatureMap

    model = models.Sequential(
        [layers.Dense(3, activation="tanh", input_dim=2), layers.Dense(1, activation="sigmoid")]
    )
    model.set_weights(
        [np.ones((2, 3)), np.zeros(3), np.array([[1.0], [-2.0], [0.5]]), np.array([0.25])]
    )
    model.feature_map = FeatureMap(["x1^2", "x2^2"])
    path = tmp_path / "model.rbz"
    model.save(path)
    loaded = models.load_model(path)
    x, y = ring_data()
    fig = plot.decision_boundary(loaded, x, y, resolution=20)
    image = fig.axes[0].images[0]
    extent = image.get_extent()
    u = np.linspace(extent[0], extent[1], 20)
    v = np.linspace(extent[2], extent[3], 20)
    h = np.tanh(u[None, :] ** 2 + v[:, None] ** 2)  # every hidden unit sees x1^2 + x2^2
    np.testing.assert_allclose(image.get_array(), sigmoid(-0.5 * h + 0.25), rtol=1e-5)
    fig = plot.network(loaded)
    links = [c for c in fig.axes[0].collections if isinstance(c, mpl.collections.LineCollection)]
    assert len(links[0].get_segments()) == 2 * 3 + 3 * 1
    assert {"x1^2", "x2^2", "hidden 1", "output"} <= {t.get_text() for t in fig.axes[0].texts}
    assert len(plot.weights(loaded).axes) == 2

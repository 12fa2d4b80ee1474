"""Keras' hinge, squared hinge, categorical hinge, log-cosh, Poisson, cosine similarity, mean
absolute percentage error and focal losses: values against NumPy closed forms (and PyTorch),
gradients, configs, errors; and custom losses, a Loss subclass with its own ``call``."""

import numpy as np
import pytest
from rosenblatt.gradcheck import gradcheck

from rosenblatt import Tensor, ops
from rosenblatt import losses as L

RNG = np.random.default_rng(5)
Y_SIGN = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])
P_REAL = np.array([[0.3, -2.0, 1.7], [0.8, 0.1, -0.4]])
Y_BIN = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
P_PROB = np.array([[0.9, 0.2, 0.6], [0.3, 0.05, 0.7]])
Y_CAT = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
P_CAT = np.array([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])


def _bce(y, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _focal_binary(y, p, balancing=False, alpha=0.25, gamma=2.0):
    p_t = y * p + (1 - y) * (1 - p)
    loss = (1 - p_t) ** gamma * _bce(y, p)
    if balancing:
        loss = (y * alpha + (1 - y) * (1 - alpha)) * loss
    return loss.mean(axis=-1)


CLOSED = {
    "hinge": (L.hinge, Y_SIGN, P_REAL, np.maximum(1 - Y_SIGN * P_REAL, 0).mean(-1)),
    "hinge 0/1": (L.hinge, Y_BIN, P_REAL, np.maximum(1 - (2 * Y_BIN - 1) * P_REAL, 0).mean(-1)),
    "squared_hinge": (L.squared_hinge, Y_SIGN, P_REAL,
                      (np.maximum(1 - Y_SIGN * P_REAL, 0) ** 2).mean(-1)),
    "categorical_hinge": (L.categorical_hinge, Y_CAT, P_REAL, np.maximum(
        ((1 - Y_CAT) * P_REAL).max(-1) - (Y_CAT * P_REAL).sum(-1) + 1, 0)),
    "log_cosh": (L.log_cosh, Y_SIGN, P_REAL, np.log(np.cosh(P_REAL - Y_SIGN)).mean(-1)),
    "poisson": (L.poisson, Y_BIN * 3, P_PROB * 2,
                (P_PROB * 2 - Y_BIN * 3 * np.log(P_PROB * 2 + 1e-7)).mean(-1)),
    "cosine_similarity": (L.cosine_similarity, Y_SIGN, P_REAL, -(Y_SIGN * P_REAL).sum(-1) / (
        np.linalg.norm(Y_SIGN, axis=-1) * np.linalg.norm(P_REAL, axis=-1))),
    "mean_absolute_percentage_error": (L.mean_absolute_percentage_error, Y_SIGN * 2.5, P_REAL,
                                       (100 * np.abs(Y_SIGN * 2.5 - P_REAL) / 2.5).mean(-1)),
    "binary_focal": (L.binary_focal_crossentropy, Y_BIN, P_PROB, _focal_binary(Y_BIN, P_PROB)),
    "binary_focal balanced": (
        lambda y, p: L.binary_focal_crossentropy(y, p, apply_class_balancing=True, gamma=1.5),
        Y_BIN, P_PROB, _focal_binary(Y_BIN, P_PROB, True, gamma=1.5)),
    "binary_focal logits": (
        lambda y, p: L.binary_focal_crossentropy(y, p, from_logits=True),
        Y_BIN, P_REAL, _focal_binary(Y_BIN, 1 / (1 + np.exp(-P_REAL)))),
    "categorical_focal": (L.categorical_focal_crossentropy, Y_CAT, P_CAT,
                          -(0.25 * (1 - P_CAT) ** 2 * Y_CAT * np.log(P_CAT)).sum(-1)),
    "categorical_focal logits": (
        lambda y, p: L.categorical_focal_crossentropy(y, p, from_logits=True, gamma=1.0),
        Y_CAT, P_REAL, (lambda s: -(0.25 * (1 - s) * Y_CAT * np.log(s)).sum(-1))(
            np.exp(P_REAL) / np.exp(P_REAL).sum(-1, keepdims=True))),
}


@pytest.mark.parametrize("name", CLOSED)
def test_values_equal_the_closed_forms(name):
    fn, y, p, expected = CLOSED[name]
    np.testing.assert_allclose(fn(y, p).data, expected, rtol=1e-10)


@pytest.mark.parametrize("name", CLOSED)
def test_gradients_match_central_differences(name):
    fn, y, p, _ = CLOSED[name]
    assert gradcheck(lambda t: fn(y, t), p) < 1e-6


def test_focal_losses_with_gamma_zero_are_the_cross_entropies():
    np.testing.assert_allclose(L.binary_focal_crossentropy(Y_BIN, P_PROB, gamma=0.0).data,
                               L.binary_crossentropy(Y_BIN, P_PROB).data, rtol=1e-12)
    np.testing.assert_allclose(
        L.categorical_focal_crossentropy(Y_CAT, P_CAT, alpha=1.0, gamma=0.0).data,
        L.categorical_crossentropy(Y_CAT, P_CAT).data, rtol=1e-12)


def test_mape_divides_by_eps_for_a_zero_target_as_keras():
    value = L.mean_absolute_percentage_error(np.array([[0.0, 4.0]]), np.array([[1e-9, 3.0]]))
    np.testing.assert_allclose(value.data, [(100 * 1e-9 / 1e-7 + 25.0) / 2], rtol=1e-9)


def test_log_cosh_does_not_overflow_for_large_errors():
    value = L.log_cosh(np.zeros((1, 1)), np.array([[1000.0]])).data
    np.testing.assert_allclose(value, 1000 - np.log(2))


@pytest.mark.parametrize("cls, args", [
    (L.Hinge, {}), (L.SquaredHinge, {}), (L.CategoricalHinge, {}), (L.LogCosh, {}),
    (L.Poisson, {}), (L.CosineSimilarity, {}), (L.MeanAbsolutePercentageError, {}),
    (L.BinaryFocalCrossentropy, {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0,
                                 "from_logits": True, "label_smoothing": 0.1}),
    (L.CategoricalFocalCrossentropy, {"alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.2}),
])
def test_class_forms_reduce_their_function_and_round_trip(cls, args):
    loss = cls(**args, reduction="sum")
    restored = L.get(L.serialize(loss))
    assert type(restored) is cls and restored.get_config() == loss.get_config()
    y, p = (Y_CAT, P_CAT)
    fn = type(loss).fn
    np.testing.assert_allclose(loss(y, p).data, fn(y, p, **getattr(loss, "options", {})).data.sum())
    assert L.get(cls.name).name == cls.name


def test_keras_names_find_the_losses():
    for name in ("hinge", "squared_hinge", "categorical_hinge", "log_cosh", "logcosh", "poisson",
                 "cosine_similarity", "binary_focal_crossentropy",
                 "categorical_focal_crossentropy", "BinaryFocalCrossentropy"):
        assert isinstance(L.get(name), L.Loss)
    assert isinstance(L.get(L.poisson), L.Poisson)
    for name in ("mape", "mean_absolute_percentage_error", "MeanAbsolutePercentageError"):
        assert isinstance(L.get(name), L.MeanAbsolutePercentageError)
    assert isinstance(L.get(L.mape), L.MeanAbsolutePercentageError)


def test_torch_agrees_on_poisson_cosine_and_binary_focal():
    torch = pytest.importorskip("torch")
    y, p = Y_BIN * 3, P_PROB * 2
    expected = torch.nn.functional.poisson_nll_loss(
        torch.tensor(p), torch.tensor(y), log_input=False, eps=1e-7, reduction="mean")
    np.testing.assert_allclose(L.Poisson()(y, p).data, expected.numpy(), rtol=1e-10)
    cos = torch.nn.functional.cosine_similarity(torch.tensor(Y_SIGN), torch.tensor(P_REAL))
    np.testing.assert_allclose(L.cosine_similarity(Y_SIGN, P_REAL).data, -cos.numpy(),
                               rtol=1e-10)
    # torchvision's sigmoid_focal_loss, written out: alpha-balanced, from logits
    z, t = torch.tensor(P_REAL), torch.tensor(Y_BIN)
    prob = torch.sigmoid(z)
    ce = torch.nn.functional.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = prob * t + (1 - prob) * (1 - t)
    focal = (0.25 * t + 0.75 * (1 - t)) * ce * (1 - p_t) ** 2
    ours = L.binary_focal_crossentropy(Y_BIN, P_REAL, apply_class_balancing=True,
                                       from_logits=True)
    np.testing.assert_allclose(ours.data, focal.mean(-1).numpy(), rtol=1e-10)


@pytest.mark.parametrize("make, error, match", [
    (lambda: L.BinaryFocalCrossentropy(gamma=-1), ValueError, "gamma"),
    (lambda: L.BinaryFocalCrossentropy(alpha=2), ValueError, "alpha"),
    (lambda: L.BinaryFocalCrossentropy(apply_class_balancing="yes"), TypeError,
     "apply_class_balancing"),
    (lambda: L.CategoricalFocalCrossentropy(label_smoothing=1.5), ValueError, "label_smoothing"),
    (lambda: L.CategoricalFocalCrossentropy(from_logits=1), TypeError, "from_logits"),
    (lambda: L.poisson(Y_BIN, P_REAL), ValueError, "y_pred: poisson expects rates >= 0"),
    (lambda: L.binary_focal_crossentropy(Y_BIN * 2, P_PROB), ValueError, "y_true"),
    (lambda: L.binary_focal_crossentropy(Y_BIN, P_REAL), ValueError, "y_pred"),
    (lambda: L.categorical_focal_crossentropy(Y_CAT[:, 0], P_CAT[:, 0]), ValueError, "y_pred"),
    (lambda: L.categorical_focal_crossentropy(Y_CAT * 2, P_CAT / 2), ValueError, "y_true"),
])
def test_bad_arguments_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_a_model_trains_with_a_focal_loss():
    from rosenblatt.layers import Dense

    from rosenblatt.models import Sequential
    x = RNG.normal(size=(64, 2))
    y = (x[:, :1] > 0).astype(float)
    model = Sequential([Dense(1, activation="sigmoid", input_dim=2)], seed=0)
    model.compile("adam", L.BinaryFocalCrossentropy(gamma=1.0))
    history = model.fit(x, y, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# --------------------------------------------------------------------------- custom losses
class ShrunkMSE(L.Loss):
    """Keras' custom-loss pattern: MSE plus a pull of the predictions towards 0.5."""

    def __init__(self, factor=0.1, name="shrunk_mse"):
        super().__init__(name=name)
        self.factor = factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        return mse + self.factor * ops.mean(ops.square(0.5 - y_pred), axis=-1)


def test_a_loss_subclass_with_call_is_its_closed_form_reduced_and_differentiable():
    loss = ShrunkMSE(0.3)
    expected = ((Y_BIN - P_PROB) ** 2).mean(-1) + 0.3 * ((0.5 - P_PROB) ** 2).mean(-1)
    np.testing.assert_allclose(loss(Y_BIN, P_PROB).data, expected.mean(), rtol=1e-12)
    np.testing.assert_allclose(ShrunkMSE(0.3).per_sample(Y_BIN, P_PROB).data, expected,
                               rtol=1e-12)
    assert loss.name == "shrunk_mse"
    assert gradcheck(lambda t: loss(Y_BIN, t), P_PROB) < 1e-6


def test_a_call_returning_entries_or_one_number_is_reduced_as_keras_reduces_it():
    class Entries(L.Loss):
        def call(self, y_true, y_pred):
            return ops.square(y_true - y_pred)  # (n, k): averaged per sample

    class Batch(L.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.square(y_true - y_pred))  # one number for the batch

    mse = ((Y_BIN - P_PROB) ** 2).mean()
    np.testing.assert_allclose(Entries()(Y_BIN, P_PROB).data, mse, rtol=1e-12)
    np.testing.assert_allclose(Batch()(Y_BIN, P_PROB).data, mse, rtol=1e-12)
    np.testing.assert_allclose(L.get(lambda y, p: ops.mean(ops.square(y - p), axis=-1))(
        Y_BIN, P_PROB).data, mse, rtol=1e-12)


def test_a_custom_loss_that_cannot_be_computed_says_what_is_wrong():
    class NoCall(L.Loss):
        pass

    class Rows(L.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.square(y_true - y_pred), axis=0)  # per column, not per sample

    class Text(L.Loss):
        def call(self, y_true, y_pred):
            return "small"

    with pytest.raises(NotImplementedError, match=r"NoCall must define call\(self, y_true"):
        NoCall()(Y_BIN, P_PROB)
    with pytest.raises(ValueError, match=r"loss 'loss': expected one loss per sample \(2\) or "
                                         r"one number, got losses of shape \(3,\)"):
        Rows()(Y_BIN, Tensor(P_PROB))
    with pytest.raises(TypeError, match="loss 'loss': expected its call to return a Tensor of "
                                        "losses, got str"):
        Text()(Y_BIN, P_PROB)

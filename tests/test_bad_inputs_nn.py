"""The bad-input catalogue of the building blocks, the callbacks and the tensors: every case
gives a ValueError or TypeError (IndexError for indexing, as in NumPy and PyTorch) whose message
names the argument and what was expected, before any work; the cases that train leave the
model's weights, optimizer state and compile settings as they were.

Companion of test_bad_inputs.py, whose Case, _state and _assert_same_state it reuses.
"""

import numpy as np
import pytest
from test_bad_inputs import Case, X, Y, _trained, check_case

import rosenblatt as rb
from rosenblatt import callbacks, initializers, losses, metrics, regularizers, schedules
from rosenblatt.autodiff.tensor import BackwardError


def _m(id, call, error, match, model=_trained):
    return Case(id, call, error, match, model)


def _n(id, call, error, match):
    return Case(id, lambda _: call(), error, match, None)


def _fit(cb, **kwargs):
    return lambda m: m.fit(X, Y, epochs=2, batch_size=4, verbose=0, callbacks=[cb], **kwargs)


P = np.array([[0.2], [0.7]])
T = np.array([[0.0], [1.0]])

CASES = [
    # ---------------------------------------------------------------- losses
    _n("bce-from-logits-str", lambda: losses.BinaryCrossentropy(from_logits="no"), TypeError,
       "from_logits: expected True or False"),
    _n("cce-from-logits-nan", lambda: losses.CategoricalCrossentropy(from_logits=np.nan),
       TypeError, "from_logits: expected True or False"),
    _n("bce-function-from-logits-str", lambda: losses.binary_crossentropy(T, P, from_logits="no"),
       TypeError, "from_logits: expected True or False"),
    _n("scce-function-from-logits-int", lambda: losses.sparse_categorical_crossentropy(
        [0, 1], [[0.5, 0.5], [0.2, 0.8]], from_logits=1), TypeError, "from_logits"),
    _n("loss-name-int", lambda: losses.MeanSquaredError(name=5), TypeError,
       "name: expected a str, got int"),
    _n("loss-name-empty", lambda: losses.MeanSquaredError(name=""), ValueError,
       "name: expected a non-empty str"),
    _n("bce-pred-above-one", lambda: losses.BinaryCrossentropy()(T, np.array([[0.2], [1.5]])),
       ValueError, r"y_pred: binary_crossentropy expects probabilities in \[0, 1\]"),
    _n("bce-pred-tensor-negative", lambda: losses.binary_crossentropy(
        T, rb.Tensor([[-0.1], [0.5]])), ValueError, "y_pred: .* from_logits=True"),
    _n("cce-pred-above-one", lambda: losses.categorical_crossentropy(
        [[1.0, 0.0]], [[1.2, -0.2]]), ValueError, "y_pred: categorical_crossentropy expects"),
    _n("scce-pred-negative", lambda: losses.sparse_categorical_crossentropy(
        [0], [[-0.5, 1.5]]), ValueError, "y_pred: sparse_categorical_crossentropy expects"),
    _n("kld-negative-pred", lambda: losses.KLDivergence()([[0.5, 0.5]], [[-0.2, 1.2]]),
       ValueError, "y_pred: kl_divergence expects probabilities"),
    _n("kld-negative-target", lambda: losses.kl_divergence([[-0.5, 1.5]], [[0.5, 0.5]]),
       ValueError, r"y_true: expected targets in \[0, 1\] for kl_divergence"),
    _n("mse-nan-pred", lambda: losses.mse(T, np.array([[np.nan], [1.0]])), ValueError,
       "y_pred: expected finite numbers, found nan"),
    _n("mse-inf-target", lambda: losses.MeanSquaredError()(np.array([[np.inf], [1.0]]), P),
       ValueError, "y_true: expected finite numbers, found inf"),
    _n("mse-pred-strings", lambda: losses.mse(T, [["a"], ["b"]]), TypeError,
       "y_pred: expected an array of numbers"),
    # ---------------------------------------------------------------- metrics
    _n("r2-one-sample", lambda: metrics.r2_score([1.0], [1.0]), ValueError,
       "y_true, y_pred: r2_score needs at least 2 samples"),
    # ---------------------------------------------------------------- callbacks
    _n("early-stopping-min-delta-nan", lambda: callbacks.EarlyStopping(min_delta=np.nan),
       ValueError, "min_delta: expected a finite number >= 0"),
    _n("early-stopping-min-delta-neg", lambda: callbacks.EarlyStopping(min_delta=-0.1),
       ValueError, "min_delta: expected a number >= 0"),
    _n("early-stopping-monitor-int", lambda: callbacks.EarlyStopping(monitor=5), TypeError,
       "monitor: expected the name of a logged value"),
    _n("early-stopping-restore-str", lambda: callbacks.EarlyStopping(restore_best_weights="y"),
       TypeError, "restore_best_weights: expected True or False"),
    _n("early-stopping-start-negative", lambda: callbacks.EarlyStopping(start_from_epoch=-2),
       ValueError, "start_from_epoch: expected an integer >= 0"),
    _n("early-stopping-start-float", lambda: callbacks.EarlyStopping(start_from_epoch=1.5),
       ValueError, "start_from_epoch: expected an integer"),
    _n("target-reached-nan", lambda: callbacks.TargetReached(target=np.nan), ValueError,
       "target: expected a finite number, got nan"),
    _n("target-reached-str", lambda: callbacks.TargetReached(target="low"), ValueError,
       "target: expected a finite number, got 'low'"),
    _n("target-reached-none", lambda: callbacks.TargetReached(target=None), ValueError,
       "target: expected a finite number, got None"),
    _n("target-reached-monitor-none", lambda: callbacks.TargetReached(monitor=None), TypeError,
       "monitor: expected the name"),
    _n("forgetting-rate-stop-str", lambda: callbacks.ForgettingRate(stop="yes"), TypeError,
       "stop: expected True or False"),
    _n("lr-scheduler-verbose", lambda: callbacks.LearningRateScheduler(lambda e, lr: lr,
                                                                       verbose=7),
       ValueError, "verbose: expected one of 0, 1, got 7"),
    _n("checkpoint-filepath-none", lambda: callbacks.ModelCheckpoint(filepath=None), TypeError,
       "filepath: expected a str or a path, got NoneType"),
    _n("checkpoint-save-best-int", lambda: callbacks.ModelCheckpoint("m.npz", save_best_only=2),
       TypeError, "save_best_only: expected True or False"),
    _n("checkpoint-weights-only-str", lambda: callbacks.ModelCheckpoint(
        "m.npz", save_weights_only="no"), TypeError, "save_weights_only: expected True or False"),
    _m("fit-early-stopping-monitor-missing", _fit(callbacks.EarlyStopping(monitor="bogus")),
       ValueError, "monitor: 'bogus' is not a value fit logs; expected one of accuracy, loss"),
    _m("fit-early-stopping-val-typo", _fit(callbacks.EarlyStopping(monitor="val_los"),
                                           validation_split=0.25),
       ValueError, "monitor: 'val_los' is not a value fit logs"),
    _m("fit-target-reached-monitor-missing", _fit(callbacks.TargetReached(monitor="acc")),
       ValueError, "monitor: 'acc' is not a value fit logs"),
    _m("fit-checkpoint-monitor-missing", _fit(callbacks.ModelCheckpoint(
        "never-written.npz", monitor="los", save_best_only=True)),
       ValueError, "monitor: 'los' is not a value fit logs"),
    # ---------------------------------------------------------------- initializers
    _n("random-uniform-range-overflow", lambda: initializers.RandomUniform(-1e308, 1e308),
       ValueError, "minval, maxval: expected a range maxval - minval that is a finite"),
    _n("random-normal-overflow", lambda: initializers.RandomNormal(mean=1e308, stddev=1e308)(
        (3, 3)), ValueError, "mean, stddev: expected values that give finite weights"),
    _n("random-normal-overflow-float32", lambda: initializers.RandomNormal(stddev=1e300)((4,)),
       ValueError, "mean, stddev: expected values that give finite weights in float32"),
    _n("variance-scaling-overflow", lambda: initializers.VarianceScaling(scale=1e308)((4, 4)),
       ValueError, "scale: expected values that give finite weights"),
    _n("constant-overflow-float32", lambda: initializers.Constant(1e300)((2,)), ValueError,
       "value: expected values that give finite weights in float32"),
    _n("initializer-shape-too-large", lambda: initializers.GlorotUniform()(shape=(10**6, 10**6)),
       ValueError, r"shape: .* 1,000,000,000,000 entries, more than "
                   r"rosenblatt.layers.MAX_WEIGHT_ENTRIES"),
    # ---------------------------------------------------------------- schedules
    _n("exponential-decay-overflow", lambda: schedules.ExponentialDecay(
        0.1, 10, 1e300).rate(1000), ValueError, "step: the learning rate of ExponentialDecay"),
    _n("exponential-decay-overflow-call", lambda: schedules.ExponentialDecay(0.1, 1, 10.0)(400),
       ValueError, "decay_rate=10.0.* is inf, not a finite number"),
    _n("step-decay-drop-above-one", lambda: schedules.StepDecay(0.1, drop=2, every=3),
       ValueError, r"drop: expected a number in \[0.0, 1.0\], got 2"),
    _n("step-decay-drop-zero", lambda: schedules.StepDecay(0.1, drop=0, every=3), ValueError,
       "drop: expected a number > 0"),
    _n("schedule-rate-negative", lambda: schedules.StepDecay(0.1, 0.5, 3).rate(-1), ValueError,
       "step: expected an integer >= 0, got -1"),
    _n("schedule-rate-str", lambda: schedules.Constant(0.1).rate("x"), ValueError,
       "step: expected an integer >= 0, got 'x'"),
    _n("schedule-rate-float", lambda: schedules.InverseTimeDecay(0.1, 1, 0.5).rate(1.5),
       ValueError, "step: expected an integer"),
    # ---------------------------------------------------------------- Tensor and ops
    _n("tensor-ragged", lambda: rb.Tensor([[1.0, 2.0], [3.0]]), TypeError,
       "Tensor: data: .* ragged"),
    _n("tensor-requires-grad-str", lambda: rb.Tensor([1.0], requires_grad="y"), TypeError,
       "requires_grad: expected True or False"),
    _n("backward-non-scalar", lambda: rb.Tensor([1.0, 2.0], requires_grad=True).backward(),
       ValueError, r"backward\(\): a gradient argument is needed .* shape \(2,\)"),
    _n("backward-no-grad", lambda: rb.Tensor([1.0]).backward(), ValueError,
       r"backward\(\): this tensor does not require a gradient"),
    _n("backward-grad-nan", lambda: (rb.Tensor([1.0], requires_grad=True) * 2).backward(
        np.array([np.nan])), ValueError, r"backward\(\): grad: expected finite numbers"),
    _n("backward-grad-shape", lambda: (rb.Tensor([1.0], requires_grad=True) * 2).backward(
        np.ones(3)), ValueError, r"backward\(\): grad has shape \(3,\), expected \(1,\)"),
    _n("backward-grad-strings", lambda: (rb.Tensor([1.0], requires_grad=True) * 2).backward(
        ["a"]), TypeError, r"backward\(\): grad: expected an array of numbers"),
    _n("mean-axis-str", lambda: rb.Tensor([[1.0]]).mean(axis="a"), TypeError,
       "axis: expected None, an int or a tuple of ints, got str"),
    _n("sum-axis-float", lambda: rb.Tensor([[1.0]]).sum(axis=0.5), TypeError, "axis: expected"),
    _n("sum-axis-out-of-range", lambda: rb.Tensor([[1.0]]).sum(axis=2), ValueError,
       "axis 2 is out of range for a tensor with 2 dimensions"),
    _n("sum-axis-repeated", lambda: rb.Tensor([[1.0]]).sum(axis=(0, -2)), ValueError,
       r"axis: expected distinct axes, got \(0, -2\)"),
    _n("getitem-out-of-range", lambda: rb.Tensor([1.0, 2.0, 3.0])[10], IndexError,
       r"index 10 is invalid for a tensor of shape \(3,\)"),
    _n("power-exponent-str", lambda: rb.power(rb.Tensor([2.0]), "a"), TypeError,
       "power: exponent: expected a number, an array of numbers or a Tensor, got str"),
    _n("power-base-none", lambda: None ** rb.Tensor([2.0]), TypeError, "power: base: expected"),
    _n("clip-nan-low", lambda: rb.clip(rb.Tensor([1.0]), np.nan, 2.0), ValueError,
       r"clip: low: expected None or a number \(not NaN\), got nan"),
    _n("clip-nan-high", lambda: rb.Tensor([1.0]).clip(0.0, float("nan")), ValueError,
       "clip: high: expected"),
    _n("tensor-plus-none", lambda: rb.Tensor([1.0]) + None, TypeError,
       "add: expected a number, an array of numbers or a Tensor, got NoneType"),
    _n("none-times-tensor", lambda: None * rb.Tensor([1.0]), TypeError, "mul: expected"),
    _n("tensor-minus-str", lambda: rb.Tensor([1.0]) - "1", TypeError, "sub: expected"),
    _n("matmul-ragged", lambda: rb.Tensor([[1.0]]) @ [[1.0], [1.0, 2.0]], TypeError,
       "matmul: expected"),
    _n("float-of-three", lambda: float(rb.Tensor([1.0, 2.0, 3.0])), TypeError,
       r"float\(\): expected a tensor with one element, got shape \(3,\)"),
]


def test_the_catalogue_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input_gives_a_clear_error_and_changes_nothing(case):
    check_case(case)


def test_backward_errors_are_value_errors_and_still_runtime_errors():
    assert issubclass(BackwardError, ValueError) and issubclass(BackwardError, RuntimeError)


def test_initializers_read_the_limit_that_layers_set(monkeypatch):
    monkeypatch.setattr(rb.layers, "MAX_WEIGHT_ENTRIES", 12)
    with pytest.raises(ValueError, match=r"shape: a weight of shape \(4, 4\) would have 16"):
        initializers.Zeros()((4, 4))
    assert initializers.Ones()((4, 3)).shape == (4, 3)
    monkeypatch.setattr(rb.layers, "MAX_WEIGHT_ENTRIES", 16)
    assert initializers.Zeros()((4, 4)).shape == (4, 4)


def test_a_monitor_added_by_a_user_callback_is_checked_at_the_epoch_end():
    """Keras' pattern: a callback of the user's adds a value to the logs, EarlyStopping
    monitors it; its name is not known before training, so it is not refused then."""

    class Score(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["score"] = 1.0

    model = _trained()
    history = model.fit(X, Y, epochs=3, verbose=0, callbacks=[
        Score(), callbacks.EarlyStopping(monitor="score", mode="max", patience=1)])
    assert history.history["score"] == [1.0, 1.0]
    assert "early stopping: score" in history.stop_reason


def test_values_added_by_the_library_callbacks_can_be_monitored():
    model = _trained()
    history = model.fit(X, Y, epochs=2, batch_size=12, verbose=0, callbacks=[
        callbacks.GradientTolerance(1e-9),
        callbacks.TargetReached(monitor="grad_norm", target=1e9)])
    assert history.stop_reason.startswith("target reached: grad_norm")


def test_tensor_math_keeps_ieee_semantics_for_division_by_zero_and_overflow():
    """As in NumPy and PyTorch: x / 0 is inf and exp overflows to inf, without an error."""
    with np.errstate(divide="ignore", over="ignore"):
        assert np.isinf((rb.Tensor([1.0]) / 0).data).all()
        assert np.isinf(rb.exp(rb.Tensor([1000.0])).data).all()


def test_a_regularizer_penalty_that_overflows_is_inf():
    with np.errstate(over="ignore"):
        assert regularizers.L2(1e300)(np.array([1e10])) == np.inf

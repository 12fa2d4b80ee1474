"""The bad-input catalogue of the Python API: every case gives a ValueError or TypeError whose
message names the argument (and what was expected), before any work; calls that could change a
model leave its weights, optimizer state and compile settings as they were.

The model-file cases are in test_model_files.py and the command line's in test_cli_*.py.
"""

from dataclasses import dataclass, field

import numpy as np
import pytest
from rosenblatt.classic import Hebbian, LinearNeuron, McCullochPitts, Perceptron
from rosenblatt.layers import Activation, Dense, Dropout, Input

import rosenblatt as rb
from rosenblatt import callbacks, initializers, losses, metrics, optimizers, regularizers, schedules

X = np.random.default_rng(0).normal(size=(12, 3)).astype(np.float32)
Y = (X[:, 0] > 0).astype(int)


def _model(loss="binary_crossentropy", units=1, activation="sigmoid"):
    model = rb.Sequential([Dense(4, activation="tanh", input_dim=3),
                           Dense(units, activation=activation)], seed=0)
    model.compile(optimizers.Adam(0.01), loss, metrics=["accuracy"])
    return model


def _trained():
    model = _model()
    model.fit(X, Y, epochs=1, batch_size=4, verbose=0)
    return model


@dataclass
class Case:
    """``call(model)`` must raise ``error`` matching ``match``; ``model`` is None for cases that
    need none, else a fresh compiled model whose state is compared before and after."""

    id: str
    call: object
    error: type
    match: str
    model: object = field(default=None)


def _m(id, call, error, match, model=_trained):
    return Case(id, call, error, match, model)


def _n(id, call, error, match):
    return Case(id, lambda _: call(), error, match, None)


CASES = [
    # ---------------------------------------------------------------- Tensor and ops
    _n("tensor-of-strings", lambda: rb.Tensor(["a", "b"]), TypeError, "Tensor: expected numbers"),
    _n("tensor-bad-dtype", lambda: rb.Tensor([1.0], dtype="int8"), ValueError, "dtype"),
    _n("sqrt-negative", lambda: rb.sqrt(rb.Tensor([-1.0])), ValueError, "sqrt: input must be"),
    _n("clip-low-above-high", lambda: rb.clip(rb.Tensor([1.0]), 2, 1), ValueError, "clip: low"),
    _n("set-floatx", lambda: rb.set_floatx("float16"), ValueError, "dtype: expected 'float32'"),
    _n("set-seed-negative", lambda: rb.set_seed(-1), ValueError, "seed: expected an integer"),
    _n("set-seed-float", lambda: rb.set_seed(1.5), ValueError, "seed: expected an integer"),
    # ---------------------------------------------------------------- layers
    _n("dense-units-zero", lambda: Dense(0), ValueError, "units: expected an integer > 0"),
    _n("dense-units-float", lambda: Dense(2.5), ValueError, "units: expected an integer"),
    _n("dense-units-str", lambda: Dense("8"), ValueError, "units: expected an integer"),
    _n("dense-units-bool", lambda: Dense(True), ValueError, "units: expected an integer"),
    _n("dense-use-bias-str", lambda: Dense(2, use_bias="False"), TypeError, "use_bias"),
    _n("dense-trainable-int", lambda: Dense(2, trainable=1), TypeError, "trainable"),
    _n("dense-activation", lambda: Dense(2, activation="relux"), ValueError, "activation"),
    _n("dense-activation-type", lambda: Dense(2, activation=3), TypeError, "activation"),
    _n("dense-initializer", lambda: Dense(2, kernel_initializer="he_nrmal"), ValueError,
       "initializer"),
    _n("dense-regularizer", lambda: Dense(2, kernel_regularizer="l3"), ValueError, "regularizer"),
    _n("dense-input-dim-zero", lambda: Dense(2, input_dim=0), ValueError, "input_dim"),
    _n("dense-input-shape-neg", lambda: Dense(2, input_shape=(-1,)), ValueError, "input_shape"),
    _n("dense-both-shapes", lambda: Dense(2, input_dim=2, input_shape=(2,)), ValueError,
       "input_shape or input_dim, not both"),
    _n("dense-dtype", lambda: Dense(2, dtype="int32"), ValueError, "dtype"),
    _n("dense-name-type", lambda: Dense(2, name=5), TypeError, "name: expected a str"),
    _n("dense-on-images", lambda: Dense(2)(np.ones((1, 2, 2))), ValueError, "add a Flatten"),
    _n("dropout-rate-one", lambda: Dropout(1.0), ValueError, r"rate: expected a number in \[0, 1"),
    _n("dropout-rate-neg", lambda: Dropout(-0.1), ValueError, "rate: expected"),
    _n("dropout-rate-str", lambda: Dropout("0.5"), ValueError, "rate: expected"),
    _n("dropout-seed", lambda: Dropout(0.5, seed="1"), TypeError, "seed: expected an int"),
    _n("activation-layer", lambda: Activation("sigmoide"), ValueError, "activation"),
    _n("input-none", lambda: Input(shape=None), TypeError, "shape: expected a tuple"),
    _n("input-neg", lambda: Input(shape=(-2,)), ValueError, "input_shape"),
    _n("input-str", lambda: Input(shape="3"), TypeError, "shape: expected a tuple"),
    _n("layer-set-weights-count", lambda: _built_dense().set_weights([np.ones((3, 2))]),
       ValueError, "expected 2 weight arrays, got 1"),
    _n("layer-set-weights-nan", lambda: _built_dense().set_weights(
        [np.ones((3, 2)), np.array([np.nan, 0])]), ValueError, "bias': expected finite .* nan"),
    _n("layer-set-weights-complex", lambda: _built_dense().set_weights(
        [np.ones((3, 2)) * 1j, np.zeros(2)]), TypeError, "expected an array of numbers"),
    _n("layer-set-weights-str", lambda: _built_dense().set_weights("ab"), TypeError,
       "expected a list of 2 arrays"),
    # ---------------------------------------------------------------- models
    _n("sequential-layer-not-list", lambda: rb.Sequential(Dense(2)), TypeError,
       r"layers: expected a list of layers, got Dense; write Sequential\(\[Dense"),
    _n("sequential-add-int", lambda: rb.Sequential().add(3), TypeError, "add: expected a Layer"),
    _n("sequential-seed", lambda: rb.Sequential(seed=-3), ValueError, "seed: expected"),
    _n("functional-not-symbolic", lambda: rb.Model(np.ones(3), np.ones(3)), TypeError,
       "inputs: expected tensors made by Input"),
    _n("functional-duplicate-names", lambda: _duplicate_names(), ValueError,
       "the name 'dup' is used by two layers"),
    _n("count-params-unbuilt", lambda: rb.Sequential([Dense(2)]).count_params(), ValueError,
       "is not built yet"),
    _n("predict-unbuilt", lambda: rb.Sequential([Dense(2)]).predict(np.ones((1, 2))),
       ValueError, "predict: model .* is not built"),
    _m("compile-no-loss", lambda m: m.compile("adam"), ValueError, "compile: loss is required"),
    _m("compile-bad-optimizer", lambda m: m.compile("adamm", "mse"), ValueError, "optimizer"),
    _m("compile-bad-loss", lambda m: m.compile("adam", "mse2"), ValueError, "loss"),
    _m("compile-bad-metric", lambda m: m.compile("adam", "mse", metrics=["acc2"]), ValueError,
       "metric"),
    _m("set-weights-count", lambda m: m.set_weights(m.get_weights()[:-1]), ValueError,
       "set_weights: expected 4 arrays, got 3"),
    _m("set-weights-last-bad-shape", lambda m: m.set_weights([*m.get_weights()[:-1],
                                                               np.ones(2)]), ValueError,
       r"set_weights: .* has shape \(1,\), got \(2,\)"),
    _m("set-weights-last-nan", lambda m: m.set_weights([*m.get_weights()[:-1],
                                                         np.array([np.nan])]), ValueError,
       "set_weights: .* expected finite numbers, found nan"),
    _m("set-weights-last-inf", lambda m: m.set_weights([*m.get_weights()[:-1],
                                                         np.array([np.inf])]), ValueError,
       "set_weights: .* expected finite numbers, found inf"),
    _m("set-weights-complex", lambda m: m.set_weights([w + 0j for w in m.get_weights()]),
       TypeError, "set_weights: .* expected an array of numbers"),
    _m("set-weights-bool", lambda m: m.set_weights([w > 0 for w in m.get_weights()]),
       TypeError, "set_weights: .* booleans"),
    _m("set-weights-object", lambda m: m.set_weights(5), TypeError,
       "set_weights: expected a list of 4 arrays, got int"),
    _m("set-weights-strings", lambda m: m.set_weights([np.array(["a"] * 12).reshape(3, 4),
                                                        *m.get_weights()[1:]]), TypeError,
       "set_weights: .* expected an array of numbers"),
    # ---------------------------------------------------------------- fit / evaluate / predict
    _m("fit-x-none", lambda m: m.fit(None, Y, verbose=0), ValueError, "x: expected an array"),
    _m("fit-y-none", lambda m: m.fit(X, None, verbose=0), TypeError, "y: expected an array"),
    _m("fit-x-strings", lambda m: m.fit([["a"] * 3] * 12, Y, verbose=0), TypeError, "x:"),
    _m("fit-x-nan", lambda m: m.fit(np.full((12, 3), np.nan), Y, verbose=0), ValueError,
       "x: expected finite numbers, found nan"),
    _m("fit-x-wrong-width", lambda m: m.fit(X[:, :2], Y, verbose=0), ValueError,
       r"x: the model expects samples of shape \(3,\)"),
    _m("fit-lengths", lambda m: m.fit(X, Y[:5], verbose=0), ValueError,
       "x and y must have the same number of samples"),
    _m("fit-batch-zero", lambda m: m.fit(X, Y, batch_size=0, verbose=0), ValueError,
       "batch_size: expected an integer >= 1 or None"),
    _m("fit-batch-float", lambda m: m.fit(X, Y, batch_size=2.5, verbose=0), ValueError,
       "batch_size"),
    _m("fit-batch-neg", lambda m: m.fit(X, Y, batch_size=-1, verbose=0), ValueError,
       "batch_size"),
    _m("fit-epochs-neg", lambda m: m.fit(X, Y, epochs=-1, verbose=0), ValueError, "epochs"),
    _m("fit-epochs-float", lambda m: m.fit(X, Y, epochs=1.5, verbose=0), ValueError, "epochs"),
    _m("fit-verbose", lambda m: m.fit(X, Y, verbose=3), ValueError, "verbose: expected 0, 1, 2"),
    _m("fit-validation-split", lambda m: m.fit(X, Y, validation_split=1.5, verbose=0),
       ValueError, "validation_split"),
    _m("fit-validation-data", lambda m: m.fit(X, Y, validation_data=X, verbose=0), ValueError,
       r"validation_data: expected a tuple \(x_val, y_val\)"),
    _m("fit-validation-data-4", lambda m: m.fit(X, Y, validation_data=(X, Y, Y, Y), verbose=0),
       ValueError, "validation_data: .* of length 4"),
    _m("fit-labels-out-of-range", lambda m: m.fit(X, Y + 5, verbose=0), ValueError,
       r"y: binary_crossentropy needs targets in \[0, 1\]"),
    _m("fit-labels-bipolar", lambda m: m.fit(X, 2 * Y - 1, verbose=0), ValueError,
       r"map labels \{-1, 1\} to \{0, 1\}"),
    _m("fit-sparse-out-of-range", lambda m: m.fit(X, Y + 3, verbose=0), ValueError,
       r"y: class labels must be in \[0, 1\]",
       model=lambda: _model("sparse_categorical_crossentropy", 2, "softmax")),
    _m("fit-sparse-fractional", lambda m: m.fit(X, Y + 0.5, verbose=0), ValueError,
       "y: sparse categorical labels must be integers",
       model=lambda: _model("sparse_categorical_crossentropy", 2, "softmax")),
    _m("fit-categorical-1d", lambda m: m.fit(X, Y, verbose=0), ValueError,
       "categorical_crossentropy needs one-hot rows",
       model=lambda: _model("categorical_crossentropy", 2, "softmax")),
    _m("fit-uncompiled", lambda m: rb.Sequential([Dense(1, input_dim=3)]).fit(X, Y, verbose=0),
       ValueError, "fit: the model is not compiled"),
    _m("evaluate-batch-neg", lambda m: m.evaluate(X, Y, batch_size=-1), ValueError,
       "batch_size: expected an integer >= 1 or None"),
    _m("evaluate-batch-zero", lambda m: m.evaluate(X, Y, batch_size=0), ValueError,
       "batch_size"),
    _m("evaluate-batch-float", lambda m: m.evaluate(X, Y, batch_size=2.5), ValueError,
       "batch_size"),
    _m("evaluate-empty", lambda m: m.evaluate(X[:0], Y[:0]), ValueError,
       "x: expected at least one sample"),
    _m("fit-empty", lambda m: m.fit(X[:0], Y[:0], verbose=0), ValueError,
       "x: expected at least one sample"),
    _m("predict-empty", lambda m: m.predict(X[:0]), ValueError, "x: expected at least one"),
    _m("predict-batch-neg", lambda m: m.predict(X, batch_size=-1), ValueError, "batch_size"),
    _m("predict-batch-float", lambda m: m.predict(X, batch_size=2.5), ValueError, "batch_size"),
    _m("predict-wrong-width", lambda m: m.predict(np.ones((2, 4))), ValueError,
       r"x: the model expects samples of shape \(3,\)"),
    _m("predict-nan", lambda m: m.predict(np.array([[0, np.nan, 0]])), ValueError, "x"),
    _m("predict-strings", lambda m: m.predict([["a", "b", "c"]]), TypeError, "x: expected"),
    _m("fit-callbacks-not-list", lambda m: m.fit(X, Y, callbacks=callbacks.EarlyStopping(),
                                                  verbose=0), TypeError,
       "callbacks: expected a list of callbacks, got EarlyStopping"),
    _m("fit-callbacks-junk", lambda m: m.fit(X, Y, callbacks=[3], verbose=0), TypeError,
       "callbacks: expected Callback objects, got int"),
    _m("fit-nothing-trainable", lambda m: _frozen(m).fit(X, Y, verbose=0), ValueError,
       "fit: the model .* has no trainable weights"),
    # ---------------------------------------------------------------- optimizers
    _n("sgd-lr-inf", lambda: optimizers.SGD(learning_rate=np.inf), ValueError, "learning_rate"),
    _n("sgd-lr-nan", lambda: optimizers.SGD(learning_rate=np.nan), ValueError, "learning_rate"),
    _n("sgd-lr-neg", lambda: optimizers.SGD(learning_rate=-0.1), ValueError, "learning_rate"),
    _n("sgd-lr-str", lambda: optimizers.SGD(learning_rate="0.1"), TypeError, "learning_rate"),
    _n("sgd-momentum-neg", lambda: optimizers.SGD(momentum=-0.5), ValueError, "momentum"),
    _n("sgd-momentum-big", lambda: optimizers.SGD(momentum=1.5), ValueError, "momentum"),
    _n("sgd-nesterov-str", lambda: optimizers.SGD(momentum=0.9, nesterov="yes"), TypeError,
       "nesterov"),
    _n("adam-beta1", lambda: optimizers.Adam(beta_1=1.0), ValueError, "beta_1"),
    _n("adam-beta2", lambda: optimizers.Adam(beta_2=-0.1), ValueError, "beta_2"),
    _n("adam-eps-zero", lambda: optimizers.Adam(epsilon=0), ValueError, "epsilon"),
    _n("adam-eps-inf", lambda: optimizers.Adam(epsilon=np.inf), ValueError, "epsilon"),
    _n("adam-amsgrad", lambda: optimizers.Adam(amsgrad="no"), TypeError, "amsgrad"),
    _n("rmsprop-rho", lambda: optimizers.RMSprop(rho=1.5), ValueError, "rho"),
    _n("adagrad-eps", lambda: optimizers.Adagrad(epsilon=-1), ValueError, "epsilon"),
    _n("adamw-decay", lambda: optimizers.AdamW(weight_decay=-1), ValueError, "weight_decay"),
    _n("clipnorm", lambda: optimizers.SGD(clipnorm=0), ValueError, "clipnorm"),
    _n("clipvalue", lambda: optimizers.SGD(clipvalue=-1), ValueError, "clipvalue"),
    _n("optimizer-get", lambda: optimizers.get(3), TypeError, "optimizer"),
    # ---------------------------------------------------------------- schedules
    _n("exp-decay-steps", lambda: schedules.ExponentialDecay(0.1, 0, 0.5), ValueError,
       "decay_steps"),
    _n("exp-decay-rate", lambda: schedules.ExponentialDecay(0.1, 10, -0.5), ValueError,
       "decay_rate"),
    _n("exp-decay-lr", lambda: schedules.ExponentialDecay(np.inf, 10, 0.5), ValueError,
       "learning_rate"),
    _n("piecewise", lambda: schedules.PiecewiseConstantDecay([10, 5], [1.0, 0.5, 0.1]),
       ValueError, "boundaries"),
    _n("piecewise-count", lambda: schedules.PiecewiseConstantDecay([10], [1.0]), ValueError,
       "values"),
    # ---------------------------------------------------------------- losses, metrics, others
    _n("loss-reduction", lambda: losses.MeanSquaredError(reduction="avg"), ValueError,
       "reduction: expected one of"),
    _n("huber-delta", lambda: losses.Huber(delta=0), ValueError, "delta"),
    _n("loss-shapes", lambda: losses.MeanSquaredError()(np.ones((4, 1)), np.ones(4)),
       ValueError, "shape"),
    _n("loss-get", lambda: losses.get("mean_sqared_error"), ValueError, "mean_squared_error"),
    _n("cce-rows-not-one", lambda: losses.CategoricalCrossentropy()(
        np.array([[0.5, 0.2]]), rb.Tensor([[0.5, 0.5]])), ValueError, "sum to 1"),
    _n("metric-lengths", lambda: metrics.accuracy([0, 1], [0.1, 0.2, 0.3]), ValueError,
       "same number of samples"),
    _n("metric-get", lambda: metrics.get("acuracy"), ValueError, "accuracy"),
    _n("initializer-scale", lambda: initializers.VarianceScaling(scale=0), ValueError, "scale"),
    _n("initializer-mode", lambda: initializers.VarianceScaling(mode="fan"), ValueError, "mode"),
    _n("random-uniform", lambda: initializers.RandomUniform(1.0, -1.0), ValueError, "minval"),
    _n("l2-negative", lambda: regularizers.L2(-0.1), ValueError, "l2"),
    _n("l1-inf", lambda: regularizers.L1(np.inf), ValueError, "l1"),
    # ---------------------------------------------------------------- callbacks
    _n("early-stopping-patience", lambda: callbacks.EarlyStopping(patience=-1), ValueError,
       "patience"),
    _n("early-stopping-mode", lambda: callbacks.EarlyStopping(mode="up"), ValueError, "mode"),
    _n("target-reached-mode", lambda: callbacks.TargetReached(mode="lower"), ValueError, "mode"),
    _n("gradient-tolerance", lambda: callbacks.GradientTolerance(epsilon=-1), ValueError,
       "epsilon"),
    _n("forgetting-rate", lambda: callbacks.ForgettingRate(forgetting_rate=1.5), ValueError,
       "forgetting_rate"),
    _n("lambda-callback", lambda: callbacks.LambdaCallback(on_epoch_end=3), TypeError,
       "on_epoch_end"),
    # ---------------------------------------------------------------- classic neurons
    _n("perceptron-lr-inf", lambda: Perceptron(learning_rate=np.inf).fit(X, Y), ValueError,
       "learning_rate"),
    _n("hebbian-lr-inf", lambda: Hebbian(learning_rate=np.inf).fit(X, Y), ValueError,
       "learning_rate"),
    _n("perceptron-lr-neg", lambda: Perceptron(learning_rate=-1).fit(X, Y), ValueError,
       "learning_rate"),
    _n("perceptron-epochs", lambda: Perceptron(max_epochs=0).fit(X, Y), ValueError,
       "max_epochs"),
    _n("perceptron-lengths", lambda: Perceptron().fit(X, Y[:3]), ValueError, "same number"),
    _n("mp-threshold", lambda: McCullochPitts(weights=[1, 1], threshold="2"), TypeError,
       "threshold"),
    _n("mp-truth-table-huge", lambda: McCullochPitts(weights=[1] * 2, threshold=1)
       .truth_table(n_inputs=64), ValueError, "n_inputs"),
    _n("linear-neuron-nan", lambda: LinearNeuron().fit(np.full((3, 2), np.nan), [1, 2, 3]),
       ValueError, "X: expected finite numbers, found nan"),
]


def _built_dense():
    layer = Dense(2)
    layer(np.ones((1, 3), np.float32))
    return layer


def _duplicate_names():
    inputs = Input(shape=(2,))
    return rb.Model(inputs, Dense(1, name="dup")(Dense(2, name="dup")(inputs)))


def _frozen(model):
    for layer in model.layers:
        layer.trainable = False
    return model


def _state(model):
    state = {"weights": [w.copy() for w in model.get_weights()],
             "optimizer": type(model.optimizer), "loss": type(model.loss),
             "built": model.built, "layers": list(model.layers)}
    if model.optimizer is not None:
        state["slots"] = {k: np.array(v, copy=True)
                          for k, v in model.optimizer.get_state().items()}
    return state


def _assert_same_state(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if key in ("weights",):
            assert all(np.array_equal(x, y) for x, y in zip(a[key], b[key], strict=True))
        elif key == "slots":
            assert a[key].keys() == b[key].keys()
            assert all(np.array_equal(a[key][k], b[key][k]) for k in a[key])
        else:
            assert a[key] == b[key], key


def test_the_catalogue_is_large_and_its_ids_unique():
    ids = [case.id for case in CASES]
    assert len(set(ids)) == len(ids)
    assert len(ids) >= 100


def check_case(case: Case) -> None:
    """``case`` raises its error, and the model it may change is as it was."""
    model = None if case.model is None else case.model()
    before = None if model is None else _state(model)
    with pytest.raises(case.error, match=case.match):
        case.call(model)
    if model is not None:
        _assert_same_state(before, _state(model))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input_gives_a_clear_error_and_changes_nothing(case):
    check_case(case)


def test_a_fit_refused_for_its_targets_leaves_an_unbuilt_model_unbuilt():
    model = rb.Sequential([Dense(4, activation="tanh"), Dense(1, activation="sigmoid")], seed=3)
    model.compile("adam", "binary_crossentropy")
    draws = model._rng.bit_generator.state
    with pytest.raises(ValueError, match=r"y: binary_crossentropy needs targets in \[0, 1\]"):
        model.fit(X, Y + 2, verbose=0)
    assert not model.built and model.input_shape is None
    assert all(not layer.built and not layer.weights for layer in model.layers)
    assert model._rng.bit_generator.state == draws
    model.fit(X, Y, epochs=1, verbose=0)  # and it builds and trains as a fresh model does
    twin = rb.Sequential([Dense(4, activation="tanh"), Dense(1, activation="sigmoid")], seed=3)
    twin.compile("adam", "binary_crossentropy")
    twin.fit(X, Y, epochs=1, verbose=0)
    for a, b in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_categorical_targets_must_be_distributions_in_fit():
    model = _model("categorical_crossentropy", 2, "softmax")
    with pytest.raises(ValueError, match="y: categorical_crossentropy needs target rows that "
                                         "sum to 1.* row 0 summing to 2"):
        model.fit(X, np.ones((12, 2)), verbose=0)


@pytest.mark.parametrize("call, match", [
    (lambda m: m.fit(X, Y, shuffle="yes", verbose=0), "shuffle: expected True or False"),
    (lambda m: m.evaluate(X, Y, return_dict="y"), "return_dict: expected True or False"),
])
def test_flags_must_be_bools(call, match):
    model = _trained()
    before = _state(model)
    with pytest.raises(TypeError, match=match):
        call(model)
    _assert_same_state(before, _state(model))


def test_softmax_over_one_unit_is_refused():
    with pytest.raises(ValueError, match="activation: softmax over a single unit is always 1; "
                                         "use 'sigmoid'"):
        Dense(1, activation="softmax")
    assert Dense(2, activation="softmax").units == 2

"""Models travel between processes: pickling goes through the safe model format (JSON and
arrays), and a round trip predicts identically and continues training bit-identically."""

import io
import pickle
import pickletools

import numpy as np
import pytest
from rosenblatt.layers import Dense, Dropout, Input

import rosenblatt as rb
from rosenblatt.models.saving import ModelFileError


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    return X, (X[:, 0] * X[:, 1] > 0).astype(np.float32)


def _sequential():
    model = rb.Sequential([Dense(6, activation="tanh", input_dim=3), Dropout(0.2),
                           Dense(1, activation="sigmoid")], seed=1)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _functional():
    inputs = Input((3,))
    outputs = Dense(1, activation="sigmoid")(Dense(5, activation="relu")(inputs))
    model = rb.Model(inputs, outputs, seed=2)
    model.compile(optimizer=rb.optimizers.SGD(0.1, momentum=0.9), loss="binary_crossentropy")
    return model


def round_trips():
    """(name, trip) for pickle, joblib and cloudpickle (those installed): each trip sends an
    object there and back, as transport between processes does."""
    trips = [("pickle", lambda m: pickle.loads(pickle.dumps(m)))]
    try:
        import joblib
    except ImportError:
        joblib = None
    if joblib is not None:
        def through_joblib(model):
            buffer = io.BytesIO()
            joblib.dump(model, buffer)
            buffer.seek(0)
            return joblib.load(buffer)

        trips.append(("joblib", through_joblib))
    try:
        import cloudpickle
    except ImportError:
        return trips
    trips.append(("cloudpickle", lambda m: pickle.loads(cloudpickle.dumps(m))))
    return trips


@pytest.mark.parametrize(("how", "trip"), round_trips(), ids=[t[0] for t in round_trips()])
@pytest.mark.parametrize("make", [_sequential, _functional], ids=["sequential", "functional"])
def test_round_trip_predicts_and_trains_identically(how, trip, make):
    X, y = _data()
    model = make()
    model.fit(X, y, epochs=3, batch_size=8, verbose=0)
    copy = trip(model)
    assert type(copy) is type(model) and copy.name == model.name
    np.testing.assert_array_equal(copy.predict(X), model.predict(X))
    assert copy.optimizer.iterations == model.optimizer.iterations
    for m in (model, copy):
        m.fit(X, y, epochs=3, batch_size=8, verbose=0)
    for mine, theirs in zip(copy.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_pickled_bytes_hold_only_the_class_and_the_model_file():
    model = _sequential()
    model.fit(*_data(), epochs=1, verbose=0)
    data = pickle.dumps(model)
    globals_ = [arg for op, arg, _ in pickletools.genops(data)
                if op.name in ("GLOBAL", "SHORT_BINUNICODE", "BINUNICODE")]
    assert globals_ == ["rosenblatt.models.sequential", "Sequential", "model_file"]
    assert b"__model__.json" in data  # the safe format, in the bytes


def test_unbuilt_and_uncompiled_models_travel_too():
    model = rb.Sequential([Dense(2, activation="relu")])
    copy = pickle.loads(pickle.dumps(model))
    assert not copy.built and copy.optimizer is None
    copy.build((4,))
    assert copy.predict(np.zeros((1, 4))).shape == (1, 2)


def test_subclassed_model_is_refused_clearly():
    class Tiny(rb.Model):
        def __init__(self):
            super().__init__()
            self.dense = Dense(1)

        def call(self, x):
            return self.dense(x)

    with pytest.raises(TypeError, match="subclassed model: its architecture is Python code"):
        pickle.dumps(Tiny())


def test_setstate_refuses_other_states():
    model = rb.Sequential.__new__(rb.Sequential)
    with pytest.raises(TypeError, match=r"__setstate__: expected \{'model_file': bytes\}, got "
                                        "dict"):
        model.__setstate__({"weights": [1, 2]})
    assert model.__dict__ == {}
    with pytest.raises(ModelFileError, match="<pickled Sequential> is not a rosenblatt model"):
        model.__setstate__({"model_file": b"not a zip archive"})
    assert model.__dict__ == {}


def test_activations_pickle_by_name_and_stay_the_registered_object():
    from rosenblatt.nn import activations

    for name in activations.names():
        assert pickle.loads(pickle.dumps(activations.get(name))) is activations.get(name)
    layer = pickle.loads(pickle.dumps(Dense(3, activation="softmax")))
    assert layer.activation is activations.softmax_activation
    with pytest.raises(TypeError, match="leaky_relu.*is not a registered activation, so it "
                                        "cannot be pickled"):
        pickle.dumps(activations.leaky_relu_activation(0.1))

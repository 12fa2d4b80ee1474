"""Training graphs: the "Training & evaluation with the built-in methods" guide of Keras
(sample and class weights, several outputs with their own losses, generators of batches,
validation_freq), models of several inputs and outputs saved and resumed bit-identically,
the rest of the model API, and clear errors for bad inputs."""

import numpy as np
import pytest

import rosenblatt as keras
from rosenblatt import layers

RNG = np.random.default_rng(1)


def _classifier(seed=0):
    inputs = keras.Input(shape=(8,), name="digits")
    x = layers.Dense(16, activation="relu", name="dense_1")(inputs)
    outputs = layers.Dense(4, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs, seed=seed)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


X = RNG.random((40, 8)).astype("float32")
Y = X[:, :4].argmax(axis=1)


def test_sample_weight_weighs_the_loss_as_the_weighted_mean():
    model = _classifier()
    sample_weight = np.ones(shape=(len(Y),))
    sample_weight[Y == 3] = 2.0
    p = model.predict(X)
    per_sample = -np.log(p[np.arange(len(Y)), Y])
    expected = np.mean(sample_weight * per_sample)  # Keras: (1/n) sum_i s_i l_i
    assert model.evaluate(X, Y, sample_weight=sample_weight)[0] == pytest.approx(expected,
                                                                                   rel=1e-5)
    model.fit(X, Y, sample_weight=sample_weight, batch_size=8, epochs=1, verbose=0)


def test_class_weight_equals_the_sample_weights_of_the_labels():
    class_weight = {0: 1.0, 1: 1.0, 2: 1.0, 3: 2.0}
    by_class, by_sample = _classifier(), _classifier()
    by_class.fit(X, Y, class_weight=class_weight, batch_size=8, epochs=2, verbose=0)
    weights = np.where(Y == 3, 2.0, 1.0)
    by_sample.fit(X, Y, sample_weight=weights, batch_size=8, epochs=2, verbose=0)
    for a, b in zip(by_class.get_weights(), by_sample.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_unit_weights_train_as_no_weights():
    plain, weighted = _classifier(), _classifier()
    plain.fit(X, Y, batch_size=8, epochs=2, verbose=0)
    weighted.fit(X, Y, sample_weight=np.ones(len(Y)), batch_size=8, epochs=2, verbose=0)
    for a, b in zip(plain.get_weights(), weighted.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_generator_of_batches_with_steps_per_epoch():
    def batches():
        while True:
            for start in range(0, 40, 8):
                yield X[start:start + 8], Y[start:start + 8]

    from_generator, from_arrays = _classifier(), _classifier()
    from_generator.fit(batches(), steps_per_epoch=5, epochs=2, verbose=0)
    from_arrays.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(from_generator.get_weights(), from_arrays.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

    class Batches:  # an iterable that starts again each epoch (as a Keras PyDataset)
        def __iter__(self):
            return iter([(X[:20], Y[:20], np.ones(20)), (X[20:], Y[20:], np.ones(20))])

    weighted, plain = _classifier(), _classifier()
    history = weighted.fit(Batches(), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    plain.fit(X, Y, batch_size=20, epochs=3, shuffle=False, verbose=0)
    for a, b in zip(weighted.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_validation_freq():
    model = _classifier()
    history = model.fit(X, Y, epochs=4, validation_split=0.25, validation_freq=2, verbose=0)
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    history = model.fit(X, Y, epochs=3, validation_data=(X, Y), validation_freq=[1, 3],
                        verbose=0)
    assert len(history.history["val_loss"]) == 2


def _graph(seed=0):
    """Two inputs, a shared layer, a nested model and two outputs."""
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(4,), name="b")
    shared = layers.Dense(6, activation="tanh", name="shared")
    inner_in = keras.Input(shape=(6,), name="inner_in")
    inner = keras.Model(inner_in, layers.Dense(3, activation="relu", name="inner_dense")(
        inner_in), name="inner", seed=seed)
    merged = layers.add([shared(a), shared(b)])
    hidden = inner(merged)
    yes = layers.Dense(1, activation="sigmoid", name="yes")(hidden)
    size = layers.Dense(2, name="size")(layers.concatenate([hidden, shared(a)]))
    model = keras.Model({"a": a, "b": b}, [yes, size], seed=seed)
    model.compile("adam", {"yes": "binary_crossentropy", "size": "mse"},
                  metrics={"yes": ["accuracy"]}, loss_weights=[1.0, 0.5])
    return model


XA, XB = RNG.random((24, 4)), RNG.random((24, 4))
YES, SIZE = (XA[:, :1] > XB[:, :1]).astype(float), RNG.random((24, 2))


def test_graph_saves_loads_and_resumes_bit_identically(tmp_path):
    data = ({"a": XA, "b": XB}, {"yes": YES, "size": SIZE})
    uninterrupted = _graph()
    uninterrupted.fit(*data, epochs=4, batch_size=5, verbose=0)
    model = _graph()
    model.fit(*data, epochs=2, batch_size=5, verbose=0)
    model.save(tmp_path / "graph.npz")
    loaded = keras.models.load_model(tmp_path / "graph.npz")
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert loaded.output_names == ["yes", "size"] and loaded.input_names == ["a", "b"]
    assert model.summary(print_fn=None) == loaded.summary(print_fn=None)
    for p, q in zip(model.predict([XA, XB]), loaded.predict([XA, XB]), strict=True):
        np.testing.assert_array_equal(p, q)
    loaded.fit(*data, epochs=2, batch_size=5, verbose=0)
    for p, q in zip(uninterrupted.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_json_clone_and_batch_methods():
    model = _graph()
    rebuilt = keras.models.model_from_json(model.to_json())
    assert rebuilt.get_config() == model.get_config()
    clone = keras.models.clone_model(model)
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    assert all(c is not w for c, w in zip(clone.weights, model.weights, strict=True))
    before = model.test_on_batch([XA, XB], [YES, SIZE])
    after = model.train_on_batch([XA, XB], [YES, SIZE])
    assert after[0] == pytest.approx(before[0], rel=1e-6)  # the loss before the update
    assert model.test_on_batch([XA, XB], [YES, SIZE])[0] < before[0]
    out = model.predict_on_batch([XA, XB])
    assert [o.shape for o in out] == [(24, 1), (24, 2)]
    assert model.get_layer(index=0).name == "a"
    assert model.inputs[0].name == "a" and model.outputs[1].shape == (None, 2)


# --------------------------------------------------------------------------- bad inputs
def _unchanged(model, call):
    before = [w.copy() for w in model.get_weights()]
    call()
    for p, q in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.fit({"a": XA}, [YES, SIZE], verbose=0), ValueError,
     r"x: expected a dict keyed by the model's inputs \['a', 'b'\], missing \['b'\]"),
    (lambda m: m.fit([XA, XB[:10]], [YES, SIZE], verbose=0), ValueError,
     r"x: every array needs the same number of samples, got 'a': 24, 'b': 10"),
    (lambda m: m.fit([XA, XB], {"yes": YES}, verbose=0), ValueError,
     r"y: expected a dict keyed by the model's outputs .* missing \['size'\]"),
    (lambda m: m.fit([XA, XB], [YES, SIZE[:, :1]], verbose=0), ValueError,
     r"y\['size'\] of shape \(24, 1\) does not match"),
    (lambda m: m.fit(XA, [YES, SIZE], verbose=0), ValueError,
     r"x: the model has 2 inputs \['a', 'b'\]"),
    (lambda m: m.fit([XA, XB], [YES, SIZE], sample_weight=np.ones(3), verbose=0), ValueError,
     r"sample_weight: expected one weight per sample, shape \(24,\)"),
    (lambda m: m.fit([XA, XB], [YES, SIZE], class_weight={0: 1, 1: 2}, verbose=0), ValueError,
     "class_weight: only for models with one output"),
    (lambda m: m.fit([XA, XB], [YES, SIZE], validation_freq=0, verbose=0), ValueError,
     "validation_freq: expected an integer >= 1"),
    (lambda m: m.fit([XA, XB], [YES, SIZE], steps_per_epoch=0, verbose=0), ValueError,
     "steps_per_epoch: expected an integer >= 1"),
    (lambda m: m.fit(iter([(XA, YES)]), YES, verbose=0), ValueError,
     "y: not used when x is a generator"),
    (lambda m: m.get_layer("nope"), ValueError, r"name: no layer 'nope'"),
    (lambda m: m.get_layer(index=99), ValueError, r"index: expected an integer in \[0, "),
    (lambda m: m.get_layer(), ValueError, "get_layer: give exactly one of name and index"),
])
def test_bad_inputs_are_refused_and_change_nothing(call, error, message):
    model = _graph()
    with pytest.raises(error, match=message):
        _unchanged(model, lambda: call(model))
    _unchanged(model, lambda: pytest.raises(error, call, model))


def test_bad_compile_arguments_and_generators():
    model = _graph()
    with pytest.raises(ValueError, match=r"loss: unknown output names \['no'\]"):
        model.compile("sgd", {"no": "mse"})
    with pytest.raises(ValueError, match=r"loss: expected one entry per output \(2"):
        model.compile("sgd", ["mse"] * 3)
    with pytest.raises(TypeError, match="loss_weights: expected finite numbers"):
        model.compile("sgd", "mse", loss_weights=["x", 1.0])
    with pytest.raises(ValueError, match=r"x: batch 1 of the generator: expected a tuple"):
        _classifier().fit(iter([X]), verbose=0)
    with pytest.raises(ValueError, match="x: the generator of batches gave no batch"):
        _classifier().fit(iter([]), verbose=0)
    with pytest.raises(ValueError, match=r"class_weight: no weight for the classes \[3\]"):
        _classifier().fit(X, Y, class_weight={0: 1, 1: 1, 2: 1}, verbose=0)
    with pytest.raises(TypeError, match="class_weight: expected a dict"):
        _classifier().fit(X, Y, class_weight=[1, 2], verbose=0)
    with pytest.raises(ValueError, match="validation_data: expected a tuple"):
        _classifier().fit(X, Y, validation_data=(X,), verbose=0)
    with pytest.raises(TypeError, match="pop: model 'empty' has no layers"):
        keras.Sequential(name="empty").pop()
    with pytest.raises(TypeError, match="json_string: expected a str"):
        keras.models.model_from_json(3)
    with pytest.raises(ValueError, match="json_string: expected"):
        keras.models.model_from_json('{"class_name": "Evil", "config": {}}')
    with pytest.raises(TypeError, match="model: expected a Model or Sequential"):
        keras.models.clone_model(3)

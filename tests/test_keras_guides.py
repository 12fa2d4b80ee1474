"""The Dense-only programs of Keras' guides "The Sequential model" and "The Functional API",
written as the guides write them with only the import changed (``import rosenblatt as
keras``), on small synthetic data and a small MNIST that the tests write as IDX files
(``conftest.mnist_dir``). The third guide, "Training & evaluation with the built-in methods",
is in test_keras_guide_training.py.
"""

import numpy as np
import pytest

import rosenblatt as keras
from rosenblatt import layers

RNG = np.random.default_rng(0)


# --------------------------------------------------------------------- "The Sequential model"
def test_sequential_guide():
    model = keras.Sequential(
        [
            layers.Dense(2, activation="relu", name="layer1"),
            layers.Dense(3, activation="relu", name="layer2"),
            layers.Dense(4, name="layer3"),
        ]
    )
    x = np.ones((3, 3))
    y = model(x)
    assert y.shape == (3, 4)
    assert [layer.name for layer in model.layers] == ["layer1", "layer2", "layer3"]
    model.pop()
    assert len(model.layers) == 2

    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(layers.Dense(2, activation="relu"))
    assert len(model.weights) == 2
    model.summary(print_fn=None)

    initial_model = keras.Sequential(
        [
            keras.Input(shape=(25,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(32, activation="relu", name="my_intermediate_layer"),
            layers.Dense(32, activation="relu"),
        ]
    )
    feature_extractor = keras.Model(
        inputs=initial_model.inputs,
        outputs=initial_model.get_layer(name="my_intermediate_layer").output,
    )
    x = np.ones((1, 25), dtype="float32")
    features = feature_extractor(x)
    assert features.shape == (1, 32)


def test_sequential_guide_feature_extraction_of_every_layer():
    initial_model = keras.Sequential(
        [keras.Input(shape=(25,)), layers.Dense(8, activation="relu"), layers.Dense(4)]
    )
    feature_extractor = keras.Model(
        inputs=initial_model.inputs,
        outputs=[layer.output for layer in initial_model.layers],
    )
    features = feature_extractor(np.ones((1, 25), dtype="float32"))
    assert [f.shape for f in features] == [(1, 8), (1, 4)]
    np.testing.assert_allclose(features[1].data, initial_model.predict(np.ones((1, 25))),
                               rtol=1e-6)


# --------------------------------------------------------------------- "The Functional API"
def test_functional_guide_mnist_model_trains_evaluates_saves(tmp_path, mnist_dir):
    inputs = keras.Input(shape=(784,))
    assert inputs.shape == (None, 784) and inputs.dtype == "float32"
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
    text = model.summary(print_fn=None)
    assert "mnist_model" in text and "Total params: 55,050" in text

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data(path=mnist_dir)
    x_train = x_train.reshape(600, 784).astype("float32") / 255
    x_test = x_test.reshape(200, 784).astype("float32") / 255
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.RMSprop(),
        metrics=["accuracy"],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2,
                        verbose=0)
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    test_scores = model.evaluate(x_test, y_test, verbose=2)
    assert len(test_scores) == 2

    model.save(tmp_path / "my_model.npz")
    del model
    model = keras.models.load_model(tmp_path / "my_model.npz")
    assert model.evaluate(x_test, y_test)[0] == pytest.approx(test_scores[0], rel=1e-6)


def test_functional_guide_autoencoder_of_models_used_as_layers():
    encoder_input = keras.Input(shape=(28,), name="original_img")
    x = layers.Dense(16, activation="relu")(encoder_input)
    encoder_output = layers.Dense(4, activation="relu")(x)
    encoder = keras.Model(encoder_input, encoder_output, name="encoder")

    decoder_input = keras.Input(shape=(4,), name="encoded_img")
    x = layers.Dense(16, activation="relu")(decoder_input)
    decoder_output = layers.Dense(28)(x)
    decoder = keras.Model(decoder_input, decoder_output, name="decoder")

    autoencoder_input = keras.Input(shape=(28,), name="img")
    encoded_img = encoder(autoencoder_input)
    decoded_img = decoder(encoded_img)
    autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")
    assert [layer.name for layer in autoencoder.layers] == ["img", "encoder", "decoder"]
    assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()

    x = RNG.random((32, 28)).astype("float32")
    np.testing.assert_allclose(autoencoder.predict(x), decoder.predict(encoder.predict(x)),
                               rtol=1e-5, atol=1e-6)
    autoencoder.compile("adam", "mse")
    before = encoder.get_weights()[0].copy()
    autoencoder.fit(x, x, epochs=1, batch_size=8, verbose=0)
    assert not np.array_equal(before, encoder.get_weights()[0])  # weights shared


def test_functional_guide_ensemble_of_models():
    def get_model():
        inputs = keras.Input(shape=(128,))
        outputs = layers.Dense(1)(inputs)
        return keras.Model(inputs, outputs)

    model1, model2, model3 = get_model(), get_model(), get_model()
    inputs = keras.Input(shape=(128,))
    y1, y2, y3 = model1(inputs), model2(inputs), model3(inputs)
    outputs = layers.average([y1, y2, y3])
    ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
    x = RNG.random((5, 128)).astype("float32")
    expected = (model1.predict(x) + model2.predict(x) + model3.predict(x)) / 3
    np.testing.assert_allclose(ensemble_model.predict(x), expected, rtol=1e-5, atol=1e-6)


def _ticket_data(n=64, num_words=40, num_tags=12, num_departments=4):
    title = RNG.integers(0, 2, size=(n, num_words)).astype("float32")
    body = RNG.integers(0, 2, size=(n, num_words)).astype("float32")
    tags = RNG.integers(0, 2, size=(n, num_tags)).astype("float32")
    priority = RNG.random(size=(n, 1))
    department = np.eye(num_departments)[RNG.integers(0, num_departments, size=n)]
    return title, body, tags, priority, department


def test_functional_guide_ticket_classifier_with_several_inputs_and_outputs():
    num_tags, num_words, num_departments = 12, 40, 4
    title_input = keras.Input(shape=(num_words,), name="title")
    body_input = keras.Input(shape=(num_words,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.Dense(16, activation="relu")(title_input)
    body_features = layers.Dense(8, activation="relu")(body_input)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    model = keras.Model(inputs=[title_input, body_input, tags_input],
                        outputs={"priority": priority_pred, "department": department_pred})
    assert model.output_names == ["priority", "department"]
    assert "Connected to" in model.summary(print_fn=None)

    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=[keras.losses.BinaryCrossentropy(from_logits=True),
              keras.losses.CategoricalCrossentropy(from_logits=True)],
        loss_weights=[1.0, 0.2],
    )
    title_data, body_data, tags_data, priority_targets, dept_targets = _ticket_data()
    history = model.fit([title_data, body_data, tags_data], [priority_targets, dept_targets],
                        epochs=2, batch_size=32, verbose=0)
    assert list(history.history) == ["loss", "priority_loss", "department_loss"]
    logs = history.history
    total = np.array(logs["priority_loss"]) + 0.2 * np.array(logs["department_loss"])
    np.testing.assert_allclose(logs["loss"], total, rtol=1e-4)

    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
              "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
        loss_weights={"priority": 1.0, "department": 0.2},
    )
    model.fit({"title": title_data, "body": body_data, "tags": tags_data},
              {"priority": priority_targets, "department": dept_targets},
              epochs=2, batch_size=32, verbose=0)
    priority, department = model.predict({"title": title_data, "body": body_data,
                                          "tags": tags_data})
    assert priority.shape == (64, 1) and department.shape == (64, num_departments)


def test_functional_guide_shared_layer_sums_its_gradient_over_its_uses():
    shared = layers.Dense(3, name="shared", kernel_initializer="ones")
    text_input_a = keras.Input(shape=(4,), name="a")
    text_input_b = keras.Input(shape=(4,), name="b")
    encoded_a, encoded_b = shared(text_input_a), shared(text_input_b)
    out = layers.Dense(1, name="out", kernel_initializer="ones", use_bias=False)(
        layers.subtract([encoded_a, encoded_b]))
    model = keras.Model([text_input_a, text_input_b], out)
    assert [layer.name for layer in model.layers].count("shared") == 1
    assert model.count_params() == 4 * 3 + 3 + 3
    model.compile(keras.optimizers.SGD(1.0), "mse")
    xa, xb = np.ones((1, 4)), np.zeros((1, 4))
    # yhat = sum_j (xa - xb) W_j = 12, L = (yhat - 0)^2, dL/dW_ij = 2 * 12 * (xa_i - xb_i)
    model.train_on_batch([xa, xb], np.zeros((1, 1)))
    np.testing.assert_allclose(model.get_layer("shared").get_weights()[0], 1 - 24.0)
    np.testing.assert_allclose(model.get_layer("shared").get_weights()[1], 0.0)  # cancels

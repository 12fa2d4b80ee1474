"""Merge layers: values against NumPy, float64 gradient checks, config round trips, their
function forms, shapes in functional models, and errors."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import layers
from rosenblatt.autodiff.gradcheck import gradcheck

RNG = np.random.default_rng(0)
A, B, C = (RNG.normal(size=(4, 3)) for _ in range(3))

CASES = [
    (layers.Add, {}, [A, B, C], A + B + C),
    (layers.Subtract, {}, [A, B], A - B),
    (layers.Multiply, {}, [A, B, C], A * B * C),
    (layers.Average, {}, [A, B, C], (A + B + C) / 3),
    (layers.Maximum, {}, [A, B, C], np.maximum(np.maximum(A, B), C)),
    (layers.Minimum, {}, [A, B, C], np.minimum(np.minimum(A, B), C)),
    (layers.Concatenate, {}, [A, B[:, :2]], np.concatenate([A, B[:, :2]], axis=1)),
    (layers.Dot, {"axes": 1}, [A, B], np.sum(A * B, axis=1, keepdims=True)),
    (layers.Dot, {"axes": [1, 1], "normalize": True}, [A, B],
     np.sum(A * B, axis=1, keepdims=True)
     / np.linalg.norm(A, axis=1, keepdims=True) / np.linalg.norm(B, axis=1, keepdims=True)),
]


@pytest.mark.parametrize("cls, kwargs, inputs, expected", CASES)
def test_merge_values_gradients_and_config(cls, kwargs, inputs, expected):
    layer = cls(dtype="float64", **kwargs)
    np.testing.assert_allclose(layer(inputs).data, expected, rtol=1e-6, atol=1e-9)
    assert gradcheck(lambda *ts: layer(list(ts)), *inputs) < 1e-6
    clone = layers.deserialize(layers.serialize(layer))
    assert type(clone) is cls and clone.get_config() == layer.get_config()
    symbolic = layer([layers.Input(shape=x.shape[1:]) for x in inputs])
    assert symbolic.shape == (None, *expected.shape[1:])


def test_function_forms_and_models_with_merges():
    a, b = layers.Input(shape=(3,), name="a"), layers.Input(shape=(3,), name="b")
    merged = [layers.add([a, b]), layers.subtract([a, b]), layers.multiply([a, b]),
              layers.average([a, b]), layers.maximum([a, b]), layers.minimum([a, b]),
              layers.dot([a, b], axes=1), layers.concatenate([a, b], axis=-1)]
    model = rb.Model([a, b], merged)
    out = model.predict([A, B])
    np.testing.assert_allclose(out[0], A + B, rtol=1e-6)
    np.testing.assert_allclose(out[7], np.concatenate([A, B], axis=1), rtol=1e-6)
    assert [o.shape[1] for o in out] == [3, 3, 3, 3, 3, 3, 1, 6]


def test_merge_errors():
    a, b = layers.Input(shape=(3,)), layers.Input(shape=(2,))
    with pytest.raises(ValueError, match=r"Add needs inputs of one shape, got \(None, 3\), "
                                         r"\(None, 2\)"):
        layers.Add()([a, b])
    with pytest.raises(ValueError, match="inputs: expected a list of at least 2 tensors"):
        layers.Add()(a)
    with pytest.raises(ValueError, match="Subtract takes exactly 2 tensors"):
        layers.subtract([a, a, a])
    with pytest.raises(ValueError, match="axis: expected a non-zero integer"):
        layers.Concatenate(axis=0)
    with pytest.raises(ValueError, match=r"Concatenate\(axis=-1\) needs inputs equal off"):
        layers.concatenate([layers.Input(shape=(2, 3)), layers.Input(shape=(3, 3))])
    with pytest.raises(ValueError, match="axes: expected 1, -1 or a pair"):
        layers.Dot(axes=2)
    with pytest.raises(ValueError, match="Dot needs two inputs of one shape"):
        layers.dot([a, b], axes=1)
    with pytest.raises(TypeError, match="expected all symbolic tensors or none"):
        layers.Add()([a, np.ones((1, 3))])

"""Nadam, Adamax and Lion: the flat fast path against a textbook per-parameter reference, against
torch.optim (NAdam, Adamax), exact resume, config and errors."""

import json

import numpy as np
import pytest
from rosenblatt.optimizers import Adamax, Lion, Nadam

from rosenblatt import optimizers

SHAPES = [(3, 4), (4,), (4, 2), (1,)]


def reference(kind, hp, theta, g, state, t, lr):
    """One update of one float64 array, written out from the papers."""
    b1, b2 = hp.get("beta_1", 0.9), hp.get("beta_2", 0.99 if kind == "lion" else 0.999)
    eps = hp.get("epsilon", 1e-7)
    if kind == "lion":
        update = np.sign(b1 * state.get("m", 0.0) + (1 - b1) * g)
        state["m"] = b2 * state.get("m", 0.0) + (1 - b2) * g
        return theta - lr * update
    state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
    if kind == "adamax":
        state["u"] = np.maximum(b2 * state.get("u", 0.0), np.abs(g) + eps)
        return theta - lr / (1 - b1**t) * state["m"] / state["u"]
    state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
    mu = [b1 * (1 - 0.5 * 0.96 ** (0.004 * k)) for k in range(1, t + 2)]
    product = np.prod(mu[:t])
    m_hat = (mu[t] * state["m"] / (1 - product * mu[t]) + (1 - mu[t - 1]) * g / (1 - product))
    return theta - lr * m_hat / (np.sqrt(state["v"] / (1 - b2**t)) + eps)


CLASSES = {"nadam": Nadam, "adamax": Adamax, "lion": Lion}
CASES = [
    ("nadam", {}), ("nadam", {"beta_1": 0.8, "beta_2": 0.9, "epsilon": 0.1}),
    ("adamax", {}), ("adamax", {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 0.1}),
    ("lion", {}), ("lion", {"beta_1": 0.5, "beta_2": 0.9}),
]


def _problem(seed=0, steps=20):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in SHAPES]
    grads = [[rng.normal(size=s) * rng.uniform(0.1, 3) for s in SHAPES] for _ in range(steps)]
    return params, grads


def _flat(arrays, dtype=np.float32):
    return np.concatenate([a.ravel() for a in arrays]).astype(dtype)


@pytest.mark.parametrize("kind, hp", CASES, ids=str)
def test_flat_fast_path_equals_per_parameter_reference(kind, hp):
    lr = 0.01
    params, grad_seq = _problem()
    ref, states = [p.copy() for p in params], [{} for _ in params]
    for t, grads in enumerate(grad_seq, start=1):
        for i, g in enumerate(grads):
            ref[i] = reference(kind, hp, ref[i], g, states[i], t, lr)
    theta = _flat(params, np.float64)
    opt = CLASSES[kind](learning_rate=lr, **hp)
    for grads in grad_seq:
        opt.apply([theta], [_flat(grads, np.float64)])
    np.testing.assert_allclose(theta, _flat(ref, np.float64), rtol=1e-12, atol=1e-14)
    theta32 = _flat(params)
    opt32 = CLASSES[kind](learning_rate=lr, **hp)
    for grads in grad_seq:
        opt32.apply([theta32], [_flat(grads)])
    np.testing.assert_allclose(theta32, _flat(ref, np.float64), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind, torch_class, torch_hp, hp", [
    ("nadam", "NAdam", {"lr": 0.01, "eps": 1e-7}, {}),
    ("nadam", "NAdam", {"lr": 0.01, "betas": (0.8, 0.95), "eps": 0.1},
     {"beta_1": 0.8, "beta_2": 0.95, "epsilon": 0.1}),
    ("adamax", "Adamax", {"lr": 0.01, "eps": 1e-7}, {}),
    ("adamax", "Adamax", {"lr": 0.05, "betas": (0.7, 0.9), "eps": 0.1},
     {"beta_1": 0.7, "beta_2": 0.9, "epsilon": 0.1}),
], ids=str)
def test_matches_torch_optim(kind, torch_class, torch_hp, hp, matches_torch_optim):
    # torch keeps NAdam's product of the mu_t in float32 (its scalar type), hence 1e-8 there
    matches_torch_optim(CLASSES[kind](learning_rate=torch_hp["lr"], **hp), torch_class,
                        torch_hp, rtol=1e-8 if kind == "nadam" else 1e-10)


@pytest.mark.parametrize("kind, hp", CASES, ids=str)
def test_resume_from_state_is_bit_identical(kind, hp):
    params, grad_seq = _problem(seed=3, steps=10)
    straight = _flat(params)
    opt = CLASSES[kind](learning_rate=0.01, **hp)
    for grads in grad_seq:
        opt.apply([straight], [_flat(grads)])
    resumed = _flat(params)
    first = CLASSES[kind](learning_rate=0.01, **hp)
    for grads in grad_seq[:5]:
        first.apply([resumed], [_flat(grads)])
    second = optimizers.get(json.loads(json.dumps(optimizers.serialize(first))))
    second.set_state({k: v.copy() for k, v in first.get_state().items()})
    for grads in grad_seq[5:]:
        second.apply([resumed], [_flat(grads)])
    np.testing.assert_array_equal(resumed, straight)


def test_names_and_defaults_are_keras():
    assert isinstance(optimizers.get("Nadam"), Nadam)
    assert isinstance(optimizers.get("adamax"), Adamax)
    assert isinstance(optimizers.get("lion"), Lion)
    assert Nadam().get_config()["epsilon"] == 1e-7
    assert Lion().get_config() | {"name": None} == {
        "name": None, "learning_rate": 0.001, "clipnorm": None, "clipvalue": None,
        "beta_1": 0.9, "beta_2": 0.99}


@pytest.mark.parametrize("make, error, match", [
    (lambda: Nadam(beta_1=1.0), ValueError, r"beta_1: expected a number in \[0, 1\)"),
    (lambda: Adamax(beta_2=-0.1), ValueError, r"beta_2: expected a number in \[0, 1\)"),
    (lambda: Adamax(epsilon=0), ValueError, "epsilon"),
    (lambda: Lion(learning_rate=-1), ValueError, "learning_rate"),
    (lambda: Lion(epsilon=1e-7), TypeError, "epsilon"),
])
def test_bad_arguments_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("name", ["nadam", "adamax", "lion"])
def test_a_model_trains_with_each(name):
    from rosenblatt.layers import Dense

    from rosenblatt.models import Sequential
    x = np.random.default_rng(0).normal(size=(64, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]])
    model = Sequential([Dense(1, input_dim=3)], seed=0)
    model.compile(optimizers.get({"class_name": name, "config": {"learning_rate": 0.05}}), "mse")
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]

"""Optimizers: hand-computed first steps (L34), a plain per-parameter reference, PyTorch,
schedules, exact resume, in-place updates and errors."""

import doctest
import importlib
import json
import math
import tracemalloc

import numpy as np
import pytest
from rosenblatt.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop

from rosenblatt import optimizers, schedules

G = (0.5, -1.0, 2.0)  # the gradient sequence of the hand computations
EPS_ADAM = 1e-8


def run_scalar(opt, theta0=1.0, grads=G):
    """theta after each step, one float64 parameter, a fixed gradient sequence."""
    theta = np.array([theta0])
    out = []
    for g in grads:
        opt.apply([theta], [np.array([g])])
        out.append(float(theta[0]))
    return out


@pytest.mark.parametrize("submodule", ["", ".base", ".sgd", ".adaptive", ".adam"])
def test_docstring_examples(submodule):
    result = doctest.testmod(importlib.import_module(optimizers.__name__ + submodule))
    assert result.attempted > 0
    assert result.failed == 0


# -- (a) the first three steps, by hand (L34) -----------------------------------------------------


def test_sgd_by_hand():
    # theta <- theta - eta g, eta = 0.1
    assert run_scalar(SGD(learning_rate=0.1)) == pytest.approx([0.95, 1.05, 0.85], abs=1e-15)


def test_sgd_momentum_by_hand():
    # v1 = 0.5, v2 = 0.9 * 0.5 - 1 = -0.55, v3 = 0.9 * -0.55 + 2 = 1.505
    expected = [1 - 0.05, 1 - 0.05 + 0.055, 1 - 0.05 + 0.055 - 0.1505]
    assert run_scalar(SGD(0.1, momentum=0.9)) == pytest.approx(expected, abs=1e-14)


def test_sgd_nesterov_by_hand():
    # step = g + mu v: 0.5 + 0.45 = 0.95; -1 - 0.495 = -1.495; 2 + 1.3545 = 3.3545
    expected = [0.905, 0.905 + 0.1495, 0.905 + 0.1495 - 0.33545]
    assert run_scalar(SGD(0.1, momentum=0.9, nesterov=True)) == pytest.approx(expected, abs=1e-14)


def test_sgd_weight_decay_by_hand():
    # d = g + 0.1 theta: 0.6 -> 0.94; -1 + 0.094 -> 1.0306; 2 + 0.10306 -> 0.820294
    assert run_scalar(SGD(0.1, weight_decay=0.1)) == pytest.approx(
        [0.94, 1.0306, 0.820294], abs=1e-14
    )


def test_adagrad_by_hand():
    # G = 0.1 + 0.25 = 0.35, 1.35, 5.35;  theta -= 0.1 g / (sqrt(G) + 1e-10)
    t1 = 1 - 0.1 * 0.5 / (math.sqrt(0.35) + 1e-10)
    t2 = t1 + 0.1 * 1.0 / (math.sqrt(1.35) + 1e-10)
    t3 = t2 - 0.1 * 2.0 / (math.sqrt(5.35) + 1e-10)
    opt = Adagrad(0.1, initial_accumulator_value=0.1)
    assert run_scalar(opt) == pytest.approx([t1, t2, t3], rel=1e-14)


def test_rmsprop_by_hand():
    # v = 0.1 * 0.25 = 0.025; 0.9 * 0.025 + 0.1 = 0.1225 (sqrt 0.35); 0.9 * 0.1225 + 0.4 = 0.51025
    t1 = 1 - 0.01 * 0.5 / (math.sqrt(0.025) + 1e-7)
    t2 = t1 + 0.01 * 1.0 / (0.35 + 1e-7)
    t3 = t2 - 0.01 * 2.0 / (math.sqrt(0.51025) + 1e-7)
    assert run_scalar(RMSprop(0.01, rho=0.9)) == pytest.approx([t1, t2, t3], rel=1e-14)


def test_rmsprop_centered_momentum_by_hand():
    # gbar = 0.05, -0.055, 0.1505; denom = sqrt(v - gbar^2) + eps; buf = 0.5 buf + g / denom
    eps = 1e-7
    b1 = 0.5 / (math.sqrt(0.025 - 0.05**2) + eps)  # sqrt(0.0225) = 0.15
    b2 = 0.5 * b1 - 1.0 / (math.sqrt(0.1225 - 0.055**2) + eps)
    b3 = 0.5 * b2 + 2.0 / (math.sqrt(0.51025 - 0.1505**2) + eps)
    expected = [1 - 0.01 * b1, 1 - 0.01 * (b1 + b2), 1 - 0.01 * (b1 + b2 + b3)]
    opt = RMSprop(0.01, rho=0.9, momentum=0.5, centered=True)
    assert run_scalar(opt) == pytest.approx(expected, rel=1e-13)


def _adam_by_hand(lr, decay=0.0, amsgrad=False, grads=G):
    """Kingma and Ba's update, one scalar, written out step by step."""
    b1, b2 = 0.9, 0.999
    theta, m, v, v_max, out = 1.0, 0.0, 0.0, 0.0, []
    for t, g in enumerate(grads, start=1):
        theta *= 1 - lr * decay
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = max(v_max, v)
        m_hat = m / (1 - b1**t)
        v_hat = (v_max if amsgrad else v) / (1 - b2**t)
        theta -= lr * m_hat / (math.sqrt(v_hat) + EPS_ADAM)
        out.append(theta)
    return out


def test_adam_by_hand():
    # step 1: m_hat = 0.5, v_hat = 0.25, so theta1 = 1 - 0.1 * 0.5 / 0.5 = 0.9
    expected = _adam_by_hand(0.1)
    assert expected[0] == pytest.approx(0.9, abs=1e-8)
    m2, v2 = 0.9 * 0.05 - 0.1, 0.999 * 0.00025 + 0.001
    step2 = 0.1 * (m2 / 0.19) / (math.sqrt(v2 / (1 - 0.999**2)) + EPS_ADAM)
    assert expected[1] == pytest.approx(expected[0] - step2, rel=1e-14)
    assert run_scalar(Adam(0.1)) == pytest.approx(expected, rel=1e-13)


def test_amsgrad_by_hand():
    grads = (2.0, 0.01, 0.01)  # v falls after the first step, v_max does not
    expected = _adam_by_hand(0.1, amsgrad=True, grads=grads)
    assert expected != pytest.approx(_adam_by_hand(0.1, grads=grads), rel=1e-6)
    assert run_scalar(Adam(0.1, amsgrad=True), grads=grads) == pytest.approx(expected, rel=1e-13)


def test_adamw_by_hand():
    # theta <- theta (1 - eta wd) first: step 1 = 1 * (1 - 0.1 * 0.5) - 0.1 = 0.85
    expected = _adam_by_hand(0.1, decay=0.5)
    assert expected[0] == pytest.approx(0.85, abs=1e-8)
    opt = AdamW(0.1, weight_decay=0.5)
    assert run_scalar(opt) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("eta_c", [0.5, 1.5, 2.5])
def test_gradient_descent_on_the_notes_quadratic(eta_c):
    # e(w) = C w^2 / 2 (lecture 004): w_k = (1 - eta C)^k w_0; converges iff eta C < 2
    c, w = 2.0, np.array([1.0])
    opt = SGD(learning_rate=eta_c / c)
    for _ in range(6):
        opt.apply([w], [c * w])
    assert w[0] == pytest.approx((1 - eta_c) ** 6, rel=1e-12)


# -- (b) a plain per-parameter reference implementation --------------------------------------------


def ref_clip(g, clipnorm, clipvalue):
    if clipvalue is not None:
        return np.minimum(np.maximum(g, -clipvalue), clipvalue)
    norm = math.sqrt(float(np.sum(g * g)))
    if clipnorm is not None and norm > clipnorm:
        return g * (clipnorm / norm)
    return g


def ref_step(kind, hp, theta, g, state, t, lr):
    """One update of one float64 array, textbook form, no in-place tricks."""
    if kind == "sgd":
        d = g + hp.get("weight_decay", 0.0) * theta
        mu = hp.get("momentum", 0.0)
        if mu == 0:
            return theta - lr * d
        state["v"] = mu * state.get("v", 0.0) + d
        step = d + mu * state["v"] if hp.get("nesterov") else state["v"]
        return theta - lr * step
    if kind == "adagrad":
        state["G"] = state.get("G", hp.get("initial_accumulator_value", 0.0)) + g * g
        return theta - lr * g / (np.sqrt(state["G"]) + hp.get("epsilon", 1e-10))
    if kind == "rmsprop":
        rho, eps, mu = hp.get("rho", 0.9), hp.get("epsilon", 1e-7), hp.get("momentum", 0.0)
        state["v"] = rho * state.get("v", 0.0) + (1 - rho) * g * g
        if hp.get("centered"):
            state["gbar"] = rho * state.get("gbar", 0.0) + (1 - rho) * g
            denom = np.sqrt(state["v"] - state["gbar"] ** 2) + eps
        else:
            denom = np.sqrt(state["v"]) + eps
        if mu == 0:
            return theta - lr * g / denom
        state["buf"] = mu * state.get("buf", 0.0) + g / denom
        return theta - lr * state["buf"]
    b1, b2 = hp.get("beta_1", 0.9), hp.get("beta_2", 0.999)
    theta = theta * (1 - lr * hp.get("weight_decay", 0.01)) if kind == "adamw" else theta
    state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
    state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
    state["v_max"] = np.maximum(state.get("v_max", 0.0), state["v"])
    v = state["v_max"] if hp.get("amsgrad") else state["v"]
    m_hat, v_hat = state["m"] / (1 - b1**t), v / (1 - b2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + hp.get("epsilon", 1e-8))


CLASSES = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}
CASES = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9}),
    ("sgd", {"momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("sgd", {"weight_decay": 0.1, "clipvalue": 0.5}),
    ("adagrad", {"initial_accumulator_value": 0.1}),
    ("adagrad", {"epsilon": 1e-3, "clipnorm": 1.0}),
    ("rmsprop", {}),
    ("rmsprop", {"rho": 0.8, "momentum": 0.7, "centered": True}),
    ("rmsprop", {"centered": True, "epsilon": 1e-4}),
    ("adam", {}),
    ("adam", {"beta_1": 0.5, "beta_2": 0.9, "amsgrad": True}),
    ("adam", {"clipnorm": 2.0}),
    ("adam", {"epsilon": 0.1}),  # a large epsilon tells where it is added
    ("adamw", {}),
    ("adamw", {"weight_decay": 0.2, "amsgrad": True}),
]
SHAPES = [(3, 4), (4,), (4, 2), (1,)]  # one small MLP: W1, b1, W2, b2


def _problem(seed=0, steps=20):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in SHAPES]
    grads = [[rng.normal(size=s) * rng.uniform(0.1, 3) for s in SHAPES] for _ in range(steps)]
    return params, grads


def _flat(arrays, dtype=np.float32):
    return np.concatenate([a.ravel() for a in arrays]).astype(dtype)


@pytest.mark.parametrize("kind, hp", CASES, ids=lambda c: str(c))
def test_flat_fast_path_equals_per_parameter_reference(kind, hp):
    lr = 0.01
    params, grad_seq = _problem()
    ref = [p.copy() for p in params]
    states = [{} for _ in ref]
    for t, grads in enumerate(grad_seq, start=1):
        for i, g in enumerate(grads):
            g = ref_clip(g, hp.get("clipnorm"), hp.get("clipvalue"))
            ref[i] = ref_step(kind, hp, ref[i], g, states[i], t, lr)
    opt = CLASSES[kind](learning_rate=lr, **hp)
    if "clipnorm" in hp or "clipvalue" in hp:
        # clipping acts on each gradient array, so apply the parameters as separate arrays
        arrays = [p.astype(np.float32) for p in params]
        for grads in grad_seq:
            opt.apply(arrays, [g.astype(np.float32) for g in grads])
        theta = _flat(arrays)
    else:
        theta = _flat(params)
        for grads in grad_seq:
            opt.apply([theta], [_flat(grads)])
    np.testing.assert_allclose(theta, _flat(ref, np.float64), rtol=2e-5, atol=2e-6)
    assert opt.iterations == len(grad_seq)


def test_views_into_the_flat_vector_are_updated_in_place():
    theta = np.arange(1.0, 9.0, dtype=np.float32)
    kernel, bias = theta[:6].reshape(2, 3), theta[6:]
    slot_ids = None
    opt = Adam(0.1)
    for _ in range(3):
        opt.apply([theta], [np.ones_like(theta)])
        ids = [id(a) for a in opt._slots[0].values()]
        assert slot_ids in (None, ids)
        slot_ids = ids
    np.testing.assert_array_equal(kernel.ravel(), theta[:6])
    np.testing.assert_array_equal(bias, theta[6:])
    assert (theta < np.arange(1.0, 9.0)).all()


@pytest.mark.parametrize("kind, hp", CASES, ids=lambda c: str(c))
def test_a_step_allocates_no_parameter_sized_arrays(kind, hp):
    n = 50_000  # 200 kB per float32 array
    rng = np.random.default_rng(1)
    theta, g = rng.normal(size=(2, n)).astype(np.float32)
    opt = CLASSES[kind](learning_rate=1e-3, **hp)
    opt.apply([theta], [g])  # builds the slot buffers
    tracemalloc.start()
    try:
        for _ in range(5):
            opt.apply([theta], [g])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < theta.nbytes // 4


def test_gradients_are_not_modified():
    theta, g = np.ones(4, np.float32), np.array([3.0, -3.0, 0.5, 0.0], np.float32)
    for opt in (SGD(0.1, weight_decay=0.5, clipvalue=1.0), Adam(clipnorm=0.1), RMSprop()):
        opt.apply([theta], [g])
        np.testing.assert_array_equal(g, [3.0, -3.0, 0.5, 0.0])


def test_clipping():
    theta = np.zeros(2)
    SGD(1.0, clipvalue=1.0).apply([theta], [np.array([3.0, -0.5])])
    np.testing.assert_allclose(theta, [-1.0, 0.5])
    theta = np.zeros(2)
    SGD(1.0, clipnorm=1.0).apply([theta], [np.array([3.0, 4.0])])  # norm 5 -> 1
    np.testing.assert_allclose(theta, [-0.6, -0.8])
    theta = np.zeros(2)
    SGD(1.0, clipnorm=10.0).apply([theta], [np.array([3.0, 4.0])])  # below the norm: unchanged
    np.testing.assert_allclose(theta, [-3.0, -4.0])


def test_apply_gradients_updates_arrays_and_data_attributes():
    class Holder:
        def __init__(self, data):
            self.data = data

    w, b = np.array([1.0, 2.0]), Holder(np.array([3.0]))
    SGD(0.5).apply_gradients([(np.array([2.0, 2.0]), w), (np.array([4.0]), b)])
    np.testing.assert_allclose(w, [0.0, 1.0])
    np.testing.assert_allclose(b.data, [1.0])


def test_step_is_an_alias_of_apply():
    a, b = np.ones(3), np.ones(3)
    g = np.array([1.0, 2.0, 3.0])
    opt_a, opt_b = Adam(0.1), Adam(0.1)
    for _ in range(3):
        opt_a.apply([a], [g])
        opt_b.step([b], [g])
    np.testing.assert_array_equal(a, b)


# -- (c) PyTorch ---------------------------------------------------------------------------------

TORCH_CASES = [
    ("sgd", {"lr": 0.05, "momentum": 0.9}, {"momentum": 0.9}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1},
     {"momentum": 0.5, "weight_decay": 0.1}),
    ("adagrad", {"lr": 0.1, "initial_accumulator_value": 0.1, "eps": 1e-10},
     {"initial_accumulator_value": 0.1}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-7}, {}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.8, "eps": 1e-6, "momentum": 0.6, "centered": True},
     {"rho": 0.8, "epsilon": 1e-6, "momentum": 0.6, "centered": True}),
    ("adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-8},
     {"beta_1": 0.8, "beta_2": 0.99}),
    ("adam", {"lr": 0.01, "amsgrad": True}, {"amsgrad": True}),
    ("adam", {"lr": 0.01, "eps": 0.1}, {"epsilon": 0.1}),
    ("adamw", {"lr": 0.01, "weight_decay": 0.1}, {"weight_decay": 0.1}),
]  # fmt: skip


@pytest.mark.parametrize("kind, torch_hp, hp", TORCH_CASES, ids=lambda c: str(c))
def test_matches_torch_optim(kind, torch_hp, hp, matches_torch_optim):
    torch_class = {"sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam",
                   "adamw": "AdamW"}[kind]  # fmt: skip
    matches_torch_optim(CLASSES[kind](learning_rate=torch_hp["lr"], **hp), torch_class, torch_hp)


# -- (d) schedules drive the learning rate --------------------------------------------------------


def test_schedule_drives_the_learning_rate():
    schedule = schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    opt, theta = SGD(schedule), np.zeros(1)
    rates = []
    for _ in range(5):
        rates.append(opt.current_learning_rate)
        opt.apply([theta], [np.ones(1)])
    expected = [0.1 * 0.5 ** (t / 2) for t in range(5)]
    assert rates == pytest.approx(expected, rel=1e-14)
    assert theta[0] == pytest.approx(-sum(expected), rel=1e-14)


def test_plain_callable_learning_rate_and_assignment():
    opt, theta = Adagrad(learning_rate=lambda step: 1.0 / (step + 1)), np.zeros(1)
    for _ in range(3):
        opt.apply([theta], [np.ones(1)])
    # G = 1, 2, 3: theta = -(1 / 1 + (1/2) / sqrt(2) + (1/3) / sqrt(3))
    assert theta[0] == pytest.approx(-(1 + 0.5 / math.sqrt(2) + 1 / 3 / math.sqrt(3)), rel=1e-9)
    opt.learning_rate = 0.25
    assert opt.current_learning_rate == 0.25
    with pytest.raises(ValueError, match="learning_rate: expected a number >= 0, got -1"):
        opt.learning_rate = -1


# -- (e) state, config and exact resume ---------------------------------------------------------


@pytest.mark.parametrize("kind, hp", CASES, ids=lambda c: str(c))
def test_resume_from_state_is_bit_identical(kind, hp):
    params, grad_seq = _problem(seed=3, steps=10)
    straight = _flat(params)
    opt = CLASSES[kind](learning_rate=schedules.StepDecay(0.01, 0.5, 4), **hp)
    for grads in grad_seq:
        opt.apply([straight], [_flat(grads)])

    resumed = _flat(params)
    first = CLASSES[kind](learning_rate=schedules.StepDecay(0.01, 0.5, 4), **hp)
    for grads in grad_seq[:5]:
        first.apply([resumed], [_flat(grads)])
    state = {k: v.copy() for k, v in first.get_state().items()}
    assert state["iterations"].dtype == np.int64 and state["iterations"].shape == ()
    assert int(state["iterations"]) == 5
    config = json.loads(json.dumps(optimizers.serialize(first)))
    second = optimizers.get(config)
    second.set_state(state)
    for grads in grad_seq[5:]:
        second.apply([resumed], [_flat(grads)])
    np.testing.assert_array_equal(resumed, straight)
    assert second.iterations == 10


def test_state_holds_every_slot():
    opt = RMSprop(momentum=0.5, centered=True)
    opt.apply([np.ones(3), np.ones(2)], [np.ones(3), np.ones(2)])
    assert sorted(opt.get_state()) == [
        "average_gradient/0", "average_gradient/1", "iterations", "momentum/0", "momentum/1",
        "velocity/0", "velocity/1",
    ]  # fmt: skip
    assert list(SGD().get_state()) == ["iterations"]


@pytest.mark.parametrize("name", optimizers.registry.names())
def test_every_registered_name_round_trips(name):
    opt = optimizers.get(name.upper())
    assert isinstance(opt, optimizers.registry.lookup(name))
    config = optimizers.serialize(opt)
    assert json.loads(json.dumps(config)) == config
    again = optimizers.get(config)
    assert type(again) is type(opt) and again.get_config() == opt.get_config()
    assert optimizers.get(opt) is opt


def test_defaults_are_the_documented_ones():
    assert SGD().get_config() | {"name": None} == {
        "name": None, "learning_rate": 0.01, "clipnorm": None, "clipvalue": None,
        "momentum": 0.0, "nesterov": False, "weight_decay": 0.0,
    }  # fmt: skip
    adagrad, rmsprop, adam, adamw = Adagrad(), RMSprop(), Adam(), AdamW()
    assert (adagrad.learning_rate, adagrad.initial_accumulator_value, adagrad.epsilon) == (
        0.001, 0.0, 1e-10,
    )  # fmt: skip
    assert (rmsprop.rho, rmsprop.momentum, rmsprop.epsilon, rmsprop.centered) == (
        0.9, 0.0, 1e-7, False,
    )  # fmt: skip
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == (
        0.001, 0.9, 0.999, 1e-8, False,
    )  # fmt: skip
    assert (adamw.weight_decay, adamw.beta_2) == (0.01, 0.999)


def test_schedule_serializes_through_its_config():
    opt = Adam(schedules.PiecewiseConstantDecay([3], [0.1, 0.01]))
    config = optimizers.serialize(opt)
    assert config["config"]["learning_rate"] == {
        "class_name": "PiecewiseConstantDecay",
        "config": {"boundaries": [3], "values": [0.1, 0.01]},
    }
    again = optimizers.get(config)
    assert again.learning_rate(4) == 0.01


# -- (f) errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: optimizers.get("adamm"), "Unknown optimizer 'adamm'.*Valid names: sgd, "),
        (lambda: SGD(learning_rate=-0.1), "learning_rate: expected a number >= 0, got -0.1"),
        (lambda: SGD(momentum=1.0), r"momentum: expected a number in \[0, 1\), got 1.0"),
        (lambda: SGD(momentum=-0.1), r"momentum: expected a number in \[0, 1\), got -0.1"),
        (lambda: SGD(nesterov=True), "nesterov: Nesterov momentum needs momentum > 0"),
        (lambda: SGD(weight_decay=-1), "weight_decay: expected a number >= 0"),
        (lambda: RMSprop(rho=1), r"rho: expected a number in \[0, 1\), got 1"),
        (lambda: RMSprop(momentum=2), r"momentum: expected a number in \[0, 1\)"),
        (lambda: Adam(beta_1=1.0), r"beta_1: expected a number in \[0, 1\), got 1.0"),
        (lambda: Adam(beta_2=-0.5), r"beta_2: expected a number in \[0, 1\), got -0.5"),
        (lambda: AdamW(beta_2=1.5), r"beta_2: expected a number in \[0, 1\)"),
        (lambda: Adam(epsilon=0), "epsilon: expected a number > 0, got 0"),
        (lambda: Adagrad(initial_accumulator_value=-1), "initial_accumulator_value: expected"),
        (lambda: AdamW(weight_decay=-0.1), "weight_decay: expected a number >= 0"),
        (lambda: SGD(clipnorm=0), "clipnorm: expected a number > 0, got 0"),
        (lambda: SGD(clipvalue=-1), "clipvalue: expected a number > 0"),
        (lambda: SGD(clipnorm=1, clipvalue=1), "clipnorm, clipvalue: expected at most one"),
        (lambda: optimizers.get({"class_name": "SGD"}), "expected keys 'class_name' and"),
    ],
)
def test_bad_hyperparameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: SGD(learning_rate="fast"), "learning_rate: expected a number >= 0, a Learning"),
        (lambda: SGD(momentum=0.5, nesterov=1), "nesterov: expected a bool, got int"),
        (lambda: Adam(amsgrad="no"), "amsgrad: expected a bool, got str"),
        (lambda: RMSprop(centered=None), "centered: expected a bool, got NoneType"),
        (lambda: SGD(name=3), "name: expected a str, got int"),
        (lambda: optimizers.get(3.0), "optimizer: expected a name, a config dict or an Opt"),
        (lambda: optimizers.serialize("adam"), "optimizer: expected an Optimizer, got str"),
        (lambda: SGD(lambda t: 0.1).get_config(), "learning_rate: a plain callable .* cannot be"),
    ],
)
def test_type_errors(make, match):
    with pytest.raises(TypeError, match=match):
        make()


def test_mismatched_shapes_name_both_shapes():
    opt = Adam()
    with pytest.raises(ValueError, match=r"grads\[0\]: expected .*shape \(3,\).*got shape \(4,\)"):
        opt.apply([np.zeros(3)], [np.zeros(4)])
    opt.apply([np.zeros(3)], [np.zeros(3)])
    with pytest.raises(ValueError, match=r"shape \(3,\).*got shape \(3, 1\)"):
        opt.apply([np.zeros(3)], [np.zeros((3, 1))])  # would broadcast silently
    with pytest.raises(ValueError, match="expected 1 arrays each .* got 2 params and 2 grads"):
        opt.apply([np.zeros(3), np.zeros(1)], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"params\[0\]: expected shape \(3,\), the shape .*"
                                         r"earlier steps, got \(5,\)"):
        opt.apply([np.zeros(5)], [np.zeros(5)])  # its state has three entries, not five
    with pytest.raises(ValueError, match=r"params\[0\]: expected shape \(3,\)"):
        opt.check([np.zeros(5)], [np.zeros(5)])
    opt.check([np.zeros(3)], [np.zeros(3)])
    assert opt.iterations == 1


def test_bad_params_and_grads():
    with pytest.raises(ValueError, match="expected as many gradients as parameters, got 1"):
        SGD().apply([np.zeros(2)], [])
    with pytest.raises(TypeError, match=r"params\[0\]: expected a float ndarray, got array .*int"):
        SGD().apply([np.zeros(2, dtype=int)], [np.zeros(2)])
    with pytest.raises(TypeError, match=r"grads\[0\]: expected a float ndarray, got list"):
        SGD().apply([np.zeros(2)], [[0.0, 0.0]])
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\]: expected a writeable array"):
        SGD().apply([frozen], [np.zeros(2)])
    with pytest.raises(TypeError, match="params, grads: expected two lists of arrays"):
        SGD().apply(np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"grads_and_vars\[0\]: expected a \(grad, var\) pair"):
        SGD().apply_gradients([np.zeros(2)])


def test_bad_schedule_values_and_states():
    opt = SGD(learning_rate=lambda step: -1.0)
    with pytest.raises(ValueError, match="learning_rate: the schedule returned -1.0 at step 0"):
        opt.apply([np.zeros(1)], [np.zeros(1)])
    adam = Adam()
    with pytest.raises(ValueError, match="state: expected the keys of adam's get_state"):
        adam.set_state({"iterations": np.array(3), "m_sum/0": np.zeros(2)})
    with pytest.raises(ValueError, match="with an 'iterations' entry"):
        adam.set_state({"m_sum/0": np.zeros(2), "v_sum/0": np.zeros(2)})
    with pytest.raises(ValueError, match=r"state\['iterations'\]: expected an integer >= 0"):
        adam.set_state({"iterations": np.array(-2)})
    adam.set_state({"iterations": np.array(2), "m_sum/0": np.zeros(2), "v_sum/0": np.zeros(2)})
    with pytest.raises(ValueError, match=r"params\[0\]: shape \(3,\) does not match .*\(2,\)"):
        adam.apply([np.zeros(3)], [np.zeros(3)])

"""The scalar autodiff engine: the L12 quiz, central differences (L33) and agreement with Tensor."""

import doctest
import math
import operator

import numpy as np
import pytest
import rosenblatt.micro
from rosenblatt.micro import Value


def _sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def _l12(x1, x2, w1, w2, sigmoid):
    """f(x, w) = sigmoid(sigmoid(x1 w1) w2 + x2) from lecture 001's quiz."""
    return sigmoid(sigmoid(x1 * w1) * w2 + x2)


def test_L12_quiz_gradient():
    x1, x2 = Value(11.0, "x1"), Value(5.0, "x2")
    w1, w2 = Value(0.0, "w1"), Value(0.0, "w2")
    f = _l12(x1, x2, w1, w2, lambda v: v.sigmoid())
    f.backward()
    closed_form = 0.5 * _sigma(5) * (1 - _sigma(5))
    assert closed_form == pytest.approx(0.0033240283, abs=1e-10)
    assert w2.grad == pytest.approx(closed_form, rel=1e-12)
    h = 1e-5
    central = (_l12(11, 5, 0, h, _sigma) - _l12(11, 5, 0, -h, _sigma)) / (2 * h)
    assert w2.grad == pytest.approx(central, rel=1e-8)
    # df/dw1 = sigma'(5) * w2 * sigma'(0) * x1 = 0 because w2 = 0
    assert w1.grad == 0.0
    assert f.data == pytest.approx(_sigma(5), rel=1e-15)


# ---- random expressions, evaluated by Value, by Tensor and by plain floats ----

UNARY = ("exp", "log", "tanh", "sigmoid", "relu", "neg", "pow")
BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
EXPONENTS = (2, 3, -1, 0.5, 1.5)


class _Reject(Exception):
    """The expression comes too close to a pole, a kink or the edge of a domain."""


def _float_unary(name, a, p=None):
    if name == "log" and a <= 0.1:
        raise _Reject
    if name == "relu" and abs(a) < 0.05:
        raise _Reject
    if name == "exp" and a > 10:
        raise _Reject
    if name == "pow" and (abs(a) < 0.2 or (a < 0 and not float(p).is_integer())):
        raise _Reject
    funcs = {
        "exp": math.exp,
        "log": math.log,
        "tanh": math.tanh,
        "sigmoid": _sigma,
        "relu": lambda v: max(v, 0.0),
        "neg": operator.neg,
    }
    return a**p if name == "pow" else funcs[name](a)


def _object_unary(name, a, p=None):
    if name == "pow":
        return a**p
    if name == "neg":
        return -a
    return getattr(a, name)()


def _random_tree(rng, depth):
    if depth == 0 or rng.random() < 0.15:
        return ("leaf", int(rng.integers(3)))
    if rng.random() < 0.45:
        name = UNARY[int(rng.integers(len(UNARY)))]
        child = _random_tree(rng, depth - 1)
        if name == "pow":
            return ("pow", child, EXPONENTS[int(rng.integers(len(EXPONENTS)))])
        return (name, child)
    name = list(BINARY)[int(rng.integers(len(BINARY)))]
    left, right = _random_tree(rng, depth - 1), _random_tree(rng, depth - 1)
    if rng.random() < 0.3:  # a plain number on one side exercises the reflected operators
        const = ("const", float(rng.uniform(0.5, 2.0)))
        left, right = (const, right) if rng.random() < 0.5 else (left, const)
    return (name, left, right)


def _evaluate(tree, leaves, unary):
    kind = tree[0]
    if kind == "leaf":
        return leaves[tree[1]]
    if kind == "const":
        return tree[1]
    if kind in BINARY:
        a, b = _evaluate(tree[1], leaves, unary), _evaluate(tree[2], leaves, unary)
        if kind == "div" and isinstance(b, float) and abs(b) < 0.2:
            raise _Reject
        return BINARY[kind](a, b)
    p = tree[2] if kind == "pow" else None
    return unary(kind, _evaluate(tree[1], leaves, unary), p)


def _float_eval(tree, point):
    value = _evaluate(tree, list(point), _float_unary)
    if not isinstance(value, float) or abs(value) > 1e4:
        raise _Reject
    return value


def _n_operations(tree):
    if tree[0] in ("leaf", "const"):
        return 0
    return 1 + sum(_n_operations(child) for child in tree[1:] if isinstance(child, tuple))


def _expressions(count=30, seed=2024):
    """``count`` random expression trees of at least 4 operations, each with a point where
    it is smooth and its gradient is not zero."""
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        tree = _random_tree(rng, int(rng.integers(3, 7)))
        point = rng.uniform(-2, 2, size=3).tolist()
        if _n_operations(tree) < 4:
            continue
        try:
            _float_eval(tree, point)
            if max(abs(g) for g in _central_differences(tree, point)) < 1e-3:
                continue
        except (_Reject, OverflowError, ZeroDivisionError):
            continue
        found.append((tree, point))
    return found


def _central_differences(tree, point):
    """Richardson-extrapolated central differences, error O(h^4)."""
    grads = []
    for i in range(len(point)):

        def diff(h, i=i):
            up, down = list(point), list(point)
            up[i] += h
            down[i] -= h
            return (_float_eval(tree, up) - _float_eval(tree, down)) / (2 * h)

        h = 1e-3 * max(1.0, abs(point[i]))
        grads.append((4 * diff(h / 2) - diff(h)) / 3)
    return grads


def _assert_close(actual, expected, rel=1e-6):
    scale = max(abs(actual), abs(expected), 1e-3)
    assert abs(actual - expected) / scale < rel, (actual, expected)


EXPRESSIONS = _expressions()


@pytest.mark.parametrize("index", range(len(EXPRESSIONS)))
def test_L33_value_matches_central_differences(index):
    tree, point = EXPRESSIONS[index]
    leaves = [Value(v) for v in point]
    out = _evaluate(tree, leaves, _object_unary)
    out.backward()
    _assert_close(out.data, _float_eval(tree, point), rel=1e-12)
    for leaf, expected in zip(leaves, _central_differences(tree, point), strict=True):
        _assert_close(leaf.grad, expected)


def test_random_expressions_cover_every_operation():
    used = set()

    def walk(tree):
        used.add(tree[0])
        for child in tree[1:]:
            if isinstance(child, tuple):
                walk(child)

    for tree, _ in EXPRESSIONS:
        walk(tree)
    assert used >= set(UNARY) | set(BINARY) | {"const"}


def test_L12_L33_value_agrees_with_tensor():
    """The same random expressions through rosenblatt.Tensor (float64) and through Value."""
    from rosenblatt import Tensor

    assert len(EXPRESSIONS) >= 20
    for tree, point in EXPRESSIONS:
        values = [Value(v) for v in point]
        tensors = [Tensor(np.array(v), dtype="float64", requires_grad=True) for v in point]
        out_v = _evaluate(tree, values, _object_unary)
        out_t = _evaluate(tree, tensors, _object_unary)
        out_v.backward()
        out_t.backward()
        _assert_close(float(np.asarray(out_t.data)), out_v.data)
        for v, t in zip(values, tensors, strict=True):
            grad = 0.0 if t.grad is None else float(np.asarray(t.grad))
            _assert_close(grad, v.grad)


# ---- the engine's own behaviour ----


def test_reused_nodes_accumulate_and_backward_adds_up():
    x = Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    y.backward()
    assert x.grad == 7.0
    y.backward()  # a second call adds the same gradients again, as in PyTorch
    assert x.grad == 14.0
    y.zero_grad()
    assert x.grad == 0.0
    z = (x * 2.0) * (x * 2.0)  # 4 x^2: two paths through distinct nodes
    z.backward()
    assert x.grad == 24.0


def test_reflected_operators_and_negation():
    x = Value(4.0)
    cases = [
        (2.0 + x, 6.0, 1.0),
        (2.0 - x, -2.0, -1.0),
        (3.0 * x, 12.0, 3.0),
        (2.0 / x, 0.5, -2.0 / 16.0),
        (x / 2.0, 2.0, 0.5),
        (x - 1, 3.0, 1.0),
        (-x, -4.0, -1.0),
        (x**0.5, 2.0, 0.25),
        (x**0, 1.0, 0.0),
    ]
    for out, value, grad in cases:
        x.grad = 0.0
        out.backward()
        assert (out.data, x.grad) == (value, grad)


@pytest.mark.parametrize("n", [10_000, 30_000])
def test_deep_chain_has_no_recursion_limit(n):
    x = Value(0.5, "x")
    y = x
    for _ in range(n):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0
    assert len(y.topological_order()) == 1 + 4 * n  # x, and per step: 1.0, *, 0.0, +


def test_sigmoid_is_stable_for_large_inputs():
    for z, expected in [(1000.0, 1.0), (-1000.0, 0.0), (40.0, 1 / (1 + math.exp(-40)))]:
        x = Value(z)
        s = x.sigmoid()
        s.backward()
        assert s.data == pytest.approx(expected, rel=1e-15, abs=1e-300)
        assert 0.0 <= x.grad < 1e-17
    small = Value(-745.0).sigmoid()
    assert small.data == pytest.approx(math.exp(-745.0), rel=1e-2)


def test_relu_derivative_is_the_step():
    for z, grad in [(-1.0, 0.0), (0.0, 1.0), (2.0, 1.0)]:
        x = Value(z)
        x.relu().backward()
        assert x.grad == grad


def test_trace_lists_nodes_in_topological_order():
    x1, w1 = Value(11.0, "x1"), Value(0.0, "w1")
    w2, x2 = Value(0.0, "w2"), Value(5.0, "x2")
    f = _l12(x1, x2, w1, w2, lambda v: v.sigmoid())
    f.backward()
    lines = f.trace().splitlines()
    order = f.topological_order()
    position = {id(node): i for i, node in enumerate(order)}
    assert len(lines) == 1 + len(order) == 1 + 9  # 4 inputs, *, sigmoid, *, +, sigmoid
    assert lines[0].split() == ["node", "label", "op", "inputs", "data", "grad"]
    for i, line in enumerate(lines[1:]):
        tokens = line.replace(",", " ").split()
        node = order[i]
        assert int(tokens[0]) == i
        rest = tokens[2:] if node.label else tokens[1:]
        assert node.label == (tokens[1] if node.label else "")
        assert rest[0] == (node.op or "input")
        parents = [int(t) for t in rest[1:-2]]
        assert parents == [position[id(p)] for p in node.parents]
        assert all(p < i for p in parents)  # every input is listed before its use
        assert float(rest[-2]) == pytest.approx(node.data, rel=1e-5)
        assert float(rest[-1]) == pytest.approx(node.grad, rel=1e-5, abs=1e-12)
    assert order[-1] is f and [n.op for n in order].count("sigmoid") == 2
    assert {n.label for n in order if not n.op} == {"x1", "w1", "w2", "x2"}


def test_repr():
    assert repr(Value(1.5, "w")) == "Value(data=1.5, grad=0, label='w')"


def test_errors():
    with pytest.raises(TypeError, match="data: expected a real number, got str"):
        Value("1")
    with pytest.raises(TypeError, match="data: expected a real number, got bool"):
        Value(True)
    with pytest.raises(ValueError, match="data: expected a finite number, got nan"):
        Value(float("nan"))
    with pytest.raises(TypeError, match="label: expected a str"):
        Value(1.0, label=3)
    with pytest.raises(ValueError, match="log: expected a positive Value, got 0"):
        Value(0.0).log()
    with pytest.raises(TypeError, match="exponent: expected a number or a Value, got str"):
        Value(2.0) ** "2"
    with pytest.raises(ValueError, match="negative base needs an integer exponent"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="derivative p a\\^\\(p - 1\\) is infinite"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match=r"\*\*-1\(0\): 0 to a negative power"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match=r"/\(1, 0\): division by a Value equal to 0"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ValueError, match=r"/\(1, 0\): division by a Value equal to 0"):
        Value(1) / 0
    with pytest.raises(ValueError, match=r"\*\(1e\+200, 1e\+200\) = inf: the result"):
        Value(1e200) * 1e200
    with pytest.raises(ValueError, match=r"\*\(1e\+300, 1e\+300\) = inf: the result"):
        Value(1e300) * 1e300
    with pytest.raises(ValueError, match=r"exp\(1000\) is too large"):
        Value(1000.0).exp()
    with pytest.raises(ValueError, match=r"\*\*400\(10\): the result is not a finite"):
        Value(10.0) ** 400
    with pytest.raises(TypeError):
        Value(1.0) + "a"
    with pytest.raises(TypeError):
        "a" * Value(1.0)


def test_docstring_examples():
    result = doctest.testmod(rosenblatt.micro, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0

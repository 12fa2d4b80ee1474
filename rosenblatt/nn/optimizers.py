"""Optimizers: gradient-descent update rules, applied in place (Keras names, PyTorch formulas).

A model keeps its parameters in one flat float32 vector theta and its gradients in a matching
vector g, and calls ``optimizer.apply([theta], [g])`` once per step. Each update below is a
handful of in-place NumPy operations on preallocated slot buffers (one scratch buffer per
parameter array, built lazily on the first call), so a step allocates no arrays however many
layers the model has.

Where PyTorch and Keras differ (Adam's and RMSprop's epsilon, RMSprop's momentum buffer,
Nesterov momentum, Adagrad's defaults), the formulas follow PyTorch; each class says how.
Lectures 004 (gradient descent, AdaGrad, RMSprop, Adam) and 003 (momentum).

>>> import numpy as np
>>> theta, g = np.array([1.0, -2.0], np.float32), np.array([0.5, 0.5], np.float32)
>>> opt = get("sgd")
>>> opt.apply([theta], [g])
>>> theta
array([ 0.995, -2.005], dtype=float32)
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from rosenblatt import kernels as _kernels
from rosenblatt.base.checks import check_positive, describe
from rosenblatt.base.registry import Registry
from rosenblatt.nn import schedules

registry = Registry("optimizer")


def _check_unit(value, name: str) -> float:
    """Raise unless ``0 <= value < 1``."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 <= value < 1:
        raise ValueError(f"{name}: expected a number in [0, 1), got {value!r}")
    return float(value)


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected a bool, got {describe(value)}")
    return value


def _check_nonnegative(value, name: str) -> float:
    return float(check_positive(value, name, allow_zero=True))


def _check_learning_rate(value):
    if callable(value):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _check_nonnegative(value, "learning_rate")
    raise TypeError(
        "learning_rate: expected a number >= 0, a LearningRateSchedule or a callable of the "
        f"step, got {describe(value)}"
    )


class Optimizer:
    """Base class: updates parameter arrays in place from their gradients.

    Subclasses name their hyperparameters in ``_config_keys`` and their slot buffers in
    ``_slot_names()``, and implement ``_update``.

    Args:
        learning_rate: eta: a float >= 0, a :class:`schedules.LearningRateSchedule`, or any
            callable of the 0-based step returning a float.
        clipnorm: if set, each gradient array g is rescaled to g * clipnorm / max(||g||,
            clipnorm) before the update (with one flat gradient vector this is the global norm).
        clipvalue: if set, each gradient entry is clipped to [-clipvalue, clipvalue].
        name: a name for the optimizer (defaults to its registry name).

    >>> opt, theta = SGD(learning_rate=0.5), np.zeros(2, np.float32)
    >>> opt.apply([theta], [np.array([1.0, -2.0], np.float32)])
    >>> theta, opt.iterations
    (array([-0.5,  1. ], dtype=float32), 1)

    Lecture 004 ("[W, B]_{t+1} = [W, B]_t - eta grad", [W, B] the concatenated parameters).
    """

    _config_keys: tuple[str, ...] = ()

    def __init__(self, learning_rate=0.001, clipnorm=None, clipvalue=None, name=None):
        self.learning_rate = learning_rate
        if clipnorm is not None:
            clipnorm = float(check_positive(clipnorm, "clipnorm"))
        if clipvalue is not None:
            clipvalue = float(check_positive(clipvalue, "clipvalue"))
        if clipnorm is not None and clipvalue is not None:
            raise ValueError("clipnorm, clipvalue: expected at most one of them to be set")
        self.clipnorm, self.clipvalue = clipnorm, clipvalue
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {describe(name)}")
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        self._slots: list[dict[str, np.ndarray]] | None = None
        self._scratch: list[np.ndarray] = []
        self._clip_buffers: list[np.ndarray] = []
        self._checked = False

    # -- public API -------------------------------------------------------------------------

    @property
    def learning_rate(self):
        """eta as given: a float, a schedule or a callable (assigning it validates it)."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate = _check_learning_rate(value)

    @property
    def current_learning_rate(self) -> float:
        """eta for the step about to be taken (step number ``iterations``, 0-based)."""
        lr = self._learning_rate
        if isinstance(lr, float):
            return lr
        value = lr(self.iterations)
        if not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
            raise ValueError(
                f"learning_rate: the schedule returned {value!r} at step {self.iterations}, "
                "expected a finite number >= 0"
            )
        return float(value)

    def apply(self, params: list, grads: list) -> None:
        """Update each ``params[i]`` in place from ``grads[i]`` (same shape), one step.

        Args:
            params: list of float ndarrays (usually one flat vector theta), updated in place.
            grads: list of ndarrays of the same shapes (dL/dtheta).
        """
        if not self._checked:
            self._check_params(params, grads)
        self._check_step(params, grads)
        eta = self.current_learning_rate
        t = self.iterations + 1
        for i, (theta, g) in enumerate(zip(params, grads, strict=True)):
            g = self._clip(g, i)
            self._update(theta, g, self._slots[i], self._scratch[i], eta, t)
        self.iterations = t

    def check(self, params: list, grads: list) -> None:
        """Raise the ValueError that :meth:`apply` would raise for these arrays, without
        updating anything (fit calls it before its first step)."""
        if self._slots is not None:
            self._check_step(params, grads)

    def step(self, params: list, grads: list) -> None:
        """Alias of :meth:`apply`."""
        self.apply(params, grads)

    def apply_gradients(self, grads_and_vars) -> None:
        """Keras form of :meth:`apply`: pairs ``(grad, var)``, where ``var`` is an ndarray or an
        object whose ``.data`` ndarray is updated in place (a Tensor)."""
        pairs = list(grads_and_vars)
        for i, pair in enumerate(pairs):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(
                    f"grads_and_vars[{i}]: expected a (grad, var) pair, got {describe(pair)}"
                )
        grads = [g for g, _ in pairs]
        params = [v if isinstance(v, np.ndarray) else getattr(v, "data", v) for _, v in pairs]
        self.apply(params, grads)

    def get_config(self) -> dict:
        """The constructor arguments as a JSON-serializable dict (a schedule as its own config).

        Raises TypeError when the learning rate is a plain callable, which has no config.
        """
        lr = self.learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)
        elif not isinstance(lr, float):
            raise TypeError(
                f"learning_rate: a plain callable ({describe(lr)}) cannot be serialized; use a "
                "rosenblatt.schedules.LearningRateSchedule instead"
            )
        return {
            "name": self.name,
            "learning_rate": lr,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            **{key: getattr(self, key) for key in self._config_keys},
        }

    @classmethod
    def from_config(cls, config: dict) -> Optimizer:
        """Rebuild an optimizer from :meth:`get_config`'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.get(config["learning_rate"])
        return cls(**config)

    def get_state(self) -> dict[str, np.ndarray]:
        """Copies of all slot buffers (keys ``'<slot>/<i>'``) and ``'iterations'`` (0-d int64),
        enough to resume training exactly with :meth:`set_state`."""
        state = {"iterations": np.array(self.iterations, dtype=np.int64)}
        for i, slots in enumerate(self._slots or []):
            for key, buf in slots.items():
                state[f"{key}/{i}"] = buf.copy()
        return state

    def set_state(self, state: dict) -> None:
        """Restore the slot buffers and step count saved by :meth:`get_state`.

        The next :meth:`apply` checks the restored buffers against the parameters' shapes.
        """
        if not isinstance(state, dict) or "iterations" not in state:
            raise ValueError(
                "state: expected a dict from get_state() with an 'iterations' entry, "
                f"got {describe(state)}"
            )
        names = self._slot_names()
        count = (len(state) - 1) // len(names) if names else 0
        expected = {f"{k}/{i}" for i in range(count) for k in names} | {"iterations"}
        if set(state) != expected:
            raise ValueError(
                f"state: expected the keys of {self.name}'s get_state(), e.g. "
                f"{sorted(expected)}, got {sorted(state)}"
            )
        iterations = np.asarray(state["iterations"])
        if iterations.ndim != 0 or iterations.dtype.kind not in "iu" or iterations < 0:
            raise ValueError(
                f"state['iterations']: expected an integer >= 0, got {state['iterations']!r}"
            )
        slots = [{k: np.array(state[f"{k}/{i}"]) for k in names} for i in range(count)]
        self._slots = slots if names else None
        self._checked = False
        self.iterations = int(iterations)

    def __repr__(self) -> str:
        lr = self.learning_rate
        return f"<{type(self).__name__} learning_rate={lr!r} iterations={self.iterations}>"

    # -- internals ----------------------------------------------------------------------------

    def _slot_names(self) -> tuple[str, ...]:
        return ()

    def _update(self, theta, g, slots, s, eta: float, t: int) -> None:
        """One in-place step on ``theta`` with slot dict ``slots`` and scratch buffer ``s``;
        ``t`` is the 1-based step number."""
        raise NotImplementedError

    def _init_slot(self, name: str, like: np.ndarray) -> np.ndarray:
        return np.zeros_like(like)

    def _check_params(self, params, grads) -> None:
        """Full validation, once: types, dtypes, shapes; builds (or checks restored) slots."""
        if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
            raise TypeError(
                f"params, grads: expected two lists of arrays, got {describe(params)} and "
                f"{describe(grads)}"
            )
        if len(params) != len(grads):
            raise ValueError(
                f"params, grads: expected as many gradients as parameters, got {len(params)} "
                f"params and {len(grads)} grads"
            )
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"params[{i}]: expected a float ndarray, got {describe(p)}")
            if not p.flags.writeable:
                raise ValueError(f"params[{i}]: expected a writeable array, got a read-only one")
            if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
                raise TypeError(f"grads[{i}]: expected a float ndarray, got {describe(g)}")
        names = self._slot_names()
        if self._slots is None:
            self._slots = [{k: self._init_slot(k, p) for k in names} for p in params]
        self._check_step(params, grads)
        for i, (p, slots) in enumerate(zip(params, self._slots, strict=True)):
            for key, buf in slots.items():
                if buf.shape != p.shape:
                    raise ValueError(
                        f"params[{i}]: shape {p.shape} does not match the optimizer state "
                        f"{key!r} of shape {buf.shape}"
                    )
                slots[key] = buf.astype(p.dtype, copy=False)
        self._scratch = [np.empty_like(p) for p in params]
        clip = self.clipnorm is not None or self.clipvalue is not None
        self._clip_buffers = [np.empty_like(p) for p in params] if clip else []
        self._checked = True

    def _check_step(self, params, grads) -> None:
        """The cheap per-step check: as many arrays as slots, each gradient shaped like its
        parameter (an in-place update would otherwise broadcast silently)."""
        if len(params) != len(grads) or len(params) != len(self._slots):
            raise ValueError(
                f"params, grads: expected {len(self._slots)} arrays each (as in the optimizer "
                f"state), got {len(params)} params and {len(grads)} grads"
            )
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            if self._scratch and self._scratch[i].shape != np.shape(p):
                raise ValueError(
                    f"params[{i}]: expected shape {self._scratch[i].shape}, the shape of the "
                    f"parameters of this optimizer's earlier steps, got {np.shape(p)}; a model "
                    "whose trainable weights changed (a layer frozen, unfrozen or added) needs "
                    "compile() again, with a new optimizer"
                )
            if not isinstance(g, np.ndarray) or g.shape != p.shape:
                got = f"shape {g.shape}" if isinstance(g, np.ndarray) else describe(g)
                raise ValueError(
                    f"grads[{i}]: expected an array of shape {p.shape} (the shape of "
                    f"params[{i}]), got {got}"
                )

    def _clip(self, g: np.ndarray, i: int) -> np.ndarray:
        if self.clipvalue is not None:
            return np.clip(g, -self.clipvalue, self.clipvalue, out=self._clip_buffers[i])
        if self.clipnorm is not None:
            norm = math.sqrt(float(np.vdot(g, g)))
            if norm > self.clipnorm:
                return np.multiply(g, self.clipnorm / norm, out=self._clip_buffers[i])
        return g


@registry.register("sgd")
class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

    Formula (PyTorch's form; v starts at 0, so v_1 = d):
        d = g + weight_decay * theta
        v <- mu v + d                       (mu = momentum; skipped when mu = 0, then v = d)
        theta <- theta - eta v              (plain or heavy-ball momentum)
        theta <- theta - eta (d + mu v)     (nesterov)
    Keras writes momentum as v <- mu v - eta g, theta <- theta + v, and Nesterov as
    theta <- theta + mu v - eta g; both agree with these while eta is constant.

    Args:
        learning_rate: eta (default 0.01), float, schedule or callable.
        momentum: mu in [0, 1).
        nesterov: use Nesterov momentum (needs momentum > 0).
        weight_decay: L2 coefficient >= 0 added to the gradient (coupled, as in PyTorch's SGD).
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> SGD(learning_rate=0.1).apply([theta], [np.array([2.0], np.float32)])
    >>> theta
    array([0.8], dtype=float32)

    Lectures 004 (theta <- theta - eta grad L), 003 (momentum); Polyak (1964), Nesterov (1983).
    """

    _config_keys = ("momentum", "nesterov", "weight_decay")

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=0.0, **kw):
        super().__init__(learning_rate, **kw)
        self.momentum = _check_unit(momentum, "momentum")
        self.nesterov = _check_bool(nesterov, "nesterov")
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov: Nesterov momentum needs momentum > 0, got momentum=0.0")
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")

    def _slot_names(self):
        return ("momentum",) if self.momentum > 0 else ()

    def _update(self, theta, g, slots, s, eta, t):
        mu, wd = self.momentum, self.weight_decay
        if wd:
            np.multiply(theta, wd, out=s)
            s += g  # s = d
            g = s
        if mu == 0:
            np.multiply(g, eta, out=s)
            theta -= s
            return
        v = slots["momentum"]
        v *= mu
        v += g
        if self.nesterov:
            np.multiply(g, eta, out=s)
            theta -= s
            np.multiply(v, eta * mu, out=s)
        else:
            np.multiply(v, eta, out=s)
        theta -= s


@registry.register("adagrad")
class Adagrad(Optimizer):
    """AdaGrad: per-parameter learning rates shrinking with the accumulated squared gradients.

    Formula (PyTorch's form, epsilon outside the square root):
        G <- G + g^2
        theta <- theta - eta g / (sqrt(G) + epsilon)
    Keras uses sqrt(G + epsilon) and defaults initial_accumulator_value=0.1, epsilon=1e-7; the
    defaults here are PyTorch's (0.0 and 1e-10).

    Args:
        learning_rate: eta (default 0.001).
        initial_accumulator_value: G_0 >= 0.
        epsilon: > 0, keeps the denominator positive.
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> Adagrad(learning_rate=0.5).apply([theta], [np.array([3.0], np.float32)])
    >>> theta
    array([0.5], dtype=float32)

    Lecture 004 (AdaGrad); Duchi, Hazan and Singer (2011).
    """

    _config_keys = ("initial_accumulator_value", "epsilon")

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.0, epsilon=1e-10, **kw):
        super().__init__(learning_rate, **kw)
        self.initial_accumulator_value = _check_nonnegative(
            initial_accumulator_value, "initial_accumulator_value"
        )
        self.epsilon = float(check_positive(epsilon, "epsilon"))

    def _slot_names(self):
        return ("accumulator",)

    def _init_slot(self, name, like):
        return np.full_like(like, self.initial_accumulator_value)

    def _update(self, theta, g, slots, s, eta, t):
        G = slots["accumulator"]
        np.multiply(g, g, out=s)
        G += s
        np.sqrt(G, out=s)
        s += self.epsilon
        np.divide(g, s, out=s)
        s *= eta
        theta -= s


@registry.register("rmsprop")
class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root-mean-square of recent gradients.

    Formula (PyTorch's form; rho is the notes' alpha):
        v <- rho v + (1 - rho) g^2
        centered:  gbar <- rho gbar + (1 - rho) g,  denom = sqrt(max(v - gbar^2, 0)) + epsilon
        otherwise: denom = sqrt(v) + epsilon
        momentum mu > 0: buf <- mu buf + g / denom,  theta <- theta - eta buf
        otherwise:       theta <- theta - eta g / denom
    Keras (like the notes) puts epsilon inside the square root, sqrt(v + epsilon), and
    accumulates eta-scaled steps in its momentum buffer.

    Args:
        learning_rate: eta (default 0.001).
        rho: decay of the squared-gradient average, in [0, 1).
        momentum: mu in [0, 1).
        epsilon: > 0.
        centered: normalize by the estimated variance instead of the second moment.
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> RMSprop(learning_rate=0.1, rho=0.75).apply([theta], [np.array([4.0], np.float32)])
    >>> theta  # v = 0.25 * 16 = 4, step 0.1 * 4 / 2
    array([0.8], dtype=float32)

    Lecture 004 (RMSprop); Tieleman and Hinton (2012), Graves (2013) for the centered form.
    """

    _config_keys = ("rho", "momentum", "epsilon", "centered")

    def __init__(
        self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kw
    ):
        super().__init__(learning_rate, **kw)
        self.rho = _check_unit(rho, "rho")
        self.momentum = _check_unit(momentum, "momentum")
        self.epsilon = float(check_positive(epsilon, "epsilon"))
        self.centered = _check_bool(centered, "centered")

    def _slot_names(self):
        names = ("velocity", "average_gradient") if self.centered else ("velocity",)
        return names + ("momentum",) if self.momentum > 0 else names

    def _update(self, theta, g, slots, s, eta, t):
        rho = self.rho
        v = slots["velocity"]
        np.multiply(g, g, out=s)
        s *= 1 - rho
        v *= rho
        v += s
        if self.centered:
            gbar = slots["average_gradient"]
            np.multiply(g, 1 - rho, out=s)
            gbar *= rho
            gbar += s
            np.multiply(gbar, gbar, out=s)
            np.subtract(v, s, out=s)
            np.maximum(s, 0, out=s)
            np.sqrt(s, out=s)
        else:
            np.sqrt(v, out=s)
        s += self.epsilon
        np.divide(g, s, out=s)
        if self.momentum > 0:
            buf = slots["momentum"]
            buf *= self.momentum
            buf += s
            np.multiply(buf, eta, out=s)
        else:
            s *= eta
        theta -= s


@registry.register("adam")
class Adam(Optimizer):
    """Adam: momentum on the gradient and RMSprop scaling, both bias-corrected.

    Formula (PyTorch's form, epsilon added to sqrt(v_hat)):
        m <- beta_1 m + (1 - beta_1) g          m_hat = m / (1 - beta_1^t)
        v <- beta_2 v + (1 - beta_2) g^2        v_hat = v / (1 - beta_2^t)
        amsgrad: v_max <- max(v_max, v), used in place of v
        theta <- theta - eta m_hat / (sqrt(v_hat) + epsilon)
    Keras adds epsilon to sqrt(v) instead of sqrt(v_hat), i.e. its epsilon is this one times
    sqrt(1 - beta_2^t).

    For speed (ten in-place NumPy passes per step, or one compiled pass when numba is installed:
    see ``rosenblatt._kernels``) the slots hold the undamped sums
    m_sum = m / (1 - beta_1) and v_sum = v / (1 - beta_2), updated as m_sum <- beta_1 m_sum + g
    and v_sum <- beta_2 v_sum + g^2; with c1 = (1 - beta_1^t) / (1 - beta_1) and
    c2 = (1 - beta_2^t) / (1 - beta_2) the step is the same number as above:
        theta <- theta - (eta sqrt(c2) / c1) m_sum / (sqrt(v_sum) + epsilon sqrt(c2)).

    Args:
        learning_rate: eta (default 0.001).
        beta_1: decay of the first moment m, in [0, 1).
        beta_2: decay of the second moment v, in [0, 1).
        epsilon: > 0.
        amsgrad: use the running maximum of v (Reddi, Kale and Kumar, 2018).
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> Adam(learning_rate=0.1).apply([theta], [np.array([5.0], np.float32)])
    >>> theta  # the first step moves every coordinate by about eta
    array([0.9], dtype=float32)

    Lecture 004 (Adam: "RMSprop with smoothing"); Kingma and Ba (2015).
    """

    _config_keys = ("beta_1", "beta_2", "epsilon", "amsgrad")

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False, **kw
    ):
        super().__init__(learning_rate, **kw)
        self.beta_1 = _check_unit(beta_1, "beta_1")
        self.beta_2 = _check_unit(beta_2, "beta_2")
        self.epsilon = float(check_positive(epsilon, "epsilon"))
        self.amsgrad = _check_bool(amsgrad, "amsgrad")

    def _slot_names(self):
        return ("m_sum", "v_sum", "v_sum_max") if self.amsgrad else ("m_sum", "v_sum")

    def _coefficients(self, eta, t):
        """(epsilon sqrt(c2), eta sqrt(c2) / c1) of step t (see the class docstring)."""
        b1, b2 = self.beta_1, self.beta_2
        c1 = (1 - b1**t) / (1 - b1)
        root_c2 = math.sqrt((1 - b2**t) / (1 - b2))
        return self.epsilon * root_c2, eta * root_c2 / c1

    def _decay(self, eta) -> float:
        return 1.0  # AdamW: 1 - eta weight_decay

    def _update(self, theta, g, slots, s, eta, t):
        eps, coef = self._coefficients(eta, t)
        vmax = slots["v_sum_max"] if self.amsgrad else None
        arrays = (theta, g, slots["m_sum"], slots["v_sum"], vmax)
        # the one choice: the compiled pass when it applies, else NumPy (same signature)
        step = _kernels.adam if _kernels.fits(*arrays) else self._numpy_step
        step(*arrays, s, b1=self.beta_1, b2=self.beta_2, eps=eps, coef=coef,
             decay=self._decay(eta))

    @staticmethod
    def _numpy_step(theta, g, m, v, vmax, s, *, b1, b2, eps, coef, decay):
        """One Adam step in ten in-place NumPy passes (``s``: scratch like theta)."""
        if decay != 1.0:
            theta *= decay
        m *= b1
        m += g
        np.multiply(g, g, out=s)
        v *= b2
        v += s
        if vmax is not None:
            v = np.maximum(vmax, v, out=vmax)
        np.sqrt(v, out=s)
        s += eps
        np.divide(m, s, out=s)
        s *= coef
        theta -= s


@registry.register("adamw")
class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (PyTorch's AdamW).

    Formula: theta <- theta (1 - eta weight_decay), then the :class:`Adam` step.

    Args:
        learning_rate: eta (default 0.001).
        weight_decay: >= 0 (default 0.01).
        beta_1, beta_2, epsilon, amsgrad: as in :class:`Adam` (keyword arguments).
        **kwargs: ``clipnorm``, ``clipvalue``, ``name`` (see :class:`Optimizer`).

    >>> theta = np.array([1.0], np.float32)
    >>> AdamW(learning_rate=0.1, weight_decay=0.5).apply([theta], [np.array([5.0], np.float32)])
    >>> theta.round(4)  # 1 * (1 - 0.05) - 0.1
    array([0.85], dtype=float32)

    Lecture 004 (Adam); Loshchilov and Hutter (2019).
    """

    _config_keys = ("weight_decay",) + Adam._config_keys

    def __init__(self, learning_rate=0.001, weight_decay=0.01, **kw):
        super().__init__(learning_rate, **kw)
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")

    def _decay(self, eta) -> float:
        return 1 - eta * self.weight_decay


def serialize(optimizer: Optimizer) -> dict:
    """``{'class_name': ..., 'config': ...}`` for an optimizer (JSON-serializable).

    >>> serialize(SGD(momentum=0.9))["config"]["momentum"]
    0.9
    """
    return registry.serialize(optimizer, Optimizer)


def get(identifier) -> Optimizer:
    """An optimizer from a name (case-insensitive), a config dict or an instance.

    Args:
        identifier: ``'sgd'``, ``'adam'``, ``'adamw'``, ``'rmsprop'``, ``'adagrad'``;
            ``{'class_name': 'Adam', 'config': {...}}``; or an :class:`Optimizer`.

    >>> get("Adam").beta_2
    0.999
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return registry.lookup(identifier)()
    if isinstance(identifier, dict):
        return registry.deserialize(identifier)
    raise TypeError(
        f"optimizer: expected a name, a config dict or an Optimizer, got {describe(identifier)}"
    )

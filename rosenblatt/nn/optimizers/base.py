"""The optimizer base class: slot buffers, clipping, checks, state and config.

:class:`Optimizer` holds what every update rule shares: the learning rate (a float, a schedule
or a callable of the step), gradient clipping, the checks of the parameter and gradient arrays,
the lazily built slot buffers, and ``get_config`` / ``get_state``. Subclasses write ``_update``,
one in-place step theta <- theta - eta (something of g).

Lecture 004 ("[W, B]_{t+1} = [W, B]_t - eta grad").
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from rosenblatt.base.checks import check_positive, describe
from rosenblatt.nn import schedules


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
        return _check_nonnegative(value, "learning_rate")  # finite; 0 freezes the weights
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

    >>> from rosenblatt.nn.optimizers import SGD
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

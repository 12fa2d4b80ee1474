"""What fit reads besides arrays: generators and iterables of batches, sample and class
weights, validation data and how often to validate (Keras' fit options).

A generator (or any iterable that is not an array, a list, a tuple or a dict) gives batches
``(x, y)`` or ``(x, y, sample_weight)``; fit reads ``steps_per_epoch`` of them per epoch (all
of them when None), each checked as arrays are. ``class_weight`` maps each sample's label
to a weight, ``sample_weight`` gives one per sample; both weigh the loss,
(1/n) sum_i s_i l_i.

>>> check_validation_freq(2)(0), check_validation_freq(2)(1)   # epochs 1 and 2
(False, True)
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np

from rosenblatt.base.checks import describe
from rosenblatt.training.inference import weights_for
from rosenblatt.training.inputs import prepare_x, prepare_y, unbuilt_if_refused
from rosenblatt.training.outputs import Arrays, Weighted, class_weights


def check_validation_freq(validation_freq):
    """validate_every(epoch) for ``validation_freq``: an integer k >= 1 (every k-th epoch) or
    a list of epoch numbers (counted from 1), as in Keras."""
    if isinstance(validation_freq, numbers.Integral) and not isinstance(validation_freq, bool):
        if validation_freq < 1:
            raise ValueError(f"validation_freq: expected an integer >= 1 or a list of epochs, "
                             f"got {validation_freq!r}")
        k = int(validation_freq)
        return lambda epoch: (epoch + 1) % k == 0
    if isinstance(validation_freq, (list, tuple, set)) and all(
            isinstance(e, numbers.Integral) and not isinstance(e, bool) and e >= 1
            for e in validation_freq):
        epochs = {int(e) for e in validation_freq}
        return lambda epoch: epoch + 1 in epochs
    raise ValueError(f"validation_freq: expected an integer >= 1 or a list of epoch numbers "
                     f">= 1, got {validation_freq!r}")


def weighted(model, y, n: int, sample_weight, class_weight):
    """The targets, with each sample's weight when ``sample_weight`` or ``class_weight`` is
    given (both multiply)."""
    if sample_weight is None and class_weight is None:
        return y
    w = np.ones(n) if sample_weight is None else weights_for(sample_weight, n)
    if class_weight is not None:
        if isinstance(y, Arrays):
            raise ValueError("class_weight: only for models with one output; give "
                             "sample_weight for a model with several")
        w = w * class_weights(class_weight, y)
    return Weighted(y, w)


def validation(model, validation_data):
    """(x_val, y_val) from ``validation_data``: (x, y) or (x, y, sample_weight)."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        got = describe(validation_data)
        if isinstance(validation_data, (tuple, list)):
            got += f" of length {len(validation_data)}"
        raise ValueError(f"validation_data: expected a tuple (x_val, y_val), got {got} (or "
                         f"give (x_val, y_val, sample_weight))")
    x_val = prepare_x(model, validation_data[0], "x_val")
    y_val = prepare_y(model, validation_data[1], len(x_val), "y_val", "x_val")
    if len(validation_data) == 3 and validation_data[2] is not None:
        y_val = Weighted(y_val, weights_for(validation_data[2], len(x_val),
                                            "validation_data[2]"))
    return x_val, y_val


def is_stream(x) -> bool:
    """Whether fit's ``x`` is a source of batches rather than the data itself."""
    if isinstance(x, (np.ndarray, list, tuple, dict, str, bytes)) or x is None:
        return False
    return hasattr(x, "__next__") or (hasattr(x, "__iter__") and not hasattr(x, "__array__"))


def batch_stream(x, y, steps_per_epoch, sample_weight, class_weight, validation_split):
    """A :class:`BatchStream` when ``x`` gives batches, else None (after checking that the
    options for arrays and for batches are not mixed)."""
    if steps_per_epoch is not None and (not isinstance(steps_per_epoch, numbers.Integral)
                                        or isinstance(steps_per_epoch, bool)
                                        or steps_per_epoch < 1):
        raise ValueError(f"steps_per_epoch: expected an integer >= 1 or None, got "
                         f"{steps_per_epoch!r}")
    if not is_stream(x):
        return None
    for value, name in ((y, "y"), (sample_weight, "sample_weight"),
                        (validation_split or None, "validation_split")):
        if value is not None:
            raise ValueError(f"{name}: not used when x is a generator of batches; the batches "
                             f"carry (x, y) or (x, y, sample_weight)")
    return BatchStream(x, steps_per_epoch, class_weight)


class BatchStream:
    """Batches read from a generator or iterable, ``steps`` per epoch (None: until it ends;
    an iterable that is not an iterator starts again each epoch)."""

    def __init__(self, source, steps, class_weight):
        self.source, self.steps, self.class_weight = source, steps, class_weight
        self.restarts = not hasattr(source, "__next__")
        self.iterator = iter(source)
        self.pending = None

    def first(self, model):
        """The first batch, checked (it builds the model): what fit checks arrays against."""
        batch = next(self.iterator, None)
        if batch is None:
            raise ValueError("x: the generator of batches gave no batch")
        with unbuilt_if_refused(model):
            self.pending = self.prepare(model, batch, 0)
        return self.pending

    def prepare(self, model, batch, index: int):
        if not isinstance(batch, (tuple, list)) or len(batch) not in (2, 3):
            got = describe(batch) + (f" of length {len(batch)}"
                                     if isinstance(batch, (tuple, list)) else "")
            raise ValueError(f"x: batch {index + 1} of the generator: expected a tuple (x, y) "
                             f"or (x, y, sample_weight), got {got}")
        xb = prepare_x(model, batch[0], f"x (batch {index + 1})")
        yb = prepare_y(model, batch[1], len(xb), f"y (batch {index + 1})",
                       f"x (batch {index + 1})")
        w = batch[2] if len(batch) == 3 else None
        return xb, weighted(model, yb, len(xb), w, self.class_weight)

    def epoch(self, model):
        """The batches of one epoch, each checked as it comes."""
        if self.pending is not None:
            first, self.pending = self.pending, None
            yield first
            start = 1
        else:
            if self.restarts:
                self.iterator = iter(self.source)
            start = 0
        stop = None if self.steps is None else self.steps
        for i, batch in enumerate(itertools.islice(self.iterator, None if stop is None
                                                   else stop - start), start):
            yield self.prepare(model, batch, i)

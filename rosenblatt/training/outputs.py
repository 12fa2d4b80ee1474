"""Several inputs and outputs, and weighted samples, for fit / evaluate / predict.

A model with several inputs takes a list of arrays (or a dict keyed by the inputs' names),
one per input; one with several outputs takes its targets the same way, keyed by the output
names, and is compiled with one loss per output (a list, a dict by output name, or one loss
for all), ``loss_weights`` and metrics per output. The loss it minimizes is

    L = sum_k w_k L_k(y_k, yhat_k)

and History names each output's loss and metrics as Keras does: ``<output>_loss``,
``<output>_<metric>``. An output compiled with the loss None (``loss=[None, ...]``, or left
out of a loss dict) is not trained towards a target and needs none: its targets may be left
out, and the sum runs over the outputs with a loss. Sample weights s_i (``sample_weight``,
or ``class_weight`` mapped through the labels) make each loss the weighted mean
(1/n) sum_i s_i l_i (Keras' reduction).

>>> import numpy as np
>>> batch = Arrays([np.arange(4.0).reshape(4, 1), np.zeros((4, 2))])
>>> len(batch), batch[1:3].arrays[0].ravel().tolist()
(4, [1.0, 2.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.nn import activations, fused, losses
from rosenblatt.nn import metrics as metrics_module
from rosenblatt.nn.layers import Dense


class Arrays:
    """Several arrays with one sample axis, sliced and gathered together (the inputs or the
    targets of a model with several; None for the target of an output without a loss)."""

    def __init__(self, arrays):
        self.arrays = list(arrays)

    def __len__(self) -> int:
        return len(next(a for a in self.arrays if a is not None))

    def __getitem__(self, index) -> Arrays:
        return Arrays([None if a is None else a[index] for a in self.arrays])

    def take(self, index, axis=0) -> Arrays:
        return Arrays([None if a is None else a.take(index, axis=axis) for a in self.arrays])


@dataclass(frozen=True)
class Weighted:
    """Targets with a weight per sample, sliced and gathered together."""

    y: object
    sample_weight: np.ndarray

    def __len__(self) -> int:
        return len(self.sample_weight)

    def __getitem__(self, index) -> Weighted:
        return Weighted(self.y[index], self.sample_weight[index])

    def take(self, index, axis=0) -> Weighted:
        return Weighted(self.y.take(index, axis=axis), self.sample_weight.take(index))


def split_targets(yb):
    """(targets, sample weights or None) of a batch."""
    if isinstance(yb, Weighted):
        return yb.y, yb.sample_weight
    return yb, None


def as_tensors(xb):
    """A batch of inputs as the model's call takes it: a Tensor, or a list of them."""
    if isinstance(xb, Arrays):
        return [Tensor(a) for a in xb.arrays]
    return Tensor(xb)


def output_data(out):
    return [t.data for t in out] if isinstance(out, list) else out.data


def head_of(layer, loss) -> fused.Head | None:
    """The output activation fused into ``loss`` for an output ``layer`` (see
    ``Model.fused_output``): a sigmoid or softmax Dense output with the plain cross-entropy
    (the head reads the logits the output keeps), or a linear Dense output with the
    cross-entropy ``from_logits=True`` (the outputs are the logits themselves)."""
    from_logits = getattr(loss, "from_logits", None)
    if not isinstance(layer, Dense) or from_logits is None:
        return None
    if isinstance(loss, (losses.CategoricalCrossentropy, losses.SparseCategoricalCrossentropy)):
        head, activation = fused.Head.SOFTMAX, activations.softmax_activation
    elif isinstance(loss, losses.BinaryCrossentropy):
        head, activation = fused.Head.SIGMOID, activations.sigmoid
    else:
        return None
    expected = activations.linear if from_logits else activation
    return head if layer.activation is expected else None


def fused_logits(loss, head, out: Tensor) -> Tensor | None:
    """The logits ``head`` takes for the output ``out``: ``out`` itself for a loss
    ``from_logits``, else those a sigmoid or softmax output keeps (None without a head)."""
    if head is None:
        return None
    return out if loss.from_logits else out.logits


def one_loss(loss, head, out: Tensor, y, sample_weight=None) -> Tensor:
    """``loss`` of one output against ``y``: from its logits when ``head`` fuses them, and the
    weighted mean (1/n) sum_i s_i l_i when there are sample weights."""
    logits = fused_logits(loss, head, out)
    if sample_weight is None:
        if logits is not None:
            return head.loss(logits, y, loss.reduction)
        return loss(y, out)
    if logits is not None:
        per = head.loss(logits, y, "none")
    else:
        per = loss.per_sample(y, out)
    if per.ndim == 0:
        raise ValueError(f"sample_weight: the loss {loss.name!r} gives one number for the "
                         f"whole batch, so its samples cannot be weighted; return one loss per "
                         f"sample from it (e.g. ops.mean(..., axis=-1))")
    weighted = per * Tensor(sample_weight.astype(per.data.dtype, copy=False))
    return weighted.sum() if loss.reduction == "sum" else weighted.mean()


class OutputLosses:
    """The loss of a model with several outputs: L = sum_k w_k L_k over the outputs k with a
    loss (``targeted``; see the module's text)."""

    reduction = "mean"
    name = "loss"

    def __init__(self, losses_by_output: list, weights: list, output_layers: list):
        self.losses = losses_by_output
        self.weights = weights
        self.heads = [head_of(layer, loss)
                      for layer, loss in zip(output_layers, losses_by_output, strict=True)]
        self.targeted = [k for k, loss in enumerate(losses_by_output) if loss is not None]

    def term(self, k: int, out: list, yb, sample_weight=None) -> Tensor:
        y = yb.arrays[k]
        return one_loss(self.losses[k], self.heads[k], out[k], y, sample_weight)

    def total(self, out: list, yb, sample_weight=None) -> Tensor:
        total = None
        for k in self.targeted:
            term = self.term(k, out, yb, sample_weight) * float(self.weights[k])
            total = term if total is None else total + term
        return total


class OutputMetric:
    """A metric of output ``index`` of a model with several, named ``<output>_<metric>``."""

    def __init__(self, metric, index: int, output_name: str):
        self.metric, self.index = metric, index
        self.name = f"{output_name}_{metric.name}"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self.metric.update_state(y_true.arrays[self.index], y_pred[self.index])

    def result(self) -> float:
        return self.metric.result()

    def reset_state(self) -> None:
        self.metric.reset_state()


class OutputLossMetric:
    """The mean loss of one output over the batches seen, named ``<output>_loss``."""

    needs_weights = True

    def __init__(self, model, index: int, output_name: str):
        self.model, self.index = model, index
        self.name = f"{output_name}_loss"
        self.reset_state()

    def update_state(self, yb, outputs, sample_weight=None) -> None:
        out = [Tensor(o) for o in outputs]
        with_logits = self.model.loss.heads[self.index] is not None
        if with_logits:  # the stored outputs are probabilities: take the plain loss
            loss = self.model.loss.losses[self.index]
            value = float(one_loss(loss, None, out[self.index], yb.arrays[self.index],
                                   sample_weight).data)
        else:
            value = float(self.model.loss.term(self.index, out, yb, sample_weight).data)
        n = len(yb)
        self.total += value * n
        self.count += n

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0


def is_by_output(value) -> bool:
    """Whether ``value`` is a dict by output name (not the config dict of one loss or metric)."""
    return isinstance(value, dict) and "class_name" not in value


def per_output(value, names: list[str], what: str, single=None) -> list:
    """``value`` given once for all outputs, as a list (one per output) or as a dict keyed by
    output name, as a list in the outputs' order (``single`` for missing dict entries)."""
    if is_by_output(value):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise ValueError(f"{what}: unknown output names {unknown}; the outputs are {names}")
        return [value.get(name, single) for name in names]
    if isinstance(value, (list, tuple)) and (what != "metrics" or any(
            isinstance(v, (list, tuple, dict)) for v in value)):
        if len(value) != len(names):
            raise ValueError(f"{what}: expected one entry per output ({len(names)}: {names}), "
                             f"got {len(value)}")
        return list(value)
    return [value] * len(names)


def compile_outputs(model, loss, loss_weights, metrics):
    """(loss, metrics) of a model with several outputs, from compile's arguments; an output
    whose loss is None (or missing from a dict) has no loss, and no target."""
    names = model.output_names
    specs = per_output(loss, names, "loss")
    if all(spec is None for spec in specs):
        raise ValueError(f"loss: expected a loss for at least one of the outputs {names}, "
                         f"got {loss!r}")
    chosen = [None if spec is None else losses.get(spec) for spec in specs]
    weights = per_output(1.0 if loss_weights is None else loss_weights, names, "loss_weights",
                         single=1.0)
    for w in weights:
        if not isinstance(w, (int, float)) or isinstance(w, bool) or not np.isfinite(w):
            raise TypeError(f"loss_weights: expected finite numbers, got {w!r}")
    total = OutputLosses(chosen, weights, [t.layer for t in model.outputs])
    per = per_output(metrics or [], names, "metrics", single=[])
    shared = per == [metrics or []] * len(names)  # given once, for every output with a loss
    compiled = []
    for k, (name, specs) in enumerate(zip(names, per, strict=True)):
        specs = specs if isinstance(specs, (list, tuple)) else [specs]
        if shared and chosen[k] is None:
            continue
        if specs and chosen[k] is None:
            raise ValueError(f"metrics: the output {name!r} has no loss, so no target to "
                             f"measure it against; give it a loss, or no metrics")
        compiled += [OutputMetric(metrics_module.get(m), k, name) for m in specs]
    return total, compiled


def loss_trackers(model) -> list:
    """The per-output loss entries of a model with several outputs (none otherwise)."""
    if not isinstance(model.loss, OutputLosses):
        return []
    names = model.output_names
    return [OutputLossMetric(model, k, names[k]) for k in model.loss.targeted]


def class_weights(class_weight, y: np.ndarray, name: str = "class_weight") -> np.ndarray:
    """Each sample's weight class_weight[label], the label being y itself (integer labels),
    the argmax of a one-hot row, or the rounded value of a one-unit output."""
    if not isinstance(class_weight, dict):
        raise TypeError(f"{name}: expected a dict {{class: weight}}, got "
                        f"{type(class_weight).__name__}")
    if y.ndim == 2 and y.shape[1] > 1:
        labels = y.argmax(axis=1)
    else:
        labels = np.round(y.reshape(-1)).astype(np.int64)
    missing = sorted(set(labels.tolist()) - set(class_weight))
    if missing:
        raise ValueError(f"{name}: no weight for the classes {missing} found in y; give one "
                         f"for each of {sorted(set(labels.tolist()))}")
    return np.array([class_weight[k] for k in labels.tolist()], dtype=np.float64)

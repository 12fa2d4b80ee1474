"""A graph-free training step for plain stacks of layers, the networks of the notes.

A Sequential model (or a functional model that is a single chain, after a Concatenate of its
inputs when it has several) of Dense, Activation, Dropout and Flatten layers trains with
backpropagation written out by hand (lecture 004's delta rule, layer by layer) instead of a
recorded Tensor graph. Each layer becomes a stage, a small named type with its forward and
backward pass on arrays (:mod:`rosenblatt._fast.stages`); the output activation that a fused
loss takes from the logits is a ``nn.fused.Head``.

- the matrix products write straight into the flat gradient vector (``np.matmul(..., out=)``);
- activations and their derivatives run in place on buffers kept from step to step, through
  each activation's in-place forms (``Activation.in_place``: a ReLU keeps a 0/1 mask, tanh
  reuses its output, other activations fall back to their value and derivative);
- the first layer's input gradient is never computed;
- softmax + cross-entropy and sigmoid + binary cross-entropy are computed from the logits, and
  so are the cross-entropies ``from_logits=True`` of a linear output (the same heads);
- the parameters and the gradient are the model's own flat vectors, and the optimizer
  updates the parameters in place, as on the general path (rotating through copies of the
  vectors and buffers, so that the update does not write what the matrix products have just
  read on other cores, measured no faster);
- with numba, the bias gradients and softmax cross-entropy run as compiled loops, one pass
  each (``rosenblatt.kernels.loops``), and so do the activations' compiled forms (bias + ReLU,
  its derivative with the bias gradient), which the activations choose themselves.

It implements the training loop's step protocol (``rosenblatt.training.loop.Step``), as the
general path does, and gives the same loss, gradient and outputs
(:func:`rosenblatt.training.loss_and_gradient`) up to float rounding; ``tests/test_fast.py``
checks this for every layer kind, activation, loss, reduction and regularizer it accepts.
``fit`` chooses between the two once (``training.loop.choose_step``); anything else (other
layers, shared layers, subclassed models) uses the general path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rosenblatt import kernels as _kernels
from rosenblatt._fast.stages import (
    ActivationStage,
    DenseStage,
    DropoutStage,
    FlattenStage,
    Penalty,
    StageContext,
)
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.nn import activations, fused, regularizers
from rosenblatt.nn.fused import Head
from rosenblatt.nn.layers import Activation, Dense, Dropout, Flatten

ENABLED = True  # set to False to train every model through the general (autodiff) path


@dataclass(frozen=True)
class Scratch:
    """A step's working memory, kept in the model's workspace for its next fit while the
    model's structure is the same (so are every buffer's shape): fresh memory costs a page
    fault per 4 KiB on first use, about 3% of an epoch of the notes' MNIST network."""

    buffers: dict  # batch rows -> one dict of buffers per stage
    ones: dict  # batch rows -> a vector of that many ones


def compile_step(model, head: Head | None):
    """A :class:`FastStep` for ``model`` when its layers and loss allow one, else None."""
    if not ENABLED or model.loss is None or model.loss.reduction not in ("mean", "sum"):
        return None
    found = model.chain_after_inputs()
    if found is None:
        return None
    positions, layers = found
    if not layers or len({layer.dtype for layer in layers} | {model._dtype()}) > 1:
        return None  # mixed float types cast between layers: the general path does that
    for layer in layers:
        if type(layer) is Dense:
            if not isinstance(layer.activation, activations.Activation) and not (
                layer is layers[-1] and head is not None
            ):
                return None
        elif type(layer) is Activation:
            if not isinstance(layer.activation, activations.Activation):
                return None
        elif type(layer) not in (Dropout, Flatten):
            return None
        if any(not isinstance(reg, regularizers.Regularizer)
               for _, reg in layer.regularization_terms()):
            return None
    return FastStep(model, layers, head, positions if len(positions) > 1 else None)


class FastStep:
    """``step(xb, yb) -> (loss, outputs)``: one forward and backward pass that writes the
    gradient into the model's flat gradient vector, as the general path does (the training
    loop's :class:`~rosenblatt.training.loop.Step` protocol); the optimizer then updates the
    model's flat parameter vector in place.

    ``outputs`` (the predictions, for metrics) may be a buffer the next step overwrites.
    """

    def __init__(self, model, layers, head: Head | None, positions=None):
        self.model = model
        # several inputs: the batch's arrays, concatenated in this order, feed the first layer
        self.positions = positions
        self.head = head  # the output activation the loss takes from the logits, or None
        # a loss from_logits reads the model's outputs as the logits: they are the predictions
        self.outputs_are_logits = head is not None and model.loss.from_logits
        self.reduction = model.loss.reduction
        self.loss = model.loss
        self.layers = layers
        self.theta, self.grad = model.flat_parameters()
        trainable = model.trainable_weights
        self.where, offset = {}, 0  # trainable weight -> (start, shape) in the flat vector
        for w in trainable:
            self.where[id(w)] = (offset, w.data.shape)
            offset += w.data.size
        first_trainable = next((i for i, layer in enumerate(layers) if type(layer) is Dense
                                and id(layer.kernel) in self.where), None)
        # backpropagation stops at the first layer with trainable weights
        self.first = len(layers) if first_trainable is None else first_trainable
        workspace = model.workspace()  # kept while the model's structure is the same
        if workspace.step_memory is None:
            workspace.step_memory = Scratch(buffers={}, ones={})
        scratch = workspace.step_memory
        self.buffers = scratch.buffers
        # compiled elementwise loops (or None) and the vectors of ones the stages share
        self.work = StageContext(model._dtype(), _kernels.loops(self.theta.size), scratch.ones)
        self.stages, self.penalties = self._stages()

    def _stages(self):
        """The stages (:mod:`rosenblatt._fast.stages`) and penalty terms, with the trainable
        weights read from the flat parameter vector and their gradients written into the
        flat gradient vector."""

        def view(vector, w):
            start, shape = self.where[id(w)]
            return vector[start:start + int(np.prod(shape))].reshape(shape)

        def weight(w):
            if w is None or id(w) not in self.where:
                return None if w is None else w.data  # frozen: not in the flat vector
            return view(self.theta, w)

        def gradient(w):
            return view(self.grad, w) if w is not None and id(w) in self.where else None

        stages = []
        for i, layer in enumerate(self.layers):
            if type(layer) is Dense:
                logits = i == len(self.layers) - 1 and self.head is not None  # the loss's g
                act = activations.linear if logits else layer.activation
                stages.append(DenseStage(
                    kernel=weight(layer.kernel), kernel_grad=gradient(layer.kernel),
                    bias=weight(layer.bias), bias_grad=gradient(layer.bias),
                    activation=act.in_place(self.work.loops)))
            elif type(layer) is Activation:
                stages.append(ActivationStage(layer.activation))
            elif type(layer) is Dropout:
                rng = layer._rng if layer._rng is not None else self.model._rng
                stages.append(DropoutStage(layer, rng))
            else:
                stages.append(FlattenStage())
        penalties = [Penalty(weight=weight(w), regularizer=reg,
                             gradient=gradient(w) if layer.trainable else None)
                     for layer in self.layers for w, reg in layer.regularization_terms()]
        return stages, penalties

    def _buffers(self, rows: int) -> list[dict]:
        """The buffers of this step's stages for a batch of ``rows`` rows."""
        bufs = self.buffers.get(rows)
        if bufs is None:
            bufs = self.buffers[rows] = [{} for _ in self.stages]
        return bufs

    # ------------------------------------------------------------------ one step
    def __call__(self, xb: np.ndarray, yb: np.ndarray):
        bufs, work = self._buffers(len(xb)), self.work
        inputs, saved = [], []
        h = xb if self.positions is None else self._concatenated(xb.arrays, bufs[0])
        for stage, store in zip(self.stages, bufs, strict=True):
            inputs.append(h)
            h, keep = stage.forward(h, store, work)
            saved.append(keep)
        loss, g, outputs = self._loss_head(h, yb, bufs[-1])
        for i in range(len(self.stages) - 1, self.first - 1, -1):
            g = self.stages[i].backward(inputs[i], saved[i], g, bufs[i], work, i > self.first)
        for term in self.penalties:
            loss += float(term.regularizer.penalty(term.weight))
            view = term.gradient
            if view is not None:
                view += term.regularizer.gradient(term.weight)
        return loss, outputs

    def _concatenated(self, arrays, store):
        """The inputs joined along their features in the model's Concatenate order, in a
        buffer of the first stage's ``store`` (backpropagation stops before the join)."""
        parts = [arrays[i] for i in self.positions]
        shape = (len(parts[0]), sum(p.shape[1] for p in parts))
        return np.concatenate(parts, axis=1, out=self.work.buffer(store, "joined inputs", shape))

    # ------------------------------------------------------------------ loss
    def _loss_head(self, out, yb, store):
        """(loss, dL/d(out), predictions) for the last stage's output."""
        rows = len(out)
        scale = 1.0 / rows if self.reduction == "mean" else 1.0
        if self.head is not None:
            if self.head is Head.SOFTMAX:
                loss, g, p = self._softmax_head(out, yb, store, scale)
            else:
                loss, g, p = self._sigmoid_head(out, yb, scale)
            return loss, g, out if self.outputs_are_logits else p
        t = Tensor(out, requires_grad=True)
        loss = self.loss(yb, t)
        if loss.ndim:
            raise ValueError("fit: the loss must reduce to a number: use reduction 'mean' or "
                             "'sum'")
        loss.backward()
        return float(loss.data), t.grad, out

    def _softmax_head(self, z, yb, store, scale):
        work = self.work
        p, g = work.buffer(store, "p", z.shape), work.buffer(store, "g", z.shape)
        if yb.ndim == 1 and yb.dtype.kind in "iu" and work.loops is not None:  # checked by fit
            total = work.loops.softmax_cross_entropy_index(z, yb, p, g, z.dtype.type(scale))
            return total * scale, g, p
        if yb.ndim == 1:  # integer labels (fit has checked their range)
            per_sample, p, g = fused.softmax_cross_entropy_arrays(z, index=yb, p=p, g=g)
        else:
            per_sample, p, g = fused.softmax_cross_entropy_arrays(
                z, y=yb.astype(z.dtype, copy=False), p=p, g=g)
        g *= scale
        return float(per_sample.sum()) * scale, g, p

    def _sigmoid_head(self, z, yb, scale):
        elementwise, p, g = fused.sigmoid_binary_cross_entropy_arrays(
            z, yb.astype(z.dtype, copy=False))
        cols = z.shape[1]
        g *= scale / cols
        return float(np.add.reduce(elementwise, axis=None)) * scale / cols, g, p

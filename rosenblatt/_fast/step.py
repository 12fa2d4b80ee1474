"""A graph-free training step for plain stacks of layers, the networks of the notes.

A Sequential model (or a functional model that is a single chain) of Dense, Activation,
Dropout and Flatten layers trains with backpropagation written out by hand (lecture 004's
delta rule, layer by layer) instead of a recorded Tensor graph:

- the matrix products write straight into the flat gradient vector (``np.matmul(..., out=)``);
- activations and their derivatives run in place on buffers kept from step to step, through
  each activation's in-place forms (``Activation.in_place``: a ReLU keeps a 0/1 mask, tanh
  reuses its output, other activations fall back to their value and derivative);
- the first layer's input gradient is never computed;
- softmax + cross-entropy and sigmoid + binary cross-entropy are computed from the logits;
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

import numpy as np

from rosenblatt import kernels as _kernels
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.nn import activations, fused, regularizers
from rosenblatt.nn.layers import Activation, Dense, Dropout, Flatten

ENABLED = True  # set to False to train every model through the general (autodiff) path


def compile_step(model, fused_kind):
    """A :class:`FastStep` for ``model`` when its layers and loss allow one, else None."""
    if not ENABLED or model.loss is None or model.loss.reduction not in ("mean", "sum"):
        return None
    layers = model.chain()
    if not layers or len({layer.dtype for layer in layers}) > 1:
        return None  # mixed float types cast between layers: the general path does that
    for layer in layers:
        if type(layer) is Dense:
            if not isinstance(layer.activation, activations.Activation) and not (
                layer is layers[-1] and fused_kind is not None
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
    return FastStep(model, layers, fused_kind)


class FastStep:
    """``step(xb, yb) -> (loss, outputs)``: one forward and backward pass that writes the
    gradient into the model's flat gradient vector, as the general path does (the training
    loop's :class:`~rosenblatt.training.loop.Step` protocol); the optimizer then updates the
    model's flat parameter vector in place.

    ``outputs`` (the predictions, for metrics) may be a buffer the next step overwrites.
    """

    def __init__(self, model, layers, fused_kind):
        self.model = model
        self.fused_kind = fused_kind
        self.dtype = model._dtype()
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
        # the step's buffers are kept on the model for the next fit while its flat vector and
        # layers are the same (so are every buffer's shape): fresh memory costs a page fault
        # per 4 KiB on first use, about 3% of an epoch of the notes' MNIST network
        key = (self.theta, tuple(layers))
        scratch = model.__dict__.get("_fast_scratch")
        if scratch is None or scratch[0][0] is not self.theta or scratch[0][1:] != key[1:]:
            scratch = (key, {}, {})
            object.__setattr__(model, "_fast_scratch", scratch)
        _, self.buffers, self.ones = scratch
        self.loops = _kernels.loops(self.theta.size)  # compiled elementwise loops or None
        self.stages, self.penalties = self._stages()

    def _stages(self):
        """The stages and (weight, regularizer, gradient) penalty terms with the trainable
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
                logits = i == len(self.layers) - 1 and self.fused_kind  # the loss applies g
                act = activations.linear if logits else layer.activation
                stages.append(("dense", weight(layer.kernel), gradient(layer.kernel),
                               weight(layer.bias), gradient(layer.bias),
                               act.in_place(self.loops)))
            elif type(layer) is Activation:
                stages.append(("activation", layer.activation))
            elif type(layer) is Dropout:
                stages.append(("dropout", layer))
            else:
                stages.append(("flatten",))
        penalties = [(weight(w), reg, gradient(w) if layer.trainable else None)
                     for layer in self.layers for w, reg in layer.regularization_terms()]
        return stages, penalties

    def _buffers(self, rows: int) -> list[dict]:
        """The buffers of this step's stages for a batch of ``rows`` rows."""
        bufs = self.buffers.get(rows)
        if bufs is None:
            bufs = self.buffers[rows] = [{} for _ in self.stages]
        return bufs

    def _buffer(self, store: dict, key: str, shape) -> np.ndarray:
        buf = store.get(key)
        if buf is None:
            buf = store[key] = np.empty(shape, self.dtype)
        return buf

    def _ones(self, rows: int) -> np.ndarray:
        ones = self.ones.get(rows)
        if ones is None:
            ones = self.ones[rows] = np.ones(rows, self.dtype)
        return ones

    # ------------------------------------------------------------------ one step
    def __call__(self, xb: np.ndarray, yb: np.ndarray):
        rows = len(xb)
        bufs = self._buffers(rows)
        inputs, saved = [], []
        h = xb
        for stage, store in zip(self.stages, bufs, strict=True):
            inputs.append(h)
            h, keep = self._forward(stage, store, h, rows)
            saved.append(keep)
        loss, g, outputs = self._loss_head(h, yb, bufs[-1])
        for i in range(len(self.stages) - 1, self.first - 1, -1):
            g = self._backward(self.stages[i], bufs[i], inputs[i], saved[i], g, i > self.first)
        for w, reg, view in self.penalties:
            loss += float(reg.penalty(w))
            if view is not None:
                view += reg.gradient(w)
        return loss, outputs

    def _forward(self, stage, store, h, rows):
        """(output, what backward needs) of one stage."""
        kind = stage[0]
        if kind == "dense":
            _, W, _, b, _, act = stage
            z = np.matmul(h, W, out=self._buffer(store, "z", (rows, W.shape[1])))
            return act.forward(z, b, lambda: self._buffer(store, "mask", z.shape))
        if kind == "activation":
            y = stage[1].value(h)
            return y, y
        if kind == "dropout":
            layer = stage[1]
            if layer.rate == 0.0:
                return h, None
            rng = layer._rng if layer._rng is not None else self.model._rng
            keep = rng.random(h.shape) >= layer.rate  # the draws of Dropout.call, in order
            scale = keep.astype(h.dtype) / np.asarray(1 - layer.rate, h.dtype)
            return h * scale, scale
        return h.reshape(rows, -1), None

    def _backward(self, stage, store, h, keep, g, need_input_grad):
        """dL/d(input) of one stage from dL/d(output) ``g``, filling its weight gradients."""
        kind = stage[0]
        if kind == "dense":
            _, W, gW, _, gb, act = stage
            loops = self.loops
            g = act.backward(g, keep, self._buffer(store, "dz", g.shape), gb)
            if act.sums_bias:
                gb = None  # the activation's backward has summed it
            if gW is not None:
                np.matmul(h.T, g, out=gW)
            if gb is not None:  # sum over the batch: one pass, or a matrix-vector product
                if loops is not None and g.flags.c_contiguous:
                    loops.column_sums(g, gb)
                else:
                    np.matmul(self._ones(len(g)), g, out=gb)
            if not need_input_grad:
                return None
            return np.matmul(g, W.T, out=self._buffer(store, "dx", h.shape))
        if kind == "activation":
            return g * stage[1].derivative(h, keep)
        if kind == "dropout":
            return g if keep is None else g * keep
        return g.reshape(h.shape)

    # ------------------------------------------------------------------ loss
    def _loss_head(self, out, yb, store):
        """(loss, dL/d(out), predictions) for the last stage's output."""
        rows = len(out)
        scale = 1.0 / rows if self.reduction == "mean" else 1.0
        if self.fused_kind == "softmax":
            return self._softmax_head(out, yb, store, scale)
        if self.fused_kind == "sigmoid":
            return self._sigmoid_head(out, yb, scale)
        t = Tensor(out, requires_grad=True)
        loss = self.loss(yb, t)
        if loss.ndim:
            raise ValueError("fit: the loss must reduce to a number: use reduction 'mean' or "
                             "'sum'")
        loss.backward()
        return float(loss.data), t.grad, out

    def _softmax_head(self, z, yb, store, scale):
        p, g = self._buffer(store, "p", z.shape), self._buffer(store, "g", z.shape)
        if yb.ndim == 1 and yb.dtype.kind in "iu" and self.loops is not None:  # checked by fit
            total = self.loops.softmax_cross_entropy_index(z, yb, p, g, z.dtype.type(scale))
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

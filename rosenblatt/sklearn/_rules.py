"""scikit-learn's MLP training rules, run inside rosenblatt's own ``fit``.

:class:`EpochRules` is a rosenblatt callback: at the end of every epoch it does what
scikit-learn's ``_fit_stochastic`` does after each pass over the data (record the loss, count
epochs without improvement, change the learning rate of ``'invscaling'`` and ``'adaptive'``,
keep the best weights for ``early_stopping``) and stops the fit when scikit-learn would;
before every batch it sets what scikit-learn's step depends on (the penalty's batch size,
Adam's epsilon).
:func:`fit_lbfgs` minimizes the full-batch loss with SciPy's L-BFGS-B, as scikit-learn does,
with rosenblatt's step computing the loss and its gradient.
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, no_grad
from rosenblatt.nn import fused
from rosenblatt.training.callbacks import Callback
from rosenblatt.training.loop import choose_step, prepare_x, prepare_y

SMALLEST_ADAPTIVE_RATE = 1e-6  # scikit-learn's SGD stops when 'adaptive' reaches it


class EpochRules(Callback):
    """scikit-learn's bookkeeping for ``estimator`` (an MLP estimator) around rosenblatt's
    steps, on ``n_samples`` training samples in batches of ``batch``; ``validation`` is
    (X_val, y_val) for early stopping or None; ``single_epoch`` is partial_fit's one pass.

    Before each batch it sets what scikit-learn's step depends on that rosenblatt's keeps
    fixed: ``alpha``'s penalty divided by this batch's own size (the last may be smaller) and
    Adam's epsilon, which scikit-learn adds to sqrt(v) where rosenblatt adds it to
    sqrt(v_hat) = sqrt(v / (1 - beta_2^t)): rosenblatt's epsilon is scikit-learn's (over c,
    see ``BaseMLP._scale``) divided by sqrt(1 - beta_2^t).
    """

    def __init__(self, estimator, n_samples: int, batch: int, validation, single_epoch: bool):
        super().__init__()
        self.estimator = estimator
        self.scale = estimator._scale()
        self.penalty_apart = estimator._loss_factor() != self.scale  # see sklearn_loss
        self.n_samples = n_samples
        self.batch = batch
        self.validation = validation
        self.single_epoch = single_epoch
        self.epsilon = estimator.epsilon / self.scale
        self._rows = None  # the batch size alpha's penalty is set for
        self._penalty_sum = 0.0  # sum of rows * penalty over the epoch's batches, if needed

    def on_epoch_begin(self, epoch, logs=None):
        self._penalty_sum = 0.0

    def on_train_batch_begin(self, batch, logs=None):
        est, optimizer = self.estimator, self.model.optimizer
        rows = min(self.batch, self.n_samples - batch * self.batch)
        if rows != self._rows:
            est._set_alpha(rows)
            self._rows = rows
        if est.solver == "adam":
            t = optimizer.iterations + 1
            optimizer.epsilon = self.epsilon / math.sqrt(1.0 - optimizer.beta_2**t)
        if self.penalty_apart:
            self._penalty_sum += rows * penalty(self.model)

    def on_epoch_end(self, epoch, logs=None):
        est = self.estimator
        est.n_iter_ += 1
        est.t_ += self.n_samples
        est.loss_ = sklearn_loss(est, float(logs["loss"]), self._penalty_sum / self.n_samples)
        est.loss_curve_.append(est.loss_)
        if est.verbose:
            print(f"Iteration {est.n_iter_}, loss = {est.loss_:.8f}")
        self._count_no_improvement()
        optimizer = self.model.optimizer
        if est.solver == "sgd" and est.learning_rate == "invscaling":
            self._set_rate(optimizer, est.learning_rate_init / (est.t_ + 1) ** est.power_t)
        if est._no_improvement_count > est.n_iter_no_change:
            if self._stop(optimizer):
                self.model.stop_training = True
                est._converged = True
                return
            est._no_improvement_count = 0
        if self.single_epoch:
            self.model.stop_training = True

    def _set_rate(self, optimizer, eta: float) -> None:
        """SGD's learning rate becomes eta (scikit-learn's), keeping scikit-learn's velocity:
        scikit-learn keeps u = -eta v of rosenblatt's (PyTorch's) v, built up at the old
        rate, so v is scaled by old rate / new rate."""
        new, old = eta * self.scale, optimizer.learning_rate
        state = optimizer.get_state()
        if optimizer.momentum > 0 and len(state) > 1 and new != old:
            optimizer.set_state({key: value if key == "iterations" else value * (old / new)
                                 for key, value in state.items()})
        optimizer.learning_rate = new

    def _count_no_improvement(self) -> None:
        """scikit-learn's ``_update_no_improvement_count``."""
        est = self.estimator
        if self.validation is not None:
            score = est._validation_score(*self.validation)
            est.validation_scores_.append(score)
            if score < est.best_validation_score_ + est.tol:
                est._no_improvement_count += 1
            else:
                est._no_improvement_count = 0
            if score > est.best_validation_score_:
                est.best_validation_score_ = score
                est._best_weights = [w.copy() for w in self.model.get_weights()]
            return
        if est.loss_curve_[-1] > est.best_loss_ - est.tol:
            est._no_improvement_count += 1
        else:
            est._no_improvement_count = 0
        if est.loss_curve_[-1] < est.best_loss_:
            est.best_loss_ = est.loss_curve_[-1]

    def _stop(self, optimizer) -> bool:
        """scikit-learn's ``trigger_stopping``: True to stop, False after dividing an
        'adaptive' SGD learning rate by 5."""
        est = self.estimator
        measure = "validation score" if self.validation is not None else "training loss"
        if est.verbose:
            print(f"{measure.capitalize()} did not improve more than tol={est.tol} for "
                  f"{est.n_iter_no_change} consecutive epochs.")
        if est.solver != "sgd" or est.learning_rate != "adaptive":
            return True
        eta = optimizer.learning_rate / self.scale
        if eta <= SMALLEST_ADAPTIVE_RATE:
            return True
        self._set_rate(optimizer, eta / 5.0)
        if est.verbose:
            print(f"Setting learning rate to {eta / 5.0:f}")
        return False


def penalty(model) -> float:
    """The model's L2 penalty sum_l l2 ||W_l||^2 at its current weights."""
    return sum(layer.kernel_regularizer.penalty(layer.kernel.data) for layer in model.layers)


def sklearn_loss(estimator, loss: float, penalty_value: float) -> float:
    """scikit-learn's loss from rosenblatt's ``loss`` (penalty included) and the penalty's
    part of it: f * data loss + c * penalty (``estimator._loss_factor()``, ``_scale()``)."""
    f, c = estimator._loss_factor(), estimator._scale()
    return loss * c if f == c else f * (loss - penalty_value) + c * penalty_value


def fit_lbfgs(estimator, model, X, Y) -> None:
    """Minimize the full-batch loss of ``model`` on (X, Y) with SciPy's L-BFGS-B, as
    scikit-learn's ``_fit_lbfgs`` does (``maxfun=max_fun``, ``maxiter=max_iter``,
    ``gtol=tol``), on scikit-learn's loss and gradient (which for several regression
    outputs follow the mean and the sum over outputs: scikit-learn's numbers); the
    parameters travel as float64, the model keeps its dtype."""
    from scipy.optimize import minimize

    x = prepare_x(model, X)
    y = prepare_y(model, Y, len(x))
    theta, grad = model.flat_parameters()
    step = choose_step(model, model.fused_output())
    scale = estimator._scale()

    def loss_and_gradient(params):
        theta[...] = params
        loss, _ = step(x, y)
        return sklearn_loss(estimator, loss, penalty(model)), grad.astype(np.float64) * scale

    result = minimize(loss_and_gradient, theta.astype(np.float64), method="L-BFGS-B", jac=True,
                      options={"maxfun": estimator.max_fun, "maxiter": estimator.max_iter,
                               "gtol": estimator.tol})
    theta[...] = result.x
    estimator.n_iter_ = int(result.nit)
    estimator.loss_ = float(result.fun)
    estimator._converged = result.status == 0
    estimator.t_ = 0


def shuffles(random_state, n: int):
    """Each epoch's sample order as scikit-learn draws it: the previous epoch's order
    shuffled again, as ``sklearn.utils.shuffle`` does (the estimator's RandomState shuffles
    0..n-1, which then index the previous order), without its checks (a tenth of the time)."""
    order = np.arange(n)

    def next_order(rows: int) -> np.ndarray:
        nonlocal order
        index = np.arange(n)
        random_state.shuffle(index)
        order = order[index]
        return order

    return next_order


def forward_in_float64(model, X: np.ndarray) -> np.ndarray:
    """The predictions of a float32 model of Dense layers for a float64 ``X``, in float64 (the
    input's type, as scikit-learn's): no row's prediction then moves with the rows beside it,
    as float32 products of batches of other sizes round differently."""
    with no_grad():
        for layer in model.layers:
            X = fused.dense(X, Tensor(layer.kernel.data.astype(X.dtype)),
                            Tensor(layer.bias.data.astype(X.dtype)), layer.activation).data
    return X

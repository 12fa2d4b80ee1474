"""scikit-learn's MLP training rules, run inside rosenblatt's own ``fit``.

:class:`EpochRules` is a rosenblatt callback: at the end of every epoch it does what
scikit-learn's ``_fit_stochastic`` does after each pass over the data (record the loss, count
epochs without improvement, change the learning rate of ``'invscaling'`` and ``'adaptive'``,
keep the best weights for ``early_stopping``) and stops the fit when scikit-learn would.
:func:`fit_lbfgs` minimizes the full-batch loss with SciPy's L-BFGS-B, as scikit-learn does,
with rosenblatt's step computing the loss and its gradient.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.training.callbacks import Callback
from rosenblatt.training.loop import choose_step, prepare_x, prepare_y

SMALLEST_ADAPTIVE_RATE = 1e-6  # scikit-learn's SGD stops when 'adaptive' reaches it


class EpochRules(Callback):
    """scikit-learn's end-of-epoch bookkeeping for ``estimator`` (an MLP estimator).

    ``scale`` is the factor c with sklearn's loss = c * rosenblatt's loss (see
    ``BaseMLP._scale``); ``validation`` is (X_val, y_val) for early stopping or None;
    ``single_epoch`` is partial_fit's one pass.
    """

    def __init__(self, estimator, scale: float, n_samples: int, validation, single_epoch: bool):
        super().__init__()
        self.estimator = estimator
        self.scale = scale
        self.n_samples = n_samples
        self.validation = validation
        self.single_epoch = single_epoch

    def on_epoch_end(self, epoch, logs=None):
        est = self.estimator
        est.n_iter_ += 1
        est.t_ += self.n_samples
        est.loss_ = float(logs["loss"]) * self.scale
        est.loss_curve_.append(est.loss_)
        if est.verbose:
            print(f"Iteration {est.n_iter_}, loss = {est.loss_:.8f}")
        self._count_no_improvement()
        optimizer = self.model.optimizer
        if est.solver == "sgd" and est.learning_rate == "invscaling":
            eta = est.learning_rate_init / (est.t_ + 1) ** est.power_t
            optimizer.learning_rate = eta * self.scale
        if est._no_improvement_count > est.n_iter_no_change:
            if self._stop(optimizer):
                self.model.stop_training = True
                est._converged = True
                return
            est._no_improvement_count = 0
        if self.single_epoch:
            self.model.stop_training = True

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
        optimizer.learning_rate = eta / 5.0 * self.scale
        if est.verbose:
            print(f"Setting learning rate to {eta / 5.0:f}")
        return False


def fit_lbfgs(estimator, model, X, Y, scale: float) -> None:
    """Minimize the full-batch loss of ``model`` on (X, Y) with SciPy's L-BFGS-B, as
    scikit-learn's ``_fit_lbfgs`` does (``maxfun=max_fun``, ``maxiter=max_iter``,
    ``gtol=tol``); the parameters travel as float64, the model keeps its dtype."""
    from scipy.optimize import minimize

    x = prepare_x(model, X)
    y = prepare_y(model, Y, len(x))
    theta, grad = model.flat_parameters()
    step = choose_step(model, model.fused_output())

    def loss_and_gradient(params):
        theta[...] = params
        loss, _ = step(x, y)
        return loss * scale, grad.astype(np.float64) * scale

    result = minimize(loss_and_gradient, theta.astype(np.float64), method="L-BFGS-B", jac=True,
                      options={"maxfun": estimator.max_fun, "maxiter": estimator.max_iter,
                               "gtol": estimator.tol})
    theta[...] = result.x
    estimator.n_iter_ = int(result.nit)
    estimator.loss_ = float(result.fun)
    estimator._converged = result.status == 0
    estimator.t_ = 0

"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn's names, rosenblatt's models and training.

Each estimator builds a rosenblatt :class:`~rosenblatt.models.Sequential` of Dense layers
(``model_``) and trains it with rosenblatt's own ``fit`` (so chains of Dense layers get the
graph-free fast step); scikit-learn's rules around the epochs (loss curve, ``tol`` and
``n_iter_no_change``, learning-rate schedules, early stopping) run in a callback.

How scikit-learn's losses map onto rosenblatt's: scikit-learn's loss is c times rosenblatt's
(c = 1 for softmax outputs with categorical cross-entropy; c = k for k logistic outputs,
whose binary cross-entropy scikit-learn sums over outputs where rosenblatt averages; c = k/2 for
regression, scikit-learn's half squared error summed over outputs in the gradient against
rosenblatt's mean squared error). So SGD's learning rate is ``c * learning_rate_init``, Adam's
``epsilon`` is ``epsilon / c`` (Adam does not see the scale otherwise), and ``alpha``'s penalty
``0.5 alpha ||W||^2 / batch`` becomes an L2 regularizer ``l2 = alpha / (2 c batch)``, set
before each batch for its own size. Where the two optimizers write the same step in other
forms (Adam's epsilon, SGD's velocity when the learning rate changes) the callback converts
(see ``_rules``): the steps are scikit-learn's. So are the random draws:
the weights, the validation split and each epoch's order of the samples come from
scikit-learn's RandomState in its order (``_rules.shuffles``).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as _SkMLPClassifier
from sklearn.neural_network import MLPRegressor as _SkMLPRegressor
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import check_is_fitted, validate_data

from rosenblatt.models.sequential import Sequential
from rosenblatt.nn import activations
from rosenblatt.nn.initializers import RandomUniform
from rosenblatt.nn.layers import Dense
from rosenblatt.nn.optimizers import SGD, Adam
from rosenblatt.nn.regularizers import L2
from rosenblatt.training import loop as training

from ._rules import EpochRules, fit_lbfgs, forward_in_float64, shuffles
from .docs import CLASSIFIER_DOC, REGRESSOR_DOC

SKLEARN_ACTIVATIONS = {"identity": "linear", "logistic": "sigmoid", "tanh": "tanh",
                       "relu": "relu"}
_OUTPUT = {"softmax": ("softmax", "categorical_crossentropy"),
           "logistic": ("sigmoid", "binary_crossentropy"),
           "identity": ("linear", "mean_squared_error")}


def _bound(fan_in: int, fan_out: int, activation: str) -> float:
    """Glorot's uniform bound sqrt(f / (fan_in + fan_out)), scikit-learn's f: 2 for the
    logistic, else 6."""
    return float(np.sqrt((2.0 if activation == "sigmoid" else 6.0) / (fan_in + fan_out)))


class BaseMLP(BaseEstimator):
    """What MLPClassifier and MLPRegressor share: parameters, the model, the training."""

    _parameter_constraints = {**_SkMLPClassifier._parameter_constraints, "activation": [str],
                              "dtype": [str, None]}

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 dtype="float32"):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.dtype = dtype

    # ------------------------------------------------------------------ fitted attributes
    @property
    def coefs_(self) -> list[np.ndarray]:
        """The kernels W of the layers, (in, out) each: views of the model's parameters."""
        return [layer.kernel.data for layer in self._dense_layers()]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """The biases b of the layers, (out,) each: views of the model's parameters."""
        return [layer.bias.data for layer in self._dense_layers()]

    @property
    def n_layers_(self) -> int:
        return len(self._dense_layers()) + 1

    def _dense_layers(self) -> list:
        if "model_" not in self.__dict__:
            raise AttributeError(f"This {type(self).__name__} is not fitted yet")
        return self.model_.layers

    # ------------------------------------------------------------------ training
    def _check_names(self) -> str:
        """rosenblatt's name of ``activation``, raising if it is neither library's."""
        if self.activation in SKLEARN_ACTIVATIONS:
            return SKLEARN_ACTIVATIONS[self.activation]
        if self.activation in activations.names():
            return self.activation
        raise ValueError(f"activation: expected one of scikit-learn's "
                         f"{sorted(SKLEARN_ACTIVATIONS)} or rosenblatt's {activations.names()}, "
                         f"got {self.activation!r}")

    def _fit(self, X, y, incremental: bool, classes=None):
        """Check everything, then train; a call refused before training changes nothing."""
        saved = dict(self.__dict__)
        try:
            return self._checked_fit(X, y, incremental, classes)
        except BaseException:
            if not self.__dict__.get("_training"):
                self.__dict__.clear()
                self.__dict__.update(saved)
            raise
        finally:
            self.__dict__.pop("_training", None)

    def _checked_fit(self, X, y, incremental: bool, classes):
        self._validate_params()
        hidden = self._hidden_sizes()
        activation = self._check_names()
        if self.dtype not in ("float32", "float64", None):
            raise ValueError(f"dtype: expected 'float32', 'float64' or None (the input's), got "
                             f"{self.dtype!r}")
        if incremental and self.solver == "lbfgs":
            raise ValueError("solver: partial_fit needs 'sgd' or 'adam', got 'lbfgs'")
        if incremental and self.early_stopping:
            raise ValueError("early_stopping: partial_fit does not support early_stopping=True "
                             "(one epoch has no validation rounds)")
        reset = not ((self.warm_start or incremental) and "model_" in self.__dict__)
        X, y = validate_data(self, X, y, reset=reset, multi_output=True,
                             dtype=(np.float64, np.float32), y_numeric=not is_classifier(self))
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        Y = self._encode(y, reset, incremental, classes)
        dtype = np.dtype(self.dtype or X.dtype) if reset else self.model_._dtype()
        X, Y = X.astype(dtype, copy=False), Y.astype(dtype, copy=False)
        n_validation = int(np.ceil(self.validation_fraction * len(X)))
        early = self.early_stopping and self.solver != "lbfgs"
        if early and not incremental and n_validation < 2:
            raise ValueError(f"validation_fraction: the validation set is too small "
                             f"({n_validation} of {len(X)} samples); increase "
                             "validation_fraction or the number of samples")
        # scikit-learn's order of draws from one RandomState, made anew by every call: the
        # initial weights, the validation split, then each epoch's shuffle
        self._random_state = check_random_state(self.random_state)
        if reset:
            initial = self._initial_weights([X.shape[1], *hidden, Y.shape[1]], activation)
        validation = None
        if early:
            stratify = Y if is_classifier(self) and Y.shape[1] == 1 else None  # scikit-learn's
            X, X_val, Y, _, _, y_val = train_test_split(
                X, Y, y, random_state=self._random_state, test_size=self.validation_fraction,
                stratify=stratify)
            validation = (X_val, y_val)
        if reset:
            self._build(initial, activation, dtype)
        self._training = True
        if self.solver == "lbfgs":
            self._set_alpha(len(X))
            self._compile(SGD(learning_rate=0.0))
            fit_lbfgs(self, self.model_, X, Y)
            if not self._converged:
                warnings.warn(f"lbfgs failed to converge after {self.n_iter_} iteration(s)",
                              ConvergenceWarning, stacklevel=4)
            return self
        self._fit_stochastic(X, Y, validation, incremental)
        return self

    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
        if any(not isinstance(s, (int, np.integer)) or s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes: expected positive integers, got {sizes}")
        return [int(s) for s in sizes]

    def _initial_weights(self, sizes, activation) -> list[np.ndarray]:
        """scikit-learn's initial weights, drawn as it draws them from ``_random_state``:
        layer by layer the kernel, then the bias, uniform in +-sqrt(f / (fan_in + fan_out))
        (Glorot's bound; f = 2 for the logistic, else 6). Sets ``out_activation_``."""
        self.out_activation_ = self._out_activation(sizes[-1])
        weights = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            bound = _bound(fan_in, fan_out, activation)
            weights.append(self._random_state.uniform(-bound, bound, (fan_in, fan_out)))
            weights.append(self._random_state.uniform(-bound, bound, fan_out))
        return weights

    def _build(self, initial, activation, dtype) -> None:
        """A fresh model of Dense layers holding the ``initial`` weights (in ``dtype``)."""
        seed = 0  # the model's own generator draws nothing: fit takes scikit-learn's order
        layers = []
        for i, kernel in enumerate(initial[0::2]):
            bound = _bound(*kernel.shape, activation)  # the distribution, for the config
            last = i == len(initial) // 2 - 1
            layers.append(Dense(kernel.shape[1],
                                _OUTPUT[self.out_activation_][0] if last else activation,
                                kernel_initializer=RandomUniform(-bound, bound),
                                bias_initializer=RandomUniform(-bound, bound),
                                kernel_regularizer=L2(0.0), dtype=str(dtype)))
        model = Sequential(layers, seed=seed)
        model.build((initial[0].shape[0],))
        model.set_weights([w.astype(dtype) for w in initial])
        self.model_ = model
        self.n_outputs_ = initial[-1].shape[0]
        self.n_iter_ = self.t_ = 0
        self.loss_curve_ = []
        self._no_improvement_count = 0
        if self.early_stopping:
            self.validation_scores_, self.best_validation_score_ = [], -np.inf
            self.best_loss_ = None
        else:
            self.validation_scores_ = self.best_validation_score_ = None
            self.best_loss_ = np.inf

    def _scale(self) -> float:
        """c with scikit-learn's loss = c * rosenblatt's loss, in the gradient (see the
        module's text)."""
        return {"softmax": 1.0, "logistic": float(self.n_outputs_),
                "identity": self.n_outputs_ / 2.0}[self.out_activation_]

    def _loss_factor(self) -> float:
        """f with the data term of scikit-learn's ``loss_`` = f * rosenblatt's: c, except for
        regression, where scikit-learn reports half the squared error's mean over the
        outputs (its gradient follows their sum)."""
        return 0.5 if self.out_activation_ == "identity" else self._scale()

    def _set_alpha(self, batch: int) -> None:
        """alpha's penalty 0.5 alpha ||W||^2 / batch as rosenblatt's L2 regularizer."""
        l2 = self.alpha / (2.0 * self._scale() * batch)
        for layer in self.model_.layers:
            layer.kernel_regularizer.l2 = l2

    def _compile(self, optimizer) -> None:
        self.model_.compile(optimizer=optimizer, loss=_OUTPUT[self.out_activation_][1])

    def _optimizer(self):
        """rosenblatt's SGD or Adam taking scikit-learn's steps on rosenblatt's loss (the
        training callback keeps Adam's epsilon and SGD's velocity in scikit-learn's form)."""
        c = self._scale()
        if self.solver == "sgd":
            return SGD(learning_rate=self.learning_rate_init * c, momentum=self.momentum,
                       nesterov=bool(self.nesterovs_momentum and self.momentum > 0))
        return Adam(learning_rate=self.learning_rate_init, beta_1=self.beta_1,
                    beta_2=self.beta_2, epsilon=self.epsilon / c)

    def _fit_stochastic(self, X, Y, validation, incremental: bool) -> None:
        n = len(X)  # the training part, after early stopping's split (scikit-learn's)
        if self.batch_size == "auto":
            batch = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is "
                              "going to be clipped", stacklevel=5)
            batch = int(np.clip(self.batch_size, 1, n))
        if not incremental or self.model_.optimizer is None:
            self._compile(self._optimizer())
        self._converged = False
        self.n_iter_ = 0  # scikit-learn counts the epochs of this call
        rules = EpochRules(self, n, batch, validation, incremental)
        epochs = 1 if incremental else self.max_iter
        training.fit(self.model_, X, Y, batch_size=batch, epochs=epochs,
                     shuffle=bool(self.shuffle), verbose=0, callbacks=[rules],
                     order=shuffles(self._random_state, n))
        if self.model_.stop_reason and "loss became" in self.model_.stop_reason:
            warnings.warn(f"fit: {self.model_.stop_reason}", RuntimeWarning, stacklevel=5)
        if validation is not None:
            self.model_.set_weights(self._best_weights)
        if not incremental and not self._converged:
            warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached "
                          "and the optimization hasn't converged yet.", ConvergenceWarning,
                          stacklevel=5)

    def _forward(self, X) -> np.ndarray:
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        if X.dtype == np.float64 and self.model_._dtype() != np.float64:
            return forward_in_float64(self.model_, X)
        out = self.model_.predict(X.astype(self.model_._dtype(), copy=False))
        return out.astype(X.dtype, copy=False)  # the input's type, as scikit-learn's

    def _sgd_or_adam(self) -> bool:
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(f"partial_fit is only available for stochastic optimizers. "
                                 f"{self.solver} is not stochastic.")
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags


class MLPClassifier(ClassifierMixin, BaseMLP):
    __doc__ = CLASSIFIER_DOC

    def fit(self, X, y):
        """Train on ``X`` (n, d) and labels ``y`` (n,) or label indicators (n, k). Returns
        self."""
        return self._fit(X, y, incremental=False)

    @available_if(BaseMLP._sgd_or_adam)
    def partial_fit(self, X, y, classes=None):
        """One epoch on ``X``, ``y``; ``classes`` (every label) is required on the first call."""
        return self._fit(X, y, incremental=True, classes=classes)

    def _encode(self, y, reset, incremental, classes):
        check_classification_targets(y)
        if incremental:
            if _check_partial_fit_first_call(self, classes):
                self._label_binarizer = LabelBinarizer()
                self._label_binarizer.fit(y if type_of_target(y).startswith("multilabel")
                                          else classes)
        elif reset or "_label_binarizer" not in self.__dict__:
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            new = unique_labels(y)
            if set(new) - set(self.classes_):
                raise ValueError(f"y: warm_start can only be used where y has the same classes "
                                 f"as in the previous call to fit: {self.classes_.tolist()}, "
                                 f"got {new.tolist()}")
        if incremental and set(unique_labels(y)) - set(self.classes_):
            raise ValueError(f"y: expected labels in classes_ {self.classes_.tolist()}, got "
                             f"{unique_labels(y).tolist()}")
        return self._label_binarizer.transform(y).astype(np.float64)

    def _out_activation(self, n_outputs) -> str:
        return "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"

    def _validation_score(self, X, y) -> float:
        return accuracy_score(y, self._predict_checked(X))

    def _predict_checked(self, X) -> np.ndarray:
        proba = self.model_.predict(X)
        if self.n_outputs_ == 1:
            proba = proba.ravel()
        return self._label_binarizer.inverse_transform(proba)

    def predict(self, X) -> np.ndarray:
        """The predicted labels of the rows of ``X`` (n, d)."""
        proba = self._forward(X)
        return self._label_binarizer.inverse_transform(
            proba.ravel() if self.n_outputs_ == 1 else proba)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (n, n_classes), columns in the order of ``classes_``."""
        proba = self._forward(X)
        if self.n_outputs_ == 1 and self.out_activation_ == "logistic" and len(
                self.classes_) <= 2:
            return np.hstack([1 - proba, proba])
        return proba

    def predict_log_proba(self, X) -> np.ndarray:
        """The logarithm of :meth:`predict_proba`."""
        return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, BaseMLP):
    __doc__ = REGRESSOR_DOC

    _parameter_constraints = {**_SkMLPRegressor._parameter_constraints, "activation": [str],
                              "dtype": [str, None]}

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 dtype="float32"):
        self.loss = loss
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle, random_state=random_state,
            tol=tol, verbose=verbose, warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun, dtype=dtype)

    def fit(self, X, y):
        """Train on ``X`` (n, d) and targets ``y`` (n,) or (n, k). Returns self."""
        if self.loss != "squared_error":
            raise ValueError(f"loss: rosenblatt's MLPRegressor supports 'squared_error', got "
                             f"{self.loss!r}")
        return self._fit(X, y, incremental=False)

    @available_if(BaseMLP._sgd_or_adam)
    def partial_fit(self, X, y):
        """One epoch on ``X``, ``y``. Returns self."""
        return self._fit(X, y, incremental=True)

    def _encode(self, y, reset, incremental, classes):
        return y.reshape(len(y), -1).astype(np.float64, copy=False)

    def _out_activation(self, n_outputs) -> str:
        return "identity"

    def _validation_score(self, X, y) -> float:
        pred = self.model_.predict(X)
        return r2_score(y, pred.ravel() if self.n_outputs_ == 1 else pred)

    def predict(self, X) -> np.ndarray:
        """The predicted targets: (n,) for one output, else (n, k)."""
        pred = self._forward(X)
        return pred.ravel() if self.n_outputs_ == 1 else pred

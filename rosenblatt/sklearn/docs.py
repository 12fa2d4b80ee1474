"""The docstrings of the MLP estimators: what each parameter means and where rosenblatt's
training differs from scikit-learn's."""

_PARAMETERS = """
    **Formula** (lectures 002-004): ``a_0 = x``, ``a_l = g(a_{l-1} W_l + b_l)`` for the hidden
    layers, the output activation on the last; the loss minimized per batch of B samples is
    ``L = (1/B) sum_i loss(y_i, a_i) + (alpha / (2 B)) sum_l ||W_l||^2`` (scikit-learn's).

    Parameters (scikit-learn's names and meanings):
        hidden_layer_sizes: the width of each hidden layer, e.g. ``(100,)`` or ``(8, 4)``.
        activation: of the hidden layers: scikit-learn's 'identity', 'logistic', 'tanh',
            'relu', or any rosenblatt activation name ('gelu', 'elu', ...).
        solver: 'adam', 'sgd', or 'lbfgs' (SciPy's L-BFGS-B on the full batch, as in
            scikit-learn; SciPy comes with scikit-learn).
        alpha: L2 penalty ``0.5 alpha ||W||^2 / B`` on the kernels (not the biases).
        batch_size: B, or 'auto' = min(200, n_samples).
        learning_rate: SGD's schedule: 'constant'; 'invscaling', ``eta_t = learning_rate_init
            / (t + 1)^power_t`` after each epoch, t the samples seen; 'adaptive', divided by 5
            whenever ``n_iter_no_change`` epochs do not improve by ``tol``.
        learning_rate_init, power_t, momentum, nesterovs_momentum: SGD's (and Adam's
            learning rate).
        max_iter: the most epochs (for lbfgs, iterations); max_fun: lbfgs's most loss calls.
        shuffle: reshuffle the samples every epoch. random_state: None, an int or a
            RandomState: initial weights, shuffling and the validation split.
        tol, n_iter_no_change: stop when the training loss (or, with early_stopping, the
            validation score) has not improved by tol for more than n_iter_no_change epochs.
        early_stopping, validation_fraction: hold out that fraction (stratified for
            classifiers), score it after every epoch, and keep the best epoch's weights.
        beta_1, beta_2, epsilon: Adam's.
        verbose: print the loss of every epoch. warm_start: continue from the fitted weights.
        dtype (rosenblatt's, not scikit-learn's): the model's float type: 'float32'
            (rosenblatt's default, about twice as fast), 'float64', or None for the input's
            (float32 inputs train in float32, any other in float64: scikit-learn's choice).
            Predictions come in the input's type (float32 or float64), as scikit-learn's.

    Fitted attributes: ``model_`` (the rosenblatt Sequential), ``coefs_`` and
    ``intercepts_`` (views of its parameters), ``loss_``, ``loss_curve_``, ``best_loss_``,
    ``validation_scores_``, ``best_validation_score_``, ``n_iter_``, ``t_``, ``n_layers_``,
    ``n_outputs_``, ``out_activation_``, ``n_features_in_``, ``feature_names_in_``.

    The steps and the random draws are scikit-learn's: the same random_state gives
    scikit-learn's initial weights, validation split and each epoch's order of the samples,
    so the whole fit (weights, ``loss_curve_``, ``validation_scores_``, ``n_iter_``) is
    scikit-learn's up to float rounding. Where rosenblatt differs:
        - the model trains in float32 unless ``dtype`` says otherwise (a float64 ``X`` is
          predicted in float64);
        - a warm_start fit with early_stopping whose validation scores never beat the
          earlier fit's best ends on those best weights, as documented; scikit-learn's ends
          on its last weights (its saved best weights are the arrays it goes on training).
"""

CLASSIFIER_DOC = (
    """A multi-layer perceptron classifier: scikit-learn's ``MLPClassifier``, trained by
    rosenblatt.

    Binary labels get one logistic output and binary cross-entropy; several classes a softmax
    output and categorical cross-entropy; label-indicator matrices (multi-label) one logistic
    output per label. ``classes_`` holds the labels.
""" + _PARAMETERS + """
    >>> from rosenblatt.sklearn import MLPClassifier
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> clf = MLPClassifier((8,), "tanh", solver="lbfgs", random_state=0).fit(X, [0, 1, 1, 0])
    >>> clf.predict(X).tolist()
    [0, 1, 1, 0]

    Lectures 002-004; scikit-learn's ``sklearn.neural_network.MLPClassifier``.
""")

REGRESSOR_DOC = (
    """A multi-layer perceptron regressor: scikit-learn's ``MLPRegressor``, trained by
    rosenblatt.

    The output is linear ('identity'), the loss half the squared error (``loss`` =
    'squared_error'; scikit-learn's 'poisson' is refused). One target gives predictions of
    shape (n,), k targets (n, k).
""" + _PARAMETERS + """
    >>> import numpy as np
    >>> from rosenblatt.sklearn import MLPRegressor
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
    >>> reg = MLPRegressor(hidden_layer_sizes=(16,), activation="tanh", solver="lbfgs",
    ...                    random_state=0).fit(X, X.ravel() ** 2)
    >>> bool(reg.score(X, X.ravel() ** 2) > 0.99)
    True

    Lectures 002-004; scikit-learn's ``sklearn.neural_network.MLPRegressor``.
""")

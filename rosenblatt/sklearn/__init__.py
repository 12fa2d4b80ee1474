"""scikit-learn estimators built on rosenblatt (needs the ``sklearn`` extra).

- :class:`MLPClassifier` and :class:`MLPRegressor`: scikit-learn's MLPs, parameter for
  parameter, building and training a rosenblatt model (``model_``); switching from
  scikit-learn is an import change.

The classic learners (``rosenblatt.classic.Perceptron``, ``LinearNeuron``, ``Hebbian``) follow
the estimator protocol themselves and need no import from here.
"""

from .mlp import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]

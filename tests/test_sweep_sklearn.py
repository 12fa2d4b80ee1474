"""scikit-learn's model selection over rosenblatt's estimator, in parallel on Dask: GridSearchCV
and cross_val_score over Pipeline(StandardScaler, MLPClassifier) under
``joblib.parallel_backend("dask")`` on a LocalCluster of 2 worker processes (127.0.0.1 only)
give the same results as with n_jobs=1."""

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")
distributed = pytest.importorskip("distributed")

import joblib  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from rosenblatt.sklearn import MLPClassifier  # noqa: E402


def _pipeline():
    return Pipeline([("scale", StandardScaler()),
                     ("mlp", MLPClassifier(hidden_layer_sizes=(8,), max_iter=30,
                                           random_state=0))])


def _search_and_scores(n_jobs):
    x, y = load_iris(return_X_y=True)
    grid = {"mlp__hidden_layer_sizes": [(4,), (8,)], "mlp__learning_rate_init": [0.01, 0.1]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = GridSearchCV(_pipeline(), grid, cv=3, n_jobs=n_jobs).fit(x, y)
        scores = cross_val_score(_pipeline(), x, y, cv=4, n_jobs=n_jobs)
    return search, scores


def test_grid_search_and_cross_validation_on_dask_equal_one_job():
    one_search, one_scores = _search_and_scores(n_jobs=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster, \
            distributed.Client(cluster), joblib.parallel_backend("dask"):
        dask_search, dask_scores = _search_and_scores(n_jobs=-1)
        assert cluster.scheduler.task_groups  # the fits ran on the cluster
    np.testing.assert_array_equal(dask_scores, one_scores)
    assert dask_search.best_params_ == one_search.best_params_
    for key in ("mean_test_score", "std_test_score", "rank_test_score"):
        np.testing.assert_array_equal(dask_search.cv_results_[key], one_search.cv_results_[key])
    x, _ = load_iris(return_X_y=True)
    np.testing.assert_array_equal(dask_search.predict_proba(x), one_search.predict_proba(x))

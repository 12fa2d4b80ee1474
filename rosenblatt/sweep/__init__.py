"""Hyperparameter sweeps: grids of training runs x data sets x seeds, in this process or on Dask.

>>> import os, tempfile
>>> from rosenblatt.sweep import SweepSpec, run_sweep, best_table
>>> spec = SweepSpec(grid={"layers": [[], [4]]}, fixed={"epochs": 3}, datasets=["gauss"])
>>> path = os.path.join(tempfile.mkdtemp(), "results.jsonl")
>>> records = run_sweep(spec.runs(), path, serial=True, progress=False)
>>> len(records), all(r["error"] is None for r in records)
(2, True)

Each run is deterministic by its seed: in this process (``serial=True``), on a LocalCluster
(the default) or on an existing cluster (``scheduler='tcp://HOST:8786'``), the numbers are the
same. Dask is the optional ``sweep`` extra (``pip install 'rosenblatt[sweep]'``), imported only
here; figures need matplotlib, the progress bar tqdm.
"""

from .execute import machine_workers, read_results, run_sweep
from .grid import SweepSpec, load_spec, parse_grid_flag
from .report import best_table, group, heatmap_figure, params_figure
from .run import DATASETS, DEFAULTS, run_id, train_run

__all__ = [
    "DATASETS", "DEFAULTS", "SweepSpec", "best_table", "group", "heatmap_figure",
    "load_spec", "machine_workers", "params_figure", "parse_grid_flag", "read_results",
    "run_id", "run_sweep", "train_run",
]

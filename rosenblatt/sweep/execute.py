"""Running a sweep: in this process, on a Dask LocalCluster, or on an existing Dask cluster.

Results stream to a JSON-lines file, one line per finished run, written by this process as
each run finishes (so a worker that dies loses no finished result: its unfinished runs are
rescheduled by Dask, and retried up to ``retries`` times more on errors). Re-running the same
sweep on the same file resumes: runs whose id is in the file are skipped, and a last line cut
short by a killed process is dropped. ``dask.distributed`` is imported here only, when a
cluster is used (the ``sweep`` extra).
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

from .run import train_run


def machine_workers() -> int:
    """The number of CPUs this process may use (one single-threaded worker per CPU)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _finite(value):
    """NaN and inf as None, so that every line is standard JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def read_results(path) -> list[dict]:
    """The records of a results file, in file order; a last line cut short is left out."""
    path = Path(path)
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(True), 1):
        if not line.endswith("\n"):
            break  # the process writing it was stopped mid-line
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise ValueError(f"results: expected one JSON record per line in {path}, line "
                             f"{number} is not") from None
    return records


def _open_for_append(path: Path):
    """Open the results file for appending, first cutting a last line left unfinished."""
    if path.exists():
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(path, "r+b") as f:
                f.truncate(data.rfind(b"\n") + 1)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "a", encoding="utf-8")


def _check_where(serial, scheduler, workers, retries) -> None:
    if serial and scheduler is not None:
        raise ValueError(f"scheduler: expected None with serial=True (one place to run), got "
                         f"{scheduler!r}")
    if scheduler is not None and not isinstance(scheduler, str):
        raise TypeError(f"scheduler: expected an address such as 'tcp://10.0.0.1:8786', got "
                        f"{type(scheduler).__name__}")
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool)
                                or workers < 1):
        raise ValueError(f"workers: expected an integer >= 1 or None, got {workers!r}")
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ValueError(f"retries: expected an integer >= 0, got {retries!r}")


def _progress(total: int, initial: int, show: bool):
    if not show:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, unit="run", file=sys.stderr, dynamic_ncols=True)


def _dask_results(todo, scheduler, workers, retries):
    """Yield the records of ``todo`` as they finish on a Dask cluster."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise ImportError(f"running a sweep on Dask needs its extra: pip install "
                          f"'rosenblatt[sweep]' ({exc.name} is missing); or run it with "
                          f"serial=True (--serial)") from None
    cluster = None
    if scheduler is None:
        import dask

        # on Linux the worker processes are forked: they start in about 0.1 s instead of the
        # 0.7 s of a fresh interpreter importing Dask (the default, spawn, elsewhere)
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        with dask.config.set({"distributed.worker.multiprocessing-method": method}):
            cluster = LocalCluster(n_workers=workers or machine_workers(), threads_per_worker=1,
                                   processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0")
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    try:
        futures = client.map(train_run, todo, key=[f"rosenblatt-run-{r['id']}" for r in todo],
                             retries=retries, pure=False)
        by_key = {f.key: run for f, run in zip(futures, todo, strict=True)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. its workers kept dying
                yield {**by_key[future.key], "losses": None, "metrics": None, "params": None,
                       "error": f"{type(exc).__name__}: {exc}", "seconds": None}
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_sweep(runs, results, *, serial=False, scheduler=None, workers=None, retries=2,
              progress=True, on_result=None) -> list[dict]:
    """Run every run of ``runs`` not yet in the file ``results``; returns all their records.

    Args:
        runs: the runs, as :meth:`SweepSpec.runs` makes them.
        results: path of the JSON-lines results file (appended to; resumed from).
        serial: run in this process, one after the other.
        scheduler: address of an existing Dask scheduler; None (and not serial): a
            LocalCluster of ``workers`` single-threaded processes on 127.0.0.1 (default: one
            per CPU), closed at the end.
        retries: how many more times Dask tries a run whose worker failed.
        progress: show a progress bar (tqdm, when installed).
        on_result: called with each new record as it is written.

    Returns:
        the records of ``runs``, in the order of ``runs`` (finished earlier or now).

    >>> import os, tempfile
    >>> from rosenblatt.sweep import SweepSpec
    >>> path = os.path.join(tempfile.mkdtemp(), "results.jsonl")
    >>> runs = SweepSpec(grid={"layers": [[2]]}, fixed={"epochs": 2}, datasets=["gauss"]).runs()
    >>> [r["metrics"]["epochs"] for r in run_sweep(runs, path, serial=True, progress=False)]
    [2]
    """
    _check_where(serial, scheduler, workers, retries)
    runs = list(runs)
    path = Path(results)
    done = {r["id"]: r for r in read_results(path) if "id" in r}
    todo = [r for r in runs if r["id"] not in done]
    bar = _progress(len(runs), len(runs) - len(todo), progress)
    with _open_for_append(path) as out:
        records = (map(train_run, todo) if serial or not todo
                   else _dask_results(todo, scheduler, workers, retries))
        for record in records:
            record = _finite(record)
            out.write(json.dumps(record, sort_keys=True) + "\n")
            out.flush()
            done[record["id"]] = record
            if bar is not None:
                bar.update(1)
            if on_result is not None:
                on_result(record)
    if bar is not None:
        bar.close()
    return [done[r["id"]] for r in runs]

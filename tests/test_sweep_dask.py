"""rosenblatt.sweep on Dask: a LocalCluster equals the serial sweep number for number, a worker
killed mid-sweep loses no finished result, and a sweep runs through ``--scheduler`` on a
``dask scheduler`` and two ``dask worker`` processes. Every cluster binds to 127.0.0.1 only
and is shut down (the subprocesses also stop by themselves)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from rosenblatt.sweep import SweepSpec, read_results, run_sweep  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _same(a, b):
    """Records equal number for number (the wall-clock time aside)."""
    strip = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
    return [strip(r) for r in a] == [strip(r) for r in b]


def _spec(epochs=15):
    return SweepSpec(grid={"layers": [[], [4], [6, 3]], "learning_rate": [0.1, 1]},
                     fixed={"epochs": epochs, "noise": 0.1}, datasets=["xor", "circle"],
                     seeds=2)


def test_a_local_cluster_sweep_equals_the_serial_sweep(tmp_path):
    runs = _spec().runs()
    serial = run_sweep(runs, tmp_path / "s.jsonl", serial=True, progress=False)
    local = run_sweep(runs, tmp_path / "d.jsonl", workers=2, progress=False)
    assert _same(serial, local)
    assert sorted(r["id"] for r in read_results(tmp_path / "d.jsonl")) == sorted(
        r["id"] for r in runs)


def test_a_worker_killed_mid_sweep_loses_no_finished_result(tmp_path):
    runs = _spec(epochs=60).runs()
    path = tmp_path / "d.jsonl"
    killed, written = [], []

    def kill_a_worker(record):
        written.append(path.read_text().splitlines()[-1])
        if not killed:
            pids = distributed.default_client().run(os.getpid)
            pid = sorted(pids.values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    records = run_sweep(runs, path, workers=2, progress=False, on_result=kill_a_worker)
    assert killed
    lines = path.read_text().splitlines()
    assert lines == written  # every finished result stayed as it was written
    assert len(lines) == len(runs) == len({r["id"] for r in read_results(path)})
    assert all(r["error"] is None for r in records)
    assert _same(records, run_sweep(runs, tmp_path / "s.jsonl", serial=True, progress=False))


def test_a_failing_configuration_is_recorded_on_the_cluster(tmp_path):
    spec = SweepSpec(grid={"activation": ["tanh", "no-such"]}, fixed={"epochs": 2},
                     datasets=["xor"], seeds=2)
    records = run_sweep(spec.runs(), tmp_path / "d.jsonl", workers=2, progress=False)
    assert [bool(r["error"]) for r in records] == [False, False, True, True]
    assert "no-such" in records[-1]["error"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_workers(address, n, seconds=60):
    with distributed.Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=seconds)


def test_a_sweep_runs_on_a_scheduler_and_two_workers_started_by_hand(tmp_path):
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the dask command is not installed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {"cwd": tmp_path, "env": env, "stdout": subprocess.DEVNULL,
             "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard", "--idle-timeout", "120s"], **quiet)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(dask), "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                 "--nthreads", "1", "--no-dashboard", "--lifetime", "180s",
                 "--death-timeout", "30s"], **quiet))
        _wait_for_workers(address, 2)
        results = tmp_path / "r.jsonl"
        done = subprocess.run(
            [sys.executable, "-m", "rosenblatt", "sweep", "--grid", "layers=[],[4],[6,3]",
             "--grid", "learning_rate=0.1,1", "--dataset", "xor", "--dataset", "circle",
             "--seeds", "2", "--set", "epochs=15", "--set", "noise=0.1", "--scheduler",
             address, "--no-progress", "--results", str(results)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        assert "| xor |" in done.stdout
        order = {r["id"]: r for r in read_results(results)}
        runs = _spec().runs()
        assert _same([order[r["id"]] for r in runs],
                     run_sweep(runs, tmp_path / "s.jsonl", serial=True, progress=False))
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 30
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_the_sweep_benchmark_runs_at_tiny_size(capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_sweep", ROOT / "bench" / "sweep.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--epochs", "1", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "| dask warm |" in out and "machinery per run" in out

"""rosenblatt.sweep without Dask: grids, one run, the results file, resuming, the report, the
exercise's answer table and the command line (serial)."""

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rosenblatt import sweep
from rosenblatt.cli import main
from rosenblatt.sweep import SweepSpec, parse_grid_flag, read_results, run_sweep, train_run
from rosenblatt.sweep.exercise import answer_table, exercise_spec, smallest

ROOT = Path(__file__).resolve().parent.parent


def _spec(**fixed):
    return SweepSpec(grid={"layers": [[], [3]], "learning_rate": [0.1, 1]},
                     fixed={"epochs": 4, **fixed}, datasets=["xor", "gauss"], seeds=2)


def test_the_grid_is_every_combination_times_datasets_times_seeds():
    runs = _spec().runs()
    assert len(runs) == 2 * 2 * 2 * 2
    assert len({r["id"] for r in runs}) == len(runs)
    assert runs[0] == {"id": runs[0]["id"], "config": {"epochs": 4, "layers": [],
                                                       "learning_rate": 0.1},
                       "dataset": "xor", "seed": 0}


def test_a_random_sample_is_a_reproducible_subset():
    spec = SweepSpec(grid={"layers": [[], [1], [2], [3]], "learning_rate": [0.1, 1]},
                     sample=3, sample_seed=7)
    configs = spec.configs()
    assert len(configs) == 3
    assert configs == SweepSpec(grid=spec.grid, sample=3, sample_seed=7).configs()
    assert all(c in SweepSpec(grid=spec.grid).configs() for c in configs)


def test_grid_flags_parse_lists_numbers_and_words():
    assert parse_grid_flag("layers=[],[4],[8,4]") == ("layers", [[], [4], [8, 4]])
    assert parse_grid_flag("learning_rate=0.01,0.1,1") == ("learning_rate", [0.01, 0.1, 1])
    assert parse_grid_flag("activation=tanh,relu") == ("activation", ["tanh", "relu"])


@pytest.mark.parametrize("text, words", [
    ("layers", ["--grid", "NAME=V1"]), ("width=1,2", ["--grid", "'width'", "layers"]),
    ("layers=[1],,[2]", ["--grid layers", "commas"]),
])
def test_bad_grid_flags_are_refused_naming_the_flag(text, words):
    with pytest.raises(ValueError) as info:
        parse_grid_flag(text)
    assert all(w in str(info.value) for w in words)


@pytest.mark.parametrize("kwargs, words", [
    ({"grid": {"width": [1]}}, ["grid", "'width'"]),
    ({"fixed": {"lr": 1}}, ["fixed", "'lr'"]),
    ({"grid": {"layers": []}}, ["grid.layers", "non-empty"]),
    ({"datasets": ["moons"]}, ["datasets", "'moons'", "circle"]),
    ({"datasets": []}, ["datasets", "non-empty"]),
    ({"seeds": 0}, ["seeds", "got 0"]),
    ({"seeds": [1, -1]}, ["seeds", "[1, -1]"]),
    ({"sample": -1}, ["sample", "-1"]),
])
def test_bad_specs_are_refused(kwargs, words):
    with pytest.raises(ValueError) as info:
        SweepSpec(**kwargs)
    assert all(w in str(info.value) for w in words)


def test_a_toml_file_gives_the_same_spec(tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text('datasets = ["xor", "gauss"]\nseeds = 2\n[fixed]\nepochs = 4\n'
                    '[grid]\nlayers = [[], [3]]\nlearning_rate = [0.1, 1]\n')
    assert sweep.load_spec(path).runs() == _spec().runs()


@pytest.mark.parametrize("text, words", [
    ("colour = 1\n", ["expected keys", "colour"]),
    ("grid = 3\n", ["[grid]", "table", "int"]),
    ("grid = [\n", ["TOML"]),
])
def test_bad_toml_files_are_refused(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        sweep.load_spec(path)
    assert all(w in str(info.value) for w in words)


def test_one_run_is_deterministic_and_its_loss_is_the_playground_loss():
    run = _spec().runs()[-1]
    a, b = train_run(run), train_run(run)
    assert a["losses"] == b["losses"] and a["metrics"] == b["metrics"]
    # the reported test loss is 1/(2N) sum (a - y)^2 of an independent forward pass
    from rosenblatt.sweep.run import build_model, make_split, settings_of

    s = settings_of(run["config"])
    x_tr, y_tr, x_te, y_te = make_split(run["dataset"], s, run["seed"])
    model = build_model(s, 2, run["seed"])
    model.fit(x_tr, y_tr, batch_size=10, epochs=4, verbose=0, shuffle=False)
    h = x_te
    for layer in model.layers:
        h = np.tanh(h @ layer.kernel.data + layer.bias.data)
    assert a["metrics"]["test_loss"] == pytest.approx(0.5 * np.mean((h - y_te) ** 2), rel=1e-5)
    assert a["params"] == 3 * 3 + 4  # [3]: 2*3 + 3 weights and biases, then 3 + 1


def test_a_run_stops_at_the_target_loss():
    r = train_run({"id": "t", "config": {"layers": [], "target_loss": 0.05, "epochs": 100,
                                         "learning_rate": 0.1}, "dataset": "gauss", "seed": 0})
    assert r["metrics"]["stopped"] == "target"
    assert r["losses"]["test"][-1] < 0.05 <= min(r["losses"]["test"][:-1] or [1.0])


def test_a_failing_configuration_is_recorded_and_the_rest_finish(tmp_path):
    spec = SweepSpec(grid={"activation": ["tanh", "no-such"]}, fixed={"epochs": 2},
                     datasets=["xor"], seeds=2)
    records = run_sweep(spec.runs(), tmp_path / "r.jsonl", serial=True, progress=False)
    bad = [r for r in records if r["error"]]
    assert len(bad) == 2 and all("no-such" in r["error"] for r in bad)
    assert all(r["metrics"]["epochs"] == 2 for r in records if not r["error"])
    assert len(read_results(tmp_path / "r.jsonl")) == 4
    assert "no-such" in sweep.best_table(records)


def test_resuming_skips_finished_runs_and_drops_a_cut_line(tmp_path):
    path = tmp_path / "r.jsonl"
    runs = _spec().runs()
    first = run_sweep(runs[:5], path, serial=True, progress=False)
    with open(path, "a") as f:
        f.write('{"id": "cut sho')
    seen = []
    everything = run_sweep(runs, path, serial=True, progress=False, on_result=seen.append)
    assert [r["id"] for r in seen] == [r["id"] for r in runs[5:]]
    assert everything[:5] == first
    assert sorted(r["id"] for r in read_results(path)) == sorted(r["id"] for r in runs)


def test_a_non_finite_loss_is_written_as_null(tmp_path):
    run = {"id": "d", "config": {"layers": [8, 8], "activation": "relu",
                                 "learning_rate": 1e30, "epochs": 3}, "dataset": "spiral",
           "seed": 0}
    with np.errstate(all="ignore"):
        [record] = run_sweep([run], tmp_path / "r.jsonl", serial=True, progress=False)
    assert record["metrics"]["stopped"] == "diverged"
    assert record["metrics"]["epochs"] < 3


def test_non_finite_numbers_are_written_as_null(tmp_path):
    from rosenblatt.sweep.execute import _finite

    assert _finite({"a": [1.0, math.nan, {"b": math.inf}], "c": "x"}) == {
        "a": [1.0, None, {"b": None}], "c": "x"}


def test_a_broken_results_file_is_refused(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("not json\n")
    with pytest.raises(ValueError, match="results: .* line 1"):
        run_sweep(_spec().runs(), path, serial=True, progress=False)
    assert path.read_text() == "not json\n"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"serial": True, "scheduler": "tcp://127.0.0.1:1"}, ValueError, ["scheduler", "serial"]),
    ({"scheduler": 8786}, TypeError, ["scheduler", "int"]),
    ({"workers": 0}, ValueError, ["workers", "0"]),
    ({"retries": -1}, ValueError, ["retries", "-1"]),
    ({"retries": 1.5}, ValueError, ["retries", "1.5"]),
])
def test_where_to_run_is_checked_before_any_work(tmp_path, kwargs, error, words):
    with pytest.raises(error) as info:
        run_sweep(_spec().runs(), tmp_path / "r.jsonl", progress=False, **kwargs)
    assert all(w in str(info.value) for w in words)
    assert not (tmp_path / "r.jsonl").exists()


def test_the_best_table_ranks_by_mean_test_loss(tmp_path):
    records = run_sweep(_spec().runs(), tmp_path / "r.jsonl", serial=True, progress=False)
    rows = [line for line in sweep.best_table(records, top=4).splitlines()[2:]
            if line.startswith("| xor")]
    losses = [float(line.split("|")[4]) for line in rows]
    assert losses == sorted(losses) and len(rows) == 4
    mean = np.mean([r["metrics"]["test_loss"] for r in records if r["dataset"] == "xor"
                    and r["config"]["layers"] == [3] and r["config"]["learning_rate"] == 1])
    assert any(math.isclose(v, mean, rel_tol=1e-3) for v in losses)
    with pytest.raises(ValueError, match="top: expected an integer >= 1, got 0"):
        sweep.best_table(records, top=0)


def test_the_figures_are_saved(tmp_path):
    pytest.importorskip("matplotlib")
    records = run_sweep(_spec().runs(), tmp_path / "r.jsonl", serial=True, progress=False)
    assert sweep.params_figure(records, tmp_path / "p.png").stat().st_size > 1000
    assert sweep.heatmap_figure(records, tmp_path / "h.png", "layers",
                                "learning_rate").stat().st_size > 1000
    with pytest.raises(ValueError, match="x: expected a setting .* got 'width'"):
        sweep.heatmap_figure(records, tmp_path / "x.png", "width", "layers")
    assert not (tmp_path / "x.png").exists()


def test_the_exercise_answer_picks_the_smallest_network_most_seeds_reach():
    def rec(layers, params, rate, reached, seed):
        return {"dataset": "xor", "seed": seed, "error": None, "params": params,
                "config": {"features": ["x1", "x2"], "layers": layers, "learning_rate": rate},
                "metrics": {"stopped": "target" if reached else "epochs", "epochs": 10 + seed}}
    records = ([rec([2], 9, 0.1, s != 0, s) for s in range(5)]       # 4 of 5: counts
               + [rec([1], 5, 0.1, s < 3, s) for s in range(5)]      # 3 of 5: does not
               + [rec([4], 17, 1, True, s) for s in range(5)])
    found = smallest(records, "xor", "x1, x2")
    assert (found["layers"], found["params"], found["rate"], found["epochs"]) == ([2], 9, 0.1,
                                                                                  12.5)
    assert smallest(records, "xor", "x1, x2", rate=1)["layers"] == [4]
    assert "not reached" in answer_table(records)  # the extra features were not run
    assert len(exercise_spec().runs()) == 10 * 2 * 3 * 4 * 5


def test_the_command_runs_a_serial_sweep_and_prints_the_table(tmp_path, capsys):
    results = tmp_path / "r.jsonl"
    code = main(["sweep", "--grid", "layers=[],[3]", "--grid", "learning_rate=0.1,1",
                 "--dataset", "xor", "--dataset", "gauss", "--seeds", "2", "--set", "epochs=4",
                 "--serial", "--no-progress", "--results", str(results)])
    assert code == 0
    assert "| xor | layers=[3] learning_rate=" in capsys.readouterr().out
    strip = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
    serial = run_sweep(_spec().runs(), tmp_path / "s.jsonl", serial=True, progress=False)
    assert [strip(r) for r in read_results(results)] == [strip(r) for r in serial]


@pytest.mark.parametrize("argv, words", [
    (["--exercise", "playground", "--grid", "layers=[1]"], ["--exercise", "no other"]),
    (["--docs", "page.md"], ["--docs", "--exercise"]),
    (["--set", "colour=1"], ["--set", "'colour'"]),
])
def test_the_command_refuses_bad_descriptions(tmp_path, capsys, argv, words):
    results = tmp_path / "r.jsonl"
    assert main(["sweep", *argv, "--serial", "--results", str(results)]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words)
    assert not results.exists()


def test_a_killed_sweep_resumes_and_runs_everything_once(tmp_path):
    results = tmp_path / "r.jsonl"
    argv = [sys.executable, "-m", "rosenblatt", "sweep", "--grid", "layers=[4],[6],[8]",
            "--grid", "learning_rate=0.03,0.1", "--dataset", "spiral", "--seeds", "2",
            "--set", "epochs=40", "--serial", "--no-progress", "--results", str(results)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if results.exists() and results.read_text().count("\n") >= 3:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    before = read_results(results)
    assert 3 <= len(before) < 12
    done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    after = read_results(results)
    assert len(after) == 12 and len({r["id"] for r in after}) == 12
    assert after[:len(before)] == before


def test_the_exercise_docs_page_holds_the_table_and_the_figure():
    from rosenblatt.sweep.exercise import EPOCHS, docs_page

    page = docs_page("| a | table |", "sweep-exercise.png", 1200, 123.4, "2 local Dask workers")
    assert "| a | table |" in page and "images/sweep-exercise.png" in page
    assert "rosenblatt sweep --exercise playground" in page and f"{EPOCHS} epochs" in page
    assert "in 123 s on 2 local Dask workers" in page


def test_serial_and_scheduler_together_are_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["sweep", "--serial", "--scheduler", "tcp://127.0.0.1:1", "--results",
              str(tmp_path / "r.jsonl")])
    assert info.value.code == 2
    assert "--scheduler: not allowed with argument --serial" in capsys.readouterr().err
    assert not (tmp_path / "r.jsonl").exists()

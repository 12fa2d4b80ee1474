"""The benchmark's smoke run: tiny sizes, so that the harness keeps working (no timing asserted)."""

import importlib.util
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load_bench():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_smoke_run_writes_every_workload(tmp_path, capsys):
    bench = _load_bench()
    out = tmp_path / "results.json"
    assert bench.main(["--smoke", "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    for workload in ("W1", "W2", "W3"):
        assert results[workload]["rosenblatt"] > 0
    assert results["W1"]["floor"] > 0
    assert all(v["rosenblatt"] > 0 for v in results["W4"].values())
    if results["guard"] is not None:  # PyTorch installed: same start, same loss
        assert results["guard"]["agree"], results["guard"]
    assert "| W1 epoch |" in capsys.readouterr().out

    assert set(results["paired"]["W1"]) == set(results["W1"]) - {"rosenblatt"}
    assert len(results["samples_s"]["W1"]["rosenblatt"]) == 1  # one round in a smoke run


def test_paired_ratios_are_medians_of_per_round_ratios():
    bench = _load_bench()
    samples = {"W1": {"rosenblatt": [1.0, 2.0, 4.0], "torch": [2.0, 2.0, 2.0],
                      "floor": [0.5, 1.0, 1.0]},
               "W3": {"torch": [1.0]}}  # no rosenblatt figures: left out
    assert bench.paired_ratios(samples) == {"W1": {"torch": 1.0, "floor": 2.0}}


def test_only_refuses_unknown_workloads(capsys):
    bench = _load_bench()
    try:
        bench.main(["--smoke", "--only", "W1,W9"])
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("--only W9 should be refused")
    assert "--only: unknown workloads ['W9']" in capsys.readouterr().err


def test_rounds_alternate_in_direction_and_the_first_call_is_untimed():
    bench = _load_bench()
    calls = []
    runners = {name: (lambda n=name: calls.append(n)) for name in ("rosenblatt", "floor", "torch")}
    medians = bench.alternate(runners, 3, "test")
    assert calls == ["rosenblatt", "floor", "torch",  # untimed
                     "rosenblatt", "floor", "torch", "torch", "floor", "rosenblatt",
                     "rosenblatt", "floor", "torch"]
    assert set(medians) == set(runners) and all(len(v) == 3 for v in bench.SAMPLES["test"].values())


def test_playground_workload_smoke(capsys):
    spec = importlib.util.spec_from_file_location("bench_playground", BENCH / "playground.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--epochs", "2", "--rounds", "1"]) == 0
    assert "epochs/s with a frame per epoch" in capsys.readouterr().out

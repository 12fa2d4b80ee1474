"""Model files at their boundary: atomic saves, and damaged or hostile files refused with a
clear error (a ModelFileError, a ValueError) before anything large is read or allocated."""

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rosenblatt.layers import Dense, Dropout, Input

import rosenblatt as rb
from rosenblatt.models import saving
from rosenblatt.models.saving import ModelFileError

ROOT = Path(__file__).resolve().parent.parent


def _model(seed=0):
    model = rb.Sequential([Dense(4, activation="tanh", input_dim=3), Dropout(0.1, seed=2),
                           Dense(1, activation="sigmoid")], seed=seed)
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(seed).normal(size=(16, 3))
    model.fit(x, (x[:, 0] > 0).astype(int), epochs=2, batch_size=8, verbose=0)
    return model


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("files") / "model.npz"
    model = _model()
    model.save(path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    return path, arrays, model


def _npz(path, arrays):
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


def _with_config(tmp_path, arrays, edit):
    config = json.loads(str(arrays["__model__.json"]))
    edit(config)
    return _npz(tmp_path / "edited.npz", {**arrays, "__model__.json": np.array(json.dumps(config))})


# ------------------------------------------------------------------ atomic saves
def test_a_save_that_fails_halfway_leaves_the_previous_file_loadable(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    first = _model(seed=1)
    first.save(path)
    before = path.read_bytes()
    second = _model(seed=2)

    def half_then_fail(handle, **arrays):
        handle.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saving.np, "savez", half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        second.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temporary left
    np.testing.assert_array_equal(rb.load_model(path).get_weights()[0], first.get_weights()[0])


def test_an_interrupted_save_leaves_the_previous_weights_file(tmp_path, monkeypatch):
    path = tmp_path / "weights.npz"
    model = _model()
    model.save_weights(path)
    before = path.read_bytes()

    def interrupted(handle, **arrays):
        raise KeyboardInterrupt

    monkeypatch.setattr(saving.np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model.save_weights(path)
    assert path.read_bytes() == before
    assert len(list(tmp_path.iterdir())) == 1


def test_a_save_replaces_the_file_in_one_step(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    replaced = []
    real = os.replace
    monkeypatch.setattr(saving.os, "replace", lambda a, b: (replaced.append((a, b)), real(a, b)))
    _model().save(path)
    assert len(replaced) == 1 and Path(replaced[0][1]) == path
    assert Path(replaced[0][0]).parent == tmp_path  # written beside the target, then moved
    assert rb.load_model(path).count_params() == 21


def test_saving_onto_a_directory_is_refused(tmp_path):
    (tmp_path / "dir.npz").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        _model().save(tmp_path / "dir.npz")


# ------------------------------------------------------------------ damaged files
@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda c: c.update(class_name="Dense"), r"class_name: expected one of 'Sequential', "
                                                 r"'Model', 'Graph', got 'Dense'"),
        (lambda c: c.update(class_name=["Model"]), r"class_name: expected one of .* got \['M"),
        (lambda c: c.update(version="1"), r"version must be an integer >= 0, got '1'"),
        (lambda c: c.update(version=2), r"written by a newer rosenblatt \(file version 2"),
        (lambda c: c.update(config=[1, 2]), r"config: expected a JSON object, got list"),
        (lambda c: c.update(rng_state=[1]), r"rng_state: expected a PCG64 generator state"),
        (lambda c: c["rng_state"]["state"].update(state=-5), r"rng_state: the generator's "
                                                             r"numbers must be integers"),
        (lambda c: c["rng_state"]["state"].update(inc=2**200), r"integers in \[0, 2\^128\)"),
        (lambda c: c["compile"].pop("metrics"), r"'metrics' \(a missing field\)"),
        (lambda c: c["compile"].update(metrics="accuracy"), r"compile.metrics: expected a list"),
        (lambda c: c.update(layer_rng_states={"nope": {}}), r"no layer 'nope' with its own"),
    ],
)
def test_damaged_configs_are_refused_by_name(tmp_path, saved, edit, match):
    with pytest.raises(ModelFileError, match=match):
        rb.load_model(_with_config(tmp_path, saved[1], edit))


def test_deeply_nested_json_is_refused_without_a_recursion_error(tmp_path, saved):
    deep = "[" * 100_000 + "]" * 100_000
    path = _npz(tmp_path / "deep.npz", {**saved[1], "__model__.json": np.array(deep)})
    with pytest.raises(ModelFileError, match="not valid JSON"):
        rb.load_model(path)


@pytest.mark.parametrize(
    "key, value, match",
    [
        ("weight/0", np.full((3, 4), np.nan, np.float32), "weight/0 holds NaN or inf"),
        ("weight/1", np.array([np.inf, 0, 0, 0], np.float32), "weight/1 holds NaN or inf"),
        ("weight/0", np.ones((3, 4), np.complex64), "weight/0: expected an array of real"),
        ("optimizer/m/0", np.full(21, np.nan, np.float32), "optimizer/m/0 holds NaN or inf"),
        ("optimizer/v/0", np.ones(10**6, np.float32), "declares 1000000 entries, more than "
                                                      "the 21"),
        ("extra", np.ones(3), "unexpected entry 'extra.npy'"),
    ],
)
def test_bad_arrays_are_refused_naming_them(tmp_path, saved, key, value, match):
    path = _npz(tmp_path / "bad.npz", {**saved[1], key: value})
    with pytest.raises(ModelFileError, match=match):
        rb.load_model(path)


def test_a_refused_load_weights_leaves_the_model_unchanged(tmp_path, saved):
    model = _model(seed=5)
    before = model.get_weights()
    weights = {k: v for k, v in saved[1].items() if not k.startswith("optimizer/")}
    weights["weight/3"] = np.array([np.nan], np.float32)  # the last array is bad
    with pytest.raises(ModelFileError, match="weight/3 holds NaN"):
        model.load_weights(_npz(tmp_path / "w.npz", weights))
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def _huge_entry(name: str, shape: tuple) -> bytes:
    """A .npy entry whose header declares ``shape`` of float64 but that holds 8 bytes."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buffer.getvalue() + b"\0" * 8


def _run_limited(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter whose address space is capped at 1 GiB."""
    preamble = textwrap.dedent("""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    """)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", preamble + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("entry", ["extra", "weight/0"])
def test_an_entry_declaring_a_terabyte_is_refused_within_a_memory_limit(tmp_path, saved, entry):
    path = tmp_path / "huge.npz"
    arrays = {k: v for k, v in saved[1].items() if k != entry}
    _npz(path, arrays)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(f"{entry}.npy", _huge_entry(entry, (1 << 20, 1 << 17)))
    done = _run_limited(f"""
        import rosenblatt as rb
        try:
            rb.load_model({str(path)!r})
        except ValueError as exc:
            print("refused:", exc)
    """)
    assert done.returncode == 0, done.stderr
    assert "refused:" in done.stdout and "MemoryError" not in done.stdout + done.stderr
    assert ("unexpected entry" if entry == "extra" else "has shape (3, 4)") in done.stdout


def test_a_config_declaring_an_absurd_layer_is_refused_within_a_memory_limit(tmp_path, saved):
    def absurd(config):
        config["config"]["layers"][0]["config"].update(units=200_000, input_shape=[100_000])
        config["config"]["input_shape"] = [100_000]

    path = _with_config(tmp_path, saved[1], absurd)
    done = _run_limited(f"""
        import rosenblatt as rb
        from rosenblatt.layers import Dense
        for attempt in (lambda: rb.load_model({str(path)!r}),
                        lambda: rb.Sequential([Dense(200_000, input_dim=100_000)])):
            try:
                attempt()
            except ValueError as exc:
                print("refused:", exc)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("20,000,000,000 entries, more than "
                             "rosenblatt.layers.MAX_WEIGHT_ENTRIES") == 2, done.stdout


def test_the_weight_limit_can_be_raised(monkeypatch):
    monkeypatch.setattr(rb.layers, "MAX_WEIGHT_ENTRIES", 10)
    with pytest.raises(ValueError, match=r"kernel of shape \(4, 3\) would have 12 entries"):
        rb.Sequential([Dense(3, input_dim=4)])
    monkeypatch.setattr(rb.layers, "MAX_WEIGHT_ENTRIES", 12)
    assert rb.Sequential([Dense(3, input_dim=4, use_bias=False)]).count_params() == 12


# ------------------------------------------------------------------ unique names
def test_a_functional_model_with_two_layers_of_one_name_is_refused():
    inputs = Input(shape=(2,))
    h = Dense(3, name="dup")(inputs)
    with pytest.raises(ValueError, match="the name 'dup' is used by two layers"):
        rb.Model(inputs, Dense(1, name="dup")(h))


def test_a_refused_add_does_not_keep_the_layer():
    model = rb.Sequential([Dense(3, input_dim=2, name="a")])
    before = model.get_weights()
    with pytest.raises(ValueError, match="the name 'a' is used by two layers"):
        model.add(Dense(1, name="a"))
    with pytest.raises(ValueError, match=r"declares inputs of shape \(5,\), but the layer "
                                         r"before it gives \(3,\)"):
        model.add(Dense(1, input_dim=5))
    assert [layer.name for layer in model.layers] == ["a"]
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before, strict=True))
    model.add(Dense(1, name="b"))
    assert model.count_params() == 9 + 4


# ------------------------------------------------------------------ fuzzing the JSON
def _paths(node, prefix=()):
    """Every (path, value) in a JSON tree."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                         max_size=2),
    st.just([[[[[[[[[[[]]]]]]]]]]]), st.just("delete"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mutation_of_the_json_gives_only_clear_errors(tmp_path, saved, data):
    config = json.loads(str(saved[1]["__model__.json"]))
    paths = [p for p, _ in _paths(config) if p]
    path = data.draw(st.sampled_from(paths))
    replacement = data.draw(REPLACEMENTS)
    parent = config
    for key in path[:-1]:
        parent = parent[key]
    if replacement == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    file = _npz(tmp_path / "fuzz.npz",
                {**saved[1], "__model__.json": np.array(json.dumps(config))})
    try:
        rb.load_model(file)
    except (ValueError, TypeError):
        pass  # the library's clear error types; anything else fails the test


def test_saving_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.npz"
    _model(seed=1).save(target)
    link = tmp_path / "link.npz"
    link.symlink_to(target)
    second = _model(seed=2)
    second.save(link)
    assert link.is_symlink() and link.resolve() == target.resolve()
    np.testing.assert_array_equal(rb.load_model(target).get_weights()[0],
                                  second.get_weights()[0])


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_saving_onto_a_special_file_is_refused_and_leaves_it(tmp_path, special):
    if special == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    else:
        path = Path("/dev/null")
        if not path.exists():
            pytest.skip("no /dev/null here")
    model = _model()
    with pytest.raises(ValueError, match="path: cannot save to .* not a regular file"):
        model.save(path)
    with pytest.raises(ValueError, match="not a regular file"):
        model.save_weights(path)
    assert not path.is_file() and path.exists()


@pytest.mark.parametrize("call, match", [
    (lambda m: m.save(None), "path: expected a file path"),
    (lambda m: m.save(""), "path: expected a file path .* got str ''"),
    (lambda m: m.save(5), "path: expected a file path .* got int"),
    (lambda m: m.save("x.npz", include_optimizer="no"), "include_optimizer: expected True"),
    (lambda m: rb.load_model(5), "path: expected a file path .* got int"),
    (lambda m: rb.load_model(None), "path: expected a file path"),
    (lambda m: rb.load_model("x.npz", compile="x"), "compile: expected True or False"),
])
def test_bad_paths_and_flags_are_type_errors(call, match, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match=match):
        call(_model())
    assert list(tmp_path.iterdir()) == []


def test_weights_that_do_not_fit_in_float32_are_refused_by_set_weights_and_load(tmp_path, saved):
    model = _model()
    before = model.get_weights()
    huge = [w.astype(np.float64) for w in before]
    huge[0][0, 0] = 1e300
    with pytest.raises(ValueError, match="do not fit in the weight's float32"):
        model.set_weights(huge)
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
    arrays = dict(saved[1])
    arrays["weight/0"] = huge[0]
    with pytest.raises(ModelFileError, match="do not fit in the weight's float32"):
        rb.load_model(_npz(tmp_path / "huge.npz", arrays))

"""Fuzzing the CSV reader of the loaders and the command line: whatever the text of a file,
`load_csv` returns finite features of the right shape or refuses with a ValueError / TypeError,
and `rosenblatt predict` answers or exits with status 2 and a one-line error, never a
traceback."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rosenblatt.layers import Dense

import rosenblatt as rb
from rosenblatt.cli import main
from rosenblatt.datasets import load_csv

CELLS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "nan", "inf", "-inf", "1e400", "yes", "no", "1_000", "0x10",
                     '"1,5"', '"', "١٢", "1e-400", "+3", ".5", "5.", "\t7"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
)
ROWS = st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=0, max_size=6)
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _write(path, header, rows):
    lines = ([",".join(header)] if header else []) + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@FUZZ
@given(rows=ROWS, header=st.booleans(), target=st.sampled_from([-1, 0, 1, "b", "zz"]))
def test_load_csv_returns_finite_rows_or_refuses_clearly(tmp_path, rows, header, target):
    width = max((len(r) for r in rows), default=1)
    names = ["a", "b", "c", "d"][:width] if header else None
    path = _write(tmp_path / "data.csv", names, rows)
    try:
        x, y = load_csv(path, target=target, header=header)
    except (ValueError, TypeError) as exc:
        assert str(exc), "an error with no message"
        return
    assert x.dtype == np.float32 and x.ndim == 2 and len(x) == len(y) > 0
    assert np.isfinite(x).all()
    if y.dtype.kind == "f":
        assert np.isfinite(y).all()


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "m.npz"
    model = rb.Sequential([Dense(2, input_dim=3, activation="tanh"), Dense(1)], seed=0)
    model.compile("sgd", "mse")
    model.save(path)
    return path


@FUZZ
@given(rows=ROWS, header=st.booleans())
def test_predict_answers_or_refuses_in_one_line(tmp_path, capsys, model_file, rows, header):
    names = ["column 0", "column 1", "column 2", "x"][:max((len(r) for r in rows), default=1)]
    path = _write(tmp_path / "in.csv", names if header else None, rows)
    code = main(["predict", str(model_file), str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 0:
        values = [float(v) for line in out.split() for v in line.split(",") if v]
        assert all(math.isfinite(v) for v in values)
    else:
        assert code == 2 and err.strip() and len(err.strip().splitlines()) == 1, err

"""The tutorial notebooks of docs/notebooks run green, and models and histories display as
HTML in Jupyter."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from rosenblatt.layers import Dense

from rosenblatt.models import Sequential

NOTEBOOKS = sorted((Path(__file__).parent.parent / "docs" / "notebooks").glob("*.ipynb"))


def test_a_model_displays_its_summary_as_a_table():
    model = Sequential([Dense(3, input_dim=2, name="hidden"), Dense(1, name="out")],
                       name="net")
    html = model._repr_html_()
    assert "<table" in html and "hidden (Dense)" in html and "(None, 3)" in html
    assert "Total params: 13" in html and "Trainable params: 13" in html
    unbuilt = Sequential([Dense(1)])._repr_html_()
    assert "?" in unbuilt and "Total params: 0" in unbuilt


def test_a_history_displays_its_learning_curves():
    model = Sequential([Dense(1, input_dim=2)], seed=0)
    model.compile("sgd", "mse", metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(30, 2))
    history = model.fit(x, x[:, :1], epochs=4, validation_split=0.2, verbose=0)
    html = history._repr_html_()
    assert html.count("<svg") == 2  # loss and mae, each with its val_ curve
    assert html.count("<polyline") == 4 and "stroke-dasharray" in html
    assert "val_mae" in html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_notebook_runs(path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parents[2])}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table" in h for h in html) and any("<svg" in h for h in html)
    _check_progress_bars(notebook)


WIDGET = "application/vnd.jupyter.widget-view+json"


def _check_progress_bars(notebook):
    """Each fit with verbose=1 draws one notebook widget per epoch, in a kernel with tqdm and
    ipywidgets (the notebook extra); without them it shows text, and no widget."""
    cells = [c for c in notebook.cells if c.cell_type == "code" and "verbose=1" in c.source]
    widgets_installed = all(importlib.util.find_spec(name) is not None
                            for name in ("tqdm", "ipywidgets"))
    drawn = 0
    for cell in cells:
        epochs = int(re.search(r"epochs=(\d+)", cell.source).group(1))
        bars = [o for o in cell.outputs if WIDGET in o.get("data", {})]
        if widgets_installed:
            assert len(bars) == epochs
            assert f"Epoch {epochs}/{epochs}" in bars[-1]["data"]["text/plain"]
            drawn += epochs
        else:
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert not bars and f"Epoch {epochs}/{epochs}" in text
    # the widgets' last state, which the executed notebook keeps: every bar ran to its end
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    ends = [m["state"] for m in state.values() if m["model_name"] == "FloatProgressModel"]
    assert len(ends) == drawn
    assert all(end["value"] == end["max"] > 0 and end["bar_style"] == "success" for end in ends)

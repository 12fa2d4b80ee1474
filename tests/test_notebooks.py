"""The tutorial notebooks of docs/notebooks run green, and models and histories display as
HTML in Jupyter."""

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

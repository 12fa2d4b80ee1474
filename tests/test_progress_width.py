"""Progress lines never cut off a metric: they shorten names and wrap to the terminal width
(80 columns without a terminal), and print epochs under 10 ms in milliseconds."""

import io
import re
import sys
import types

import numpy as np
import pytest

from rosenblatt.training import progress
from rosenblatt.training.progress import epoch_line, format_logs, format_time, terminal_width

LOGS = {"loss": 0.123456, "accuracy": 0.95, "mean_absolute_error": 1.5, "val_loss": 0.2,
        "val_accuracy": 0.9, "val_mean_absolute_error": 1.75, "time": 0.5}


def _numbers(text):
    return [float(v) for v in re.findall(r"-?\d+\.\d{4}", text)]


@pytest.mark.parametrize("width", [200, 100, 60, 30, 20])
def test_every_metric_survives_any_width(width):
    text = epoch_line("Epoch 3/10 - 1.25s", LOGS, width)
    assert all(len(line) <= width for line in text.splitlines())
    assert _numbers(text) == [0.1235, 0.95, 1.5, 0.2, 0.9, 1.75]
    if width >= 180:
        assert text == "Epoch 3/10 - 1.25s - " + format_logs(LOGS)
    if width <= 100:
        assert "val_acc=0.9000" in text and "val_mae=1.7500" in text


def test_compact_names_and_milliseconds():
    assert format_logs({"accuracy": 0.5, "val_accuracy": 0.25}, compact=True) == \
        "acc=0.5000 val_acc=0.2500"
    assert format_time(0.0042) == "4.20ms" and format_time(0.0099) == "9.90ms"
    assert format_time(0.01) == "0.01s" and format_time(12.5) == "12.50s"


def test_width_is_80_without_a_terminal_and_the_terminals_otherwise(monkeypatch):
    assert terminal_width(io.StringIO()) == 80

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(progress.shutil, "get_terminal_size",
                        lambda fallback: types.SimpleNamespace(columns=50, lines=20))
    assert terminal_width(Terminal()) == 50


def test_fit_lines_fit_80_columns_and_keep_every_metric(capsys):
    from rosenblatt.layers import Dense

    import rosenblatt as rb

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    model = rb.Sequential([Dense(4, activation="relu", input_dim=3),
                           Dense(1, activation="sigmoid")], seed=0)
    model.compile("adam", "binary_crossentropy",
                  metrics=["accuracy", "mean_absolute_error", "mean_squared_error"])
    history = model.fit(x, y, epochs=2, batch_size=40, validation_split=0.25, verbose=2)
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "0.00s" not in out and ("ms" in out or re.search(r"\d\.\d\ds", out))
    first_epoch = out.split("Epoch 2/2")[0]
    logged = [round(history.history[k][0], 4) for k in history.history]
    assert sorted(_numbers(first_epoch)) == sorted(logged)


class ZMQInteractiveShell:  # the names IPython's shells have; only names are looked at
    config: dict = {}


class Shell(ZMQInteractiveShell):  # Colab's shell subclasses the kernel's
    pass


class TerminalInteractiveShell:
    config: dict = {"TerminalIPythonApp": {}}


class KernelConfigured:  # a kernel's shell known by its configuration
    config: dict = {"IPKernelApp": {}}


def _ipython(shell):
    return {"IPython": types.SimpleNamespace(get_ipython=lambda: shell)}


def _raises():
    raise RuntimeError("no shell")


@pytest.mark.parametrize("modules, environ, expected", [
    ({}, {}, False),  # IPython never imported: a script
    (_ipython(None), {}, False),  # imported, but no shell running
    (_ipython(TerminalInteractiveShell()), {}, False),  # IPython in a terminal
    ({"IPython": types.SimpleNamespace(get_ipython=_raises)}, {}, False),
    (_ipython(ZMQInteractiveShell()), {}, True),  # Jupyter Notebook, Lab, VS Code
    (_ipython(Shell()), {}, True),  # Colab
    (_ipython(KernelConfigured()), {}, True),
    (_ipython(ZMQInteractiveShell()), {"QT_API": "pyqt5"}, False),  # the Qt console
    (_ipython(ZMQInteractiveShell()), {"SPYDER_ARGS": "[]"}, False),  # Spyder
])
def test_in_notebook_tells_a_kernel_from_a_terminal(modules, environ, expected):
    assert progress.in_notebook(modules, environ) is expected


def test_in_notebook_knows_the_real_shells():
    zmqshell = pytest.importorskip("ipykernel.zmqshell")
    terminal = pytest.importorskip("IPython.terminal.interactiveshell")
    kernel = zmqshell.ZMQInteractiveShell.__new__(zmqshell.ZMQInteractiveShell)
    console = terminal.TerminalInteractiveShell.__new__(terminal.TerminalInteractiveShell)
    assert progress.in_notebook(_ipython(kernel), {}) is True
    assert progress.in_notebook(_ipython(console), {}) is False
    assert progress.in_notebook() is False  # these tests run outside a kernel


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_bar_is_a_widget_in_a_notebook_with_ipywidgets_else_text(monkeypatch):
    std = pytest.importorskip("tqdm.std")
    notebook = pytest.importorskip("tqdm.notebook")
    assert progress.bar_class(io.StringIO(), notebook=False) is None  # a pipe: lines
    assert progress.bar_class(Terminal(), notebook=False) is std.tqdm
    monkeypatch.setattr(notebook, "IProgress", None)  # ipywidgets absent: the text bar
    assert progress.bar_class(io.StringIO(), notebook=True) is std.tqdm
    monkeypatch.setattr(notebook, "IProgress", object)  # present: the widget
    assert progress.bar_class(io.StringIO(), notebook=True) is notebook.tqdm
    monkeypatch.setitem(sys.modules, "tqdm", None)  # no tqdm at all: lines
    assert progress.bar_class(Terminal(), notebook=True) is None


def test_fit_in_a_notebook_draws_the_notebook_bar(monkeypatch):
    std = pytest.importorskip("tqdm.std")
    notebook = pytest.importorskip("tqdm.notebook")
    made = []

    class Recorder(std.tqdm):  # stands for the widget, which needs a kernel to draw in
        def __init__(self, *args, **kwargs):
            made.append(kwargs["desc"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(notebook, "IProgress", object)
    monkeypatch.setattr(notebook, "tqdm", Recorder)
    monkeypatch.setitem(sys.modules, "IPython", _ipython(ZMQInteractiveShell())["IPython"])
    logger = progress.ProgressLogger(verbose=1, stream=io.StringIO())
    logger.params = {"steps": 2, "epochs": 2}
    logger.model = types.SimpleNamespace(stop_reason=None)
    logger.on_train_begin()
    for epoch in range(2):
        logger.on_epoch_begin(epoch)
        logger.on_train_batch_end(0, LOGS)
        logger.on_train_batch_end(1, LOGS)
        logger.on_epoch_end(epoch, LOGS)
    assert made == ["Epoch 1/2", "Epoch 2/2"]
    # the widget shows the whole text: no second copy printed below it
    assert "Epoch 1/2 loss" not in logger.stream.getvalue()


def test_a_live_bar_too_narrow_for_the_metrics_prints_them_below_it(monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setattr(progress.shutil, "get_terminal_size",
                        lambda fallback: types.SimpleNamespace(columns=60, lines=20))
    screen = Terminal()
    logger = progress.ProgressLogger(verbose=1, stream=screen)
    logger.params = {"steps": 1, "epochs": 1}
    logger.model = types.SimpleNamespace(stop_reason=None)
    logger.on_train_begin()
    logger.on_epoch_begin(0)
    logger.on_train_batch_end(0, LOGS)
    logger.on_epoch_end(0, LOGS)
    below = screen.getvalue().split("\r")[-1].split("\n", 1)[1]  # after the finished bar
    assert below.startswith("Epoch 1/1 loss=0.1235") and "val_mae=1.7500" in below
    assert all(len(line) <= 60 for line in below.splitlines())

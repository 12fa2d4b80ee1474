"""Training progress on the terminal: a live bar per epoch, one line per epoch, or silence.

``verbose=1`` shows a live bar (steps, elapsed, ETA, running loss and metrics) when the output
is a terminal and tqdm is installed (the ``progress`` extra), and falls back to one line per
epoch otherwise, so logs of CI runs and pipes stay clean; ``verbose=2`` prints one line per
epoch; ``verbose=0`` prints nothing. In Jupyter (:func:`in_notebook`) the bar is a notebook
widget, tqdm.notebook's, when ipywidgets is installed too (the ``notebook`` extra), and the
text bar otherwise. A line never cuts off a metric: wider than the terminal (80 columns when
there is no terminal), it shortens the names (accuracy: acc, ...), and then wraps onto
indented lines.
"""

from __future__ import annotations

import os
import shutil
import sys
import time

import numpy as np

from rosenblatt.training.callbacks import Callback

_SKIP = ("batch_loss", "time", "grad_norm")
_SHORT = {"accuracy": "acc", "binary_accuracy": "bin_acc", "categorical_accuracy": "cat_acc",
          "sparse_categorical_accuracy": "sparse_acc", "mean_absolute_error": "mae",
          "mean_squared_error": "mse", "learning_rate": "lr"}


def _short(name: str) -> str:
    prefix = "val_" if name.startswith("val_") else ""
    return prefix + _SHORT.get(name[len(prefix):], name[len(prefix):])


def format_value(value, compact: bool = False) -> str:
    """'0.1235' for a number; '[0.5000, 0.6667]' for a metric with one value per class or
    threshold (``F1Score(average=None)``), '[0.5000,0.6667]' when ``compact`` (no spaces, so a
    wrapped line keeps it whole). Keras' bar shows such a vector's mean; this shows it all."""
    if np.ndim(value) == 0:
        return f"{value:.4f}"
    return "[" + ("," if compact else ", ").join(f"{v:.4f}" for v in np.ravel(value)) + "]"


def format_logs(logs: dict, skip=_SKIP, compact: bool = False) -> str:
    """'loss: 0.1234 - accuracy: 0.9500' from a logs dict; ``compact`` gives
    'loss=0.1234 acc=0.9500' (shorter names, no separators)."""
    if compact:
        return " ".join(f"{_short(k)}={format_value(v, True)}" for k, v in logs.items()
                        if k not in skip)
    return " - ".join(f"{k}: {format_value(v)}" for k, v in logs.items() if k not in skip)


def format_time(seconds: float) -> str:
    """'0.42ms' below 10 ms, else '1.25s'."""
    return f"{seconds * 1e3:.2f}ms" if seconds < 0.01 else f"{seconds:.2f}s"


def terminal_width(stream) -> int:
    """Columns of the terminal ``stream`` writes to, 80 when it is not a terminal."""
    if not getattr(stream, "isatty", lambda: False)():
        return 80
    return max(20, shutil.get_terminal_size(fallback=(80, 24)).columns)


def epoch_line(head: str, logs: dict, width: int) -> str:
    """``head`` and the logs in at most ``width`` columns a line: in full if they fit, else
    with short names, else wrapped onto lines indented by two spaces; nothing is cut off."""
    full = " - ".join(part for part in (head, format_logs(logs)) if part)
    if len(full) <= width:
        return full
    lines = [head]
    for part in format_logs(logs, compact=True).split(" "):
        if part and len(lines[-1]) + 1 + len(part) <= width:
            lines[-1] += " " + part
        elif part:
            lines.append("  " + part)
    return "\n".join(lines)


def in_notebook(modules=None, environ=None) -> bool:
    """Whether this Python runs in a Jupyter kernel whose front end draws widgets (Jupyter
    Notebook and Lab, VS Code, Colab): IPython's shell is the kernel's ``ZMQInteractiveShell``
    (or a subclass, such as Colab's) or runs under ``IPKernelApp``, and neither the Qt console
    nor Spyder, which draw no widgets, is the front end (``QT_API`` / ``SPYDER*`` variables, a
    'qt' or 'spyder' shell). A terminal IPython, plain Python and scripts are not notebooks.

    ``modules`` and ``environ`` (default ``sys.modules`` and ``os.environ``) are where it looks:
    IPython is never imported here, only found if the kernel imported it.
    """
    modules = sys.modules if modules is None else modules
    environ = os.environ if environ is None else environ
    ipython = modules.get("IPython")
    try:
        shell = ipython.get_ipython() if ipython is not None else None
    except Exception:  # an IPython that cannot say: not a kernel this can draw in
        return False
    if shell is None:
        return False
    names = [cls.__name__ for cls in type(shell).__mro__]
    config = getattr(shell, "config", None)
    kernel = "ZMQInteractiveShell" in names or (hasattr(config, "__contains__")
                                                 and "IPKernelApp" in config)
    console = any(k == "QT_API" or k.startswith("SPYDER") for k in environ) or any(
        word in names[0].lower() for word in ("qt", "spyder"))
    return kernel and not console


def bar_class(stream, notebook: bool):
    """The tqdm class of the live bar, or None for one line per epoch: tqdm.notebook's widget
    in a notebook when ipywidgets is installed (the ``notebook`` extra), tqdm's text bar on a
    terminal, or in a notebook without ipywidgets; None without tqdm (the ``progress`` extra)
    or when ``stream`` is neither a terminal nor a notebook's (a pipe, a file, CI's log)."""
    if not (notebook or getattr(stream, "isatty", lambda: False)()):
        return None
    try:
        from tqdm import std
    except ImportError:
        return None
    if notebook:
        try:
            from tqdm import notebook as widgets
        except ImportError:  # tqdm.notebook needs IPython, which a kernel has
            return std.tqdm
        if widgets.IProgress is not None:  # ipywidgets is installed
            return widgets.tqdm
    return std.tqdm


class ProgressLogger(Callback):
    """Prints training progress according to ``verbose`` (0, 1 or 2)."""

    def __init__(self, verbose: int = 1, stream=None):
        super().__init__()
        self.verbose = verbose
        self.stream = stream if stream is not None else sys.stdout
        self.bar = None

    def on_train_begin(self, logs=None):
        self.notebook = in_notebook()
        self.bar_class = bar_class(self.stream, self.notebook) if self.verbose == 1 else None
        self.live = self.bar_class is not None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch, self.started = epoch, time.perf_counter()
        if self.live:
            self.bar = self.bar_class(total=self.params["steps"], file=self.stream, leave=True,
                                      desc=f"Epoch {epoch + 1}/{self.params['epochs']}",
                                      unit="step", dynamic_ncols=True)

    def on_train_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(format_logs(logs, compact=True), refresh=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            text = format_logs(logs, compact=True)
            meter = self.bar.format_meter(**{**self.bar.format_dict, "ncols": None,
                                             "postfix": text})
            # a widget's text is not cut off; a terminal's line is, past its width
            fits = self.notebook or len(meter) <= terminal_width(self.stream)
            self.bar.set_postfix_str(text if fits else "", refresh=True)
            self.bar.close()
            self.bar = None
            if not fits:  # the metrics on their own lines rather than cut off by the bar
                print(epoch_line(f"Epoch {epoch + 1}/{self.params['epochs']}", logs,
                                 terminal_width(self.stream)), file=self.stream, flush=True)
        elif self.verbose:
            elapsed = time.perf_counter() - self.started
            head = f"Epoch {epoch + 1}/{self.params['epochs']} - {format_time(elapsed)}"
            print(epoch_line(head, logs, terminal_width(self.stream)), file=self.stream,
                  flush=True)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()
        if self.verbose and self.model.stop_reason:
            print(f"Stopped: {self.model.stop_reason}", file=self.stream, flush=True)

"""Training progress on the terminal: a live bar per epoch, one line per epoch, or silence.

``verbose=1`` shows a live bar (steps, elapsed, ETA, running loss and metrics) when the output
is a terminal and tqdm is installed (the ``progress`` extra), and falls back to one line per
epoch otherwise, so logs of CI runs and pipes stay clean; ``verbose=2`` prints one line per
epoch; ``verbose=0`` prints nothing.
"""

from __future__ import annotations

import sys
import time

from rosenblatt.training.callbacks import Callback


def format_logs(logs: dict, skip=("batch_loss", "time", "grad_norm")) -> str:
    """'loss: 0.1234 - accuracy: 0.9500' from a logs dict."""
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items() if k not in skip)


def _live_bar_available(stream) -> bool:
    if not getattr(stream, "isatty", lambda: False)():
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


class ProgressLogger(Callback):
    """Prints training progress according to ``verbose`` (0, 1 or 2)."""

    def __init__(self, verbose: int = 1, stream=None):
        super().__init__()
        self.verbose = verbose
        self.stream = stream if stream is not None else sys.stdout
        self.bar = None

    def on_train_begin(self, logs=None):
        self.live = self.verbose == 1 and _live_bar_available(self.stream)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch, self.started = epoch, time.perf_counter()
        if self.live:
            from tqdm import tqdm

            self.bar = tqdm(total=self.params["steps"], file=self.stream, leave=True,
                            desc=f"Epoch {epoch + 1}/{self.params['epochs']}",
                            unit="step", dynamic_ncols=True)

    def on_train_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(format_logs(logs), refresh=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            self.bar.set_postfix_str(format_logs(logs), refresh=True)
            self.bar.close()
            self.bar = None
        elif self.verbose:
            elapsed = time.perf_counter() - self.started
            print(f"Epoch {epoch + 1}/{self.params['epochs']} - {elapsed:.2f}s - "
                  f"{format_logs(logs)}", file=self.stream, flush=True)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()
        if self.verbose and self.model.stop_reason:
            print(f"Stopped: {self.model.stop_reason}", file=self.stream, flush=True)

"""The playground: a local, interactive page where training runs on rosenblatt itself.

``rosenblatt playground`` (or :func:`serve`) starts a server on 127.0.0.1 and opens the page;
in a notebook, :func:`show` displays it inline. The page is plain HTML, CSS and JavaScript
modules shipped in this package (nothing from a CDN); it reads and writes the TensorFlow
Playground's URL keys, so a course's link opens the same setup, and streams training epoch by
epoch over a WebSocket. The default is the original's training rules (squared error on +-1
targets, weights U(-0.5, 0.5), biases 0.1, plain SGD); the page adds softmax classes,
cross-entropy, momentum / Adam / RMSprop, more activations, dropout, a schedule, uploads,
exports, metrics and a target test loss that stops the run (lecture 002's exercise).

The server needs the optional extra ``rosenblatt[playground]`` (starlette, uvicorn,
websockets); :mod:`~rosenblatt.playground.session` and :mod:`~rosenblatt.playground.settings`
need NumPy alone.

>>> from rosenblatt.playground import Session, Settings
>>> run = Session(Settings(network_shape=(), features=("xSquared", "ySquared"),
...                        learning_rate=0.1, noise=10, target_loss=0.05))
>>> while not run.stop_reason:
...     _ = run.epoch()
>>> run.stop_reason, run.test_loss < 0.05
('target', True)

Lecture 002 (the playground exercise, L17).
"""

from .server import serve, show
from .session import Session
from .settings import Settings, SettingsError, parse_settings

__all__ = ["Session", "Settings", "SettingsError", "parse_settings", "serve", "show"]

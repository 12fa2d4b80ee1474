"""Running the playground: ``rosenblatt playground`` and, in a notebook, :func:`show`.

The server listens on 127.0.0.1 (this computer only) unless a host is given explicitly, and
then warns. It is uvicorn serving :func:`~rosenblatt.playground.app.create_app`; Ctrl-C stops
it cleanly (uvicorn closes the WebSockets, which stops every tab's training).
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
import webbrowser

LOCAL = "127.0.0.1"
DEFAULT_PORT = 8017
_NOTEBOOK = {}  # the notebook's server: started once per kernel


def _check_port(port) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"port: expected an integer from 0 to 65535, got {port!r}")
    return port


def free_port(host: str = LOCAL) -> int:
    """A TCP port free on ``host`` now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _server(host: str, port: int, on_started=None):
    """A uvicorn server of the playground; ``on_started()`` is called once it listens."""
    import uvicorn

    from .app import MAX_MESSAGE_BYTES, create_app

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            if self.started and on_started is not None:
                on_started()

    config = uvicorn.Config(create_app(), host=host, port=port, log_level="warning",
                            ws_max_size=MAX_MESSAGE_BYTES, ws="websockets-sansio",
                            lifespan="off")
    return Server(config)


def serve(host: str = LOCAL, port: int = DEFAULT_PORT, open_browser: bool = True,
          print_fn=print) -> None:
    """Serve the playground until Ctrl-C; prints its URL and opens it in a browser once it
    accepts connections.

    Args:
        host: the address to listen on; anything but 127.0.0.1 / localhost exposes the
            playground to the network, with a printed warning.
        port: the TCP port (0: any free port).
        open_browser: open the page in the default browser.
    """
    _check_port(port)
    if not isinstance(host, str) or not host:
        raise ValueError(f"host: expected an address such as 127.0.0.1, got {host!r}")
    if host not in (LOCAL, "localhost"):
        print_fn(f"warning: listening on {host}: anyone who can reach this address can use "
                 "the playground and its CPU")
    if port == 0:
        port = free_port(host if host != "localhost" else LOCAL)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"

    def announce():  # once the server accepts connections, not before
        print_fn(f"rosenblatt playground at {url} (Ctrl-C stops it)")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    _server(host, port, on_started=announce).run()


def start_in_background(host: str = LOCAL, port: int = 0, timeout: float = 10.0):
    """Start a server in a daemon thread; returns (server, url) once it accepts connections."""
    _check_port(port)
    port = port or free_port(host)
    server = _server(host, port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the playground server did not start on {host}:{port}")
        time.sleep(0.02)
    return server, f"http://{host}:{port}/"


def hash_of(**settings) -> str:
    """The URL hash of settings given as the page's keys (lists joined by commas).

    >>> hash_of(dataset="circle", networkShape=[], learningRate=0.1)
    'dataset=circle&networkShape=&learningRate=0.1'
    """
    parts = []
    for key, value in settings.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        parts.append(f"{key}={urllib.parse.quote(str(value), safe=',.-_')}")
    return "&".join(parts)


# the page's URL keys: the original's, then rosenblatt's (the page clamps their values)
HASH_KEYS = ("activation", "batchSize", "dataset", "regDataset", "learningRate", "regularization",
             "regularizationRate", "noise", "networkShape", "seed", "showTestData", "discretize",
             "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY",
             "sinY", "collectStats", "problem", "initZero", "hideText", "targetLoss", "maxEpochs",
             "optimizer", "loss", "classes", "dropout", "schedule", "layerActivations")


def show(width: int = 1100, height: int = 800, **settings):
    """Display the playground inline in a Jupyter notebook (an IFrame onto a local server
    started once per kernel), with ``settings`` under the page's keys.

    >>> show(dataset="circle", noise=10, networkShape=[])  # doctest: +SKIP
    """
    for key, value in settings.items():
        if key not in HASH_KEYS:
            raise ValueError(f"{key}: not a playground setting (expected one of "
                             f"{', '.join(HASH_KEYS)})")
        if not isinstance(value, (str, int, float, bool, list, tuple)) or value is None:
            raise TypeError(f"{key}: expected a number, text, true/false or a list, got "
                            f"{type(value).__name__}")
    if "server" not in _NOTEBOOK:
        _NOTEBOOK["server"], _NOTEBOOK["url"] = start_in_background()
    url = _NOTEBOOK["url"] + "#" + hash_of(**settings)
    try:
        from IPython.display import IFrame
    except ImportError:
        return url
    return IFrame(url, width=width, height=height)

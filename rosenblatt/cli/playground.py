"""``rosenblatt playground``: the interactive page, served on this computer."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    p = sub.add_parser("playground", help="start the interactive playground in the browser",
                       description="Serve the playground on 127.0.0.1 and open it in the "
                                   "browser (needs rosenblatt[playground]).")
    p.add_argument("--port", type=int, default=8017, help="TCP port (0: any free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (anything else than 127.0.0.1 is a risk)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        from rosenblatt.playground import server
    except ImportError as exc:
        raise ImportError(f"the playground needs its extra: pip install "
                          f"'rosenblatt[playground]' ({exc.name} is missing)") from None
    try:
        server.serve(host=args.host, port=args.port, open_browser=not args.no_browser,
                     print_fn=lambda text: print(text, file=sys.stderr if
                                                 text.startswith("warning") else sys.stdout,
                                                 flush=True))
    except KeyboardInterrupt:
        pass
    return 0

"""The playground's web application (Starlette): the page's files and one WebSocket per tab.

Each WebSocket is its own session (one browser tab, one run); closing it stops its training.
Every message is a JSON object ``{"type": ..., ...}`` checked before any work; a bad one is
answered with ``{"type": "error", "message": ...}`` and changes nothing. Training streams
frames epoch by epoch; the page acknowledges each frame it has drawn (``{"type": "ack"}``),
and epochs that finish before that acknowledgement send no picture (their losses ride along
with the next frame's ``history``): frames are dropped, never queued.

Needs the optional extra ``rosenblatt[playground]`` (starlette, uvicorn, websockets).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import replace
from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from . import settings as settings_module
from .data import MAX_UPLOAD_BYTES, UploadError, parse_csv
from .export import model_bytes, script
from .session import Session
from .settings import Settings, SettingsError, parse_settings

MAX_MESSAGE_BYTES = MAX_UPLOAD_BYTES + 4096  # an upload's text and its envelope
RATE = 40.0  # messages per second, sustained
BURST = 80  # messages at once
_FIELDS = {"settings": {"settings"}, "play": set(), "pause": set(), "step": set(),
           "reset": set(), "ack": set(), "upload": {"csv"}, "export": {"format"}}
EXPORTS = ("model", "script")


class MessageError(ValueError):
    """A message the server refuses: the text goes to the page."""


def static_dir():
    return resources.files("rosenblatt.playground") / "static"


def check_message(text) -> dict:
    """The message as a dict, or MessageError naming what is wrong (size, JSON, type, keys)."""
    if not isinstance(text, str):
        raise MessageError("message: expected JSON text, got binary data")
    if len(text) > MAX_MESSAGE_BYTES:
        raise MessageError(f"message: expected at most {MAX_MESSAGE_BYTES} bytes, got "
                           f"{len(text)}")
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        raise MessageError("message: expected a JSON object, got text that is not JSON") from None
    if not isinstance(message, dict):
        raise MessageError(f"message: expected a JSON object, got {type(message).__name__}")
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in _FIELDS:
        shown = repr(kind)[:40]
        raise MessageError(f"type: expected one of {', '.join(_FIELDS)}, got {shown}")
    extra = sorted(set(message) - _FIELDS[kind] - {"type"})
    if extra:
        raise MessageError(f"{kind}: unexpected field {repr(extra[0])[:40]} (expected "
                           f"{sorted(_FIELDS[kind]) or 'none'})")
    missing = sorted(_FIELDS[kind] - set(message))
    if missing:
        raise MessageError(f"{kind}: missing field {missing[0]!r}")
    return message


class RateLimit:
    """A token bucket: ``rate`` messages per second, ``burst`` at once."""

    def __init__(self, rate=RATE, burst=BURST, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.last = float(burst), clock()

    def allow(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Connection:
    """One tab's session: its settings, its run, its training task."""

    def __init__(self, websocket: WebSocket):
        self.ws = websocket
        self.settings = Settings()
        self.custom = None
        self.session: Session | None = None
        self.task: asyncio.Task | None = None
        self.waiting = False  # a frame is out and not yet acknowledged
        self.history: list = []
        self.limit = RateLimit()
        self.refused = 0

    async def send(self, message: dict) -> None:
        await self.ws.send_text(json.dumps(message, allow_nan=False))

    async def error(self, text: str) -> None:
        await self.send({"type": "error", "message": text})

    # ------------------------------------------------------------------ running
    async def stop(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def send_frame(self) -> None:
        frame = await run_in_threadpool(self.session.frame)
        frame["history"], self.history = self.history, []
        frame["running"] = self.task is not None and not self.session.stop_reason
        self.waiting = True
        await self.send(frame)

    async def one_epoch(self) -> None:
        session = self.session
        await run_in_threadpool(session.epoch)
        self.history.append([session.epochs_done, session.train_loss, session.test_loss])
        self.history = self.history[-1000:]

    async def train(self) -> None:
        try:
            while not self.session.stop_reason:
                await self.one_epoch()
                if not self.waiting:
                    await self.send_frame()
                await asyncio.sleep(0)
        finally:
            self.task = None
        await self.send_frame()  # the last frame, with the stop reason, always goes out

    async def restart(self, settings: Settings, custom=None) -> None:
        session = await run_in_threadpool(Session, settings, custom)
        await self.stop()
        self.settings, self.custom, self.session = settings, custom, session
        self.history, self.waiting = [], False
        await self.send({"type": "ready", "settings": settings.to_message(),
                         "originalRules": settings.original_rules})
        await self.send(session.points())
        await self.send_frame()

    # ------------------------------------------------------------------ messages
    async def handle(self, message: dict) -> None:
        kind = message["type"]
        if kind == "ack":
            self.waiting = False
            return
        if kind == "settings":
            settings = parse_settings(message["settings"], Settings())
            custom = self.custom if settings.custom_data else None
            if settings.custom_data and custom is None:
                raise SettingsError("customData: no CSV has been uploaded in this tab")
            if custom is not None:  # the uploaded data decide the number of classes
                settings = replace(settings, classes=max(custom[2], 2))
            await self.restart(settings, custom)
            return
        if kind == "upload":
            problem = self.settings.problem
            x, y, k = parse_csv(message["csv"], problem, settings_module.MAX_CLASSES)
            settings = replace(self.settings, custom_data=True, classes=max(k, 2))
            await self.restart(settings, (x, y, k))
            return
        if self.session is None:
            raise MessageError(f"{kind}: send the settings first")
        if kind == "play":
            if self.task is None and not self.session.stop_reason:
                self.task = asyncio.create_task(self.train())
        elif kind == "pause":
            await self.stop()
            await self.send_frame()
        elif kind == "step":
            await self.stop()
            await self.one_epoch()
            await self.send_frame()
        elif kind == "reset":
            await self.restart(self.settings, self.custom)
        elif kind == "export":
            await self.export(message["format"])

    async def export(self, kind) -> None:
        if kind not in EXPORTS:
            raise MessageError(f"format: expected one of {', '.join(EXPORTS)}, got "
                               f"{repr(kind)[:40]}")
        if kind == "model":
            data = await run_in_threadpool(model_bytes, self.session)
            await self.send({"type": "export", "format": "model",
                             "filename": "playground-model.npz",
                             "base64": base64.b64encode(data).decode("ascii")})
        else:
            await self.send({"type": "export", "format": "script",
                             "filename": "playground_run.py", "text": script(self.session)})

    async def receive(self, text) -> None:
        if not self.limit.allow():
            self.refused += 1
            if self.refused == 1:
                await self.error(f"message: too many messages (more than {RATE:g} a second); "
                                 "some were ignored")
            return
        self.refused = 0
        try:
            await self.handle(check_message(text))
        except (MessageError, SettingsError, UploadError) as exc:
            await self.error(str(exc))
        except (ValueError, TypeError) as exc:
            await self.error(f"could not do that: {exc}"[:300])


async def websocket_endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    connection = Connection(websocket)
    try:
        while True:
            event = await websocket.receive()
            if event["type"] == "websocket.disconnect":
                break
            text = event.get("text")
            if text is None:
                await connection.receive(event.get("bytes"))
            else:
                await connection.receive(text)
    except WebSocketDisconnect:
        pass
    finally:
        await connection.stop()


async def index(request):
    return FileResponse(str(static_dir() / "index.html"), media_type="text/html")


async def limits(request):
    """The allowed values, for the page and for scripts."""
    s = settings_module
    return JSONResponse({
        "datasets": list(s.DATASETS), "regDatasets": list(s.REG_DATASETS),
        "activations": list(s.ACTIVATIONS), "optimizers": list(s.OPTIMIZERS),
        "losses": list(s.LOSSES), "regularizations": list(s.REGULARIZATIONS),
        "schedules": list(s.SCHEDULES), "features": list(s.FEATURES),
        "maxLayers": s.MAX_LAYERS, "maxNeurons": s.MAX_NEURONS, "maxBatch": s.MAX_BATCH,
        "maxClasses": s.MAX_CLASSES, "maxUploadBytes": MAX_UPLOAD_BYTES,
        "defaults": Settings().to_message()})


def create_app() -> Starlette:
    """The playground's ASGI application."""
    return Starlette(routes=[
        Route("/", index),
        Route("/api/limits", limits),
        WebSocketRoute("/ws", websocket_endpoint),
        Mount("/static", StaticFiles(directory=str(static_dir())), name="static"),
    ])

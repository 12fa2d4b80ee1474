"""The playground's server through Starlette's TestClient: the page's files, the WebSocket
protocol, bad and fuzzed messages (answered with an error, never a traceback), uploads,
exports, rate limits; and the command line."""

import base64
import json
import random
import signal
import subprocess
import sys
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

from rosenblatt.playground import app as app_module  # noqa: E402
from rosenblatt.playground.app import RateLimit, create_app  # noqa: E402

EXERCISE = {"dataset": "circle", "noise": 10, "percTrainData": 50, "batchSize": 10,
            "features": ["xSquared", "ySquared"], "networkShape": [], "activation": "tanh",
            "learningRate": 0.1, "targetLoss": 0.05}


@pytest.fixture()
def client():
    with TestClient(create_app()) as c:
        yield c


def _until(ws, kind):
    for _ in range(10000):
        message = ws.receive_json()
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


def _start(ws, settings=None):
    ws.send_json({"type": "settings", "settings": settings or {}})
    ready = _until(ws, "ready")
    points = _until(ws, "data")
    frame = _until(ws, "frame")
    return ready, points, frame


def test_the_page_and_its_files_are_served_without_a_cdn(client):
    page = client.get("/")
    assert page.status_code == 200 and "data-testid=\"play\"" in page.text
    for testid in ("play", "step", "reset", "epoch", "train-loss", "test-loss", "heatmap",
                   "run-log"):
        assert f'data-testid="{testid}"' in page.text
    for name in ("main.js", "hash.js", "draw.js", "log.js", "style.css"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200
        text = asset.text.replace('"http://www.w3.org/2000/svg"', "")  # a name, not a fetch
        assert "http://" not in text and "https://" not in text
    assert client.get("/static/../app.py").status_code == 404
    limits = client.get("/api/limits").json()
    assert limits["maxLayers"] == 10 and limits["defaults"]["learningRate"] == 0.03


def test_the_exercise_runs_to_the_target_over_the_websocket(client):
    with client.websocket_connect("/ws") as ws:
        ready, points, frame = _start(ws, EXERCISE)
        assert ready["originalRules"] and frame["epoch"] == 0
        assert len(points["train"]) == 250 and len(points["test"]) == 250
        ws.send_json({"type": "play"})
        seen = []
        while True:
            frame = _until(ws, "frame")
            seen.extend(frame["history"])
            ws.send_json({"type": "ack"})
            if frame["stopped"]:
                break
        assert frame["stopped"] == "target" and frame["testLoss"] < 0.05
        assert [row[0] for row in seen] == list(range(1, frame["epoch"] + 1))


def test_step_pause_reset(client):
    with client.websocket_connect("/ws") as ws:
        _start(ws)
        ws.send_json({"type": "step"})
        assert _until(ws, "frame")["epoch"] == 1
        ws.send_json({"type": "step"})
        assert _until(ws, "frame")["epoch"] == 2
        ws.send_json({"type": "play"})
        ws.send_json({"type": "pause"})
        paused = _until(ws, "frame")
        assert not paused["running"]
        ws.send_json({"type": "reset"})
        _until(ws, "ready")
        assert _until(ws, "frame")["epoch"] == 0


def test_frames_are_dropped_not_queued_without_acks(client):
    with client.websocket_connect("/ws") as ws:
        _start(ws, {"maxEpochs": 40})
        ws.send_json({"type": "ack"})
        ws.send_json({"type": "play"})
        first = _until(ws, "frame")  # no ack: the next frames wait for one
        last = _until(ws, "frame")
        assert last["stopped"] == "maxEpochs" and last["epoch"] == 40
        assert first["epoch"] + len(last["history"]) == 40


BAD_MESSAGES = [
    ("not json", "message: expected a JSON object"),
    ("[1, 2]", "message: expected a JSON object"),
    ('"text"', "message: expected a JSON object"),
    ("{}", "type: expected one of"),
    ('{"type": "launch"}', "type: expected one of"),
    ('{"type": 5}', "type: expected one of"),
    ('{"type": "play", "now": true}', "play: unexpected field"),
    ('{"type": "settings"}', "settings: missing field"),
    ('{"type": "settings", "settings": 3}', "settings: expected a JSON object"),
    ('{"type": "settings", "settings": {"batchSize": 99}}', "batchSize: expected"),
    ('{"type": "settings", "settings": {"customData": true}}', "customData: no CSV"),
    ('{"type": "export", "format": "exe"}', "format: expected one of model, script"),
    ('{"type": "upload", "csv": 5}', "csv: expected the file's text"),
    ('{"type": "upload", "csv": "1,2"}', "csv: expected at least 4 rows"),
    ("[" * 100000, "message: expected a JSON object"),
]


@pytest.mark.parametrize("text, match", BAD_MESSAGES)
def test_bad_messages_get_clear_errors_and_change_nothing(client, text, match):
    with client.websocket_connect("/ws") as ws:
        _start(ws, {"learningRate": 0.3})
        ws.send_text(text)
        error = _until(ws, "error")
        assert error["message"].startswith(match.split(":")[0]) and match in error["message"]
        ws.send_json({"type": "step"})
        frame = _until(ws, "frame")
        assert frame["epoch"] == 1  # the session is as before: one step from epoch 0
        ws.send_json({"type": "export", "format": "script"})
        assert "'learningRate': 0.3" in _until(ws, "export")["text"]


def test_per_layer_activations_go_through_the_settings_check(client):
    """The page's per-layer selects send layerActivations in a settings message: the server
    takes one name per hidden layer and refuses anything else with the key's name."""
    with client.websocket_connect("/ws") as ws:
        ready, _, frame = _start(ws, {"networkShape": [3, 2], "layerActivations": ["relu",
                                                                                  "tanh"]})
        assert ready["settings"]["layerActivations"] == ["relu", "tanh"]
        relu = [b for t in frame["neurons"][0] for b in base64.b64decode(t)]
        assert min(relu) >= 128  # relu outputs are >= 0, encoded from -1..1 as 0..255
        for bad, match in ((["softmax", "tanh"], "layerActivations[0]: expected one of"),
                           (["relu"], "layerActivations: expected one activation per"),
                           ("relu,tanh", "layerActivations: expected a list")):
            ws.send_json({"type": "settings", "settings": {"networkShape": [3, 2],
                                                           "layerActivations": bad}})
            assert _until(ws, "error")["message"].startswith(match)
        ws.send_json({"type": "export", "format": "script"})
        assert "'layerActivations': ['relu', 'tanh']" in _until(ws, "export")["text"]


def test_commands_before_settings_are_refused(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "play"})
        assert _until(ws, "error")["message"] == "play: send the settings first"


def test_oversized_and_binary_messages(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text("x" * (app_module.MAX_MESSAGE_BYTES + 1))
        assert "at most" in _until(ws, "error")["message"]
        ws.send_bytes(b"\x00\x01")
        assert "binary" in _until(ws, "error")["message"]


def test_fuzzed_messages_never_break_the_server(client):
    rng = random.Random(17)
    atoms = [None, True, -1, 0, 1e308, "x", "", [], {}, "play", "settings", 3.5, [1, 2],
             {"batchSize": -1}, {"networkShape": [99]}, "NaN"]
    keys = ["type", "settings", "csv", "format", "learningRate", "networkShape"]
    with client.websocket_connect("/ws") as ws:
        _start(ws)
        for _ in range(60):
            message = {rng.choice(keys): rng.choice(atoms) for _ in range(rng.randint(0, 3))}
            if rng.random() < 0.3:
                message["type"] = rng.choice(["settings", "export", "upload", "bogus"])
            text = json.dumps(message)
            if rng.random() < 0.2:
                text = text[: rng.randint(0, len(text))]
            ws.send_text(text)
            reply = ws.receive_json()
            while reply["type"] in ("ready", "data"):
                reply = ws.receive_json()
            assert reply["type"] in ("error", "frame", "export")
        ws.send_json({"type": "step"})
        assert _until(ws, "frame")["type"] == "frame"


def test_upload_runs_on_the_users_data_and_refuses_bad_files(client):
    csv = "x1,x2,label\n" + "".join(
        f"{i % 7 - 3},{i % 5 - 2},{'ab'[i % 2]}\n" for i in range(60))
    with client.websocket_connect("/ws") as ws:
        _start(ws)
        ws.send_json({"type": "upload", "csv": csv})
        ready = _until(ws, "ready")
        assert ready["settings"]["customData"] is True
        assert len(_until(ws, "data")["train"]) == 30
        assert _until(ws, "frame")["epoch"] == 0
        ws.send_json({"type": "step"})
        assert _until(ws, "frame")["epoch"] == 1
        ws.send_json({"type": "upload", "csv": "0,0,a\n" * 5001})
        assert "csv: expected at most 5000 rows" in _until(ws, "error")["message"]
        ws.send_json({"type": "upload", "csv": "0,0,a\n" * 50000})
        assert "message: expected at most" in _until(ws, "error")["message"]
        ws.send_json({"type": "step"})
        assert _until(ws, "frame")["epoch"] == 2  # the uploaded data's run goes on


def test_exports_model_and_script(client, tmp_path):
    import rosenblatt

    with client.websocket_connect("/ws") as ws:
        _start(ws)
        ws.send_json({"type": "export", "format": "model"})
        message = _until(ws, "export")
        path = tmp_path / message["filename"]
        path.write_bytes(base64.b64decode(message["base64"]))
        assert rosenblatt.load_model(path).count_params() == 2 * 4 + 4 + 4 * 2 + 2 + 2 + 1
        ws.send_json({"type": "export", "format": "script"})
        assert "model.fit(" in _until(ws, "export")["text"]


def test_each_tab_has_its_own_session(client):
    with client.websocket_connect("/ws") as a, client.websocket_connect("/ws") as b:
        _start(a, {"learningRate": 1})
        _start(b)
        a.send_json({"type": "step"})
        assert _until(a, "frame")["epoch"] == 1
        b.send_json({"type": "step"})
        assert _until(b, "frame")["epoch"] == 1


def test_closing_the_tab_stops_its_training(client, monkeypatch):
    epochs = []
    original = app_module.Session.epoch

    def counted(self):
        epochs.append(1)
        return original(self)

    monkeypatch.setattr(app_module.Session, "epoch", counted)
    with client.websocket_connect("/ws") as ws:
        _start(ws, {"maxEpochs": 1_000_000})
        ws.send_json({"type": "play"})
        ws.send_json({"type": "ack"})
        _until(ws, "frame")
        assert epochs  # training runs
    time.sleep(0.5)  # the server sees the close and cancels the task
    closed = len(epochs)
    time.sleep(0.5)
    assert len(epochs) == closed


def test_ctrl_c_stops_a_training_server_cleanly():
    """``rosenblatt playground`` with a tab training: its printed URL accepts a connection at
    once, and SIGINT ends it at once, exit status 0, no traceback."""
    client_module = pytest.importorskip("websockets.sync.client")
    server = subprocess.Popen(
        [sys.executable, "-m", "rosenblatt", "playground", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = line.split(" at ")[1].split()[0].replace("http://", "ws://") + "ws"
        ws = client_module.connect(url)  # the URL is printed once the server listens
        with ws:
            ws.send(json.dumps({"type": "settings", "settings": {"maxEpochs": 1_000_000}}))
            ws.send(json.dumps({"type": "play"}))
            frames = 0
            while frames < 3:
                if json.loads(ws.recv(timeout=30))["type"] == "frame":
                    frames += 1
                    ws.send(json.dumps({"type": "ack"}))
            server.send_signal(signal.SIGINT)
            _, err = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0
    assert "Traceback" not in err


def test_message_rate_is_capped():
    now = [0.0]
    limit = RateLimit(rate=10, burst=3, clock=lambda: now[0])
    assert [limit.allow() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.1
    assert limit.allow()


def test_a_flood_of_messages_is_refused_with_one_notice(client):
    with client.websocket_connect("/ws") as ws:
        _start(ws)
        for _ in range(app_module.BURST + 20):
            ws.send_json({"type": "ack"})
        assert "too many messages" in _until(ws, "error")["message"]


def test_the_command_line_refuses_bad_ports_and_warns_on_other_hosts(monkeypatch, capsys):
    from rosenblatt.cli import main
    from rosenblatt.playground import server

    calls = []
    monkeypatch.setattr(server, "_server", lambda host, port, on_started: type(
        "S", (), {"run": lambda self: (calls.append((host, port)), on_started())})())
    assert main(["playground", "--no-browser", "--port", "70000"]) == 2
    assert "port: expected an integer from 0 to 65535" in capsys.readouterr().err
    assert main(["playground", "--no-browser", "--port", "8123"]) == 0
    assert calls == [("127.0.0.1", 8123)]
    assert main(["playground", "--no-browser", "--host", "0.0.0.0", "--port", "8123"]) == 0
    captured = capsys.readouterr()
    assert "warning: listening on 0.0.0.0" in captured.err
    assert "http://127.0.0.1:8123/" in captured.out


def test_show_checks_its_keywords_and_builds_the_originals_hash():
    from rosenblatt.playground import server

    with pytest.raises(ValueError, match="bogus: not a playground setting"):
        server.show(bogus=1)
    with pytest.raises(TypeError, match="noise: expected a number"):
        server.show(noise=None)
    assert server.hash_of(networkShape=[], xSquared=True, targetLoss=0.05) == (
        "networkShape=&xSquared=true&targetLoss=0.05")


def test_show_serves_the_page_inline_with_the_settings_in_the_hash(monkeypatch):
    """In a notebook, show() starts a local server once and returns an IFrame onto the page
    with the settings as the original's hash."""
    display = pytest.importorskip("IPython.display")
    import urllib.request

    from rosenblatt.playground import server

    monkeypatch.setattr(server, "_NOTEBOOK", {})
    frame = server.show(dataset="circle", networkShape=[], learningRate=0.1)
    try:
        assert isinstance(frame, display.IFrame)
        page, _, fragment = frame.src.partition("#")
        assert page.startswith("http://127.0.0.1:") and page.endswith("/")
        assert fragment == "dataset=circle&networkShape=&learningRate=0.1"
        with urllib.request.urlopen(page, timeout=10) as response:
            assert 'data-testid="play"' in response.read().decode("utf-8")
        assert server.show().src.startswith(page)  # the same server, started once
    finally:
        server._NOTEBOOK["server"].should_exit = True

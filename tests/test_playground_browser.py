"""The playground in a real browser: headless Chromium (the system's, driven by Playwright)
does lecture 002's exercise from a link in the original's format, and a multiclass and an
upload run; the screenshots in the README come from here. Skips where no browser exists."""

import base64
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("no system Chromium", allow_module_level=True)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
# the exercise, as the original's page writes its link
EXERCISE = ("#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.1"
            "&regularizationRate=0&noise=10&networkShape=&seed=0.12345&showTestData=false"
            "&discretize=false&percTrainData=50&x=false&y=false&xTimesY=false&xSquared=true"
            "&ySquared=true&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
            "&problem=classification&initZero=false&hideText=false&targetLoss=0.05")


@pytest.fixture(scope="module")
def server_url():
    from rosenblatt.playground.server import start_in_background

    server, url = start_in_background(timeout=20)
    yield url
    server.should_exit = True


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30000)
        except Exception as exc:  # a browser that cannot start here: skip, do not fail
            pytest.skip(f"Chromium does not start: {exc}")
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert errors == []


def _heatmap_colours(page):
    return page.evaluate("""() => {
        const c = document.querySelector('[data-testid=heatmap]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let blue = 0, orange = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 2] > d[i] + 60) blue++;
            if (d[i] > d[i + 2] + 60) orange++;
        }
        return [blue, orange];
    }""")


def _wait_log_rows(page, rows):
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=run-log] tr').length >= {rows}")


def test_the_default_page(page, server_url):
    page.goto(server_url)
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent === '0'"
                           " && document.querySelector('[data-testid=test-loss]')"
                           ".textContent !== '-'")
    page.get_by_test_id("step").click()
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent === '1'")
    for testid in ("reset", "heatmap", "run-log", "train-loss", "neuron-0-0", "neuron-1-1"):
        assert page.get_by_test_id(testid).count() == 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / "playground-default.png"))


def test_the_exercise_stops_below_the_target_with_a_row_in_the_run_log(page, server_url):
    page.goto(server_url + EXERCISE)
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_function("document.querySelector('[data-testid=test-loss]').textContent "
                           "!== '-'")
    page.get_by_test_id("play").click()
    _wait_log_rows(page, 2)
    cells = page.locator("[data-testid=run-log] tr").nth(1).locator("td").all_text_contents()
    assert cells[0] == "circle" and cells[-1] == "target" and float(cells[-2]) < 0.05, cells
    # the readout shows the last frame once the screen has drawn it (frames may be dropped)
    page.wait_for_function("parseFloat(document.querySelector('[data-testid=test-loss]')"
                           ".textContent) < 0.05")
    assert page.get_by_test_id("play").text_content() == "play"  # stopped by itself
    blue, orange = _heatmap_colours(page)
    assert blue > 500 and orange > 500  # both classes' colours
    page.screenshot(path=str(IMAGES / "playground-exercise.png"))
    page.reload()  # the run log survives a reload
    _wait_log_rows(page, 2)


def test_hostile_hash_values_are_clamped_with_a_notice(page, server_url):
    page.goto(server_url + "#learningRate=1e999&batchSize=-3&networkShape=99,abc"
              "&dataset=<img>&seed=%3Cscript%3E&bogus=1&maxEpochs=5")
    notice = page.get_by_test_id("notice")
    notice.wait_for(state="visible")
    text = notice.text_content()
    for key in ("learningRate", "batchSize", "networkShape", "dataset", "seed", "bogus"):
        assert key in text
    page.get_by_test_id("play").click()
    _wait_log_rows(page, 2)
    assert page.get_by_test_id("epoch").text_content() == "5"


def _thumbnail_bytes(frame, layer):
    """Every byte of a layer's neuron thumbnails (encode: value -1 .. 1 as 0 .. 255)."""
    return [b for b64 in frame["neurons"][layer] for b in base64.b64decode(b64)]


def test_a_layer_activation_chosen_in_the_page(page, server_url):
    received = []  # the server's messages to the page, as the page receives them
    page.on("websocket", lambda ws: ws.on("framereceived", lambda m: received.append(m)))
    page.goto(server_url + "#networkShape=4,2&activation=tanh&maxEpochs=30")
    page.wait_for_function("document.querySelector('[data-testid=test-loss]').textContent "
                           "!== '-'")
    assert page.get_by_test_id("layer-activation-0").input_value() == "tanh"
    assert page.get_by_test_id("layer-activation-1").input_value() == "tanh"
    # a name the page does not offer reaches the server's check, which refuses it
    page.evaluate("""() => {
        const s = document.querySelector('[data-testid=layer-activation-0]');
        const o = document.createElement('option');
        o.value = o.textContent = 'softmax';
        s.appendChild(o);
    }""")
    page.get_by_test_id("layer-activation-0").select_option("softmax")
    error = page.get_by_test_id("error")
    error.wait_for(state="visible")
    assert "layerActivations[0]: expected one of" in error.text_content()
    page.get_by_test_id("layer-activation-0").select_option("relu")
    error.wait_for(state="hidden")  # the server took the settings and sent the new data
    messages = [json.loads(m) for m in received]
    ready = [m for m in messages if m["type"] == "ready"][-1]
    assert ready["settings"]["layerActivations"] == ["relu", "tanh"]
    assert "layerActivations=relu,tanh" in page.url
    assert page.get_by_test_id("layer-activation-0").input_value() == "relu"
    page.get_by_test_id("play").click()
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent "
                           "=== '30'")
    frames = [m for m in map(json.loads, received) if m["type"] == "frame"]
    last = [f for f in frames if f["epoch"] == 30][-1]
    assert last["stopped"] == "maxEpochs"
    assert min(_thumbnail_bytes(last, 0)) >= 128  # relu: never below 0
    assert min(_thumbnail_bytes(last, 1)) < 128  # tanh: negative somewhere on the grid
    # the common activation applies to every layer again
    page.get_by_test_id("activation").select_option("sigmoid")
    page.wait_for_function("document.querySelector('[data-testid=layer-activation-0]').value "
                           "=== 'sigmoid'")
    assert "layerActivations" not in page.url


def test_a_multiclass_run(page, server_url):
    page.goto(server_url + "#dataset=spiral&classes=3&loss=crossentropy&optimizer=adam"
              "&learningRate=0.03&networkShape=8,8&noise=0&maxEpochs=150&activation=relu")
    page.wait_for_function("document.querySelector('[data-testid=test-loss]').textContent "
                           "!== '-'")
    page.get_by_test_id("play").click()
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent "
                           "=== '150'")
    assert page.get_by_test_id("neuron-out-2").count() == 1
    assert page.locator("[data-testid=confusion] tr").count() == 4
    page.screenshot(path=str(IMAGES / "playground-multiclass.png"))


def test_an_upload_run(page, server_url, tmp_path):
    csv = tmp_path / "mine.csv"
    csv.write_text("x1,x2,label\n" + "".join(
        f"{(i % 11) - 5},{(i * 7 % 13) - 6},{'yes' if (i % 11) > 5 else 'no'}\n"
        for i in range(120)))
    page.goto(server_url + "#maxEpochs=20&networkShape=")
    page.wait_for_function("document.querySelector('[data-testid=test-loss]').textContent "
                           "!== '-'")
    page.get_by_test_id("upload").set_input_files(str(csv))
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent === '0'")
    page.get_by_test_id("play").click()
    page.wait_for_function("document.querySelector('[data-testid=epoch]').textContent "
                           "=== '20'")
    assert page.get_by_test_id("error").is_hidden()

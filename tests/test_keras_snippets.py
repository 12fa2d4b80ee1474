"""L20: the three Keras snippets of lecture 002 run with rosenblatt in place of keras.

The snippets below are copied from the notes (seed file 002) with only their line numbers
("1. ", "2. ", ...) removed. Only their import lines are changed before running them:
``import keras`` -> ``import rosenblatt as keras``, ``from keras.X import Y`` ->
``from rosenblatt.X import Y`` and ``from layers import`` -> ``from rosenblatt.layers import``.

The notes have two slips that would fail under Keras too: the Sequential snippet calls
``layers.Dense`` without importing ``layers`` (so the test supplies ``layers``, i.e.
``rosenblatt.layers``, in that snippet's namespace), and the Functional snippet imports
``from layers import ...`` (rewritten like the other imports).
"""

import re
from pathlib import Path

import numpy as np
import pytest

import rosenblatt

SEED_FILE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / ("002_5cb693841fa8cc84.txt")
)

SEQUENTIAL = """\
import keras
from keras.models import Sequential
from keras.layers import Dense

model = keras.Sequential()
model.add(layers.Dense(16, input_dim=N_features, activation='relu'))
model.add(layers.Dense(8, activation='relu'))
model.add(layers.Dense(1))

model.compile(optimizer='sgd', loss='mean_squared_error')

model.fit(X_train, y_train, epochs=100, validation_split=0.33)

y_pred = model.predict(X_test)
"""

FUNCTIONAL = """\
import keras
from layers import Input, Dense

inputs = keras.Input(shape=(N_features,))
x = Dense(16, activation='relu')(inputs)
x = Dense(8, activation='relu')(x)
outputs = Dense(1)(x)

model = keras.Model(inputs, outputs)
model.compile(optimizer='sgd', loss='mean_squared_error')

model.fit(X_train, y_train, epochs=100, validation_split=0.33)

y_pred = model.predict(X_test)
"""

SUBCLASSING = """\
import keras
from keras.layers import Dense

class MyModel(keras.Model):
    def __init__(self):
        super(MyModel, self).__init__()
        self.dense1 = Dense(16, activation='relu')
        self.dense2 = Dense(8, activation='relu')
        self.dense3 = Dense(1)
    def call(self, inputs):
       x = self.dense1(inputs)
       x = self.dense2(x)
       return self.dense3(x)

model = MyModel()
model.compile(optimizer='sgd', loss='mean_squared_error')

model.fit(X_train, y_train, epochs=100, validation_split=0.33)

y_pred = model.predict(X_test)
"""

SNIPPETS = {"sequential": SEQUENTIAL, "functional": FUNCTIONAL, "subclassing": SUBCLASSING}


def to_rosenblatt(code: str) -> str:
    """Rewrite the import lines only; every other line stays as it is."""
    lines = []
    for line in code.splitlines():
        if line == "import keras":
            line = "import rosenblatt as keras"
        elif line.startswith("from keras."):
            line = "from rosenblatt." + line[len("from keras.") :]
        elif line.startswith("from layers import"):
            line = "from rosenblatt.layers import" + line[len("from layers import") :]
        lines.append(line)
    return "\n".join(lines) + "\n"


def _data(n_features=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, n_features))
    y = X @ rng.normal(size=n_features) + 0.5 + 0.05 * rng.normal(size=120)
    return X[:100], y[:100], X[100:]


def _numbered(code: str) -> str:
    """The snippet as the notes print it: "1. ", "2. "... before each non-blank line."""
    lines, number = [], 0
    for line in code.splitlines():
        if line:
            number += 1
            line = f"{number}. {line}"
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_L20_snippets_are_the_notes_code(name):
    if not SEED_FILE.exists():
        pytest.skip(f"the lecture notes are not at {SEED_FILE}")
    assert _numbered(SNIPPETS[name]) in SEED_FILE.read_text(encoding="utf-8")


def test_only_import_lines_change():
    for code in SNIPPETS.values():
        ported = to_rosenblatt(code)
        changed = [
            (a, b) for a, b in zip(code.splitlines(), ported.splitlines(), strict=True) if a != b
        ]
        assert changed and all(re.match(r"(import|from) ", a) for a, _ in changed)
        assert "keras" not in "".join(b for _, b in changed).replace("as keras", "")


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_L20_keras_snippet_runs_with_rosenblatt(name, capsys):
    rosenblatt.set_seed(0)
    X_train, y_train, X_test = _data()
    namespace = {"X_train": X_train, "y_train": y_train, "X_test": X_test, "N_features": 4}
    if name == "sequential":
        namespace["layers"] = rosenblatt.layers  # the notes' first slip: never imported
    exec(compile(to_rosenblatt(SNIPPETS[name]), f"<lecture 002: {name}>", "exec"), namespace)
    model, y_pred = namespace["model"], namespace["y_pred"]
    assert isinstance(model, rosenblatt.Model)
    assert isinstance(y_pred, np.ndarray) and y_pred.shape == (len(X_test), 1)
    history = model.history.history
    assert len(history["loss"]) == len(history["val_loss"]) == 100
    assert history["loss"][-1] < 0.2 * history["loss"][0]  # it trains
    assert model.count_params() == (4 + 1) * 16 + (16 + 1) * 8 + (8 + 1) * 1
    lines = capsys.readouterr().out.splitlines()  # fit's default verbose: one line per epoch
    assert len(lines) == 100 and lines[-1].startswith("Epoch 100/100")
    # validation_split=0.33 holds out the last 33 of the 100 samples
    val = model.evaluate(X_train[67:], y_train[67:])
    assert history["val_loss"][-1] == pytest.approx(val, rel=1e-5)

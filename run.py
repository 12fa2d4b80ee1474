#!/usr/bin/env python3
"""One entry point for a fresh clone: makes the environment, installs, and runs a task.

    python3 run.py train [ARGS...]   train the default network on the bundled digits
    python3 run.py test [ARGS...]    run the whole test suite (ARGS go to pytest)
    python3 run.py bench [ARGS...]   run the speed benchmark (installs PyTorch if it can)
    python3 run.py rosenblatt ARGS   run any `rosenblatt` command inside the environment
    python3 run.py playground [ARGS] start the interactive playground in the browser

The environment is a virtualenv in `.venv` beside this file; it is made on first use and
refreshed whenever `pyproject.toml` changes. Needs only Python >= 3.10.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
EXTRAS = "test"


def _wanted_stamp(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest}:{extras}"


def ensure_env(extras: str = EXTRAS) -> None:
    """Create `.venv` and install the package with its test extras, once per pyproject."""
    if sys.version_info < (3, 10):  # noqa: UP036 - run.py may be started by an older Python
        sys.exit(f"rosenblatt needs Python >= 3.10, this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating virtual environment in {VENV.name}/", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _wanted_stamp(extras)
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print(f"installing rosenblatt[{extras}] into {VENV.name}/ ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-e", f".[{extras}]"], cwd=ROOT, check=True)
    STAMP.write_text(wanted)


def run(argv: list[str]) -> int:
    return subprocess.run([str(PYTHON), *argv], cwd=ROOT).returncode


def main(args: list[str]) -> int:
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    task, rest = args[0], args[1:]
    if task == "train":
        ensure_env()
        return run(["-m", "rosenblatt", "train", *rest])
    if task == "test":
        ensure_env()
        return run(["-m", "pytest", *rest])
    if task == "bench":
        ensure_env()
        torch = subprocess.run(
            [str(PYTHON), "-m", "pip", "install", "--quiet", "torch==2.13.0"], cwd=ROOT
        )
        if torch.returncode != 0:
            print("PyTorch could not be installed; the benchmark runs without it")
        return run(["bench/run.py", *rest])
    if task == "playground":
        ensure_env()
        return run(["-m", "rosenblatt", "playground", *rest])
    if task == "rosenblatt":
        ensure_env()
        return run(["-m", "rosenblatt", *rest])
    print(f"unknown task {task!r}; expected train, test, bench, playground or rosenblatt",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Shared helpers: the repository on sys.path and running scripts."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # not a package

from readme_blocks import without_chatter  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Two pytest-xdist workers unless -n is given: most tests wait on a
    model's first trace or a script's start-up, which two cores overlap.
    Without pytest-xdist the suite runs in one process (and says so)."""
    if hasattr(config, "workerinput"):  # a worker: it runs what it gets
        return
    if not config.pluginmanager.hasplugin("xdist"):
        print(
            "pytest-xdist is not in use: the tests run on one core"
            " (pip install -r requirements-dev.txt for two)"
        )
        return
    if config.option.numprocesses is None:
        config.option.numprocesses = 2
        if config.option.dist == "no":
            config.option.dist = "loadgroup"


def script_env():
    """The environment a script runs in: ours, unbuffered, quiet TF."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    env["MPLBACKEND"] = "Agg"
    env["PYTHONPATH"] = str(ROOT)  # for files that tests write elsewhere
    return env


def script_command(name, *args):
    """`python NAME ARGS...` as a list for subprocess."""
    return [sys.executable, str(ROOT / name), *map(str, args)]


def small_comparison(repeats=3, out="out"):
    """A short compare_directions.py run: one model, 5 epochs."""
    return [
        "compare_directions.py",
        "--epochs",
        5,
        "--repeats",
        repeats,
        "--models",
        "lstm_forw",
        "--out",
        out,
    ]


def run_script(name, *args, cwd, timeout=300):
    """Run `python NAME ARGS...` as a user would; return the result."""
    return subprocess.run(
        script_command(name, *args),
        cwd=cwd,
        env=script_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_script(name, *args, cwd, env=None):
    """Start a script in the background, stdout piped line by line; `env`:
    variables to add to script_env()."""
    return subprocess.Popen(
        script_command(name, *args),
        cwd=cwd,
        env={**script_env(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout, process, interval=0.2):
    """Poll condition() every `interval` seconds until it holds; fail if
    `process` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        time.sleep(interval)
    process.kill()
    raise AssertionError("timed out waiting")


def our_lines(stderr):
    """stderr without TensorFlow's start-up chatter."""
    return without_chatter(stderr.splitlines())


def assert_png(path):
    """The file exists and starts like a PNG image of some size."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert len(data) > 10_000, f"{path} is suspiciously small"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run the test inside an empty temporary directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_signal_state(monkeypatch):
    """Each test starts with no signal recorded, and gets the process's
    signal handlers back afterwards (a script's main() installs its own)."""
    import signal

    from support import interrupts

    monkeypatch.setattr(interrupts, "_received", [])
    monkeypatch.setattr(interrupts, "_handled", 0)
    before = {
        number: signal.getsignal(number) for number in interrupts.SIGNALS
    }
    yield
    for number, handler in before.items():
        signal.signal(number, handler)

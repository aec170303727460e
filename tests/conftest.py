"""Shared helpers: the repository on sys.path, scripts run as a user runs
them (in a child with default signal handling, killed at teardown), and
scripts' main() run in this process."""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
os.environ["MPLBACKEND"] = "Agg"
# JAX keeps what it compiles, for every worker and child: the tests build
# the same small models again and again (a JAX pass takes 3/4 the time)
os.environ.setdefault(
    "JAX_COMPILATION_CACHE_DIR", str(ROOT / ".pytest_cache" / "jax")
)
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")

# `python SCRIPT ARGS` with Ctrl-C and SIGTERM at their defaults, however
# pytest was started (a shell's background job ignores Ctrl-C, and its
# children would inherit that).
LAUNCH = """
import os, runpy, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
for name in ("SIGTERM", "SIGHUP"):
    if hasattr(signal, name):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Two pytest-xdist workers unless -n is given: most tests wait for a
    compile or a child's start-up, which two cores overlap."""
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin(
        "xdist"
    ):
        return
    if config.option.numprocesses is None:
        config.option.numprocesses = 2
        config.option.dist = "worksteal"


def only_on(backend, why):
    """Run the test on `backend` only: CI runs the suite once per backend,
    and some tests check our code, not the backend's."""
    running = os.environ.get("KERAS_BACKEND", "tensorflow")
    return pytest.mark.skipif(
        running != backend, reason=f"on {backend}: {why}"
    )


def command(script, *args):
    return [sys.executable, "-c", LAUNCH, str(ROOT / script), *map(str, args)]


def environment(**extra):
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture
def start(tmp_path):
    """start(script, *args, env=None): a child running the script in
    tmp_path, stdout and stderr piped; every child is killed at teardown."""
    children = []

    def start_script(script, *args, env=None):
        child = subprocess.Popen(
            command(script, *args),
            cwd=tmp_path,
            env=environment(**(env or {})),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        return child

    yield start_script
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()


def call(main, *args):
    """main([*args]) in this process: (status, stdout, stderr); a
    SystemExit (a refused flag) gives its code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except SystemExit as exit:
            status = exit.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run the test inside an empty temporary directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def stderr_lines(text):
    """stderr without TensorFlow's and XLA's start-up chatter."""
    chatter = ("I0000", "W0000", "E0000", "WARNING: All log messages")
    return [s for s in text.splitlines() if s and not s.startswith(chatter)]


def assert_png(path):
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, path

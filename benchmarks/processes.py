"""Commands a benchmark runs: headless, quiet, a failure in one line."""

import os
import subprocess
import time


class Failed(Exception):
    """A command failed; the message is one line saying which and why."""


def run(command, cwd, what, env=None, capture=False):
    """Run `command` in `cwd` with MPLBACKEND=Agg, quiet TensorFlow and the
    variables in `env`; its stdout if `capture`. Failed (named `what`,
    with the exit status and the last line of stderr) if it fails."""
    environment = dict(os.environ, MPLBACKEND="Agg", **(env or {}))
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    result = subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise Failed(f"{what} failed (exit {result.returncode}): {last}")
    return result.stdout


def wall_seconds(command, cwd, what, env=None):
    """Wall time of run(command, ...), in seconds."""
    start = time.perf_counter()
    run(command, cwd, what, env)
    return time.perf_counter() - start

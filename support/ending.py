"""How a run ends: Ctrl-C, SIGTERM, SIGHUP; files written whole; status.

watch() wraps main: in the main thread only, handlers that record a
signal (one ignored, as under nohup, stays so), the old ones put back at
the end (a Jupyter kernel keeps its Interrupt). Loops call check() after
each epoch and chunk: after a signal it raises Stopped, which early()
catches, and the run saves what it finished; a second signal ends it at
once. Status: 128 + the first signal, else 1 if a write failed, else 0.
"""

import contextlib
import os
import signal
import sys
import tempfile
import threading

NAMES = {"SIGINT": "Ctrl-C", "SIGTERM": "SIGTERM", "SIGHUP": "SIGHUP"}
SIGNALS = {getattr(signal, s): NAMES[s] for s in NAMES if hasattr(signal, s)}
_run = {"received": [], "stopped": False, "failed": False}


class Stopped(Exception):
    """A signal came: the loop that called check() stops there."""


def _record(signum, _frame):
    _run["received"].append(signum)
    if len(_run["received"]) > 1:
        raise KeyboardInterrupt  # a second signal: at once


def check(*_):
    """Raise Stopped, once, after a signal (an on_epoch callback too)."""
    if _run["received"] and not _run["stopped"]:
        _run["stopped"] = True
        raise Stopped


def early():
    """A block that a signal ends at its next check(); the run goes on."""
    return contextlib.suppress(Stopped)


def stopped_by():
    """The first signal's name ("Ctrl-C", "SIGTERM", "SIGHUP") or None."""
    received = _run["received"]
    return SIGNALS[received[0]] if received else None


def status():
    received = _run["received"]
    return 128 + received[0] if received else int(_run["failed"])


@contextlib.contextmanager
def watch():
    """While main runs: see the module's docstring."""
    _run.update(received=[], stopped=False, failed=False)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in SIGNALS:
            if signal.getsignal(number) is not signal.SIG_IGN:
                previous[number] = signal.signal(number, _record)
    try:
        yield
    except KeyboardInterrupt:  # a second signal
        _run["received"] = _run["received"] or [signal.SIGINT]
        first = f"a second signal after {stopped_by()}"
        print(f"{first}: stopped at once", file=sys.stderr)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def save(path, write):
    """write(temporary), renamed onto `path`: the old file or the new whole."""
    temporary = None
    try:
        directory, ending = os.path.split(path)[0], os.path.splitext(path)[1]
        handle, temporary = tempfile.mkstemp(ending, dir=directory or ".")
        os.close(handle)
        write(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private
        os.replace(temporary, path)
        return True
    except OSError as error:
        reason = error.strerror or error
        print(f"error: could not write {path}: {reason}", file=sys.stderr)
        _run["failed"] = True
        return False
    finally:
        if temporary and os.path.exists(temporary):
            os.remove(temporary)


def run(main):
    """Run main(sys.argv[1:]) as a script, exit with its status; a reader
    that goes away (`| head`) ends it quietly (the signal module's recipe).
    speed: on JAX and PyTorch, TensorFlow counts as absent (None in
    sys.modules), as Keras supports; else Keras imports it to seed it and
    to serialize layers (seconds of start-up)."""
    keras = sys.modules.get("keras")  # not loaded by data.py
    if keras and keras.backend.backend() != "tensorflow":
        sys.modules.setdefault("tensorflow", None)
    try:
        status = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)

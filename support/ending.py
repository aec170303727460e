"""How a run ends: Ctrl-C, SIGTERM, SIGHUP, and the exit status (every
script).

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


def interrupted(what):
    """The one line that says a signal stopped something, and what."""
    return f"Interrupted ({stopped_by()}): {what}"


def write_failed():
    """A file could not be written: the exit status will be 1."""
    _run["failed"] = True


def status():
    received = _run["received"]
    if received:
        return 128 + received[0]
    return int(_run["failed"])


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


def run(main):
    """Run main(sys.argv[1:]) as a script and exit with its status; a
    reader that goes away (`| head`) ends it quietly (the recipe in the
    documentation of the signal module)."""
    from support import speed  # loaded with Keras, which main needs

    speed.leave_out_tensorflow()  # speed: a program's start-up only
    try:
        status = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)

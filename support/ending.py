"""How a run ends: Ctrl-C, SIGTERM, SIGHUP, and the exit status (every
script).

watch() wraps main: in the main thread only, handlers that record a
signal (one ignored, as under nohup, stays so), the old ones put back at
the end (a Jupyter kernel keeps its Interrupt). Loops call check() after
each epoch and chunk: after a signal it raises Stopped, which early()
catches, and the run saves what it finished; a second signal ends it at
once. While main runs, stdout is a Console: a failing console costs only
the printing. Status: 128 + the first signal, else 1 if a write failed or
printed output was lost, else 0.
"""

import contextlib
import os
import signal
import sys
import threading

NAMES = {"SIGINT": "Ctrl-C", "SIGTERM": "SIGTERM", "SIGHUP": "SIGHUP"}
SIGNALS = {getattr(signal, s): NAMES[s] for s in NAMES if hasattr(signal, s)}
_run = {"received": [], "stopped": False, "failed": False, "gone": False}


class Stopped(Exception):
    """A signal came: the loop that called check() stops there."""


def _record(signum, _frame):
    _run["received"].append(signum)
    if len(_run["received"]) == 1:
        return
    if "ipykernel" in sys.modules:  # a kernel lives on: stop this cell
        raise KeyboardInterrupt
    # A second signal: the process ends at once, without Python's cleanup
    # (JAX was reported to crash as it unwound). Files already written are
    # whole; a temporary goes at the next save.
    line = f"a second signal after {stopped_by()}: stopped at once\n"
    os.write(2, line.encode())
    os._exit(128 + _run["received"][0])


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
    return int(_run["failed"] or _run["gone"])


def console_gone():
    """The reader of stdout went away (`| head`): nobody sees the rest."""
    return _run["gone"]


class Console:
    """sys.stdout while main runs: a reader that goes away (`| head`, a
    closed terminal), a full disk or a character the console cannot
    encode costs only the printing, never the files (exit status 1 if
    output was lost)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        if _run["gone"] or self.stream is None:  # None: stdout closed
            return len(text)
        try:
            return self.stream.write(text)
        except UnicodeEncodeError:
            encoding = self.stream.encoding
            text = text.encode(encoding, "replace").decode(encoding)
            return self.stream.write(text)
        except (OSError, ValueError):  # a broken pipe, a full disk
            _run["gone"] = True
            return len(text)

    def flush(self):
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except (OSError, ValueError):
            _run["gone"] = True

    def isatty(self):
        return self.stream is not None and self.stream.isatty()

    def __getattr__(self, name):  # encoding, fileno...
        return getattr(self.stream, name)


@contextlib.contextmanager
def watch():
    """While main runs: see the module's docstring; stdout is a Console."""
    _run.update(received=[], stopped=False, failed=False, gone=False)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in SIGNALS:
            if signal.getsignal(number) is not signal.SIG_IGN:
                previous[number] = signal.signal(number, _record)
    try:
        with contextlib.redirect_stdout(Console(sys.stdout)):
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
    try:
        status = main(sys.argv[1:])
        if sys.stdout is not None:  # None: started with stdout closed
            sys.stdout.flush()
    except OSError:  # a reader gone, a full disk: the printing is lost
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)

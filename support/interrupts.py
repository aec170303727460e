"""Ctrl-C (SIGINT), SIGTERM and SIGHUP end a run early; results are kept.

One rule for every script, from the moment its flags are parsed (watch())
to the moment it exits:
- the handler only records the signal; the loops check for it (check(),
  once per epoch and once per chunk of test sequences) and leave through
  stop_early(), so no library code can swallow it;
- the script then writes every result it has, one line says what was
  kept, and the exit status is 128 + the first signal: 130 for SIGINT,
  143 for SIGTERM, 129 for SIGHUP (what a closing terminal sends);
- a second signal says the run is still saving and lets it finish; a
  third ends the process at once, with one line (files already written
  stay whole: every file is written to a temporary name and renamed);
- a step that cannot check (a compile: XLA at 200 timesteps took 9-18 s,
  JAX at 1000 timesteps over a minute) is abandoned: if a signal that
  came before training or inside a stop_early() block is still unchecked
  GRACE_SECONDS later, the process ends with one line. A compile comes
  before anything is finished (the first epoch, the first chunk of an
  evaluation), so nothing is lost; a signal while results are saved never
  ends the process this way.

Before watch(), from the moment a script imports this module (first,
before Keras), a signal ends the script at once with one line: no
traceback, and no half-imported TensorFlow (a KeyboardInterrupt during
its import crashed the interpreter).
"""

import contextlib
import os
import signal
import threading
import time

from support import environment

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}
NAMES[signal.SIGHUP] = "SIGHUP"

_received = []  # the signals, in the order they came
_handled = 0  # how many of them a stop_early() block has ended on
_cleanups = []  # callables run before a third signal ends the process
_blocks = []  # the stop_early() blocks running now (a stack)
_watching = []  # the wakeup pipe of the watchdog thread, once started
_entered = []  # every stop_early() block entered so far
GRACE_SECONDS = 5


class Stopped(Exception):
    """Raised by check() when a signal came; stop_early() catches it."""


def _say(text):
    """One line on stderr from a signal handler: os.write, which cannot
    collide with a print the handler interrupted."""
    with contextlib.suppress(OSError):
        os.write(2, f"{environment.prog()}: {text}\n".encode())


def _record(signum, _frame):
    _received.append(signum)
    if len(_received) == 2:
        _say("still saving what was finished; a third signal ends at once")
    elif len(_received) >= 3:
        _end_now("ended at once; files written before this are complete")


def _end_now(text, signum=None):
    _say(text)
    for cleanup in _cleanups:
        with contextlib.suppress(Exception):
            cleanup()
    os._exit(128 + (_received[0] if _received else signum))


def _watchdog(wakeup):
    """A thread: Python runs a signal handler only between bytecodes, so a
    signal that comes during a compile waits for its end. The OS writes
    each signal's number to `wakeup` at once (signal.set_wakeup_fd); if
    the stop_early() block it came in has not checked for it GRACE_SECONDS
    later, the process ends."""
    first = None
    while first is None:
        data = os.read(wakeup, 64)  # waits here, without the GIL
        if not data:
            return
        first = next((n for n in data if n in SIGNALS), None)
    block = _blocks[-1] if _blocks else None
    setting_up = not _entered  # no training has started: nothing to keep
    time.sleep(GRACE_SECONDS)
    still = (
        block in _blocks if block else setting_up and (_blocks or not _entered)
    )
    if still and _handled == 0:
        _end_now(
            "stopped in a step that cannot be interrupted (a compile);"
            " nothing unfinished was kept",
            first,
        )


def watch():
    """Record SIGINT, SIGTERM and SIGHUP from now on (see the docstring).
    A signal the process was started ignoring stays ignored (nohup)."""
    for number in SIGNALS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _record)
    if not _watching:
        wakeup, written = os.pipe()
        os.set_blocking(written, False)
        signal.set_wakeup_fd(written, warn_on_full_buffer=False)
        threading.Thread(target=_watchdog, args=(wakeup,), daemon=True).start()
        _watching.append(written)


def first_signal():
    """The first signal received since watch(), or None."""
    return _received[0] if _received else None


def exit_status():
    """128 + the first signal, or 0 if none came."""
    first = first_signal()
    return 0 if first is None else 128 + first


def check(_logs=None):
    """Raise Stopped if a signal came that no stop_early() block has ended
    on yet. Takes (and ignores) the logs an on_epoch callback gets, so it
    can be one."""
    global _handled
    if len(_received) > _handled:
        _handled = len(_received)
        raise Stopped


def on_abort(cleanup):
    """Run cleanup() (best effort) if a third signal ends the process."""
    _cleanups.append(cleanup)


class Stop:
    """How the run ends: `signal` is the first signal received (None if
    none came), `exit_status` what the script exits with."""

    @property
    def signal(self):
        return first_signal()

    @property
    def exit_status(self):
        return exit_status()


@contextlib.contextmanager
def stop_early():
    """Run the block; leave it early when check() finds a signal."""
    block = object()
    _blocks.append(block)
    _entered.append(block)
    try:
        yield Stop()
    except (Stopped, KeyboardInterrupt):
        if first_signal() is None:  # raised by other means than a signal
            _received.append(signal.SIGINT)
            global _handled
            _handled = len(_received)
    finally:
        _blocks.remove(block)


def _before_watch(signum, _frame):
    """Before watch(): end at once, with one line (an exception raised
    while TensorFlow is being imported can crash the interpreter)."""
    _say(f"stopped by {NAMES[signum]} before it started; nothing written")
    os._exit(128 + signum)


if environment.running_a_script():
    for _number in SIGNALS:
        if signal.getsignal(_number) is not signal.SIG_IGN:
            signal.signal(_number, _before_watch)

"""Repeats in worker processes (--jobs): one repeat per task, every core.

A repeat's seeds depend only on (--seed, repeat), and each worker compiles
its models once and re-initialises them per repeat as the serial run does
(speed.reuse), so every repeat's numbers are the same whichever process
runs it. Workers use the same thread settings as the serial run (the
backend's defaults).

Each worker imports Keras and compiles every model itself, so workers pay
off only when the repeats take much longer than that (measured in the
README: on TensorFlow, 10 default repeats ran slower with 2 workers, 40
ran 1.44x faster); --jobs defaults to 1.

Workers start with the spawn method: a fresh interpreter that imports
Keras itself, never a fork of a process that has already imported it.
They leave signals to the parent: they ignore SIGINT, SIGTERM and SIGHUP
(Ctrl-C reaches the whole process group), and the parent kills them when
it stops early. On Linux they also die with the parent, whatever kills
it, so no worker outlives the run.
"""

import contextlib
import ctypes
import multiprocessing
import os
import queue
import signal
from concurrent.futures import ProcessPoolExecutor

# In a worker: the models it has compiled (name -> model), across repeats,
# and where it reports the repeat it starts.
_compiled = {}
_started = None


def usable_cores():
    """How many cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(started):
    """Initializer of every worker process."""
    global _started
    _started = started
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        # Linux: prctl(PR_SET_PDEATHSIG, SIGKILL), die with the parent.
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def _run_repeat(one_repeat, listing, args, number):
    """A task: one repeat, in a worker. Says which repeat it starts."""
    _started.put((number, os.getpid()))
    return one_repeat(listing, args, number, _compiled)


class Pool:
    """Worker processes running repeats; see the module docstring."""

    def __init__(self, n_workers):
        context = multiprocessing.get_context("spawn")
        self.started = context.Queue()
        self.running = {}  # repeat -> pid of the worker running it
        self.executor = ProcessPoolExecutor(
            n_workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.started,),
        )

    def submit(self, one_repeat, listing, args, number):
        return self.executor.submit(
            _run_repeat, one_repeat, listing, args, number
        )

    def note_started(self):
        """Read the workers' "started repeat r in pid p" messages."""
        while True:
            try:
                number, pid = self.started.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            self.running[number] = pid

    def kill(self):
        """Stop every worker now (SIGKILL), without waiting for a repeat.
        ProcessPoolExecutor has no public way to stop a running task, so
        its processes (a private dict, there since Python 3.2) are killed."""
        processes = getattr(self.executor, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(ProcessLookupError, ValueError):
                process.kill()

    def close(self, early):
        """Shut the pool down, joining every worker; `early`: kill first."""
        if early:
            self.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.started.close()
        self.started.join_thread()

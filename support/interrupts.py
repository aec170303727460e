"""Ctrl-C (SIGINT) and SIGTERM stop the work early; results are kept.

SIGTERM is what a scheduler, `timeout` or a closing terminal sends. Inside
stop_early() both signals end the block the way Ctrl-C does, the script
goes on with what was finished, and its exit status says which signal
came: 128 + 2 = 130 for SIGINT, 128 + 15 = 143 for SIGTERM.
"""

import contextlib
import signal

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stop:
    """What stopped a stop_early() block: `signal` is None if nothing did."""

    signal = None

    @property
    def exit_status(self):
        return 0 if self.signal is None else 128 + self.signal


@contextlib.contextmanager
def stop_early():
    """Run the block; on SIGINT or SIGTERM leave it and record which."""
    stop = Stop()

    def interrupt(signum, _frame):
        stop.signal = signum
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in SIGNALS}
    try:
        yield stop
    except KeyboardInterrupt:
        if stop.signal is None:  # raised by other means than a signal
            stop.signal = signal.SIGINT
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)

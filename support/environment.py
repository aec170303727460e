"""The process a script runs in: its environment variables and its stdout.

When a script of this project starts (prepare_script(), from the support
package's first import, before Keras loads):
- KERAS_BACKEND and MPLBACKEND are checked: a value Keras or matplotlib
  cannot use ends the script with one line that names the variable and
  what is allowed, exit status 2, instead of a traceback from inside the
  library;
- stdout is made safe. A reader that goes away (`| head -1`) ends the
  output quietly while the run goes on and writes its files; a stdout that
  fails otherwise (a full disk) costs one line on stderr, and the files are
  still written; an encoding that cannot print a character ("±" under
  PYTHONIOENCODING=ascii) prints a plain stand-in ("+/-").
"""

import codecs
import importlib.util
import os
import sys

BACKENDS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
STAND_INS = {"±": "+/-", "━": "=", "≥": ">=", "≤": "<=", "…": "..."}
# The folders whose scripts prepare_script() looks after.
PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDERS = (PROJECT, os.path.join(PROJECT, "benchmarks"))


def running_a_script():
    """Is a script of this project (not pytest, say) the main program?"""
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    return bool(path) and os.path.dirname(os.path.abspath(path)) in FOLDERS


def prog():
    """The running script's name, as its messages start."""
    return os.path.basename(sys.argv[0] or "python")


def refuse(message):
    """One line on stderr, exit status 2."""
    print(f"{prog()}: error: {message}", file=sys.stderr)
    sys.exit(2)


def check_variables():
    """KERAS_BACKEND and MPLBACKEND, if set, name something usable."""
    backend = os.environ.get("KERAS_BACKEND")
    if backend is not None:
        installed = [
            name
            for name, module in BACKENDS.items()
            if importlib.util.find_spec(module) is not None
        ]
        if backend not in BACKENDS:
            refuse(
                f"KERAS_BACKEND={backend!r}: these scripts run on"
                f" {', '.join(BACKENDS)} (installed: {', '.join(installed)})"
            )
        if backend not in installed:
            refuse(
                f"KERAS_BACKEND={backend!r}: {BACKENDS[backend]} is not"
                f" installed (installed: {', '.join(installed)}; see"
                f" requirements-{backend}.txt)"
            )
    plotting = os.environ.get("MPLBACKEND")
    if plotting is not None and importlib.util.find_spec("matplotlib"):
        usable = True
        try:  # importing matplotlib checks MPLBACKEND
            from matplotlib import rcsetup

            rcsetup.validate_backend(plotting)
        except ValueError:
            usable = False
        if plotting.startswith("module://"):
            module = plotting.removeprefix("module://")
            usable = bool(module) and _findable(module)
        if not usable:
            refuse(
                f"MPLBACKEND={plotting!r}: not a matplotlib backend (Agg"
                " writes files without a display; TkAgg or QtAgg open"
                " windows)"
            )


def _findable(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package is missing
        return False


def _stand_in(error):
    """A codec error handler: a plain stand-in for what cannot print."""
    text = error.object[error.start : error.end]
    return "".join(STAND_INS.get(c, "?") for c in text), error.end


codecs.register_error("stand_in", _stand_in)


class SafeStdout:
    """sys.stdout that survives its reader: see the module docstring."""

    def __init__(self, stream):
        self._stream = stream
        self.failed = False

    def _give_up(self, error):
        if not isinstance(error, BrokenPipeError) and not self.failed:
            reason = getattr(error, "strerror", None) or error
            print(
                f"{prog()}: stdout: {reason}; the results still go to"
                " their files",
                file=sys.stderr,
            )
        self.failed = True
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, self._stream.fileno())  # what is left goes nowhere
        os.close(null)
        try:
            self._stream.flush()
        except OSError:
            pass

    def write(self, text):
        if self.failed:
            return len(text)
        try:
            return self._stream.write(text)
        except OSError as error:
            self._give_up(error)
            return len(text)

    def flush(self):
        if self.failed:
            return
        try:
            self._stream.flush()
        except OSError as error:
            self._give_up(error)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def prepare_script():
    """What a script of this project gets before Keras loads."""
    if not running_a_script():
        return
    main = os.path.basename(sys.modules["__main__"].__file__)
    if main != "data.py":  # NumPy only: the variables do not concern it
        check_variables()
    stream = sys.stdout
    if stream is not None and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="stand_in")
        sys.stdout = SafeStdout(stream)

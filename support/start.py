"""What a script checks first when run as a program, before Keras loads
(the `if __name__ == "__main__"` block at the top of every script that
trains or predicts): a KERAS_BACKEND or MPLBACKEND that Keras or
Matplotlib would refuse costs one line and exit status 2, not a
traceback from inside an import (or, for Matplotlib, after training)."""

import importlib
import importlib.util
import os
import sys

BACKENDS = ("tensorflow", "jax", "torch", "numpy", "openvino")


def check_settings(script):
    """Exit with one line if a setting would fail the imports to come."""
    name = os.path.basename(script)
    backend = os.environ.get("KERAS_BACKEND")
    if backend is not None and backend not in BACKENDS:
        choices = ", ".join(BACKENDS)
        refuse(name, f"KERAS_BACKEND={backend!r}: must be one of {choices}")
    if backend is not None and importlib.util.find_spec(backend) is None:
        refuse(name, f"KERAS_BACKEND={backend}: {backend} is not installed")
    if "MPLBACKEND" in os.environ:
        try:
            importlib.import_module("matplotlib")
        except ValueError as error:  # it reads MPLBACKEND as it loads
            refuse(name, f"MPLBACKEND: {error}")


def refuse(name, text):
    print(f"{name}: error: {' '.join(text.split())}", file=sys.stderr)
    sys.exit(2)

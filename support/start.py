"""What a script does first when run as a program, before Keras loads
(the `if __name__ == "__main__"` block at the top of every script that
trains or predicts; its flags are checked there too, see support/cli):

- a KERAS_BACKEND or MPLBACKEND that Keras or Matplotlib would refuse
  costs one line and exit status 2, not a traceback from inside an import
  (or, for Matplotlib, after training);
- TensorFlow starts quietly: its C++ information lines are hidden, and
  its oneDNN operations are off (with them on, TensorFlow announces them
  before any setting can hide the line). Of the results, only a test
  loss moves, in its 8th decimal: docs/robustness.md. A variable the
  user set is kept;
- speed: on JAX and PyTorch, TensorFlow is marked absent (None in
  sys.modules, as Keras supports), else Keras imports it to seed and to
  serialize layers: seconds of start-up."""

import importlib
import importlib.util
import os
import sys

BACKENDS = ("tensorflow", "jax", "torch", "numpy", "openvino")
QUIET_TENSORFLOW = {"TF_CPP_MIN_LOG_LEVEL": "1", "TF_ENABLE_ONEDNN_OPTS": "0"}


def before_keras(script):
    """Exit with one line if a setting would fail the imports to come;
    quieten TensorFlow unless the user chose otherwise."""
    name = os.path.basename(script)
    chosen = os.environ.get("KERAS_BACKEND")
    if chosen is not None and chosen not in BACKENDS:
        choices = ", ".join(BACKENDS)
        refuse(name, f"KERAS_BACKEND={chosen!r}: must be one of {choices}")
    if chosen is not None and importlib.util.find_spec(chosen) is None:
        refuse(name, f"KERAS_BACKEND={chosen}: {chosen} is not installed")
    if "MPLBACKEND" in os.environ:
        try:
            importlib.import_module("matplotlib")
        except ValueError as error:  # it reads MPLBACKEND as it loads
            refuse(name, f"MPLBACKEND: {error}")
    for variable, value in QUIET_TENSORFLOW.items():
        os.environ.setdefault(variable, value)
    if backend() != "tensorflow":
        sys.modules.setdefault("tensorflow", None)


def backend():
    """The backend Keras runs on, or will: KERAS_BACKEND until it loads
    (one set in keras.json is known once Keras has loaded)."""
    if "keras" in sys.modules:
        return sys.modules["keras"].backend.backend()
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def refuse(name, text):
    print(f"{name}: error: {' '.join(text.split())}", file=sys.stderr)
    sys.exit(2)

"""A model saved by --save-model, loaded for predict.py with one-line
refusals: a missing file, a directory, a file that is not a Keras model,
a model that does not take sequences of one number per timestep."""

import os
import zipfile

import keras

from support import speed


def load(parser, path):
    """The saved model, or parser.error (one line, exit 2) naming what is
    wrong with `path`."""
    if not os.path.isfile(path):
        what = "is a directory" if os.path.isdir(path) else "does not exist"
        parser.error(f"argument model: {path!r} {what}")
    if path.endswith(".keras") and not zipfile.is_zipfile(path):
        parser.error(f"argument model: {path!r} is not a .keras file")
    speed.leave_out_tensorflow()  # speed only: a Bidirectional would import it
    try:
        model = keras.saving.load_model(path)
    except Exception as error:  # Keras raises many kinds for a bad file
        reason = str(error).strip().splitlines()[0] if str(error) else ""
        parser.error(
            f"argument model: cannot load {path!r} as a Keras model"
            f" ({type(error).__name__}{': ' * bool(reason)}{reason[:200]})"
        )
    shape = tuple(model.inputs[0].shape[1:])
    if len(shape) != 2 or shape[1] != 1 or model.outputs[0].shape[-1] != 1:
        parser.error(
            f"argument model: {path!r} takes inputs of shape {shape}: not"
            " a sequence classifier of this tutorial's kind (timesteps, 1)"
        )
    return model

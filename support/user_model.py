"""A user's .keras file, checked before Keras builds it (predict.py).

Only models shaped like the ones this project saves are loaded: layers
from LAYERS, at most MAX_LAYERS of them, none wider than MAX_UNITS, none
stateful, sequences of at most MAX_TIMESTEPS. That bounds the memory a
file can ask for (a file that declares a huge layer is refused from its
config, before a weight is made), and Keras's safe mode refuses code."""

import json
import os
import zipfile

import numpy as np

from support.cli import MAX_TIMESTEPS, MAX_UNITS

MAX_FILE_MB = 256  # packed and unpacked: more than any model saved here
MAX_LAYERS = 20
LAYERS = {"InputLayer", "LSTM", "GRU", "SimpleRNN", "Bidirectional"}
LAYERS |= {"TimeDistributed", "Dense", "Masking", "Dropout"}


def layers_of(config):
    """Every layer's (class name, config) in a saved model's config."""
    if isinstance(config, list):
        for item in config:
            yield from layers_of(item)
    elif isinstance(config, dict):
        if config.get("module") == "keras.layers":
            yield config.get("class_name"), config.get("config") or {}
        for value in config.values():
            yield from layers_of(value)


def declared_timesteps(path):
    """The timesteps the file's model declares (None: any); a ValueError
    saying why if it is not a model of the kinds saved here."""
    if not os.path.isfile(path) or not zipfile.is_zipfile(path):
        raise ValueError("is not a .keras file")
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        megabytes = max(os.path.getsize(path), unpacked) / 2**20
        if megabytes > MAX_FILE_MB:
            error = f"{megabytes:.0f} MB, more than a model saved here"
            raise ValueError(f"unpacks to {error}")
        try:
            if archive.getinfo("config.json").file_size > 2**20:
                raise ValueError  # ours are a few kB
            config = json.loads(archive.read("config.json"))
        except (KeyError, ValueError):
            error = "no config.json, or one over 1 MB"
            raise ValueError(
                f"is not a .keras file saved here ({error})"
            ) from None
    try:
        return check_layers(list(layers_of(config)))
    except (TypeError, IndexError, AttributeError):  # not a config of ours
        raise ValueError("is not a .keras file saved here") from None


def check_layers(layers):
    """declared_timesteps's checks of the layers' configs."""
    timesteps = None
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"has {len(layers)} layers, more than {MAX_LAYERS}")
    for name, options in layers:
        if name not in LAYERS:
            raise ValueError(f"has a {name} layer: not one saved here")
        units = options.get("units", 1)
        if not isinstance(units, int) or not 0 < units <= MAX_UNITS:
            raise ValueError(f"has a {name} wider than {MAX_UNITS} units")
        if options.get("stateful"):
            raise ValueError(f"has a stateful {name}: not one saved here")
        if name == "InputLayer":
            timesteps = (options.get("batch_shape") or [None, None])[1]
    if timesteps is not None and not 0 < int(timesteps) <= MAX_TIMESTEPS:
        raise ValueError(f"takes {timesteps} timesteps")
    return timesteps


def load(path, length):
    """The model, checked to give one probability per timestep of
    sequences of `length` values; a ValueError saying why not. Keras
    loads here, once the flags and files have been checked."""
    import keras

    from support import evaluation

    try:
        model = keras.saving.load_model(path, compile=False)
        shape = tuple(model.inputs[0].shape[1:])  # (timesteps, 1)
        probe = np.zeros((1, length, 1), np.float32)
        output = evaluation.probabilities(model, probe).shape
    except Exception as error:  # Keras raises many kinds for a bad file
        reason = (str(error).strip().splitlines() or [""])[0][:200]
        raise ValueError(f"cannot be used: {reason}") from None
    if len(model.inputs) > 1 or shape[1:] != (1,) or output != probe.shape:
        raise ValueError(
            f"takes {shape}, gives {output}: not one probability per"
            " timestep of a sequence of numbers"
        )
    return model

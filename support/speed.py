"""Speed settings: the tutorial's results in less time. None changes a
loss, a weight or a prediction (the tests compare with models compiled and
trained as the tutorial does), and only public Keras API is used: if Keras
changes, a setting can cost speed, never results. What each one saves:
benchmarks/bench_training.py.
"""

import gc

import keras
from keras import ops

# XLA's compile time and memory grow with the sequence length (2 CPU
# cores: 3 s at 10 timesteps, 18 s at 200; at 1000, 7 GB and unfinished
# after 2.5 minutes): longer sequences train without it.
XLA_MAX_TIMESTEPS = 200


def freeze_imported_objects():
    """gc.freeze(): the millions of objects the imports made stay out of
    the garbage collector's walks, and out of its clean-up at exit."""
    gc.freeze()


def tune(model):
    """Compile `model` again as it was, set up for speed: XLA on
    TensorFlow up to XLA_MAX_TIMESTEPS (Keras turns it on only with a GPU;
    on a CPU it halves an update's cost, losses equal to about 1e-6), the
    metric "acc" as the object it stands for, and Adam's state built now,
    so that TensorFlow traces the step once, not twice. Returns it."""
    metrics = model.get_compile_config()["metrics"]
    if metrics:
        accuracy = keras.metrics.BinaryAccuracy(name="acc")
        metrics = [accuracy if m == "acc" else m for m in metrics]
    short = model.inputs[0].shape[1] <= XLA_MAX_TIMESTEPS
    xla = short and keras.backend.backend() == "tensorflow"
    model.compile(
        loss=model.loss,
        optimizer=model.optimizer,
        metrics=metrics,
        jit_compile=True if xla else "auto",
    )
    model.optimizer.build(model.trainable_variables)
    return model


def untune(model):
    """Compile `model` again as the tutorial does, keeping its weights and
    Adam's state: a file saved now holds no setting of ours."""
    loss, optimizer = "binary_crossentropy", model.optimizer
    model.compile(loss=loss, optimizer=optimizer, metrics=["acc"])


def reuse(compiled, name, fresh):
    """A tuned, compiled model called `name`, holding `fresh`'s weights.

    Compiling the train step costs more than 250 updates, so a comparison
    compiles each model once (kept in the dict `compiled`), and in later
    repeats copies a freshly built model's weights into it and puts Adam's
    state back to zero: the same losses as training `fresh` itself.
    """
    if name not in compiled:
        tune(fresh)
        state = [ops.convert_to_numpy(v) for v in fresh.optimizer.variables]
        compiled[name] = fresh, state
        return fresh
    model, state = compiled[name]
    model.set_weights(fresh.get_weights())
    for variable, value in zip(model.optimizer.variables, state, strict=True):
        variable.assign(value)
    return model

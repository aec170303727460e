"""Speed settings: the tutorial's results, in less time.

Nothing here changes a loss, a weight or a prediction; the tests check it
against models compiled and trained exactly as the tutorial does. What
each setting saved is measured in benchmarks/bench_training.py.
"""

import contextlib
import gc
import sys

import keras
from keras import ops
from keras.src.utils import module_utils

# XLA's compile time and memory grow with the sequence length (measured on
# 2 CPU cores: 3 s at 10 timesteps, 9 s at 100, 18 s at 200; at 1000 it
# had used 7 GB and not finished after 2.5 minutes). Longer sequences
# train without it (1000 timesteps: 36 s to the first update, then 0.18 s
# per update).
XLA_MAX_TIMESTEPS = 200


def freeze_imported_objects():
    """Take every object created so far out of garbage collection.

    Importing Keras and TensorFlow creates millions of objects that live as
    long as the process. gc.freeze() keeps the collector from walking them
    again and again, and at exit (about a second per TensorFlow run).
    Call it after keras.utils.set_random_seed, which imports TensorFlow on
    the JAX and PyTorch backends too when it is installed.
    """
    gc.freeze()


def leave_out_tensorflow():
    """On the JAX and PyTorch backends: from now on Keras takes TensorFlow
    for not installed, unless it has been imported already.

    Keras imports TensorFlow whenever it is installed, whatever the
    backend: to seed it too (keras.utils.set_random_seed, for tf.data
    pipelines) and to look for its objects whenever it serializes a config
    (Bidirectional() does, so do get_compile_config(), saving, loading).
    These scripts make no TensorFlow objects on the other backends; the
    import is seconds of start-up (README, Performance). If Keras changes
    how it finds TensorFlow, this changes nothing but the speed.
    """
    if (
        keras.backend.backend() != "tensorflow"
        and "tensorflow" not in sys.modules
    ):
        module_utils.tensorflow._available = False  # what Keras asks


def tune(model):
    """Compile `model` again as it was compiled, set up for speed.

    - XLA on TensorFlow (jit_compile=True) for sequences up to
      XLA_MAX_TIMESTEPS long: Keras only turns it on by itself with a GPU;
      on a CPU it halves the cost of an update, with losses equal to about
      1e-6. JAX always compiles; PyTorch stays eager.
    - The tutorial's metric "acc" becomes the object it stands for with a
      sigmoid output, BinaryAccuracy(name="acc"), and Adam's state is
      built now. Every variable then exists before the first update, and
      TensorFlow traces the train step once instead of twice (~0.5 s).
    Returns the model.
    """
    metrics = model.get_compile_config()["metrics"]
    if metrics:
        metrics = [
            keras.metrics.BinaryAccuracy(name=metric)
            if metric in ("acc", "accuracy")
            else metric
            for metric in metrics
        ]
    n_timesteps = model.inputs[0].shape[1]
    on_tensorflow = keras.backend.backend() == "tensorflow"
    use_xla = on_tensorflow and n_timesteps <= XLA_MAX_TIMESTEPS
    jit_compile = True if use_xla else "auto"
    model.compile(
        loss=model.loss,
        optimizer=model.optimizer,
        metrics=metrics,
        jit_compile=jit_compile,
    )
    model.optimizer.build(model.trainable_variables)
    return model


@contextlib.contextmanager
def portable(model):
    """While a model is saved: its compile config says jit_compile="auto",
    as the tutorial's compile() leaves it, instead of the value compile()
    resolved here (True after tune() on TensorFlow, True on JAX, False on
    PyTorch). A file saved on JAX would otherwise ask PyTorch for
    torch.compile (measured: 9 to 25 s before the first update, then 3.4
    ms per update against 2.7 ms eager), and one saved on TensorFlow would
    train op by op on JAX."""
    config = model.get_compile_config()
    config["jit_compile"] = "auto"
    model.get_compile_config = lambda: config  # what saving reads
    try:
        yield model
    finally:
        del model.get_compile_config


def reuse(compiled, name, fresh):
    """A tuned, compiled model called `name`, holding `fresh`'s weights.

    Tracing and compiling the train step costs more than 250 updates, so a
    comparison compiles each model once (kept in the dict `compiled`) and,
    in later repeats, copies the freshly built model's weights into it and
    puts the optimizer's state (step count, moments) back to zero. Training
    then gives the same losses as it would on `fresh` itself.
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


def predict_probabilities(model, X):
    """The model's sigmoid outputs for a batch X, as a NumPy array.

    One call for the whole batch. On TensorFlow and PyTorch a direct call,
    model(X), as Keras advises for inputs that fit in one batch: it skips
    compiling a prediction function for a single use (on TensorFlow about
    0.7 s). JAX would run a direct call op by op, compiling each op (and we
    have seen it hang when Ctrl-C lands mid-compile), so there
    predict_on_batch compiles the model once.
    """
    if keras.backend.backend() == "jax":
        return ops.convert_to_numpy(model.predict_on_batch(X))
    return ops.convert_to_numpy(model(X, training=False))

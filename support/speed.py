"""Speed settings: the same losses, weights and predictions (the tests
check) sooner, with public Keras API only (benchmarks/bench_training.py)."""

import keras
from keras import ops

# XLA's compile time and memory grow with the sequence length (3 s at 10
# timesteps, 18 s at 200, 7 GB at 1000 on 2 cores): longer ones go without.
XLA_MAX_TIMESTEPS = 200


def tune(model):
    """Compile `model` again for speed: XLA on TensorFlow up to
    XLA_MAX_TIMESTEPS (on a CPU it halves an update), the metric "acc" as
    its object, and Adam's state built now, so the step is traced once."""
    metrics = model.get_compile_config()["metrics"]
    if metrics:
        accuracy = keras.metrics.BinaryAccuracy(name="acc")
        metrics = [accuracy if m == "acc" else m for m in metrics]
    short = model.inputs[0].shape[1] <= XLA_MAX_TIMESTEPS
    xla = short and keras.backend.backend() == "tensorflow"
    jit = True if xla else "auto"
    optimizer, loss = model.optimizer, model.loss
    model.compile(optimizer, loss, metrics=metrics, jit_compile=jit)
    if xla:  # predictions without XLA: its compile costs more than it saves
        model.jit_compile = False
        model.make_predict_function()
        model.jit_compile = True
    model.optimizer.build(model.trainable_variables)
    return model


def untune(model):
    """Compile `model` as the tutorial does: no setting of ours is saved."""
    loss, optimizer = "binary_crossentropy", model.optimizer
    model.compile(loss=loss, optimizer=optimizer, metrics=["acc"])


def reuse(compiled, name, fresh):
    """A tuned model called `name` holding `fresh`'s weights. Compiling costs
    more than 250 updates, so each model is compiled once (kept in the dict
    `compiled`); later repeats copy in a fresh model's weights and zero
    Adam's state: the same losses as training `fresh` itself."""
    if name not in compiled:
        variables = tune(fresh).optimizer.variables
        state = [ops.convert_to_numpy(v) for v in variables]
        compiled[name] = fresh, state
        return fresh
    model, state = compiled[name]
    model.set_weights(fresh.get_weights())
    for variable, value in zip(model.optimizer.variables, state, strict=True):
        variable.assign(value)
    return model

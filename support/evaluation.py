"""Accuracy and loss by timestep on fresh sequences, and the baseline's."""

import keras
import numpy as np
import pandas as pd

from data import as_generator, get_sequences
from support import ending
from support.baseline import position_majority

CHUNK_FLOATS = 2**23  # a chunk's floats in the widest layer (~256 MB)
EPSILON = 1e-7  # Keras's cross-entropy clips p to [EPSILON, 1 - EPSILON]


def probabilities(model, X, often=False):
    """model(X). speed: a direct call compiles nothing, but on JAX runs op
    by op; on TensorFlow, called `often`, compiled (see speed.tune)."""
    backend = keras.backend.backend()
    if backend == "jax" or (often and backend == "tensorflow"):
        return model.predict_on_batch(X)
    return keras.ops.convert_to_numpy(model(X, training=False))


def batch_size(model, n_timesteps):
    """Sequences a call takes: CHUNK_FLOATS in the model's widest layer."""
    width = max(layer.output.shape[-1] for layer in model.layers)
    return max(1, CHUNK_FLOATS // (n_timesteps * width))


def evaluate_by_timestep(
    model, n_timesteps, n_sequences, rng, rule="cumsum", often=False
):
    """The model's accuracy and loss (cross-entropy, clipped as Keras does)
    and the baseline's accuracy at each timestep of `n_sequences` new
    sequences from `rng`, labelled by `rule`, in chunks (a signal stops it
    between them). A DataFrame: timestep, accuracy, loss, baseline."""
    rng = as_generator(rng)
    size = batch_size(model, n_timesteps)
    majority = position_majority(n_timesteps)
    right, loss, baseline = np.zeros((3, n_timesteps))
    for start in range(0, n_sequences, size):
        count = min(size, n_sequences - start)
        X, y = get_sequences(count, n_timesteps, rng=rng, rule=rule)
        p = probabilities(model, X, often)[:, :, 0].astype(np.float64)
        labels = y[:, :, 0]
        right += np.sum((p > 0.5) == labels, axis=0)
        p = np.clip(p, EPSILON, 1 - EPSILON)
        loss -= np.sum(labels * np.log(p) + (1 - labels) * np.log(1 - p), 0)
        baseline += np.sum(labels == majority, axis=0)
        ending.check()
    figures = {"accuracy": right, "loss": loss, "baseline": baseline}
    frame = pd.DataFrame(figures) / n_sequences
    return frame.assign(timestep=np.arange(1, n_timesteps + 1))


def accuracy_during(tests, hard):
    """Test accuracy, overall and hard, a row per model, repeat, epoch."""
    keys, columns = ["model", "repeat", "epoch"], ["accuracy", "baseline"]
    overall = tests.groupby(keys, sort=False)[columns].mean()
    at_hard = tests[tests["timestep"].isin(hard)]
    at_hard = at_hard.groupby(keys, sort=False)[columns].mean()
    return overall.join(at_hard.add_prefix("hard ")).reset_index()

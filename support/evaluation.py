"""Accuracy on fresh sequences, beside the position-only baseline."""

import numpy as np

from data import as_generator, get_sequences, position_majority
from support import speed

# Memory one chunk of test sequences may take inside the model, whatever
# --eval-sequences is: sequences x timesteps x the widest layer x 4 bytes,
# times 8 for the gates and the copies a call makes.
CHUNK_BYTES = 2**28


def chunk_size(model, n_timesteps):
    """How many sequences go through the model in one call."""
    width = max(layer.output.shape[-1] for layer in model.layers)
    return max(1, CHUNK_BYTES // (n_timesteps * width * 4 * 8))


def evaluate_model(model, n_timesteps, n_sequences=100, rng=None):
    """Accuracy of `model` and of the baseline on the same new sequences.

    Sequences are drawn and predicted in chunks, so memory stays bounded;
    the sequences are the same as get_sequences(n_sequences, ...) gives
    for the same rng. Returns (accuracy, baseline accuracy).
    """
    rng = as_generator(rng)
    majority = position_majority(n_timesteps)
    right = baseline_right = 0
    size = chunk_size(model, n_timesteps)
    for start in range(0, n_sequences, size):
        X, y = get_sequences(min(size, n_sequences - start), n_timesteps, rng)
        yhat = (speed.predict_probabilities(model, X) > 0.5).astype(np.int32)
        right += int(np.sum(yhat == y))
        baseline_right += int(np.sum(y[:, :, 0] == majority))
    total = n_sequences * n_timesteps
    return right / total, baseline_right / total

"""Accuracy and loss on fresh sequences, timestep by timestep, beside the
position-only baseline.

The baseline (data.position_majority) is nearly always right at the first
and last timesteps, so an overall accuracy hides where a model has learned
anything. Where the baseline is right less than HARD_BELOW of the time,
the timestep is "hard"; the scripts report the accuracy there too.
"""

import math
from fractions import Fraction

import numpy as np

from data import as_generator, get_sequences, position_majority
from support import interrupts, speed

# Memory one chunk of test sequences may take inside the model, whatever
# --eval-sequences is: sequences x timesteps x the widest layer x 4 bytes,
# times 8 for the gates and the copies a call makes.
CHUNK_BYTES = 2**28
# A timestep is hard when the baseline's accuracy there is below this.
HARD_BELOW = 0.95
# Up to this length the baseline by timestep is exact (integer arithmetic,
# 11 ms at 200 timesteps, 3 s at 1000); beyond, the normal approximation,
# measured within 0.0003 of the exact value at 200 timesteps and closer
# for longer sequences.
EXACT_MAX_TIMESTEPS = 200
# Keras clips probabilities to [EPSILON, 1 - EPSILON] in its cross-entropy.
EPSILON = 1e-7


def chunk_size(model, n_timesteps):
    """How many sequences go through the model in one call."""
    width = max(layer.output.shape[-1] for layer in model.layers)
    return max(1, CHUNK_BYTES // (n_timesteps * width * 4 * 8))


def below_limit(t, n_timesteps):
    """P(the sum of t uniform values < n_timesteps / 4): the chance that
    the label at timestep t is 0 (the Irwin-Hall distribution's CDF)."""
    if n_timesteps > EXACT_MAX_TIMESTEPS:
        z = (n_timesteps / 4 - t / 2) / math.sqrt(t / 12)
        return 0.5 * math.erfc(-z / math.sqrt(2))
    # sum over k < n/4 of (-1)^k C(t, k) (n/4 - k)^t / t!, times 4^t / 4^t
    total = sum(
        (-1) ** k * math.comb(t, k) * (n_timesteps - 4 * k) ** t
        for k in range(min(t, (n_timesteps - 1) // 4) + 1)
    )
    return float(Fraction(total, math.factorial(t) * 4**t))


def baseline_by_timestep(n_timesteps):
    """The baseline's expected accuracy at each timestep, shape (n,)."""
    majority = position_majority(n_timesteps)
    return np.array(
        [
            1 - below_limit(t, n_timesteps)
            if label
            else below_limit(t, n_timesteps)
            for t, label in enumerate(majority, start=1)
        ]
    )


def hard_timesteps(n_timesteps):
    """The timesteps (counted from 1) where the baseline's expected
    accuracy is below HARD_BELOW."""
    expected = baseline_by_timestep(n_timesteps)
    return np.flatnonzero(expected < HARD_BELOW) + 1


def evaluate_by_timestep(model, n_timesteps, n_sequences=100, rng=None):
    """The model's accuracy and loss, and the baseline's accuracy, at each
    timestep of `n_sequences` new sequences.

    Sequences are drawn and predicted in chunks, so memory stays bounded;
    they are the same as get_sequences(n_sequences, ...) gives for the
    same rng. The loss is the binary cross-entropy of the predicted
    probabilities, clipped as Keras clips them. Returns a dict of arrays
    of shape (n_timesteps,): "accuracy", "loss" and "baseline".
    """
    rng = as_generator(rng)
    majority = position_majority(n_timesteps)
    right = np.zeros(n_timesteps)
    loss = np.zeros(n_timesteps)
    baseline_right = np.zeros(n_timesteps)
    size = chunk_size(model, n_timesteps)
    for start in range(0, n_sequences, size):
        X, y = get_sequences(min(size, n_sequences - start), n_timesteps, rng)
        p = speed.predict_probabilities(model, X)[:, :, 0].astype(np.float64)
        labels = y[:, :, 0]
        right += np.sum((p > 0.5) == labels, axis=0)
        p = np.clip(p, EPSILON, 1 - EPSILON)
        loss -= np.sum(labels * np.log(p) + (1 - labels) * np.log(1 - p), 0)
        baseline_right += np.sum(labels == majority, axis=0)
        interrupts.check()  # a signal abandons the evaluation here
    return {
        "accuracy": right / n_sequences,
        "loss": loss / n_sequences,
        "baseline": baseline_right / n_sequences,
    }


def evaluate_model(model, n_timesteps, n_sequences=100, rng=None):
    """(accuracy, baseline accuracy) over all timesteps of `n_sequences`
    new sequences: the means of evaluate_by_timestep's figures."""
    scores = evaluate_by_timestep(model, n_timesteps, n_sequences, rng)
    return float(scores["accuracy"].mean()), float(scores["baseline"].mean())

"""Seeds: one --seed gives every random stream a repeatable seed of its own.

Training and test sequences come from separate streams, so changing
--epochs does not change the test sequences.
"""

import keras
import numpy as np

from support import speed


def classifier_seeds(seed):
    """(training data seed, test data seed) for a classifier run."""
    train, test = np.random.SeedSequence(seed).spawn(2)
    return train, test


def seed_weights(seed):
    """keras.utils.set_random_seed(seed): Python, NumPy, Keras and the
    backend. Every script seeds before it builds a model, so this is where
    TensorFlow is left out on the other backends (speed only)."""
    speed.leave_out_tensorflow()
    keras.utils.set_random_seed(seed)


def seed_classifier(seed):
    """Seed the weights (seed_weights) and return the generators of the
    training and of the test sequences."""
    seed_weights(seed)
    train, test = classifier_seeds(seed)
    return np.random.default_rng(train), np.random.default_rng(test)


def repeat_seeds(seed, repeat):
    """(training data, test data, weights) seeds for one repeat.

    Every model in a repeat uses the same three: it starts from weights
    drawn with the same seed and trains and tests on the same sequences,
    which makes the comparison paired.
    """
    train, test, weights = np.random.SeedSequence([seed, repeat]).spawn(3)
    return train, test, int(weights.generate_state(1)[0])

"""Seeds: one --seed gives every random stream a repeatable seed of its own.

Training and test sequences come from separate streams, so changing
--epochs does not change the test sequences.
"""

import keras
import numpy as np


def classifier_seeds(seed):
    """(training data seed, test data seed) for a classifier run."""
    train, test = np.random.SeedSequence(seed).spawn(2)
    return train, test


def seed_classifier(seed):
    """Seed the weights (keras.utils.set_random_seed) and return the
    generators of the training and of the test sequences."""
    keras.utils.set_random_seed(seed)
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

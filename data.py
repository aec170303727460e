"""The tutorial's sequence classification problem (NumPy only, no Keras).

A sequence holds `n_timesteps` random numbers from [0, 1). The label at a
timestep is 0 while the running sum of the values so far is below
n_timesteps / 4, and 1 from the step where it reaches that threshold on:

    X: 0.63 0.29 0.92 0.95 0.32 0.61 0.84 0.18 0.85 0.29
    y: 0    0    0    1    1    1    1    1    1    1

The position-only baseline ignores the values and predicts at each
timestep the label most common there. With 10 timesteps it is right about
89% of the time, so a model's accuracy means something only next to it.
Print one example with:  python data.py --timesteps 20 --seed 7
"""

import numpy as np


def get_sequence(n_timesteps, rng=None):
    """One problem case, X and y, each shaped (1, n_timesteps, 1).

    ours: `rng` (None, an int seed or a numpy Generator) makes it
    repeatable; the tutorial uses random() and builds it in a loop.
    """
    return get_sequences(1, n_timesteps, rng)


def get_sequences(n_sequences, n_timesteps, rng=None):
    """`n_sequences` cases: X float32 and y int32, each (m, n, 1)."""
    n_sequences = check_count(n_sequences, "n_sequences")
    n_timesteps = check_count(n_timesteps, "n_timesteps")
    # create sequences of random numbers in [0, 1)
    X = as_generator(rng).random((n_sequences, n_timesteps))
    X = X.astype(np.float32)  # what the model sees; labels come from it
    # calculate cut-off value to change class values
    limit = n_timesteps / 4.0
    # determine the class outcome for each item in the cumulative sums
    y = (np.cumsum(X, axis=1, dtype=np.float64) >= limit).astype(np.int32)
    # reshape input and output data to be suitable for LSTMs
    return X[..., np.newaxis], y[..., np.newaxis]


def position_majority(n_timesteps):
    """The most common label at each timestep, shape (n_timesteps,).

    The sum of t uniform values is symmetric about t/2, so at timestep t
    (counted from 1) the label is more often 1 than 0 exactly when
    t/2 > n/4, that is t > n/2. At t = n/2 it is a tie; we predict 1.
    """
    n_timesteps = check_count(n_timesteps, "n_timesteps")
    return (np.arange(1, n_timesteps + 1) >= n_timesteps / 2).astype(np.int32)


def baseline_accuracy(y):
    """Accuracy of the position-only baseline on labels y (m, n, 1)."""
    return float(np.mean(y[:, :, 0] == position_majority(y.shape[1])))


def check_count(value, name):
    """`value` as an int if it is a positive integer, else ValueError."""
    is_int = isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )
    if not is_int or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def as_generator(rng):
    """A numpy Generator from None, a seed (int or SeedSequence) or a
    Generator (returned as it is)."""
    kinds = (type(None), int, np.integer, np.random.SeedSequence)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, kinds):
        raise TypeError(
            "rng must be None, an int seed or a numpy.random.Generator,"
            f" got {rng!r}"
        )
    return np.random.default_rng(rng)  # a negative seed: ValueError


def main(argv=None):
    from support import flags, limits  # only the command line needs them

    parser = flags.make_parser(__doc__)
    flags.add_timesteps_and_seed(parser, seed_default=None)
    args = parser.parse_args(argv)
    limits.check_sequence_size(parser, args.timesteps)
    print("Sequence problem example | NumPy only, no Keras backend used")
    X, y = get_sequence(args.timesteps, args.seed)
    with np.printoptions(precision=8, linewidth=79):
        print(X[0, :, 0])
    print(y[0, :, 0])


if __name__ == "__main__":
    main()

"""The tutorial's sequence classification problem.

Each input is a sequence of `n_timesteps` random numbers drawn uniformly
from [0, 1). The label at a timestep is 0 while the running (cumulative) sum
of the values so far is below n_timesteps / 4, and 1 from the step where it
reaches that threshold onwards. For example, with 10 timesteps:

    X: 0.63 0.29 0.92 0.95 0.32 0.61 0.84 0.18 0.85 0.29
    y: 0    0    0    1    1    1    1    1    1    1

This module also holds the "position-only baseline": a rule that ignores the
values and predicts, at each timestep, the label that is most common at that
position. It is right about 89% of the time with 10 timesteps, so a model's
accuracy only means something next to it.

Run it to print one example sequence and its labels:

    python data.py
    python data.py --timesteps 20 --seed 7
"""

import argparse
import functools

import numpy as np

# How many sequences estimate the majority label at each position. The
# estimate uses its own fixed seed so every script agrees on the baseline.
BASELINE_SEQUENCES = 100_000
BASELINE_SEED = 2017


def check_positive_int(value, name):
    """Raise ValueError unless `value` is a positive int (bools refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, np.integer)
    ):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def get_sequences(n_sequences, n_timesteps, rng=None):
    """Return `n_sequences` problem cases as arrays shaped for an LSTM.

    X has shape (n_sequences, n_timesteps, 1) and dtype float32; y has the
    same shape and dtype int32 with labels 0/1. `rng` is a
    numpy.random.Generator; None means a fresh, unseeded one.
    """
    n_sequences = check_positive_int(n_sequences, "n_sequences")
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    if rng is None:
        rng = np.random.default_rng()
    # The values the model sees are float32, so the labels are computed from
    # exactly those values (summed in float64, one step at a time).
    X = rng.random((n_sequences, n_timesteps)).astype(np.float32)
    limit = n_timesteps / 4.0
    y = (np.cumsum(X.astype(np.float64), axis=1) >= limit).astype(np.int32)
    return X[..., np.newaxis], y[..., np.newaxis]


def get_sequence(n_timesteps, rng=None):
    """Return one problem case, X and y, each shaped (1, n_timesteps, 1)."""
    return get_sequences(1, n_timesteps, rng)


@functools.lru_cache(maxsize=32)
def position_majority(n_timesteps):
    """Return the most common label at each timestep, shape (n_timesteps,).

    Estimated once per length from BASELINE_SEQUENCES generated sequences
    with a fixed seed (the result is cached and read-only).
    """
    rng = np.random.default_rng(BASELINE_SEED)
    _, y = get_sequences(BASELINE_SEQUENCES, n_timesteps, rng)
    majority = (y[:, :, 0].mean(axis=0) >= 0.5).astype(np.int32)
    majority.flags.writeable = False
    return majority


def baseline_accuracy(y):
    """Accuracy of the position-only baseline on labels y (m, n, 1)."""
    majority = position_majority(y.shape[1])
    return float(np.mean(y[:, :, 0] == majority))


def positive_int(text):
    """argparse type: a positive integer, with a message naming the value."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer, got {text!r}"
        )
    return value


def non_negative_int(text):
    """argparse type: an integer >= 0 (a seed)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"must be a non-negative integer, got {text!r}"
        )
    return value


def make_parser(description):
    """An ArgumentParser whose errors are one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    def one_line_error(message):
        parser.exit(2, f"{parser.prog}: error: {message}\n")

    parser.error = one_line_error
    return parser


def main(argv=None):
    parser = make_parser("Print one example of the sequence problem.")
    parser.add_argument("--timesteps", type=positive_int, default=10)
    parser.add_argument(
        "--seed", type=non_negative_int, help="random seed (default: none)"
    )
    args = parser.parse_args(argv)

    print("Sequence problem example | NumPy only, no Keras backend used")
    rng = np.random.default_rng(args.seed)
    X, y = get_sequence(args.timesteps, rng)
    with np.printoptions(precision=8, linewidth=79):
        print(X[0, :, 0])
    print(y[0, :, 0])


if __name__ == "__main__":
    main()

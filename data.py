"""The tutorial's sequence classification problem (tutorial section 2).

n random numbers from [0, 1); the label is 0 while the running sum is
below n / 4, then 1. Ours, --labels midpoint: label 1 once the running
sum reaches half of the sequence's own total. NumPy only; the exact
position-only baseline is support/baseline.py. An example:

    python data.py --seed 7
"""

import argparse
import sys

import numpy as np

RULES = ("cumsum", "midpoint")  # the tutorial's labels, and ours


def get_sequence(n_timesteps, *, rng=None, rule="cumsum"):
    """One problem case, X and y, each shaped (1, n_timesteps, 1).

    ours, keyword-only: `rng`: None draws from NumPy's global state, which
    keras.utils.set_random_seed seeds as it seeds the tutorial's random();
    an int seed or a Generator repeats the data. `rule`: the tutorial's
    labels ("cumsum") or ours ("midpoint")."""
    # ours: one case is get_sequences of one, so both draw alike
    return get_sequences(1, n_timesteps, rng=rng, rule=rule)


def get_sequences(n_sequences, n_timesteps, *, rng=None, rule="cumsum"):
    """Ours: `n_sequences` cases at once, X and y each (m, n, 1)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    # create sequences of random numbers in [0, 1) (ours: NumPy's
    # generator, not random(): random.seed does not repeat them; the
    # tutorial's comment says [0,1], but random() never returns 1)
    X = as_generator(rng).random((n_sequences, n_timesteps))
    X = X.astype(np.float32)  # ours: what the model sees; labels from it
    cumsum = np.cumsum(X, axis=1, dtype=np.float64)
    # calculate cut-off value to change class values
    limit = n_timesteps / 4.0
    if rule == "midpoint":  # ours: half of each sequence's own total
        limit = cumsum[:, -1:] / 2
    # determine the class outcome for each item in the cumulative sums
    # (ours: one comparison of arrays, not a loop over values)
    y = (cumsum >= limit).astype(np.int32)  # ours: int32 labels
    # reshape input and output data to be suitable for LSTMs
    return X[..., np.newaxis], y[..., np.newaxis]


def as_generator(rng):
    """Ours: what the data is drawn from: None gives NumPy's global state,
    a Generator is kept, an int seed (or SeedSequence) makes a Generator."""
    global_state = rng is None or rng is np.random
    return np.random if global_state else np.random.default_rng(rng)


def main(argv=None):
    """Ours: print one case, as the tutorial's test of get_sequence does."""
    parser = argparse.ArgumentParser(
        "data.py",
        usage=argparse.SUPPRESS,  # a bad flag: one line, exit status 2
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    help = "sequence length, 1 to 1000 (default: 10)"
    parser.add_argument("--timesteps", type=int, default=10, help=help)
    help = "random seed, 0 to 2**32 - 1 (default: a new sequence each run)"
    parser.add_argument("--seed", type=int, help=help)
    parser.add_argument("--labels", choices=RULES, default=RULES[0])
    args = parser.parse_args([] if argv is None else argv)
    if not 1 <= args.timesteps <= 1000:
        parser.error("argument --timesteps: must be from 1 to 1000")
    if args.seed is not None and not 0 <= args.seed < 2**32:
        parser.error("argument --seed: must be from 0 to 4294967295")
    X, y = get_sequence(args.timesteps, rng=args.seed, rule=args.labels)
    with np.printoptions(precision=8, linewidth=79):
        print(X[0, :, 0], y[0, :, 0], sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

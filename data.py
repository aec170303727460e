"""The tutorial's sequence classification problem, and its baseline.

n random numbers from [0, 1); the label is 0 while the running sum is
below n / 4, then 1. The position-only baseline predicts the label most
common at each timestep (right 89% of the time at 10 timesteps). Ours,
--labels midpoint: label 1 once the running sum reaches half of the
sequence's own total. NumPy only. An example and the exact baseline:

    python data.py --seed 7
"""

import math
from fractions import Fraction

import numpy as np

HARD_BELOW = 0.95  # "hard" timesteps: the baseline is right less often
# The Irwin-Hall CDF is exact up to this many values; beyond, its normal
# approximation (within 0.0003 of it at 200, closer beyond).
EXACT_MAX = 200
RULES = ("cumsum", "midpoint")  # the tutorial's labels, and ours


def get_sequence(n_timesteps, *, rng=None, rule="cumsum"):
    """One problem case, X and y, each shaped (1, n_timesteps, 1).

    ours, keyword-only: `rng`: None draws from NumPy's global state, which
    keras.utils.set_random_seed seeds as it seeds the tutorial's random();
    an int seed or a Generator repeats the data. `rule`: the tutorial's
    labels ("cumsum") or ours ("midpoint")."""
    return get_sequences(1, n_timesteps, rng=rng, rule=rule)


def get_sequences(n_sequences, n_timesteps, *, rng=None, rule="cumsum"):
    """`n_sequences` cases at once: X float32 and y int32, each (m, n, 1)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    # create sequences of random numbers in [0, 1)
    X = as_generator(rng).random((n_sequences, n_timesteps))
    X = X.astype(np.float32)  # what the model sees; labels come from it
    cumsum = np.cumsum(X, axis=1, dtype=np.float64)
    # calculate cut-off value to change class values
    limit = n_timesteps / 4.0
    if rule == "midpoint":  # ours: half of each sequence's own total
        limit = cumsum[:, -1:] / 2
    # determine the class outcome for each item in the cumulative sums
    y = cumsum >= limit
    # reshape input and output data to be suitable for LSTMs
    return X[..., np.newaxis], y.astype(np.int32)[..., np.newaxis]


def as_generator(rng):
    """What the data is drawn from: None gives NumPy's global random state,
    a Generator is kept, an int seed (or SeedSequence) makes a Generator."""
    global_state = rng is None or rng is np.random
    return np.random if global_state else np.random.default_rng(rng)


def below(x, k):
    """P(the sum of k uniform values < x): the Irwin-Hall CDF, x a
    Fraction or an int."""
    if k > EXACT_MAX:
        return 0.5 * math.erfc((k / 2 - x) / math.sqrt(k / 6))
    x = Fraction(x)
    if x >= k:
        return 1.0
    p, q = x.numerator, x.denominator  # sum (-1)^j C(k, j) (x - j)^k / k!
    total = sum(
        (-1) ** j * math.comb(k, j) * (p - q * j) ** k
        for j in range(max(0, math.ceil(x)))
    )
    return float(Fraction(total, math.factorial(k) * q**k))


def position_majority(n_timesteps):
    """The most common label at each timestep, shape (n_timesteps,), for
    either rule. The sum of t uniform values is symmetric about t/2, so
    the tutorial's label at t (from 1) is more often 1 exactly when t/2 >
    n/4, that is t > n/2; the midpoint label too. At t = n/2, a tie: 1."""
    return (np.arange(1, n_timesteps + 1) >= n_timesteps / 2).astype(np.int32)


def baseline_by_timestep(n_timesteps, rule="cumsum"):
    """The baseline's exact accuracy at each timestep, shape (n,): the
    chance that the label there is its most common one. The midpoint
    label at t is 0 while S_t < S_n - S_t, and S_t - (S_n - S_t) is
    distributed as the sum of n uniform values minus (n - t)."""
    n, steps = n_timesteps, range(1, n_timesteps + 1)
    if rule == "midpoint":
        zero = np.array([below(n - t, n) for t in steps])
    else:
        zero = np.array([below(Fraction(n, 4), t) for t in steps])
    return np.where(position_majority(n), 1 - zero, zero)


def hard_timesteps(n_timesteps, rule="cumsum"):
    """The timesteps (from 1) where the baseline is below HARD_BELOW."""
    baseline = baseline_by_timestep(n_timesteps, rule)
    return np.flatnonzero(baseline < HARD_BELOW) + 1


def main(argv=None):
    from support import cli  # the command line only

    parser = cli.make_parser(__file__, __doc__)
    cli.add(parser, "--timesteps", 1, cli.MAX_TIMESTEPS, 10, "sequence length")
    cli.add(parser, "--seed", 0, cli.SEED_MAX, None, "random seed")
    parser.add_argument("--labels", choices=RULES, default=RULES[0])
    args = parser.parse_args([] if argv is None else argv)
    print("Sequence problem example | NumPy only, no Keras backend used")
    X, y = get_sequence(args.timesteps, rng=args.seed, rule=args.labels)
    with np.printoptions(precision=8, linewidth=79):
        print(X[0, :, 0], y[0, :, 0], sep="\n")
    baseline = baseline_by_timestep(args.timesteps, args.labels)
    print("baseline accuracy by timestep (exact):")
    print(" ".join(f"{b:.3f}" for b in baseline))


if __name__ == "__main__":
    from support.ending import run

    run(main)  # ours: the exit status; `| head` ends quietly

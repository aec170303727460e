"""The position-only baseline, exactly: the label most common at each
timestep, and how often it is right (sections 3-6 score every model
beside it). At 10 timesteps it is right 88.9% of the time."""

import math
from fractions import Fraction

import numpy as np

HARD_BELOW = 0.95  # "hard" timesteps: the baseline is right less often
# The Irwin-Hall CDF is exact up to this many values; beyond, its normal
# approximation (within 0.0003 of it at 200, closer beyond).
EXACT_MAX = 200


def irwin_hall_cdf(x, k):
    """P(the sum of k uniform values in [0, 1) < x), x a Fraction or an
    int: sum over j < x of (-1)^j C(k, j) (x - j)^k / k!."""
    if k > EXACT_MAX:
        return 0.5 * math.erfc((k / 2 - x) / math.sqrt(k / 6))
    x = Fraction(x)
    if x >= k:
        return 1.0
    p, q = x.numerator, x.denominator  # (x - j)^k = (p - q j)^k / q^k
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
        zero = [irwin_hall_cdf(n - t, n) for t in steps]
    else:
        zero = [irwin_hall_cdf(Fraction(n, 4), t) for t in steps]
    zero = np.array(zero)
    return np.where(position_majority(n), 1 - zero, zero)


def hard_timesteps(n_timesteps, rule="cumsum"):
    """The timesteps (from 1) where the baseline is below HARD_BELOW."""
    baseline = baseline_by_timestep(n_timesteps, rule)
    return np.flatnonzero(baseline < HARD_BELOW) + 1

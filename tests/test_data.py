"""The problem generator: the tutorial's rule, shapes, seeds, bad input."""

import numpy as np
import pytest

from data import (
    BASELINE_SEQUENCES,
    baseline_accuracy,
    get_sequence,
    get_sequences,
    position_majority,
)


def labels_by_hand(values):
    """The tutorial's rule, written independently: a running sum in a loop."""
    limit = len(values) / 4.0
    labels, total = [], 0.0
    for value in values:
        total += float(value)
        labels.append(0 if total < limit else 1)
    return labels


@pytest.mark.parametrize("n_timesteps", [1, 2, 3, 4, 7, 10, 100])
def test_labels_follow_the_cumulative_sum_rule(n_timesteps):
    rng = np.random.default_rng(n_timesteps)
    X, y = get_sequences(500, n_timesteps, rng)
    for values, labels in zip(X[:, :, 0], y[:, :, 0], strict=True):
        assert list(labels) == labels_by_hand(values)


@pytest.mark.parametrize("n_timesteps", [1, 10, 100])
def test_single_sequence_matches_the_rule(n_timesteps):
    rng = np.random.default_rng(5)
    for _ in range(200):
        X, y = get_sequence(n_timesteps, rng)
        assert list(y[0, :, 0]) == labels_by_hand(X[0, :, 0])


def test_shapes_dtypes_and_range():
    X, y = get_sequence(10, np.random.default_rng(0))
    assert X.shape == y.shape == (1, 10, 1)
    assert X.dtype == np.float32
    assert np.issubdtype(y.dtype, np.integer)
    X, y = get_sequences(64, 7, np.random.default_rng(0))
    assert X.shape == y.shape == (64, 7, 1)
    assert X.min() >= 0.0 and X.max() < 1.0
    assert set(np.unique(y)) <= {0, 1}


def test_labels_never_switch_back_to_zero():
    _, y = get_sequences(2000, 10, np.random.default_rng(1))
    assert np.all(np.diff(y[:, :, 0], axis=1) >= 0)


def test_same_seed_same_data_and_different_seed_different_data():
    a = get_sequences(5, 10, np.random.default_rng(42))
    b = get_sequences(5, 10, np.random.default_rng(42))
    c = get_sequences(5, 10, np.random.default_rng(43))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_no_rng_gives_fresh_random_data():
    assert not np.array_equal(get_sequence(10)[0], get_sequence(10)[0])


@pytest.mark.parametrize("bad", [0, -1, 2.5, "10", True, None, 10.0])
def test_bad_n_timesteps_raises(bad):
    with pytest.raises(ValueError, match="n_timesteps must be a positive"):
        get_sequence(bad)
    with pytest.raises(ValueError, match="n_timesteps must be a positive"):
        get_sequences(3, bad)


@pytest.mark.parametrize("bad", [0, -2, 1.5, False])
def test_bad_n_sequences_raises(bad):
    with pytest.raises(ValueError, match="n_sequences must be a positive"):
        get_sequences(bad, 10)


def test_position_baseline_for_ten_timesteps():
    # Majority label: 0 for the first four positions, 1 from the sixth on.
    majority = position_majority(10)
    assert list(majority[:4]) == [0, 0, 0, 0]
    assert list(majority[5:]) == [1, 1, 1, 1, 1]
    # The baseline is right about 89% of the time on fresh sequences.
    _, y = get_sequences(20_000, 10, np.random.default_rng(3))
    assert 0.87 < baseline_accuracy(y) < 0.91
    assert BASELINE_SEQUENCES >= 10_000


def test_baseline_is_the_best_position_only_rule():
    # Flipping any position's prediction can only make the baseline worse.
    _, y = get_sequences(20_000, 10, np.random.default_rng(4))
    majority = position_majority(10)
    best = np.mean(y[:, :, 0] == majority)
    for t in range(10):
        flipped = majority.copy()
        flipped[t] = 1 - flipped[t]
        assert np.mean(y[:, :, 0] == flipped) <= best + 1e-3

"""The problem generator: the tutorial's rule, shapes, seeds, bad input."""

import numpy as np
import pytest

from data import (
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


@pytest.mark.parametrize("n_timesteps", [1, 2, 3, 7, 10, 11, 40, 101])
def test_closed_form_majority_matches_simulation(n_timesteps):
    """The symmetry argument against what 100,000 sequences show (the
    previous estimate), at every position but the tie t = n/2."""
    _, y = get_sequences(100_000, n_timesteps, np.random.default_rng(2017))
    share_of_ones = y[:, :, 0].mean(axis=0)
    simulated = (share_of_ones >= 0.5).astype(np.int32)
    majority = position_majority(n_timesteps)
    for t in range(1, n_timesteps + 1):
        if 2 * t == n_timesteps:
            assert majority[t - 1] == 1  # the tie: we predict 1
            assert abs(share_of_ones[t - 1] - 0.5) < 0.01
        else:
            assert majority[t - 1] == simulated[t - 1], t


def test_baseline_needs_no_simulation_for_long_sequences():
    majority = position_majority(1_000_000)  # instant, a few MB
    assert majority[:499_999].sum() == 0 and majority[499_999:].all()


def test_baseline_is_the_best_position_only_rule():
    # Flipping any position's prediction can only make the baseline worse.
    _, y = get_sequences(20_000, 10, np.random.default_rng(4))
    majority = position_majority(10)
    best = np.mean(y[:, :, 0] == majority)
    for t in range(10):
        flipped = majority.copy()
        flipped[t] = 1 - flipped[t]
        assert np.mean(y[:, :, 0] == flipped) <= best + 1e-3


def test_rng_accepts_none_a_seed_or_a_generator():
    by_seed = get_sequence(10, 42)
    by_generator = get_sequence(10, np.random.default_rng(42))
    assert np.array_equal(by_seed[0], by_generator[0])
    assert get_sequence(10, None)[0].shape == (1, 10, 1)
    rng = np.random.default_rng(0)
    first, second = get_sequence(10, rng), get_sequence(10, rng)
    assert not np.array_equal(first[0], second[0])  # the generator moves on


@pytest.mark.parametrize("bad", ["42", 2.5, True, [1, 2], object()])
def test_rng_of_another_kind_is_a_type_error_naming_rng(bad):
    with pytest.raises(TypeError, match="rng must be"):
        get_sequence(10, bad)
    with pytest.raises(TypeError, match="rng must be"):
        get_sequences(3, 10, bad)


def test_many_sequences_in_chunks_equal_one_draw():
    """What the chunked evaluation relies on."""
    rng = np.random.default_rng(8)
    chunks = [get_sequences(n, 6, rng)[0] for n in (3, 1, 4)]
    whole = get_sequences(8, 6, np.random.default_rng(8))[0]
    assert np.array_equal(np.concatenate(chunks), whole)

"""Accuracy, loss and baseline by timestep: the figures, the closed-form
baseline, the hard timesteps, and the tables that print them."""

import math

import numpy as np
import pandas as pd
import pytest

from data import get_sequences, position_majority
from support import evaluation, report, summary


def test_figures_by_timestep_against_a_hand_computation(monkeypatch):
    """Three sequences of four timesteps, made-up probabilities."""
    rng_seed = 11
    X, y = get_sequences(3, 4, np.random.default_rng(rng_seed))
    p = np.array(
        [[0.1, 0.6, 0.9, 1.0], [0.2, 0.4, 0.7, 0.95], [0.0, 0.5, 0.51, 0.8]]
    )
    served = []  # rows handed out so far, chunk after chunk

    def predict(model, X):
        rows = p[len(served) : len(served) + len(X)]
        served.extend(rows)
        return rows[:, :, None].astype(np.float32)

    monkeypatch.setattr(evaluation.speed, "predict_probabilities", predict)
    monkeypatch.setattr(evaluation, "chunk_size", lambda *_: 2)  # 2 chunks
    scores = evaluation.evaluate_by_timestep(None, 4, 3, rng_seed)
    assert len(served) == 3

    labels = y[:, :, 0]
    majority = position_majority(4)
    for t in range(4):
        right = sum((p[i, t] > 0.5) == labels[i, t] for i in range(3))
        q = [
            min(max(float(np.float32(p[i, t])), 1e-7), 1 - 1e-7)
            for i in range(3)
        ]
        loss = -sum(
            math.log(q[i]) if labels[i, t] else math.log(1 - q[i])
            for i in range(3)
        )
        base = sum(labels[i, t] == majority[t] for i in range(3))
        assert scores["accuracy"][t] == pytest.approx(right / 3)
        assert scores["loss"][t] == pytest.approx(loss / 3)
        assert scores["baseline"][t] == pytest.approx(base / 3)


@pytest.mark.parametrize("n_timesteps", [4, 10, 13])
def test_baseline_by_timestep_matches_simulation(n_timesteps):
    """The Irwin-Hall closed form against 200,000 simulated sequences,
    within 4.5 standard errors at every timestep."""
    _, y = get_sequences(200_000, n_timesteps, np.random.default_rng(5))
    simulated = (y[:, :, 0] == position_majority(n_timesteps)).mean(axis=0)
    expected = evaluation.baseline_by_timestep(n_timesteps)
    error = np.sqrt(expected * (1 - expected) / 200_000) + 1e-9
    assert np.all(np.abs(simulated - expected) <= 4.5 * error)


def test_baseline_by_timestep_known_values():
    expected = evaluation.baseline_by_timestep(10)
    # t = 1, 2: the sum cannot reach 2.5; t = 3: 1 - (0.5^3 / 3!)
    assert expected[0] == expected[1] == 1.0
    assert expected[2] == pytest.approx(1 - 0.5**3 / 6)
    # The mean over timesteps is the baseline's overall accuracy.
    _, y = get_sequences(100_000, 10, np.random.default_rng(9))
    overall = (y[:, :, 0] == position_majority(10)).mean()
    assert expected.mean() == pytest.approx(overall, abs=0.003)


def test_long_sequences_use_the_normal_approximation_smoothly():
    n = evaluation.EXACT_MAX_TIMESTEPS
    exact = evaluation.baseline_by_timestep(n)
    evaluation_limit = evaluation.EXACT_MAX_TIMESTEPS
    try:
        evaluation.EXACT_MAX_TIMESTEPS = 0  # force the approximation
        approximate = evaluation.baseline_by_timestep(n)
    finally:
        evaluation.EXACT_MAX_TIMESTEPS = evaluation_limit
    assert np.max(np.abs(exact - approximate)) < 0.0003


def test_hard_timesteps():
    assert evaluation.hard_timesteps(10).tolist() == [4, 5, 6, 7]
    # n = 1: the label is 1 unless x < 0.25, so the baseline is right 75%
    assert evaluation.hard_timesteps(1).tolist() == [1]
    # n = 3: the baseline is right 0.75, 0.72 and 0.93 of the time
    assert evaluation.hard_timesteps(3).tolist() == [1, 2, 3]


@pytest.mark.parametrize("n_timesteps", [1, 7, 10, 11, 99, 1000])
def test_classifier_table_fits_79_columns(n_timesteps):
    rng = np.random.default_rng(0)
    scores = {
        "accuracy": rng.random(n_timesteps),
        "baseline": rng.random(n_timesteps),
    }
    text = report.format_by_timestep(
        scores, evaluation.hard_timesteps(n_timesteps)
    )
    lines = text.splitlines()
    assert all(len(line) <= report.LINE_WIDTH for line in lines)
    # every timestep is in exactly one column
    labels = lines[0].split()[1:]
    covered = []
    for label in labels:
        first, _, last = label.partition("-")
        covered += range(int(first), int(last or first) + 1)
    assert covered == list(range(1, n_timesteps + 1))
    assert lines[-1].startswith("hard timesteps ")


def test_spans():
    assert summary.spans([4, 5, 6, 7, 9]) == "4-7, 9"
    assert summary.spans([]) == "none"


def tidy_scores(n_repeats, n_timesteps=6):
    rows = [
        (model, r, t, 0.1 * t, 0.5 + 0.01 * r, 0.9)
        for model in ("a", "b")
        for r in range(1, n_repeats + 1)
        for t in range(1, n_timesteps + 1)
    ]
    columns = ["model", "repeat", "timestep", "loss", "accuracy", "baseline"]
    return pd.DataFrame(rows, columns=columns)


def test_summary_has_hard_accuracy_and_tables_by_timestep():
    by_timestep = tidy_scores(4)
    results = pd.DataFrame(
        [(m, r, e, 0.5) for m in "ab" for r in range(1, 5) for e in (1, 2)],
        columns=["model", "repeat", "epoch", "loss"],
    )
    table = summary.summarize(results, by_timestep, np.array([2, 3]))
    assert table.loc["a", "test acc"] == pytest.approx(0.525)
    assert table.loc["a", "hard test acc"] == pytest.approx(0.525)
    assert table.loc["a", "hard baseline acc"] == pytest.approx(0.9)
    text = summary.format_by_timestep(by_timestep, np.array([2, 3]))
    assert "2*" in text and "3*" in text and "4*" not in text
    assert "baseline" in text.split("test accuracy")[1]
    # loss at timestep 6 is 0.6 in every repeat: no spread
    assert "0.600 ± 0.000" in text

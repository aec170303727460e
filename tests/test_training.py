"""Training: what the loop computes, and what the models learn."""

import keras
import numpy as np
import pandas as pd
import pytest

import lstm_classifier
from bilstm_classifier import get_bi_lstm_model
from compare_directions import MODELS, repeat_seeds, reuse_model
from data import get_sequence
from lstm_classifier import evaluate_model, get_lstm_model, train_model


def test_history_has_one_row_per_epoch():
    keras.utils.set_random_seed(0)
    model = get_lstm_model(10)
    history = train_model(model, 10, 7, np.random.default_rng(0), verbose=0)
    assert list(history.columns) == ["loss", "acc"]
    assert list(history.index) == list(range(1, 8))
    assert history.index.name == "epoch"
    assert history["loss"].gt(0).all()
    assert history["acc"].between(0, 1).all()


def test_each_epoch_uses_a_fresh_sequence(monkeypatch):
    seen = []

    def recording_get_sequence(n_timesteps, rng=None):
        X, y = get_sequence(n_timesteps, rng)
        seen.append(X)
        return X, y

    monkeypatch.setattr(
        lstm_classifier, "get_sequence", recording_get_sequence
    )
    train_model(get_lstm_model(5), 5, 6, np.random.default_rng(1), verbose=0)
    assert len(seen) == 6
    assert len({x.tobytes() for x in seen}) == 6


def test_train_on_batch_is_the_tutorials_fit_step():
    """One train_on_batch = one fit(epochs=1, batch_size=1), loss and all.

    The fit side is compiled exactly as the tutorial does it (metrics "acc",
    Keras' default jit_compile, optimizer built on the first step), so this
    also checks that our compile_model changes nothing but the speed.
    """
    keras.utils.set_random_seed(5)
    by_fit = get_lstm_model(10)
    by_fit.compile(
        loss="binary_crossentropy", optimizer="adam", metrics=["acc"]
    )
    by_batch = get_lstm_model(10)
    by_batch.set_weights(by_fit.get_weights())
    rng = np.random.default_rng(9)
    for _ in range(5):
        X, y = get_sequence(10, rng)
        fit_logs = by_fit.fit(X, y, epochs=1, batch_size=1, verbose=0)
        logs = by_batch.train_on_batch(X, y, return_dict=True)
        assert logs["loss"] == pytest.approx(
            fit_logs.history["loss"][0], rel=1e-5
        )
        assert logs["acc"] == pytest.approx(fit_logs.history["acc"][0])
    for a, b in zip(by_fit.get_weights(), by_batch.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_compile_model_creates_every_variable_before_training():
    """So TensorFlow traces the train step once, not twice."""
    model = get_lstm_model(10)
    before = [v.path for v in model.optimizer.variables]
    count = len(before)
    assert count == 2 + 2 * len(model.trainable_variables)  # Adam: m and v
    X, y = get_sequence(10, np.random.default_rng(0))
    model.train_on_batch(X, y)
    assert [v.path for v in model.optimizer.variables] == before


def test_same_seed_same_losses():
    def run():
        keras.utils.set_random_seed(4)
        model = get_bi_lstm_model(10)
        return train_model(model, 10, 20, np.random.default_rng(4), verbose=0)

    pd.testing.assert_frame_equal(run(), run())


def test_reused_model_trains_like_a_newly_built_one():
    """The compare scripts' shortcut changes no result."""
    build = MODELS["bilstm_con"]
    _, _, first_seed = repeat_seeds(1, 1)
    train_seed, _, weight_seed = repeat_seeds(1, 2)
    reused = reuse_model(None, build, 10, 20, first_seed)
    train_model(reused, 10, 30, np.random.default_rng(0), verbose=0)
    reused = reuse_model(reused, build, 10, 20, weight_seed)
    again = train_model(
        reused, 10, 40, np.random.default_rng(train_seed), verbose=0
    )
    fresh = reuse_model(None, build, 10, 20, weight_seed)
    new = train_model(
        fresh, 10, 40, np.random.default_rng(train_seed), verbose=0
    )
    np.testing.assert_allclose(again["loss"], new["loss"], rtol=1e-5)


def test_interrupted_training_carries_what_it_finished(monkeypatch):
    model = get_lstm_model(5)
    calls = 0
    original = model.train_on_batch

    def stop_on_fourth(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(model, "train_on_batch", stop_on_fourth)
    with pytest.raises(KeyboardInterrupt) as caught:
        train_model(model, 5, 10, np.random.default_rng(0), verbose=0)
    assert len(caught.value.history) == 3


@pytest.mark.parametrize("bad", [0, -5, 2.0, "10"])
def test_bad_epochs_raise(bad):
    with pytest.raises(ValueError, match="n_epochs must be a positive"):
        train_model(get_lstm_model(5), 5, bad, verbose=0)


# Learning. Margins were checked on seeds 1-10 (see README, "Tests"): the
# LSTM beat the baseline on 200 sequences by 0.023-0.060, the BiLSTM by
# 0.044-0.070, and the BiLSTM's mean loss over epochs 1-150 was 0.37-0.42
# against the LSTM's 0.53-0.59.
@pytest.fixture(scope="module")
def trained():
    results = {}
    for name, build in [
        ("lstm", lambda: get_lstm_model(10)),
        ("bilstm", lambda: get_bi_lstm_model(10)),
    ]:
        keras.utils.set_random_seed(1)
        model = build()
        history = train_model(
            model, 10, 1000, np.random.default_rng(1), verbose=0
        )
        accuracy, baseline = evaluate_model(
            model, 10, 200, np.random.default_rng(1001)
        )
        results[name] = history, accuracy, baseline
    return results


def test_lstm_beats_the_position_baseline(trained):
    _, accuracy, baseline = trained["lstm"]
    assert accuracy > baseline + 0.01


def test_bilstm_beats_the_position_baseline(trained):
    _, accuracy, baseline = trained["bilstm"]
    assert accuracy > baseline + 0.02


def test_bilstm_learns_faster_than_lstm(trained):
    lstm_loss = trained["lstm"][0]["loss"].loc[1:150].mean()
    bilstm_loss = trained["bilstm"][0]["loss"].loc[1:150].mean()
    assert bilstm_loss < lstm_loss - 0.05

"""Training: what train_model computes, and what the models learn."""

import argparse
import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import keras
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, script_env

import bilstm_classifier
import compare_directions
import compare_merge_modes
import lstm_classifier
from data import get_sequence, get_sequences
from support import evaluation, interrupts, repeats, report, speed
from support.repeats import Repeat

TRAIN_MODEL_COPIES = [
    lstm_classifier.train_model,
    bilstm_classifier.train_model,
    compare_directions.train_model,
    compare_merge_modes.train_model,
]


def test_train_model_returns_one_loss_per_epoch():
    keras.utils.set_random_seed(0)
    model = lstm_classifier.get_lstm_model(10)
    losses = lstm_classifier.train_model(model, 10, n_epochs=7, rng=0)
    assert isinstance(losses, list) and len(losses) == 7
    assert all(isinstance(x, float) and x > 0 for x in losses)


def test_comparison_train_model_defaults_to_the_tutorials_250_epochs():
    model = compare_directions.get_lstm_model(3, False, units=2)
    assert len(compare_directions.train_model(model, 3)) == 250


def test_each_epoch_uses_a_fresh_sequence(monkeypatch):
    seen = []

    def recording_get_sequence(n_timesteps, rng=None):
        X, y = get_sequence(n_timesteps, rng)
        seen.append(X)
        return X, y

    monkeypatch.setattr(
        compare_directions, "get_sequence", recording_get_sequence
    )
    model = compare_directions.get_lstm_model(5, False)
    compare_directions.train_model(
        model, 5, n_epochs=6, rng=1
    )  # an int seed too
    assert len(seen) == 6
    assert len({x.tobytes() for x in seen}) == 6


@pytest.mark.parametrize("bad", ["1", 2.5, [3]])
def test_train_model_rng_of_another_kind_is_a_type_error(bad):
    model = compare_directions.get_lstm_model(5, False)
    with pytest.raises(TypeError, match="rng must be"):
        compare_directions.train_model(model, 5, n_epochs=2, rng=bad)


def test_train_on_batch_is_the_tutorials_fit_step():
    """One train_on_batch = one fit(epochs=1, batch_size=1), loss and all.

    The fit side is the model exactly as the tutorial compiles it; the
    other goes through speed.tune, so this also checks that the speed
    settings change nothing but the speed.
    """
    keras.utils.set_random_seed(5)
    by_fit = lstm_classifier.get_lstm_model(10)
    by_batch = speed.tune(lstm_classifier.get_lstm_model(10))
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


def test_train_model_works_with_either_compile():
    """With metrics=['acc'] (classifier listings) and without (comparisons)."""
    with_acc = bilstm_classifier.get_bi_lstm_model(4, "sum", units=3)
    without = compare_merge_modes.get_bi_lstm_model(4, "sum", units=3)
    for train_model in TRAIN_MODEL_COPIES:
        for model in (with_acc, without):
            assert len(train_model(model, 4, n_epochs=3, rng=0)) == 3


def test_copies_of_train_model_give_the_same_losses():
    """The same seed gives the same losses from every script's copy."""
    compiled = {}
    runs = []
    for train_model in TRAIN_MODEL_COPIES:
        keras.utils.set_random_seed(4)
        fresh = compare_directions.get_lstm_model(10, False)
        model = speed.reuse(compiled, "lstm", fresh)  # one trace for all
        runs.append(
            train_model(model, 10, n_epochs=15, rng=np.random.default_rng(4))
        )
    for losses in runs[1:]:
        assert losses == runs[0]


def layer_configs(model):
    """Each layer's configuration, without the names Keras numbers."""

    def strip(config):
        if isinstance(config, dict):
            return {k: strip(v) for k, v in config.items() if k != "name"}
        if isinstance(config, list):
            return [strip(v) for v in config]
        return config

    return [(type(x).__name__, strip(x.get_config())) for x in model.layers]


@pytest.mark.parametrize(
    "copies",
    [
        [
            lambda: lstm_classifier.get_lstm_model(10),
            lambda: compare_directions.get_lstm_model(10, False),
        ],
        [
            lambda: bilstm_classifier.get_bi_lstm_model(10, "concat"),
            lambda: compare_directions.get_bi_lstm_model(10, "concat"),
            lambda: compare_merge_modes.get_bi_lstm_model(10, "concat"),
        ],
    ],
    ids=["get_lstm_model", "get_bi_lstm_model"],
)
def test_copies_of_a_model_function_build_the_same_model(copies):
    """Same layers, same weights from the same seed, same outputs; so the
    same losses under any train_model copy."""
    X, _ = get_sequences(5, 10, np.random.default_rng(0))
    models = []
    for get_model in copies:
        keras.utils.set_random_seed(6)
        models.append(get_model())
    first = models[0]
    for model in models[1:]:
        assert layer_configs(model) == layer_configs(first)
        for a, b in zip(model.get_weights(), first.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(
            speed.predict_probabilities(model, X),
            speed.predict_probabilities(first, X),
        )


def test_tune_creates_every_variable_before_training():
    """So TensorFlow traces the train step once, not twice."""
    model = speed.tune(lstm_classifier.get_lstm_model(10))
    before = [v.path for v in model.optimizer.variables]
    assert len(before) == 2 + 2 * len(model.trainable_variables)  # m, v
    X, y = get_sequence(10, np.random.default_rng(0))
    model.train_on_batch(X, y)
    assert [v.path for v in model.optimizer.variables] == before


def test_same_seed_same_losses():
    def run():
        keras.utils.set_random_seed(4)
        model = speed.tune(lstm_classifier.get_lstm_model(10))
        return lstm_classifier.train_model(model, 10, n_epochs=20, rng=4)

    assert run() == run()


def test_reused_model_trains_like_a_newly_built_one():
    """The comparisons' shortcut (speed.reuse) changes no result."""
    compiled = {}
    get_model = compare_directions.get_lstm_model
    first = Repeat(1, 1, compiled)
    model = first.model("lstm_forw", get_model, 10, False)
    compare_directions.train_model(model, 10, n_epochs=30, rng=first.rng())
    second = Repeat(2, 1, compiled)
    reused = second.model("lstm_forw", get_model, 10, False)
    assert reused is model
    again = compare_directions.train_model(
        reused, 10, n_epochs=40, rng=second.rng()
    )
    keras.utils.set_random_seed(second.weight_seed)
    fresh = get_model(10, False)
    new = compare_directions.train_model(
        fresh, 10, n_epochs=40, rng=second.rng()
    )
    np.testing.assert_allclose(again, new, rtol=1e-5)


def test_models_of_one_repeat_start_alike_and_see_the_same_data():
    repeat = Repeat(3, 7, {})
    get_model = compare_directions.get_lstm_model
    a = repeat.model("lstm_forw", get_model, 6, False).get_weights()
    b = repeat.model("lstm_back", get_model, 6, True).get_weights()
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert np.array_equal(repeat.rng().random(5), repeat.rng().random(5))
    other = Repeat(4, 7, {})
    assert not np.array_equal(repeat.rng().random(5), other.rng().random(5))


def test_chunked_evaluation_equals_one_batch(monkeypatch):
    model = lstm_classifier.get_lstm_model(10)
    whole = evaluation.evaluate_model(model, 10, 37, 5)
    monkeypatch.setattr(evaluation, "chunk_size", lambda *_: 5)
    assert evaluation.evaluate_model(model, 10, 37, 5) == whole


# Learning. Margins were checked on seeds 1-10 (see README, "Tests"): the
# LSTM beat the baseline on 200 sequences by 0.023-0.060, the BiLSTM by
# 0.044-0.070, and the BiLSTM's mean loss over epochs 1-150 was 0.37-0.42
# against the LSTM's 0.53-0.59.
@pytest.fixture(scope="module")
def trained():
    results = {}
    for name, get_model, train_model in [
        ("lstm", lstm_classifier.get_lstm_model, lstm_classifier.train_model),
        (
            "bilstm",
            bilstm_classifier.get_bi_lstm_model,
            bilstm_classifier.train_model,
        ),
    ]:
        keras.utils.set_random_seed(1)
        model = speed.tune(get_model(10))
        losses = train_model(
            model, 10, n_epochs=1000, rng=np.random.default_rng(1)
        )
        accuracy, baseline = evaluation.evaluate_model(
            model, 10, 200, np.random.default_rng(1001)
        )
        results[name] = losses, accuracy, baseline
    return results


# The fixture is costly: keep its tests on one pytest-xdist worker.
learning = pytest.mark.xdist_group("learning")


@learning
def test_lstm_beats_the_position_baseline(trained):
    _, accuracy, baseline = trained["lstm"]
    assert accuracy > baseline + 0.01


@learning
def test_bilstm_beats_the_position_baseline(trained):
    _, accuracy, baseline = trained["bilstm"]
    assert accuracy > baseline + 0.02


@learning
def test_bilstm_learns_faster_than_lstm(trained):
    lstm_loss = np.mean(trained["lstm"][0][:150])
    bilstm_loss = np.mean(trained["bilstm"][0][:150])
    assert bilstm_loss < lstm_loss - 0.05


def test_interrupted_training_keeps_what_it_finished():
    model = lstm_classifier.get_lstm_model(5)
    original = model.train_on_batch
    calls = 0

    def stop_on_fourth(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    model.train_on_batch = stop_on_fourth
    progress = report.Progress(10, verbose=0)
    with interrupts.stop_early() as stop:
        lstm_classifier.train_model(
            model, 5, n_epochs=10, rng=0, on_epoch=progress
        )
    assert stop.exit_status == 130
    assert progress.epochs == 3 and len(progress.history["acc"]) == 3
    assert "Interrupted after 3 of 10 epochs" in progress.summary()


@pytest.mark.parametrize(
    "signal_number, status",
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
)
def test_a_signal_is_recorded_and_ends_the_block_at_a_check(
    signal_number, status
):
    interrupts.watch()
    checks = 0
    with interrupts.stop_early() as stop:
        os.kill(os.getpid(), signal_number)
        time.sleep(0.1)  # the handler has run: it only recorded the signal
        assert stop.signal == signal_number
        for checks in range(1, 4):  # noqa: B007 (read after the block)
            interrupts.check()
        raise AssertionError("check() let the block go on")
    assert checks == 1 and stop.exit_status == status
    interrupts.check()  # the block ended on that signal: no second stop
    with interrupts.stop_early() as later:
        os.kill(os.getpid(), signal.SIGTERM)  # a second signal
        time.sleep(0.1)
        interrupts.check()
        raise AssertionError("check() missed the second signal")
    assert later.exit_status == status  # the first signal decides


def test_a_signal_ignored_at_start_stays_ignored():
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup starts us
    interrupts.watch()
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL


def test_run_ids_read_back_as_text():
    """A hex id like 12e45678 would come back from the CSV as a number."""
    args = argparse.Namespace(
        models=["a"], timesteps=10, units=20, epochs=5, repeats=2, seed=1
    )
    ids = []
    for seed in range(200):
        args.seed, args.eval_sequences = seed, 100
        ids.append(repeats.run_id("compare_directions", args))
    frame = pd.read_csv(io.StringIO("run\n" + "\n".join(ids) + "\n"))
    assert frame["run"].tolist() == ids
    assert len(set(ids)) == len(ids)


# Seeds, builds (a Bidirectional), tunes, trains and saves as the scripts
# do, in a process of its own; prints whether TensorFlow got imported and
# the losses. "imported first" imports TensorFlow before anything else, so
# Keras uses it exactly as it would without speed.leave_out_tensorflow.
TENSORFLOW_LEFT_OUT = textwrap.dedent(
    """
    import json, sys
    if sys.argv[1] == "imported first":
        import tensorflow
    import compare_directions as script
    from support import seeds, speed
    seeds.seed_weights(3)
    model = speed.tune(script.get_bi_lstm_model(10, "concat"))
    losses = script.train_model(model, 10, n_epochs=20, rng=3)
    with speed.portable(model):
        model.save(sys.argv[2])
    print(json.dumps(["tensorflow" in sys.modules, losses]))
    """
)


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_tensorflow_stays_out_of_other_backends_and_nothing_changes(
    backend, tmp_path
):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed")
    runs = {}
    for how in ("left out", "imported first"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                TENSORFLOW_LEFT_OUT,
                how,
                tmp_path / "m.keras",
            ],
            cwd=ROOT,
            env={**script_env(), "KERAS_BACKEND": backend},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        runs[how] = json.loads(result.stdout.splitlines()[-1])
    assert runs["left out"][0] is False
    assert runs["imported first"][0] is True
    assert runs["left out"][1] == runs["imported first"][1]


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="TensorFlow backend only"
)
def test_tensorflow_is_not_left_out_on_its_own_backend():
    from keras.src.utils import module_utils

    speed.leave_out_tensorflow()
    assert module_utils.tensorflow.available

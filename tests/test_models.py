"""Model construction: shapes, merge modes, what each output reads."""

import keras
import numpy as np
import pytest

from bilstm_classifier import get_bi_lstm_model
from compare_directions import MODELS, get_aligned_lstm_model
from data import get_sequences
from lstm_classifier import get_lstm_model, predict_classes


def layer_output_width(model, index):
    """Features per timestep coming out of layer `index`."""
    return model.layers[index].compute_output_shape((None, 5, 1))[-1]


@pytest.mark.parametrize("n_timesteps", [1, 5, 10, 23])
@pytest.mark.parametrize("units", [1, 20, 33])
def test_lstm_output_shape(n_timesteps, units):
    model = get_lstm_model(n_timesteps, units=units)
    X, _ = get_sequences(3, n_timesteps, np.random.default_rng(0))
    labels, probabilities = predict_classes(model, X)
    assert probabilities.shape == labels.shape == (3, n_timesteps, 1)
    assert np.all((probabilities > 0) & (probabilities < 1))
    assert set(np.unique(labels)) <= {0, 1}
    assert layer_output_width(model, 0) == units


@pytest.mark.parametrize(
    "mode, factor",
    [
        ("sum", 1),
        ("mul", 1),
        ("ave", 1),
        ("concat", 2),
    ],
)
@pytest.mark.parametrize("units", [4, 20])
def test_merge_mode_widths(mode, factor, units):
    model = get_bi_lstm_model(10, mode, units)
    # What the TimeDistributed Dense layer receives per timestep.
    assert layer_output_width(model, 0) == factor * units
    X, _ = get_sequences(2, 10, np.random.default_rng(0))
    assert predict_classes(model, X)[1].shape == (2, 10, 1)


def test_predict_classes_agrees_with_predict():
    model = get_bi_lstm_model(10)
    X, _ = get_sequences(50, 10, np.random.default_rng(3))
    labels, probabilities = predict_classes(model, X)
    expected = model.predict(X, verbose=0)
    np.testing.assert_allclose(probabilities, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(labels, (expected > 0.5).astype("int32"))


def test_concat_doubles_the_dense_layer_inputs():
    lstm = get_lstm_model(10, units=20)
    bilstm = get_bi_lstm_model(10, "concat", 20)
    dense_lstm = lstm.layers[-1].layer.kernel.shape
    dense_bilstm = bilstm.layers[-1].layer.kernel.shape
    assert dense_lstm == (20, 1) and dense_bilstm == (40, 1)


def test_every_comparison_model_builds_and_predicts():
    X, _ = get_sequences(2, 6, np.random.default_rng(0))
    for name, build in MODELS.items():
        model = build(6, 8)
        assert predict_classes(model, X)[1].shape == (2, 6, 1), name


@pytest.mark.parametrize(
    "call",
    [
        lambda: get_lstm_model(0),
        lambda: get_lstm_model(10, units=-1),
        lambda: get_bi_lstm_model(10, "max"),
        lambda: get_bi_lstm_model(10, units=0),
        lambda: get_aligned_lstm_model(2.5),
    ],
)
def test_bad_model_arguments_raise_value_error(call):
    with pytest.raises(ValueError, match="must be"):
        call()


def changed_outputs(model, position, n_timesteps=8):
    """Timesteps whose output moves when input `position` alone changes."""
    X, _ = get_sequences(1, n_timesteps, np.random.default_rng(7))
    X_changed = X.copy()
    X_changed[0, position, 0] = 1.0 - X_changed[0, position, 0] + 0.5
    before = np.asarray(model.predict_on_batch(X))[0, :, 0]
    after = np.asarray(model.predict_on_batch(X_changed))[0, :, 0]
    return set(np.flatnonzero(np.abs(after - before) > 1e-6))


def seeded(build):
    keras.utils.set_random_seed(3)
    return build()


def test_forward_lstm_output_t_reads_inputs_up_to_t():
    model = seeded(lambda: get_lstm_model(8))
    assert changed_outputs(model, 0) == set(range(8))
    assert changed_outputs(model, 7) == {7}


def test_tutorial_backward_lstm_outputs_are_in_reversed_time_order():
    # go_backwards as used in the tutorial: output 0 has read only x[7],
    # and x[0] reaches only the last output.
    model = seeded(lambda: get_lstm_model(8, backwards=True))
    assert changed_outputs(model, 0) == {7}
    assert changed_outputs(model, 7) == set(range(8))
    for position in range(7):
        assert 0 not in changed_outputs(model, position)


def test_aligned_backward_lstm_output_t_reads_inputs_from_t_on():
    model = seeded(lambda: get_aligned_lstm_model(8))
    assert changed_outputs(model, 0) == {0}
    assert changed_outputs(model, 7) == set(range(8))
    assert changed_outputs(model, 3) == {0, 1, 2, 3}


def test_aligned_model_is_the_backward_model_with_outputs_flipped():
    keras.utils.set_random_seed(11)
    back = get_lstm_model(8, backwards=True)
    aligned = get_aligned_lstm_model(8)
    aligned.set_weights(back.get_weights())
    X, _ = get_sequences(4, 8, np.random.default_rng(2))
    np.testing.assert_allclose(
        np.asarray(aligned.predict_on_batch(X)),
        np.asarray(back.predict_on_batch(X))[:, ::-1],
        rtol=1e-5,
        atol=1e-6,
    )


def test_bidirectional_output_t_reads_the_whole_sequence():
    model = seeded(lambda: get_bi_lstm_model(8))
    assert changed_outputs(model, 0) == set(range(8))
    assert changed_outputs(model, 7) == set(range(8))

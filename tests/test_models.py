"""Model construction: shapes, merge modes, what each output reads."""

import keras
import numpy as np
import pytest

import bilstm_classifier
import compare_directions
import compare_merge_modes
import lstm_classifier
from data import get_sequences
from support import speed

BI_LSTM_COPIES = [
    bilstm_classifier.get_bi_lstm_model,
    compare_directions.get_bi_lstm_model,
    compare_merge_modes.get_bi_lstm_model,
]


def layer_output_width(model, index):
    """Features per timestep coming out of layer `index`."""
    return model.layers[index].compute_output_shape((None, 5, 1))[-1]


def predict(model, X):
    return speed.predict_probabilities(model, X)


@pytest.mark.parametrize("n_timesteps", [1, 5, 10, 23])
@pytest.mark.parametrize("units", [1, 20, 33])
def test_lstm_output_shape(n_timesteps, units):
    model = lstm_classifier.get_lstm_model(n_timesteps, units=units)
    X, _ = get_sequences(3, n_timesteps, np.random.default_rng(0))
    probabilities = predict(model, X)
    assert probabilities.shape == (3, n_timesteps, 1)
    assert np.all((probabilities > 0) & (probabilities < 1))
    assert layer_output_width(model, 0) == units


@pytest.mark.parametrize(
    "mode, factor", [("sum", 1), ("mul", 1), ("ave", 1), ("concat", 2)]
)
@pytest.mark.parametrize("get_bi_lstm_model", BI_LSTM_COPIES)
def test_merge_mode_widths(get_bi_lstm_model, mode, factor):
    model = get_bi_lstm_model(10, mode, units=4)
    # What the TimeDistributed Dense layer receives per timestep.
    assert layer_output_width(model, 0) == factor * 4
    X, _ = get_sequences(2, 10, np.random.default_rng(0))
    assert predict(model, X).shape == (2, 10, 1)


def test_models_compile_as_the_tutorial_does():
    """Classifier listings add metrics=['acc']; comparisons have none."""
    configs = {
        "lstm": lstm_classifier.get_lstm_model(10).get_compile_config(),
        "bilstm": bilstm_classifier.get_bi_lstm_model(10).get_compile_config(),
        "forw": compare_directions.get_lstm_model(
            10, False
        ).get_compile_config(),
        "aligned": compare_directions.get_aligned_lstm_model(
            10
        ).get_compile_config(),
        "modes": compare_merge_modes.get_bi_lstm_model(
            10, "sum"
        ).get_compile_config(),
    }
    for name, config in configs.items():
        assert config["loss"] == "binary_crossentropy", name
        assert config["optimizer"]["class_name"] == "Adam", name
        expected = ["acc"] if name in ("lstm", "bilstm") else None
        assert config["metrics"] == expected, name


def test_predict_probabilities_agrees_with_predict():
    model = bilstm_classifier.get_bi_lstm_model(10)
    X, _ = get_sequences(50, 10, np.random.default_rng(3))
    expected = model.predict(X, verbose=0)
    np.testing.assert_allclose(
        predict(model, X), expected, rtol=1e-5, atol=1e-6
    )


def test_concat_doubles_the_dense_layer_inputs():
    lstm = lstm_classifier.get_lstm_model(10, units=20)
    bilstm = bilstm_classifier.get_bi_lstm_model(10, "concat", units=20)
    assert lstm.layers[-1].layer.kernel.shape == (20, 1)
    assert bilstm.layers[-1].layer.kernel.shape == (40, 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: lstm_classifier.get_lstm_model(10, units=-1),
        lambda: compare_directions.get_lstm_model(10, False, units=0),
        lambda: bilstm_classifier.get_bi_lstm_model(10, "max"),
        lambda: compare_merge_modes.get_bi_lstm_model(10, "max"),
    ],
)
def test_bad_model_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def changed_outputs(model, position, n_timesteps=8):
    """Timesteps whose output moves when input `position` alone changes."""
    X, _ = get_sequences(1, n_timesteps, np.random.default_rng(7))
    X_changed = X.copy()
    X_changed[0, position, 0] = 1.0 - X_changed[0, position, 0] + 0.5
    before = predict(model, X)[0, :, 0]
    after = predict(model, X_changed)[0, :, 0]
    return set(np.flatnonzero(np.abs(after - before) > 1e-6))


def seeded(build):
    keras.utils.set_random_seed(3)
    return build()


def test_forward_lstm_output_t_reads_inputs_up_to_t():
    model = seeded(lambda: compare_directions.get_lstm_model(8, False))
    assert changed_outputs(model, 0) == set(range(8))
    assert changed_outputs(model, 7) == {7}


def test_tutorial_backward_lstm_outputs_are_in_reversed_time_order():
    # go_backwards as used in the tutorial: output 0 has read only x[7],
    # and x[0] reaches only the last output.
    model = seeded(lambda: compare_directions.get_lstm_model(8, True))
    assert changed_outputs(model, 0) == {7}
    assert changed_outputs(model, 7) == set(range(8))
    for position in range(7):
        assert 0 not in changed_outputs(model, position)


def test_aligned_backward_lstm_output_t_reads_inputs_from_t_on():
    model = seeded(lambda: compare_directions.get_aligned_lstm_model(8))
    assert changed_outputs(model, 0) == {0}
    assert changed_outputs(model, 7) == set(range(8))
    assert changed_outputs(model, 3) == {0, 1, 2, 3}


def test_aligned_model_is_the_backward_model_with_outputs_flipped():
    keras.utils.set_random_seed(11)
    back = compare_directions.get_lstm_model(8, True)
    aligned = compare_directions.get_aligned_lstm_model(8)
    aligned.set_weights(back.get_weights())
    X, _ = get_sequences(4, 8, np.random.default_rng(2))
    np.testing.assert_allclose(
        predict(aligned, X), predict(back, X)[:, ::-1], rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("get_bi_lstm_model", BI_LSTM_COPIES)
def test_bidirectional_output_t_reads_the_whole_sequence(get_bi_lstm_model):
    model = seeded(lambda: get_bi_lstm_model(8, "concat"))
    assert changed_outputs(model, 0) == set(range(8))
    assert changed_outputs(model, 7) == set(range(8))

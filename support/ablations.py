"""Ours, for section 5: models that ask why the BiLSTM is right sooner
(compare_directions.py --models ... bilstm_blind lstm_twin_blind), and the
size of a forward LSTM with the BiLSTM's weights (lstm_wide).

Each is the tutorial's model with one thing changed: a half that reads
zeros instead of the values has the same weights and merge, and learns
from how many steps it has read (the position), never from a value."""

import numpy as np
from keras import Input, Model, ops
from keras.layers import LSTM, Concatenate, Dense, Lambda, TimeDistributed


def flip_time(h):
    """go_backwards returns the last timestep's output first: flip it."""
    return ops.flip(h, axis=1)


def get_blind_bi_lstm_model(n_timesteps, *, units=20, backwards=True):
    """The BiLSTM (concat) whose backward half reads zeros: at timestep t
    it knows how many steps remain, and nothing else. backwards=False:
    the forward twin, a second forward LSTM reading zeros (it knows how
    many steps have passed, as the forward half does already)."""
    inputs = Input(shape=(n_timesteps, 1))
    forward = LSTM(units, return_sequences=True)(inputs)
    zeros = Lambda(ops.zeros_like, name="zeros")(inputs)
    blind = LSTM(units, return_sequences=True, go_backwards=backwards)(zeros)
    if backwards:
        blind = Lambda(flip_time, name="flip_time")(blind)
    merged = Concatenate()([forward, blind])  # as merge_mode="concat"
    outputs = TimeDistributed(Dense(1, activation="sigmoid"))(merged)
    model = Model(inputs, outputs)
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def get_twin_blind_lstm_model(n_timesteps, *, units=20):
    """The forward twin: see get_blind_bi_lstm_model."""
    return get_blind_bi_lstm_model(n_timesteps, units=units, backwards=False)


def same_size_units(units):
    """LSTM units for about the BiLSTM's weights (20 -> 29 units)."""
    bilstm = 2 * (4 * units * (units + 2) + units) + 1  # + Dense 2u + 1
    lstm = [4 * v * (v + 2) + v + 1 for v in range(2 * units + 2)]
    return int(np.argmin(np.abs(np.array(lstm) - bilstm)))

"""The tutorial's section-5 listing, changed only where Keras 3 needs it.

Used by scaling.py as the yardstick for the comparisons: three models, one
model.fit call per training sequence, 250 sequences each, run once.
Changes: keras.Input instead of input_shape=, and the picture is saved
(section5.png in the working directory) instead of shown.
"""

from random import random

import keras
from keras.layers import LSTM, Bidirectional, Dense, TimeDistributed
from matplotlib import pyplot
from numpy import array, cumsum
from pandas import DataFrame


def get_sequence(n_timesteps):
    X = array([random() for _ in range(n_timesteps)])
    limit = n_timesteps / 4.0
    y = array([0 if x < limit else 1 for x in cumsum(X)])
    X = X.reshape(1, n_timesteps, 1)
    y = y.reshape(1, n_timesteps, 1)
    return X, y


def get_lstm_model(n_timesteps, backwards):
    model = keras.Sequential()
    model.add(keras.Input(shape=(n_timesteps, 1)))
    model.add(LSTM(20, return_sequences=True, go_backwards=backwards))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def get_bi_lstm_model(n_timesteps, mode):
    model = keras.Sequential()
    model.add(keras.Input(shape=(n_timesteps, 1)))
    model.add(Bidirectional(LSTM(20, return_sequences=True), merge_mode=mode))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def train_model(model, n_timesteps):
    loss = list()
    for _ in range(250):
        X, y = get_sequence(n_timesteps)
        hist = model.fit(X, y, epochs=1, batch_size=1, verbose=0)
        loss.append(hist.history["loss"][0])
    return loss


n_timesteps = 10
results = DataFrame()
model = get_lstm_model(n_timesteps, False)
results["lstm_forw"] = train_model(model, n_timesteps)
model = get_lstm_model(n_timesteps, True)
results["lstm_back"] = train_model(model, n_timesteps)
model = get_bi_lstm_model(n_timesteps, "concat")
results["bilstm_con"] = train_model(model, n_timesteps)
results.plot()
pyplot.savefig("section5.png")

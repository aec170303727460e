# The tutorial's section 6 listing, "Comparing Bidirectional LSTM Merge
# Modes" (section 5's functions, then its own code), with only the changes
# Keras 3 needs, each marked "Keras 3". It imports nothing from this
# project; compare_merge_modes.py runs it, repeated.
from random import random
from numpy import array
from numpy import cumsum
from matplotlib import pyplot
from pandas import DataFrame
from keras.models import Sequential
from keras.layers import Input  # Keras 3: a model starts with an Input
from keras.layers import LSTM
from keras.layers import Dense
from keras.layers import TimeDistributed
from keras.layers import Bidirectional


# create a sequence classification instance
def get_sequence(n_timesteps):
    # create a sequence of random numbers in [0,1]
    X = array([random() for _ in range(n_timesteps)])
    # calculate cut-off value to change class values
    limit = n_timesteps / 4.0
    # determine the class outcome for each item in cumulative sequence
    y = array([0 if x < limit else 1 for x in cumsum(X)])
    # reshape input and output data to be suitable for LSTMs
    X = X.reshape(1, n_timesteps, 1)
    y = y.reshape(1, n_timesteps, 1)
    return X, y


def get_lstm_model(n_timesteps, backwards):
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(LSTM(20, return_sequences=True, go_backwards=backwards))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def get_bi_lstm_model(n_timesteps, mode):
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(Bidirectional(LSTM(20, return_sequences=True), merge_mode=mode))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def train_model(model, n_timesteps):
    loss = list()
    for _ in range(250):
        # generate new random sequence
        X, y = get_sequence(n_timesteps)
        # fit model for one epoch on this sequence
        hist = model.fit(X, y, epochs=1, batch_size=1, verbose=0)
        loss.append(hist.history["loss"][0])
    return loss


n_timesteps = 10
results = DataFrame()
# sum merge
model = get_bi_lstm_model(n_timesteps, "sum")
results["bilstm_sum"] = train_model(model, n_timesteps)
# mul merge
model = get_bi_lstm_model(n_timesteps, "mul")
results["bilstm_mul"] = train_model(model, n_timesteps)
# avg merge
model = get_bi_lstm_model(n_timesteps, "ave")
results["bilstm_ave"] = train_model(model, n_timesteps)
# concat merge
model = get_bi_lstm_model(n_timesteps, "concat")
results["bilstm_con"] = train_model(model, n_timesteps)
# line plot of results
results.plot()
pyplot.show()

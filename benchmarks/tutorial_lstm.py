"""The tutorial's complete LSTM listing, changed only where Keras 3 needs it.

Used by bench_training.py as the "before" in the end-to-end timing: one
model.fit call per training sequence, one predict call to evaluate.
Changes: keras.Input instead of input_shape=, and a 0.5 threshold instead
of the removed predict_classes.
"""

from random import random

import keras
from keras.layers import LSTM, Dense, TimeDistributed
from numpy import array, cumsum


def get_sequence(n_timesteps):
    X = array([random() for _ in range(n_timesteps)])
    limit = n_timesteps / 4.0
    y = array([0 if x < limit else 1 for x in cumsum(X)])
    return X.reshape(1, n_timesteps, 1), y.reshape(1, n_timesteps, 1)


n_timesteps = 10
model = keras.Sequential()
model.add(keras.Input(shape=(n_timesteps, 1)))
model.add(LSTM(20, return_sequences=True))
model.add(TimeDistributed(Dense(1, activation="sigmoid")))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["acc"])
for _ in range(1000):
    X, y = get_sequence(n_timesteps)
    model.fit(X, y, epochs=1, batch_size=1, verbose=2)
X, y = get_sequence(n_timesteps)
yhat = (model.predict(X, verbose=0) > 0.5).astype("int32")
for i in range(n_timesteps):
    print("Expected:", y[0, i], "Predicted", yhat[0, i])

# The tutorial's section 4 listing, "Bidirectional LSTM For Sequence
# Classification", with only the changes Keras 3 needs, each marked
# "Keras 3". It imports nothing from this project; bilstm_classifier.py
# is the same, commented.
from random import random
from numpy import array
from numpy import cumsum
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


# define problem properties
n_timesteps = 10
# define LSTM
model = Sequential()
model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
model.add(Bidirectional(LSTM(20, return_sequences=True)))
model.add(TimeDistributed(Dense(1, activation="sigmoid")))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["acc"])
# train LSTM
for epoch in range(1000):
    # generate new random sequence
    X, y = get_sequence(n_timesteps)
    # fit model for one epoch on this sequence
    model.fit(X, y, epochs=1, batch_size=1, verbose=2)
# evaluate LSTM
X, y = get_sequence(n_timesteps)
yhat = (model.predict(X, verbose=0) > 0.5).astype(
    "int32"
)  # Keras 3: no predict_classes
for i in range(n_timesteps):
    print("Expected:", y[0, i], "Predicted", yhat[0, i])

"""Compare LSTM to Bidirectional LSTM (tutorial section 5).

The tutorial trains a forward, a backward and a Bidirectional LSTM for 250
epochs each and plots one loss curve per model. One run's loss moves by
0.04-0.06 between epochs (median; over 0.19 one time in ten), so this script
runs the listing --repeats times, paired (in repeat r every model starts from
the same seed and sees the same sequences; --jobs N workers give the same
files), and prints and plots means with 95% bands, overall and by timestep.

The models (--models; the default is the first four):
  lstm_forw          the LSTM reading the sequence first to last.
  lstm_back          the tutorial's backward LSTM (go_backwards=True), kept
                     though misleading: its output t, compared with label t,
                     has read x[n-1] ... x[n-1-t] (reversed time order).
  lstm_back_aligned  the correction: the same LSTM with its outputs flipped
                     back, so output t has read x[t] ... x[n-1].
  bilstm_con         the Bidirectional LSTM, outputs concatenated.
  lstm_wide          ours, a control: a forward LSTM with about as many
                     weights as bilstm_con (29 units for 20).

Writes into --out (default results/), the CSVs after every repeat:
compare_directions.csv (losses), _by_timestep.csv (test results by
timestep), _summary.csv and .txt, and pictures .png and _by_timestep.png.

Run:
    python compare_directions.py
    python compare_directions.py --repeats 10 --models lstm_forw lstm_wide
"""

import sys

# first, so that a Ctrl-C while Keras loads ends without a traceback
from support import interrupts  # isort: split

import numpy as np
from keras import Input, Sequential, ops
from keras.layers import LSTM, Bidirectional, Dense, Lambda, TimeDistributed
from pandas import DataFrame

from data import get_sequence
from support import flags, repeats


def get_lstm_model(n_timesteps, backwards, *, units=20):
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(LSTM(units, return_sequences=True, go_backwards=backwards))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def get_aligned_lstm_model(n_timesteps, *, units=20):
    """Correction: a backward LSTM whose output t is compared with label t."""
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))
    model.add(LSTM(units, return_sequences=True, go_backwards=True))
    # go_backwards returns the last timestep's output first: flip it back
    model.add(Lambda(lambda h: ops.flip(h, axis=1), name="flip_time"))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def get_bi_lstm_model(n_timesteps, mode, *, units=20):
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(
        Bidirectional(LSTM(units, return_sequences=True), merge_mode=mode)
    )
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def train_model(model, n_timesteps, *, n_epochs=250, rng=None, on_epoch=None):
    # ours: rng as get_sequence takes it; a seed makes the data repeat
    kinds = (type(None), int, np.integer, np.random.SeedSequence)
    if isinstance(rng, (bool, np.bool_)) or not isinstance(
        rng, (*kinds, np.random.Generator)
    ):
        raise TypeError(
            "rng must be None, an int seed or a numpy.random.Generator,"
            f" got {rng!r}"
        )
    rng = np.random.default_rng(rng)  # a Generator comes back as it is
    loss = list()
    for _ in range(n_epochs):
        # generate new random sequence
        X, y = get_sequence(n_timesteps, rng)
        # fit model for one epoch on this sequence (speed: train_on_batch
        # takes the same single step as fit(epochs=1), without its set-up)
        logs = model.train_on_batch(X, y, return_dict=True)
        loss.append(float(logs["loss"]))
        if on_epoch is not None:  # ours: a signal stops the repeat here
            on_epoch(logs)
    return loss


def same_size_units(units):
    """Ours: LSTM units for about the BiLSTM's weights (20 -> 29 units)."""
    bilstm = 2 * (4 * units * (units + 2) + units) + 1  # + Dense 2u + 1
    lstm = [4 * v * (v + 2) + v + 1 for v in range(2 * units + 2)]
    return int(np.argmin(np.abs(np.array(lstm) - bilstm)))


# The listing's models: column name -> model function and its arguments.
MODELS = {
    "lstm_forw": (get_lstm_model, False),
    "lstm_back": (get_lstm_model, True),
    "lstm_back_aligned": (get_aligned_lstm_model,),  # ours: the correction
    "bilstm_con": (get_bi_lstm_model, "concat"),
    "lstm_wide": (get_lstm_model, False),  # ours: the BiLSTM's size
}
# The default run: the tutorial's three models and our correction.
DEFAULT_MODELS = ["lstm_forw", "lstm_back", "lstm_back_aligned", "bilstm_con"]


def listing(repeat, args):
    """The tutorial's listing once: one column of losses per model."""
    n_timesteps = args.timesteps
    results = DataFrame()
    for name in args.models:
        get_model, *options = MODELS[name]
        units = args.units  # ours: lstm_wide has the BiLSTM's weights
        units = same_size_units(units) if name == "lstm_wide" else units
        # ours: the repeat's seed, so every model starts alike
        model = repeat.model(
            name, get_model, n_timesteps, *options, units=units
        )
        results[name] = train_model(
            model,
            n_timesteps,
            n_epochs=args.epochs,
            rng=repeat.rng(),
            on_epoch=interrupts.check,  # ours: Ctrl-C ends the repeat
        )
    return results


def main(argv=None):
    args = flags.parse_comparison(__doc__, list(MODELS), argv, DEFAULT_MODELS)
    # ours: the listing --repeats times (--jobs), CSVs saved after each
    comparison = repeats.run("compare_directions", listing, args)
    # line plot of results (ours: mean, 95% band, summary; exit status)
    return repeats.finish(comparison)


if __name__ == "__main__":
    sys.exit(main())

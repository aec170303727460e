"""Comparing Bidirectional LSTM merge modes (tutorial section 6).

A Bidirectional layer runs a forward and a backward LSTM and must combine
their two outputs at each timestep before the Dense layer: add them (sum),
multiply them element by element (mul), average them (ave) or put them
side by side (concat, the default, which doubles the features the Dense
layer sees). The tutorial trains one model per mode for 250 epochs and
plots the four loss curves; as in compare_directions.py, this script runs
that listing --repeats times with paired seeds (in --jobs worker
processes), plots the mean curves with 95% bands, and prints a summary
with confidence intervals, overall and by timestep.

The models (--models, default all): bilstm_sum, bilstm_mul, bilstm_ave,
bilstm_con. Seeds are derived as in compare_directions.py, so bilstm_con
gives the same losses in both scripts.

Writes into --out (default results/), the CSVs after every repeat:
  compare_merge_modes.csv              run, model, repeat, epoch, loss
  compare_merge_modes_by_timestep.csv  ... timestep, loss, accuracy, baseline
  compare_merge_modes_summary.csv      the summary table (.txt: all tables)
  compare_merge_modes[_by_timestep].png  the pictures of the two CSVs

Run:
    python compare_merge_modes.py
    python compare_merge_modes.py --repeats 10 --models bilstm_sum bilstm_mul
"""

import sys

# first, so that a Ctrl-C while Keras loads ends without a traceback
from support import interrupts  # isort: split

import numpy as np
from keras import Input, Sequential
from keras.layers import LSTM, Bidirectional, Dense, TimeDistributed
from pandas import DataFrame

from data import get_sequence
from support import flags, repeats


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


# The listing's models: column name -> merge mode.
MERGE_MODES = {
    "bilstm_sum": "sum",
    "bilstm_mul": "mul",
    "bilstm_ave": "ave",
    "bilstm_con": "concat",
}


def listing(repeat, args):
    """The tutorial's listing once: one column of losses per mode."""
    n_timesteps = args.timesteps
    results = DataFrame()
    for name in args.models:
        mode = MERGE_MODES[name]
        # ours: the repeat's seed, so every model starts alike
        model = repeat.model(
            name, get_bi_lstm_model, n_timesteps, mode, units=args.units
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
    args = flags.parse_comparison(__doc__, list(MERGE_MODES), argv)
    # ours: the listing --repeats times, in --jobs worker processes; the
    # CSVs are saved after each repeat
    comparison = repeats.run("compare_merge_modes", listing, args)
    # line plot of results: the mean over repeats with a 95% band, after
    # the summary table; returns the exit status
    return repeats.finish(comparison)


if __name__ == "__main__":
    sys.exit(main())

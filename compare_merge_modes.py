"""Comparing Bidirectional LSTM merge modes (tutorial section 6).

A Bidirectional layer adds (sum), multiplies (mul), averages (ave) or
concatenates (concat) its two directions' outputs. The tutorial's listing
(one model per mode, 250 epochs) run --repeats times, paired, with the
files and seeds of compare_directions.py (bilstm_con runs the same).

    python compare_merge_modes.py --repeats 10 --models bilstm_sum bilstm_con
"""

import sys

from support import cli, start

if __name__ == "__main__":  # ours: settings and flags, before Keras loads
    start.before_keras(__file__)
    # the models by name (MERGE_MODES, below), known before Keras loads
    models = ["bilstm_sum", "bilstm_mul", "bilstm_ave", "bilstm_con"]
    cli.parse_comparison(__file__, __doc__, models, sys.argv[1:])

from keras import Input, Sequential
from keras.layers import LSTM, Bidirectional, Dense, TimeDistributed
from pandas import DataFrame

from data import as_generator, get_sequence
from support import ending, experiment


def get_bi_lstm_model(n_timesteps, mode, *, units=20):
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(
        Bidirectional(LSTM(units, return_sequences=True), merge_mode=mode)
    )
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def train_model(
    model, n_timesteps, *, n_epochs=250, rng=None, on_epoch=None, rule="cumsum"
):
    rng = as_generator(rng)  # ours: a seed or a Generator repeats the data
    loss = list()
    for _ in range(n_epochs):
        # generate new random sequence
        X, y = get_sequence(n_timesteps, rng=rng, rule=rule)  # ours: rule
        # fit model for one epoch on this sequence (speed: train_on_batch
        # takes fit(epochs=1)'s single step without its set-up)
        logs = model.train_on_batch(X, y, return_dict=True)
        loss.append(float(logs["loss"]))
        if on_epoch is not None:  # ours: tests as it learns; Ctrl-C
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
    """The tutorial's listing once: one column of losses per merge mode."""
    n_timesteps = args.timesteps
    results = DataFrame()
    for name in args.models:
        # ours: the repeat's weights (speed: compiled once, see support)
        model = repeat.model(
            name,
            get_bi_lstm_model,
            n_timesteps,
            MERGE_MODES[name],
            units=args.units,
        )
        results[name] = train_model(
            model,
            n_timesteps,
            n_epochs=args.epochs,
            rng=repeat.rng(),  # ours: the repeat's sequences
            on_epoch=repeat.on_epoch(name),  # ours: tests, Ctrl-C
            rule=args.labels,  # ours: the tutorial's labels, or midpoint
        )
    return results


def main(argv=None):
    models = list(MERGE_MODES)
    args = cli.parse_comparison(__file__, __doc__, models, argv)
    with ending.watch():  # ours: Ctrl-C keeps every finished repeat
        # ours: the listing --repeats times, paired; CSVs after each
        comparison = experiment.run("compare_merge_modes", listing, args)
        # line plot of results (ours: means, 95% bands, the summary)
        experiment.finish(comparison, args, reference="bilstm_con")
    return ending.status()


if __name__ == "__main__":
    ending.run(main)  # ours: the exit status; `| head` ends quietly

"""Compare LSTM to Bidirectional LSTM (tutorial section 5).

The tutorial's listing run --repeats times, paired (in repeat r every
model starts from the same seed and trains on the same sequences), with
95% bands. Ours: lstm_back_aligned (the backward LSTM, outputs flipped
back into time order); not by default, lstm_wide (a forward LSTM of the
BiLSTM's size), bilstm_blind (the BiLSTM, its backward half reading
zeros) and lstm_twin_blind (a second forward half reading zeros); and
--labels midpoint. CSVs, summary, pictures in --out.

    python compare_directions.py --repeats 10 --models lstm_forw lstm_wide
"""

import sys

from support import cli, start

if __name__ == "__main__":  # ours: settings and flags, before Keras loads
    start.before_keras(__file__)
    # the models by name (MODELS, below), known before Keras loads
    models = ["lstm_forw", "lstm_back", "bilstm_con", "lstm_back_aligned"]
    models += ["lstm_wide", "bilstm_blind", "lstm_twin_blind"]
    cli.parse_comparison(__file__, __doc__, models, sys.argv[1:], models[:4])

from keras import Input, Sequential, ops
from keras.layers import LSTM, Bidirectional, Dense, Lambda, TimeDistributed
from pandas import DataFrame

from data import as_generator, get_sequence
from support import ablations, ending, experiment


def get_lstm_model(n_timesteps, backwards, *, units=20):
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(LSTM(units, return_sequences=True, go_backwards=backwards))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def get_aligned_lstm_model(n_timesteps, *, units=20):
    """Ours: a backward LSTM whose output t is compared with label t."""
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


# The listing's models: column name -> model function and its arguments.
MODELS = {
    "lstm_forw": (get_lstm_model, False),
    "lstm_back": (get_lstm_model, True),
    "bilstm_con": (get_bi_lstm_model, "concat"),
    "lstm_back_aligned": (get_aligned_lstm_model,),  # ours: the correction
    "lstm_wide": (get_lstm_model, False),  # ours: the BiLSTM's size
    "bilstm_blind": (ablations.get_blind_bi_lstm_model,),  # ours: why?
    "lstm_twin_blind": (ablations.get_twin_blind_lstm_model,),  # ours
}


def listing(repeat, args):
    """The tutorial's listing once: one column of losses per model."""
    n_timesteps = args.timesteps
    results = DataFrame()
    for name in args.models:
        get_model, *options = MODELS[name]
        units = args.units  # ours: lstm_wide has the BiLSTM's weights
        if name == "lstm_wide":
            units = ablations.same_size_units(units)
        # ours: the repeat's weights (speed: compiled once, see support)
        model = repeat.model(
            name, get_model, n_timesteps, *options, units=units
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
    models = list(MODELS)
    args = cli.parse_comparison(__file__, __doc__, models, argv, models[:4])
    with ending.watch():  # ours: Ctrl-C keeps every finished repeat
        # ours: the listing --repeats times, paired; CSVs after each
        comparison = experiment.run("compare_directions", listing, args)
        # line plot of results (ours: means, 95% bands, the summary)
        experiment.finish(comparison, args, reference="lstm_forw")
    return ending.status()


if __name__ == "__main__":
    ending.run(main)  # ours: the exit status; `| head` ends quietly

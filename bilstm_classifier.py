"""Bidirectional LSTM for sequence classification (tutorial section 4).

lstm_classifier.py with the LSTM wrapped in Bidirectional: one copy reads
the sequence forwards, one backwards, and their outputs are merged at each
timestep (concat: 40 features). Differences are marked as there.

    python bilstm_classifier.py --merge-mode sum --verbose 2
"""

import sys

from support import cli, start

if __name__ == "__main__":  # ours: settings and flags, before Keras loads
    start.before_keras(__file__)
    cli.parse_classifier(__file__, __doc__, sys.argv[1:], cli.MERGE_MODES)

import keras
import numpy as np
from keras import Input, Sequential
from keras.layers import LSTM, Bidirectional, Dense, TimeDistributed

from data import as_generator, get_sequence
from support import ending, files, report, speed
from support.progress import Progress


def get_bi_lstm_model(n_timesteps, mode="concat", *, units=20):
    """The tutorial's Bidirectional LSTM with the given merge mode. ours:
    section 4 builds it inline with Keras's default merge, concat; the
    function is section 6's, where `mode` has no default."""
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(
        Bidirectional(LSTM(units, return_sequences=True), merge_mode=mode)
    )
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(
        loss="binary_crossentropy", optimizer="adam", metrics=["acc"]
    )
    return model


def train_model(
    model, n_timesteps, *, n_epochs=250, rng=None, on_epoch=None, rule="cumsum"
):
    """Fit on one new sequence per epoch; return the per-epoch losses."""
    rng = as_generator(rng)  # ours: a seed or a Generator repeats the data
    loss = list()
    for _ in range(n_epochs):
        # generate new random sequence
        X, y = get_sequence(n_timesteps, rng=rng, rule=rule)  # ours: rule
        # fit model for one epoch on this sequence (speed: train_on_batch
        # takes fit(epochs=1)'s single step without its set-up)
        logs = model.train_on_batch(X, y, return_dict=True)
        loss.append(float(logs["loss"]))
        if on_epoch is not None:  # ours: progress; Ctrl-C stops here
            on_epoch(logs)
    return loss


def main(argv=None):
    args = cli.parse_classifier(__file__, __doc__, argv, cli.MERGE_MODES)
    n_timesteps = args.timesteps
    name = f"BiLSTM ({args.merge_mode})"
    # ours: what runs, on which Keras and backend
    print(report.describe_run(f"Bidirectional LSTM classifier, {name}"))
    # ours: --seed makes the weights and the sequences repeatable
    keras.utils.set_random_seed(args.seed)
    train_seed, test_seed = np.random.SeedSequence(args.seed).spawn(2)
    with ending.watch():  # ours: Ctrl-C stops training, keeps the rest
        # define LSTM
        model = get_bi_lstm_model(
            n_timesteps, args.merge_mode, units=args.units
        )
        speed.tune(model)  # speed: XLA, every variable built up front
        # train LSTM
        # ours: a progress bar (--verbose 2: the tutorial's line an epoch)
        progress = Progress(args.epochs, args.verbose)
        with ending.early():  # ours: a signal ends training, not the run
            train_model(
                model,
                n_timesteps,
                n_epochs=args.epochs,
                rng=train_seed,
                on_epoch=progress,
            )
        print(progress.summary())  # ours: the last epochs' mean loss
        # evaluate LSTM on a new sequence (ours: the first test sequence)
        X, y = get_sequence(n_timesteps, rng=test_seed)
        probabilities = model.predict(X, verbose=0)
        yhat = (probabilities > 0.5).astype("int32")  # Keras 3: no
        # predict_classes; ours: the running sum and the probability too
        print(report.format_predictions(X, y, yhat, probabilities))
        # ours: --save-model, the accuracy on many new sequences
        if args.save_model:
            speed.untune(model)  # the file: compiled as the tutorial's
            files.save_model(model, args.save_model, progress)
        report.print_accuracy(name, model, args, test_seed)
    return ending.status()


if __name__ == "__main__":
    ending.run(main)  # ours: the exit status; `| head` ends quietly

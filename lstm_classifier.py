"""LSTM for sequence classification (tutorial section 3).

An LSTM of 20 units reads the sequence one value at a time and returns its
output at every timestep; a sigmoid Dense layer at each timestep
(TimeDistributed) turns each output into the probability that the label
there is 1. Training follows the tutorial: 1000 "epochs", each one Adam
step on one freshly generated sequence. Then the tutorial's
Expected/Predicted listing for a new sequence, and the accuracy on many new
sequences beside the position-only baseline (see data.py), timestep by
timestep and on the "hard" timesteps, where the baseline is weak.

How this differs from the tutorial's listing, each marked in the code:
- Keras 3: keras.Input instead of input_shape= (which still works, with a
  warning), and a 0.5 threshold on the sigmoid output instead of the
  removed predict_classes;
- speed (same results): train_on_batch instead of fit(epochs=1), and
  support.speed's settings (XLA, variables built before training);
- ours: seeds (--seed), flags, the accuracy on --eval-sequences sequences
  beside the baseline, --save-model, and a signal stopping training early.

Run:
    python lstm_classifier.py
    python lstm_classifier.py --epochs 300 --verbose 2 --plot lstm.png
"""

import sys

# first, so that a Ctrl-C while Keras loads ends without a traceback
from support import interrupts  # isort: split

import numpy as np
from keras import Input, Sequential
from keras.layers import LSTM, Dense, TimeDistributed

from data import get_sequence
from support import flags, report, seeds, speed


def get_lstm_model(n_timesteps, *, units=20):
    """The tutorial's LSTM: one probability per timestep."""
    model = Sequential()
    model.add(Input(shape=(n_timesteps, 1)))  # Keras 3: not input_shape=
    model.add(LSTM(units, return_sequences=True))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    model.compile(
        loss="binary_crossentropy", optimizer="adam", metrics=["acc"]
    )
    return model


def train_model(model, n_timesteps, *, n_epochs=1000, rng=None, on_epoch=None):
    """Fit on one new sequence per epoch; return the per-epoch losses."""
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
        if on_epoch is not None:  # ours: progress display
            on_epoch(logs)
    return loss


def main(argv=None):
    args = flags.parse_classifier(__doc__, argv)  # bad input: exit 2
    n_timesteps = args.timesteps
    print(report.describe_run("LSTM sequence classifier"))
    # ours: --seed makes the weights and the sequences repeatable
    train_rng, test_rng = seeds.seed_classifier(args.seed)
    speed.freeze_imported_objects()  # speed only

    # define LSTM
    model = get_lstm_model(n_timesteps, units=args.units)
    speed.tune(model)  # speed only: XLA, variables built up front

    # train LSTM; a signal (Ctrl-C, SIGTERM, SIGHUP) stops it early
    progress = report.Progress(args.epochs, args.verbose)
    with interrupts.stop_early():
        train_model(
            model,
            n_timesteps,
            n_epochs=args.epochs,
            rng=train_rng,
            on_epoch=progress,
        )
    print(progress.summary())

    # evaluate LSTM on a new sequence (the first of the test sequences)
    X, y = get_sequence(n_timesteps, test_rng)
    probabilities = model.predict(X, verbose=0)
    yhat = (probabilities > 0.5).astype("int32")  # Keras 3: no predict_classes
    # print Expected and Predicted (ours: with value, sum and probability)
    print(report.format_predictions(X, y, yhat, probabilities))
    # ours: the --plot picture, and the accuracy on many new sequences
    title = f"LSTM, {progress.epochs} epochs"
    return report.finish(model, args, (X, y, probabilities), title, progress)


if __name__ == "__main__":
    sys.exit(main())

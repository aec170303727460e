"""LSTM for sequence classification (tutorial section 3).

A single LSTM layer of 20 units reads the sequence one value at a time and
returns its output at every timestep; a Dense layer with a sigmoid, applied
at each timestep (TimeDistributed), turns each output into the probability
that the label there is 1. Training follows the tutorial: 1000 "epochs",
each one optimizer step (Adam, binary cross-entropy) on one freshly
generated sequence.

After training the script prints the tutorial's Expected/Predicted table for
a new sequence, then the accuracy on many fresh sequences next to the
position-only baseline (see data.py), which is what the accuracy must beat.

Differences from the tutorial's listing, all because of Keras 3:
- the model starts with keras.Input instead of input_shape= on the LSTM;
- predict_classes is gone: we threshold the sigmoid output at 0.5;
- one train_on_batch call per sequence replaces model.fit(..., epochs=1):
  the same update and the same reported loss, far less overhead;
- seeds make a run repeatable (--seed).

Run:
    python lstm_classifier.py
    python lstm_classifier.py --epochs 300 --verbose 2 --plot lstm.png
"""

import gc
import os
import signal
import sys
import tempfile

import keras
import numpy as np
import pandas as pd
from keras import layers

from data import (
    baseline_accuracy,
    check_positive_int,
    get_sequence,
    get_sequences,
    make_parser,
    non_negative_int,
    positive_int,
)

# Progress bars and --verbose 2 report the loss averaged over this many of
# the latest epochs: one sequence's loss is too noisy to read on its own.
RUNNING_WINDOW = 50


def compile_model(model):
    """Compile with the tutorial's loss, optimizer and metric.

    On TensorFlow we ask for XLA compilation (jit_compile=True): Keras only
    turns it on by itself when a GPU is present, and on the CPU it halves the
    cost of an update while giving the same losses to float precision. JAX
    always compiles; PyTorch keeps its default (eager).

    The tutorial's metric "acc" means binary accuracy for a sigmoid output;
    passing the metric object and building Adam's state here creates every
    variable before the first update. Otherwise TensorFlow creates them
    while tracing that update and has to trace it twice (about 0.5 s).
    """
    jit_compile = True if keras.backend.backend() == "tensorflow" else "auto"
    model.compile(
        loss="binary_crossentropy",
        optimizer="adam",
        metrics=[keras.metrics.BinaryAccuracy(name="acc")],
        jit_compile=jit_compile,
    )
    model.optimizer.build(model.trainable_variables)
    return model


def get_lstm_model(n_timesteps, backwards=False, units=20):
    """The tutorial's LSTM: one value per timestep in, one probability out.

    backwards=True sets go_backwards on the LSTM, as the tutorial does in
    its comparison. Note that such an LSTM also returns its outputs in
    reversed time order (see compare_directions.py).
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    units = check_positive_int(units, "units")
    model = keras.Sequential(
        [
            keras.Input(shape=(n_timesteps, 1)),
            layers.LSTM(units, return_sequences=True, go_backwards=backwards),
            layers.TimeDistributed(layers.Dense(1, activation="sigmoid")),
        ],
        name="lstm_backwards" if backwards else "lstm",
    )
    return compile_model(model)


def history_frame(losses, accuracies):
    """Per-epoch loss and accuracy, one row per epoch, indexed from 1."""
    epochs = pd.RangeIndex(1, len(losses) + 1, name="epoch")
    return pd.DataFrame({"loss": losses, "acc": accuracies}, index=epochs)


def train_model(
    model, n_timesteps, n_epochs=1000, rng=None, verbose=1, progbar=None
):
    """Train on one fresh sequence per epoch; return the loss and accuracy.

    Each epoch generates a new sequence with `rng` and takes one optimizer
    step on it. verbose=1 shows a progress bar, 2 one line per epoch, 0
    nothing. Pass a keras.utils.Progbar as `progbar` to advance a bar that
    spans several trainings instead.

    Returns a DataFrame indexed by epoch with columns `loss` and `acc`, each
    computed on the epoch's sequence before the update (as fit reports them).
    If interrupted (Ctrl-C), the KeyboardInterrupt carries the epochs
    finished so far as its `history` attribute.
    """
    n_epochs = check_positive_int(n_epochs, "n_epochs")
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2, got {verbose!r}")
    if progbar is None and verbose == 1:
        progbar = keras.utils.Progbar(
            n_epochs, stateful_metrics=["loss", "acc"]
        )
    losses, accuracies = [], []
    try:
        for epoch in range(1, n_epochs + 1):
            X, y = get_sequence(n_timesteps, rng)
            # The tutorial calls model.fit(X, y, epochs=1, batch_size=1) here.
            # train_on_batch takes the same single Adam step and returns the
            # same loss, without fit's per-call set-up (on TensorFlow 35-40x
            # cheaper; see benchmarks/bench_training.py).
            logs = model.train_on_batch(X, y, return_dict=True)
            losses.append(float(logs["loss"]))
            accuracies.append(float(logs["acc"]))
            if verbose == 2:
                print(
                    f"Epoch {epoch}/{n_epochs} - loss: {losses[-1]:.4f}"
                    f" - acc: {accuracies[-1]:.4f}"
                )
            if progbar is not None:
                recent = [
                    ("loss", np.mean(losses[-RUNNING_WINDOW:])),
                    ("acc", np.mean(accuracies[-RUNNING_WINDOW:])),
                ]
                progbar.add(1, recent)
    except KeyboardInterrupt as interrupt:
        interrupt.history = history_frame(losses, accuracies)
        raise
    return history_frame(losses, accuracies)


def predict_classes(model, X):
    """Class labels (0/1) and probabilities for a batch of sequences.

    The whole batch goes through one call. Keras advises a direct call,
    model(X), for inputs that fit in one batch: on TensorFlow it skips
    compiling a prediction function with XLA (about 0.5 s) for one use, and
    on PyTorch both ways run eagerly anyway. JAX would run a direct call op
    by op, compiling each one (slower, and we have seen it hang when Ctrl-C
    lands mid-compile), so there predict_on_batch compiles the model once.
    """
    if keras.backend.backend() == "jax":
        probabilities = model.predict_on_batch(X)
    else:
        probabilities = model(X, training=False)
    probabilities = keras.ops.convert_to_numpy(probabilities)
    return (probabilities > 0.5).astype("int32"), probabilities


def accuracy_and_baseline(y, yhat):
    """Share of correct labels, and the position-only baseline's share."""
    return float(np.mean(yhat == y)), baseline_accuracy(y)


def evaluate_model(model, n_timesteps, n_sequences=100, rng=None):
    """Accuracy on fresh sequences and the baseline on the same sequences.

    All sequences go through the model in one batch.
    """
    X, y = get_sequences(n_sequences, n_timesteps, rng)
    yhat, _ = predict_classes(model, X)
    return accuracy_and_baseline(y, yhat)


def format_predictions(X, y, yhat, probabilities):
    """The tutorial's Expected/Predicted listing for one sequence."""
    limit = X.shape[1] / 4.0
    lines = ["Timestep  Value  Cum.sum  Expected  Predicted  P(label 1)"]
    cumsum = np.cumsum(X[0, :, 0].astype(np.float64))
    for t in range(X.shape[1]):
        lines.append(
            f"{t + 1:8d}  {X[0, t, 0]:5.3f}  {cumsum[t]:7.3f}"
            f"  {y[0, t, 0]:8d}  {yhat[0, t, 0]:9d}"
            f"  {probabilities[0, t, 0]:10.3f}"
        )
    lines.append(f"(the label turns to 1 once the cum. sum reaches {limit:g})")
    return "\n".join(lines)


def accuracy_line(accuracy, baseline, n_sequences):
    return (
        f"accuracy {accuracy:.3f} on {n_sequences} fresh sequences"
        f" (position-only baseline {baseline:.3f})"
    )


def save_atomically(path, write):
    """Call write(temporary_path), then rename the result onto `path`.

    A reader never sees a half-written file: either the old file (or none)
    or the complete new one. The temporary file keeps the target's suffix so
    writers that pick a format from the name (savefig, to_csv) still work.
    """
    directory, name = os.path.split(os.path.abspath(path))
    suffix = os.path.splitext(name)[1]
    handle, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{name}.", suffix=suffix
    )
    os.close(handle)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes files private
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def plot_sequence(path, X, y, probabilities, title):
    """Save a picture of one sequence: values, cum. sum, label, prediction."""
    from matplotlib.figure import Figure

    n_timesteps = X.shape[1]
    steps = np.arange(1, n_timesteps + 1)
    fig = Figure(figsize=(7, 6.5), layout="constrained")
    value_ax, sum_ax, label_ax = fig.subplots(3, 1, sharex=True)
    value_ax.bar(steps, X[0, :, 0], color="tab:gray")
    value_ax.set_ylabel("input value")
    value_ax.set_ylim(0, 1)
    sum_ax.plot(
        steps, np.cumsum(X[0, :, 0]), marker="o", label="cumulative sum"
    )
    sum_ax.axhline(
        n_timesteps / 4,
        color="tab:red",
        linestyle="--",
        label=f"threshold n/4 = {n_timesteps / 4:g}",
    )
    sum_ax.set_ylabel("cumulative sum")
    sum_ax.legend(loc="upper left")
    label_ax.step(
        steps, y[0, :, 0], where="mid", color="black", label="true label"
    )
    label_ax.plot(
        steps,
        probabilities[0, :, 0],
        marker="o",
        color="tab:blue",
        label="predicted P(label 1)",
    )
    label_ax.axhline(0.5, color="tab:blue", linestyle=":", linewidth=1)
    label_ax.set_ylim(-0.05, 1.05)
    label_ax.set_ylabel("label / probability")
    label_ax.set_xlabel("timestep")
    label_ax.set_xticks(
        steps if n_timesteps <= 20 else steps[:: n_timesteps // 10]
    )
    label_ax.legend(loc="upper left")
    fig.suptitle(title)
    save_atomically(path, fig.savefig)


def add_experiment_arguments(parser, epochs):
    """Flags every training script has, with the tutorial's defaults."""
    parser.add_argument(
        "--timesteps",
        type=positive_int,
        default=10,
        help="length of each sequence (default: 10)",
    )
    parser.add_argument(
        "--units",
        type=positive_int,
        default=20,
        help="LSTM memory units (default: 20)",
    )
    parser.add_argument(
        "--epochs",
        type=positive_int,
        default=epochs,
        help=f"training sequences, one update each (default: {epochs})",
    )
    parser.add_argument(
        "--seed",
        type=non_negative_int,
        default=1,
        help="random seed for data and weights (default: 1)",
    )
    parser.add_argument(
        "--eval-sequences",
        type=positive_int,
        default=100,
        help="fresh test sequences for the accuracy (default: 100)",
    )


def add_common_arguments(parser, epochs):
    """The flags both classifier scripts share, defaults from the tutorial."""
    add_experiment_arguments(parser, epochs)
    parser.add_argument(
        "--verbose",
        type=int,
        choices=(0, 1, 2),
        default=1,
        help="0 silent, 1 progress bar, 2 one line per epoch (default: 1)",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="save a picture of one test sequence to FILE",
    )


def check_plot_path(parser, path):
    """Refuse a --plot path that cannot be written, before any training."""
    if path is None:
        return
    from matplotlib.figure import Figure

    formats = sorted(Figure().canvas.get_supported_filetypes())
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    directory = os.path.dirname(os.path.abspath(path))
    if suffix not in formats:
        parser.error(
            f"argument --plot: {path!r} must end in one of "
            f".{', .'.join(formats)}"
        )
    if os.path.isdir(path):
        parser.error(f"argument --plot: {path!r} is a directory, not a file")
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        parser.error(
            f"argument --plot: cannot write {path!r}: "
            f"{directory} is not a writable directory"
        )


def freeze_imported_objects():
    """Leave every object created so far out of garbage collection.

    Importing Keras and TensorFlow creates millions of Python objects that
    live as long as the process. Python's collector walks all of them on
    each full collection and again while the process exits (over a second
    on a TensorFlow run). gc.freeze() takes them out of its way; the results
    do not change. The classifier scripts call it after
    keras.utils.set_random_seed, which on the JAX and PyTorch backends
    imports TensorFlow too when it is installed.
    """
    gc.freeze()


def describe_run(name):
    """The first output line: what runs, on which Keras and backend."""
    backend = keras.backend.backend()
    return f"{name} | Keras {keras.__version__}, backend {backend}"


def run_classifier(model, args):
    """Train, then show one prediction and the accuracy: the script body.

    Returns the exit status: 0, or 130 when Ctrl-C stopped the training.
    """
    train_rng, test_rng = (
        np.random.default_rng(s)
        for s in np.random.SeedSequence(args.seed).spawn(2)
    )
    status = 0
    try:
        history = train_model(
            model, args.timesteps, args.epochs, train_rng, verbose=args.verbose
        )
    except KeyboardInterrupt as interrupt:
        history = interrupt.history
        status = 128 + signal.SIGINT
        print(
            f"\nInterrupted after {len(history)} of {args.epochs} epochs;"
            " results below are for the model as it is now."
        )
    if len(history):
        recent = history.tail(RUNNING_WINDOW)
        print(
            f"trained {len(history)} epochs; last {len(recent)} epochs:"
            f" mean loss {recent['loss'].mean():.4f},"
            f" mean acc {recent['acc'].mean():.4f}"
        )

    # One batch of fresh test sequences; the first is shown in detail.
    X, y = get_sequences(args.eval_sequences, args.timesteps, test_rng)
    yhat, probabilities = predict_classes(model, X)
    first = slice(0, 1)  # the first sequence, still shaped (1, n, 1)
    print(
        format_predictions(
            X[first], y[first], yhat[first], probabilities[first]
        )
    )
    if args.plot:
        title = f"{model.name}, {len(history)} epochs: one new sequence"
        plot_sequence(
            args.plot, X[first], y[first], probabilities[first], title
        )
        print(f"saved {args.plot}")
    accuracy, baseline = accuracy_and_baseline(y, yhat)
    print(accuracy_line(accuracy, baseline, args.eval_sequences))
    return status


def main(argv=None):
    parser = make_parser(__doc__)
    add_common_arguments(parser, epochs=1000)
    args = parser.parse_args(argv)
    check_plot_path(parser, args.plot)

    print(describe_run("LSTM sequence classifier"))
    keras.utils.set_random_seed(args.seed)
    freeze_imported_objects()
    model = get_lstm_model(args.timesteps, units=args.units)
    return run_classifier(model, args)


if __name__ == "__main__":
    sys.exit(main())

"""What the classifiers print: the run line, progress, the tutorial's
Expected/Predicted listing, and the accuracy beside the baseline."""

import sys

import keras
import numpy as np
import pandas as pd

from data import HARD_BELOW, hard_timesteps
from support import ending, evaluation, plots, speed, summary

# The progress shows each metric averaged over this many of the latest
# epochs: one sequence's loss is too noisy to read alone.
RUNNING = 50


def describe_run(name):
    """The first line: what runs, on which Keras and backend."""
    backend = keras.backend.backend()
    return f"{name} | Keras {keras.__version__}, backend {backend}"


class Progress:
    """train_model's on_epoch: keeps every epoch's logs, shows them, and
    stops training at a signal (ending.check). verbose=1: a progress bar
    of running means that starts after the first update (so that the
    compile is not in its time estimate), or, when stdout is not a
    terminal, a plain line every tenth of the epochs; 2: one line per
    epoch, as the tutorial's fit(verbose=2); 0: nothing."""

    def __init__(self, n_epochs, verbose=1):
        self.n_epochs, self.verbose = n_epochs, verbose
        self.history = {}  # metric name -> one value per epoch
        self.bar = None
        self.terminal = sys.stdout.isatty()
        if verbose == 1:
            print(f"(progress: means over the latest {RUNNING} epochs)")

    def __call__(self, logs):
        for name in sorted(logs, key=lambda name: name != "loss"):
            self.history.setdefault(name, []).append(float(logs[name]))
        done, every = self.epochs, max(1, self.n_epochs // 10)
        if self.verbose == 2:
            values = {k: v[-1] for k, v in self.history.items()}
            self.show(f"Epoch {done}/{self.n_epochs}", values)
        elif self.verbose == 1 and self.terminal:
            if self.bar is None:
                self.bar = keras.utils.Progbar(
                    self.n_epochs, stateful_metrics=list(logs)
                )
            self.bar.update(done, list(self.means().items()))
        elif self.verbose == 1 and done % every == 0:
            self.show(f"epoch {done}/{self.n_epochs}", self.means())
        ending.check()

    def means(self):
        return {k: np.mean(v[-RUNNING:]) for k, v in self.history.items()}

    def show(self, start, values):
        text = " - ".join(f"{k}: {v:.4f}" for k, v in values.items())
        print(f"{start} - {text}")

    @property
    def epochs(self):
        """How many epochs have finished."""
        return len(self.history.get("loss", []))

    def summary(self):
        """What the training came to: interrupted?, the latest means."""
        lines = []
        if self.epochs < self.n_epochs:
            lines.append(
                f"\nInterrupted ({ending.stopped_by()}) after {self.epochs} of"
                f" {self.n_epochs} epochs; what follows is for the model as"
                " it is now."
            )
        if self.epochs:
            window = min(self.epochs, RUNNING)
            means = ", ".join(
                f"mean {k} {np.mean(v[-window:]):.4f}"
                for k, v in self.history.items()
            )
            lines.append(
                f"trained {self.epochs} epochs; last {window}: {means}"
            )
        return "\n".join(lines)


def format_predictions(X, y, yhat, probabilities):
    """The tutorial's Expected/Predicted listing for one sequence, with the
    running sum and the predicted probability beside it."""
    cumsum = np.cumsum(X[0, :, 0].astype(np.float64))
    lines = ["Timestep  Value  Cum.sum  Expected  Predicted  P(label 1)"]
    for t in range(X.shape[1]):
        lines.append(
            f"{t + 1:8d}  {X[0, t, 0]:5.3f}  {cumsum[t]:7.3f}"
            f"  {y[0, t, 0]:8d}  {yhat[0, t, 0]:9d}"
            f"  {probabilities[0, t, 0]:10.3f}"
        )
    limit = X.shape[1] / 4
    lines.append(f"(the label turns to 1 once the cum. sum reaches {limit:g})")
    return "\n".join(lines)


def print_scores(tests, n_sequences):
    """The accuracy of `tests` (evaluate_by_timestep's, model and repeat
    added) by timestep, on the hard timesteps and overall, beside the
    baseline's on the same sequences."""
    hard = hard_timesteps(int(tests["timestep"].max()))
    accuracy = summary.by_timestep(tests, "accuracy", hard)
    values = pd.concat([accuracy, summary.overall(tests, hard)])
    where = f"* hard: {summary.spans(hard)}, baseline < {HARD_BELOW:.0%}"
    print(f"test accuracy by timestep ({where}):")
    print(summary.table(values))
    accuracy, baseline = tests["accuracy"].mean(), tests["baseline"].mean()
    if accuracy <= baseline:
        print("(not above the baseline: no more learned than the position)")
    print(
        f"accuracy {accuracy:.3f} on {n_sequences} fresh sequences"
        f" (position-only baseline {baseline:.3f})"
    )


def finish(name, model, args, test_seed, example, progress):
    """Ours, after the tutorial's listing: the --save-model file, the
    --plot picture of the example (X, y, probabilities), and the accuracy
    on --eval-sequences test sequences (from `test_seed`: the example is
    the first) beside the baseline. A signal abandons only the accuracy."""
    trained = f"{progress.epochs} of {progress.n_epochs} epochs"
    if args.save_model:
        speed.untune(model)  # the file holds no speed setting of ours
        if ending.save(args.save_model, model.save):
            print(f"saved {args.save_model} ({trained})")
    if args.plot:
        picture = plots.sequence_picture(*example, f"{name}, {trained}")
        if ending.save(args.plot, picture.savefig):
            print(f"saved {args.plot}")
    tests = None
    with ending.early():
        tests = evaluation.evaluate_by_timestep(
            model, args.timesteps, args.eval_sequences, test_seed
        ).assign(model=name, repeat=1)
    if tests is None:
        print(
            f"Interrupted ({ending.stopped_by()}) during the accuracy on many"
            " sequences: abandoned; everything above is complete."
        )
    else:
        print_scores(tests, args.eval_sequences)

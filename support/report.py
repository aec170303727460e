"""What the classifiers print, from the run line to the accuracy."""

import sys

import keras
import numpy as np
import pandas as pd

from data import HARD_BELOW, hard_timesteps
from support import ending, evaluation, speed, summary

RUNNING = 50  # progress: means over the latest epochs (one is too noisy)


def describe_run(name):
    """The first line: what runs, on which Keras and backend."""
    backend = keras.backend.backend()
    return f"{name} | Keras {keras.__version__}, backend {backend}"


class Progress:
    """train_model's on_epoch: keeps the logs, stops at a signal. verbose
    1: a bar of running means from the first update on (or, off a terminal,
    a line every tenth); 2: a line per epoch, as fit(verbose=2)."""

    def __init__(self, n_epochs, verbose=1):
        self.n_epochs, self.verbose = n_epochs, verbose
        self.history, self.bar = {}, None  # metric -> a value per epoch
        if verbose == 1:
            print(f"(progress: means over the latest {RUNNING} epochs)")

    def __call__(self, logs):
        for name in sorted(logs, key=lambda name: name != "loss"):
            self.history.setdefault(name, []).append(float(logs[name]))
        if self.verbose == 1 and sys.stdout.isatty():
            self.bar = self.bar or keras.utils.Progbar(
                self.n_epochs, stateful_metrics=list(logs)
            )
            self.bar.update(self.epochs, list(self.means().items()))
        elif self.verbose == 2:
            self.show("Epoch", {k: v[-1] for k, v in self.history.items()})
        elif (
            self.verbose == 1 and self.epochs % (self.n_epochs // 10 or 1) == 0
        ):
            self.show("epoch", self.means())
        ending.check()

    def means(self):
        return {k: np.mean(v[-RUNNING:]) for k, v in self.history.items()}

    def show(self, start, values):
        text = " - ".join(f"{k}: {v:.4f}" for k, v in values.items())
        print(f"{start} {self.epochs}/{self.n_epochs} - {text}")

    @property
    def epochs(self):  # how many have finished
        return len(self.history.get("loss", []))

    def summary(self):
        """What the training came to: interrupted?, the latest means."""
        done, n = self.epochs, min(self.epochs, RUNNING)
        text = ", ".join(f"mean {k} {v:.4f}" for k, v in self.means().items())
        text = f"trained {done} epochs; last {n}: {text}" if done else ""
        if done < self.n_epochs:
            text = (
                f"\nInterrupted ({ending.stopped_by()}) after {done} of"
                f" {self.n_epochs} epochs; what follows is for the model as"
                f" it is now.\n{text}"
            )
        return text.rstrip("\n")


def format_predictions(X, y, yhat, probabilities):
    """The tutorial's Expected/Predicted, with the running sum and P."""
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
    """The accuracy of `tests` by timestep and overall, beside the baseline."""
    hard = hard_timesteps(int(tests["timestep"].max()))
    accuracy = summary.by_timestep(tests, "accuracy", hard)
    values = pd.concat([accuracy, summary.overall(tests, hard)])
    hard_span = summary.span(hard[0], hard[-1])
    where = f"* hard: {hard_span}, baseline < {HARD_BELOW:.0%}"
    print(f"test accuracy by timestep ({where}):")
    print(summary.table(values))
    accuracy, baseline = tests["accuracy"].mean(), tests["baseline"].mean()
    if accuracy <= baseline:
        print("(not above the baseline: no more learned than the position)")
    print(
        f"accuracy {accuracy:.3f} on {n_sequences} fresh sequences"
        f" (position-only baseline {baseline:.3f})"
    )


def finish(name, model, args, test_seed, progress):
    """Ours, after the listing: --save-model, then the accuracy on
    --eval-sequences from `test_seed` (the example is the first) beside the
    baseline; a signal abandons only the accuracy."""
    if args.save_model:
        speed.untune(model)  # the file holds no speed setting of ours
        if ending.save(args.save_model, model.save):
            trained = f"{progress.epochs} of {progress.n_epochs} epochs"
            print(f"saved {args.save_model} ({trained})")
    with ending.early():
        tests = evaluation.evaluate_by_timestep(
            model, args.timesteps, args.eval_sequences, test_seed
        )
        return print_scores(
            tests.assign(model=name, repeat=1), args.eval_sequences
        )
    print(
        f"Interrupted ({ending.stopped_by()}) during the accuracy on many"
        " sequences: abandoned; everything above is complete."
    )

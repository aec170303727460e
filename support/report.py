"""What the classifier scripts print: run line, progress, listing, accuracy."""

import sys

import keras
import numpy as np

from support import (
    evaluation,
    files,
    interrupts,
    plots,
    seeds,
    speed,
    summary,
)

# The progress bar and the summary line average the loss over this many
# of the latest epochs: one sequence's loss is too noisy to read alone.
RUNNING_WINDOW = 50
# The widest line the classifiers print, to read beside the tutorial.
LINE_WIDTH = 79


def describe_run(name):
    """The first output line: what runs, on which Keras and backend."""
    backend = keras.backend.backend()
    return f"{name} | Keras {keras.__version__}, backend {backend}"


class Progress:
    """Shows and keeps each epoch's logs; pass it as train_model's on_epoch.
    After each epoch it checks for a signal (interrupts.check), so Ctrl-C,
    SIGTERM or SIGHUP ends the training loop there.

    verbose=1 shows a progress bar with running means, 2 one line per epoch
    (as the tutorial's fit(verbose=2) does), 0 nothing. When stdout is not
    a terminal (a log file, a pipe) verbose=1 prints plain lines instead,
    one every tenth of the epochs: a bar's colours and carriage returns
    would fill one line of the log.
    """

    def __init__(self, n_epochs, verbose=1):
        self.n_epochs, self.verbose = n_epochs, verbose
        self.history = {}  # metric name -> list of per-epoch values
        self.bar = None
        self.every = None  # verbose=1 off a terminal: a line every N epochs
        if verbose == 1:
            print(
                f"(progress: loss and acc are means over the latest"
                f" {RUNNING_WINDOW} epochs)"
            )
            if sys.stdout.isatty():
                self.bar = keras.utils.Progbar(
                    n_epochs, stateful_metrics=["loss", "acc"]
                )
            else:
                self.every = max(1, n_epochs // 10)

    def __call__(self, logs):
        loss_first = sorted(logs.items(), key=lambda item: item[0] != "loss")
        for name, value in loss_first:
            self.history.setdefault(name, []).append(float(value))
        if self.verbose == 2:
            values = " - ".join(
                f"{k}: {v[-1]:.4f}" for k, v in self.history.items()
            )
            print(f"Epoch {self.epochs}/{self.n_epochs} - {values}")
        if self.bar is not None:
            self.bar.add(1, self.running_means())
        elif self.every and (
            self.epochs % self.every == 0 or self.epochs == self.n_epochs
        ):
            means = " - ".join(
                f"{name}: {mean:.4f}" for name, mean in self.running_means()
            )
            print(f"epoch {self.epochs}/{self.n_epochs} - {means}")
        interrupts.check()

    def running_means(self):
        """(name, mean over the latest RUNNING_WINDOW epochs) per metric."""
        return [
            (name, np.mean(values[-RUNNING_WINDOW:]))
            for name, values in self.history.items()
        ]

    @property
    def epochs(self):
        """How many epochs have finished."""
        return len(self.history.get("loss", []))

    def summary(self):
        """Lines about the training: interrupted?, recent mean loss."""
        lines = []
        if self.epochs < self.n_epochs:
            lines.append(
                f"\nInterrupted after {self.epochs} of {self.n_epochs} epochs;"
                " results below are for the model as it is now."
            )
        if self.epochs:
            window = min(self.epochs, RUNNING_WINDOW)
            means = ", ".join(
                f"mean {name} {np.mean(values[-window:]):.4f}"
                for name, values in self.history.items()
            )
            lines.append(
                f"trained {self.epochs} epochs; last {window} epochs: {means}"
            )
        return "\n".join(lines)


def format_predictions(X, y, yhat, probabilities):
    """The tutorial's Expected/Predicted listing for one sequence, with the
    running sum and the predicted probability beside it."""
    limit = X.shape[1] / 4.0
    cumsum = np.cumsum(X[0, :, 0].astype(np.float64))
    lines = ["Timestep  Value  Cum.sum  Expected  Predicted  P(label 1)"]
    for t in range(X.shape[1]):
        lines.append(
            f"{t + 1:8d}  {X[0, t, 0]:5.3f}  {cumsum[t]:7.3f}"
            f"  {y[0, t, 0]:8d}  {yhat[0, t, 0]:9d}"
            f"  {probabilities[0, t, 0]:10.3f}"
        )
    lines.append(f"(the label turns to 1 once the cum. sum reaches {limit:g})")
    return "\n".join(lines)


def format_by_timestep(scores, hard):
    """Accuracy and baseline by timestep (in groups of timesteps if there
    are too many to fit LINE_WIDTH), then the accuracy where the baseline
    is weak: on the `hard` timesteps."""
    n_timesteps = len(scores["accuracy"])
    for n_groups in range(min(n_timesteps, 10), 0, -1):
        groups = summary.timestep_groups(n_timesteps, n_groups)
        width = 1 + max(5, *(len(summary.span(*g)) for g in groups))
        if 10 + width * len(groups) <= LINE_WIDTH:
            break
    lines = [
        "timestep  " + "".join(summary.span(*g).rjust(width) for g in groups)
    ]
    for name in ("accuracy", "baseline"):
        means = [
            scores[name][first - 1 : last].mean() for first, last in groups
        ]
        lines.append(f"{name:10}" + "".join(f"{m:{width}.3f}" for m in means))
    where = f"hard timesteps {summary.spans(hard)}"
    limit = f"(baseline < {evaluation.HARD_BELOW:g})"
    if len(hard):
        accuracy = scores["accuracy"][hard - 1].mean()
        baseline = scores["baseline"][hard - 1].mean()
        figures = f"accuracy {accuracy:.3f}, baseline {baseline:.3f}"
        lines.append(f"{where} {limit}: {figures}")
    else:
        lines.append(f"{where} {limit}")
    return "\n".join(lines)


def accuracy_line(accuracy, baseline, n_sequences):
    return (
        f"accuracy {accuracy:.3f} on {n_sequences} fresh sequences"
        f" (position-only baseline {baseline:.3f})"
    )


def finish(model, args, example, title, progress):
    """Ours, after the tutorial's listing: save the --save-model file and
    the --plot picture of the example (X, y, probabilities), print the
    accuracy on --eval-sequences new sequences beside the baseline, by
    timestep and overall, and return the exit status. A signal during the
    evaluation abandons it; what was saved before stays."""
    written = True
    if args.save_model:
        written = save_model(model, args.save_model, progress)
    if args.plot:
        if plots.plot_sequence(args.plot, *example, title):
            print(f"saved {args.plot}")
        else:
            written = False
    _, test_seed = seeds.classifier_seeds(args.seed)
    scores = None
    with interrupts.stop_early():
        scores = evaluation.evaluate_by_timestep(
            model,
            args.timesteps,
            args.eval_sequences,
            np.random.default_rng(test_seed),  # the example is the first
        )
    if scores is not None:
        print_scores(scores, args.eval_sequences)
    if interrupts.first_signal() is not None:
        name = interrupts.NAMES[interrupts.first_signal()]
        if scores is None:
            print(
                f"Interrupted ({name}) during the accuracy on many sequences:"
                " abandoned; everything above is complete."
            )
        else:
            print(f"Interrupted ({name}); everything above is complete.")
    return interrupts.exit_status() or (0 if written else 1)


def save_model(model, path, progress):
    """Save the model to `path` without our speed settings (speed.portable),
    whole or not at all; say how much of the training it holds."""
    with speed.portable(model):
        if not files.save(path, model.save):
            return False
    trained = f"{progress.epochs} of {progress.n_epochs} epochs"
    if progress.epochs < progress.n_epochs:
        print(f"saved {path} (training interrupted: {trained})")
    else:
        print(f"saved {path} ({trained})")
    return True


def print_scores(scores, n_sequences):
    """The accuracy by timestep and overall, beside the baseline."""
    hard = evaluation.hard_timesteps(len(scores["accuracy"]))
    print(format_by_timestep(scores, hard))
    accuracy, baseline = scores["accuracy"].mean(), scores["baseline"].mean()
    if accuracy <= baseline:
        print(
            "(not above the baseline: the model has learned no more than the"
            " position yet; see the README for how many epochs it takes)"
        )
    print(accuracy_line(accuracy, baseline, n_sequences))

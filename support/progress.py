"""Training progress for the classifiers (sections 3-4): the tutorial's
fit(verbose=2) printed a line per epoch; ours draws a bar by default."""

import sys

import keras
import numpy as np

from support import ending

RUNNING = 50  # means over the latest epochs (one is too noisy)


class Progress:
    """train_model's on_epoch: keeps the logs, stops at a signal. verbose
    1: a bar of running means from the first update on (in a terminal or
    a notebook; elsewhere a line every tenth); 2: a line per epoch, as
    fit(verbose=2)."""

    def __init__(self, n_epochs, verbose=1):
        self.n_epochs, self.verbose = n_epochs, verbose
        self.history, self.bar = {}, None  # metric -> a value per epoch
        self.every = max(1, n_epochs // 10)  # no bar, verbose 1
        if verbose == 1:
            print(f"(progress: means over the latest {RUNNING} epochs)")

    def __call__(self, logs):
        for name in sorted(logs, key=lambda name: name != "loss"):
            self.history.setdefault(name, []).append(float(logs[name]))
        if self.verbose == 2:
            self.show("Epoch", {k: v[-1] for k, v in self.history.items()})
        elif self.verbose == 1 and drawn():
            if self.bar is None:
                metrics = list(logs)
                self.bar = keras.utils.Progbar(
                    self.n_epochs, stateful_metrics=metrics
                )
            self.bar.update(self.epochs, list(self.means().items()))
        elif self.verbose == 1 and self.epochs % self.every == 0:
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
        lines = []
        if done < self.n_epochs:  # a blank line after the bar, then why
            lines.append("")
            lines.append(
                ending.interrupted(
                    f"stopped after {done} of {self.n_epochs} epochs; what"
                    " follows is for the model as it is now."
                )
            )
        if done:
            means = self.means().items()
            text = ", ".join(f"mean {k} {v:.4f}" for k, v in means)
            lines.append(f"trained {done} epochs; last {n}: {text}")
        return "\n".join(lines)


def drawn():
    """Whether a bar can be redrawn in place: a terminal, or a notebook
    (Jupyter, Colab), where Keras draws its own bar too."""
    return sys.stdout.isatty() or "ipykernel" in sys.modules

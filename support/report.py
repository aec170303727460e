"""What the classifiers print (sections 3-4), from the run line to the
accuracy on many sequences; a comparison's first line too."""

import keras
import numpy as np
import pandas as pd

from support import ending, evaluation, summary
from support.baseline import HARD_BELOW, hard_timesteps


def describe_run(name):
    """The first line: what runs, on which Keras and backend."""
    backend = keras.backend.backend()
    return f"{name} | Keras {keras.__version__}, backend {backend}"


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
    where = f"* hard: {summary.hard_span(hard)}, baseline < {HARD_BELOW:.0%}"
    print(f"test accuracy by timestep ({where}):")
    print(summary.table(values))
    accuracy, baseline = tests["accuracy"].mean(), tests["baseline"].mean()
    if accuracy <= baseline:
        print("(not above the baseline: no more learned than the position)")
    print(
        f"accuracy {accuracy:.3f} on {n_sequences} fresh sequences"
        f" (position-only baseline {baseline:.3f})"
    )


def print_accuracy(name, model, args, test_seed):
    """Ours, after the listing: the accuracy on --eval-sequences from
    `test_seed` (the example is the first) beside the baseline; a signal
    abandons only this."""
    tests = None
    with ending.early():
        tests = evaluation.evaluate_by_timestep(
            model, args.timesteps, args.eval_sequences, test_seed
        )
    if tests is None:
        what = "the accuracy on many sequences abandoned; everything above"
        print(ending.interrupted(f"{what} is complete."))
    else:
        tests = tests.assign(model=name, repeat=1)
        print_scores(tests, args.eval_sequences)

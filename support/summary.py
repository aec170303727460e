"""Tables of results: means over the repeats with 95% intervals, and
paired differences, as text: one column per model.

Results come as "values": columns measure, model, repeat, value. The 95%
interval is a t interval for the mean over the repeats; below MIN_REPEATS
it says little (with 2 repeats it is 12.7 standard errors wide), so none
is given.
"""

import math

import numpy as np
import pandas as pd
from scipy.special import stdtrit

MIN_REPEATS = 3


def ci_half_width(values):
    """Half-width of the 95% t interval for the mean of `values` (1-d), or
    of each column of a 2-d array; NaN below MIN_REPEATS values."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n < MIN_REPEATS:
        return np.full(values.shape[1:], np.nan)[()]
    return stdtrit(n - 1, 0.975) * values.std(axis=0, ddof=1) / math.sqrt(n)


def interval(values, low=0.0, high=np.inf):
    """'mean ± half', or 'mean [a, b]' where the interval would pass what
    the quantity can be (`low`, `high`), or 'mean' below MIN_REPEATS."""
    mean, half = float(np.mean(values)), float(ci_half_width(values))
    if math.isnan(half):
        return f"{mean:.3f}"
    if mean - half < low or mean + half > high:
        a, b = max(mean - half, low), min(mean + half, high)
        return f"{mean:.3f} [{a:.3f}, {b:.3f}]"
    return f"{mean:.3f} ± {half:.3f}"


def span(first, last):
    return str(first) if first == last else f"{first}-{last}"


def spans(timesteps):
    """[4, 5, 6, 7, 9] -> '4-7, 9'."""
    runs = []
    for t in timesteps:
        if runs and runs[-1][1] == t - 1:
            runs[-1][1] = t
        else:
            runs.append([t, t])
    return ", ".join(span(*run) for run in runs) or "none"


def values_of(frame, columns):
    """frame's `columns` averaged by measure, model and repeat, as values;
    the column "baseline" as model "baseline" (the baseline's figures are
    the same for every model: they come from the same sequences)."""
    means = frame.groupby(["measure", "model", "repeat"], sort=False).mean()
    parts = []
    for column in columns:
        part = means[column].rename("value").reset_index()
        if column == "baseline":
            part = part[part["model"] == part["model"].iloc[0]]
            part = part.assign(model="baseline")
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def loss_windows(losses):
    """The mean training loss over epochs 1-50, 51-150 and the last 100."""
    n_epochs, parts = int(losses["epoch"].max()), {}
    for first, last in ((1, 50), (51, 150), (n_epochs - 99, n_epochs)):
        first, last = max(first, 1), min(last, n_epochs)
        window = losses[losses["epoch"].between(first, last)]
        parts[f"loss {first}-{last}"] = window.assign(
            measure=f"loss {first}-{last}"
        )
    frame = pd.concat(parts.values())[["measure", "model", "repeat", "loss"]]
    return values_of(frame, ["loss"])


def overall(tests, hard):
    """The test accuracy over all timesteps ("test acc") and the `hard`
    ones ("hard test acc"), with the baseline's."""
    frame = pd.concat(
        [
            tests.assign(measure="test acc"),
            tests[tests["timestep"].isin(hard)].assign(
                measure="hard test acc"
            ),
        ]
    )
    return values_of(frame, ["accuracy", "baseline"])


def by_timestep(tests, measure, hard, n_groups=20):
    """Test `measure` ("loss" or "accuracy") by timestep, or by group of
    timesteps for long sequences (hard ones marked *); the accuracy with
    the baseline's."""
    n_timesteps = int(tests["timestep"].max())
    size, labels = math.ceil(n_timesteps / n_groups), {}
    for first in range(1, n_timesteps + 1, size):
        last = min(first + size - 1, n_timesteps)
        label = span(first, last) + "*" * any(first <= t <= last for t in hard)
        labels.update(dict.fromkeys(range(first, last + 1), label))
    frame = tests.assign(measure=tests["timestep"].map(labels))
    columns = [measure] + ["baseline"] * (measure == "accuracy")
    return values_of(frame[["measure", "model", "repeat", *columns]], columns)


def paired(values, reference):
    """Each model minus `reference`, repeat by repeat, as values (model
    "bilstm_con - lstm_forw")."""
    wide = values.pivot_table(
        "value", ["measure", "repeat"], "model", sort=False
    )
    parts = [
        (wide[model] - wide[reference])
        .rename("value")
        .reset_index()
        .assign(model=f"{model} - {reference}")
        for model in wide.columns
        if model not in (reference, "baseline")
    ]
    return pd.concat(parts, ignore_index=True).dropna()


def table(values, low=0.0, high=np.inf, signs=False):
    """values as text, one row per measure and one column per model in
    the order they first appear, each cell an interval() (an accuracy is
    at most 1); with `signs`, how many repeats had the mean's sign."""
    cells = {}
    for (measure, model), group in values.groupby(
        ["measure", "model"], sort=False
    ):
        v = group["value"].to_numpy()
        cell = interval(v, low, 1.0 if "acc" in measure else high)
        if signs:
            cell += f" ({np.sum(np.sign(v) == np.sign(v.mean()))}/{len(v)})"
        cells.setdefault(model, {})[measure] = cell
    frame = pd.DataFrame(cells).reindex(values["measure"].unique())
    return frame.fillna("").to_string()


def during_training(during):
    """The test accuracy at each epoch tested ("acc at 25"), as values."""
    measure = "acc at " + during["epoch"].astype(str)
    frame = during.assign(measure=measure)
    columns = ["accuracy", "baseline"]
    return values_of(frame[["measure", "model", "repeat", *columns]], columns)


def first_above(values):
    """Each model's first epoch tested at which its accuracy is above the
    baseline's by more than the 95% interval of their paired difference
    (below MIN_REPEATS: never)."""
    above = {}
    for (measure, model), group in paired(values, "baseline").groupby(
        ["measure", "model"], sort=False
    ):
        model, v = model.removesuffix(" - baseline"), group["value"]
        if v.mean() - np.nan_to_num(ci_half_width(v), nan=np.inf) > 0:
            above.setdefault(model, measure.removeprefix("acc at "))
    models = values["model"].unique()
    return ", ".join(
        f"{m} {above.get(m, 'never')}" for m in models if m != "baseline"
    )


def report(losses, tests, during, hard, reference):
    """A comparison's summary, as text."""
    values = pd.concat([loss_windows(losses), overall(tests, hard)])
    n = values["repeat"].nunique()
    text = [f"training loss and test accuracy (mean ± 95% CI, {n} repeats):"]
    text.append(table(values))
    pairs = reference in set(values["model"]) and tests["model"].nunique() > 1
    if pairs:
        differences = paired(values, reference)
        text.append(
            f"\npaired differences from {reference}, repeat by repeat (mean"
            " ± 95% CI; how many repeats had that sign):"
        )
        text.append(table(differences, -np.inf, signs=True))
    accuracy = during_training(during)
    text.append("\ntest accuracy during training (mean ± 95% CI):")
    text.append(table(accuracy))
    text.append(
        "above the baseline (paired, 95% CI) from epoch: "
        + first_above(accuracy)
    )
    if pairs:
        text.append(f"paired differences from {reference} during training:")
        text.append(table(paired(accuracy, reference), -np.inf, signs=True))
    for measure in ("loss", "accuracy"):
        what = (
            "cross-entropy" if measure == "loss" else f"* hard: {spans(hard)}"
        )
        high = 1.0 if measure == "accuracy" else np.inf
        text.append(f"\ntest {measure} by timestep ({what}; mean ± 95% CI):")
        text.append(table(by_timestep(tests, measure, hard), high=high))
    return "\n".join(text)

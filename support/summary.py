"""Tables: means over the repeats with 95% t intervals (none below
MIN_REPEATS: with 2 they are 12.7 standard errors wide) and paired
differences. Results come as "values": measure, model, repeat, value."""

import math

import numpy as np
import pandas as pd
from scipy.special import stdtrit

MIN_REPEATS = 3


def ci_half_width(values):
    """Half-width of the 95% t interval of the mean (NaN: too few)."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n < MIN_REPEATS:
        return np.full(values.shape[1:], np.nan)[()]
    return stdtrit(n - 1, 0.975) * values.std(axis=0, ddof=1) / math.sqrt(n)


def interval(values, low=0.0, high=np.inf):
    """'mean ± half', 'mean [a, b]' if cut at `low` or `high`, or 'mean'."""
    mean, half = float(np.mean(values)), float(ci_half_width(values))
    if math.isnan(half):
        return f"{mean:.3f}"
    if mean - half < low or mean + half > high:
        a, b = max(mean - half, low), min(mean + half, high)
        return f"{mean:.3f} [{a:.3f}, {b:.3f}]"
    return f"{mean:.3f} ± {half:.3f}"


def span(first, last):
    return str(first) if first == last else f"{first}-{last}"


def hard_span(hard):
    """The hard timesteps in words: "4-7", or "none" (--timesteps 1)."""
    return span(hard[0], hard[-1]) if len(hard) else "none"


def values_of(frame, columns):
    """frame's `columns` by measure, model and repeat; "baseline" a model."""
    keys = ["measure", "model", "repeat"]
    means = frame[keys + columns].groupby(keys, sort=False).mean()
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
        name = f"loss {max(first, 1)}-{min(last, n_epochs)}"
        window = losses["epoch"].between(first, last)
        parts[name] = losses[window].assign(measure=name)
    return values_of(pd.concat(parts.values()), ["loss"])


def overall(tests, hard):
    """The test accuracy overall and at the `hard` timesteps."""
    hard = tests[tests["timestep"].isin(hard)].assign(measure="hard test acc")
    both = pd.concat([tests.assign(measure="test acc"), hard])
    return values_of(both, ["accuracy", "baseline"])


def by_timestep(tests, measure, hard, n_groups=20):
    """Test `measure` by timestep (grouped if many; hard ones marked *)."""
    n_timesteps = int(tests["timestep"].max())
    size, labels = math.ceil(n_timesteps / n_groups), {}
    for first in range(1, n_timesteps + 1, size):
        last = min(first + size - 1, n_timesteps)
        label = span(first, last)
        if any(first <= t <= last for t in hard):
            label += "*"
        labels.update(dict.fromkeys(range(first, last + 1), label))
    frame = tests.assign(measure=tests["timestep"].map(labels))
    columns = [measure, "baseline"] if measure == "accuracy" else [measure]
    return values_of(frame, columns)


def paired(values, reference):
    """Each model minus `reference`, repeat by repeat ("a - reference")."""
    keys = ["measure", "repeat"]
    wide = values.pivot_table("value", keys, "model", sort=False)
    others = [m for m in wide.columns if m not in (reference, "baseline")]
    differences = wide[others].sub(wide[reference], axis=0)
    differences.columns = [f"{m} - {reference}" for m in others]
    long = differences.melt(var_name="model", ignore_index=False)
    return long.reset_index().dropna()


def signs(values):
    """How many repeats were above zero, below it, and exactly at it (two
    models that label every test sequence alike tie)."""
    values = np.asarray(values)
    counts = {
        "up": int(np.sum(values > 0)),
        "down": int(np.sum(values < 0)),
        "tied": int(np.sum(values == 0)),
    }
    return ", ".join(f"{n} {word}" for word, n in counts.items() if n)


def table(values, low=0.0, high=np.inf, with_signs=False):
    """A row per measure, a column per model; `with_signs`: how many
    repeats went up, down or tied."""
    cells, keys = {}, ["measure", "model"]
    for (measure, model), group in values.groupby(keys, sort=False):
        v = group["value"].to_numpy()
        cell = interval(v, low, 1.0 if "acc" in measure else high)
        if with_signs:
            cell += f" ({signs(v)})"
        cells.setdefault(model, {})[measure] = cell
    frame = pd.DataFrame(cells).reindex(values["measure"].unique())
    return frame.fillna("").to_string()


def first_above(values):
    """Each model's first epoch above the baseline by more than the 95%
    interval of their paired difference."""
    above, keys = {}, ["measure", "model"]
    differences = paired(values, "baseline")
    for (measure, model), group in differences.groupby(keys, sort=False):
        model, v = model.removesuffix(" - baseline"), group["value"]
        if v.mean() - np.nan_to_num(ci_half_width(v), nan=np.inf) > 0:
            above.setdefault(model, measure.removeprefix("acc at "))
    models = [m for m in values["model"].unique() if m != "baseline"]
    return ", ".join(f"{m} {above.get(m, 'never')}" for m in models)


def report(losses, tests, during, hard, reference):
    """A comparison's summary, as text."""
    values = pd.concat([loss_windows(losses), overall(tests, hard)])
    n = values["repeat"].nunique()
    text = [f"training loss and test accuracy (mean ± 95% CI, {n} repeats):"]
    text.append(table(values))
    pairs = reference in set(values["model"]) and tests["model"].nunique() > 1
    if pairs:
        text.append(
            f"\npaired differences from {reference}, repeat by repeat (mean"
            " ± 95% CI; how many repeats went up, down, or tied):"
        )
        text.append(table(paired(values, reference), -np.inf, with_signs=True))
    during = during.assign(measure="acc at " + during["epoch"].astype(str))
    accuracy = values_of(during, ["accuracy", "baseline"])
    text.append("\ntest accuracy during training (mean ± 95% CI):")
    text.append(table(accuracy))
    above = first_above(accuracy)
    text.append(f"above the baseline (paired, 95% CI) from epoch: {above}")
    if pairs:
        text.append(f"paired differences from {reference} during training:")
        text.append(
            table(paired(accuracy, reference), -np.inf, with_signs=True)
        )
    for measure, what, high in (
        ("loss", "cross-entropy", np.inf),
        ("accuracy", f"* hard: {hard_span(hard)}", 1.0),
    ):
        text.append(f"\ntest {measure} by timestep ({what}; mean ± 95% CI):")
        text.append(table(by_timestep(tests, measure, hard), high=high))
    return "\n".join(text)

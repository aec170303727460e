"""The summary of a comparison: loss by epoch window, speed, accuracy.

Each figure is a mean over the repeats with the half-width of a 95%
t confidence interval. Below MIN_REPEATS_FOR_CI repeats an interval says
little (with 2 repeats it is 12.7 standard errors wide), so none is given.
"""

import math

import numpy as np
import pandas as pd
from scipy import stats

MIN_REPEATS_FOR_CI = 3
# How fast a model learns: the epoch at which the 20-epoch moving average
# of the loss first falls below 0.3.
MOVING_AVERAGE_EPOCHS = 20
LOSS_TARGET = 0.3


def ci_half_width(values):
    """Half-width of a 95% t interval for the mean of each column of a
    (n, k) array (or of a 1-d array); NaN below MIN_REPEATS_FOR_CI."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n < MIN_REPEATS_FOR_CI:
        return np.full(values.shape[1:], np.nan) if values.ndim > 1 else np.nan
    sem = values.std(axis=0, ddof=1) / np.sqrt(n)
    return stats.t.ppf(0.975, n - 1) * sem


def loss_windows(n_epochs):
    """Epoch ranges (first, last) for the summary: 1-50, 51-150, last 100."""
    windows = []
    for first, last in ((1, 50), (51, 150), (n_epochs - 99, n_epochs)):
        first, last = max(first, 1), min(last, n_epochs)
        if first <= last and (first, last) not in windows:
            windows.append((first, last))
    return windows


def epochs_to_target(losses):
    """First epoch whose moving-average loss is below LOSS_TARGET, or NaN."""
    average = pd.Series(losses).rolling(MOVING_AVERAGE_EPOCHS).mean()
    below = np.flatnonzero(average.to_numpy() < LOSS_TARGET)
    return float(below[0] + 1) if len(below) else float("nan")


def summarize(results, by_timestep, hard):
    """One row per model: loss by window with 95% CIs, speed, accuracy.

    `results` has one row per (model, repeat, epoch) with the loss;
    `by_timestep` one per (model, repeat, timestep) with the test loss,
    accuracy and baseline; `hard` lists the hard timesteps.
    """
    n_epochs = int(results["epoch"].max())
    rows = []
    for name, runs in results.groupby("model", sort=False):
        row = {"model": name, "repeats": runs["repeat"].nunique()}
        by_repeat = runs.pivot(index="epoch", columns="repeat", values="loss")
        for first, last in loss_windows(n_epochs):
            window = by_repeat.loc[first:last].mean()
            row[f"loss {first}-{last}"] = float(window.mean())
            row[f"loss {first}-{last} ci95"] = float(ci_half_width(window))
        reached = np.array([epochs_to_target(by_repeat[r]) for r in by_repeat])
        finished = np.isfinite(reached)
        row["ma20<0.3 epoch (median)"] = (
            float(np.median(reached[finished])) if finished.any() else np.nan
        )
        row["ma20<0.3 reached"] = int(finished.sum())
        scores = by_timestep[by_timestep["model"] == name]
        for prefix, where in [
            ("", scores),
            ("hard ", scores[scores["timestep"].isin(hard)]),
        ]:
            per_repeat = where.groupby("repeat")[
                ["accuracy", "baseline"]
            ].mean()
            row[f"{prefix}test acc"] = float(per_repeat["accuracy"].mean())
            row[f"{prefix}test acc ci95"] = float(
                ci_half_width(per_repeat["accuracy"])
            )
            row[f"{prefix}baseline acc"] = float(per_repeat["baseline"].mean())
        rows.append(row)
    return pd.DataFrame(rows).set_index("model")


def with_interval(mean, half, high):
    """'mean ± half', or 'mean [low, high]' where the interval would pass
    what the quantity can be (below 0, or above 1 for an accuracy)."""
    if np.isnan(mean):
        return "-"
    if np.isnan(half):
        return f"{mean:.3f}"
    if mean - half < 0 or mean + half > high:
        low, top = max(mean - half, 0.0), min(mean + half, high)
        return f"{mean:.3f} [{low:.3f}, {top:.3f}]"
    return f"{mean:.3f} ± {half:.3f}"


def format_summary(summary):
    """The summary as an aligned text table, mean ± 95% CI half-width."""
    table = pd.DataFrame(index=summary.index)
    for column in summary.columns:
        if column.endswith(" ci95") or column == "ma20<0.3 reached":
            continue
        if f"{column} ci95" in summary:
            high = 1.0 if "acc" in column else np.inf  # a loss is >= 0
            table[column] = [
                with_interval(m, c, high)
                for m, c in zip(
                    summary[column], summary[f"{column} ci95"], strict=True
                )
            ]
        elif column == "ma20<0.3 epoch (median)":
            table["ma20<0.3 at epoch"] = [
                "never" if np.isnan(e) else f"{e:.0f} ({k}/{n})"
                for e, k, n in zip(
                    summary[column],
                    summary["ma20<0.3 reached"],
                    summary["repeats"],
                    strict=True,
                )
            ]
        elif column == "repeats":
            table[column] = summary[column].astype(str)
        else:
            table[column] = [
                with_interval(v, np.nan, 1) for v in summary[column]
            ]
    text = table.to_string()
    if summary["repeats"].min() < MIN_REPEATS_FOR_CI:
        text += (
            f"\n(no 95% intervals: they need {MIN_REPEATS_FOR_CI} or more"
            " repeats)"
        )
    return text


def timestep_groups(n_timesteps, n_groups):
    """Timesteps 1..n in at most n_groups runs of equal length (the last
    may be shorter): a list of (first, last)."""
    size = math.ceil(n_timesteps / n_groups)
    return [
        (first, min(first + size - 1, n_timesteps))
        for first in range(1, n_timesteps + 1, size)
    ]


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
    return ", ".join(span(first, last) for first, last in runs) or "none"


def by_timestep_table(by_timestep, measure, hard, n_groups=20):
    """Test `measure` ("loss" or "accuracy") by timestep: one row per
    timestep (or group of timesteps, hard ones marked *), one column per
    model, mean over repeats ± 95% CI; accuracy also the baseline's."""
    n_timesteps = int(by_timestep["timestep"].max())
    groups = timestep_groups(n_timesteps, n_groups)
    labels = [
        span(first, last)
        + ("*" if any(first <= t <= last for t in hard) else "")
        for first, last in groups
    ]
    table = pd.DataFrame(index=pd.Index(labels, name="timestep"))
    high = 1.0 if measure == "accuracy" else np.inf
    models = list(by_timestep.groupby("model", sort=False))
    if measure == "accuracy":  # the same sequences for every model
        models.append(
            (
                "baseline",
                models[0][1].assign(accuracy=models[0][1]["baseline"]),
            )
        )
    for name, runs in models:
        per_repeat = runs.pivot(
            index="timestep", columns="repeat", values=measure
        )
        grouped = np.array(
            [per_repeat.loc[first:last].mean() for first, last in groups]
        )
        halves = ci_half_width(grouped.T)
        table[name] = [
            with_interval(m, h, high)
            for m, h in zip(grouped.mean(axis=1), halves, strict=True)
        ]
    return table.to_string()


def format_by_timestep(by_timestep, hard):
    """The test loss and accuracy tables by timestep, with headings."""
    return (
        "test loss by timestep (binary cross-entropy, mean ± 95% CI):\n"
        + by_timestep_table(by_timestep, "loss", hard)
        + f"\n\ntest accuracy by timestep (* hard: {spans(hard)}):\n"
        + by_timestep_table(by_timestep, "accuracy", hard)
    )

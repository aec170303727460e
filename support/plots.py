"""Pictures: the banded loss plot of a comparison, and one sequence."""

import numpy as np

from support import files
from support.summary import MIN_REPEATS_FOR_CI, ci_half_width

# With this many epochs or fewer each point gets a marker, so that a short
# run (even one epoch) still shows something.
MARKER_EPOCHS = 30


def what_is_drawn(n_repeats):
    """The title's words for the lines and bands of `n_repeats` repeats."""
    if n_repeats == 1:
        return "one run, no band"
    if n_repeats < MIN_REPEATS_FOR_CI:
        return (
            f"mean of {n_repeats} repeats, no band below {MIN_REPEATS_FOR_CI}"
        )
    return f"mean of {n_repeats} repeats with 95% band"


def draw_with_band(ax, by_repeat, label, high=np.inf, **style):
    """Plot the mean of `by_repeat` (one column per repeat, indexed by x)
    and shade its 95% band, cut at 0 and `high` (what the quantity can
    be, as in the summary's intervals); returns the line."""
    mean = by_repeat.mean(axis=1)
    few = len(mean) <= MARKER_EPOCHS
    (line,) = ax.plot(
        mean.index,
        mean,
        linewidth=1.2,
        label=label,
        marker="o" if few else None,
        **style,
    )
    half = ci_half_width(by_repeat.to_numpy().T)
    if not np.all(np.isnan(half)):
        ax.fill_between(
            mean.index,
            np.clip(mean - half, 0, high),
            np.clip(mean + half, 0, high),
            color=line.get_color(),
            alpha=0.2,
            linewidth=0,
        )
    return line


def save_and_show(fig, path, show):
    """Save `fig` to `path` (True if written), show it if asked and there
    is a display, and close it."""
    import matplotlib.pyplot as plt

    saved = files.save(path, fig.savefig)
    if show:
        if plt.get_backend().lower() in ("agg", "pdf", "ps", "svg", "cairo"):
            print(f"no display to show the picture on; it is in {path}")
        else:
            plt.show()
    plt.close(fig)
    return saved


def plot_losses(results, path, title, show=False):
    """Mean loss per epoch of each model, with a shaded 95% band.

    The tutorial's results.plot(), over repeats: `results` has one row per
    (model, repeat, epoch). Saved to `path` (True if written); with
    show=True also opened in a window if there is a display.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5.5), layout="constrained")
    for name, runs in results.groupby("model", sort=False):
        by_repeat = runs.pivot(index="epoch", columns="repeat", values="loss")
        draw_with_band(ax, by_repeat, name)
    repeats = results["repeat"].nunique()
    ax.set_xlabel("epoch (one sequence, one update)")
    ax.set_ylabel("binary cross-entropy loss")
    ax.set_title(
        f"{title}\ntraining loss, {what_is_drawn(repeats)}", fontsize=10
    )
    ax.legend()
    ax.grid(alpha=0.3)
    return save_and_show(fig, path, show)


def plot_by_timestep(by_timestep, hard, path, title, show=False):
    """Test loss and accuracy at each timestep of each model (mean over
    repeats, 95% band), the baseline's accuracy, the hard timesteps shaded.
    `by_timestep` has one row per (model, repeat, timestep)."""
    import matplotlib.pyplot as plt

    fig, (loss_ax, acc_ax) = plt.subplots(
        2, 1, figsize=(9, 7.5), sharex=True, layout="constrained"
    )
    for name, runs in by_timestep.groupby("model", sort=False):
        for ax, measure, high in (
            (loss_ax, "loss", np.inf),
            (acc_ax, "accuracy", 1.0),
        ):
            by_repeat = runs.pivot(
                index="timestep", columns="repeat", values=measure
            )
            draw_with_band(ax, by_repeat, name, high)
    baseline = runs.pivot(
        index="timestep", columns="repeat", values="baseline"
    )
    baseline_line = draw_with_band(
        acc_ax,
        baseline,
        "baseline (position only, same sequences)",
        1.0,
        color="black",
        linestyle="--",
    )
    acc_ax.legend(handles=[baseline_line], loc="lower right")
    for ax in (loss_ax, acc_ax):
        for t in hard:
            ax.axvspan(t - 0.5, t + 0.5, color="0.9", linewidth=0, zorder=0)
        ax.grid(alpha=0.3)
    repeats = by_timestep["repeat"].nunique()
    loss_ax.set_title(
        f"{title}\ntest loss and accuracy after training, by timestep, "
        f"{what_is_drawn(repeats)}; hard timesteps shaded",
        fontsize=10,
    )
    loss_ax.set_ylabel("test loss (binary cross-entropy)")
    acc_ax.set_ylabel("test accuracy")
    acc_ax.set_xlabel("timestep")
    loss_ax.legend()
    return save_and_show(fig, path, show)


def plot_sequence(path, X, y, probabilities, title):
    """Save a picture of one sequence: values, running sum, label and
    predicted probability. True if written."""
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
    return files.save(path, fig.savefig)

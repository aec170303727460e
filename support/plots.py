"""Pictures: the banded loss plot of a comparison, and one sequence."""

import numpy as np

from support import files
from support.summary import ci_half_width

# With this many epochs or fewer each point gets a marker, so that a short
# run (even one epoch) still shows something.
MARKER_EPOCHS = 30


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
        mean = by_repeat.mean(axis=1)
        few = len(mean) <= MARKER_EPOCHS
        (line,) = ax.plot(
            mean.index,
            mean,
            linewidth=1.2,
            label=name,
            marker="o" if few else None,
        )
        half = ci_half_width(by_repeat.to_numpy().T)
        if not np.all(np.isnan(half)):
            ax.fill_between(
                mean.index,
                mean - half,
                mean + half,
                color=line.get_color(),
                alpha=0.2,
                linewidth=0,
            )
    ax.set_xlabel("epoch (one sequence, one update)")
    ax.set_ylabel("binary cross-entropy loss (mean over repeats)")
    ax.set_title(title, fontsize=10)
    ax.legend()
    ax.grid(alpha=0.3)
    saved = files.save(path, fig.savefig)
    if show:
        if plt.get_backend().lower() in ("agg", "pdf", "ps", "svg", "cairo"):
            print(f"no display to show the picture on; it is in {path}")
        else:
            plt.show()
    plt.close(fig)
    return saved


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

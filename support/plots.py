"""Pictures: a comparison's banded plots, and one classified sequence.
They are saved, never shown, so that the scripts need no display."""

import numpy as np

from support.summary import MIN_REPEATS, ci_half_width


def new_figure(*size):
    from matplotlib.figure import Figure  # speed: imported when needed

    return Figure(size, layout="constrained")


def what_is_drawn(n_repeats):
    """The title's words for the lines and bands of `n_repeats` repeats."""
    if n_repeats < MIN_REPEATS:
        return f"{n_repeats} run(s), no band below {MIN_REPEATS} repeats"
    return f"mean of {n_repeats} repeats with 95% band"


def draw(ax, frame, x, y, high=np.inf, colours=None, **style):
    """A line per model of `frame` (columns model, repeat, x, y): the mean
    over the repeats, with its 95% band cut at 0 and `high` (what the
    quantity can be); a marker on each point of a short line."""
    for model, runs in frame.groupby("model", sort=False):
        by_repeat = runs.pivot(index=x, columns="repeat", values=y)
        mean = by_repeat.mean(axis=1)
        marker = "o" * (len(mean) <= 30)
        kw = {"label": model, "color": (colours or {}).get(model), **style}
        (line,) = ax.plot(mean.index, mean, marker=marker, **kw)
        half = ci_half_width(by_repeat.to_numpy().T)
        low, top = np.clip(mean - half, 0, high), np.clip(mean + half, 0, high)
        ax.fill_between(
            mean.index, low, top, color=line.get_color(), alpha=0.2
        )
    ax.grid(alpha=0.3)
    return line


def losses_picture(losses, during, title, colours):
    """The tutorial's results.plot(), over repeats: the mean training loss
    per epoch of each model, with a 95% band; below it, the test accuracy
    during training, with the baseline's."""
    figure = new_figure(9, 8)
    loss_ax, acc_ax = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    draw(loss_ax, losses, "epoch", "loss", colours=colours)
    loss_ax.set(ylabel="training loss")
    drawn = what_is_drawn(losses["repeat"].nunique())
    loss_ax.set_title(f"{title}\nbinary cross-entropy, {drawn}", fontsize=10)
    loss_ax.legend()
    draw(acc_ax, during, "epoch", "accuracy", 1.0, colours)
    same = during[during["model"] == during["model"].iloc[0]]
    label = "baseline (position only, the same sequences)"
    style = {"label": label, "color": "black", "linestyle": "--"}
    baseline = draw(acc_ax, same, "epoch", "baseline", 1.0, **style)
    acc_ax.legend(handles=[baseline], loc="lower right")
    acc_ax.set(xlabel="epoch (one sequence, one update)")
    acc_ax.set(ylabel="test accuracy (all timesteps)")
    return figure


def tests_picture(tests, hard, title, colours):
    """Test loss and accuracy at each timestep after training, with the
    baseline's accuracy; the hard timesteps shaded."""
    figure = new_figure(9, 7.5)
    loss_ax, acc_ax = figure.subplots(2, 1, sharex=True)
    draw(loss_ax, tests, "timestep", "loss", colours=colours)
    draw(acc_ax, tests, "timestep", "accuracy", 1.0, colours)
    same = tests[tests["model"] == tests["model"].iloc[0]]  # sequences
    label = "baseline (position only, the same sequences)"
    style = {"label": label, "color": "black", "linestyle": "--"}
    baseline = draw(acc_ax, same, "timestep", "baseline", 1.0, **style)
    acc_ax.legend(handles=[baseline], loc="lower right")
    for ax in (loss_ax, acc_ax):
        for t in hard:
            ax.axvspan(t - 0.5, t + 0.5, color="0.9", lw=0, zorder=0)
    drawn = what_is_drawn(tests["repeat"].nunique())
    loss_ax.set_title(
        f"{title}\ntest loss and accuracy after training, by timestep,"
        f" {drawn}; hard timesteps shaded",
        fontsize=10,
    )
    loss_ax.set(ylabel="test loss (binary cross-entropy)")
    acc_ax.set(xlabel="timestep", ylabel="test accuracy")
    loss_ax.legend()
    return figure


def sequence_picture(X, y, probabilities, title):
    """One sequence: its values, the running sum against the threshold,
    the label and the predicted probability."""
    n = X.shape[1]
    steps = np.arange(1, n + 1)
    figure = new_figure(7, 6.5)
    value_ax, sum_ax, label_ax = figure.subplots(3, 1, sharex=True)
    value_ax.bar(steps, X[0, :, 0], color="tab:gray")
    value_ax.set(ylabel="input value", ylim=(0, 1))
    sum_ax.plot(steps, np.cumsum(X[0, :, 0]), marker="o", label="running sum")
    label = f"threshold n/4 = {n / 4:g}"
    sum_ax.axhline(n / 4, color="tab:red", ls="--", label=label)
    sum_ax.set(ylabel="cumulative sum")
    label_ax.step(steps, y[0, :, 0], where="mid", color="k", label="label")
    label = "predicted P(label 1)"
    label_ax.plot(steps, probabilities[0, :, 0], marker="o", label=label)
    label_ax.axhline(0.5, color="tab:blue", linestyle=":", linewidth=1)
    label_ax.set(ylabel="label, probability", xlabel="timestep")
    label_ax.set(ylim=(-0.05, 1.05), xticks=steps[:: max(1, n // 10)])
    for ax in (sum_ax, label_ax):
        ax.legend(loc="upper left")
    figure.suptitle(title)
    return figure

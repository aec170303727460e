"""A comparison's pictures, with 95% bands: saved, never shown."""

import numpy as np

from support.summary import MIN_REPEATS, ci_half_width


def model_colours(models):
    """A colour for each model whatever --models picks: the tutorial's
    order (its plots' colours where it has them)."""
    return {model: f"C{i}" for i, model in enumerate(models)}


def two_panels(height, n_repeats, **options):
    """A figure, its two panels (x shared) and the words for the lines."""
    from matplotlib.figure import Figure  # speed: imported when needed

    figure = Figure((9, height), layout="constrained")
    drawn = f"mean of {n_repeats} repeats with 95% band"
    if n_repeats < MIN_REPEATS:
        drawn = f"{n_repeats} run(s), no band below {MIN_REPEATS} repeats"
    return figure, *figure.subplots(2, 1, sharex=True, **options), drawn


def draw(ax, frame, x, y, high=np.inf, colours=None, **style):
    """Per model of `frame`: the mean of y over the repeats, 95% band."""
    for model, runs in frame.groupby("model", sort=False):
        by_repeat = runs.pivot(index=x, columns="repeat", values=y)
        mean = by_repeat.mean(axis=1)
        marker = "o" if len(mean) <= 30 else ""  # dots: few points
        colour = colours[model] if colours else None
        kw = {"label": model, "color": colour, **style}
        (line,) = ax.plot(mean.index, mean, marker=marker, **kw)
        half = ci_half_width(by_repeat.to_numpy().T)
        low, top = np.clip(mean - half, 0, high), np.clip(mean + half, 0, high)
        ax.fill_between(
            mean.index, low, top, color=line.get_color(), alpha=0.2
        )
    ax.grid(alpha=0.3)
    return line


def draw_accuracy(ax, frame, x, colours):
    """Each model's accuracy, and the baseline's (the same sequences)."""
    draw(ax, frame, x, "accuracy", 1.0, colours)
    same = frame[frame["model"] == frame["model"].iloc[0]]
    label = "baseline (position only, the same sequences)"
    style = {"label": label, "color": "black", "linestyle": "--"}
    baseline = draw(ax, same, x, "baseline", 1.0, **style)
    ax.legend(handles=[baseline], loc="lower right")


def losses_picture(losses, during, title, colours):
    """The tutorial's results.plot() over repeats; below, test accuracy."""
    n, ratios = losses["repeat"].nunique(), [3, 2]
    figure, loss_ax, acc_ax, drawn = two_panels(8, n, height_ratios=ratios)
    draw(loss_ax, losses, "epoch", "loss", colours=colours)
    loss_ax.set(ylabel="training loss")
    loss_ax.set_title(f"{title}\nbinary cross-entropy, {drawn}", fontsize=10)
    loss_ax.legend()
    draw_accuracy(acc_ax, during, "epoch", colours)
    acc_ax.set(xlabel="epoch (one sequence, one update)")
    acc_ax.set(ylabel="test accuracy (all timesteps)")
    return figure


def tests_picture(tests, hard, title, colours):
    """Test loss and accuracy by timestep after training."""
    n = tests["repeat"].nunique()
    figure, loss_ax, acc_ax, drawn = two_panels(7.5, n)
    draw(loss_ax, tests, "timestep", "loss", colours=colours)
    draw_accuracy(acc_ax, tests, "timestep", colours)
    for ax in (loss_ax, acc_ax):
        for t in hard:
            ax.axvspan(t - 0.5, t + 0.5, color="0.9", lw=0, zorder=0)
    what = f"after training, by timestep, {drawn}; hard timesteps shaded"
    loss_ax.set_title(f"{title}\ntest loss and accuracy {what}", fontsize=10)
    loss_ax.set(ylabel="test loss (binary cross-entropy)")
    acc_ax.set(xlabel="timestep", ylabel="test accuracy")
    loss_ax.legend()
    return figure

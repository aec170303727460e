"""Compare a forward LSTM, a backward LSTM and a Bidirectional LSTM.

Tutorial section 5 trains each model once for 250 epochs and compares the
loss curves. One run's loss jumps by about 0.14 from one epoch to the next,
so this script trains every model --repeats times, shows the mean curve with
a 95% confidence band, and prints a summary table with confidence intervals.
The design is paired: in repeat r every model starts from the same seed and
trains on the same sequences, so the differences are the models'.

The models (choose with --models):
  lstm_forw          the LSTM reading the sequence first to last.
  lstm_back          the tutorial's backward LSTM: go_backwards=True, output
                     used as is. Caution: such an LSTM returns its outputs in
                     reversed time order, so its output at step t is compared
                     with the label of step t although it has read
                     x[n-1] ... x[n-1-t]. The model is asked to solve a
                     different, harder problem, and its loss says little
                     about reading backwards.
  lstm_back_aligned  the same LSTM with its outputs flipped back into input
                     time order: output t has read x[t] ... x[n-1] and is
                     compared with label t. This is the fair backward model.
  bilstm_con         Bidirectional LSTM, outputs concatenated.

Writes into --out (created if needed), before any plotting:
  compare_directions.csv          one row per model, repeat and epoch
                                  (updated after every finished repeat)
  compare_directions_summary.csv  the summary table, and as text in .txt
  compare_directions.png          mean loss per epoch with 95% bands

Run:
    python compare_directions.py
    python compare_directions.py --repeats 1          # the tutorial's picture
    python compare_directions.py --repeats 10 --models lstm_forw bilstm_con
"""

import os
import signal
import sys

import keras
import numpy as np
import pandas as pd
from keras import layers, ops
from scipy import stats

from bilstm_classifier import get_bi_lstm_model
from data import (
    check_positive_int,
    make_parser,
    positive_int,
)
from lstm_classifier import (
    add_experiment_arguments,
    compile_model,
    describe_run,
    evaluate_model,
    freeze_imported_objects,
    get_lstm_model,
    save_atomically,
    train_model,
)

# Summary: the epoch at which the 20-epoch moving average of the loss first
# falls below 0.3 measures how fast a model learns.
MOVING_AVERAGE_EPOCHS = 20
LOSS_TARGET = 0.3


def get_aligned_lstm_model(n_timesteps, units=20):
    """A go_backwards LSTM whose outputs are put back into time order."""
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    units = check_positive_int(units, "units")
    model = keras.Sequential(
        [
            keras.Input(shape=(n_timesteps, 1)),
            layers.LSTM(units, return_sequences=True, go_backwards=True),
            # go_backwards returns the last timestep's output first: flip the
            # sequence so that output t lines up with label t again.
            layers.Lambda(lambda h: ops.flip(h, axis=1), name="flip_time"),
            layers.TimeDistributed(layers.Dense(1, activation="sigmoid")),
        ],
        name="lstm_back_aligned",
    )
    return compile_model(model)


# name -> function(n_timesteps, units) returning a compiled model.
MODELS = {
    "lstm_forw": lambda n, units: get_lstm_model(n, False, units),
    "lstm_back": lambda n, units: get_lstm_model(n, True, units),
    "lstm_back_aligned": get_aligned_lstm_model,
    "bilstm_con": lambda n, units: get_bi_lstm_model(n, "concat", units),
}


def repeat_seeds(seed, repeat):
    """Seeds for one repeat, derived from --seed and the repeat number.

    Returns (training data seed, test data seed, weight seed). Every model in
    the repeat uses the same three, which makes the comparison paired.
    """
    train, test, weights = np.random.SeedSequence([seed, repeat]).spawn(3)
    return train, test, int(weights.generate_state(1)[0])


def reuse_model(model, builder, n_timesteps, units, weight_seed):
    """Give an already compiled model fresh weights and a fresh optimizer.

    Compiling (tracing) a model costs far more than training it for 250
    epochs, so each configuration is compiled once and re-initialised for
    every repeat: the weights are those a newly built model gets from
    `weight_seed`, and the optimizer's state (step count, moments) goes back
    to zero. Training then gives the same losses as a newly built model.
    """
    keras.utils.set_random_seed(weight_seed)
    fresh = builder(n_timesteps, units)
    if model is None:
        fresh.initial_optimizer_state = [
            ops.convert_to_numpy(v) for v in fresh.optimizer.variables
        ]
        return fresh
    model.set_weights(fresh.get_weights())
    for variable, value in zip(
        model.optimizer.variables, model.initial_optimizer_state, strict=True
    ):
        variable.assign(value)
    return model


def run_comparison(builders, args, progbar=None, on_repeat=None):
    """Train every model in every repeat; return the tidy results.

    `builders` maps names to model functions (like MODELS); `args` holds
    the settings as the parsed flags do (timesteps, units, epochs, repeats,
    seed, eval_sequences). After each
    finished repeat, on_repeat(results, accuracies) is called with all
    finished repeats so far. Returns (results, accuracies): one row per
    (model, repeat, epoch) with loss and acc, and one row per (model,
    repeat) with test accuracy and the baseline on the same sequences. If
    interrupted, the KeyboardInterrupt carries the finished repeats as its
    `results` and `accuracies` attributes.
    """
    models = dict.fromkeys(builders)
    result_parts, accuracy_rows = [], []

    def tables():
        results = (
            pd.concat(result_parts, ignore_index=True)
            if result_parts
            else pd.DataFrame(
                columns=["model", "repeat", "epoch", "loss", "acc"]
            )
        )
        return results, pd.DataFrame(
            accuracy_rows, columns=["model", "repeat", "accuracy", "baseline"]
        )

    try:
        for repeat in range(1, args.repeats + 1):
            train_seed, test_seed, weight_seed = repeat_seeds(
                args.seed, repeat
            )
            parts, rows = [], []
            for name, builder in builders.items():
                models[name] = model = reuse_model(
                    models[name],
                    builder,
                    args.timesteps,
                    args.units,
                    weight_seed,
                )
                history = train_model(
                    model,
                    args.timesteps,
                    args.epochs,
                    np.random.default_rng(train_seed),
                    verbose=0,
                    progbar=progbar,
                )
                history = history.reset_index()
                history.insert(0, "repeat", repeat)
                history.insert(0, "model", name)
                parts.append(history)
                accuracy, baseline = evaluate_model(
                    model,
                    args.timesteps,
                    args.eval_sequences,
                    np.random.default_rng(test_seed),
                )
                rows.append((name, repeat, accuracy, baseline))
            result_parts.extend(parts)
            accuracy_rows.extend(rows)
            if on_repeat is not None:
                on_repeat(*tables())
    except KeyboardInterrupt as interrupt:
        interrupt.results, interrupt.accuracies = tables()
        raise
    return tables()


def mean_and_ci(values):
    """Mean and half-width of a 95% t confidence interval (NaN if n < 2)."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return mean, float("nan")
    sem = values.std(ddof=1) / np.sqrt(len(values))
    return mean, float(stats.t.ppf(0.975, len(values) - 1) * sem)


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


def summarize(results, accuracies):
    """One row per model: loss by window with 95% CIs, speed, accuracy."""
    n_epochs = int(results["epoch"].max())
    rows = []
    for name, runs in results.groupby("model", sort=False):
        row = {"model": name, "repeats": runs["repeat"].nunique()}
        by_repeat = runs.pivot(index="epoch", columns="repeat", values="loss")
        for first, last in loss_windows(n_epochs):
            window = by_repeat.loc[first:last].mean()
            mean, ci = mean_and_ci(window)
            row[f"loss {first}-{last}"] = mean
            row[f"loss {first}-{last} ci95"] = ci
        reached = [epochs_to_target(by_repeat[r]) for r in by_repeat]
        reached = np.array(reached)
        finished = np.isfinite(reached)
        row["ma20<0.3 epoch (median)"] = (
            float(np.median(reached[finished])) if finished.any() else np.nan
        )
        row["ma20<0.3 reached"] = int(finished.sum())
        scores = accuracies[accuracies["model"] == name]
        row["test acc"], row["test acc ci95"] = mean_and_ci(scores["accuracy"])
        row["baseline acc"] = float(scores["baseline"].mean())
        rows.append(row)
    return pd.DataFrame(rows).set_index("model")


def format_summary(summary):
    """The summary as an aligned text table, mean +- 95% CI half-width."""
    table = pd.DataFrame(index=summary.index)
    for column in summary.columns:
        if column.endswith(" ci95") or column == "ma20<0.3 reached":
            continue
        if f"{column} ci95" in summary:
            table[column] = [
                f"{m:.3f}" + ("" if np.isnan(c) else f" ± {c:.3f}")
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
            table[column] = [f"{v:.3f}" for v in summary[column]]
    return table.to_string()


def plot_results(results, path, title, show=False):
    """Mean loss per epoch for each model, with a shaded 95% band."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5.5), layout="constrained")
    for name, runs in results.groupby("model", sort=False):
        by_repeat = runs.pivot(index="epoch", columns="repeat", values="loss")
        mean = by_repeat.mean(axis=1)
        (line,) = ax.plot(mean.index, mean, linewidth=1.2, label=name)
        if by_repeat.shape[1] > 1:
            sem = by_repeat.std(axis=1, ddof=1) / np.sqrt(by_repeat.shape[1])
            half = stats.t.ppf(0.975, by_repeat.shape[1] - 1) * sem
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
    save_atomically(path, fig.savefig)
    if show:
        plt.show()
    plt.close(fig)


def check_out_dir(parser, path):
    """Refuse an --out that cannot be created and written, creating nothing."""
    existing = os.path.abspath(path)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        parser.error(
            f"argument --out: cannot create directory {path!r}: "
            f"{existing} is a file"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        parser.error(
            f"argument --out: cannot write to {path!r}: "
            f"{existing} is not writable"
        )


def make_comparison_parser(doc, model_names):
    """Flags for the comparison scripts, defaults from the tutorial."""
    parser = make_parser(doc)
    parser.add_argument(
        "--models",
        nargs="+",
        choices=model_names,
        default=list(model_names),
        metavar="NAME",
        help=f"models to compare, from {', '.join(model_names)}"
        " (default: all)",
    )
    add_experiment_arguments(parser, epochs=250)
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=5,
        help="independent runs of every model (default: 5)",
    )
    parser.add_argument(
        "--out",
        default="results",
        help="directory for CSV, summary and PNG (default: results)",
    )
    parser.add_argument(
        "--show", action="store_true", help="also open the plot in a window"
    )
    return parser


def compare_main(name, builders, doc, argv=None):
    """The body of a comparison script; returns its exit status."""
    parser = make_comparison_parser(doc, list(builders))
    args = parser.parse_args(argv)
    check_out_dir(parser, args.out)
    chosen = {model: builders[model] for model in dict.fromkeys(args.models)}

    print(describe_run(f"{name}: {', '.join(chosen)}"))
    freeze_imported_objects()
    print(
        f"{args.repeats} repeats x {args.epochs} epochs, timesteps "
        f"{args.timesteps}, units {args.units}, seed {args.seed}"
    )
    paths = {
        kind: os.path.join(args.out, f"{name}{kind}")
        for kind in (".csv", "_summary.csv", "_summary.txt", ".png")
    }

    def save_results(results, accuracies):
        os.makedirs(args.out, exist_ok=True)
        save_atomically(
            paths[".csv"], lambda p: results.to_csv(p, index=False)
        )

    progbar = keras.utils.Progbar(
        len(chosen) * args.repeats * args.epochs,
        stateful_metrics=["loss", "acc"],
    )
    status = 0
    try:
        results, accuracies = run_comparison(
            chosen, args, progbar, save_results
        )
    except KeyboardInterrupt as interrupt:
        results, accuracies = interrupt.results, interrupt.accuracies
        status = 128 + signal.SIGINT
        finished = results["repeat"].nunique()
        print(f"\nInterrupted: keeping the {finished} finished repeat(s).")
        if finished == 0:
            print("Nothing was finished, nothing written.")
            return status

    summary = summarize(results, accuracies)
    text = format_summary(summary)
    print(text)
    save_atomically(paths["_summary.csv"], summary.to_csv)
    save_atomically(
        paths["_summary.txt"], lambda p: open_write(p, text + "\n")
    )
    repeats = results["repeat"].nunique()
    title = (
        f"{name}: mean loss over {repeats} repeat(s), 95% band; "
        f"{args.epochs} epochs, timesteps {args.timesteps}, units "
        f"{args.units}, seed {args.seed}, {keras.backend.backend()}"
    )
    plot_results(results, paths[".png"], title, show=args.show)
    print("wrote " + ", ".join(paths.values()))
    if status:
        print(f"(interrupted run: {repeats} of {args.repeats} repeats)")
    return status


def open_write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def main(argv=None):
    return compare_main("compare_directions", MODELS, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

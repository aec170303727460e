"""A comparison: the tutorial's listing run --repeats times, paired: in
repeat r every model starts from the same weights, trains on the same
sequences and is tested on the same fresh ones every few epochs. The CSVs
are rewritten after every repeat, so a signal keeps every finished one."""

import dataclasses
import gc
import math
import os
import time
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from support import ending, evaluation, files, plots, report, speed, summary
from support.baseline import hard_timesteps

COLUMNS = {  # of the CSVs, which grow with every repeat
    "losses": ["model", "repeat", "epoch", "loss"],
    "tests": ["model", "repeat", "timestep", "loss", "accuracy", "baseline"],
    "during": ["model", "repeat", "epoch", "accuracy", "baseline"]
    + ["hard accuracy", "hard baseline"],
}
FILES = {
    "losses": ".csv",
    "tests": "_by_timestep.csv",
    "during": "_during_training.csv",
    "summary": "_summary.txt",
    "losses picture": ".png",
    "tests picture": "_by_timestep.png",
}


@dataclasses.dataclass
class Comparison:
    """What run() kept, for finish(): its files' names and the results."""

    name: str  # the files' stem, e.g. compare_directions_midpoint
    about: str  # the run's settings, in words
    paths: dict  # key of FILES -> path in --out
    kept: dict  # key of COLUMNS -> a DataFrame per finished repeat
    saved: dict  # key of FILES -> whether its latest write succeeded


class Repeat:
    """One run of the listing: the seeds its models share, its models."""

    def __init__(self, number, args, compiled):
        self.number, self.args = number, args
        seeds = np.random.SeedSequence([args.seed, number]).spawn(3)
        self.train_seed, self.test_seed = seeds[:2]
        self.weight_seed = int(seeds[2].generate_state(1)[0])
        self.compiled = compiled  # name -> compiled model, across repeats
        self.models = {}  # name -> the model trained in this repeat
        self.tests = []  # test figures, every `every` epochs and the last
        self.every = 25 * math.ceil(args.epochs / 250)

    def model(self, name, get_model, *args, **kwargs):
        """get_model(...) with the repeat's weights (speed: see reuse)."""
        if name not in self.compiled:  # ours: no silence while it compiles
            print(f"compiling {name} (the first repeat only)")
        keras.utils.set_random_seed(self.weight_seed)
        model = speed.reuse(self.compiled, name, get_model(*args, **kwargs))
        self.models[name] = model
        return model

    def rng(self):
        """The repeat's training sequences: the same for every model."""
        return np.random.default_rng(self.train_seed)

    def on_epoch(self, name):
        """on_epoch for `name`: tests every `every` epochs and the last."""
        epoch = 0  # how many `name` has finished

        def after(_logs):
            nonlocal epoch
            epoch += 1
            if epoch % self.every == 0 or epoch == self.args.epochs:
                self.test(name, epoch)
            ending.check()

        return after

    def test(self, name, epoch):
        """Test model `name` after `epoch` epochs on the repeat's sequences."""
        a = self.args
        tests = evaluation.evaluate_by_timestep(
            self.models[name],
            a.timesteps,
            a.eval_sequences,
            self.test_seed,
            a.labels,
            often=epoch < a.epochs,
        )
        tests = tests.assign(model=name, repeat=self.number, epoch=epoch)
        self.tests.append(tests)


def run(name, listing, args):
    """listing(repeat, args) --repeats times, the CSVs after each; returns
    the Comparison for finish()."""
    about = f"{args.repeats} repeats x {args.epochs} epochs, timesteps"
    about += f" {args.timesteps}, units {args.units}, seed {args.seed},"
    about += f" {keras.backend.backend()}"
    if args.labels != "cumsum":  # ours: another rule's files beside
        name += f"_{args.labels}"
        about += f", {args.labels} labels"
    paths = {k: os.path.join(args.out, name + end) for k, end in FILES.items()}
    print(report.describe_run(f"{name}: {', '.join(args.models)}"))
    print(about)
    comparison = Comparison(name, about, paths, {k: [] for k in COLUMNS}, {})
    compiled = {}  # speed: every model compiled once, see speed.reuse
    gc.freeze()  # speed: the imports' objects leave the GC's walks
    hard = hard_timesteps(args.timesteps, args.labels)
    with ending.early():
        for number in range(1, args.repeats + 1):
            started = time.perf_counter()
            repeat = Repeat(number, args, compiled)
            results = listing(repeat, args)
            keep(comparison, repeat, results, hard)
            if number == 1:  # an older run's summary and pictures go
                for key in set(FILES) - set(COLUMNS):
                    if os.path.isfile(paths[key]):
                        os.remove(paths[key])
            means = ", ".join(f"{c} {results[c].mean():.3f}" for c in results)
            seconds = time.perf_counter() - started
            print(f"repeat {number}/{args.repeats} ({seconds:.1f} s): {means}")
    return comparison


def keep(comparison, repeat, results, hard):
    """Add a finished repeat to the comparison and rewrite its CSVs."""
    kept, last = comparison.kept, repeat.args.epochs
    tests = pd.concat(repeat.tests)
    kept["tests"].append(tests[tests["epoch"] == last])
    kept["during"].append(evaluation.accuracy_during(tests, hard))
    losses = results.melt(var_name="model", value_name="loss")
    losses["epoch"] = np.tile(results.index + 1, results.shape[1])
    kept["losses"].append(losses.assign(repeat=repeat.number))
    for key, columns in COLUMNS.items():
        table = pd.concat(kept[key])[columns]
        path = comparison.paths[key]
        comparison.saved[key] = files.save(path, table_writer(table))


def table_writer(table):
    """write(path) for files.save: `table` as a CSV."""

    def write(path):
        table.to_csv(path, index=False)

    return write


def finish(comparison, args, reference):
    """Save the summary (paired with `reference`) and the pictures, then
    print the summary: a console that fails costs only the printing."""
    finished = len(comparison.kept["losses"])
    if ending.stopped_by():
        stopped = f"keeping the {finished} finished repeat(s)."
        print("\n" + ending.interrupted(stopped))
    if not finished:
        return
    paths, saved = comparison.paths, comparison.saved
    losses, tests, during = (pd.concat(comparison.kept[k]) for k in COLUMNS)
    hard = hard_timesteps(args.timesteps, args.labels)
    text = summary.report(losses, tests, during, hard, reference)
    header = f"{comparison.name}: {comparison.about}; {finished} repeat(s)"
    summary_text = f"{header} finished\n{text}"

    def write_summary(path):
        Path(path).write_text(summary_text, "utf-8")

    saved["summary"] = files.save(paths["summary"], write_summary)
    title = f"{comparison.name}, {comparison.about}"
    if finished < args.repeats:
        title += f" ({finished} of {args.repeats} repeats)"
    colours = plots.model_colours(args.choices)
    pictures = {
        "losses picture": plots.losses_picture(losses, during, title, colours),
        "tests picture": plots.tests_picture(tests, hard, title, colours),
    }
    for key, picture in pictures.items():
        saved[key] = files.save(paths[key], picture.savefig)
    print(text)
    print("wrote " + ", ".join(paths[k] for k, ok in saved.items() if ok))

"""A comparison: the tutorial's listing run --repeats times, paired: in
repeat r every model starts from the same weights, trains on the same
sequences and is tested on the same fresh ones every few epochs. The CSVs
are rewritten after every repeat, so a signal keeps every finished one."""

import gc
import itertools
import math
import os
import time
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from data import hard_timesteps
from support import ending, evaluation, plots, report, speed, summary

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
        keras.utils.set_random_seed(self.weight_seed)
        model = speed.reuse(self.compiled, name, get_model(*args, **kwargs))
        self.models[name] = model
        return model

    def rng(self):
        """The repeat's training sequences: the same for every model."""
        return np.random.default_rng(self.train_seed)

    def on_epoch(self, name):
        """on_epoch for `name`: tests every `every` epochs and the last."""
        epochs, a = itertools.count(1), self.args

        def after(_logs):
            epoch = next(epochs)
            if epoch % self.every == 0 or epoch == a.epochs:
                tests = evaluation.evaluate_by_timestep(
                    self.models[name], a.timesteps, a.eval_sequences,
                    self.test_seed, a.labels, often=epoch < a.epochs,
                )  # fmt: skip
                tests = tests.assign(model=name, repeat=self.number)
                self.tests.append(tests.assign(epoch=epoch))
            ending.check()

        return after


def run(name, listing, args):
    """listing(repeat, args) --repeats times, the CSVs after each."""
    ours = args.labels != "cumsum"  # ours: another rule's files beside
    name += f"_{args.labels}" * ours
    paths = {k: os.path.join(args.out, name + end) for k, end in FILES.items()}
    about = f"{args.repeats} repeats x {args.epochs} epochs, timesteps"
    about += f" {args.timesteps}, units {args.units}, seed {args.seed},"
    about += f" {keras.backend.backend()}" + f", {args.labels} labels" * ours
    print(report.describe_run(f"{name}: {', '.join(args.models)}"))
    print(about)
    gc.freeze()  # speed: the imports' objects leave the GC's walks
    kept, saved, compiled = {key: [] for key in COLUMNS}, {}, {}
    hard = hard_timesteps(args.timesteps, args.labels)
    with ending.early():
        for number in range(1, args.repeats + 1):
            started = time.perf_counter()
            repeat = Repeat(number, args, compiled)
            results = listing(repeat, args)
            tests = pd.concat(repeat.tests)
            kept["tests"].append(tests[tests["epoch"] == args.epochs])
            kept["during"].append(accuracy_during(tests, hard))
            losses = results.melt(var_name="model", value_name="loss")
            losses["epoch"] = np.tile(results.index + 1, results.shape[1])
            kept["losses"].append(losses.assign(repeat=number))
            for key, columns in COLUMNS.items():
                table = pd.concat(kept[key])[columns]
                write = lambda path, t=table: t.to_csv(path, index=False)  # noqa: E731
                saved[key] = ending.save(paths[key], write)
            if number == 1:  # an older run's summary and pictures go
                for key in set(FILES) - set(COLUMNS):
                    if os.path.isfile(paths[key]):
                        os.remove(paths[key])
            means = ", ".join(f"{c} {results[c].mean():.3f}" for c in results)
            seconds = time.perf_counter() - started
            print(f"repeat {number}/{args.repeats} ({seconds:.1f} s): {means}")
    return name, args, about, paths, kept, saved


def finish(comparison, reference):
    """Print and save the summary (paired with `reference`), and draw."""
    name, args, about, paths, kept, saved = comparison
    finished = len(kept["losses"])
    if ending.stopped_by():
        stopped = f"Interrupted ({ending.stopped_by()})"
        print(f"\n{stopped}: keeping the {finished} finished repeat(s).")
    if not finished:
        return
    losses, tests, during = (pd.concat(kept[k]) for k in COLUMNS)
    hard = hard_timesteps(args.timesteps, args.labels)
    text = summary.report(losses, tests, during, hard, reference)
    print(text)
    header = f"{name}: {about}; {finished} repeat(s) finished\n"
    write = lambda path: Path(path).write_text(header + text, "utf-8")  # noqa: E731
    saved["summary"] = ending.save(paths["summary"], write)
    title = f"{name}, {about}"
    if finished < args.repeats:
        title += f" ({finished} of {args.repeats} repeats)"
    colours = args.colours
    pictures = {
        "losses picture": plots.losses_picture(losses, during, title, colours),
        "tests picture": plots.tests_picture(tests, hard, title, colours),
    }
    for key, picture in pictures.items():
        saved[key] = ending.save(paths[key], picture.savefig)
    print("wrote " + ", ".join(paths[k] for k, ok in saved.items() if ok))


def accuracy_during(tests, hard):
    """Test accuracy, overall and hard, a row per model, repeat, epoch."""
    keys, columns = ["model", "repeat", "epoch"], ["accuracy", "baseline"]
    overall = tests.groupby(keys, sort=False)[columns].mean()
    at_hard = tests[tests["timestep"].isin(hard)]
    at_hard = at_hard.groupby(keys, sort=False)[columns].mean()
    return overall.join(at_hard.add_prefix("hard ")).reset_index()

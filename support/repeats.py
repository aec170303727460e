"""Repeats of a comparison listing: paired seeds, files, summary, plot.

A comparison script hands run() its listing: a function that builds and
trains each model once, as the tutorial's listing does, and returns the
DataFrame of losses (one column per model). run() calls it --repeats
times and evaluates every trained model on the repeat's test sequences,
timestep by timestep. After every finished repeat it rewrites the two tidy
CSVs (losses: one row per run id, model, repeat and epoch; test results:
one per run id, model, repeat and timestep), so Ctrl-C or SIGTERM keeps
every finished repeat; finish() then prints and saves the summary and
draws the two pictures.
"""

import contextlib
import hashlib
import importlib
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import keras
import numpy as np
import pandas as pd

from support import (
    environment,
    evaluation,
    files,
    interrupts,
    plots,
    report,
    seeds,
    speed,
    summary,
    workers,
)

KINDS = (
    ".csv",
    "_by_timestep.csv",
    "_summary.csv",
    "_summary.txt",
    ".png",
    "_by_timestep.png",
)
# An older run's files that a new run's first CSVs make stale.
STALE = ("_summary.csv", "_summary.txt", ".png", "_by_timestep.png")


class Repeat:
    """One run of the listing: the seeds its models share, and the models."""

    def __init__(self, number, seed, compiled):
        self.number = number
        self.train_seed, self.test_seed, self.weight_seed = seeds.repeat_seeds(
            seed, number
        )
        self.compiled = compiled  # name -> compiled model, across repeats
        self.models = {}  # name -> model trained in this repeat

    def model(self, name, get_model, *args, **kwargs):
        """get_model(*args, **kwargs), its weights from the repeat's seed.

        Speed only: the model is compiled once per name and re-initialised
        in later repeats (speed.reuse); the losses stay the same.
        """
        seeds.seed_weights(self.weight_seed)
        model = speed.reuse(self.compiled, name, get_model(*args, **kwargs))
        self.models[name] = model
        return model

    def rng(self):
        """The repeat's training sequences: the same for every model."""
        return np.random.default_rng(self.train_seed)


@dataclass
class Comparison:
    """What run() gathered: tidy losses, accuracies, and how it ended."""

    name: str
    args: object
    run_id: str
    paths: dict
    finished: dict = field(default_factory=dict)  # repeat -> 2 tables
    stop: interrupts.Stop = None
    failed: set = field(default_factory=set)  # CSVs whose last write failed
    lines: dict = field(default_factory=dict)  # repeat -> progress line
    printed: int = 0  # the last repeat whose line was printed
    worker_died: str = ""  # the line that says so, if one did

    def tables(self):
        """All finished repeats, in repeat order: tidy losses and tidy test
        results (the same files whichever process ran which repeat)."""
        ordered = [self.finished[n] for n in sorted(self.finished)]
        return tuple(
            pd.concat(frames, ignore_index=True)
            for frames in zip(*ordered, strict=True)
        )


def run_id(name, args):
    """A short id for what decides a run's results: the script, the
    settings, the backend, Keras's float type and the versions of Keras,
    the backend's library and NumPy. The same flags (whatever --out) give
    the same id and the same files; every file a run writes carries it."""
    backend = keras.backend.backend()
    library = importlib.import_module(backend)
    versions = [keras.__version__, library.__version__, np.__version__]
    settings = [name, backend, keras.config.floatx(), *versions] + [
        getattr(args, key)
        for key in ("models", "timesteps", "units", "epochs", "repeats")
        + ("seed", "eval_sequences")
    ]
    digest = hashlib.sha256(repr(settings).encode()).hexdigest()
    return "r" + digest[:8]  # the letter: "12e45678" would read as a number


def describe(comparison):
    args = comparison.args
    return (
        f"run {comparison.run_id}: {args.repeats} repeats x {args.epochs}"
        f" epochs, timesteps {args.timesteps}, units {args.units},"
        f" seed {args.seed}, {keras.backend.backend()}"
    )


def one_repeat(listing, args, number, compiled):
    """Repeat `number`: listing(repeat, args), then every trained model
    tested on the repeat's fresh sequences, timestep by timestep. Returns
    (number, seconds, the listing's losses, {model: test figures})."""
    started = time.perf_counter()
    repeat = Repeat(number, args.seed, compiled)
    losses = listing(repeat, args)
    scores = {
        model_name: evaluation.evaluate_by_timestep(
            model,
            args.timesteps,
            args.eval_sequences,
            np.random.default_rng(repeat.test_seed),
        )
        for model_name, model in repeat.models.items()
    }
    return number, time.perf_counter() - started, losses, scores


def run(name, listing, args):
    """Call listing(repeat, args) for each of --repeats repeats, in this
    process (--jobs 1) or in --jobs worker processes; see the module
    docstring. Returns a Comparison."""
    paths = {kind: os.path.join(args.out, f"{name}{kind}") for kind in KINDS}
    problem = files.claim_out_dir(args.out, list(paths.values()))
    if problem:  # before any training, as a bad flag is
        environment.refuse(f"argument --out: {problem}")
    comparison = Comparison(name, args, run_id(name, args), paths)
    print(report.describe_run(f"{name}: {', '.join(args.models)}"))
    print(describe(comparison))
    with interrupts.stop_early() as comparison.stop:
        if args.jobs == 1:
            compiled = {}
            for number in range(1, args.repeats + 1):
                record(comparison, one_repeat(listing, args, number, compiled))
        else:
            run_in_workers(comparison, listing)
    print_progress(comparison, ended=True)
    return comparison


def run_in_workers(comparison, listing):
    """The repeats in --jobs worker processes, recorded as they finish."""
    args = comparison.args
    print(f"running the repeats in {args.jobs} worker processes")
    pool = workers.Pool(args.jobs)
    early = True
    try:
        futures = [
            pool.submit(one_repeat, listing, args, number)
            for number in range(1, args.repeats + 1)
        ]
        pending = set(futures)
        while pending:
            done, pending = wait(pending, 0.2, FIRST_COMPLETED)
            for future in sorted(done, key=futures.index):
                record(comparison, future.result())
            interrupts.check()  # a signal stops the workers here
        early = False
    except BrokenProcessPool:
        pool.note_started()
        lost = sorted(set(pool.running) - set(comparison.finished))
        comparison.worker_died = (
            "error: a worker process died (killed, or out of memory) while"
            f" running repeat{'s' * (len(lost) > 1)}"
            f" {', '.join(map(str, lost)) or '?'};"
            f" keeping the {len(comparison.finished)} finished repeat(s)"
        )
    finally:
        pool.close(early)


def record(comparison, result):
    """Keep one finished repeat, rewrite the CSVs, print its line."""
    number, seconds, losses, scores = result
    run = comparison.run_id
    finished = tidy(losses, number, run), tidy_scores(scores, number, run)
    comparison.finished[number] = finished  # one step
    save_csv(comparison, first=len(comparison.finished) == 1)
    means = ", ".join(f"{c} {losses[c].mean():.3f}" for c in losses)
    comparison.lines[number] = (
        f"repeat {number}/{comparison.args.repeats} ({seconds:.1f} s),"
        f" mean loss: {means}"
    )
    print_progress(comparison)


def print_progress(comparison, ended=False):
    """Print the finished repeats' lines in repeat order: each once the
    repeats before it have finished, or (ended) all that are left."""
    while comparison.lines:
        first = min(comparison.lines)
        if not ended and first != comparison.printed + 1:
            return
        print(comparison.lines.pop(first))
        comparison.printed = first


def tidy(losses, repeat, run):
    """The listing's wide DataFrame as rows of (run, model, repeat, epoch,
    loss)."""
    frame = losses.rename_axis("epoch").reset_index()
    frame["epoch"] += 1
    frame = frame.melt(id_vars="epoch", var_name="model", value_name="loss")
    frame.insert(0, "repeat", repeat)
    frame.insert(0, "run", run)
    return frame[["run", "model", "repeat", "epoch", "loss"]]


def tidy_scores(scores, repeat, run):
    """evaluate_by_timestep's figures per model as rows of (run, model,
    repeat, timestep, loss, accuracy, baseline)."""
    frames = [
        pd.DataFrame(
            {
                "run": run,
                "model": name,
                "repeat": repeat,
                "timestep": np.arange(1, len(figures["loss"]) + 1),
                "loss": figures["loss"],
                "accuracy": figures["accuracy"],
                "baseline": figures["baseline"],
            }
        )
        for name, figures in scores.items()
    ]
    return pd.concat(frames, ignore_index=True)


def save_csv(comparison, first):
    """Rewrite both CSVs with every finished repeat. The first time, remove
    an older run's summary and pictures, which no longer belong with them."""
    kinds = (".csv", "_by_timestep.csv")
    for kind, table in zip(kinds, comparison.tables(), strict=True):
        path = comparison.paths[kind]
        if files.save(path, lambda p, t=table: t.to_csv(p, index=False)):
            comparison.failed.discard(kind)
        else:
            comparison.failed.add(kind)
    if first:
        for kind in STALE:
            with contextlib.suppress(FileNotFoundError):
                os.remove(comparison.paths[kind])


def finish(comparison):
    """Print and save the summary table, then the banded loss plot; then
    let other runs write into --out again. Returns the exit status."""
    try:
        return save_results(comparison)
    finally:
        files.release_out_dirs()


def save_results(comparison):
    """Print and save the summary table, then the banded loss plot.

    Returns the exit status: 128 + the signal after one (130 Ctrl-C, 143
    SIGTERM, 129 SIGHUP, even if it came while this saves), 1 if a worker
    died or a file could not be written, else 0.
    """
    finished = len(comparison.finished)
    failed = bool(comparison.worker_died)
    if comparison.worker_died:
        print(comparison.worker_died, file=sys.stderr)
    early = comparison.stop.signal is not None  # before the summary
    if early:
        print(f"\nInterrupted: keeping the {finished} finished repeat(s).")
    if not finished:
        print("Nothing was finished, nothing written.")
        return interrupts.exit_status() or int(failed)
    results, by_timestep = comparison.tables()
    hard = evaluation.hard_timesteps(comparison.args.timesteps)
    table = summary.summarize(results, by_timestep, hard)
    table.insert(0, "run", comparison.run_id)
    text = (
        summary.format_summary(table.drop(columns="run"))
        + "\n\n"
        + summary.format_by_timestep(by_timestep, hard)
    )
    print(text)
    header = f"{describe(comparison)}; {finished} repeat(s) finished\n"
    paths = comparison.paths
    written = {
        paths[".csv"]: ".csv" not in comparison.failed,
        paths["_by_timestep.csv"]: "_by_timestep.csv" not in comparison.failed,
        paths["_summary.csv"]: files.save(paths["_summary.csv"], table.to_csv),
        paths["_summary.txt"]: files.save_text(
            paths["_summary.txt"], header + text + "\n"
        ),
    }
    title = f"{comparison.name}, {describe(comparison)}"
    if finished < comparison.args.repeats:
        title += f" ({finished} of {comparison.args.repeats} repeats)"
    show = comparison.args.show
    written[paths[".png"]] = plots.plot_losses(
        results, paths[".png"], title, show
    )
    written[paths["_by_timestep.png"]] = plots.plot_by_timestep(
        by_timestep, hard, paths["_by_timestep.png"], title, show
    )
    print("wrote " + ", ".join(path for path, ok in written.items() if ok))
    if early:
        planned = comparison.args.repeats
        print(f"(interrupted run: {finished} of {planned} repeats)")
    elif interrupts.first_signal() is not None:
        name = interrupts.NAMES[interrupts.first_signal()]
        print(f"Interrupted ({name}) while saving; the files above are whole.")
    failed = failed or not all(written.values())
    return interrupts.exit_status() or int(failed)

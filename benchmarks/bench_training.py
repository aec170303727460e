"""Benchmark: our training and evaluation beside the tutorial's loop.

Measures, in one process and on the current Keras backend:
1. per-update cost of the tutorial's loop (a new sequence, then
   model.fit(X, y, epochs=1, batch_size=1)) against our train_model, for
   the LSTM and the BiLSTM, interleaved in blocks, with the medians and
   their ratio; also train_on_batch on a model compiled with Keras'
   defaults, to show what XLA (jit_compile=True on TensorFlow) adds;
2. evaluation cost: one predict call per sequence (the tutorial) against
   our evaluate_by_timestep (one predict_on_batch call over all the
   sequences), each on a new model, first call and again;
3. how much of a comparison run goes into building and compiling models:
   compare_directions.py (3 repeats) with a new model per (model, repeat)
   against one compiled model per configuration, re-initialised for each
   repeat (support.speed.reuse);
4. wall time of whole processes, imports included: the tutorial's listing
   (tutorial/section3_lstm.py), lstm_classifier.py, and both comparisons,
   each with its defaults.

Prints a markdown table; --json FILE saves the same figures. Absolute times
depend on the machine and its load; the ratios are what carry over.

Run:
    python benchmarks/bench_training.py
    KERAS_BACKEND=jax python benchmarks/bench_training.py --json jax.json
"""

import contextlib
import functools
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import processes  # noqa: E402 (a sibling module)

from support import cli, files  # noqa: E402

# updates per block (fit loop, others), sequences evaluated, and a
# comparison's repeats and epochs
SIZES = {"updates": (40, 400), "sequences": 100, "comparison": (3, 250)}
SIZES["models"] = ["lstm_forw", "lstm_back", "bilstm_con", "lstm_back_aligned"]
SMOKE = {"updates": (2, 4), "sequences": 5, "comparison": (1, 3)}
SMOKE["models"] = ["lstm_forw"]  # the test suite's: that it runs


def parse_args(argv):
    """Every flag is checked before anything is imported or timed."""
    parser = cli.make_parser(__file__, __doc__.splitlines()[0])
    cli.add(parser, "--blocks", 1, 1000, 5, "interleaved timing blocks")
    parser.add_argument("--json", metavar="FILE", help="save figures as JSON")
    parser.add_argument(
        "--skip-processes",
        action="store_true",
        help="skip the whole-process timings",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, no processes: that it runs (the tests), no timing",
    )
    args = parser.parse_args(argv)
    args.sizes = SMOKE if args.smoke else SIZES
    args.skip_processes = args.skip_processes or args.smoke
    if args.json is not None:
        cli.check_file(parser, "--json", args.json, ".json")
    return args


ARGS = parse_args(sys.argv[1:]) if __name__ == "__main__" else None

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from keras import layers  # noqa: E402

import compare_directions  # noqa: E402
from bilstm_classifier import get_bi_lstm_model  # noqa: E402
from data import get_sequence, get_sequences  # noqa: E402
from lstm_classifier import get_lstm_model, train_model  # noqa: E402
from support import speed  # noqa: E402
from support.evaluation import evaluate_by_timestep  # noqa: E402


def tutorial_model(bidirectional):
    """The model as the tutorial compiles it: Keras' default settings."""
    lstm = layers.LSTM(20, return_sequences=True)
    model = keras.Sequential(
        [
            keras.Input(shape=(10, 1)),
            layers.Bidirectional(lstm) if bidirectional else lstm,
            layers.TimeDistributed(layers.Dense(1, activation="sigmoid")),
        ]
    )
    model.compile(
        loss="binary_crossentropy", optimizer="adam", metrics=["acc"]
    )
    return model


def tutorial_fit_loop(model, n_updates, rng):
    for _ in range(n_updates):
        X, y = get_sequence(10, rng=rng)
        model.fit(X, y, epochs=1, batch_size=1, verbose=0)


def default_train_on_batch_loop(model, n_updates, rng):
    for _ in range(n_updates):
        X, y = get_sequence(10, rng=rng)
        model.train_on_batch(X, y)


def our_loop(model, n_updates, rng):
    train_model(model, 10, n_epochs=n_updates, rng=rng)


def interleaved_medians(calls, repeats):
    """Run each zero-argument call `repeats` times, taking turns; return
    the median seconds of each call, by name."""
    times = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def per_update_costs(bidirectional, blocks, fit_updates, fast_updates):
    """Median milliseconds per update of each loop, interleaved in blocks."""
    ours = get_bi_lstm_model(10) if bidirectional else get_lstm_model(10)
    speed.tune(ours)
    loops = {
        "tutorial fit loop": (
            tutorial_model(bidirectional),
            tutorial_fit_loop,
            fit_updates,
        ),
        "train_on_batch, default compile": (
            tutorial_model(bidirectional),
            default_train_on_batch_loop,
            fast_updates,
        ),
        "our train_model": (ours, our_loop, fast_updates),
    }
    rng = np.random.default_rng(0)
    for model, loop, _ in loops.values():  # warm-up: tracing, compiling
        loop(model, 5, rng)
    blocks_of_updates = {
        name: functools.partial(loop, model, n_updates, rng)
        for name, (model, loop, n_updates) in loops.items()
    }
    seconds = interleaved_medians(blocks_of_updates, blocks)
    return {
        name: 1000 * seconds[name] / n_updates
        for name, (_, _, n_updates) in loops.items()
    }


TUTORIAL_PREDICT = "tutorial: predict per sequence"
OUR_EVALUATION = "our evaluate_by_timestep (data + baseline)"


def evaluation_costs(n_sequences, repeats):
    """Milliseconds to evaluate n_sequences, first call and again.

    Each method gets its own newly built model, so its first call pays for
    whatever that method traces or compiles, as a script does: a script
    evaluates once. The repeat cost (median) is what a loop would pay.
    """
    X, _ = get_sequences(n_sequences, 10, rng=np.random.default_rng(0))

    def tutorial(model):
        for i in range(n_sequences):
            (model.predict(X[i : i + 1], verbose=0) > 0.5).astype("int32")

    def batched_predict(model):
        (model.predict(X, verbose=0) > 0.5).astype("int32")

    def batched_predict_on_batch(model):
        (np.asarray(model.predict_on_batch(X)) > 0.5).astype("int32")

    def ours(model):
        evaluate_by_timestep(model, 10, n_sequences, 0)

    variants = {
        TUTORIAL_PREDICT: tutorial,
        "one model.predict over all": batched_predict,
        "one predict_on_batch over all": batched_predict_on_batch,
        OUR_EVALUATION: ours,
    }
    calls = {
        name: functools.partial(run, get_lstm_model(10))
        for name, run in variants.items()
    }
    first = interleaved_medians(calls, 1)
    again = interleaved_medians(calls, repeats)
    return {name: [1000 * first[name], 1000 * again[name]] for name in calls}


REBUILT = "new model per repeat"
REUSED = "one compiled model, re-initialised"


def comparison_costs(repeats, epochs, models):
    """Seconds for compare_directions.main, with and without reusing one
    compiled model per configuration; and whether the losses agree."""
    reuse = speed.reuse

    def always_new(compiled, name, fresh):
        return reuse({}, name, fresh)

    seconds, losses = {}, {}
    for label, function in [(REBUILT, always_new), (REUSED, reuse)]:
        speed.reuse = function
        out = tempfile.mkdtemp(prefix="bench-")
        flags = ["--repeats", str(repeats), "--epochs", str(epochs)]
        flags += ["--models", *models]
        try:
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                compare_directions.main([*flags, "--out", out])
            seconds[label] = time.perf_counter() - start
        finally:
            speed.reuse = reuse
        results = pd.read_csv(Path(out) / "compare_directions.csv")
        losses[label] = results["loss"].to_numpy()
    same = bool(np.allclose(*losses.values(), rtol=1e-5, atol=1e-6))
    return seconds, same


def process_seconds(command):
    """Wall time of one command; processes.Failed (one line) if it fails."""
    start = time.perf_counter()
    processes.run(command, ROOT, " ".join(map(str, command[1:])))
    return time.perf_counter() - start


def whole_process_costs(out_dir):
    python = sys.executable
    commands = {
        "tutorial listing (1000 x fit)": [
            python,
            "tutorial/section3_lstm.py",
        ],
        "lstm_classifier.py": [python, "lstm_classifier.py"],
        "compare_directions.py": [
            python,
            "compare_directions.py",
            "--out",
            out_dir,
        ],
        "compare_merge_modes.py": [
            python,
            "compare_merge_modes.py",
            "--out",
            out_dir,
        ],
    }
    return {name: process_seconds(cmd) for name, cmd in commands.items()}


def print_table(first_column, unit, values):
    """A two-column markdown table: name and value."""
    print(f"| {first_column} | {unit} |")
    print("|---|---|")
    for name, value in values.items():
        print(f"| {name} | {value:.1f} |")


def main(args):
    backend = keras.backend.backend()
    figures = {
        "backend": backend,
        "keras": keras.__version__,
        "cpu_count": os.cpu_count(),
    }
    print(
        f"Benchmark on Keras {keras.__version__}, backend {backend}, "
        f"{os.cpu_count()} CPU cores\n",
        flush=True,
    )

    print("## Per update (milliseconds, median of blocks)\n")
    print(
        "| model | tutorial fit loop | train_on_batch, default compile "
        "| our train_model | fit loop / ours |"
    )
    print("|---|---|---|---|---|")
    kinds = [("LSTM", False), ("BiLSTM", True)][: 1 if args.smoke else 2]
    for name, bidirectional in kinds:
        costs = per_update_costs(
            bidirectional, args.blocks, *args.sizes["updates"]
        )
        ratio = costs["tutorial fit loop"] / costs["our train_model"]
        figures[f"per_update_ms_{name}"] = costs
        figures[f"per_update_ratio_{name}"] = ratio
        print(
            f"| {name} | {costs['tutorial fit loop']:.2f} "
            f"| {costs['train_on_batch, default compile']:.2f} "
            f"| {costs['our train_model']:.2f} | {ratio:.1f}x |",
            flush=True,
        )

    n_sequences = args.sizes["sequences"]
    print(f"\n## Evaluating {n_sequences} sequences (milliseconds)\n")
    costs = evaluation_costs(n_sequences, args.blocks)
    figures["evaluation_ms"] = costs
    print("| method | first call | again (median) |")
    print("|---|---|---|")
    for name, (first, again) in costs.items():
        print(f"| {name} | {first:.1f} | {again:.1f} |")
    tutorial, ours = costs[TUTORIAL_PREDICT], costs[OUR_EVALUATION]
    ratios = [t / o for t, o in zip(tutorial, ours, strict=True)]
    figures["evaluation_ratio"] = {"first": ratios[0], "again": ratios[1]}
    print(
        f"\ntutorial / ours: {ratios[0]:.0f}x on the first call, "
        f"{ratios[1]:.0f}x again",
        flush=True,
    )

    repeats, epochs = args.sizes["comparison"]
    print(
        "\n## Building and compiling in a comparison "
        f"({len(args.sizes['models'])} models x {repeats} repeats x"
        f" {epochs} epochs, seconds)\n"
    )
    seconds, same = comparison_costs(repeats, epochs, args.sizes["models"])
    figures["comparison_seconds"] = seconds
    figures["comparison_same_losses"] = same
    print_table("method", "seconds", seconds)
    saved = 1 - seconds[REUSED] / seconds[REBUILT]
    print(
        f"\nshare of the run saved by reuse: {saved:.0%}; same losses: {same}",
        flush=True,
    )

    if not args.skip_processes:
        print(
            "\n## Whole processes with defaults, imports included (seconds)\n"
        )
        out_dir = str(Path(os.environ.get("TMPDIR", "/tmp")) / "bench-results")
        costs = whole_process_costs(out_dir)
        figures["process_seconds"] = costs
        print_table("command", "seconds", costs)
        speedup = (
            costs["tutorial listing (1000 x fit)"]
            / costs["lstm_classifier.py"]
        )
        figures["process_ratio"] = speedup
        print(f"\ntutorial listing / lstm_classifier.py: {speedup:.1f}x")

    if args.json:
        text = json.dumps(figures, indent=2) + "\n"
        if files.save(args.json, lambda p: Path(p).write_text(text)):
            print(f"\nsaved {args.json}")


if __name__ == "__main__":
    try:
        main(ARGS)
    except processes.Failed as failure:  # one line, not a traceback
        print(f"bench_training.py: error: {failure}", file=sys.stderr)
        sys.exit(1)

"""Time two checkouts of this project side by side: before and after.

For a change that touches training, run this with a checkout of the code
before the change (e.g. `git worktree add ../before HEAD~3`) and the code
after it. On each Keras backend asked for (--backend; default: every one
installed), in each round, it times each checkout in turn, in separate
processes:
1. update: the cost of one update of the LSTM with the checkout's own
   train_model and speed settings, in one process (median of blocks after
   a warm-up);
2. script: the same seen from outside, as a user pays it: the wall time of
   `lstm_classifier.py --epochs 2200` minus that of `--epochs 200`, over
   2000 (start-up, evaluation and exit cancel out; the progress bar and
   the rest of the script's loop are in);
3. compare: a whole default `compare_directions.py` run, imports included.
Taking turns (and swapping who goes first every round) spreads the
machine's changing load over both. Prints, per backend and measure, the
median over the rounds, the spread (lowest-highest) and after/before.

Run:
    python benchmarks/side_by_side.py ../before . --rounds 3
    python benchmarks/side_by_side.py ../before --backend jax --rounds 5
"""

import importlib.util
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import processes  # noqa: E402

from support import cli  # noqa: E402

BACKENDS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
# Black-box per update: the difference of two script runs this long.
SHORT_EPOCHS, LONG_EPOCHS = 200, 2200

# Times blocks of updates with whichever layout the checkout has.
PER_UPDATE = """
import json, statistics, sys, time
import numpy as np
from lstm_classifier import get_lstm_model, train_model
try:  # the tutorial-first layout
    from support import speed
    model = speed.tune(get_lstm_model(10))
    def train(n, rng):
        train_model(model, 10, n_epochs=n, rng=rng)
except ImportError:  # the layout before it
    model = get_lstm_model(10)
    def train(n, rng):
        train_model(model, 10, n_epochs=n, rng=rng, verbose=0)
rng = np.random.default_rng(0)
train(5, rng)
blocks = []
for _ in range(int(sys.argv[1])):
    start = time.perf_counter()
    train(400, rng)
    blocks.append((time.perf_counter() - start) / 400 * 1000)
print(json.dumps(statistics.median(blocks)))
"""


def run(command, checkout, backend, capture=False):
    """Run `command` in `checkout` on `backend`; its stdout if captured."""
    what = "the per-update timing" if command[1] == "-c" else command[1]
    return processes.run(
        command,
        checkout,
        f"{what} in {checkout} on {backend}",
        {"KERAS_BACKEND": backend},
        capture,
    )


def update_ms(checkout, backend, blocks):
    command = [sys.executable, "-c", PER_UPDATE, str(blocks)]
    output = run(command, checkout, backend, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def seconds(command, checkout, backend):
    what = f"{command[1]} in {checkout} on {backend}"
    env = {"KERAS_BACKEND": backend}
    return processes.wall_seconds(command, checkout, what, env)


def script_update_ms(checkout, backend):
    """Per update of lstm_classifier.py, seen from outside."""
    wall = {}
    for epochs in (SHORT_EPOCHS, LONG_EPOCHS):
        command = [sys.executable, "lstm_classifier.py", "--epochs", epochs]
        wall[epochs] = seconds(list(map(str, command)), checkout, backend)
    extra = wall[LONG_EPOCHS] - wall[SHORT_EPOCHS]
    return extra / (LONG_EPOCHS - SHORT_EPOCHS) * 1000


def comparison_seconds(checkout, backend):
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "compare_directions.py", "--out", out]
        return seconds(command, checkout, backend)


MEASURES = {
    "update": ("ms per update, in one process", update_ms),
    "script": ("ms per update, whole script", script_update_ms),
    "compare": ("s, default compare_directions.py", comparison_seconds),
}


def installed_backends():
    return [
        b for b, module in BACKENDS.items() if importlib.util.find_spec(module)
    ]


def parse_args(argv):
    parser = cli.make_parser(__file__, __doc__)
    parser.add_argument("before", help="checkout of the code before")
    parser.add_argument("after", nargs="?", default=".", help="default: .")
    parser.add_argument(
        "--backend",
        nargs="+",
        choices=[*BACKENDS, "all"],
        default=["all"],
        help="Keras backends to time (default: all installed)",
    )
    cli.add(parser, "--rounds", 1, 100, 3, "rounds of turns")
    cli.add(parser, "--blocks", 1, 100, 5, "timed blocks per update figure")
    parser.add_argument(
        "--measures",
        nargs="+",
        choices=list(MEASURES),
        default=list(MEASURES),
        help="what to time (default: all three)",
    )
    args = parser.parse_args(argv)
    for name in ("before", "after"):
        path = getattr(args, name)
        if not (Path(path) / "compare_directions.py").is_file():
            parser.error(f"argument {name}: {path!r} is not a checkout")
    installed = installed_backends()
    if "all" in args.backend:
        args.backend = installed
    for backend in args.backend:
        if backend not in installed:
            parser.error(f"argument --backend: {backend} is not installed")
    return args


def time_backend(args, backend):
    """{(measure, checkout name): [one figure per round]} on `backend`."""
    checkouts = [("before", args.before), ("after", args.after)]
    times = {(m, n): [] for m in args.measures for n, _ in checkouts}
    for round_number in range(1, args.rounds + 1):
        order = checkouts if round_number % 2 else checkouts[::-1]
        for measure in args.measures:
            for name, path in order:
                function = MEASURES[measure][1]
                extra = (args.blocks,) if measure == "update" else ()
                times[measure, name].append(function(path, backend, *extra))
        print(
            f"{backend}: round {round_number}/{args.rounds} done", flush=True
        )
    return times


def print_table(args, backend, times):
    print(f"\n{backend}, median of {args.rounds} rounds (lowest-highest):\n")
    print("| measure | before | after | after / before |")
    print("|---|---|---|---|")
    for measure in args.measures:
        unit = MEASURES[measure][0]
        cells = []
        for name in ("before", "after"):
            values = times[measure, name]
            cells.append(
                f"{statistics.median(values):.3f} "
                f"({min(values):.3f}-{max(values):.3f})"
            )
        ratio = statistics.median(times[measure, "after"]) / statistics.median(
            times[measure, "before"]
        )
        print(
            f"| {measure} ({unit}) | {cells[0]} | {cells[1]} | {ratio:.3f} |"
        )


def main(argv=None):
    args = parse_args(argv)
    try:
        for backend in args.backend:
            print_table(args, backend, time_backend(args, backend))
    except processes.Failed as failure:
        print(f"side_by_side.py: error: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time two checkouts of this project side by side: before and after.

For a change that touches training, run this with a checkout of the code
before the change (e.g. `git worktree add ../before HEAD~3`) and the code
after it. In each round it times, for each checkout in turn, in separate
processes:
1. the cost of one update of the LSTM, median of blocks after a warm-up,
   with the checkout's own train_model and speed settings;
2. a whole default `compare_directions.py` run, imports included.
Taking turns spreads the machine's changing load over both. Prints the
medians and the ratios after/before.

Run:
    python benchmarks/side_by_side.py ../before . --rounds 3
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support import flags  # noqa: E402

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


def per_update_ms(checkout, blocks):
    result = subprocess.run(
        [sys.executable, "-c", PER_UPDATE, str(blocks)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def comparison_seconds(checkout):
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "compare_directions.py", "--out", out],
            cwd=checkout,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def main(argv=None):
    parser = flags.make_parser(__doc__)
    parser.add_argument("before", help="checkout of the code before")
    parser.add_argument("after", nargs="?", default=".", help="default: .")
    parser.add_argument("--rounds", type=flags.positive_int, default=3)
    parser.add_argument("--blocks", type=flags.positive_int, default=5)
    args = parser.parse_args(argv)
    checkouts = {"before": args.before, "after": args.after}
    for name, path in checkouts.items():
        if not (Path(path) / "compare_directions.py").is_file():
            parser.error(f"argument {name}: {path!r} is not a checkout")

    times = {(m, n): [] for m in ("update", "compare") for n in checkouts}
    for round_number in range(1, args.rounds + 1):
        for name, path in checkouts.items():
            times["update", name].append(per_update_ms(path, args.blocks))
            times["compare", name].append(comparison_seconds(path))
        print(f"round {round_number}/{args.rounds} done", flush=True)

    print("\n| measure | before | after | after / before |")
    print("|---|---|---|---|")
    for measure, unit in [("update", "ms per update"), ("compare", "s")]:
        before = statistics.median(times[measure, "before"])
        after = statistics.median(times[measure, "after"])
        print(
            f"| {measure} ({unit}, median of {args.rounds}) | {before:.2f} "
            f"| {after:.2f} | {after / before:.3f} |"
        )


if __name__ == "__main__":
    main()

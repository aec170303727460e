"""Repeats on more cores: compare_directions.py --jobs 1, 2, ... beside the
tutorial's section-5 listing run once, in one session.

For each round it runs, in turn and each in a fresh process, the
tutorial's listing (tutorial_section5.py: three models, 250 fit calls
each) and `compare_directions.py --repeats R --jobs J` for J = 1 up to the
cores this process may use (default R: 10; the models are the script's
defaults). It prints the medians: wall time, speed-up over --jobs 1,
efficiency (speed-up / J), and each run's time as a share of the
tutorial's.

Run:
    python benchmarks/scaling.py
    KERAS_BACKEND=torch python benchmarks/scaling.py --repeats 40
"""

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import processes  # noqa: E402

from support import flags, workers  # noqa: E402


def parse_args(argv):
    parser = flags.make_parser(__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=flags.positive_int, default=10)
    parser.add_argument("--rounds", type=flags.positive_int, default=1)
    parser.add_argument(
        "--max-jobs",
        type=flags.positive_int,
        default=workers.usable_cores(),
        help="time --jobs 1 to this (default: the usable cores)",
    )
    parser.add_argument(
        "--skip-tutorial", action="store_true", help="leave out the listing"
    )
    return parser.parse_args(argv)


def wall_seconds(command):
    """Wall time of `command`, run in an empty directory; one line and
    exit 1 if it fails."""
    with tempfile.TemporaryDirectory() as directory:
        try:
            return processes.wall_seconds(command, directory, command[1])
        except processes.Failed as failure:
            sys.exit(f"scaling.py: error: {failure}")


def main(argv=None):
    args = parse_args(argv)
    python = sys.executable
    runs = {}
    if not args.skip_tutorial:
        runs["tutorial listing, once"] = [
            python,
            str(ROOT / "benchmarks" / "tutorial_section5.py"),
        ]
    for jobs in range(1, args.max_jobs + 1):
        runs[f"--repeats {args.repeats} --jobs {jobs}"] = [
            python,
            str(ROOT / "compare_directions.py"),
            "--repeats",
            str(args.repeats),
            "--jobs",
            str(jobs),
        ]
    times = {name: [] for name in runs}
    for round_number in range(1, args.rounds + 1):
        for name, command in runs.items():
            times[name].append(wall_seconds(command))
        print(f"round {round_number}/{args.rounds} done", flush=True)

    median = {
        name: statistics.median(values) for name, values in times.items()
    }
    serial = median[f"--repeats {args.repeats} --jobs 1"]
    tutorial = median.get("tutorial listing, once")
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    print(f"\n{backend}, {os.cpu_count()} cores, median of {args.rounds}:\n")
    print(
        "| run | seconds | speed-up | efficiency | share of the tutorial's |"
    )
    print("|---|---|---|---|---|")
    for name, seconds in median.items():
        jobs = None if name.startswith("tutorial") else int(name.split()[-1])
        speed_up = f"{serial / seconds:.2f}x" if jobs else ""
        efficiency = f"{serial / seconds / jobs:.0%}" if jobs else ""
        share = f"{seconds / tutorial:.2f}" if tutorial else ""
        print(
            f"| {name} | {seconds:.1f} | {speed_up} | {efficiency} | {share} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How soon each script answers --help and a bad flag, beside the time of
`python -c "import keras"`: flags are checked before Keras loads, so the
ratio should be small (issue 29 asked for at most 0.35).

In each round every command runs once, in turn (the load on a shared
machine falls on all of them); prints the median over the rounds, in
seconds, and the ratio to `import keras` measured in the same rounds.

    python benchmarks/startup.py --rounds 5
    KERAS_BACKEND=jax python benchmarks/startup.py
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support import cli  # noqa: E402

SCRIPTS = ["data.py", "lstm_classifier.py", "bilstm_classifier.py"]
SCRIPTS += ["compare_directions.py", "compare_merge_modes.py", "predict.py"]
BAD_FLAG = ["--epochs", "x"]  # predict.py: no --epochs, also refused


def seconds(command):
    """Wall time of one run of `command` in the project folder."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True)
    return time.perf_counter() - started


def main(argv=None):
    parser = cli.make_parser(__file__, __doc__)
    cli.add(parser, "--rounds", 1, 100, 5, "rounds of turns")
    args = parser.parse_args(argv)
    python = sys.executable
    bad = " ".join(BAD_FLAG)
    commands = {"import keras": [python, "-c", "import keras"]}
    for script in SCRIPTS:
        commands[f"{script} --help"] = [python, script, "--help"]
        commands[f"{script} {bad}"] = [python, script, *BAD_FLAG]
    times = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, command in commands.items():
            times[name].append(seconds(command))
    keras_time = statistics.median(times["import keras"])
    print(f"{'command':<38} {'median s':>9} {'x import keras':>15}")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:<38} {median:>9.3f} {median / keras_time:>15.3f}")


if __name__ == "__main__":
    main()

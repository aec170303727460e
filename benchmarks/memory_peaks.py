"""Measured peak memory beside support/limits.py's estimate.

Runs each setting below as a user would (3 epochs, 10 test sequences, so
the peak is the set-up and training's, not the results'), reads the
process's maximum resident set from the OS (os.wait4), and prints a table:
settings, the estimate the scripts check before training, the measured
peak and their ratio. Every estimate should be above its peak; the
estimate's terms were fitted to these runs (see support/limits.py).

Run (about 3 minutes on TensorFlow, 5 on JAX, on 2 CPU cores):
    python benchmarks/memory_peaks.py
    KERAS_BACKEND=jax python benchmarks/memory_peaks.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support import flags, limits  # noqa: E402

# (script, timesteps, units, models of a comparison or None)
SETTINGS = [
    ("lstm_classifier.py", 10, 20, None),
    ("lstm_classifier.py", 200, 20, None),
    ("lstm_classifier.py", 500, 20, None),
    ("lstm_classifier.py", 1000, 20, None),
    ("lstm_classifier.py", 10, 1000, None),
    ("bilstm_classifier.py", 1000, 20, None),
    ("compare_directions.py", 10, 20, 4),
    ("compare_directions.py", 200, 20, 4),
    ("compare_directions.py", 500, 20, 4),
]
DEFAULT_MODELS = ["lstm_forw", "lstm_back", "lstm_back_aligned", "bilstm_con"]


def peak_bytes(command, cwd):
    """Run `command`; its maximum resident set in bytes (Linux: KB), or
    None if the script refused the setting up front (exit status 2)."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode == 2:
        return None
    if process.returncode != 0:
        raise SystemExit(
            f"memory_peaks.py: error: {' '.join(command[1:])} failed"
            f" (exit {process.returncode})"
        )
    return usage.ru_maxrss * 1024


def main(argv=None):
    parser = flags.make_parser(__doc__)
    parser.parse_args(argv)
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    print(f"backend {backend}; peaks of 3-epoch runs\n")
    columns = "script timesteps units models estimate peak peak/estimate"
    print("| " + " | ".join(columns.split()) + " |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for script, timesteps, units, models in SETTINGS:
            command = [sys.executable, str(ROOT / script)]
            command += ["--timesteps", str(timesteps), "--units", str(units)]
            command += ["--epochs", "3", "--eval-sequences", "10"]
            if models:
                command += ["--repeats", "1", "--out", scratch, "--models"]
                command += DEFAULT_MODELS[:models]
                directions = 2  # as check_sizes counts a comparison
            else:
                command += ["--verbose", "0"]
                directions = 2 if script.startswith("bilstm") else 1
            estimate = limits.needed_bytes(
                timesteps,
                units,
                3,
                models=models or 1,
                directions=directions,
                backend=backend,
            )
            peak = peak_bytes(command, scratch)
            measured = (
                "refused up front"
                if peak is None
                else (f"{limits.human(peak)} | {peak / estimate:.2f}")
            )
            print(
                f"| {script} | {timesteps} | {units} | {models or 1} |"
                f" {limits.human(estimate)} | {measured} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

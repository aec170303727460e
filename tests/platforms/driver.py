"""Every script of the project run as __main__ in this process, as a user
runs them (with small flags), then a comparison stopped by Ctrl-C: under
tests/platforms/windows or macos (on PYTHONPATH) it shows how they do on
a system without POSIX-only names. Prints one JSON line: each run's exit
status, and whether importing the scripts changed any signal handler or
sys.stdout."""

import json
import os
import runpy
import signal
import sys
import threading
import time

ROOT = sys.argv[1]
sys.path.insert(0, ROOT)
signal.signal(signal.SIGINT, signal.default_int_handler)  # however started
SMALL = ["--epochs", "3", "--eval-sequences", "10"]
RUNS = {
    "data": ["data.py", "--seed", "2"],
    "lstm": ["lstm_classifier.py", *SMALL, "--save-model", "m.keras"]
    + ["--verbose", "2"],
    "directions": ["compare_directions.py", *SMALL, "--repeats", "2"]
    + ["--models", "lstm_back_aligned", "--out", "d"],
    "predict csv": ["predict.py", "m.keras", "--csv", "c.csv", "--output"]
    + ["labels.csv"],
}


def handlers():
    numbers = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", 0)]
    return [signal.getsignal(n) for n in numbers if n]


def run(argv):
    sys.argv = [os.path.join(ROOT, argv[0]), *argv[1:]]
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as exit:
        return exit.code
    return None


def interrupt_when(path):
    def wait():
        while not os.path.exists(path):
            time.sleep(0.05)
        signal.raise_signal(signal.SIGINT)

    threading.Thread(target=wait, daemon=True).start()


before, stdout = handlers(), sys.stdout
for script in ("data", "lstm_classifier", "bilstm_classifier", "predict"):
    __import__(script)
__import__("compare_directions"), __import__("compare_merge_modes")
report = {
    "imports changed nothing": (handlers(), sys.stdout) == (before, stdout),
    "has SIGHUP": hasattr(signal, "SIGHUP"),
    "has /proc": os.path.exists("/proc/self"),
}
with open("c.csv", "w") as file:
    file.write("0.1,0.9,0.2,0.8,0.3,0.7,0.4,0.6,0.5,0.5\n" * 3)
for name, argv in RUNS.items():
    report[name] = run(argv)
interrupt_when(os.path.join("ctrl-c", "compare_merge_modes.csv"))
report["ctrl-c"] = run(
    ["compare_merge_modes.py", "--epochs", "30", "--repeats", "1000"]
    + ["--models", "bilstm_sum", "--out", "ctrl-c"]
)
report["handlers restored"] = handlers() == before
print(json.dumps(report))

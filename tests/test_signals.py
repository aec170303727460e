"""Signals at other moments than training: one line, the promised exit
status (128 + the first signal), no traceback, every finished file whole.
(Signals during training: test_scripts.py and test_workers.py.)"""

import os
import shlex
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from conftest import (
    assert_png,
    our_lines,
    script_command,
    script_env,
    small_comparison,
    start_script,
    wait_for,
)


def our_handlers_are_in(process):
    """Has the script's first import caught SIGHUP, the last of the
    signals it handles (SigCgt in /proc)? Earlier, in the first moments of
    the interpreter (over 0.4 s on a loaded machine), a signal still meets
    Python's own handling."""
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("SigCgt:"):
                return int(line.split()[1], 16) >> (signal.SIGHUP - 1) & 1
    return False


@pytest.mark.parametrize(
    "signal_number, delay, name",
    [
        (signal.SIGINT, 0.05, "Ctrl-C"),
        (signal.SIGINT, 0.5, "Ctrl-C"),
        (signal.SIGTERM, 0.2, "SIGTERM"),
        (signal.SIGHUP, 0.35, "SIGHUP"),
    ],
)
def test_a_signal_while_keras_loads_is_one_line(
    tmp_path, signal_number, delay, name
):
    process = start_script("lstm_classifier.py", cwd=tmp_path)
    wait_for(lambda: our_handlers_are_in(process), 60, process, 0.005)
    time.sleep(delay)  # Keras then takes over a second more to import
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal_number
    assert our_lines(stderr) == [
        f"lstm_classifier.py: stopped by {name} before it started;"
        " nothing written"
    ]


@pytest.mark.parametrize(
    "signal_number, status, name",
    [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGHUP, 129, "SIGHUP")],
)
def test_a_signal_during_the_evaluation_abandons_only_it(
    tmp_path, signal_number, status, name
):
    process = start_script(
        "lstm_classifier.py",
        "--epochs",
        20,
        "--verbose",
        0,
        "--eval-sequences",
        50_000_000,  # minutes of predicting
        "--save-model",
        "m.keras",
        "--plot",
        "p.png",
        cwd=tmp_path,
    )
    for line in process.stdout:
        if line.startswith("saved p.png"):
            break
    time.sleep(1)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert stdout.strip().splitlines()[-1] == (
        f"Interrupted ({name}) during the accuracy on many sequences:"
        " abandoned; everything above is complete."
    )
    assert_png(tmp_path / "p.png")
    assert (tmp_path / "m.keras").stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras", "p.png"]


def test_a_signal_while_the_comparison_saves_keeps_every_file(tmp_path):
    out = tmp_path / "out"
    process = start_script(*small_comparison(repeats=2, out=out), cwd=tmp_path)
    for line in process.stdout:
        if line.startswith("model"):  # the summary table: repeats are done
            break
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr
    assert stdout.strip().splitlines()[-1] == (
        "Interrupted (SIGTERM) while saving; the files above are whole."
    )
    losses = pd.read_csv(out / "compare_directions.csv")
    summary = pd.read_csv(out / "compare_directions_summary.csv")
    assert sorted(losses["repeat"].unique()) == [1, 2]
    assert summary["repeats"].tolist() == [2]
    assert_png(out / "compare_directions.png")
    assert_png(out / "compare_directions_by_timestep.png")


def test_a_third_signal_ends_at_once_and_leaves_no_temporary(tmp_path):
    """A write that never ends (a hung disk, say): the first signal is
    recorded, the second says the run is still saving, the third ends the
    process with one line and removes the temporary file."""
    program = textwrap.dedent(
        """
        import sys, time
        from support import files, interrupts
        sys.argv[0] = "writer.py"
        interrupts.watch()
        def write(path):
            print("writing", flush=True)
            time.sleep(600)
        files.save("result.csv", write)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env=script_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "writing\n"
    for _ in range(3):
        process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert our_lines(stderr) == [
        "writer.py: still saving what was finished; a third signal ends"
        " at once",
        "writer.py: ended at once; files written before this are complete",
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_run_started_ignoring_sighup_keeps_ignoring_it(tmp_path):
    """As under nohup: SIGHUP does not stop the run."""
    script = shlex.join(script_command("lstm_classifier.py"))
    process = subprocess.Popen(  # the shell ignores SIGHUP, then is Python
        ["sh", "-c", f"trap '' HUP; exec {script} --epochs 60 --verbose 2"],
        cwd=tmp_path,
        env=script_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("Epoch 5/"):
            break
    process.send_signal(signal.SIGHUP)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert "Interrupted" not in stdout and "Epoch 60/60" in stdout


def test_ctrl_c_during_a_long_compile_ends_within_seconds(tmp_path):
    """Python runs a signal handler only between bytecodes; a compile (XLA
    at 200 timesteps: 9-18 s; JAX at 300: longer) would hold a Ctrl-C
    until it ends. The watchdog ends the run GRACE_SECONDS after it."""
    from support import interrupts

    timesteps = 300 if os.environ.get("KERAS_BACKEND") == "jax" else 200
    process = start_script(
        "lstm_classifier.py",
        "--timesteps",
        timesteps,
        "--epochs",
        100_000,
        "--verbose",
        2,
        cwd=tmp_path,
    )
    assert process.stdout.readline().startswith("LSTM sequence classifier")
    time.sleep(0.5)  # setting up or compiling: no epoch yet
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    waited = time.monotonic() - sent
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert waited < interrupts.GRACE_SECONDS + 7, waited
    compiled = "stopped in a step that cannot be interrupted (a compile)"
    if "Epoch 1/" not in stdout:  # still compiling after the grace time
        assert our_lines(stderr) == [
            f"lstm_classifier.py: {compiled}; nothing unfinished was kept"
        ]
    else:  # the compile ended first: the usual interruption
        assert "Interrupted after" in stdout

"""Endings that are not signals: bad environment variables and a stdout
that goes away, fills up or cannot print a character. One line at most,
no traceback, and every result file still written."""

import os
import re
import shlex
import shutil
import signal
import subprocess
import time

import pandas as pd
import pytest
from conftest import (
    assert_png,
    our_lines,
    run_script,
    script_command,
    script_env,
    small_comparison,
    start_script,
    wait_for,
)

from support import limits

SMALL_COMPARISON = small_comparison()


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("KERAS_BACKEND", "tensorflw", "these scripts run on tensorflow"),
        ("KERAS_BACKEND", "numpy", "these scripts run on tensorflow"),
        ("MPLBACKEND", "nonesuch", "not a matplotlib backend"),
        ("MPLBACKEND", "module://no_such_module", "not a matplotlib backend"),
    ],
)
@pytest.mark.parametrize("script", ["lstm_classifier.py", "predict.py"])
def test_a_bad_environment_variable_is_one_line(
    tmp_path, script, variable, value, message
):
    env = {**script_env(), variable: value}
    args = ["model.keras"] if script == "predict.py" else []
    result = subprocess.run(
        script_command(script, *args),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    lines = our_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{script}: error: {variable}={value!r}: ")
    assert message in lines[0]
    assert result.stdout == ""


def test_data_py_ignores_keras_backend(tmp_path):
    """data.py is NumPy only: KERAS_BACKEND does not concern it."""
    env = {**script_env(), "KERAS_BACKEND": "nonesuch"}
    result = subprocess.run(
        script_command("data.py", "--seed", 1),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def check_comparison_files(out):
    losses = pd.read_csv(out / "compare_directions.csv")
    summary = pd.read_csv(out / "compare_directions_summary.csv")
    assert sorted(losses["repeat"].unique()) == [1, 2, 3]
    assert summary["repeats"].tolist() == [3]
    assert "±" in (out / "compare_directions_summary.txt").read_text()
    assert_png(out / "compare_directions.png")
    assert_png(out / "compare_directions_by_timestep.png")


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path):
    """As `python compare_directions.py ... | head -1`."""
    process = subprocess.Popen(
        script_command(*SMALL_COMPARISON),
        cwd=tmp_path,
        env=script_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().startswith("compare_directions:")
    process.stdout.close()  # the reader is gone
    stderr = process.stderr.read()
    assert process.wait(timeout=300) == 0, stderr
    assert our_lines(stderr) == []
    check_comparison_files(tmp_path / "out")


def test_a_full_stdout_is_one_line_and_the_files_are_written(tmp_path):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            script_command(*SMALL_COMPARISON),
            cwd=tmp_path,
            env=script_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    assert our_lines(result.stderr) == [
        "compare_directions.py: stdout: No space left on device; the"
        " results still go to their files"
    ]
    check_comparison_files(tmp_path / "out")


def test_an_ascii_stdout_gets_plain_stand_ins(tmp_path):
    result = run_script(*SMALL_COMPARISON, cwd=tmp_path)
    assert result.returncode == 0
    assert "±" in result.stdout
    env = {**script_env(), "PYTHONIOENCODING": "ascii"}
    ascii_run = subprocess.run(
        script_command(*SMALL_COMPARISON),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert ascii_run.returncode == 0, ascii_run.stderr
    stdout = ascii_run.stdout.decode("ascii")  # every byte is ASCII
    assert "+/-" in stdout

    def untimed(text):  # the repeats' "(0.2 s)" differ from run to run
        return re.sub(r"\(\d+\.\d s\)", "(s)", text)

    assert untimed(stdout.replace("+/-", "±")) == untimed(result.stdout)
    check_comparison_files(tmp_path / "out")


def one_error_line(result, flag):
    lines = our_lines(result.stderr)
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert f"error: argument {flag}: " in lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_fifo_as_plot_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    result = run_script(
        "lstm_classifier.py", "--plot", "pipe.png", cwd=tmp_path, timeout=60
    )
    assert "is not a regular file" in one_error_line(result, "--plot")


def test_out_is_taken_as_the_os_takes_it(tmp_path):
    """ "a/new/../b" needs "a/new": os.path.abspath would skip it and the
    first write would fail after training."""
    (tmp_path / "a").mkdir()
    result = run_script(
        *small_comparison(out="a/new/../b"), cwd=tmp_path, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a" / "b" / "compare_directions.csv").is_file()


@pytest.mark.parametrize(
    "name", ["compare_directions.png", "compare_directions_summary.txt"]
)
def test_a_directory_in_place_of_an_output_is_refused_first(tmp_path, name):
    (tmp_path / "out" / name).mkdir(parents=True)
    result = run_script(*SMALL_COMPARISON, cwd=tmp_path, timeout=120)
    line = one_error_line(result, "--out")
    assert f"'out/{name}' is a directory" in line
    assert "repeat" not in result.stdout  # nothing was trained
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [name]


def test_stale_temporaries_go_and_other_files_stay(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = [".tk2j4hx0q.csv", ".t_abc1234.png", ".t00000000.txt"]
    kept = [".tnotours.csv", "notes.txt", ".t12345678.dat"]
    for name in stale + kept:
        (out / name).write_text("left over")
    result = run_script(*SMALL_COMPARISON, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    assert not names & set(stale) and set(kept) <= names


def test_a_second_run_into_the_same_out_is_refused(tmp_path):
    first = start_script(*small_comparison(repeats=100_000), cwd=tmp_path)
    wait_for((tmp_path / "out" / "compare_directions.csv").exists, 120, first)
    second = run_script(
        "compare_merge_modes.py", "--out", "out", cwd=tmp_path, timeout=120
    )
    line = one_error_line(second, "--out")
    assert "another run is writing into 'out'" in line
    first.send_signal(signal.SIGTERM)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 143, stderr
    assert not (tmp_path / "out" / "compare_merge_modes.csv").exists()
    # Once the first run has ended, the directory is free again.
    third = run_script(*SMALL_COMPARISON, cwd=tmp_path, timeout=300)
    assert third.returncode == 0, third.stderr


def test_a_deleted_out_is_made_again_with_every_finished_repeat(tmp_path):
    out = tmp_path / "out"
    process = start_script(*small_comparison(repeats=100_000), cwd=tmp_path)
    csv = out / "compare_directions.csv"
    wait_for(csv.exists, 120, process)
    for _ in range(100):  # the run keeps writing while we delete
        try:
            shutil.rmtree(out)
            break
        except OSError:  # a temporary renamed, or a file new, meanwhile
            time.sleep(0.01)
    else:
        raise AssertionError(f"could not delete {out}")
    wait_for(csv.exists, 120, process)  # the next repeat's write
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr
    repeats = pd.read_csv(csv)["repeat"].unique()
    assert list(repeats) == list(range(1, len(repeats) + 1))
    summary = pd.read_csv(out / "compare_directions_summary.csv")
    assert summary["repeats"].tolist() == [len(repeats)]


@pytest.mark.skipif(
    bool(shutil.which("latex")), reason="TeX is installed: pgf works"
)
def test_a_format_that_needs_tex_is_refused_up_front(tmp_path):
    result = run_script(
        "lstm_classifier.py", "--plot", "x.pgf", cwd=tmp_path, timeout=60
    )
    allowed = one_error_line(result, "--plot").split("must end in one of")[1]
    assert ".png" in allowed and ".pgf" not in allowed


def test_the_run_id_covers_the_float_type_and_versions():
    import argparse

    import keras

    from support import repeats

    args = argparse.Namespace(
        models=["a"],
        timesteps=10,
        units=20,
        epochs=5,
        repeats=2,
        seed=1,
        eval_sequences=100,
    )
    first = repeats.run_id("compare_directions", args)
    keras.config.set_floatx("float16")
    try:
        assert repeats.run_id("compare_directions", args) != first
    finally:
        keras.config.set_floatx("float32")
    assert repeats.run_id("compare_directions", args) == first


def backend():
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def peak_of(command, cwd, limit=None):
    """(exit status, stderr, maximum resident set in bytes) of `python
    SCRIPT ARGS...` (command: the script and its arguments); with
    `limit`, under that address-space limit (as `ulimit -v`)."""

    # A shell sets the limit, then becomes Python (exec, the same pid): no
    # preexec_fn, which forks this multithreaded process.
    argv = shlex.join(script_command(*command))
    ulimit = f"ulimit -v {limit // 1024}; " if limit else ""
    process = subprocess.Popen(
        ["sh", "-c", f"{ulimit}exec {argv}"],
        cwd=cwd,
        env=script_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, stderr, usage.ru_maxrss * 1024


@pytest.mark.parametrize(
    "script, timesteps, models",
    [("bilstm_classifier.py", 300, None), ("compare_directions.py", 60, 2)],
)
def test_an_admitted_run_stays_under_its_estimate(
    tmp_path, script, timesteps, models
):
    command = [script, "--timesteps", timesteps, "--epochs", 3]
    command += ["--eval-sequences", 10]
    if models:
        command += ["--repeats", 1, "--out", "out", "--models"]
        command += ["lstm_forw", "bilstm_con"][:models]
    status, stderr, peak = peak_of(command, tmp_path)
    assert status == 0, stderr
    estimate = limits.needed_bytes(
        timesteps, 20, 3, models=models or 1, directions=2, backend=backend()
    )
    assert peak < estimate, (limits.human(peak), limits.human(estimate))


def test_the_address_space_limit_is_the_budget(tmp_path):
    """A run that fits this machine but not `ulimit -v 5 GB` is refused
    before training, in one line."""
    four_gb = limits.largest_fitting(
        lambda t: limits.needed_bytes(
            t, 20, 1000, directions=1, backend=backend()
        ),
        4e9,
    )
    assert (
        limits.needed_bytes(four_gb, 20, 1000, directions=1, backend=backend())
        < limits.budget_bytes()
    )  # admitted without the limit
    status, stderr, _ = peak_of(
        ["lstm_classifier.py", "--timesteps", four_gb],
        tmp_path,
        limit=5 * 2**30,
    )
    lines = our_lines(stderr)
    assert status == 2 and len(lines) == 1, stderr
    assert "argument --timesteps" in lines[0]
    assert "more than this machine can spare" in lines[0]


def test_the_budget_is_the_smallest_room(monkeypatch):
    monkeypatch.setattr(limits, "available_bytes", lambda: 20e9)
    monkeypatch.setattr(limits, "cgroup_room", lambda: None)
    free = limits.budget_bytes()
    monkeypatch.setattr(limits, "cgroup_room", lambda: 2e9)
    assert limits.budget_bytes() == limits.BUDGET_SHARE * 2e9 < free


def test_a_killed_runs_old_temporary_goes_with_the_next_write(tmp_path):
    """--plot: a temporary file older than the run (a SIGKILLed run's) is
    removed when the picture is written; a fresh one (another run writing
    now) stays."""
    old, fresh = tmp_path / ".tk2j4hx0q.png", tmp_path / ".tzzzzzzzz.png"
    old.write_text("left by a killed run")
    fresh.write_text("being written by another run")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    result = run_script(
        "lstm_classifier.py", "--epochs", 5, "--plot", "p.png", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert not old.exists() and fresh.exists()
    assert_png(tmp_path / "p.png")

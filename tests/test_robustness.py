"""Careless and hostile input (docs/robustness.md): work is never lost to
a typo or to the console, predict.py is bounded by what it holds, files
keep the umask, bad settings are one line."""

import contextlib
import io
import json
import os
import signal
import subprocess
import threading
import time
import zipfile

import keras
import numpy as np
import pandas as pd
import pytest
from conftest import (
    assert_png,
    call,
    command,
    environment,
    only_on,
    stderr_lines,
)

import compare_directions
import compare_merge_modes
import lstm_classifier
import predict
from support import ending, evaluation, files

SMALL = ["--epochs", 2, "--eval-sequences", 5, "--verbose", 0]


def test_a_save_path_keras_would_refuse_is_refused_before_training(in_tmp):
    os.mkdir("m.keras")
    for path, words in (
        ("M.KERAS", "must end in .keras"),
        ("m.keras", "is a directory"),
    ):
        status, out, err = call(lstm_classifier.main, "--save-model", path)
        assert status == 2 and out == "" and words in err
    assert sorted(os.listdir(in_tmp)) == ["m.keras"]
    status, out, _ = call(
        lstm_classifier.main, *SMALL, "--save-model", ".keras"
    )
    assert status == 0 and "saved .keras (2 of 2 epochs)" in out
    assert keras.saving.load_model(".keras").inputs[0].shape[1] == 10


def test_files_keep_the_umask_and_the_files_own_mode(in_tmp):
    def write(path):
        with open(path, "w") as handle:
            handle.write("x\n")

    before = os.umask(0o077)
    try:
        assert files.save("new.csv", write)
        assert os.stat("new.csv").st_mode & 0o777 == 0o600
        os.umask(0o022)
        os.chmod("new.csv", 0o640)
        assert files.save("new.csv", write)
        assert os.stat("new.csv").st_mode & 0o777 == 0o640
        open(".new.csv.left-by-a-killed-run.csv", "w").close()
        assert files.save("new.csv", write)
    finally:
        os.umask(before)
    assert sorted(os.listdir(in_tmp)) == ["new.csv"]


def test_midpoint_labels_at_one_timestep_have_no_hard_timesteps(in_tmp):
    flags = ["--labels", "midpoint", "--timesteps", 1, "--repeats", 1]
    status, out, err = call(compare_directions.main, *flags, *SMALL[:4])
    assert status == 0, err
    assert "* hard: none" in out
    assert_png(in_tmp / "results" / "compare_directions_midpoint.png")


def run_child(script, *args, env=None, stdout=subprocess.PIPE, cwd=None):
    return subprocess.run(
        command(script, *args),
        cwd=cwd,
        env=environment(**(env or {})),
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )


class Gone(io.StringIO):
    """A console that takes the first line, then fails as `| head -1`
    (a broken pipe) or a full disk (`> /dev/full`) does."""

    def __init__(self, error):
        super().__init__()
        self.error = error

    def write(self, text):
        if "\n" in self.getvalue():
            raise self.error
        return super().write(text)


@only_on("jax", "our console's code; one pass tests it")
def test_a_console_that_fails_costs_only_the_printing(in_tmp):
    """`| head -1`, a full disk, a console that cannot encode ±: the
    comparison still writes its summary and pictures; status 1 if output
    was lost."""
    flags = ["--epochs", 3, "--repeats", 2, "--models", "bilstm_sum"]
    flags += ["--eval-sequences", 5]
    ascii_console = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    consoles = {
        "head": Gone(BrokenPipeError(32, "Broken pipe")),
        "full": Gone(OSError(28, "No space left on device")),
        "ascii": ascii_console,
    }
    statuses = {}
    for out, console in consoles.items():
        with contextlib.redirect_stdout(console):
            statuses[out] = compare_merge_modes.main(
                [str(a) for a in flags] + ["--out", out]
            )
        summary = in_tmp / out / "compare_merge_modes_summary.txt"
        assert "2 repeat(s) finished" in summary.read_text("utf-8")
        assert_png(in_tmp / out / "compare_merge_modes_by_timestep.png")
    assert statuses == {"head": 1, "full": 1, "ascii": 0}
    ascii_console.flush()
    assert b"mean ? 95% CI" in ascii_console.buffer.getvalue()


QUIET = only_on("tensorflow", "TensorFlow's start-up lines")


@pytest.mark.parametrize(
    "script",
    [["data.py"], pytest.param(["bilstm_classifier.py", *SMALL], marks=QUIET)],
)
def test_a_script_started_with_stdout_closed_ends_quietly(script):
    """`python SCRIPT >&-`, no TF_* variable set: nothing printed, not
    even TensorFlow's start-up lines; no traceback, status 0."""
    closed = ["sh", "-c", 'exec "$@" >&-', "sh", *command(*script)]
    env = {k: v for k, v in environment().items() if not k.startswith("TF_")}
    result = subprocess.run(
        closed,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == ""


@pytest.mark.parametrize(
    "setting, words",
    [
        ({"KERAS_BACKEND": "tensorflw"}, "KERAS_BACKEND='tensorflw'"),
        ({"MPLBACKEND": "bogus"}, "MPLBACKEND: Key backend: 'bogus'"),
    ],
)
def test_a_bad_setting_is_one_line_before_keras_loads(setting, words):
    result = run_child("lstm_classifier.py", env=setting)
    assert result.returncode == 2 and result.stdout == ""
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("lstm_classifier.py:")
    assert words in lines[0]


def saved_with(path, change):
    """A .keras file like ours whose config.json `change` edited."""
    keras.utils.set_random_seed(1)
    lstm_classifier.get_lstm_model(10, units=2).save("base.keras")
    with zipfile.ZipFile("base.keras") as source:
        members = {name: source.read(name) for name in source.namelist()}
    config = json.loads(members["config.json"])
    change(config["config"]["layers"])
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def test_predict_refuses_from_the_config_before_building(in_tmp):
    """A declared Dense(24000), a stateful LSTM, a 20,000-value row, an
    input that never ends: one line each, in seconds, nothing built."""

    def wide(layers):
        layers[2]["config"]["layer"]["config"]["units"] = 24_000

    def stateful(layers):
        layers[1]["config"]["stateful"] = True

    saved_with("wide.keras", wide)
    saved_with("stateful.keras", stateful)
    (in_tmp / "ok.csv").write_text("0.5," * 9 + "0.5\n")
    (in_tmp / "long.csv").write_text(",".join(["0.5"] * 20_000) + "\n")
    cases = [
        (["wide.keras", "--csv", "ok.csv"], "wider than 1000 units"),
        (["stateful.keras", "--csv", "ok.csv"], "has a stateful LSTM"),
        (["base.keras", "--csv", "long.csv"], "the model takes 10"),
        (["base.keras", "--csv", "/dev/zero"], "longer than 100000"),
        (["/dev/zero", "--csv", "ok.csv"], "is not a .keras file"),
    ]
    for args, words in cases:
        started = time.monotonic()
        status, out, err = call(predict.main, *args)
        assert status == 2 and out == "" and words in err, (args, err)
        assert err.count("\n") == 1 and time.monotonic() - started < 20


def test_predict_reads_a_pipe_once_and_skips_blank_lines(in_tmp, monkeypatch):
    keras.utils.set_random_seed(1)
    lstm_classifier.get_lstm_model(3, units=2).save("m.keras")
    text = "a,b,c\n\n0.1,0.2,0.3\n\n0.4,0.5,0.6\n\n"
    os.mkfifo("pipe")

    def feed():
        with open("pipe", "w") as handle:
            handle.write(text)

    threading.Thread(target=feed, daemon=True).start()
    monkeypatch.setattr(os, "linesep", "\r\n")  # as on Windows
    status, out, err = call(predict.main, "m.keras", "--csv", "pipe")
    assert status == 0, err
    assert "\r" not in out  # the console adds \r on Windows, once
    rows = pd.read_csv(io.StringIO(out), dtype={"value": str})
    assert rows["sequence"].tolist() == [1, 1, 1, 2, 2, 2]
    assert rows["value"].tolist() == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6"]


def test_a_second_signal_ends_the_run_at_once_without_a_crash(tmp_path):
    """Ctrl-C, then SIGTERM right after it (reported to crash JAX): the
    line, and 128 + the first signal, at once, with no Python cleanup."""
    flags = ["--epochs", 10**5, "--repeats", 3, "--models", "bilstm_sum"]
    child = subprocess.Popen(
        command("compare_merge_modes.py", *flags),
        cwd=tmp_path,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    child.stdout.readline()
    child.stdout.readline()  # the settings line: main is watching
    time.sleep(2)
    child.send_signal(signal.SIGINT)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert stderr_lines(err) == [
        "a second signal after Ctrl-C: stopped at once"
    ]


@only_on("jax", "the bound is JAX's")
def test_a_jax_comparison_is_bounded_by_its_timesteps(in_tmp):
    flags = ["--timesteps", 501, "--units", 10]
    status, out, err = call(compare_directions.main, *flags)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "at most 500 in a comparison on JAX" in err


@pytest.fixture
def default_handlers():
    """Ctrl-C as a terminal's program gets it, whatever pytest started
    with; put back afterwards."""
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_in_predict_keeps_the_chunks_labelled(
    in_tmp, default_handlers, monkeypatch
):
    """A signal while labelling: the output holds every chunk finished
    (chunks of 10 sequences here), one line says so, status 130."""
    keras.utils.set_random_seed(1)
    lstm_classifier.get_lstm_model(10, units=2).save("m.keras")
    np.savetxt(
        "s.csv",
        np.random.default_rng(0).random((35, 10)),
        "%.4f",
        delimiter=",",
    )
    monkeypatch.setattr(evaluation, "CHUNK_FLOATS", 200)  # 10 a chunk
    calls, probabilities = [], evaluation.probabilities

    def signalled(model, X, often=False):
        calls.append(len(X))
        if len(calls) == 3:  # the probe, a first chunk, then Ctrl-C
            signal.raise_signal(signal.SIGINT)
        return probabilities(model, X, often)

    monkeypatch.setattr(evaluation, "probabilities", signalled)
    args = ["m.keras", "--csv", "s.csv", "--output", "labels.csv"]
    status, out, err = call(predict.main, *args)
    assert status == 130 and calls == [1, 10, 10]
    assert stderr_lines(err) == [
        "wrote labels.csv: 20 sequences",
        "Interrupted (Ctrl-C): what was written holds every sequence"
        " finished.",
    ]
    assert pd.read_csv("labels.csv")["sequence"].max() == 20


def test_a_failed_write_is_one_line_and_status_1(in_tmp, capsys):
    def failing(path):
        raise OSError(28, "No space left on device")

    with ending.watch():
        assert not files.save("x.csv", failing)
        status = ending.status()
    assert status == 1 and os.listdir(in_tmp) == []
    err = capsys.readouterr().err
    assert err == "error: could not write x.csv: No space left on device\n"


@only_on("tensorflow", "our files' code; one pass tests it")
def test_a_comparison_removes_an_older_runs_summary_first(start, tmp_path):
    """Stale summary and pictures go with the first repeat's CSVs, so a
    reader never sees one run's CSVs beside another's pictures."""
    out = tmp_path / "results"
    out.mkdir()
    stale = ["compare_merge_modes_summary.txt", "compare_merge_modes.png"]
    for name in stale:
        (out / name).write_text("an older run's\n")
    flags = ["--epochs", 5, "--repeats", 1000, "--models", "bilstm_sum"]
    child = start("compare_merge_modes.py", *flags, "--eval-sequences", 5)
    before = []  # ours: no silence while the first repeat compiles
    for line in child.stdout:
        if line.startswith("repeat 1/1000"):
            break
        before.append(line)
    assert before[-1] == "compiling bilstm_sum (the first repeat only)\n"
    assert (out / "compare_merge_modes.csv").exists()
    assert not any((out / name).exists() for name in stale)


def test_ctrl_c_while_evaluating_abandons_only_the_accuracy(
    in_tmp, default_handlers, monkeypatch
):
    """Ctrl-C during the accuracy on many sequences (after its first
    chunk here): that is abandoned, the rest stands, status 130."""
    probabilities = evaluation.probabilities

    def signalled(model, X, often=False):
        signal.raise_signal(signal.SIGINT)
        return probabilities(model, X, often)

    monkeypatch.setattr(evaluation, "CHUNK_FLOATS", 2000)  # 10 a chunk
    monkeypatch.setattr(evaluation, "probabilities", signalled)
    flags = ["--epochs", 2, "--eval-sequences", 100, "--verbose", 0]
    status, out, _ = call(lstm_classifier.main, *flags)
    assert status == 130 and "Expected" in out
    assert out.splitlines()[-1] == (
        "Interrupted (Ctrl-C): the accuracy on many sequences abandoned;"
        " everything above is complete."
    )

"""Each script run the way a user runs it, with small settings."""

import contextlib
import errno
import io
import re
import signal
import time

import matplotlib.figure
import pandas as pd
import pytest
from conftest import assert_png, run_script, start_script, wait_for

import compare_directions
import lstm_classifier

ACCURACY_LINE = re.compile(
    r"^accuracy (0|1)\.\d{3} on (\d+) fresh sequences "
    r"\(position-only baseline (0|1)\.\d{3}\)$"
)


def test_data_prints_an_example(tmp_path):
    result = run_script("data.py", "--timesteps", 6, "--seed", 3, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "no Keras backend" in lines[0]
    assert lines[1].startswith("[") and lines[-1].startswith("[")
    assert re.fullmatch(r"\[([01] ){5}[01]\]", lines[-1])


@pytest.mark.parametrize(
    "script, extra",
    [
        ("lstm_classifier.py", []),
        ("bilstm_classifier.py", ["--merge-mode", "sum"]),
    ],
)
def test_classifier_runs_and_reports(tmp_path, script, extra):
    result = run_script(
        script,
        "--epochs",
        30,
        "--timesteps",
        8,
        "--eval-sequences",
        40,
        "--verbose",
        2,
        "--plot",
        "seq.png",
        *extra,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "backend" in lines[0]
    assert sum(line.startswith("Epoch ") for line in lines) == 30
    header = next(i for i, line in enumerate(lines) if "Expected" in line)
    assert "Predicted" in lines[header]
    rows = lines[header + 1 : header + 9]
    assert [int(row.split()[0]) for row in rows] == list(range(1, 9))
    match = ACCURACY_LINE.match(lines[-1])
    assert match and match.group(2) == "40"
    # By timestep: 8 columns that average to the overall accuracy
    # (each printed to 3 decimals), and the hard timesteps' figures.
    table = next(
        i for i, line in enumerate(lines) if line.startswith("timestep ")
    )
    assert lines[table].split()[1:] == [str(t) for t in range(1, 9)]
    by_timestep = [float(v) for v in lines[table + 1].split()[1:]]
    assert lines[table + 1].startswith("accuracy ") and len(by_timestep) == 8
    overall = float(lines[-1].split()[1])
    assert abs(sum(by_timestep) / 8 - overall) <= 0.0011
    baseline = [float(v) for v in lines[table + 2].split()[1:]]
    assert (
        abs(sum(baseline) / 8 - float(match.group(0).split()[-1][:-1]))
        <= 0.0011
    )
    assert lines[table + 3].startswith("hard timesteps 3-6 (baseline < 0.95)")
    assert "(progress:" not in result.stdout  # --verbose 2: no bar
    assert_png(tmp_path / "seq.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seq.png"]


def test_progress_off_a_terminal_is_plain_lines(tmp_path):
    """stdout to a file or pipe: a line every tenth of the epochs, no
    colours, no carriage returns."""
    flags = ["--epochs", 40, "--timesteps", 4, "--eval-sequences", 5]
    result = run_script("lstm_classifier.py", *flags, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    lines = [x for x in result.stdout.splitlines() if x.startswith("epoch ")]
    assert [x.split()[1] for x in lines] == [
        f"{4 * k}/40" for k in range(1, 11)
    ]
    assert all(
        re.search(r"loss: \d\.\d{4} - acc: \d\.\d{4}$", x) for x in lines
    )


def read_results(out, name):
    return pd.read_csv(out / f"{name}.csv")


@pytest.mark.parametrize(
    "script, models",
    [
        ("compare_directions.py", ["lstm_back", "lstm_back_aligned"]),
        ("compare_merge_modes.py", ["bilstm_mul", "bilstm_con"]),
    ],
)
def test_comparison_writes_csv_summary_and_png(tmp_path, script, models):
    name = script.removesuffix(".py")
    out = tmp_path / "out" / "nested"
    args = [
        "--epochs",
        5,
        "--repeats",
        2,
        "--eval-sequences",
        20,
        "--out",
        out,
        "--models",
        *models,
    ]
    result = run_script(script, *args, "--show", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "backend" in result.stdout.splitlines()[0]

    results = read_results(out, name)
    assert list(results.columns) == ["run", "model", "repeat", "epoch", "loss"]
    assert len(results) == len(models) * 2 * 5
    assert set(results["model"]) == set(models)
    assert results.groupby(["model", "repeat"]).size().eq(5).all()
    assert results["loss"].gt(0).all()

    summary = pd.read_csv(out / f"{name}_summary.csv", index_col="model")
    assert list(summary.index) == models
    assert {"test acc", "baseline acc", "loss 1-5"} <= set(summary.columns)
    text = (out / f"{name}_summary.txt").read_text()
    # Every file names the same run.
    run = results["run"].unique()
    assert len(run) == 1 and set(summary["run"]) == set(run)
    assert (
        text.startswith(f"run {run[0]}:") and f"run {run[0]}" in result.stdout
    )
    assert "no 95% intervals" in text  # 2 repeats are too few for one
    for model in models:
        assert model in text and model in result.stdout
    assert_png(out / f"{name}.png")
    assert_png(out / f"{name}_by_timestep.png")
    assert "no display to show the picture on" in result.stdout
    by_timestep = read_results(out, f"{name}_by_timestep")
    assert list(by_timestep.columns) == [
        "run",
        "model",
        "repeat",
        "timestep",
        "loss",
        "accuracy",
        "baseline",
    ]
    assert len(by_timestep) == len(models) * 2 * 10  # 10 timesteps
    assert set(by_timestep["run"]) == set(run)
    assert by_timestep[["accuracy", "baseline"]].stack().between(0, 1).all()
    # The summary's accuracy is the mean over timesteps and repeats.
    for model, rows in by_timestep.groupby("model"):
        assert summary.loc[model, "test acc"] == pytest.approx(
            rows["accuracy"].mean()
        )
    assert {"hard test acc", "hard baseline acc"} <= set(summary.columns)
    assert "test loss by timestep" in text and "4*" in text

    if script == "compare_directions.py":
        # Determinism: the same flags and seed give the same bytes (the
        # second run in this process, to save a start-up).
        again = tmp_path / "again"
        args[args.index(out)] = again
        with contextlib.redirect_stdout(io.StringIO()):
            assert compare_directions.main(list(map(str, args))) == 0
        assert (out / f"{name}.csv").read_bytes() == (
            again / f"{name}.csv"
        ).read_bytes()


@pytest.mark.parametrize(
    "signal_number, status",
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
)
def test_a_signal_keeps_the_finished_repeats(tmp_path, signal_number, status):
    out = tmp_path / "res"
    (tmp_path / "res").mkdir()
    for old in ("compare_directions_summary.txt", "compare_directions.png"):
        (out / old).write_text("from an older run")
    csv = out / "compare_directions.csv"
    process = start_script(
        "compare_directions.py",
        "--epochs",
        120,
        "--repeats",
        1000,
        "--models",
        "lstm_forw",
        "--out",
        out,
        cwd=tmp_path,
    )
    wait_for(csv.exists, 120, process)
    # The older run's summary and picture went with the first new CSV.
    assert not (out / "compare_directions_summary.txt").exists()
    time.sleep(0.5)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert "Interrupted" in stdout
    results = pd.read_csv(csv)
    sizes = results.groupby("repeat").size()
    assert 1 <= len(sizes) < 1000
    assert sizes.eq(120).all()
    assert list(sizes.index) == list(range(1, len(sizes) + 1))
    summary = pd.read_csv(out / "compare_directions_summary.csv")
    assert summary["repeats"].tolist() == [len(sizes)]
    assert set(summary["run"]) == set(results["run"])
    assert_png(out / "compare_directions.png")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_ctrl_c_during_classifier_training(tmp_path):
    """(SIGTERM there works the same way; tests/test_training.py checks
    the mechanism for both.)"""
    process = start_script(
        "lstm_classifier.py",
        "--epochs",
        1_000_000,
        "--verbose",
        2,
        cwd=tmp_path,
    )
    for line in process.stdout:
        if line.startswith("Epoch 20/"):
            break
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Interrupted after" in stdout
    *_, accuracy, last = stdout.strip().splitlines()
    assert ACCURACY_LINE.match(accuracy)
    assert last == "Interrupted (Ctrl-C); everything above is complete."


def test_a_failed_write_after_training_costs_one_line(in_tmp, capsys):
    """Disk full at the end: the accuracy line still comes, exit 1."""

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    flags = ["--epochs", "3", "--timesteps", "4", "--eval-sequences", "5"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matplotlib.figure.Figure, "savefig", full_disk)
        status = lstm_classifier.main(
            [*flags, "--verbose", "0", "--plot", "p.png"]
        )
    assert status == 1
    captured = capsys.readouterr()
    assert ACCURACY_LINE.match(captured.out.strip().splitlines()[-1])
    assert captured.err.strip() == (
        "error: could not write p.png: No space left on device"
    )
    assert list(in_tmp.iterdir()) == []


def test_a_failed_csv_write_keeps_the_finished_repeats(in_tmp, capsys):
    """Both CSVs of repeat 1 are written; every write after them fails."""
    original = pd.DataFrame.to_csv
    calls = 0

    def fails_after_the_first_repeat(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls > 2:
            raise OSError(errno.EIO, "Input/output error")
        return original(self, *args, **kwargs)

    flags = ["--epochs", "3", "--repeats", "2", "--models", "lstm_forw"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pd.DataFrame, "to_csv", fails_after_the_first_repeat)
        status = compare_directions.main([*flags, "--out", "out"])
    assert status == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [
        f"error: could not write out/{name}: Input/output error"
        for name in (
            "compare_directions.csv",
            "compare_directions_by_timestep.csv",
            "compare_directions_summary.csv",
        )
    ]
    for name in ("compare_directions", "compare_directions_by_timestep"):
        results = pd.read_csv(in_tmp / "out" / f"{name}.csv")
        assert results["repeat"].unique().tolist() == [1]
    assert_png(in_tmp / "out" / "compare_directions.png")
    assert_png(in_tmp / "out" / "compare_directions_by_timestep.png")
    assert not [
        p for p in (in_tmp / "out").iterdir() if p.name.startswith(".")
    ]


def test_the_longest_valid_plot_name_works(in_tmp, capsys):
    """The temporary file's name is short, whatever the target's."""
    name = "p" * 251 + ".png"  # 255 characters, the usual limit
    flags = ["--epochs", "2", "--timesteps", "4", "--eval-sequences", "3"]
    assert (
        lstm_classifier.main([*flags, "--verbose", "0", "--plot", name]) == 0
    )
    assert_png(in_tmp / name)
    assert f"saved {name}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, flag",
    [
        (["--blocks", "0"], "--blocks"),
        (["--json", "missing/figures.json"], "--json"),
        (["--json", "figures.txt"], "--json"),
    ],
)
def test_the_benchmark_checks_its_flags_before_timing(tmp_path, args, flag):
    started = time.monotonic()
    result = run_script("benchmarks/bench_training.py", *args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and flag in result.stderr
    assert time.monotonic() - started < 30  # nothing imported or timed
    assert list(tmp_path.iterdir()) == []

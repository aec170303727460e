"""Each script run the way a user runs it, with small settings."""

import re
import signal
import time

import pandas as pd
import pytest
from conftest import assert_png, run_script, start_script

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
    assert_png(tmp_path / "seq.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seq.png"]


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
    result = run_script(script, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "backend" in result.stdout.splitlines()[0]

    results = read_results(out, name)
    assert list(results.columns) == ["model", "repeat", "epoch", "loss", "acc"]
    assert len(results) == len(models) * 2 * 5
    assert set(results["model"]) == set(models)
    assert results.groupby(["model", "repeat"]).size().eq(5).all()
    assert results["loss"].gt(0).all()

    summary = pd.read_csv(out / f"{name}_summary.csv", index_col="model")
    assert list(summary.index) == models
    assert {"test acc", "baseline acc", "loss 1-5"} <= set(summary.columns)
    text = (out / f"{name}_summary.txt").read_text()
    for model in models:
        assert model in text and model in result.stdout
    assert_png(out / f"{name}.png")

    if script == "compare_directions.py":
        # Determinism: the same flags and seed give the same bytes.
        again = tmp_path / "again"
        args[args.index(out)] = again
        second = run_script(script, *args, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert (out / f"{name}.csv").read_bytes() == (
            again / f"{name}.csv"
        ).read_bytes()


def wait_for(condition, timeout, process):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        time.sleep(0.2)
    process.kill()
    raise AssertionError("timed out waiting")


def test_ctrl_c_keeps_the_finished_repeats(tmp_path):
    out = tmp_path / "res"
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
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Interrupted" in stdout
    results = pd.read_csv(csv)
    sizes = results.groupby("repeat").size()
    assert 1 <= len(sizes) < 1000
    assert sizes.eq(120).all()
    assert list(sizes.index) == list(range(1, len(sizes) + 1))
    assert (out / "compare_directions_summary.csv").exists()
    assert_png(out / "compare_directions.png")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_ctrl_c_during_classifier_training(tmp_path):
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
    assert ACCURACY_LINE.match(stdout.strip().splitlines()[-1])

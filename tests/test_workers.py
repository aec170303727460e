"""--jobs: repeats in spawned worker processes, run the way a user runs
the script; the same files as one process, clean endings, no orphans."""

import os
import signal
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest
from conftest import assert_png, start_script, wait_for

# The environment variable that marks a run's processes.
TOKEN = "BILSTM_TEST_TOKEN"
# Worker start-up (spawn, then importing Keras) dominates these tests.
workers = pytest.mark.xdist_group("workers")
OUTPUTS = [
    "compare_directions.csv",
    "compare_directions_by_timestep.csv",
    "compare_directions_summary.csv",
    "compare_directions_summary.txt",
    "compare_directions.png",
    "compare_directions_by_timestep.png",
]


def start(*args, cwd, token):
    """compare_directions.py in the background; `token` marks it and every
    process it starts (in their environment), so that we can find them."""
    return start_script(
        "compare_directions.py", *args, cwd=cwd, env={TOKEN: token}
    )


def marked(token):
    """Pids of the live processes whose environment holds `token`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if f"{TOKEN}={token}".encode() in environ and state != "Z":
            pids.append(int(entry.name))
    return pids


def no_orphans(token, within=10):
    deadline = time.monotonic() + within
    while marked(token) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marked(token) == []


def start_a_long_run(tmp_path):
    """One model, 1000 repeats in 2 workers, until the first CSV exists.
    Returns the process, the --out directory and the run's token."""
    out = tmp_path / "res"
    token = uuid.uuid4().hex
    flags = ["--epochs", 80, "--repeats", 1000, "--models", "lstm_forw"]
    process = start(
        *flags, "--jobs", 2, "--out", out, cwd=tmp_path, token=token
    )
    wait_for((out / "compare_directions.csv").exists, 180, process)
    time.sleep(1)
    return process, out, token


@workers
def test_files_are_byte_identical_for_any_jobs(tmp_path):
    flags = ["--epochs", 6, "--repeats", 3, "--eval-sequences", 12]
    flags += ["--models", "lstm_forw", "bilstm_con"]
    outputs = {}
    for jobs in (1, 2):  # 1 is the default
        out = tmp_path / f"jobs{jobs}"
        token = uuid.uuid4().hex
        process = start(
            *flags, "--jobs", jobs, "--out", out, cwd=tmp_path, token=token
        )
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        # One line per repeat, in repeat order, whoever finished first.
        lines = [
            line for line in stdout.splitlines() if line.startswith("repeat ")
        ]
        assert [line.split()[1] for line in lines] == ["1/3", "2/3", "3/3"]
        assert ("worker processes" in stdout) == (jobs > 1)
        outputs[jobs] = {name: (out / name).read_bytes() for name in OUTPUTS}
        no_orphans(token)
    assert outputs[2] == outputs[1]


@workers
@pytest.mark.parametrize(
    "signal_number, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)]
)
def test_a_signal_stops_every_worker_and_keeps_the_finished(
    tmp_path, signal_number, status
):
    process, out, token = start_a_long_run(tmp_path)
    csv = out / "compare_directions.csv"
    # Ctrl-C in a terminal reaches the whole process group; SIGTERM from
    # `kill` or a scheduler only the script.
    if signal_number == signal.SIGINT:
        for pid in marked(token):
            os.kill(pid, signal.SIGINT)
    else:
        process.send_signal(signal_number)
    sent = time.monotonic()
    stdout, stderr = process.communicate(timeout=120)
    assert time.monotonic() - sent < 30
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert "Interrupted" in stdout
    results = pd.read_csv(csv)
    sizes = results.groupby("repeat").size()
    assert 1 <= len(sizes) < 1000 and sizes.eq(80).all()
    assert list(sizes.index) == sorted(set(sizes.index))
    summary = pd.read_csv(out / "compare_directions_summary.csv")
    assert summary["repeats"].tolist() == [len(sizes)]
    by_timestep = pd.read_csv(out / "compare_directions_by_timestep.csv")
    assert sorted(set(by_timestep["repeat"])) == list(sizes.index)
    assert_png(out / "compare_directions.png")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    no_orphans(token)


@workers
def test_a_killed_worker_costs_one_line_and_keeps_the_finished(tmp_path):
    process, out, token = start_a_long_run(tmp_path)
    worker = next(
        pid
        for pid in marked(token)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    )
    os.kill(worker, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if "worker" in line]
    assert len(errors) == 1 and "died" in errors[0]
    assert "repeat" in errors[0] and "keeping the" in errors[0]
    results = pd.read_csv(out / "compare_directions.csv")
    assert results.groupby("repeat").size().eq(80).all()
    summary = pd.read_csv(out / "compare_directions_summary.csv")
    assert summary["repeats"].tolist() == [results["repeat"].nunique()]
    assert_png(out / "compare_directions_by_timestep.png")
    no_orphans(token)


def test_jobs_default_to_one_and_never_exceed_the_repeats():
    import compare_directions

    def parse(*argv):
        return compare_directions.flags.parse_comparison(
            "", list(compare_directions.MODELS), ["--out", "/tmp", *argv]
        )

    assert parse().jobs == 1
    assert parse("--jobs", "8", "--repeats", "3").jobs == 3

"""Ctrl-C, SIGTERM and SIGHUP: a run stops where it can, keeps what it
finished, says so in one line and exits 128 + the signal; a second signal
ends it at once. Handlers are ours only while main runs, in the main
thread; a reader that goes away ends the output quietly."""

import signal
import threading
import time

import pandas as pd
import pytest
from conftest import call, only_on, stderr_lines

import compare_merge_modes
import lstm_classifier
from support import ending


@pytest.fixture
def default_handlers():
    """Ctrl-C and SIGTERM as a terminal's program gets them, whatever
    pytest started with; put back afterwards."""
    before = {s: signal.getsignal(s) for s in ending.SIGNALS}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    yield
    for number, handler in before.items():
        signal.signal(number, handler)


def send(after, *numbers):
    """Send this process the signals `numbers`, one right after the other,
    after `after` seconds (two of one kind would count as one)."""

    def kill():
        time.sleep(after)
        for number in numbers:
            signal.raise_signal(number)

    threading.Thread(target=kill, daemon=True).start()


def test_ctrl_c_in_training_keeps_the_model_as_it_is(in_tmp, default_handlers):
    assert threading.current_thread() is threading.main_thread()
    handlers = {s: signal.getsignal(s) for s in ending.SIGNALS}
    send(4, signal.SIGINT)
    flags = [
        "--epochs",
        10**6,
        "--save-model",
        "m.keras",
        "--eval-sequences",
        30,
    ]
    status, out, err = call(lstm_classifier.main, *flags)
    assert status == 130, err
    assert handlers == {s: signal.getsignal(s) for s in ending.SIGNALS}
    line = next(s for s in out.splitlines() if s.startswith("Interrupted"))
    epochs = int(line.split(" after ")[1].split()[0])
    assert 0 < epochs < 10**6
    assert line.endswith("what follows is for the model as it is now.")
    assert f"saved m.keras ({epochs} of 1000000 epochs)" in out
    assert "accuracy" in out.splitlines()[-1] and (in_tmp / "m.keras").exists()
    assert stderr_lines(err) == []


@only_on("tensorflow", "signals are our code's; one pass tests them")
def test_sigterm_keeps_every_finished_repeat(start, tmp_path):
    """A child comparison gets SIGTERM after its second repeat: the CSVs
    hold both, the summary and pictures say so, exit status 143."""
    flags = ["--epochs", 20, "--repeats", 1000, "--models", "bilstm_sum"]
    flags += ["--eval-sequences", 20]
    child = start("compare_merge_modes.py", *flags)
    for line in child.stdout:
        if line.startswith("repeat 2/1000"):
            child.send_signal(signal.SIGTERM)
            break
    rest, err = child.communicate(timeout=120)
    assert child.returncode == 143, err
    assert stderr_lines(err) == []
    finished = int(rest.split("keeping the ")[1].split()[0])
    assert finished >= 2
    losses = pd.read_csv(tmp_path / "results" / "compare_merge_modes.csv")
    assert sorted(set(losses["repeat"])) == list(range(1, finished + 1))
    # --seed determinism: the same flags in this process, the same numbers
    again = tmp_path / "again"
    flags[3] = 2  # --repeats
    status, _, _ = call(compare_merge_modes.main, *flags, "--out", again)
    assert status == 0
    rerun = pd.read_csv(again / "compare_merge_modes.csv")
    assert rerun.equals(losses[losses["repeat"] <= 2])
    summary = tmp_path / "results" / "compare_merge_modes_summary.txt"
    assert f"{finished} repeat(s) finished" in summary.read_text()
    assert (tmp_path / "results" / "compare_merge_modes.png").exists()


def test_main_runs_in_another_thread_without_touching_signals(in_tmp):
    before = {s: signal.getsignal(s) for s in ending.SIGNALS}
    results = []
    flags = ["--epochs", 3, "--eval-sequences", 5, "--verbose", 0]
    thread = threading.Thread(
        target=lambda: results.append(call(lstm_classifier.main, *flags))
    )
    thread.start()
    thread.join()
    assert results[0][0] == 0 and "accuracy" in results[0][1]
    assert before == {s: signal.getsignal(s) for s in ending.SIGNALS}


def test_a_signal_ignored_from_the_start_stays_ignored(default_handlers):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as nohup does SIGHUP
    with ending.watch():
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is not signal.SIG_DFL
        assert (
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        )
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@only_on("jax", "a pipe is our code's; one pass tests it")
def test_a_reader_that_goes_away_ends_the_output_quietly(start, tmp_path):
    (tmp_path / "x.csv").write_text("0.5,0.5,0.5\n" * 200_000)
    import keras

    keras.Sequential(
        [
            keras.Input((3, 1)),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    ).save(tmp_path / "m.keras")
    child = start("predict.py", "m.keras", "--csv", "x.csv")
    assert child.stdout.readline().startswith("sequence,timestep")
    child.stdout.close()
    assert child.wait(timeout=120) == 1
    assert stderr_lines(child.stderr.read()) == []

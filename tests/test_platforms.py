"""Windows, macOS and a Jupyter kernel, simulated or real on this Linux
machine: every script runs, Ctrl-C keeps its files, the kernel lives on."""

import json
import re
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT, assert_png, environment, only_on

PLATFORMS = ROOT / "tests" / "platforms"


SIMULATED = {  # each runs in one of CI's two passes: it tests our code
    "windows": only_on("tensorflow", "the Windows-like run is on TensorFlow"),
    "macos": only_on("jax", "the macOS-like run is on JAX"),
}


@pytest.mark.parametrize(
    "platform", [pytest.param(p, marks=m) for p, m in SIMULATED.items()]
)
def test_every_script_runs_on_a_simulated_platform(platform, tmp_path):
    result = subprocess.run(
        [sys.executable, PLATFORMS / "driver.py", ROOT],
        cwd=tmp_path,
        env=environment(PYTHONPATH=PLATFORMS / platform),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report.pop("has SIGHUP") is (platform != "windows")
    assert report.pop("has /proc") is (platform != "macos")
    assert report.pop("ctrl-c") == 130
    assert report == dict.fromkeys(report, 0) | {
        "imports changed nothing": True,
        "handlers restored": True,
    }
    labels = pd.read_csv(tmp_path / "labels.csv")
    assert len(labels) == 30 and set(labels["label"]) <= {0, 1}
    kept = pd.read_csv(tmp_path / "ctrl-c" / "compare_merge_modes.csv")
    summary = tmp_path / "ctrl-c" / "compare_merge_modes_summary.txt"
    finished = f"{kept['repeat'].max()} repeat(s) finished"
    assert finished in summary.read_text()
    assert_png(tmp_path / "ctrl-c" / "compare_merge_modes.png")
    assert "keeping the" in result.stdout
    epochs = re.findall(
        r"^Epoch (\d)/3 - loss: \S+ - acc: \S+$", result.stdout, re.M
    )
    assert epochs == ["1", "2", "3"]  # --verbose 2


def output_of(client, code, timeout=300):
    """Run `code` in the kernel; what it printed, and the reply's status."""
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=keep)
    return "".join(printed), reply["content"]["status"]


@only_on("jax", "a kernel is our code's test, not the backend's")
def test_a_jupyter_kernel_runs_main_and_survives_an_interrupt(tmp_path):
    """In a real kernel: a comparison's main([...]) runs to the end; the
    kernel's Interrupt stops a classifier's training as Ctrl-C does (130,
    its files kept); the kernel runs the next cell; main runs from
    another thread too."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(
        cwd=str(tmp_path), env=environment(PYTHONPATH=str(ROOT))
    )
    try:
        setup = "import compare_merge_modes, lstm_classifier, threading"
        assert output_of(client, setup)[1] == "ok"
        flags = "['--epochs', '5', '--repeats', '2', '--models', 'bilstm_ave']"
        printed, status = output_of(
            client, f"print(compare_merge_modes.main({flags}))"
        )
        assert status == "ok" and printed.splitlines()[-1] == "0"
        assert (tmp_path / "results" / "compare_merge_modes.png").exists()
        flags = "['--epochs', '1000000', '--save-model', 'm.keras']"
        client.execute(f"status = lstm_classifier.main({flags})")
        while "progress" not in str(client.get_iopub_msg(timeout=120)):
            pass
        time.sleep(3)  # into the training
        manager.interrupt_kernel()
        reply = client.get_shell_msg(timeout=300)
        assert reply["content"]["status"] == "ok"
        assert output_of(client, "print(status)")[0].strip() == "130"
        assert (tmp_path / "m.keras").exists()
        assert output_of(client, "print(1 + 1)") == ("2\n", "ok")
        (tmp_path / "c.csv").write_text(
            "0.3,0.2,0.9,0.4,0.5,0.6,0.7,0.8,0.1,0\n"
        )
        code = (  # predict.py, on the model the interrupted run saved
            "import predict\n"
            "done = []\n"
            "thread = threading.Thread(target=lambda: done.append("
            "predict.main(['m.keras', '--csv', 'c.csv'])))\n"
            "thread.start(); thread.join(); print(done)"
        )
        assert output_of(client, code)[0].splitlines()[-1] == "[0]"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

"""Windows and macOS, simulated on this Linux machine: every script runs,
Ctrl-C keeps its files (a real Jupyter kernel: test_notebook.py)."""

import json
import re
import subprocess
import sys

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

"""notebooks/walkthrough.ipynb and Jupyter: the notebook is generated from
walkthrough.py (jupytext) and runs top to bottom in a fresh kernel at
short settings, its pictures inline, and that kernel survives an
interrupt; on Colab its first cell installs Keras at most, never
TensorFlow."""

import importlib.metadata
import subprocess
import sys
import time
import types

import jupytext
import nbformat
import pytest
from conftest import ROOT, only_on
from nbclient import NotebookClient

NOTEBOOK = ROOT / "notebooks" / "walkthrough.ipynb"
SHORT = """
classifier_epochs, comparison_epochs, repeats = 20, 10, 2
direction_models = ["lstm_forw", "bilstm_con"]
merge_models = ["bilstm_sum", "bilstm_con"]
"""


def cells(notebook):
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def test_the_notebook_is_its_source_without_outputs():
    """Edit walkthrough.py, then: jupytext --to ipynb walkthrough.py"""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    source = jupytext.read(NOTEBOOK.with_suffix(".py"))
    assert cells(notebook) == cells(source)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert not any(cell.outputs for cell in code)


def output_of(client, code, timeout=300):
    """Run `code` in the kernel; what it printed, and the reply's status."""
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=keep)
    return "".join(printed), reply["content"]["status"]


@only_on("jax", "a kernel is our code's test, not the backend's")
def test_the_notebook_runs_then_its_kernel_survives_an_interrupt(
    tmp_path, monkeypatch
):
    """nbclient runs the notebook top to bottom in a fresh kernel (short
    settings): text, Keras's bar, pictures inline. Then, in that kernel:
    the kernel's Interrupt stops a classifier's training as Ctrl-C does
    (130, its model saved); the kernel runs the next cell; predict.py's
    main runs from another thread."""
    from jupyter_client.manager import KernelManager

    monkeypatch.delenv("MPLBACKEND")  # a notebook's own: pictures inline
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    settings = next(
        cell
        for cell in notebook.cells
        if "parameters" in cell.metadata.get("tags", [])
    )
    settings.source += f"{SHORT}out = {str(tmp_path / 'results')!r}\n"
    manager = KernelManager()
    manager.start_kernel(cwd=str(NOTEBOOK.parent))
    client = manager.client()  # started once nbclient has finished
    try:
        NotebookClient(notebook, km=manager, timeout=600).execute()
        outputs = [
            o for cell in notebook.cells for o in cell.get("outputs", [])
        ]
        pictures = [o for o in outputs if "image/png" in o.get("data", {})]
        assert len(pictures) == 4  # the loss plot and three comparison PNGs
        text = "".join(out.get("text", "") for out in outputs)
        for words in ["Expected  Predicted", "baseline", "repeat 2/2"]:
            assert words in text
        assert "━" in text  # Keras's progress bar, as a notebook draws it
        assert (tmp_path / "results" / "compare_merge_modes.png").exists()
        # the same kernel, in tmp_path: an interrupt, a thread
        client.start_channels()
        client.wait_for_ready(timeout=60)
        assert output_of(client, f"os.chdir({str(tmp_path)!r})")[1] == "ok"
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
            "import predict, threading\n"
            "done = []\n"
            "thread = threading.Thread(target=lambda: done.append("
            "predict.main(['m.keras', '--csv', 'c.csv'])))\n"
            "thread.start(); thread.join(); print(done)"
        )
        assert output_of(client, code)[0].splitlines()[-1] == "[0]"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize(
    "colab, keras, installs",
    [
        (True, "3.8.0", ["keras>=3.15"]),
        (True, "3.15.1", None),
        (False, "3.15.1", ["-r", "requirements.txt"]),
    ],
)
def test_the_first_cell_installs_what_is_missing(
    colab, keras, installs, monkeypatch
):
    """On Colab, Keras only if it is older than 3.15; never TensorFlow."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    if colab:
        colab_module = types.ModuleType("google.colab")
        monkeypatch.setitem(sys.modules, "google.colab", colab_module)
    monkeypatch.setattr(importlib.metadata, "version", lambda name: keras)
    commands = []
    monkeypatch.setattr(
        subprocess, "run", lambda command, check: commands.append(command)
    )
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.chdir(NOTEBOOK.parent)  # the cell moves to the project
    exec(first.source, {})
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    assert commands == ([] if installs is None else [pip + installs])
    assert "tensorflow" not in str(commands)

"""The layout: standalone section scripts that import only data.py and the
support package, a small runtime, the tutorial's plain listings, and the
pinned versions behind the README's figures."""

import ast
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, environment, only_on

SCRIPTS = ["lstm_classifier.py", "bilstm_classifier.py", "predict.py"]
SCRIPTS += ["compare_directions.py", "compare_merge_modes.py"]
RUNTIME = [
    *SCRIPTS,
    "data.py",
    *sorted(f"support/{p.name}" for p in (ROOT / "support").glob("*.py")),
]  # every runtime module, as a path in the repository


def imported(path):
    """Every module a file imports, anywhere in it (function-level too):
    "support.cli" for the support package's, else the top-level name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return {n if n.startswith("support.") else n.split(".")[0] for n in names}


def module_path(module):
    return ROOT / (module.replace(".", "/") + ".py")


def test_imports_run_one_way_scripts_then_support_then_data():
    """A script imports only data.py and support; support imports data.py
    but no script; data.py imports nothing of ours; no cycle among the
    support modules."""
    ours = {path.stem for path in ROOT.glob("*.py")}
    support = {f"support.{p.stem}" for p in (ROOT / "support").glob("*.py")}
    for script in SCRIPTS:
        assert imported(ROOT / script) & ours <= {"data"}, script
    assert not imported(ROOT / "data.py") & (ours | support | {"support"})
    graph = {m: imported(module_path(m)) & support for m in support}
    for module in support:
        assert not imported(module_path(module)) & (ours - {"data"}), module
    done = set()
    while len(done) < len(graph):  # peel off modules whose imports are done
        ready = {m for m in graph if m not in done and graph[m] <= done}
        assert ready, f"an import cycle among {sorted(set(graph) - done)}"
        done |= ready
    for path in (ROOT / "tutorial").glob("*.py"):
        assert not imported(path) & (ours | {"support"}), path.name


CAPS = {"data.py": 100, "support/": 200, "": 130}  # "": scripts, predict.py
ESCAPES = ("noqa", "fmt: skip", "fmt: off", "type: ignore")


def test_each_runtime_file_is_within_its_cap_and_plain():
    """Scripts and predict.py at most 130 lines, data.py 100, a support
    module 200; no lint or format escape and no private Keras API."""
    for name in RUNTIME:
        cap = next(c for k, c in CAPS.items() if name.startswith(k))
        text = (ROOT / name).read_text()
        assert len(text.splitlines()) <= cap, (name, cap)
        assert not any(escape in text for escape in ESCAPES), name
        assert "keras.src" not in text, name


# Each listing runs once in CI: sections 3 and 6 in the TensorFlow pass,
# 4 and 5 on JAX (the same functions in other combinations).
LISTINGS = {
    "tensorflow": ["section3", "section6"],
    "jax": ["section4", "section5"],
}


def test_the_tutorials_listings_run(tmp_path):
    """tutorial/, the listings as printed but for Keras 3, each run with
    its loops shortened to 2 epochs: sections 3 and 4 print Expected and
    Predicted for 10 timesteps, 5 and 6 draw their plot."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend not in LISTINGS:
        pytest.skip("the listings run in the TensorFlow and JAX passes")
    driver = ["import runpy"]
    for path in sorted((ROOT / "tutorial").glob("section*.py")):
        if path.name.split("_")[0] in LISTINGS[backend]:
            code = re.sub(r"range\((1000|250)\)", "range(2)", path.read_text())
            (tmp_path / path.name).write_text(code)
            driver.append(f"runpy.run_path({path.name!r}); print('done')")
    result = subprocess.run(
        [sys.executable, "-c", "\n".join(driver)],
        cwd=tmp_path,
        env=environment(MPLBACKEND="Agg"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines.count("done") == 2
    expected = [s for s in lines if s.startswith("Expected: [")]
    assert len(expected) == 10
    pattern = r"Expected: \[[01]\] Predicted \[[01]\]"
    assert all(re.fullmatch(pattern, s) for s in expected)


def test_the_constraints_pin_every_requirement():
    """constraints.txt: one exact version for every package a requirements
    file names (as installed on Linux x86_64, where tensorflow-cpu stands
    for tensorflow; PyTorch is left out, see the file)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    named = set()
    for path in ROOT.glob("requirements*.txt"):
        for line in path.read_text().splitlines():
            line = line.split("#")[0].split(";")[0].strip()
            if line and not line.startswith("-r"):
                name = re.split(r"[<>=\[ ]", line)[0].lower()
                named.add(name.replace("_", "-"))
    assert named - {"torch", "tensorflow"} <= set(pins), named - set(pins)
    assert "torch" not in pins


def test_importing_our_modules_changes_nothing_in_the_importer():
    """No signal handler and no stream is touched until a main runs: a
    learner's own script importing ours keeps its Ctrl-C (run again here,
    each module's top-level code would redo any such change)."""
    import importlib
    import signal

    numbers = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", 0)]
    before = (
        [signal.getsignal(n) for n in numbers if n],
        sys.stdout,
        sys.stderr,
    )
    for name in RUNTIME:
        module = name.removesuffix(".py").replace("/", ".")
        importlib.reload(importlib.import_module(module))
    after = [signal.getsignal(n) for n in numbers if n], sys.stdout, sys.stderr
    assert after == before


def test_every_benchmark_answers_help_before_keras_loads():
    """Each benchmark script (the others are its helper modules)."""
    scripts = [
        path
        for path in (ROOT / "benchmarks").glob("*.py")
        if "__main__" in path.read_text()
    ]
    assert len(scripts) == 5
    for path in scripts:
        result = subprocess.run(
            [sys.executable, path, "--help"],
            env=environment(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0 and "usage:" in result.stdout, path
        assert "tensorflow" not in result.stderr.lower(), path


@only_on("jax", "the benchmark's code is ours; one pass runs it")
def test_the_training_benchmark_runs_at_tiny_sizes(tmp_path):
    """bench_training.py --smoke: every part but whole processes, each a
    few updates; the figures it saves are there and positive."""
    result = subprocess.run(
        [sys.executable, ROOT / "benchmarks" / "bench_training.py"]
        + ["--smoke", "--blocks", "1", "--json", tmp_path / "b.json"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "b.json").read_text())
    assert figures["per_update_ratio_LSTM"] > 0
    assert figures["comparison_same_losses"] is True


@only_on("jax", "packaging is our code's; one pass builds it")
def test_pip_builds_a_wheel_of_every_runtime_module(tmp_path):
    """`pip wheel .` (in a copy: a build writes into its folder) holds the
    scripts, data.py and support/, and requires requirements.txt."""
    source = tmp_path / "source"
    for name in ["pyproject.toml", "requirements.txt", *RUNTIME]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / name).read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"]
        + ["--wheel-dir", tmp_path / "wheels", source],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = (tmp_path / "wheels").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(n for n in names if n.endswith("/METADATA"))
        requires = archive.read(metadata).decode()
    assert {name for name in names if name.endswith(".py")} == set(RUNTIME)
    assert "Requires-Dist: keras>=3.15" in requires

"""The layout: standalone section scripts that import only data.py and the
support package, a small runtime, the tutorial's plain listings, and the
pinned versions behind the README's figures."""

import ast
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, environment

SCRIPTS = ["lstm_classifier.py", "bilstm_classifier.py", "predict.py"]
SCRIPTS += ["compare_directions.py", "compare_merge_modes.py"]
RUNTIME = [
    *SCRIPTS,
    "data.py",
    *sorted(p.name for p in (ROOT / "support").glob("*.py")),
]


def imported(path):
    """Top-level names of every module a file imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_scripts_import_only_data_and_the_support_package():
    ours = {path.stem for path in ROOT.glob("*.py")} | {"support"}
    for script in SCRIPTS:
        assert imported(ROOT / script) & ours <= {"data", "support"}, script
    for path in [ROOT / "data.py", *(ROOT / "support").glob("*.py")]:
        assert not imported(path) & {s[:-3] for s in SCRIPTS}, path.name
    for path in (ROOT / "tutorial").glob("*.py"):
        assert not imported(path) & ours, path.name


def test_the_runtime_stays_small():
    """The section scripts, data.py, predict.py and support/: at most 1,500
    lines, no support module over 200, and no private Keras API."""
    sizes = {}
    for name in RUNTIME:
        path = (
            ROOT / name if (ROOT / name).exists() else ROOT / "support" / name
        )
        text = path.read_text()
        sizes[name] = len(text.splitlines())
        assert "keras.src" not in text, name
    assert sum(sizes.values()) <= 1500, sizes
    support = {
        n: s for n, s in sizes.items() if (ROOT / "support" / n).exists()
    }
    assert max(support.values()) <= 200, support


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
        module = name.removesuffix(".py")
        if (ROOT / "support" / name).exists():
            module = f"support.{module}"
        importlib.reload(importlib.import_module(module))
    after = [signal.getsignal(n) for n in numbers if n], sys.stdout, sys.stderr
    assert after == before

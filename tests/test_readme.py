"""The README's code is run: every Python block as printed, and every
command (`python SCRIPT.py ...`) through the script's main() in this
process, its output compared with the sample the README shows.

Outputs are compared by their shape (benchmarks/readme_blocks.py: numbers,
spacing and the backend's name left out), so another backend or release
passes and a changed word or column fails. Progress lines are left out
(the README shows a terminal's bar). A comment line right before a block:
  <!-- test: skip: REASON -->  not run
  <!-- test: with FLAGS -->    FLAGS added to each command that trains (a
                               long run made short: the last value given
                               to a flag wins); "on BACKEND with FLAGS":
                               in that backend's pass only (two blocks
                               that run the same code share the work)
  <!-- test: after python -->  run by the test of the Python block before
                               it, in the same folder
  <!-- test: output -->        (after a Python block) what it prints
  <!-- test: output of S.py --> an excerpt of what the command above
                               running S.py prints
"""

import contextlib
import fnmatch
import importlib
import io
import os
import re
import shlex
import shutil
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import readme_blocks  # noqa: E402
from readme_blocks import PLAIN_PROGRESS, locate, without_chatter  # noqa: E402

# The README, and the pages its "your next step" links to.
PAGES = ["README.md", "docs/own_sequences.md", "docs/next_questions.md"]
BLOCKS = [
    (page, block)
    for page in PAGES
    for block in readme_blocks.parse((ROOT / page).read_text())
]
COMMANDS = [(p, b) for p, b in BLOCKS if readme_blocks.is_command(b)]
PYTHON = [(p, b) for p, b in BLOCKS if b.kind == "python"]


def printed(run):
    """What run() printed on stdout and stderr, as the README shows it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = run()
        except SystemExit as exit:
            status = exit.code
    lines = out.getvalue().splitlines() + err.getvalue().splitlines()
    lines = [s for s in without_chatter(lines) if not PLAIN_PROGRESS.match(s)]
    return status or 0, lines


def in_this_pass(marker):
    """The marker without "on BACKEND " (skipping the test on another
    backend): two blocks that run the same code share the work."""
    if marker.startswith("on "):
        backend, _, marker = marker.removeprefix("on ").partition(" ")
        if os.environ.get("KERAS_BACKEND", "tensorflow") != backend:
            pytest.skip(f"run in the {backend} pass")
    return marker


def run_python(block):
    code = compile("\n".join(block.lines), f"README.md:{block.line}", "exec")
    return printed(lambda: exec(code, {"__name__": "__main__"}))


def ignored(name):
    """Whether .gitignore holds a file or folder `name` (top level)."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    patterns = [s.rstrip("/") for s in lines if s and not s.startswith("#")]
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


@pytest.fixture
def reader(tmp_path, monkeypatch):
    """What a reader has: this README and an images folder, nothing else;
    what the examples wrote beside them, git ignores (.gitignore)."""
    shutil.copy(ROOT / "README.md", tmp_path)
    (tmp_path / "images").mkdir()
    monkeypatch.chdir(tmp_path)
    yield
    written = set(os.listdir(tmp_path)) - {"README.md", "images"}
    assert [name for name in sorted(written) if not ignored(name)] == []


def run_commands(block):
    """Run a command block; check each transcript's output, then the
    block's samples, against all it printed."""
    marker = in_this_pass(block.marker)
    extra = []
    if marker.startswith("with "):
        extra = shlex.split(marker.removeprefix("with "))
    everything = []
    for argv, expected in readme_blocks.commands_of(block):
        assert argv[0] == "python" and argv[1].endswith(".py"), argv
        module = importlib.import_module(argv[1].removesuffix(".py"))
        trains = argv[1] not in ("data.py", "predict.py")
        flags = argv[2:] + extra * trains
        status, lines = printed(lambda m=module, f=flags: m.main(f))
        refused = expected is not None and any(
            ": error:" in s for s in expected
        )
        assert status == (2 if refused else 0), (argv, lines)
        everything += lines
        if expected is not None:
            expected = [s for s in expected if "━" not in s]
            found = locate(expected, lines, anywhere=False)
            assert found, (argv, "\n".join(lines))
    for sample in block.samples:
        assert locate(sample.lines, everything, anywhere=True), (
            f"README line {sample.line} is not what the command printed:\n"
            + "\n".join(everything)
        )


@pytest.mark.parametrize(
    "page, block", PYTHON, ids=[f"{p} line {b.line}" for p, b in PYTHON]
)
def test_every_python_block_runs_as_printed(page, block, reader):
    """And the commands marked to run after it, in the same folder."""
    in_this_pass(block.marker)
    status, lines = run_python(block)
    assert status == 0, lines
    for sample in block.samples:
        assert locate(sample.lines, lines, anywhere=False), "\n".join(lines)
    for after in (b for p, b in COMMANDS if p == page):
        between = [
            b
            for p, b in PYTHON
            if p == page and block.line < b.line < after.line
        ]
        if after.marker == "after python" and after.line > block.line:
            if not between:
                run_commands(after)


@pytest.mark.parametrize(
    "page, block", COMMANDS, ids=[f"{p} line {b.line}" for p, b in COMMANDS]
)
def test_every_command_prints_what_the_readme_shows(page, block, reader):
    if block.marker.startswith("skip:"):
        assert block.marker.removeprefix("skip:").strip(), "give a reason"
        pytest.skip(block.marker)
    if block.marker == "after python":
        pytest.skip("run by the test of the Python block before it")
    run_commands(block)


# The README's sections that state findings: their figures (outside the
# code blocks, which are samples of one run) come from the findings run.
FINDINGS = (
    "## What the tutorial claims, and what our runs show",
    "## Why is the BiLSTM right sooner?",
    "## Where the models differ, timestep by timestep",
    "## When both directions matter",
)


def test_every_figure_the_findings_quote_is_in_the_findings_output():
    """Each decimal figure in those sections' prose and tables appears in
    docs/findings.md or a summary beside it, the saved output of
    `python benchmarks/findings.py`: none is typed by hand."""
    saved = (ROOT / "docs" / "findings.md").read_text()
    for path in sorted((ROOT / "docs" / "findings").glob("*.txt")):
        saved += path.read_text()
    figures = set(re.findall(r"\d+\.\d+", saved))
    readme = (ROOT / "README.md").read_text()
    quoted = []
    for section in re.split(r"\n(?=## )", readme):
        if section.startswith(FINDINGS):
            prose = re.sub(r"```.*?```", "", section, flags=re.S)
            quoted += re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", prose)
    assert len(quoted) > 40, "the findings sections quote figures"
    assert sorted(set(quoted) - figures) == []

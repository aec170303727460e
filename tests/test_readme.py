"""Every command the README shows is run, and its sample output checked.

Which blocks are commands and which are their sample outputs:
benchmarks/readme_blocks.py. A bash block's samples must appear in what
its commands print; a transcript's output must be all they print.

Outputs are compared by their shape: every number becomes "#", runs of
spaces one space, and the backend's name "BACKEND", so the figures of
another backend or release pass and a changed format fails. A `...` line
in a sample stands for lines left out. Progress output is not compared
(the README shows the terminal's bar, a pipe gets plain lines).

A comment line right before a block changes how it is run:
  <!-- test: skip: REASON -->   not run (the reason is required)
  <!-- test: with FLAGS -->     FLAGS are added to every command: a long
                                run made short (the last value given to a
                                flag is the one used)
  <!-- test: run as: COMMAND --> COMMAND is run instead ($REPO: this
                                checkout)
  <!-- test: exact -->          the output must match to the character
  <!-- test: after python -->   the README's preceding Python block runs
                                first, in the same directory
  <!-- test: output -->         (a plain block right after a Python
                                block) what that Python block prints
  <!-- test: output of S.py --> (a plain block) an excerpt of what the
                                nearest bash block above running S.py
                                prints

Every ```python block runs as printed, in a fresh namespace, from an empty
directory; its sample output, if marked, is compared as a command's is.
"""

import contextlib
import io
import shlex
import shutil
import subprocess

import pytest
import readme_blocks  # benchmarks/readme_blocks.py, on the path (conftest)
from conftest import ROOT, script_command, script_env
from readme_blocks import PLAIN_PROGRESS, locate, without_chatter

README = ROOT / "README.md"
BLOCKS = readme_blocks.parse(README.read_text())
COMMAND_BLOCKS = [b for b in BLOCKS if readme_blocks.is_command(b)]
PYTHON_BLOCKS = [b for b in BLOCKS if b.kind == "python"]


def run(argv, cwd):
    assert argv[0] == "python" and argv[1].endswith(".py"), argv
    return subprocess.run(
        script_command(*argv[1:]),
        cwd=cwd,
        env={**script_env(), "COLUMNS": "80"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def printed_lines(result):
    """What a command printed, as the README shows it: stdout, then our
    stderr lines; no progress (the README shows a terminal's bar)."""
    lines = result.stdout.splitlines() + without_chatter(
        result.stderr.splitlines()
    )
    return [s for s in lines if not PLAIN_PROGRESS.match(s)]


def previous_python_block(block):
    earlier = [b for b in PYTHON_BLOCKS if b.line < block.line]
    return "\n".join(earlier[-1].lines)


@pytest.mark.parametrize(
    "block", COMMAND_BLOCKS, ids=[f"line {b.line}" for b in COMMAND_BLOCKS]
)
def test_the_readme_command_runs_as_shown(block, tmp_path, monkeypatch):
    if block.marker.startswith("skip:"):
        assert block.marker.removeprefix("skip:").strip(), "a reason"
        pytest.skip(block.marker)
    # What a reader has beside them: this README and an images folder.
    shutil.copy(README, tmp_path / "README.md")
    (tmp_path / "images").mkdir()
    if block.marker == "after python":
        monkeypatch.chdir(tmp_path)
        exec(compile(previous_python_block(block), "README.md", "exec"), {})
    commands = readme_blocks.commands_of(block)
    if block.marker.startswith("run as:"):
        command = block.marker.removeprefix("run as:")
        argv = shlex.split(command.replace("$REPO", str(ROOT)))
        commands = [(argv, None)]
    extra = []
    if block.marker.startswith("with "):
        extra = shlex.split(block.marker.removeprefix("with "))
    everything = []
    for argv, expected in commands:
        result = run(argv + extra, tmp_path)
        shown = " ".join(argv)
        failing = expected and any(": error:" in s for s in expected)
        assert result.returncode == (2 if failing else 0), (
            shown + "\n" + result.stderr
        )
        assert "Traceback" not in result.stderr, shown
        actual = printed_lines(result)
        everything += actual
        if not expected:
            continue
        expected = [s for s in expected if "━" not in s]
        if block.marker == "exact":
            assert actual == expected, shown
        else:
            assert locate(expected, actual, anywhere=False), (
                f"{shown}: the output no longer has the README's format:\n"
                + "\n".join(actual)
            )
    for sample in block.samples:
        assert locate(sample.lines, everything, anywhere=True), (
            f"README line {sample.line}: not in what the command printed:\n"
            + "\n".join(everything)
        )


def test_every_command_block_names_our_scripts_or_is_skipped():
    """A new command in the README is run, or says why it is not."""
    for block in COMMAND_BLOCKS:
        if block.marker.startswith(("skip:", "run as:")):
            continue
        for argv, _ in readme_blocks.commands_of(block):
            assert argv[0] == "python" and (ROOT / argv[1]).is_file(), (
                block.line,
                argv,
            )


def test_a_changed_format_is_caught():
    """The comparison itself: a changed word or a lost column fails."""
    sample = ["accuracy 0.938 on 100 fresh sequences (baseline 0.900)"]
    assert locate(
        sample,
        ["accuracy 0.9 on 2000 fresh sequences (baseline 1.000)"],
        anywhere=False,
    )
    for changed in (
        "accuracy 0.938 on 100 new sequences (baseline 0.900)",
        "accuracy 0.938 on 100 fresh sequences",
        "accuracy 0.938 on 100 fresh sequences (baseline 0.900)\nextra",
    ):
        assert not locate(sample, changed.splitlines(), anywhere=False)
    assert locate(["a", "...", "d"], ["a", "b", "c", "d"], anywhere=False)
    assert not locate(["a", "d"], ["a", "b", "c", "d"], anywhere=False)
    assert locate(["b", "c"], ["a", "b", "c", "d"], anywhere=True)


@pytest.mark.parametrize(
    "block", PYTHON_BLOCKS, ids=[f"line {b.line}" for b in PYTHON_BLOCKS]
)
def test_the_readme_python_block_runs_as_printed(block, in_tmp):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile("\n".join(block.lines), "README.md", "exec"), {})
    for sample in block.samples:
        lines = printed.getvalue().splitlines()
        assert locate(sample.lines, lines, anywhere=False), printed.getvalue()


def test_readme_figures_puts_what_the_code_prints_in_place(tmp_path):
    """benchmarks/readme_figures.py on a small README: stale samples are
    replaced by what the commands print now; a changed format is left for
    a hand edit and listed."""
    readme = tmp_path / "README.md"
    readme.write_text(
        "```\n$ python data.py --seed 1 --timesteps 4\n"
        "Sequence problem example | NumPy only, no Keras backend used\n"
        "[0.1 0.2 0.3 0.4]\n[0 0 0 9]\n```\n\n"
        "```bash\npython data.py --seed 2 --timesteps 5\n```\n\n"
        "```\n[0 0 0 0 9]\n```\n\n"
        "```\n$ python data.py --seed 3\nA line in an older format\n```\n"
    )
    result = subprocess.run(
        script_command(
            "benchmarks/readme_figures.py", "--readme", readme, "--write"
        ),
        cwd=tmp_path,
        env=script_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    first = run(["python", "data.py", "--seed", "1", "--timesteps", "4"], ROOT)
    second = run(
        ["python", "data.py", "--seed", "2", "--timesteps", "5"], ROOT
    )
    text = readme.read_text()
    assert "$ python data.py --seed 1 --timesteps 4\n" + first.stdout in text
    assert "```\n" + second.stdout.splitlines()[-1] + "\n```" in text
    assert "A line in an older format" not in text  # printed in full
    assert "line 16: python data.py --seed 3: format changed" in (
        result.stdout
    )

"""Bring the README's sample outputs and pictures back in line with the code.

Runs, in a scratch directory holding a copy of README.md, every command the
README shows, as printed (full runs, unlike the tests' short ones), in a
terminal (a pseudo-terminal, so the progress bar is the one a user sees),
and every Python block that has a sample output. Then puts what they
printed in place of each transcript and sample, keeping each sample's
excerpt (the same lines, found by their format), and copies the pictures
the runs drew over the ones in images/ that the README shows.

Without --write it prints the changes as a diff and writes nothing. On 2
CPU cores on TensorFlow it took 1 min 42 s (the two 10-repeat comparisons
take most of it).

Not regenerated here, because they need a quiet machine or a second
checkout: the performance tables (benchmarks/bench_training.py,
benchmarks/side_by_side.py; listed at the end) and the figures quoted in
the prose, each of which names the run it comes from.

Run:
    python benchmarks/readme_figures.py            # show what would change
    python benchmarks/readme_figures.py --write    # change README, images
"""

import difflib
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import readme_blocks  # noqa: E402 (a sibling module, run as a script)

from support import cli  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PICTURE = re.compile(r"\]\((images/[^)]+)\)")


def environment():
    env = dict(os.environ, MPLBACKEND="Agg", COLUMNS="80")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    env["PYTHONPATH"] = str(ROOT)
    return env


def in_terminal(argv, cwd):
    """Run argv in a pseudo-terminal; return (exit status, the lines a
    terminal finally shows: carriage-return updates and colours gone)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=environment(),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    status = process.wait()
    text = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))
    lines = [line.rstrip("\r").split("\r")[-1] for line in text.split("\n")]
    return status, readme_blocks.without_chatter(
        [line.rstrip() for line in lines]
    )


def excerpt(sample, printed, anywhere):
    """The lines of `printed` that `sample` (with "..." gaps) shows, in
    the sample's layout; None if the format no longer matches."""
    parts = readme_blocks.locate(sample, printed, anywhere)
    if parts is None:
        return None
    lines = []
    for number, (start, end) in enumerate(parts):
        if number:
            lines.append("...")
        lines.extend(printed[start:end])
    if not anywhere and sample and sample[-1].strip() == "...":
        lines.append("...")
    return lines


def replace_samples(block, printed, anywhere, new, by_hand):
    """Each sample of `block` as `printed` now shows it (into `new`), or
    a line in `by_hand` if its format no longer matches."""
    for sample in block.samples:
        found = excerpt(sample.lines, printed, anywhere)
        if found is None:
            by_hand.append(f"line {sample.line}: format changed")
        else:
            new[sample.line] = found


def regenerate(text, scratch, log):
    """The README text with every transcript and sample replaced by what
    the current code prints, and the list of what needs a hand edit."""
    lines = text.splitlines()
    new = {}  # line of a block's opening ``` -> its new content
    by_hand = []
    python_blocks = []
    for block in readme_blocks.parse(text):
        if block.kind == "python":
            python_blocks.append(block)
            result = subprocess.run(
                [sys.executable, "-c", "\n".join(block.lines)],
                cwd=scratch,
                env=environment(),
                capture_output=True,
                text=True,
            )
            log(
                f"README line {block.line}: Python block, exit "
                f"{result.returncode}"
            )
            replace_samples(
                block, result.stdout.splitlines(), False, new, by_hand
            )
            continue
        if not readme_blocks.is_command(block):
            continue
        if block.marker.startswith(("skip:", "run as:")):
            by_hand.append(f"line {block.line}: {' '.join(block.lines)}")
            continue
        everything, transcript = [], []
        for argv, expected in readme_blocks.commands_of(block):
            status, printed = in_terminal(
                [sys.executable, str(ROOT / argv[1]), *argv[2:]], scratch
            )
            log(f"README line {block.line}: {' '.join(argv)}, exit {status}")
            everything += printed
            transcript.append("$ " + shlex.join(argv))
            if expected is not None:
                found = excerpt(expected, printed, anywhere=False)
                if found is None:
                    by_hand.append(
                        f"line {block.line}: {shlex.join(argv)}: format"
                        " changed, output in full"
                    )
                    found = printed
                transcript.extend(found)
        if block.kind == "":
            new[block.line] = transcript
        replace_samples(block, everything, True, new, by_hand)
    for block in readme_blocks.parse(text)[::-1]:  # from the end: lines
        if block.line in new:  # before a block keep their numbers
            lines[block.line : block.end - 1] = new[block.line]
    return "\n".join(lines) + "\n", by_hand


def main(argv=None):
    parser = cli.make_parser(__file__, __doc__)
    parser.add_argument(
        "--write", action="store_true", help="change README.md and images/"
    )
    parser.add_argument(
        "--readme",
        default=str(ROOT / "README.md"),
        help="the README to bring in line (default: this checkout's)",
    )
    args = parser.parse_args([] if argv is None else argv)
    readme = Path(args.readme)
    if not readme.is_file():
        parser.error(f"argument --readme: {args.readme!r} is not a file")
    text = readme.read_text()
    with tempfile.TemporaryDirectory(prefix="readme_figures_") as scratch:
        shutil.copy(readme, Path(scratch) / "README.md")
        (Path(scratch) / "images").mkdir()
        updated, by_hand = regenerate(text, scratch, print)
        pictures = []
        for name in sorted(set(PICTURE.findall(text))):
            drawn = [
                Path(scratch) / name,
                Path(scratch) / "results" / Path(name).name,
            ]
            drawn = [path for path in drawn if path.is_file()]
            target = readme.parent / name
            if drawn and (
                not target.exists()
                or drawn[0].read_bytes() != target.read_bytes()
            ):
                pictures.append(name)
                if args.write:
                    shutil.copy(drawn[0], target)
    diff = list(
        difflib.unified_diff(
            text.splitlines(),
            updated.splitlines(),
            "README.md (now)",
            "README.md (current code)",
            lineterm="",
            n=1,
        )
    )
    print("\n".join(diff) if diff else "README.md: no change")
    print(
        f"pictures {'updated' if args.write else 'that would change'}: "
        f"{', '.join(pictures) or 'none'}"
    )
    if args.write and diff:
        readme.write_text(updated)
        print(f"wrote {readme}")
    if by_hand:
        print("by hand:\n  " + "\n  ".join(by_hand))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The README's code blocks: which are commands, what they should print.

Shared by tests/test_readme.py (which runs them and checks the format of
what they print) and benchmarks/readme_figures.py (which runs them as
printed and puts what they print back into the README).

- A ```bash block of `python SCRIPT.py ...` lines is a command block. Its
  samples: the plain block right after it (blank lines and pictures in
  between allowed), and any later plain block marked
  `<!-- test: output of SCRIPT.py -->`: excerpts of what it prints.
- A plain block of `$ python SCRIPT.py ...` lines is a transcript: each
  command followed by its whole output; `...` stands for lines left out.
- A ```python block's sample: a plain block right after it marked
  `<!-- test: output -->`.
A comment line `<!-- test: ... -->` right before a block is its marker;
tests/test_readme.py lists what each marker means.
"""

import re
import shlex
from dataclasses import dataclass, field

MARKER = re.compile(r"^<!-- test: (.*) -->$")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
SIGNS = re.compile(r"\(# (up|down|tied)(, # (up|down|tied))*\)")
PLAIN_PROGRESS = re.compile(r"^epoch \d+/\d+ - ")
CHATTER = ("I0000", "WARNING: All log messages", "E0000", "W0000")


@dataclass
class Block:
    line: int  # the line of the opening ``` in the README (1-based)
    kind: str  # "bash", "python", "" (plain), ...
    lines: list
    marker: str = ""
    samples: list = field(default_factory=list)  # Blocks of its output

    @property
    def end(self):
        """The line of the closing ```."""
        return self.line + len(self.lines) + 1


def parse(text):
    """Every fenced block of the README text, samples attached."""
    lines = text.splitlines()
    blocks, index = [], 0
    while index < len(lines):
        if not lines[index].startswith("```"):
            index += 1
            continue
        end = index + 1
        while not lines[end].startswith("```"):
            end += 1
        before = [s for s in lines[:index] if s.strip()]
        match = MARKER.match(before[-1]) if before else None
        blocks.append(
            Block(
                index + 1,
                lines[index][3:].strip(),
                lines[index + 1 : end],
                match.group(1) if match else "",
            )
        )
        index = end + 1
    for number, block in enumerate(blocks[:-1]):
        following = blocks[number + 1]
        between = lines[block.end : following.line - 1]
        only_pictures = all(
            not s.strip() or s.startswith("![") for s in between
        )
        if block.kind == "bash" and is_sample(following) and only_pictures:
            block.samples.append(following)
        if block.kind == "python" and following.marker == "output":
            block.samples.append(following)
    for block in blocks:
        if block.marker.startswith("output of "):
            script = block.marker.removeprefix("output of ").strip()
            owner = [
                b
                for b in blocks
                if b.kind == "bash"
                and b.line < block.line
                and any(script in s.split() for s in b.lines)
            ]
            assert owner, f"README line {block.line}: no command runs {script}"
            owner[-1].samples.append(block)
    return blocks


def is_sample(block):
    return block.kind == "" and not block.lines[0].startswith("$ ")


def is_command(block):
    return block.kind == "bash" or (
        block.kind == "" and bool(block.lines) and block.lines[0][:2] == "$ "
    )


def commands_of(block):
    """[(argv, the transcript's output lines, or None)] of a command
    block; a bash block's samples are excerpts of all its output."""
    if block.kind == "bash":
        return [(shlex.split(s), None) for s in block.lines if s.strip()]
    result = []
    for line in block.lines:
        if line.startswith("$ "):
            result.append((shlex.split(line[2:]), []))
        else:
            result[-1][1].append(line)
    return result


def without_chatter(lines):
    """Output lines without TensorFlow's start-up chatter (which passes
    TF_CPP_MIN_LOG_LEVEL: the oneDNN line even contains "errors")."""
    return [
        line
        for line in lines
        if line and not line.startswith(CHATTER) and "oneDNN" not in line
    ]


def shape(line):
    """A line's format: numbers, spacing and the backend left out."""
    line = re.sub(r"\b(tensorflow|jax|torch)\b", "BACKEND", line)
    line = NUMBER.sub("#", line)
    line = re.sub(r"#(us|ms|s)/step", "#/step", line)  # the bar's speed
    line = line.replace("[#, #]", "± #")  # a 95% interval cut at 0 or 1
    line = SIGNS.sub("(#)", line)  # repeats up, down, tied: any of them
    return " ".join(line.split())


def locate(expected, actual, anywhere):
    """Where the expected lines (with "..." gaps) match the actual lines,
    compared by shape(): the list of (start, end) of each part, or None.
    All of `actual` must match unless `anywhere` (then: a run of it)."""
    expected = [shape(s) for s in expected if s.strip()]  # as printed()
    actual = [shape(s) for s in actual]
    parts, current = [], []
    for line in expected:
        if line == "...":
            parts.append(current)
            current = []
        else:
            current.append(line)
    parts.append(current)
    position, found_parts = 0, []
    for number, part in enumerate(parts):
        free = anywhere or number > 0  # a gap may come before this part
        found = None
        for start in range(position, len(actual) - len(part) + 1):
            if actual[start : start + len(part)] == part:
                found = start
                break
            if not free:
                break
        if found is None:
            return None
        position = found + len(part)
        found_parts.append((found, position))
    if not anywhere and parts[-1] and position != len(actual):
        return None
    return found_parts

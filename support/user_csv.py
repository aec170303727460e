"""A user's CSV of sequences, read once and checked (predict.py): a
sequence a row, numbers separated by commas, every row as long as the
first. What it may hold is bounded by values, so a file (or a pipe) that
never ends, or one line as long as a book, costs a line, not the memory."""

import csv

import numpy as np

from support import ending

MAX_VALUES = 20_000_000  # 80 MB of float32: split a bigger file
MAX_LINE_CHARS = 100_000  # 1000 values of up to 99 characters each
PENDING = 1_000_000  # values parsed before they become a float32 block
FLOAT32_MAX = float(np.finfo(np.float32).max)


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def lines_of(handle):
    """The file's lines, each refused if longer than MAX_LINE_CHARS."""
    count = 0
    while line := handle.readline(MAX_LINE_CHARS + 1):
        count += 1
        if len(line.rstrip("\r\n")) > MAX_LINE_CHARS:
            raise ValueError(f"line {count} is longer than {MAX_LINE_CHARS}")
        yield line


def read_sequences(path):
    """The file's sequences as one float32 array (m, n, 1), read once (a
    pipe works). Blank lines are skipped, and lines with no number before
    the first sequence (a header). A ValueError names the line if a row is
    not finite numbers as many as the first's; a signal stops the reading
    at its next thousand lines (ending.Stopped)."""
    blocks, rows, held, first = [], [], 0, None
    with open(path, newline="", encoding="utf-8-sig") as handle:
        try:
            reader = csv.reader(lines_of(handle))
            for line, fields in enumerate(reader, start=1):
                if line % 1000 == 0:
                    ending.check()
                if not "".join(fields).strip():
                    continue  # a blank line, anywhere
                values = [number(field) for field in fields]
                if not first and values.count(None) == len(values):
                    continue  # a header: no number before the first row
                first = first or (line, len(values))
                check_row(line, fields, values, first)
                rows.append(values)
                held += len(values)
                if held > MAX_VALUES:
                    raise ValueError(f"holds more than {MAX_VALUES} values")
                if len(rows) * len(values) >= PENDING:
                    blocks.append(np.array(rows, np.float32))
                    rows = []
        except (csv.Error, UnicodeDecodeError) as error:
            raise ValueError(f"not a CSV text file ({error})") from None
    if not first:
        raise ValueError(
            "holds no sequences (expected a sequence a line, its numbers"
            " separated by commas)"
        )
    if rows:
        blocks.append(np.array(rows, np.float32))
    return np.concatenate(blocks)[..., np.newaxis]


def check_row(line, fields, values, first):
    """A ValueError unless the row is finite float32 numbers, as many as
    the first sequence's."""
    for text, value in zip(fields, values, strict=True):
        if value is None or not abs(value) <= FLOAT32_MAX:
            error = f"{text!r} is not a finite 32-bit number"
            raise ValueError(f"line {line}: {error}")
    if len(values) != first[1]:
        error = f"{len(values)} values, line {first[0]} {first[1]}"
        raise ValueError(f"line {line} has {error}")

"""A user's CSV of sequences, read and checked (predict.py): a sequence a
row, numbers separated by commas, every row as long as the first."""

import csv

import numpy as np

CHUNK = 10_000  # sequences read, classified and written at a time
FLOAT32_MAX = float(np.finfo(np.float32).max)


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def read_chunks(path):
    """The file's sequences, CHUNK at a time, as float32 arrays (m, n, 1);
    a ValueError naming the line if they are not rows of finite numbers,
    all as long as the first."""
    rows, first = [], None  # first: (line, length) of the first sequence
    with open(path, newline="", encoding="utf-8-sig") as handle:
        try:
            for line, fields in enumerate(csv.reader(handle), start=1):
                values = [number(field) for field in fields]
                if not first and values.count(None) == len(values):
                    continue  # a header or a blank line
                first = first or (line, len(values))
                for text, value in zip(fields, values, strict=True):
                    if value is None or not abs(value) <= FLOAT32_MAX:
                        error = f"{text!r} is not a finite 32-bit number"
                        raise ValueError(f"line {line}: {error}")
                if len(values) != first[1]:
                    error = f"{len(values)} values, line {first[0]} {first[1]}"
                    raise ValueError(f"line {line} has {error}")
                rows.append(values)
                if len(rows) == CHUNK:
                    yield np.array(rows, np.float32)[..., np.newaxis]
                    rows = []
        except (csv.Error, UnicodeDecodeError) as error:
            raise ValueError(f"not a CSV text file ({error})") from None
    if not first:
        raise ValueError("holds no sequences")
    if rows:
        yield np.array(rows, np.float32)[..., np.newaxis]

"""Your own sequences in a CSV file, read and checked for predict.py.

One sequence per row, numbers only, separated by commas; every row the
same length. A first line without a single number is a header and is
skipped; blank lines are skipped. Anything else (a word in the numbers,
NaN or infinity, rows of different lengths, no rows at all) is a
ValueError whose message is one line naming the line and the value.
"""

import csv
import math

import numpy as np


def read_sequences(path):
    """The file's sequences as a float32 array (sequences, timesteps, 1).
    OSError if it cannot be read, ValueError if it is not as above."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        try:
            rows = [
                (number, [field.strip() for field in row])
                for number, row in enumerate(csv.reader(handle), start=1)
                if any(field.strip() for field in row)
            ]
        except (csv.Error, UnicodeDecodeError) as error:
            raise ValueError(f"not a CSV text file ({error})") from None
    header = bool(rows) and not any(is_number(f) for f in rows[0][1])
    if header:
        rows = rows[1:]
    if not rows:
        raise ValueError("holds no sequences (one sequence per row)")
    width = len(rows[0][1])
    values = np.empty((len(rows), width), dtype=np.float64)
    for index, (line, fields) in enumerate(rows):
        if len(fields) != width:
            raise ValueError(
                f"line {line} has {len(fields)} values, line {rows[0][0]} has"
                f" {width}: every sequence must have the same length"
            )
        for column, field in enumerate(fields, start=1):
            where = f"line {line}, column {column}"
            if not is_number(field):
                raise ValueError(f"{where}: {field!r} is not a number")
            value = float(field)
            if not math.isfinite(value):
                raise ValueError(f"{where}: {field!r} is not a finite number")
            values[index, column - 1] = value
    return values.astype(np.float32)[..., np.newaxis]


def is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True

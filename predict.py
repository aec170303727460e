"""Label your sequences with a model saved by a classifier's --save-model.

    python lstm_classifier.py --save-model lstm.keras
    python predict.py lstm.keras --csv my_sequences.csv --output labels.csv

--csv: a sequence per row, numbers separated by commas (lines with no
number before the first are skipped). Out (--output, or stdout): a row
per sequence and timestep: sequence, timestep, value (the 32-bit float the
model saw), probability and label (1 above 0.5). A file that cannot be
used costs one line (exit status 2), and nothing is written.
"""

import os
import sys
import zipfile

import keras
import numpy as np
import pandas as pd

from support import cli, ending, evaluation, files
from support.user_csv import read_chunks

MAX_UNPACKED_MB = 256  # more than any classifier here saves


def load(parser, path, length):
    """The saved model, checked for sequences of `length` values."""
    if not zipfile.is_zipfile(path):
        parser.error(f"argument model: {path!r} is not a .keras file")
    with zipfile.ZipFile(path) as archive:
        megabytes = sum(m.file_size for m in archive.infolist()) / 2**20
    if megabytes > MAX_UNPACKED_MB:
        error = f"unpacks to {megabytes:.0f} MB, more than a model saved here"
        parser.error(f"argument model: {path!r} {error}")
    try:
        model = keras.saving.load_model(path, compile=False)
        shape = tuple(model.inputs[0].shape[1:])  # (timesteps, 1)
        probe = np.zeros((1, length, 1), np.float32)
        output = evaluation.probabilities(model, probe).shape
    except Exception as error:  # Keras raises many kinds for a bad file
        reason = (str(error).strip().splitlines() or [""])[0][:200]
        parser.error(f"argument model: cannot use {path!r}: {reason}")
    if len(model.inputs) > 1 or shape[1:] != (1,) or output != probe.shape:
        parser.error(
            f"argument model: {path!r} takes {shape}, gives {output}: not"
            " one probability per timestep of a sequence of numbers"
        )
    if shape[0] not in (None, length):
        parser.error(
            f"argument --csv: {length} values, the model takes {shape[0]}"
        )
    return model


def parse(argv):
    parser = cli.make_parser(__file__, __doc__)
    parser.add_argument("model", help="a .keras file saved by --save-model")
    parser.add_argument("--csv", required=True, help="the sequences to label")
    parser.add_argument("--output", help="write the rows here (.csv)")
    args = parser.parse_args([] if argv is None else argv)
    if args.output is not None:
        cli.check_file(parser, "--output", args.output, ".csv")
        if os.path.exists(args.output) and os.path.samefile(
            args.csv, args.output
        ):
            parser.error("argument --output: it is the --csv file")
    try:  # read through once: a bad line is refused before any output
        length = max(chunk.shape[1] for chunk in read_chunks(args.csv))
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        parser.error(f"argument --csv: {args.csv!r}: {reason}")
    args.loaded = load(parser, args.model, length)
    return args


def classify(model, path, out):
    """Rows of the CSV at `path`, labelled, to `out`; returns how many."""
    done = 0
    with ending.early():
        for X in read_chunks(path):
            m, n = X.shape[:2]
            p = evaluation.probabilities(model, X)[:, :, 0].ravel()
            rows = {
                "sequence": np.repeat(np.arange(done + 1, done + m + 1), n),
                "timestep": np.tile(np.arange(1, n + 1), m),
                "value": X.ravel().astype(np.float64),
                "probability": np.char.mod("%.6f", p),
                "label": (p > 0.5).astype(int),
            }
            pd.DataFrame(rows).to_csv(out, header=not done, index=False)
            done += m
            ending.check()
    return done


def main(argv=None):
    args = parse(argv)  # bad input: one line, exit 2, nothing written
    model, done = args.loaded, []

    def write(path):
        with open(path, "w", newline="", encoding="utf-8") as out:
            done.append(classify(model, args.csv, out))

    with ending.watch():  # ours: Ctrl-C keeps every sequence already done
        if args.output is None:
            classify(model, args.csv, sys.stdout)
        elif files.save(args.output, write):
            print(f"wrote {args.output}: {done[0]} sequences", file=sys.stderr)
        if ending.stopped_by():
            what = "the output holds every sequence finished before it."
            print(ending.interrupted(what), file=sys.stderr)
    return ending.status()


if __name__ == "__main__":
    ending.run(main)  # ours: the exit status; `| head` ends quietly

"""Label your sequences with a model saved by a classifier's --save-model.

    python lstm_classifier.py --save-model lstm.keras
    python predict.py lstm.keras --csv my_sequences.csv --output labels.csv

--csv: a sequence per row, numbers separated by commas (blank lines, and
lines with no number before the first sequence, are skipped; a pipe
works). Out (--output, or stdout): a row per sequence and timestep:
sequence, timestep, value (the 32-bit float the model saw), probability
and label (1 above 0.5). A file that cannot be used costs one line (exit
status 2, before Keras loads), and nothing is written; so does a model
not shaped like the ones saved here (support/user_model.py says which).
"""

import os
import sys

import numpy as np
import pandas as pd

from support import cli, ending, files, start, user_model
from support.user_csv import read_sequences


def parse(argv):
    """The flags and both files checked: one line, exit 2, if unusable."""
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
    try:  # from its config, before Keras builds anything
        timesteps = user_model.declared_timesteps(args.model)
    except ValueError as error:
        parser.error(f"argument model: {args.model!r} {error}")
    try:  # read once: a bad line is refused before any output
        args.X = read_sequences(args.csv)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        parser.error(f"argument --csv: {args.csv!r}: {reason}")
    length = args.X.shape[1]
    if timesteps not in (None, length):
        parser.error(
            f"argument --csv: {length} values, the model takes {timesteps}"
        )
    try:
        args.loaded = user_model.load(args.model, length)
    except ValueError as error:
        parser.error(f"argument model: {args.model!r} {error}")
    return args


def classify(model, X, out):
    """The sequences X, labelled, to `out`, a chunk at a time (bounded by
    the widest layer's values); returns how many were written."""
    from support import evaluation  # Keras: loaded by user_model.load

    done, n = 0, X.shape[1]
    size = evaluation.batch_size(model, n)
    with ending.early():
        for start in range(0, len(X), size):
            chunk = X[start : start + size]
            m = len(chunk)
            p = evaluation.probabilities(model, chunk)[:, :, 0].ravel()
            rows = {
                "sequence": np.repeat(np.arange(done + 1, done + m + 1), n),
                "timestep": np.tile(np.arange(1, n + 1), m),
                "value": chunk.ravel().astype(str),  # 0.1, not 0.10000000149
                "probability": np.char.mod("%.6f", p),
                "label": (p > 0.5).astype(int),
            }
            pd.DataFrame(rows).to_csv(
                out, header=not done, index=False, lineterminator="\n"
            )  # "\n": a console on Windows makes it \r\n, once
            done += m
            ending.check()
            if ending.console_gone():  # `| head`: nobody reads the rest
                break
    return done


def main(argv=None):
    done = []
    with ending.watch():  # ours: Ctrl-C keeps every sequence already done
        with ending.early():  # a signal while the files are checked
            args = parse(argv)  # bad input: one line, exit 2, nothing made
            ending.check()  # a signal during the checks: nothing written

            def write(path):
                with open(path, "w", newline="", encoding="utf-8") as out:
                    done.append(classify(args.loaded, args.X, out))

            if args.output is None:
                classify(args.loaded, args.X, sys.stdout)
            elif files.save(args.output, write):
                print(
                    f"wrote {args.output}: {done[0]} sequences",
                    file=sys.stderr,
                )
        if ending.stopped_by():
            what = "what was written holds every sequence finished."
            print(ending.interrupted(what), file=sys.stderr)
    return ending.status()


if __name__ == "__main__":
    start.before_keras(__file__)  # a bad setting in one line; quiet TF
    ending.run(main)  # ours: the exit status; `| head` ends quietly

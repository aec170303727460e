"""Classify sequences with a model saved by a classifier's --save-model.

    python lstm_classifier.py --save-model lstm.keras
    python predict.py lstm.keras
    python predict.py lstm.keras --csv my_sequences.csv --output labels.csv

Without --csv: --sequences fresh sequences of the model's length, drawn
from --seed as the classifiers draw their test sequences, so the same
--seed and --sequences as the training run's --seed and --eval-sequences
give the accuracy that run printed. Printed: the accuracy by timestep,
on the hard timesteps and overall, beside the position-only baseline.

With --csv FILE: your sequences, one per row, numbers only, separated by
commas (a header line is skipped). For every sequence and timestep one
CSV row: sequence, timestep, value, probability, label (label 1 when the
probability is above 0.5), on stdout or into --output FILE.
"""

import sys

# first, so that a Ctrl-C while Keras loads ends without a traceback
from support import interrupts  # isort: split

import csv
import io

import numpy as np

from support import (
    evaluation,
    files,
    flags,
    report,
    saved_models,
    seeds,
    user_csv,
)


def parse(argv=None):
    parser = flags.make_parser(__doc__)
    parser.add_argument("model", help="a .keras file saved by --save-model")
    parser.add_argument(
        "--sequences",
        type=flags.positive_int,
        help="how many sequences to generate (default: 100)",
    )
    parser.add_argument(
        "--seed",
        type=flags.seed_int,
        help=f"seed of the sequences, 0 to {flags.SEED_MAX} (default: 1)",
    )
    parser.add_argument("--csv", metavar="FILE", help="classify these")
    parser.add_argument("--output", metavar="FILE", help="write the CSV here")
    args = parser.parse_args(argv)
    if args.csv is None and args.output is not None:
        parser.error("argument --output: only with --csv")
    if args.csv is not None:
        for flag in ("sequences", "seed"):
            if getattr(args, flag) is not None:
                parser.error(f"argument --{flag}: not with --csv")
        try:
            args.X = user_csv.read_sequences(args.csv)
        except OSError as error:
            parser.error(
                f"argument --csv: {args.csv!r}: {files.reason(error)}"
            )
        except ValueError as error:
            parser.error(f"argument --csv: {args.csv!r}: {error}")
    if args.output is not None:
        files.check_writable_file(parser, "--output", args.output, ["csv"])
    args.loaded = saved_models.load(parser, args.model)
    n_timesteps = args.loaded.inputs[0].shape[1]
    if args.csv is not None and n_timesteps not in (None, args.X.shape[1]):
        parser.error(
            f"argument --csv: the sequences have {args.X.shape[1]} values,"
            f" the model was built for {n_timesteps} timesteps"
        )
    if args.csv is None and n_timesteps is None:
        parser.error("argument --csv: this model takes any length: give --csv")
    interrupts.watch()  # from here on, a signal ends the run cleanly
    return args


def classify(model, X):
    """Rows (sequence, timestep, value, probability, label) as CSV text."""
    probabilities = model.predict(X, verbose=0)[:, :, 0]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["sequence", "timestep", "value", "probability", "label"])
    for s, t in np.ndindex(probabilities.shape):
        p = float(probabilities[s, t])
        value = repr(float(X[s, t, 0]))
        writer.writerow([s + 1, t + 1, value, f"{p:.6f}", int(p > 0.5)])
    return text.getvalue()


def main(argv=None):
    args = parse(argv)  # bad input: one line, exit 2, nothing written
    model = args.loaded
    if args.csv is None:
        print(report.describe_run(f"predict.py {args.model}"))
        seed = 1 if args.seed is None else args.seed
        n_sequences = args.sequences or 100
        # the classifiers' test sequences for this seed
        _, test_seed = seeds.classifier_seeds(seed)
        scores = None
        with interrupts.stop_early():
            scores = evaluation.evaluate_by_timestep(
                model,
                model.inputs[0].shape[1],
                n_sequences,
                np.random.default_rng(test_seed),
            )
        if scores is not None:
            report.print_scores(scores, n_sequences)
        elif interrupts.first_signal() is not None:
            print("Interrupted: no accuracy was finished.")
        return interrupts.exit_status()
    text = classify(model, args.X)
    if args.output is None:
        sys.stdout.write(text)
    elif files.save_text(args.output, text):
        print(f"wrote {args.output}: {len(args.X)} sequences", file=sys.stderr)
    else:
        return 1
    if interrupts.first_signal() is not None:  # came while it classified
        name = interrupts.NAMES[interrupts.first_signal()]
        print(
            f"Interrupted ({name}); the output is complete.", file=sys.stderr
        )
    return interrupts.exit_status()


if __name__ == "__main__":
    sys.exit(main())

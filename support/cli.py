"""Command-line flags: the tutorial's defaults, plain bounds, and one-line
errors (exit status 2) before any model is built. The bounds keep every
run within 8 GB of memory on every backend (docs/robustness.md)."""

import argparse
import os
import tempfile

from data import RULES

MAX_TIMESTEPS, MAX_UNITS = 1000, 1000
# --timesteps x --units: 1000 timesteps at the tutorial's 20 units for one
# model; a comparison keeps every model it compiles (five JAX models at
# 1000 timesteps passed 8 GB), so half of that there.
MAX_TIMESTEPS_X_UNITS = 20_000
MAX_EPOCHS = 1_000_000  # in a comparison: epochs x repeats
MAX_SEQUENCES = 1_000_000
SEED_MAX = 2**32 - 1  # what keras.utils.set_random_seed takes


def make_parser(script, doc):
    """An ArgumentParser named for `script` whose errors are one line."""
    parser = argparse.ArgumentParser(
        os.path.basename(script),
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.error = lambda text: parser.exit(
        2, f"{parser.prog}: error: {' '.join(str(text).split())}\n"
    )
    return parser


def add(parser, flag, low, high, default, text):
    """An integer flag from `low` to `high`."""

    def integer(value):
        number = int(value) if value.strip().lstrip("+-").isdigit() else -1
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"must be an integer from {low} to {high}, got {value!r}"
            )
        return number

    help = f"{text} (default: {default})"
    parser.add_argument(flag, type=integer, default=default, help=help)


def add_seed(parser, default=1):
    add(parser, "--seed", 0, SEED_MAX, default, "random seed")


def add_labels(parser):
    help = "cumsum, the tutorial's labels, or midpoint (ours; see data.py)"
    parser.add_argument("--labels", choices=RULES, default="cumsum", help=help)


def parse_training(parser, argv, epochs, most=MAX_TIMESTEPS_X_UNITS):
    """The flags of every training script, defaults from the tutorial;
    argv (None: no flags) parsed and checked (`most`: --timesteps x
    --units)."""
    add(parser, "--timesteps", 1, MAX_TIMESTEPS, 10, "sequence length")
    add_seed(parser)
    add(parser, "--units", 1, MAX_UNITS, 20, "LSTM memory units")
    add(parser, "--epochs", 1, MAX_EPOCHS, epochs, "updates, a sequence each")
    add(parser, "--eval-sequences", 1, MAX_SEQUENCES, 100, "test sequences")
    args = parser.parse_args([] if argv is None else argv)
    if args.timesteps * args.units > most:
        parser.error(
            f"argument --units: --timesteps x --units must be at most"
            f" {most}, got {args.timesteps} x {args.units}"
        )
    return args


def check_directory(parser, flag, directory):
    """Refuse (exit 2) a directory that cannot take a new file; the trial
    file leaves no trace (on Linux it never even has a name)."""
    try:
        tempfile.TemporaryFile(dir=directory).close()
    except OSError as error:
        reason = f"cannot write in {directory!r}: {error.strerror}"
        parser.error(f"argument {flag}: {reason}")


def check_file(parser, flag, path, ending):
    """Refuse (exit 2) an output file with another ending, a directory, or
    one whose directory cannot take it. Nothing is made at `path`."""
    if os.path.splitext(path)[1].lower() not in ending.split():
        parser.error(f"argument {flag}: {path!r} must end in {ending}")
    if os.path.isdir(path):
        parser.error(f"argument {flag}: {path!r} is a directory")
    check_directory(parser, flag, os.path.dirname(path) or ".")


def parse_classifier(script, doc, argv=None, merge_modes=None):
    """The classifiers' flags, checked."""
    parser = make_parser(script, doc)
    if merge_modes:
        help = "how the two directions are combined (default: concat)"
        parser.add_argument("--merge-mode", choices=merge_modes, help=help)
    help = "0 silent, 1 progress bar, 2 a line per epoch (default: 1)"
    parser.add_argument("--verbose", type=int, choices=(0, 1, 2), help=help)
    parser.add_argument("--plot", help="a picture of a test sequence (.png)")
    parser.add_argument("--save-model", help="save the model (.keras)")
    parser.set_defaults(merge_mode="concat", verbose=1)
    args = parse_training(parser, argv, epochs=1000)
    if args.plot is not None:
        check_file(parser, "--plot", args.plot, ".png .pdf .svg")
    if args.save_model is not None:
        check_file(parser, "--save-model", args.save_model, ".keras")
    return args


def parse_comparison(script, doc, models, argv=None, default_models=None):
    """The comparisons' flags, checked; --out is made if it is not there.
    `default_models`: what --models is if not given (default: all)."""
    default = list(default_models or models)
    parser = make_parser(script, doc)
    help = f"from {', '.join(models)} (default: {' '.join(default)})"
    parser.add_argument("--models", nargs="+", choices=models, help=help)
    add(parser, "--repeats", 1, 1000, 5, "runs of every model")
    add_labels(parser)
    help = "where the CSVs, summary and pictures go (default: results)"
    parser.add_argument("--out", default="results", help=help)
    # ours: a model's colour is the same in every run of a script, the
    # tutorial's where it plots the model (its BiLSTM green, concat red)
    colours = {model: f"C{i}" for i, model in enumerate(models)}
    parser.set_defaults(models=default, colours=colours)
    args = parse_training(parser, argv, 250, MAX_TIMESTEPS_X_UNITS // 2)
    args.models = list(dict.fromkeys(args.models))  # each model once
    if args.epochs * args.repeats > MAX_EPOCHS:
        parser.error(
            f"argument --repeats: --epochs x --repeats must be at most"
            f" {MAX_EPOCHS}, got {args.epochs} x {args.repeats}"
        )
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        parser.error(f"argument --out: {args.out!r}: {error.strerror}")
    check_directory(parser, "--out", args.out)
    return args

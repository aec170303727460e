"""Flags (every script): the tutorial's defaults, bounds that keep a run
within 8 GB on every backend (docs/robustness.md), one-line errors (exit
status 2). Nothing here loads Keras: a script checks its flags before it
imports Keras (seconds), and again in main (also when called from code)."""

import argparse
import os

from data import RULES
from support import files, start

MAX_TIMESTEPS, MAX_UNITS = 1000, 1000
# --timesteps x --units: 1000 x 20 for one model; half in a comparison,
# which keeps every model it compiles (five on JAX at 1000 passed 8 GB)
MAX_TIMESTEPS_X_UNITS = 20_000
# JAX's compile memory follows the sequence length, not the product: all
# seven models of compare_directions.py at 500 timesteps peaked at 5.1 GB;
# five at 1000 timesteps and 10 units passed 8.2 GB
MAX_JAX_COMPARISON_TIMESTEPS = 500
MAX_EPOCHS = 1_000_000
MAX_SEQUENCES = 1_000_000
SEED_MAX = 2**32 - 1  # what keras.utils.set_random_seed takes
MERGE_MODES = ("sum", "mul", "ave", "concat")  # Bidirectional's merges


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


def parse_training(parser, argv, epochs, most=MAX_TIMESTEPS_X_UNITS):
    """Every training script's flags, parsed (`most`: timesteps x units)."""
    add(parser, "--timesteps", 1, MAX_TIMESTEPS, 10, "sequence length")
    add(parser, "--seed", 0, SEED_MAX, 1, "random seed")
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


def check_directory(parser, flag, directory, make=False):
    """Refuse (exit 2) a directory that cannot take a file (made first if
    `make`); leave no trace."""
    reason = files.writable_folder(directory, make)
    if reason is not None:
        parser.error(
            f"argument {flag}: cannot write in {directory!r}: {reason}"
        )


def check_file(parser, flag, path, ending):
    """Refuse (exit 2), before any work, a path the write would refuse:
    another ending (Keras takes only lower-case .keras), a directory, or
    a folder that cannot take a new file."""
    if not path.endswith(ending):
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
    parser.add_argument("--save-model", help="save the model (.keras)")
    # ours: a bar by default; the tutorial's fit(verbose=2) is --verbose 2
    parser.set_defaults(merge_mode="concat", verbose=1)
    args = parse_training(parser, argv, epochs=1000)
    if args.save_model is not None:
        check_file(parser, "--save-model", args.save_model, ".keras")
    return args


def parse_comparison(script, doc, models, argv=None, default_models=None):
    """The comparisons' flags, checked; --out is made if it is not there.
    args.choices: every model the script has, in order."""
    default = list(default_models or models)
    parser = make_parser(script, doc)
    help = f"from {', '.join(models)} (default: {' '.join(default)})"
    parser.add_argument("--models", nargs="+", choices=models, help=help)
    add(parser, "--repeats", 1, 1000, 5, "runs of every model")
    parser.add_argument("--labels", choices=RULES, default=RULES[0])  # ours
    help = "where the CSVs, summary and pictures go (default: results)"
    parser.add_argument("--out", default="results", help=help)
    parser.set_defaults(models=default, choices=list(models))
    args = parse_training(parser, argv, 250, MAX_TIMESTEPS_X_UNITS // 2)
    args.models = list(dict.fromkeys(args.models))  # each model once
    jax_most = MAX_JAX_COMPARISON_TIMESTEPS
    if start.backend() == "jax" and args.timesteps > jax_most:
        parser.error(
            f"argument --timesteps: at most {jax_most} in a comparison on"
            f" JAX (its compile memory grows with it), got {args.timesteps}"
        )
    check_directory(parser, "--out", args.out, make=True)
    return args

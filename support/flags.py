"""Command-line flags with the tutorial's defaults, and their checks.

Every check runs before any model is built. A bad value costs one line on
stderr that names the flag, the value and what is allowed, and exit
status 2.
"""

import argparse

from support import files, interrupts, limits

# keras.utils.set_random_seed passes the seed to numpy.random.seed, which
# takes 0 to 2**32 - 1; every script accepts exactly that range.
SEED_MAX = 2**32 - 1


def make_parser(doc):
    """An ArgumentParser whose errors are one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )

    def one_line_error(message):
        message = " ".join(str(message).split())  # never more than a line
        parser.exit(2, f"{parser.prog}: error: {message}\n")

    parser.error = one_line_error
    return parser


def integer_from(low, high, what):
    """An argparse type: an integer from `low` to `high`."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
        return value

    return parse


positive_int = integer_from(1, float("inf"), "a positive integer")
seed_int = integer_from(0, SEED_MAX, f"an integer from 0 to {SEED_MAX}")


def add_timesteps_and_seed(parser, seed_default=1):
    parser.add_argument(
        "--timesteps",
        type=positive_int,
        default=10,
        help="length of each sequence (default: 10)",
    )
    parser.add_argument(
        "--seed",
        type=seed_int,
        default=seed_default,
        help=f"random seed, 0 to {SEED_MAX} (default: {seed_default})",
    )


def add_experiment_flags(parser, epochs):
    """The flags every training script has, defaults from the tutorial."""
    add_timesteps_and_seed(parser)
    parser.add_argument(
        "--units",
        type=positive_int,
        default=20,
        help="LSTM memory units (default: 20)",
    )
    parser.add_argument(
        "--epochs",
        type=positive_int,
        default=epochs,
        help=f"training sequences, one update each (default: {epochs})",
    )
    parser.add_argument(
        "--eval-sequences",
        type=positive_int,
        default=100,
        help="fresh test sequences for the accuracy (default: 100)",
    )


def parse_classifier(doc, argv=None, merge_modes=None):
    """Flags of the classifier scripts, checked; returns the namespace."""
    parser = make_parser(doc)
    add_experiment_flags(parser, epochs=1000)
    if merge_modes:
        parser.add_argument(
            "--merge-mode",
            choices=merge_modes,
            default="concat",
            help="how the two directions are combined (default: concat)",
        )
    parser.add_argument(
        "--verbose",
        type=int,
        choices=(0, 1, 2),
        default=1,
        help="0 silent, 1 progress bar, 2 one line per epoch (default: 1)",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="save a picture of one test sequence to FILE",
    )
    parser.add_argument(
        "--save-model",
        metavar="FILE",
        help="save the trained model to FILE.keras (see predict.py)",
    )
    args = parser.parse_args(argv)
    limits.check_sizes(parser, args, bidirectional=bool(merge_modes))
    if args.plot is not None:
        files.check_writable_file(parser, "--plot", args.plot)
    if args.save_model is not None:
        files.check_writable_file(
            parser, "--save-model", args.save_model, formats=["keras"]
        )
    interrupts.watch()  # from here on, a signal ends the run cleanly
    return args


def parse_comparison(doc, model_names, argv=None, default_models=None):
    """Flags of the comparison scripts, checked; --out is created.
    `default_models`: what --models is if not given (default: all)."""
    default_models = list(default_models or model_names)
    everything = default_models == list(model_names)
    parser = make_parser(doc)
    parser.add_argument(
        "--models",
        nargs="+",
        choices=model_names,
        default=default_models,
        metavar="NAME",
        help=f"models to compare, from {', '.join(model_names)} (default:"
        f" {'all' if everything else ' '.join(default_models)})",
    )
    add_experiment_flags(parser, epochs=250)
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=5,
        help="independent runs of every model (default: 5)",
    )
    parser.add_argument(
        "--jobs",
        type=positive_int,
        default=1,
        help="worker processes for the repeats (default: 1, in this"
        " process; workers pay off only for long runs, see the README)",
    )
    parser.add_argument(
        "--out",
        default="results",
        help="directory for CSV, summary and PNG (default: results)",
    )
    parser.add_argument(
        "--show", action="store_true", help="also open the plot in a window"
    )
    args = parser.parse_args(argv)
    args.models = list(dict.fromkeys(args.models))  # each model once
    args.jobs = min(args.jobs, args.repeats)  # no idle workers
    limits.check_sizes(parser, args, bidirectional=True)
    files.prepare_out_dir(parser, "--out", args.out)
    interrupts.watch()  # from here on, a signal ends the run cleanly
    return args

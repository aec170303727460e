"""Bidirectional LSTM for sequence classification (tutorial section 4).

The same problem and training as lstm_classifier.py, with the LSTM wrapped
in keras.layers.Bidirectional. The wrapper runs two copies of the LSTM, one
over the sequence as given and one over it reversed, puts the backward
outputs back into input time order, and merges the two outputs at each
timestep. With the default merge mode, concat, the Dense layer sees 40
features per timestep (20 forward + 20 backward) instead of 20.

Why it helps here: the label at timestep t depends on the values up to t.
The forward LSTM has read exactly those; the backward one has read the rest
of the sequence, which tells it how much of the total lies ahead.

Run:
    python bilstm_classifier.py
    python bilstm_classifier.py --merge-mode sum --plot bilstm.png
"""

import sys

import keras
from keras import layers

from data import check_positive_int, make_parser
from lstm_classifier import (
    add_common_arguments,
    check_plot_path,
    compile_model,
    describe_run,
    freeze_imported_objects,
    run_classifier,
)

MERGE_MODES = ("sum", "mul", "ave", "concat")


def get_bi_lstm_model(n_timesteps, mode="concat", units=20):
    """The tutorial's Bidirectional LSTM with the given merge mode."""
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    units = check_positive_int(units, "units")
    if mode not in MERGE_MODES:
        raise ValueError(
            f"mode must be one of {', '.join(MERGE_MODES)}, got {mode!r}"
        )
    model = keras.Sequential(
        [
            keras.Input(shape=(n_timesteps, 1)),
            layers.Bidirectional(
                layers.LSTM(units, return_sequences=True), merge_mode=mode
            ),
            layers.TimeDistributed(layers.Dense(1, activation="sigmoid")),
        ],
        name=f"bilstm_{mode}",
    )
    return compile_model(model)


def main(argv=None):
    parser = make_parser(__doc__)
    add_common_arguments(parser, epochs=1000)
    parser.add_argument(
        "--merge-mode",
        choices=MERGE_MODES,
        default="concat",
        help="how forward and backward outputs are combined (default: concat)",
    )
    args = parser.parse_args(argv)
    check_plot_path(parser, args.plot)

    print(describe_run(f"Bidirectional LSTM classifier ({args.merge_mode})"))
    keras.utils.set_random_seed(args.seed)
    freeze_imported_objects()
    model = get_bi_lstm_model(args.timesteps, args.merge_mode, args.units)
    return run_classifier(model, args)


if __name__ == "__main__":
    sys.exit(main())

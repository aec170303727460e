"""Compare the merge modes of a Bidirectional LSTM: sum, mul, ave, concat.

Tutorial section 6. A Bidirectional layer runs a forward and a backward
LSTM and must combine their two outputs at each timestep before the Dense
layer: add them (sum), multiply them element by element (mul), average them
(ave) or put them side by side (concat, the default, which doubles the
features the Dense layer sees). Everything else is as in
compare_directions.py, whose functions this script reuses: the paired
repeats, the 95% bands, the summary table and the files it writes.

The models (choose with --models): bilstm_sum, bilstm_mul, bilstm_ave,
bilstm_con.

Writes into --out (created if needed), before any plotting:
  compare_merge_modes.csv          one row per model, repeat and epoch
  compare_merge_modes_summary.csv  the summary table, and as text in .txt
  compare_merge_modes.png          mean loss per epoch with 95% bands

Run:
    python compare_merge_modes.py
    python compare_merge_modes.py --repeats 10 --models bilstm_sum bilstm_mul
"""

import sys

from bilstm_classifier import get_bi_lstm_model
from compare_directions import compare_main


def merge_mode_builder(mode):
    """A model function (n_timesteps, units) for one merge mode."""

    def build(n_timesteps, units):
        return get_bi_lstm_model(n_timesteps, mode, units)

    return build


MODELS = {
    "bilstm_sum": merge_mode_builder("sum"),
    "bilstm_mul": merge_mode_builder("mul"),
    "bilstm_ave": merge_mode_builder("ave"),
    "bilstm_con": merge_mode_builder("concat"),
}


def main(argv=None):
    return compare_main("compare_merge_modes", MODELS, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

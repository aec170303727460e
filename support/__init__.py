"""The machinery the section scripts share, so that each script can read
like its tutorial section. A reader of the tutorial never needs to open
these modules; each is named for what it holds:

flags        command-line flags, the tutorial's defaults, one-line errors
limits       memory estimates: too-big runs are refused before training
files        output paths checked up front; files written whole or not at all
interrupts   Ctrl-C, SIGTERM and SIGHUP end a run early; results are kept
seeds        one --seed, a repeatable seed for every random stream
speed        settings that change speed, never results
evaluation   accuracy and loss by timestep beside the position-only baseline
report       what the classifiers print: progress, listing, accuracy
repeats      a comparison listing run --repeats times, with its files
workers      --jobs: the repeats in spawned worker processes
user_csv     your own sequences from a CSV file, checked (predict.py)
saved_models a --save-model file loaded for predict.py, checked
environment  KERAS_BACKEND and MPLBACKEND checked, a stdout that cannot fail
summary      loss windows, 95% intervals, the summary table
plots        the banded loss plot and the one-sequence picture
"""

from support import environment as _environment  # noqa: E402

# A script's first import of the package: check the environment variables
# and make stdout safe before Keras loads (nothing happens under pytest).
_environment.prepare_script()

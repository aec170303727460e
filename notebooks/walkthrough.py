# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Bidirectional LSTMs for sequence classification: the walkthrough
#
# The tutorial's sections 2 to 6, in order, run by this project's own
# scripts: every cell calls a script's function (its code is in the file
# the cell names, beside the tutorial's), nothing here is a second copy.
# Run the cells top to bottom. At the settings below, the whole notebook
# takes about a minute on two CPU cores.
#
# **Colab:** the first cell needs the project's files in the current
# folder (clone the project or upload its files there). It then installs
# only what Colab lacks, Keras 3.15 or newer if Colab's is older, and
# leaves Colab's own TensorFlow alone. Elsewhere it installs
# `requirements.txt` into the kernel's environment.

# %%
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

# the project: this folder, or the one above it (this notebook's folder)
here = Path.cwd()
project = next(
    (p for p in (here, here.parent) if (p / "data.py").exists()), None
)
if project is None:
    raise FileNotFoundError(
        "This notebook runs the project's scripts: put the project's files"
        " (data.py, the scripts, support/) in the current folder (on Colab:"
        " clone the project or upload them), then run this cell again."
    )
os.chdir(project)
sys.path.insert(0, str(project))


def pip_install(*what):
    command = [sys.executable, "-m", "pip", "install", "--quiet", *what]
    subprocess.run(command, check=True)


if "google.colab" in sys.modules:
    # Colab brings TensorFlow and Keras: keep its TensorFlow, and bring
    # Keras up to 3.15 only if it is older (the scripts need 3.15+)
    keras_version = importlib.metadata.version("keras")
    if tuple(int(part) for part in keras_version.split(".")[:2]) < (3, 15):
        pip_install("keras>=3.15")
else:
    pip_install("-r", "requirements.txt")

# %% [markdown]
# Before Keras loads: TensorFlow's start-up lines off, as each script does
# when run from a terminal (`support/start.py`; `docs/robustness.md` says
# what this changes: a test loss in its 8th decimal). A Keras backend, if
# you want another, is chosen here too, e.g.
# `os.environ["KERAS_BACKEND"] = "jax"`.

# %%
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, display

import bilstm_classifier
import compare_directions
import compare_merge_modes
import lstm_classifier
from data import get_sequence

# %% [markdown]
# The settings: the tutorial's, except the comparisons' `repeats` (ours:
# each comparison runs its listing that many times, paired). Smaller
# numbers run sooner and learn less.

# %% tags=["parameters"]
n_timesteps = 10
classifier_epochs = 1000  # sections 3 and 4
comparison_epochs = 250  # sections 5 and 6
repeats = 5
# each comparison's models (--models): the listing's, and our aligned
# backward LSTM; compare_directions.py --help names the others
direction_models = [
    "lstm_forw",
    "lstm_back",
    "bilstm_con",
    "lstm_back_aligned",
]
merge_models = ["bilstm_sum", "bilstm_mul", "bilstm_ave", "bilstm_con"]
out = "results"  # where the comparisons write their CSVs and pictures

# %% [markdown]
# ## Section 2: the problem
#
# Ten random values in [0, 1); a timestep's label turns 1 once the running
# sum passes a quarter of the length (2.5), and stays 1 (`data.py`).

# %%
X, y = get_sequence(n_timesteps, rng=1)
print("values:", X[0, :, 0].round(2))
print("labels:", y[0, :, 0])

# %% [markdown]
# ## Section 3: an LSTM for sequence classification
#
# `lstm_classifier.py`: `get_lstm_model`, then `train_model`, one update on
# one fresh sequence per epoch. Its `main` takes the script's flags as a
# list, draws the progress bar, prints the tutorial's Expected/Predicted
# and the accuracy on fresh sequences beside the position-only baseline.

# %%
sizes = ["--timesteps", str(n_timesteps)]
status = lstm_classifier.main([*sizes, "--epochs", str(classifier_epochs)])

# %% [markdown]
# The same two functions called directly: the loss of each epoch is one
# sequence's, so it is noisy; a running mean shows the trend.

# %%
model = lstm_classifier.get_lstm_model(n_timesteps)
loss = lstm_classifier.train_model(
    model, n_timesteps, n_epochs=comparison_epochs, rng=1
)
loss = pd.Series(loss, index=range(1, len(loss) + 1))
plt.plot(loss, alpha=0.3, label="loss on the epoch's sequence")
plt.plot(loss.rolling(25).mean(), label="mean of the latest 25")
plt.xlabel("epoch")
plt.ylabel("binary cross-entropy")
plt.legend()
plt.show()

# %% [markdown]
# ## Section 4: a Bidirectional LSTM
#
# `bilstm_classifier.py`: the same LSTM inside `Bidirectional` (concat).

# %%
status = bilstm_classifier.main([*sizes, "--epochs", str(classifier_epochs)])

# %% [markdown]
# ## Section 5: LSTM against Bidirectional LSTM
#
# `compare_directions.py`: the tutorial's forward, backward and
# bidirectional LSTMs, and our aligned backward LSTM, trained on the same
# sequences from the same seeds, `repeats` times. Its summary pairs each
# model with the forward LSTM.

# %%
flags = [*sizes, "--epochs", str(comparison_epochs), "--repeats", str(repeats)]
status = compare_directions.main(
    [*flags, "--models", *direction_models, "--out", out]
)
display(Image(f"{out}/compare_directions.png"))
display(Image(f"{out}/compare_directions_by_timestep.png"))

# %% [markdown]
# ## Section 6: the merge modes
#
# `compare_merge_modes.py`: sum, mul, ave and concat, paired with concat.

# %%
status = compare_merge_modes.main(
    [*flags, "--models", *merge_models, "--out", out]
)
display(Image(f"{out}/compare_merge_modes.png"))

# %% [markdown]
# ## Next
#
# The README's findings (what the tutorial claims, over three seeds) and
# `docs/next_questions.md` (one label per sequence, padding, two features,
# forecasting) start where this notebook ends; each script's `--help`
# lists its flags, which `main` takes as a list, as above.

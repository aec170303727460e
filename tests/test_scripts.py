"""Each script as a user runs it: what it prints and the files it writes;
flags and files it refuses, in one line (exit status 2), writing nothing."""

import os
import subprocess
import zipfile

import keras
import numpy as np
import pandas as pd
import pytest
from conftest import call, command, environment

import bilstm_classifier
import compare_directions
import compare_merge_modes
import data
import lstm_classifier
import predict


def test_predict_labels_a_users_csv_and_keeps_it(in_tmp):
    keras.utils.set_random_seed(1)
    model = bilstm_classifier.get_bi_lstm_model(10)
    model.save("m.keras")
    values = np.random.default_rng(0).random((12_345, 10))
    np.savetxt("mine.csv", values, delimiter=",", header="a,b,c,d,e,f,g,h,i,j")
    before = (in_tmp / "mine.csv").read_bytes()
    status, out, err = call(
        predict.main, "m.keras", "--csv", "mine.csv", "--output", "labels.csv"
    )
    assert status == 0 and err.strip() == "wrote labels.csv: 12345 sequences"
    labels = pd.read_csv("labels.csv")
    assert list(labels.columns) == [
        "sequence",
        "timestep",
        "value",
        "probability",
        "label",
    ]
    assert len(labels) == 123_450 and labels["sequence"].iloc[-1] == 12_345
    expected = model.predict(values[:5, :, None].astype("float32"), verbose=0)
    assert np.allclose(labels["probability"][:50], expected.ravel(), atol=2e-6)
    sure = (labels["probability"] - 0.5).abs() > 1e-6  # 6 places printed
    assert (labels["label"] == (labels["probability"] > 0.5))[sure].all()
    assert np.array_equal(  # the 32-bit values, in their shortest form
        labels["value"][:50].to_numpy(np.float32),
        values[:5].astype("float32").ravel(),
    )
    assert (in_tmp / "mine.csv").read_bytes() == before
    status, out, _ = call(predict.main, "m.keras", "--csv", "mine.csv")
    assert (
        out.splitlines()[:2]
        == (in_tmp / "labels.csv").read_text().splitlines()[:2]
    )


SCRIPTS = {
    "data.py": data.main,
    "lstm_classifier.py": lstm_classifier.main,
    "bilstm_classifier.py": bilstm_classifier.main,
    "compare_directions.py": compare_directions.main,
    "compare_merge_modes.py": compare_merge_modes.main,
}
BAD_FLAGS = [
    (
        "lstm_classifier.py",
        ["--epochs", "0"],
        "--epochs: must be an integer from 1 to 1000000, got '0'",
    ),
    ("lstm_classifier.py", ["--units", "2.5"], "--units: must be an integer"),
    ("lstm_classifier.py", ["--timesteps", "1001"], "from 1 to 1000"),
    (
        "bilstm_classifier.py",
        ["--timesteps", "1000", "--units", "21"],
        "--timesteps x --units must be at most 20000",
    ),
    ("bilstm_classifier.py", ["--merge-mode", "max"], "invalid choice: 'max'"),
    ("data.py", ["--seed", "4294967296"], "from 0 to 4294967295"),
    ("compare_directions.py", ["--models", "gru"], "invalid choice: 'gru'"),
    ("compare_merge_modes.py", ["--repeats", "1001"], "from 1 to 1000"),
    ("compare_directions.py", ["--out", "README.md/runs"], "--out"),
    ("lstm_classifier.py", ["--save-model", "model.h5"], "must end in .keras"),
    (
        "lstm_classifier.py",
        ["--save-model", "no/such/dir/m.keras"],
        "cannot write in 'no/such/dir'",
    ),
    ("bilstm_classifier.py", ["--save-model", "."], "must end in"),
]


@pytest.mark.parametrize("script, flags, words", BAD_FLAGS)
def test_a_bad_flag_is_one_line_and_nothing_is_made(
    script, flags, words, in_tmp
):
    (in_tmp / "README.md").write_text("a file, not a directory\n")
    os.symlink("outside/target.keras", "link.keras")  # a dangling link
    classifier = script.endswith("classifier.py")
    extra = ["--save-model", "link.keras"] if classifier else []  # flags win
    status, out, err = call(SCRIPTS[script], *extra, *flags)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(
        f"{script}: error: argument"
    )
    assert words in err
    assert sorted(os.listdir(in_tmp)) == ["README.md", "link.keras"]
    assert os.readlink("link.keras") == "outside/target.keras"


def bomb(path):
    """A .keras file of a few hundred kB that unpacks to 300 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("model.weights.h5", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(bytes(2**20))


BAD_CSVS = {
    "a word": (
        "1,2,3\n4,five,6\n",
        "line 2: 'five' is not a finite 32-bit number",
    ),
    "semicolons": ("0.1;0.2;0.3\n", "its numbers separated by commas"),
    "tabs": ("0.1\t0.2\t0.3\n", "its numbers separated by commas"),
    "NaN": ("1,nan,3\n", "line 1: 'nan' is not a finite"),
    "beyond float32": ("1,1e39,3\n", "'1e39' is not a finite 32-bit number"),
    "ragged": ("1,2,3\n4,5\n", "line 2 has 2 values, line 1 3"),
    "empty": ("", "holds no sequences"),
    "header only": ("a,b,c\n", "holds no sequences"),
    "binary": (b"\xff\xfe\x00\x01", "not a CSV text file"),
    "another length": ("1,2,3\n", "3 values, the model takes 10"),
}


def test_predict_refuses_what_it_cannot_use_in_one_line(in_tmp):
    keras.utils.set_random_seed(1)
    lstm_classifier.get_lstm_model(10, units=2).save("m.keras")
    flat = keras.Sequential(
        [keras.Input((10, 1)), keras.layers.LSTM(2), keras.layers.Dense(1)]
    )
    flat.save("flat.keras")
    bomb("bomb.keras")
    (in_tmp / "ok.csv").write_text("0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1\n")
    cases = [
        (
            ["flat.keras", "--csv", "ok.csv"],
            "not one probability per timestep",
        ),
        (["bomb.keras", "--csv", "ok.csv"], "unpacks to 300 MB"),
        (["ok.csv", "--csv", "ok.csv"], "is not a .keras file"),
        (
            ["m.keras", "--csv", "ok.csv", "--output", "ok.csv"],
            "it is the --csv file",
        ),
    ]
    for name, (text, words) in BAD_CSVS.items():
        path = in_tmp / f"{name}.csv"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        cases.append(
            (["m.keras", "--csv", path.name, "--output", "o.csv"], words)
        )
    before = sorted(os.listdir(in_tmp))
    for args, words in cases:
        status, out, err = call(predict.main, *args)
        assert status == 2 and out == "", args
        assert err.count("\n") == 1 and words in err, (args, err)
        assert err.startswith("predict.py: error: argument")
    assert sorted(os.listdir(in_tmp)) == before


BEFORE_KERAS = {  # ours: what every script answers before Keras loads
    script: [["--help"]] + [f for s, f, _ in BAD_FLAGS if s == script]
    for script in SCRIPTS
}
MAINS = {**SCRIPTS, "predict.py": predict.main}
BEFORE_KERAS["predict.py"] = [
    ["--help"],
    ["m.keras"],  # no --csv
    ["m.keras", "--csv", "mine.csv"],  # no such model
    ["README.md", "--csv", "mine.csv", "--output", "out.txt"],
]


@pytest.mark.parametrize("script", BEFORE_KERAS)
def test_flags_are_answered_before_keras_loads(script, in_tmp):
    """Run as a program, each script answers --help and a bad flag the way
    its main does in this process, before it imports Keras (here Keras
    cannot be imported at all): a typo costs no wait for Keras."""
    (in_tmp / "README.md").write_text("a file, not a directory\n")
    fake = in_tmp / "fake" / "keras"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('Keras loaded')\n")
    env = environment(PYTHONPATH=str(fake.parent))
    for flags in BEFORE_KERAS[script]:
        result = subprocess.run(
            command(script, *flags),
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        answer = (result.returncode, result.stdout, result.stderr)
        assert answer == call(MAINS[script], *flags), flags
        assert answer[0] == (0 if flags == ["--help"] else 2)

"""--save-model and predict.py: a saved model in a fresh process, on every
installed backend, on generated sequences and on a user's CSV."""

import importlib.util
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from conftest import our_lines, run_script, script_env, start_script

import predict
from support import seeds

BACKENDS = [
    name
    for name, module in [
        ("tensorflow", "tensorflow"),
        ("jax", "jax"),
        ("torch", "torch"),
    ]
    if importlib.util.find_spec(module)
]
# Loads the model as a user's own program would: `python -I` sees neither
# this repository nor PYTHONPATH, and nothing but Keras and NumPy is used.
FRESH_PROCESS = textwrap.dedent(
    """
    import sys
    import keras
    import numpy as np
    model = keras.saving.load_model(sys.argv[1])
    X, y = np.load(sys.argv[2]), np.load(sys.argv[3])
    p = keras.ops.convert_to_numpy(model.predict(X, verbose=0))
    print(keras.backend.backend(), f"{np.mean((p > 0.5) == y):.3f}")
    ours = [name for name in ("data", "support") if name in sys.modules]
    print("project imported:", bool(ours))
    """
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A classifier trained briefly with --save-model, and what it printed."""
    folder = tmp_path_factory.mktemp("saved")
    result = run_script(
        "bilstm_classifier.py",
        "--epochs",
        200,
        "--verbose",
        0,
        "--seed",
        5,
        "--eval-sequences",
        300,
        "--save-model",
        "model.keras",
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    assert "saved model.keras (200 of 200 epochs)" in result.stdout
    return folder, result.stdout


def test_a_fresh_process_on_every_backend_reproduces_the_accuracy(saved):
    folder, stdout = saved
    printed = stdout.strip().splitlines()[-1].split()[1]  # "accuracy 0.9xx"
    _, test_seed = seeds.classifier_seeds(5)
    from data import get_sequences

    X, y = get_sequences(300, 10, np.random.default_rng(test_seed))
    np.save(folder / "X.npy", X)
    np.save(folder / "y.npy", y)
    env = {k: v for k, v in script_env().items() if k != "PYTHONPATH"}
    for backend in BACKENDS:
        result = subprocess.run(
            [sys.executable, "-I", "-c", FRESH_PROCESS, "model.keras"]
            + ["X.npy", "y.npy"],
            cwd=folder,
            env={**env, "KERAS_BACKEND": backend},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            f"{backend} {printed}",
            "project imported: False",
        ]


def test_predict_repeats_the_training_runs_figures(saved):
    folder, stdout = saved
    result = run_script(
        "predict.py",
        "model.keras",
        "--seed",
        5,
        "--sequences",
        300,
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    first, *figures = result.stdout.strip().splitlines()
    assert first.startswith("predict.py model.keras | Keras ")
    assert len(figures) == 5 and figures[-1].startswith("accuracy ")
    assert stdout.strip().splitlines()[-5:] == figures


def test_predict_classifies_a_users_csv(saved):
    folder, _ = saved
    rng = np.random.default_rng(11)
    values = rng.random((7, 10))
    header = ",".join(f"t{t}" for t in range(1, 11))
    rows = [",".join(repr(float(v)) for v in row) for row in values]
    (folder / "mine.csv").write_text("\n".join([header, *rows, ""]))
    printed = run_script(
        "predict.py", "model.keras", "--csv", "mine.csv", cwd=folder
    )
    assert printed.returncode == 0, printed.stderr
    written = run_script(
        "predict.py",
        "model.keras",
        "--csv",
        "mine.csv",
        "--output",
        "labels.csv",
        cwd=folder,
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert (folder / "labels.csv").read_text() == printed.stdout
    table = pd.read_csv(folder / "labels.csv")
    assert list(table.columns) == [
        "sequence",
        "timestep",
        "value",
        "probability",
        "label",
    ]
    assert len(table) == 70
    assert (
        table["sequence"].tolist() == np.repeat(np.arange(1, 8), 10).tolist()
    )
    assert table["timestep"].tolist() == list(range(1, 11)) * 7
    np.testing.assert_allclose(
        table["value"], values.astype(np.float32).ravel(), rtol=0, atol=0
    )
    assert (table["label"] == (table["probability"] > 0.5)).all()
    # The model's own probabilities for the same arrays.
    import keras

    model = keras.saving.load_model(folder / "model.keras")
    X = values.astype(np.float32)[..., np.newaxis]
    expected = keras.ops.convert_to_numpy(model.predict(X, verbose=0))
    np.testing.assert_allclose(
        table["probability"], expected.ravel(), atol=1e-6
    )


BAD_INPUTS = [
    ("ragged.csv", "1,2,3,4,5,6,7,8,9,10\n1,2,3\n", "line 2 has 3 values"),
    ("word.csv", "0.1,0.2,abc,4,5,6,7,8,9,10\n", "'abc' is not a number"),
    ("nan.csv", "1,2,3,4,5,6,7,8,9,NaN\n", "'NaN' is not a finite number"),
    ("inf.csv", "1,2,3,4,5,6,7,8,9,-inf\n", "'-inf' is not a finite"),
    ("empty.csv", "", "holds no sequences"),
    ("header_only.csv", "a,b,c\n", "holds no sequences"),
    (
        "short.csv",
        "0.5,0.5,0.5\n",
        "have 3 values, the model was built for 10",
    ),
    ("long.csv", ",".join(["0.1"] * 12) + "\n", "have 12 values"),
    ("binary.csv", b"\xff\xfe\x00\x01", "not a CSV text file"),
]


@pytest.mark.parametrize(
    "name, content, message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_a_bad_csv_is_one_line_and_writes_nothing(
    saved, in_tmp, capsys, name, content, message
):
    """In this process, as test_cli_errors.py does; the first case also
    as a user runs it."""
    folder, _ = saved
    path = in_tmp / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    args = [folder / "model.keras", "--csv", name, "--output", "labels.csv"]
    if name == BAD_INPUTS[0][0]:
        result = run_script("predict.py", *args, cwd=in_tmp)
        status, stdout, errors = (
            result.returncode,
            result.stdout,
            our_lines(result.stderr),
        )
    else:
        with pytest.raises(SystemExit) as caught:
            predict.main([str(arg) for arg in args])
        captured = capsys.readouterr()
        status, stdout, errors = (
            caught.value.code,
            captured.out,
            our_lines(captured.err),
        )
    assert status == 2
    assert len(errors) == 1 and message in errors[0], errors
    assert "error: argument --csv" in errors[0]
    assert stdout == ""
    assert sorted(p.name for p in in_tmp.iterdir()) == [name]


@pytest.mark.parametrize(
    "model, message",
    [
        ("missing.keras", "does not exist"),
        ("text.keras", "is not a .keras file"),
        ("text.csv", "cannot load"),
        (".", "is a directory"),
    ],
)
def test_a_bad_model_file_is_one_line(in_tmp, capsys, model, message):
    (in_tmp / "text.keras").write_text("not a model\n")
    (in_tmp / "text.csv").write_text("1,2\n")
    with pytest.raises(SystemExit) as caught:
        predict.main([model])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    errors = our_lines(captured.err)
    assert len(errors) == 1 and message in errors[0], errors
    assert "error: argument model" in errors[0]
    assert captured.out == ""


def test_ctrl_c_saves_the_model_as_trained_so_far(tmp_path):
    process = start_script(
        "lstm_classifier.py",
        "--epochs",
        1_000_000,
        "--verbose",
        2,
        "--save-model",
        "partial.keras",
        cwd=tmp_path,
    )
    for line in process.stdout:
        if line.startswith("Epoch 30/"):
            break
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    saved_line = next(s for s in stdout.splitlines() if s.startswith("saved"))
    epochs = int(saved_line.split("interrupted: ")[1].split()[0])
    assert saved_line == (
        f"saved partial.keras (training interrupted: {epochs} of 1000000"
        " epochs)"
    )
    assert epochs >= 30
    result = run_script("predict.py", "partial.keras", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partial.keras"]


def test_predict_refuses_flags_that_do_not_go_together(saved, capsys):
    folder, _ = saved
    (folder / "one.csv").write_text(",".join(["0.3"] * 10) + "\n")
    model, one = str(folder / "model.keras"), str(folder / "one.csv")
    for args, flag in [
        (["--csv", one, "--seed", "3"], "--seed"),
        (["--csv", one, "--sequences", "5"], "--sequences"),
        (["--output", "x.csv"], "--output"),
        (["--csv", one, "--output", str(folder / "x.txt")], "--output"),
    ]:
        with pytest.raises(SystemExit) as caught:
            predict.main([model, *args])
        assert caught.value.code == 2, args
        errors = our_lines(capsys.readouterr().err)
        assert len(errors) == 1 and flag in errors[0]
    assert not (folder / "x.csv").exists() and not (folder / "x.txt").exists()


def test_the_saved_file_has_no_speed_settings(saved):
    """XLA is a speed setting of our training: the file must not ask the
    backend that loads it for jit_compile=True."""
    import json
    import zipfile

    folder, _ = saved
    with zipfile.ZipFile(folder / "model.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["compile_config"]["jit_compile"] == "auto"

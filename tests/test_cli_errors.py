"""Bad input: one line on stderr naming the flag, exit 2, nothing written."""

import pytest
from conftest import run_script

import bilstm_classifier
import compare_directions
import compare_merge_modes
import data
import lstm_classifier

CLASSIFIER_CASES = [
    (["--timesteps", "0"], "--timesteps"),
    (["--timesteps", "-3"], "--timesteps"),
    (["--units", "abc"], "--units"),
    (["--units", "2.5"], "--units"),
    (["--epochs", "0"], "--epochs"),
    (["--epochs", "-10"], "--epochs"),
    (["--eval-sequences", "0"], "--eval-sequences"),
    (["--seed", "-1"], "--seed"),
    (["--seed", "one"], "--seed"),
    (["--seed", str(2**32)], "--seed"),
    (["--units", str(10**6)], "--units"),
    (["--epochs", str(10**12)], "--epochs"),
    (["--timesteps", str(10**12)], "--timesteps"),
    (["--verbose", "3"], "--verbose"),
    (["--plot", "missing_dir/picture.png"], "--plot"),
    (["--plot", "picture.txt"], "--plot"),
    (["--plot", "a_file/picture.png"], "--plot"),
    (["--plot", "."], "--plot"),
    (["--plot", ""], "--plot"),
    (["--plot", "x" * 300 + ".png"], "--plot"),
    (["--plot", "/proc/picture.png"], "--plot"),
    (["--plot", "nul\0byte.png"], "--plot"),
    (["--bogus", "1"], "--bogus"),
    (["--save-model", "model.h5"], "--save-model"),
    (["--save-model", "model"], "--save-model"),
    (["--save-model", "missing_dir/model.keras"], "--save-model"),
    (["--save-model", "a_file/model.keras"], "--save-model"),
]

COMPARISON_CASES = [
    (["--timesteps", "x"], "--timesteps"),
    (["--units", "0"], "--units"),
    (["--epochs", "-1"], "--epochs"),
    (["--repeats", "0"], "--repeats"),
    (["--repeats", "1.5"], "--repeats"),
    (["--eval-sequences", "-4"], "--eval-sequences"),
    (["--seed", "-7"], "--seed"),
    (["--seed", "4294967296"], "--seed"),
    (["--units", "1000000"], "--units"),
    (["--epochs", "100000000", "--repeats", "1000"], "--epochs"),
    (["--out", "a_file"], "--out"),
    (["--out", "a_file/sub/dir"], "--out"),
    (["--out", ""], "--out"),
    (["--out", "d" * 300], "--out"),
    (["--out", "new/" + "d" * 300], "--out"),
    (["--out", "/proc/results"], "--out"),
    (["--out", "nul\0byte"], "--out"),
    (["--models"], "--models"),
    (["--jobs", "0"], "--jobs"),
    (["--jobs", "-2"], "--jobs"),
    (["--jobs", "two"], "--jobs"),
    (["--jobs", "1000", "--repeats", "1000"], "--jobs"),  # memory
]

CASES = (
    [(data, args, flag) for args, flag in CLASSIFIER_CASES[:2]]
    + [(data, ["--seed", "-1"], "--seed")]
    + [(lstm_classifier, args, flag) for args, flag in CLASSIFIER_CASES]
    + [(bilstm_classifier, args, flag) for args, flag in CLASSIFIER_CASES]
    + [(bilstm_classifier, ["--merge-mode", "max"], "--merge-mode")]
    + [(compare_directions, args, flag) for args, flag in COMPARISON_CASES]
    + [(compare_directions, ["--models", "gru"], "--models")]
    + [(compare_directions, ["--models", "bilstm_sum"], "--models")]
    + [(compare_merge_modes, args, flag) for args, flag in COMPARISON_CASES]
    + [(compare_merge_modes, ["--models", "lstm_forw"], "--models")]
)


def case_id(case):
    module, args, _ = case
    return f"{module.__name__}:{' '.join(args)}"


@pytest.mark.parametrize("case", CASES, ids=map(case_id, CASES))
def test_bad_flag_is_refused_in_one_line(case, in_tmp, capsys, monkeypatch):
    module, args, flag = case
    (in_tmp / "a_file").write_text("not a directory\n")

    def must_not_build(*_args, **_kwargs):
        raise AssertionError("a model was built despite bad input")

    monkeypatch.setattr("keras.utils.set_random_seed", must_not_build)
    with pytest.raises(SystemExit) as caught:
        module.main(args)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert flag in lines[0] and "error" in lines[0]
    assert captured.out == ""
    assert sorted(p.name for p in in_tmp.iterdir()) == ["a_file"]


def test_value_and_allowed_set_are_named(capsys):
    with pytest.raises(SystemExit):
        bilstm_classifier.main(["--merge-mode", "max"])
    message = capsys.readouterr().err
    assert "'max'" in message
    for mode in ("sum", "mul", "ave", "concat"):
        assert mode in message
    with pytest.raises(SystemExit):
        lstm_classifier.main(["--epochs", "-10"])
    assert "positive integer, got '-10'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "script, args",
    [
        ("data.py", ["--timesteps", "0"]),
        ("lstm_classifier.py", ["--epochs", "zero"]),
        ("compare_merge_modes.py", ["--out", "a_file/x"]),
    ],
)
def test_bad_flag_from_the_command_line(tmp_path, script, args):
    (tmp_path / "a_file").write_text("x")
    result = run_script(script, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # Ours are "<script>: error: ..."; TensorFlow's start-up lines (on CPUs
    # where it turns oneDNN on they pass TF_CPP_MIN_LOG_LEVEL) are not.
    errors = [
        line
        for line in result.stderr.splitlines()
        if line.startswith(f"{script}: error:")
    ]
    assert len(errors) == 1 and args[0] in errors[0]
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_a_size_that_cannot_fit_names_the_flag_value_and_limit(capsys):
    with pytest.raises(SystemExit) as caught:
        lstm_classifier.main(["--units", "1000000"])
    assert caught.value.code == 2
    message = capsys.readouterr().err.strip()
    assert "error: argument --units:" in message
    assert "1000000 needs about" in message and "at most" in message
    limit = int(message.split("at most ")[1].split()[0])
    assert 1000 < limit < 1000000  # from this machine's memory
    with pytest.raises(SystemExit):
        compare_directions.main(["--epochs", str(10**9), "--repeats", "99"])
    assert "argument --epochs: 1000000000 needs" in capsys.readouterr().err


def test_seed_range_is_the_same_in_every_script(capsys):
    for module in (data, lstm_classifier, compare_merge_modes):
        with pytest.raises(SystemExit):
            module.main(["--seed", "4294967296"])
        assert "from 0 to 4294967295" in capsys.readouterr().err

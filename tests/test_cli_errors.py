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
    (["--verbose", "3"], "--verbose"),
    (["--plot", "missing_dir/picture.png"], "--plot"),
    (["--plot", "picture.txt"], "--plot"),
    (["--plot", "a_file/picture.png"], "--plot"),
    (["--plot", "."], "--plot"),
    (["--bogus", "1"], "--bogus"),
]

COMPARISON_CASES = [
    (["--timesteps", "x"], "--timesteps"),
    (["--units", "0"], "--units"),
    (["--epochs", "-1"], "--epochs"),
    (["--repeats", "0"], "--repeats"),
    (["--repeats", "1.5"], "--repeats"),
    (["--eval-sequences", "-4"], "--eval-sequences"),
    (["--seed", "-7"], "--seed"),
    (["--out", "a_file"], "--out"),
    (["--out", "a_file/sub/dir"], "--out"),
    (["--models"], "--models"),
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
        ("bilstm_classifier.py", ["--merge-mode", "max"]),
        ("compare_directions.py", ["--repeats", "0"]),
        ("compare_merge_modes.py", ["--out", "a_file/x"]),
    ],
)
def test_bad_flag_from_the_command_line(tmp_path, script, args):
    (tmp_path / "a_file").write_text("x")
    result = run_script(script, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and args[0] in errors[0]
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]

"""The layout: standalone section scripts, short and copyable, that the
tutorial's own code runs against."""

import ast
import importlib
import inspect
import re
import runpy
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from data import get_sequence
from support import speed

SCRIPTS = [
    "lstm_classifier.py",
    "bilstm_classifier.py",
    "compare_directions.py",
    "compare_merge_modes.py",
]
# The tutorial's functions in each script, as a user would copy them.
TUTORIAL_FUNCTIONS = {
    "lstm_classifier.py": ["get_lstm_model", "train_model"],
    "bilstm_classifier.py": ["get_bi_lstm_model", "train_model"],
    "compare_directions.py": [
        "get_lstm_model",
        "get_aligned_lstm_model",
        "get_bi_lstm_model",
        "train_model",
    ],
    "compare_merge_modes.py": ["get_bi_lstm_model", "train_model"],
}


def parse(name):
    return ast.parse((ROOT / name).read_text(), filename=name)


def imported_modules(tree):
    """Top-level names of every module a file imports, anywhere in it."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("script", [*SCRIPTS, "predict.py"])
def test_scripts_import_only_data_and_the_support_package(script):
    local = {p.stem for p in ROOT.glob("*.py")} | {"support"}
    assert imported_modules(parse(script)) & local <= {"data", "support"}


def test_support_and_data_import_no_script():
    scripts = {name.removesuffix(".py") for name in [*SCRIPTS, "predict"]}
    for path in [ROOT / "data.py", *sorted((ROOT / "support").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        assert not imported_modules(tree) & scripts, path.name


@pytest.mark.parametrize(
    "name, limit",
    [(s, 150) for s in [*SCRIPTS, "predict.py"]] + [("data.py", 100)],
)
def test_files_stay_short(name, limit):
    assert len((ROOT / name).read_text().splitlines()) <= limit


def copy_of(script, function):
    """The function's source and the imports it uses from its own file,
    as a reader would paste them into a blank file."""
    source = (ROOT / script).read_text()
    tree = ast.parse(source)
    node = next(
        n
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name == function
    )
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    imports = []
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            aliases = [
                a
                for a in statement.names
                if (a.asname or a.name).split(".")[0] in used
            ]
            if aliases:
                statement.names = aliases
                imports.append(ast.unparse(statement))
    body = ast.get_source_segment(source, node)
    return "\n".join(imports) + "\n\n\n" + body + "\n"


# A model compiled as the comparisons' listings do, for the train_model
# copies (which copy no model function).
TRAIN_SUPPORT = textwrap.dedent(
    """

    from keras import Input, Sequential
    from keras.layers import LSTM, Dense, TimeDistributed


    def get_model(n):
        model = Sequential([Input((n, 1)), LSTM(3, return_sequences=True)])
        model.add(TimeDistributed(Dense(1, activation="sigmoid")))
        model.compile(loss="binary_crossentropy", optimizer="adam")
        return model
    """
)

ARGUMENTS = {
    "get_lstm_model": {"lstm_classifier.py": [], "": [True]},
    "get_bi_lstm_model": {"": ["sum"]},
    "get_aligned_lstm_model": {"": []},
}

# The tutorial's section 5 and 6 code, as printed there, but importing our
# functions, and with pyplot.show() replaced by saving.
SECTION_5 = """
from matplotlib import pyplot
from pandas import DataFrame
from compare_directions import get_lstm_model, get_bi_lstm_model, train_model

n_timesteps = 10
results = DataFrame()
# lstm forwards
model = get_lstm_model(n_timesteps, False)
results['lstm_forw'] = train_model(model, n_timesteps)
# lstm backwards
model = get_lstm_model(n_timesteps, True)
results['lstm_back'] = train_model(model, n_timesteps)
# bidirectional concat
model = get_bi_lstm_model(n_timesteps, 'concat')
results['bilstm_con'] = train_model(model, n_timesteps)
# line plot of results
results.plot()
pyplot.savefig('section5.png')
results.to_csv('section5.csv', index=False)
"""
SECTION_6 = """
from matplotlib import pyplot
from pandas import DataFrame
from compare_merge_modes import get_bi_lstm_model, train_model

n_timesteps = 10
results = DataFrame()
# sum merge
model = get_bi_lstm_model(n_timesteps, 'sum')
results['bilstm_sum'] = train_model(model, n_timesteps)
# mul merge
model = get_bi_lstm_model(n_timesteps, 'mul')
results['bilstm_mul'] = train_model(model, n_timesteps)
# avg merge
model = get_bi_lstm_model(n_timesteps, 'ave')
results['bilstm_ave'] = train_model(model, n_timesteps)
# concat merge
model = get_bi_lstm_model(n_timesteps, 'concat')
results['bilstm_con'] = train_model(model, n_timesteps)
# line plot of results
results.plot()
pyplot.savefig('section6.png')
results.to_csv('section6.csv', index=False)
"""


def test_tutorial_functions_run_when_copied_into_a_blank_file(tmp_path):
    """Each copy runs from its own file's globals (runpy gives fresh ones),
    so a name it does not import is a NameError."""
    X, _ = get_sequence(6, 0)
    for script, functions in TUTORIAL_FUNCTIONS.items():
        for function in functions:
            copy = copy_of(script, function)
            assert len(copy.splitlines()) <= 30, (script, function)
            path = tmp_path / f"{script[:-3]}__{function}.py"
            # Only train_model's copy gets a model function beside it: its
            # imports would otherwise hide one a model copy forgot.
            if function == "train_model":
                copy += TRAIN_SUPPORT
            path.write_text(copy)
            space = runpy.run_path(str(path))
            if function == "train_model":
                model = space["get_model"](6)
                losses = space["train_model"](model, 6, n_epochs=4, rng=1)
                assert len(losses) == 4
            else:
                choices = ARGUMENTS[function]
                args = choices.get(script, choices[""])
                model = space[function](6, *args)
                assert speed.predict_probabilities(model, X).shape == (1, 6, 1)


def test_the_tutorials_section_5_and_6_code_runs_against_ours(in_tmp):
    exec(compile(SECTION_5 + SECTION_6, "tutorial.py", "exec"), {})
    for section, columns in [
        (5, ["lstm_forw", "lstm_back", "bilstm_con"]),
        (6, ["bilstm_sum", "bilstm_mul", "bilstm_ave", "bilstm_con"]),
    ]:
        results = pd.read_csv(in_tmp / f"section{section}.csv")
        assert list(results.columns) == columns
        assert len(results) == 250
        assert results.notna().all().all() and (results > 0).all().all()


# The tutorial's parameters of each function; any other is ours.
TUTORIAL_PARAMETERS = {
    "get_lstm_model": ["n_timesteps", "backwards"],
    "get_bi_lstm_model": ["n_timesteps", "mode"],
    "get_aligned_lstm_model": ["n_timesteps"],  # ours, after get_lstm_model
    "train_model": ["model", "n_timesteps"],
}


def test_parameters_that_are_ours_are_keyword_only():
    for script, functions in TUTORIAL_FUNCTIONS.items():
        module = importlib.import_module(script.removesuffix(".py"))
        for function in functions:
            parameters = inspect.signature(
                getattr(module, function)
            ).parameters
            for name, parameter in parameters.items():
                ours = name not in TUTORIAL_PARAMETERS[function]
                keyword_only = parameter.kind is parameter.KEYWORD_ONLY
                assert ours == keyword_only, (script, function, name)


def test_a_tutorial_call_with_a_wrong_argument_fails_loudly():
    """Section 5's get_lstm_model(n, backwards) call on section 3's
    function must not build a 1-unit LSTM."""
    import lstm_classifier

    with pytest.raises(TypeError):
        lstm_classifier.get_lstm_model(10, True)


def outcome(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001 - the outcome is the point
        return type(error).__name__, str(error)
    return "accepted"


RNG_PROBES = [
    None,
    7,
    np.int64(7),
    np.random.SeedSequence(7),
    np.random.default_rng(7),
    True,
    np.bool_(False),
    "7",
    7.0,
    [1, 2],
    np.random.PCG64(7),
    -1,
]


@pytest.mark.parametrize(
    "rng",
    RNG_PROBES,
    ids=[type(r).__name__ + str(i) for i, r in enumerate(RNG_PROBES)],
)
def test_every_train_model_takes_rng_as_get_sequence_does(rng):
    expected = outcome(lambda: get_sequence(3, rng))
    for script in TUTORIAL_FUNCTIONS:
        module = importlib.import_module(script.removesuffix(".py"))
        # No epochs: only the rng is looked at, no model is needed.
        got = outcome(
            lambda m=module: m.train_model(None, 3, n_epochs=0, rng=rng)
        )
        assert got == expected, script


def test_plain_pytest_runs_without_pytest_xdist(tmp_path):
    """`pytest` after installing only requirements.txt: one core, a note."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q"]
        + ["tests/test_data.py", "-k", "baseline"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pytest-xdist is not in use: the tests run on one core" in (
        result.stdout
    )


def test_the_constraints_pin_every_requirement():
    """constraints.txt: one exact version for every package the
    requirements files name, as installed on Linux x86_64 (there
    tensorflow-cpu stands for tensorflow; PyTorch is left out, see the
    file)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    named = set()
    for path in ROOT.glob("requirements*.txt"):
        for line in path.read_text().splitlines():
            line = line.split("#")[0].split(";")[0].strip()
            if line and not line.startswith("-r"):
                name = re.split(r"[<>=\[ ]", line)[0].lower()
                named.add(name.replace("_", "-"))
    assert named - {"torch", "tensorflow"} <= set(pins), named - set(pins)
    assert "torch" not in pins

"""The tutorial's functions in each script: their contracts, their copies,
what each model's outputs read, and that our speed settings and the
comparisons' model reuse change no result."""

import ast
import inspect
import json
import runpy
import zipfile

import keras
import numpy as np
import pytest
from conftest import ROOT, only_on

import bilstm_classifier
import compare_directions
import compare_merge_modes
import lstm_classifier
from data import get_sequence, get_sequences
from support import speed

SCRIPTS = [lstm_classifier, bilstm_classifier, compare_directions]
SCRIPTS.append(compare_merge_modes)
# The tutorial's parameters of each function: any other is ours, and so
# keyword-only (a call as the tutorial writes it does what it meant or
# fails).
TUTORIAL_PARAMETERS = {
    "get_lstm_model": ["n_timesteps", "backwards"],
    "get_bi_lstm_model": ["n_timesteps", "mode"],
    "get_aligned_lstm_model": ["n_timesteps"],
    "train_model": ["model", "n_timesteps"],
}
ARGUMENTS = {
    ("lstm_classifier", "get_lstm_model"): (),
    ("compare_directions", "get_lstm_model"): (True,),
    "get_bi_lstm_model": ("sum",),
    "get_aligned_lstm_model": (),
}


def functions():
    for module in SCRIPTS:
        for name in TUTORIAL_PARAMETERS:
            if hasattr(module, name):
                yield module, name


def test_parameters_that_are_ours_are_keyword_only():
    for module, name in functions():
        signature = inspect.signature(getattr(module, name))
        for parameter in signature.parameters.values():
            ours = parameter.name not in TUTORIAL_PARAMETERS[name]
            keyword_only = parameter.kind is parameter.KEYWORD_ONLY
            assert ours == keyword_only, (module.__name__, name, parameter)
    with pytest.raises(TypeError):  # section 5's call on section 3's copy
        lstm_classifier.get_lstm_model(10, True)


def copy_of(module, function):
    """The function's source and the imports it uses from its own file,
    as a reader would paste them into a blank file."""
    source = (ROOT / f"{module.__name__}.py").read_text()
    tree = ast.parse(source)
    node = next(n for n in tree.body if getattr(n, "name", "") == function)
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    imports = []
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names = [
                a
                for a in statement.names
                if (a.asname or a.name).split(".")[0] in used
            ]
            if names:
                statement.names = names
                imports.append(ast.unparse(statement))
    return "\n".join(imports) + "\n\n" + ast.get_source_segment(source, node)


@only_on("jax", "code as a reader copies it; one pass tests it")
def test_each_function_runs_copied_into_a_blank_file(tmp_path):
    """From a file with only the imports it uses (runpy gives it fresh
    globals, so a missing import is a NameError), each model function
    builds a model, and every train_model copy trains the tutorial's 250
    epochs by default."""
    model = compare_directions.get_lstm_model(4, False, units=2)
    for module, name in functions():
        path = tmp_path / f"{module.__name__}_{name}.py"
        path.write_text(copy_of(module, name))
        copied = runpy.run_path(str(path))[name]
        if name == "train_model":
            assert len(copied(model, 4)) == 250, module.__name__
            continue
        key = (module.__name__, name)
        args = ARGUMENTS.get(key, ARGUMENTS.get(name))
        built = copied(6, *args)
        assert built.predict_on_batch(np.zeros((2, 6, 1))).shape == (2, 6, 1)


def code_of(module, name):
    """A function's code without its docstring and comments."""
    node = ast.parse(inspect.getsource(getattr(module, name))).body[0]
    if ast.get_docstring(node):
        node.body = node.body[1:]
    return ast.dump(node)


def test_the_copies_agree():
    """train_model is the same code in every script, get_bi_lstm_model in
    both comparisons; the classifiers' model functions (with the metric
    "acc", as sections 3 and 4 compile) build the same weights as the
    comparisons' for the same seed."""
    assert len({code_of(m, "train_model") for m in SCRIPTS}) == 1
    assert len({code_of(m, "get_bi_lstm_model") for m in SCRIPTS[2:]}) == 1
    pairs = [
        (
            lambda: lstm_classifier.get_lstm_model(6, units=3),
            lambda: compare_directions.get_lstm_model(6, False, units=3),
        ),
        (
            lambda: bilstm_classifier.get_bi_lstm_model(6, "ave", units=3),
            lambda: compare_merge_modes.get_bi_lstm_model(6, "ave", units=3),
        ),
    ]
    for pair in pairs:
        weights = []
        for build in pair:
            keras.utils.set_random_seed(4)
            weights.append(build().get_weights())
        for a, b in zip(*weights, strict=True):
            assert np.array_equal(a, b)
    config = lstm_classifier.get_lstm_model(6).get_compile_config()
    assert config["metrics"] == ["acc"] and config["loss"] == (
        "binary_crossentropy"
    )


def test_tutorial_section_5_and_6_code_runs_against_our_copies():
    """The tutorial's own code (its listings after the functions) builds
    its models with our functions (their training: above)."""
    import matplotlib.pyplot

    listings = {
        compare_directions: "section5_compare_directions.py",
        compare_merge_modes: "section6_merge_modes.py",
    }
    for module, listing in listings.items():
        code = (ROOT / "tutorial" / listing).read_text()
        code = code[code.index("n_timesteps = 10\nresults") :]
        shapes = {}

        def train_model(model, n_timesteps, shapes=shapes):
            shapes[len(shapes)] = model.outputs[0].shape
            return [model.count_params()] * 3

        space = {**vars(module), "train_model": train_model}
        space["pyplot"] = matplotlib.pyplot
        exec(code.replace("pyplot.show()", "pyplot.close('all')"), space)
        assert set(shapes.values()) == {(None, 10, 1)}
        assert space["results"].shape == (3, code.count("train_model("))


def changed_outputs(model, position, n_timesteps=8):
    """Timesteps whose output moves when input `position` alone changes."""
    X, _ = get_sequences(1, n_timesteps, rng=7)
    X_changed = X.copy()
    X_changed[0, position, 0] += 0.5
    before = model.predict_on_batch(X)[0, :, 0]
    after = model.predict_on_batch(X_changed)[0, :, 0]
    return set(np.flatnonzero(np.abs(after - before) > 1e-6).tolist())


def test_what_each_output_has_read():
    """Forward: output t has read x[0..t]. The tutorial's go_backwards
    model: output t has read x[n-1-t..n-1] (reversed time order), so x[0]
    reaches only its last output. Aligned: x[t..n-1]. Bidirectional: all,
    in every copy."""
    keras.utils.set_random_seed(3)
    forward = compare_directions.get_lstm_model(8, False)
    assert changed_outputs(forward, 0) == set(range(8))
    assert changed_outputs(forward, 7) == {7}
    backward = compare_directions.get_lstm_model(8, True)
    assert changed_outputs(backward, 0) == {7}
    assert changed_outputs(backward, 7) == set(range(8))
    aligned = compare_directions.get_aligned_lstm_model(8)
    assert changed_outputs(aligned, 3) == {0, 1, 2, 3}
    aligned.set_weights(backward.get_weights())
    X, _ = get_sequences(4, 8, rng=2)
    np.testing.assert_allclose(
        aligned.predict_on_batch(X),
        backward.predict_on_batch(X)[:, ::-1],
        atol=1e-6,
    )
    for name in ("bilstm_blind", "lstm_twin_blind"):  # ours: zeros, no value
        get_model, *options = compare_directions.MODELS[name]
        blind = get_model(8, *options)
        assert changed_outputs(blind, 0) == set(range(8))
        assert changed_outputs(blind, 5) == {5, 6, 7}
        bilstm = compare_directions.get_bi_lstm_model(8, "concat")
        assert blind.count_params() == bilstm.count_params()
    for module in (bilstm_classifier, compare_directions, compare_merge_modes):
        model = module.get_bi_lstm_model(8, "concat")
        assert changed_outputs(model, 0) == changed_outputs(model, 7)
        assert changed_outputs(model, 7) == set(range(8))
    widths = {"sum": 20, "mul": 20, "ave": 20, "concat": 40}
    for mode, width in widths.items():
        model = compare_merge_modes.get_bi_lstm_model(10, mode)
        assert model.layers[-1].layer.kernel.shape == (width, 1)


def test_train_on_batch_is_the_tutorials_fit_step():
    """One fit(epochs=1, batch_size=1) and one train_on_batch on the same
    sequence: the same reported loss and the same weights after."""
    results = []
    for step in ("fit", "train_on_batch"):
        keras.utils.set_random_seed(1)
        model = lstm_classifier.get_lstm_model(10)
        X, y = get_sequence(10, rng=5)
        if step == "fit":
            loss = model.fit(X, y, epochs=1, batch_size=1, verbose=0)
            loss = loss.history["loss"][0]
        else:
            loss = float(model.train_on_batch(X, y, return_dict=True)["loss"])
        results.append((loss, model.get_weights()))
    (loss_a, weights_a), (loss_b, weights_b) = results
    assert abs(loss_a - loss_b) < 1e-6
    for a, b in zip(weights_a, weights_b, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_speed_settings_and_reuse_change_no_loss(tmp_path):
    """A tuned model (XLA on TensorFlow, variables built up front) trains
    as the tutorial's; a compiled model reused with a fresh model's weights
    (a comparison's next repeat) trains as that fresh model; saved after
    speed.untune it holds the tutorial's compile settings, not ours."""

    def losses(model):
        return compare_directions.train_model(model, 10, n_epochs=30, rng=3)

    def fresh(seed):
        keras.utils.set_random_seed(seed)
        return compare_directions.get_lstm_model(10, False)

    compiled = {}
    tuned = losses(speed.reuse(compiled, "m", fresh(1)))
    assert np.allclose(losses(fresh(1)), tuned, atol=1e-5)
    again = losses(speed.reuse(compiled, "m", fresh(2)))
    assert np.allclose(again, losses(fresh(2)), atol=1e-5)
    model = compiled["m"][0]  # tuned: XLA on TensorFlow
    speed.untune(model)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = json.loads(archive.read("config.json"))["compile_config"]
    tutorial = lstm_classifier.get_lstm_model(10).get_compile_config()
    assert config["jit_compile"] == tutorial["jit_compile"]
    assert config["metrics"] == ["acc"]

"""Pieces of the support package that the script runs do not pin down."""

import numpy as np
import pandas as pd
import pytest

from support import limits, plots, summary


def tidy_results(n_epochs, n_repeats):
    rows = [
        ("m", repeat, epoch, 0.5 + 0.01 * repeat)
        for repeat in range(1, n_repeats + 1)
        for epoch in range(1, n_epochs + 1)
    ]
    return pd.DataFrame(rows, columns=["model", "repeat", "epoch", "loss"])


@pytest.mark.parametrize(
    "n_epochs, n_repeats, marker, band",
    [(1, 1, "o", False), (30, 2, "o", False), (31, 3, "None", True)],
)
def test_loss_plot_marks_short_runs_and_bands_only_from_3_repeats(
    monkeypatch, tmp_path, n_epochs, n_repeats, marker, band
):
    figures = []

    def keep_figure(path, write):
        figures.append(write.__self__)  # the Figure whose savefig it is
        return True

    monkeypatch.setattr(plots.files, "save", keep_figure)
    results = tidy_results(n_epochs, n_repeats)
    assert plots.plot_losses(results, tmp_path / "p.png", "t")
    (ax,) = figures[0].axes
    assert ax.lines[0].get_marker() == marker
    assert bool(ax.collections) == band  # fill_between makes the band


def test_no_interval_below_three_repeats():
    assert np.isnan(summary.ci_half_width([0.1, 0.2]))
    assert summary.ci_half_width([0.1, 0.2, 0.3]) > 0
    both = summary.ci_half_width(np.array([[1.0, 2.0], [1.5, 2.5]]))
    assert both.shape == (2,) and np.isnan(both).all()


def test_intervals_stay_within_reason_for_accuracies():
    # Three accuracies near the top: the interval is small, not past 1.
    half = summary.ci_half_width([0.93, 0.94, 0.95])
    assert 0 < half < 0.05


def test_largest_fitting_finds_the_boundary():
    assert limits.largest_fitting(lambda n: n * 10, 1234) == 123
    assert limits.largest_fitting(lambda n: n * 10, 5) == 0
    assert limits.largest_fitting(lambda n: n * n, 10**12) == 10**6


def test_needed_bytes_grow_with_every_size():
    base = dict(timesteps=10, units=20, epochs=250, repeats=5, models=4)
    start = limits.needed_bytes(**base)
    for name in base:
        assert (
            limits.needed_bytes(**dict(base, **{name: base[name] * 10}))
            > start
        )


def test_human_readable_sizes():
    assert limits.human(999) == "999.0 bytes"
    assert limits.human(1_234_567) == "1.2 MB"
    assert limits.human(5e15) == "5000.0 TB"


def test_intervals_are_cut_at_what_the_quantity_can_be():
    assert summary.with_interval(0.8, 0.66, 1.0) == "0.800 [0.140, 1.000]"
    assert summary.with_interval(0.1, 0.2, np.inf) == "0.100 [0.000, 0.300]"
    assert summary.with_interval(0.5, 0.1, 1.0) == "0.500 ± 0.100"
    assert summary.with_interval(0.5, np.nan, 1.0) == "0.500"


def test_titles_say_what_is_drawn():
    assert plots.what_is_drawn(1) == "one run, no band"
    assert "no band" in plots.what_is_drawn(2)
    assert plots.what_is_drawn(3) == "mean of 3 repeats with 95% band"


def test_the_same_size_control_is_off_by_default_and_the_bilstms_size():
    import compare_directions

    args = compare_directions.flags.parse_comparison(
        "",
        list(compare_directions.MODELS),
        ["--out", "/tmp"],
        compare_directions.DEFAULT_MODELS,
    )
    assert "lstm_wide" not in args.models and len(args.models) == 4
    wide = compare_directions.get_lstm_model(
        10, False, units=compare_directions.same_size_units(20)
    )
    bilstm = compare_directions.get_bi_lstm_model(10, "concat")
    ratio = wide.count_params() / bilstm.count_params()
    assert wide.count_params() == 3626 and bilstm.count_params() == 3561
    assert 0.95 < ratio < 1.05

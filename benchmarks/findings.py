"""The README's findings, computed at several seeds: docs/findings.md.

Runs what the README quotes, at each --seed: the two classifiers (1000
epochs, 2000 test sequences), compare_directions.py with every model,
compare_merge_modes.py, and compare_directions.py --labels midpoint, each
comparison --repeats times. Writes docs/findings.md: every paired
difference and model mean as its value at each seed, its range over the
seeds and at how many seeds its 95% interval was above, around or below
zero; and each run's summary file, seed by seed, in docs/findings/. The
README's figures are copied from there (tests/test_readme.py checks that
each one appears).

Run (about 25 minutes on 2 cores, TensorFlow):
    python benchmarks/findings.py
    python benchmarks/findings.py --seeds 1 2 3 --repeats 10
"""

import contextlib
import io
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support import cli  # noqa: E402


def parse_args(argv):
    parser = cli.make_parser(__file__, __doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    cli.add(parser, "--repeats", 3, 1000, 10, "repeats a comparison")
    cli.add(parser, "--epochs", 1, 250, 250, "a comparison's epochs")
    parser.add_argument(
        "--runs", default="findings_runs", help="the runs' files (kept)"
    )
    parser.add_argument("--docs", default=str(ROOT / "docs"))
    return parser.parse_args(argv)


ARGS = parse_args(sys.argv[1:]) if __name__ == "__main__" else None

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import bilstm_classifier  # noqa: E402
import compare_directions  # noqa: E402
import compare_merge_modes  # noqa: E402
import lstm_classifier  # noqa: E402
from support import experiment, summary  # noqa: E402
from support.baseline import hard_timesteps  # noqa: E402

# name -> (script, its files' stem, reference, extra flags)
RUNS = {
    "directions": (
        compare_directions,
        "compare_directions",
        "lstm_forw",
        ["--models", *compare_directions.MODELS],
    ),
    "merge modes": (
        compare_merge_modes,
        "compare_merge_modes",
        "bilstm_con",
        [],
    ),
    "midpoint": (
        compare_directions,
        "compare_directions_midpoint",
        "lstm_forw",
        ["--labels", "midpoint"],
    ),
}


def quietly(main, argv):
    """main(argv), its output kept: (status, stdout)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main([str(a) for a in argv])
    return status, out.getvalue()


def classifier_row(main, seed):
    """Accuracy overall and at the hard timesteps, and the baseline's."""
    flags = ["--seed", seed, "--eval-sequences", 2000, "--verbose", 0]
    status, text = quietly(main, flags)
    assert status == 0, text
    rows = {}
    for line in text.splitlines():
        match = re.match(r"(hard test acc|test acc)\s+(\S+).*?(\S+)$", line)
        if match and "±" not in line:
            rows[match[1]] = float(match[2]), float(match[3])
    return rows


def seed_values(run_dir, stem, labels, reference):
    """One seed's figures: (model means, paired differences, first epoch
    above the baseline), from the comparison's CSVs."""
    read = {
        key: pd.read_csv(run_dir / f"{stem}{experiment.FILES[key]}")
        for key in experiment.COLUMNS  # the CSVs
    }
    tests, during = read["tests"], read["during"]
    hard = hard_timesteps(int(tests["timestep"].max()), labels)
    during = during.assign(measure="acc at " + during["epoch"].astype(str))
    parts = [
        summary.loss_windows(read["losses"]),
        summary.overall(tests, hard),
        summary.values_of(during, ["accuracy", "baseline"]),
    ]
    for measure in ("accuracy", "loss"):
        part = summary.by_timestep(tests, measure, hard)
        name = "acc" if measure == "accuracy" else measure
        part["measure"] = f"{name}, timestep " + part["measure"]
        parts.append(part)
    values = pd.concat(parts, ignore_index=True)
    above = summary.first_above(
        summary.values_of(during, ["accuracy", "baseline"])
    )
    return values, summary.paired(values, reference), above


def verdict(cells):
    """How many seeds' intervals were above, around and below zero."""
    counts = {"above": 0, "level": 0, "below": 0}
    for mean, half in cells:
        if np.isnan(half) or abs(mean) <= half:
            counts["level"] += 1
        else:
            counts["above" if mean > 0 else "below"] += 1
    return ", ".join(f"{k} {n}" for k, n in counts.items() if n)


def over_seeds(per_seed, paired):
    """A markdown table: each measure and model, seed by seed."""
    seeds = list(per_seed)
    head = "| measure | model | " + " | ".join(f"seed {s}" for s in seeds)
    lines = [head + " | range of means | 95% intervals |"]
    lines.append("|---" * (len(seeds) + 4) + "|")
    first = per_seed[seeds[0]]
    for (measure, model), _ in first.groupby(["measure", "model"], sort=False):
        cells, means = [], []
        for seed in seeds:
            frame = per_seed[seed]
            mine = frame["measure"].eq(measure) & frame["model"].eq(model)
            v = frame.loc[mine, "value"].to_numpy()
            half = float(summary.ci_half_width(v))
            means.append((float(v.mean()), half))
            high = np.inf if paired or "acc" not in measure else 1.0
            cell = summary.interval(v, -np.inf if paired else 0.0, high)
            if paired:
                cell += f" ({summary.signs(v)})"
            cells.append(cell)
        low, top = min(m for m, _ in means), max(m for m, _ in means)
        span = f"{low:.3f} to {top:.3f}"
        where = verdict(means) if paired else ""
        row = f"| {measure} | {model} | " + " | ".join(cells)
        lines.append(f"{row} | {span} | {where} |")
    return "\n".join(lines)


def main(args):
    runs_dir, docs = Path(args.runs), Path(args.docs)
    saved = docs / "findings"
    saved.mkdir(parents=True, exist_ok=True)
    seeds = args.seeds
    text = [
        "# Findings at several seeds",
        "",
        "Written by `python benchmarks/findings.py --seeds"
        f" {' '.join(map(str, seeds))} --repeats {args.repeats}`; do not"
        " edit by hand. The README quotes its figures.",
    ]
    print("classifiers", flush=True)
    text += ["", "## The classifiers after 1000 epochs, 2000 test sequences"]
    text += ["", "| seed | model | test acc | baseline | hard test acc |"]
    text[-1] += " hard baseline |"
    text.append("|---|---|---|---|---|---|")
    for seed in seeds:
        for name, script in (
            ("LSTM", lstm_classifier),
            ("BiLSTM", bilstm_classifier),
        ):
            rows = classifier_row(script.main, seed)
            cells = [
                f"{v:.3f}"
                for key in ("test acc", "hard test acc")
                for v in rows[key]
            ]
            text.append(f"| {seed} | {name} | " + " | ".join(cells) + " |")
    for run, (script, stem, reference, flags) in RUNS.items():
        means, pairs, above = {}, {}, {}
        for seed in seeds:
            out = runs_dir / f"seed{seed}"
            print(f"{run}, seed {seed}", flush=True)
            argv = ["--seed", seed, "--repeats", args.repeats, "--out", out]
            argv += ["--epochs", args.epochs, *flags]
            status, _ = quietly(script.main, argv)
            assert status == 0, (run, seed)
            labels = "midpoint" if "midpoint" in flags else "cumsum"
            means[seed], pairs[seed], above[seed] = seed_values(
                out, stem, labels, reference
            )
            name = f"{stem}_seed{seed}_summary.txt"
            shutil.copy(out / f"{stem}_summary.txt", saved / name)
        text += ["", f"## {stem}, {args.repeats} repeats a seed", ""]
        text += ["Above the baseline (paired, 95%) from epoch:", ""]
        text += [f"- seed {s}: {above[s]}" for s in seeds]
        text += ["", f"Paired differences from {reference}:", ""]
        text.append(over_seeds(pairs, paired=True))
        text += ["", "Model means:", ""]
        text.append(over_seeds(means, paired=False))
    path = docs / "findings.md"
    path.write_text("\n".join(text) + "\n", "utf-8")
    print(f"wrote {path} and {saved}/")


if __name__ == "__main__":
    main(ARGS)

"""Width 500 against width 128 on a sample of the calibration study (issue 12).

Trains a sample of study polynomials at p = 23 with the study's recipe (steps, settle rule,
batch) but width 500 into a separate atlas database, then prints each case's test accuracy
(mean over the same 2 seeds) next to the width-128 runs stored in the study database:

    PYTHONPATH=. nice -n 10 python benchmarks/calibration_study/width.py \
        --study-db calibration.sqlite --db width500.sqlite

At p = 59 and 97 the study itself holds both widths (width 500 was added there after width
128 was found to stop short); ``--in-study 59,97`` prints that comparison without training:

    PYTHONPATH=. python benchmarks/calibration_study/width.py \
        --study-db calibration.sqlite --in-study 59,97
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import features  # noqa: E402
import study  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.atlas.family import Family  # noqa: E402

#: Two of each category plus two decomposable tables learned only partly at alpha = 0.3.
SAMPLE = (
    "x^2 + y^2",
    "(2*x + 3*y)^4",
    "x*y",
    "x^2 + x*y + y^2",
    "x^4 + y^4 + 3*x*y",
    "x^2*y + x*y^2",
    "x^3 + x*y",
    "x^2*y^2 + x",
)
P = 23


def accuracies(db: str, width_filter: str) -> dict[tuple[str, float], list[float]]:
    """Test accuracy per (typed, alpha) of the p = 23 rows of an atlas database."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT typed, alpha, observed_test_accuracy, config FROM results WHERE p = ?", (P,)
    ).fetchall()
    out: dict[tuple[str, float], list[float]] = {}
    for typed, alpha, acc, config in rows:
        if width_filter in config:
            out.setdefault((typed, alpha), []).append(acc)
    return out


def mean_pair(runs: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Mean test and train accuracy over a case's seeds."""
    return sum(r[0] for r in runs) / len(runs), sum(r[1] for r in runs) / len(runs)


def in_study(db: str, primes: list[int]) -> None:
    """Width 128 (study cap) against width 500 where the study has both; of the width-500
    runs, the cap that features.choose picks (the rule of the study CSV)."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT typed, p, alpha, observed_test_accuracy, observed_train_accuracy, steps_run, "
        "json_extract(config, '$.width'), json_extract(config, '$.steps') FROM results"
    ).fetchall()
    runs: dict[tuple[str, int, float, int], dict[int, list[tuple[float, float, int]]]] = {}
    for typed, p, alpha, test, train, steps_run, width, cap in rows:
        if p in primes:
            case = runs.setdefault((typed, p, alpha, width), {})
            case.setdefault(cap, []).append((test, train, steps_run))
    print("| p | polynomial | alpha | width 128 (train) | width 500 (train) | difference |")
    print("|---|---|---|---|---|---|")
    diffs: dict[int, list[float]] = {p: [] for p in primes}
    for typed, p, alpha, width in sorted(runs):
        if width != 128 or (typed, p, alpha, 500) not in runs:
            continue
        narrow = runs[typed, p, alpha, 128][study.STEPS[p]]
        caps = runs[typed, p, alpha, 500]
        flags = {
            (500, c, study.SETTLE_K): all(features.stopped_by_rule(r[2], c) for r in rs)
            for c, rs in caps.items()
        }
        wide = caps[features.choose(flags)[1]]
        (a, ta), (b, tb) = (mean_pair(narrow), mean_pair(wide))
        diffs[p].append(b - a)
        print(
            f"| {p} | {typed} | {alpha} | {a:.2f} ({ta:.2f}) | {b:.2f} ({tb:.2f}) | {b - a:+.2f} |"
        )
    for p, d in diffs.items():
        if d:
            big = sum(abs(x) > 0.10 for x in d)
            print(
                f"p = {p}: {len(d)} cases, mean |difference| {sum(map(abs, d)) / len(d):.3f}, "
                f"{big} differ by more than 0.10"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--study-db", default="calibration.sqlite")
    parser.add_argument("--db", default="width500.sqlite")
    parser.add_argument("--alphas", default="0.3,0.7")
    parser.add_argument("--width", type=int, default=500)
    parser.add_argument("--in-study", default="", help="primes: compare the study's widths")
    args = parser.parse_args()
    if args.in_study:
        in_study(args.study_db, [int(q) for q in args.in_study.split(",")])
        return
    alphas = tuple(float(a) for a in args.alphas.split(","))
    family = Family(variables=("x", "y"), polys=SAMPLE, primes=(P,), alphas=alphas, spec="width")
    print(
        pc.sweep(
            family,
            db=args.db,
            seeds=2,
            workers=1,
            progress=False,
            batch_size=study.BATCH[P],
            width=args.width,
            steps=study.STEPS[P],
            settle=20,
            early_stop=False,
        ),
        flush=True,
    )
    wide = accuracies(args.db, f'"width": {args.width}')
    base = accuracies(args.study_db, '"width": 128')
    print(f"| polynomial | alpha | width 128 | width {args.width} | difference |")
    print("|---|---|---|---|---|")
    diffs = []
    for text in SAMPLE:
        for alpha in alphas:
            a, b = base.get((text, alpha)), wide.get((text, alpha))
            if not a or not b:
                continue
            ma, mb = sum(a) / len(a), sum(b) / len(b)
            diffs.append(abs(mb - ma))
            print(f"| {text} | {alpha} | {ma:.2f} | {mb:.2f} | {mb - ma:+.2f} |")
    if diffs:
        print(f"mean |difference| {sum(diffs) / len(diffs):.3f}, max {max(diffs):.3f}")


if __name__ == "__main__":
    main()

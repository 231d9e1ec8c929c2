"""Width 500 against width 128 on a sample of the calibration study (issue 12).

Trains a sample of study polynomials at p = 23 with the study's recipe (steps, settle rule,
batch) but width 500 into a separate atlas database, then prints each case's test accuracy
(mean over the same 2 seeds) next to the width-128 runs stored in the study database:

    PYTHONPATH=. nice -n 10 python benchmarks/calibration_study/width.py \
        --study-db calibration.sqlite --db width500.sqlite
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--study-db", default="calibration.sqlite")
    parser.add_argument("--db", default="width500.sqlite")
    parser.add_argument("--alphas", default="0.3,0.7")
    parser.add_argument("--width", type=int, default=500)
    args = parser.parse_args()
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

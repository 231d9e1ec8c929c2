"""Turn the calibration database into the study CSV (one row per polynomial, p, alpha).

    PYTHONPATH=. python benchmarks/calibration_study/features.py --db calibration.sqlite \
        --csv benchmarks/calibration_study/study.csv

Columns: the polynomial as typed and canonical, p, alpha, its category and half (the
seeded split by polynomial of study.py), the classifier's binary verdict, the structure
(symmetry group order, class coverage at alpha, majority share, class/fibre gain) and the
observed test accuracy (mean and spread over seeds). No fitting happens here.

A case can have runs under several configurations (width 128 first, width 500 at p = 59
and 97, longer caps from ``study.py --extend``). Its row uses the runs closest to the
default recipe (width 500, 2000 steps): the widest runs, and among those the cap closest
to 2000 steps at which every seed settled (stopped by the settle rule before the cap),
else the cap closest to 2000 (at p = 23 the study's 4000 before the 16000-step reruns).
Column ``settled``: 1 when the chosen runs all settled.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import study  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability.graded import table_structure  # noqa: E402

FIELDS = [
    "typed",
    "poly",
    "p",
    "alpha",
    "category",
    "half",
    "seeds",
    "learnable",
    "group_order",
    "structure",
    "majority",
    "lines",
    "coverage",
    "coverage2",
    "coverage3",
    "gain",
    "observed",
    "observed_min",
    "observed_max",
    "train_accuracy",
    "steps_run",
    "width",
    "cap",
    "settled",
]


def typed_of(text: str) -> str:
    """The study's name of a member (x*y^(p-2) is x/y)."""
    return "x/y" if text.startswith("x*y^") and text[4:].isdigit() else text


def settled(runs: list[tuple]) -> bool:
    """Whether every run stopped by the settle rule, before its cap (steps_run < cap)."""
    return all(r[7] < r[9] for r in runs)


def nearest_default(runs: list[tuple]) -> list[tuple]:
    """The runs of one configuration: the widest; among its caps, those whose runs all
    settled, else all; of these the cap nearest 2000 steps (the default recipe's)."""
    width = max(r[8] for r in runs)
    by_cap: dict[int, list[tuple]] = {}
    for r in runs:
        if r[8] == width:
            by_cap.setdefault(r[9], []).append(r)
    caps = [c for c, rs in by_cap.items() if settled(rs)] or list(by_cap)
    return by_cap[min(caps, key=lambda c: abs(math.log(c / 2000)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="calibration.sqlite")
    parser.add_argument("--csv", default=str(Path(__file__).parent / "study.csv"))
    args = parser.parse_args()
    conn = sqlite3.connect(args.db)
    rows = conn.execute(
        "SELECT typed, poly, p, alpha, predicted, observed_test_accuracy, "
        "observed_train_accuracy, steps_run, config FROM results ORDER BY p, typed, alpha, seed"
    ).fetchall()
    groups: dict[tuple[str, int, float], list[tuple]] = {}
    for row in rows:
        config = json.loads(row[8])
        groups.setdefault((row[0], row[2], row[3]), []).append(
            (*row[:8], int(config["width"]), int(config["steps"]))
        )
    for key, runs in groups.items():
        groups[key] = nearest_default(runs)
    structures: dict[tuple[str, int], object] = {}
    out = []
    for (typed, p, alpha), runs in groups.items():
        name = typed_of(typed)
        if (typed, p) not in structures:
            P = pc.parse(f"{typed} mod {p}", variables=("x", "y"))
            structures[typed, p] = table_structure(P.table())
        S = structures[typed, p]
        observed = [r[5] for r in runs]
        out.append(
            {
                "typed": name,
                "poly": runs[0][1],
                "p": p,
                "alpha": alpha,
                "category": study.category(name),
                "half": "held_out" if study.held_out(name) else "modelling",
                "seeds": len(runs),
                "learnable": runs[0][4],
                "group_order": S.group.order,
                "structure": S.describe(),
                "majority": round(S.majority_share, 5),
                "lines": round(S.coverage(alpha, lines_only=True), 5),
                "coverage": round(S.coverage(alpha), 5),
                "coverage2": round(S.coverage(alpha, seen=2), 5),
                "coverage3": round(S.coverage(alpha, seen=3), 5),
                "gain": round(S.gain, 5),
                "observed": round(sum(observed) / len(observed), 5),
                "observed_min": round(min(observed), 5),
                "observed_max": round(max(observed), 5),
                "train_accuracy": round(sum(r[6] for r in runs) / len(runs), 5),
                "steps_run": max(r[7] for r in runs),
                "width": runs[0][8],
                "cap": runs[0][9],
                "settled": int(settled(runs)),
            }
        )
    with open(args.csv, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} cases ({len(rows)} runs) to {args.csv}")


if __name__ == "__main__":
    main()

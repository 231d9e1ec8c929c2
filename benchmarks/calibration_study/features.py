"""Turn the calibration database into the study CSV (one row per polynomial, p, alpha).

    PYTHONPATH=. python benchmarks/calibration_study/features.py --db calibration.sqlite \
        --csv benchmarks/calibration_study/study.csv

Columns: the polynomial as typed and canonical, p, alpha, its category and half (the
seeded split by polynomial of study.py), the classifier's binary verdict, the structure
(symmetry group order, class coverage at alpha, majority share, class/fibre gain, the last
two also without the one-input twists, the gain's factor from symmetries of order > 2
(linked.Structure.higher_order_gain), the coverage with the twists of higher order too
and their factor (``coverage_twisted``, ``twist_gain``; ``paired_twists`` 1 when they
move both inputs, linked.Structure.paired_twists; ``quotient_alpha`` the fraction of the
table of repeated lines that training covers where symmetries link its fibres,
linked.Structure.quotient_alpha; ``homogeneous_on_axes`` 1 for a homogeneous form about a
centre whose row and column are constant, without symmetries of order > 2,
linked.Structure.homogeneous_on_axes; ``affine_coverage`` the coverage by lines that are
affine images of one bijection with scales in a coset, linked.Structure.coset_coverage,
and ``affine_order`` the coset's order, for a table that is not decomposable); for a
decomposable table the
outer function's stabiliser and value collapse, outer.Outer, and for a table f = h(q) that is not
decomposable the same of an h that merges values, graded.merging_outer) and the observed
test accuracy (mean and spread over seeds). No fitting happens here.

A case can have runs under several configurations (width 128 first, width 500 at p = 59
and 97, longer caps from ``study.py --extend``, a longer settle window from
``settle_check.py``). Its row uses the runs closest to the default recipe (width 500, 2000
steps) that measure a plateau: the widest runs; among those the longest settle window (a
short one stops slow risers); among those the cap closest to 2000 steps at which every
seed settled (stopped by the settle rule before the cap), else the cap closest to 2000 (at
p = 23 the study's 4000 before the 16000-step reruns). Column ``settled``: 1 when the
chosen runs all settled; ``settle``: the window of the chosen runs, in evaluations.

Every run read is also kept in ``runs.csv`` (one row per run, merged on each call), so the
runs outlive the database. ``--base CSV`` (an earlier study.csv, for cases whose runs are in
no database and no runs.csv: those of the sessions before runs.csv existed): each of its rows
counts as one more configuration of its case, chosen by the same rule, and its measured
columns are copied when chosen (the structure columns are computed anew); cases with no runs
keep their row. So runs added to a new database (more
polynomials, longer caps) fold into the stored study.
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
from polyclass.learnability.graded import merging_outer  # noqa: E402
from polyclass.learnability.linked import table_structure  # noqa: E402
from polyclass.learnability.outer import NO_OUTER, certificate_outer, composition  # noqa: E402

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
    "coverage_untwisted",
    "gain_untwisted",
    "higher_gain",
    "coverage_twisted",
    "twist_gain",
    "paired_twists",
    "quotient_alpha",
    "homogeneous_on_axes",
    "affine_coverage",
    "affine_order",
    "outer_stabiliser",
    "outer_collapse",
    "observed",
    "observed_min",
    "observed_max",
    "train_accuracy",
    "steps_run",
    "width",
    "cap",
    "settled",
    "settle",
]


def typed_of(text: str) -> str:
    """The study's name of a member (x*y^(p-2) is x/y)."""
    return "x/y" if text.startswith("x*y^") and text[4:].isdigit() else text


def stopped_by_rule(steps_run: int, cap: int) -> bool:
    """Whether a run stopped by the settle rule: before its step cap."""
    return steps_run < cap


def settled(runs: list[tuple]) -> bool:
    """Whether every run stopped by the settle rule, before its cap."""
    return all(stopped_by_rule(r[7], r[9]) for r in runs)


def choose(configs: dict[tuple[int, int, int], bool]) -> tuple[int, int, int]:
    """The (width, cap, settle window) nearest the default recipe, from each one's settled
    flag: the widest; of its runs, the longest settle window; among its caps, those whose
    runs all settled, else all; of these the cap nearest 2000 steps (the default recipe's)
    by log distance."""
    width = max(w for w, _, _ in configs)
    window = max(k for w, _, k in configs if w == width)
    caps = [c for w, c, k in configs if (w, k) == (width, window)]
    caps = [c for c in caps if configs[width, c, window]] or caps
    return width, min(caps, key=lambda c: abs(math.log(c / 2000))), window


def by_config(runs: list[tuple]) -> dict[tuple[int, int, int], list[tuple]]:
    out: dict[tuple[int, int, int], list[tuple]] = {}
    for r in runs:
        out.setdefault((r[8], r[9], r[11]), []).append(r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", nargs="+", default=["calibration.sqlite"], help="databases")
    parser.add_argument("--csv", default=str(Path(__file__).parent / "study.csv"))
    parser.add_argument("--base", help="an earlier study CSV whose rows stay candidates")
    parser.add_argument(
        "--runs",
        default=str(Path(__file__).parent / "runs.csv"),
        help="one row per run: the database's runs are merged into it and read from it",
    )
    args = parser.parse_args()
    runs = load_runs(args.db, args.runs)
    groups: dict[tuple[str, int, float], list[tuple]] = {}
    for run in runs:
        groups.setdefault((typed_of(run[0]), run[2], run[3]), []).append(run)
    base: dict[tuple[str, int, float], dict] = {}
    if args.base:
        with open(args.base, newline="") as fh:
            for r in csv.DictReader(fh):
                base[r["typed"], int(r["p"]), float(r["alpha"])] = r
    structures: dict[tuple[str, int], tuple] = {}
    out = []
    kept = 0
    for key in sorted(set(groups) | set(base), key=lambda k: (k[1], k[0], k[2])):
        configs = by_config(groups.get(key, []))
        settled_flags = {k: settled(rs) for k, rs in configs.items()}
        if key in base:
            old = base[key]
            old_config = (int(old["width"]), int(old["cap"]), study.settle_window(old))
            settled_flags.setdefault(old_config, old["settled"] == "1")
        chosen = choose(settled_flags)
        if chosen not in configs:
            old = base[key]
            columns = structure_columns(
                old["typed"], int(old["p"]), float(old["alpha"]), old["learnable"], structures
            )
            out.append({**old, "settle": study.settle_window(old), **columns})
            kept += 1
            continue
        out.append(case_row(key, configs[chosen], structures))
    with open(args.csv, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} cases ({len(runs)} runs, {kept} rows kept from --base) to {args.csv}")


RUN_FIELDS = [
    "typed",
    "poly",
    "p",
    "alpha",
    "predicted",
    "test_accuracy",
    "train_accuracy",
    "steps_run",
    "width",
    "cap",
    "seed",
    "settle",
]


def load_runs(dbs: list[str], path: str) -> list[tuple]:
    """Every run: the runs CSV (the record kept in the repository, which outlives any
    database) with the databases' runs merged in and written back. Each run is a tuple in
    RUN_FIELDS order; a run of a database replaces the row with its key (case, seed,
    width, cap)."""
    known: dict[tuple, tuple] = {}
    if Path(path).exists():
        with open(path, newline="") as fh:
            for r in csv.DictReader(fh):
                run = (
                    r["typed"],
                    r["poly"],
                    int(r["p"]),
                    float(r["alpha"]),
                    int(r["predicted"]),
                    float(r["test_accuracy"]),
                    float(r["train_accuracy"]),
                    int(r["steps_run"]),
                    int(r["width"]),
                    int(r["cap"]),
                    int(r["seed"]),
                    study.settle_window(r),
                )
                known[run_key(run)] = run
    rows = []
    for db in dbs:
        if Path(db).exists():
            conn = sqlite3.connect(db)
            rows += conn.execute(
                "SELECT typed, poly, p, alpha, predicted, observed_test_accuracy, "
                "observed_train_accuracy, steps_run, config, seed FROM results"
            ).fetchall()
            conn.close()
    for row in rows:
        config = json.loads(row[8])
        run = (
            *row[:8],
            int(config["width"]),
            int(config["steps"]),
            row[9],
            int(config.get("settle", 0)),
        )
        known[run_key(run)] = run
    runs = sorted(known.values(), key=run_key)
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(RUN_FIELDS)
        writer.writerows(runs)
    return runs


def run_key(run: tuple) -> tuple:
    return (run[2], run[0], run[3], run[8], run[9], run[10], run[11])


def structure_columns(
    typed: str, p: int, alpha: float, learnable: object, cache: dict
) -> dict[str, object]:
    """The structure columns of a case (computed once per table and kept in ``cache``):
    symmetry group, coverages, gain (linked.table_structure; ``coverage_untwisted`` and
    ``gain_untwisted`` without the one-input twists, as the models before them read) and,
    for a decomposable table, its outer function (outer.Outer of the certificate the
    classifier gives; neutral over a product of groups); for another table ``f = h(q)``
    whose h merges values of a ``q`` without one-input twists, h's (graded.merging_outer);
    empty otherwise."""
    if (typed, p) not in cache:
        P = pc.parse(f"{study.member(typed, p)} mod {p}", variables=("x", "y"))
        if str(learnable) == "1":
            outer = certificate_outer(pc.classify(P).certificate)
        else:
            merging = merging_outer(composition(P))
            outer = merging if merging != NO_OUTER else None
        S = table_structure(P.table())
        plain = table_structure(P.table(), twists=False) if S.twists else S
        cache[typed, p] = (S, plain, outer)
    S, plain, outer = cache[typed, p]
    learn = str(learnable)
    return {
        "group_order": S.group.order,
        "structure": S.describe(),
        "majority": round(S.majority_share, 5),
        "lines": round(S.coverage(alpha, lines_only=True), 5),
        "coverage": round(S.coverage(alpha), 5),
        "coverage2": round(S.coverage(alpha, seen=2), 5),
        "coverage3": round(S.coverage(alpha, seen=3), 5),
        "gain": round(S.gain, 5),
        "coverage_untwisted": round(plain.coverage(alpha), 5),
        "gain_untwisted": round(plain.gain, 5),
        "higher_gain": round(S.higher_order_gain, 5),
        "coverage_twisted": round(S.coverage(alpha, twisted=True), 5),
        "twist_gain": round(S.twist_gain, 5),
        "paired_twists": int(S.paired_twists),
        "quotient_alpha": round(S.quotient_alpha(alpha), 5),
        "homogeneous_on_axes": int(S.homogeneous_on_axes),
        "affine_coverage": round(C, 5) if (C := S.coset_coverage(alpha)) and learn != "1" else "",
        "affine_order": S.coset.order if S.coset and learn != "1" else "",
        "outer_stabiliser": outer.stabiliser if outer else "",
        "outer_collapse": round(outer.collapse, 5) if outer else "",
    }


def case_row(key: tuple[str, int, float], runs: list[tuple], structures: dict) -> dict:
    """The CSV row of one case from its chosen runs."""
    name, p, alpha = key
    observed = [r[5] for r in runs]
    return {
        "typed": name,
        "poly": runs[0][1],
        "p": p,
        "alpha": alpha,
        "category": study.category(name),
        "half": study.half(name),
        "seeds": len(runs),
        "learnable": runs[0][4],
        **structure_columns(runs[0][0], p, alpha, runs[0][4], structures),
        "observed": round(sum(observed) / len(observed), 5),
        "observed_min": round(min(observed), 5),
        "observed_max": round(max(observed), 5),
        "train_accuracy": round(sum(r[6] for r in runs) / len(runs), 5),
        "steps_run": max(r[7] for r in runs),
        "width": runs[0][8],
        "cap": runs[0][9],
        "settled": int(settled(runs)),
        "settle": runs[0][11],
    }


if __name__ == "__main__":
    main()

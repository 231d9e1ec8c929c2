"""Is a settled outcome final? Rerun settled cases with a stricter settle rule.

    PYTHONPATH=. python benchmarks/calibration_study/settle_check.py --db settle.sqlite \
        --primes 23 [--window 200 --factor 4]

The study stops a run once it is *settled*: train accuracy 100% and test accuracy within 1
point over the last 20 evaluations (200 steps). Grokking can start after a long plateau,
and a slow rise (under a point per 200 steps) looks settled too. This reruns, with the
same seeds and recipe, every case of the study CSV at the given primes (of ``--halves``,
default all) that the study's rule settled (study.settle_window = study.SETTLE_K) with
observed test accuracy between ``--low`` and ``--high``, with a settle window of
``--window`` evaluations and a cap of ``--steps``, else ``--factor`` times the study's cap
(at most ``--max-steps``), into its own database, and prints both outcomes per case and
how many moved by more than 0.05 and 0.10. Resumable: finished jobs are skipped, and cases
whose rerun was folded into the CSV (features.py; their ``settle`` is the longer window)
are not chosen again.

The first check (``--window 200 --factor 4``, p = 23, partial cases) stayed out of the
study. The rerun of the settled cases below 0.95 with the long window (``--window 100
--steps 4000 --low 0 --high 0.95``, study.RESETTLE_K) replaces the study's runs of each
case it covers (features.py reads a case from its longest window; docs/src/calibration.md,
"The study").
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import study  # noqa: E402

import polyclass as pc  # noqa: E402


def cases(
    path: str, p: int, low: float, high: float, halves: Iterable[str] | None = None
) -> list[dict[str, str]]:
    """The cases at p (of ``halves`` when given) that the study's settle rule settled with
    observed test accuracy in [low, high]."""
    with open(path, newline="") as fh:
        return [
            r
            for r in csv.DictReader(fh)
            if int(r["p"]) == p
            and (halves is None or r["half"] in halves)
            and r["settled"] == "1"
            and study.settle_window(r) == study.SETTLE_K
            and low <= float(r["observed"]) <= high
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="settle.sqlite")
    parser.add_argument("--csv", default=str(Path(__file__).parent / "study.csv"))
    parser.add_argument("--primes", default="23")
    parser.add_argument("--window", type=int, default=200, help="settle window (evaluations)")
    parser.add_argument("--factor", type=int, default=4, help="cap: this many times the study's")
    parser.add_argument("--max-steps", type=int, default=16000, help="no cap above this")
    parser.add_argument("--steps", type=int, default=0, help="the cap (instead of --factor)")
    parser.add_argument("--halves", help="only the cases of these halves/sets (commas)")
    parser.add_argument("--alphas", help="only the cases at these alphas (commas)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=0,
        help="models per batched program (default study.BATCH by p); a model the rule stops "
        "leaves its batch (before 2026-12-02 it computed until the batch ended: batches of 2)",
    )
    parser.add_argument("--low", type=float, default=0.1)
    parser.add_argument("--high", type=float, default=0.95)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report", action="store_true", help="only print the comparison")
    args = parser.parse_args()
    for p in (int(q) for q in args.primes.split(",")):
        halves = args.halves.split(",") if args.halves else None
        chosen = cases(args.csv, p, args.low, args.high, halves)
        if args.alphas:
            wanted = {float(a) for a in args.alphas.split(",")}
            chosen = [r for r in chosen if float(r["alpha"]) in wanted]
        groups: dict[tuple[float, int, int], list[str]] = {}
        for r in chosen:
            key = (float(r["alpha"]), int(r["width"]), int(r["cap"]))
            groups.setdefault(key, []).append(study.member(r["typed"], p))
        if not args.report:
            for (alpha, width, cap), texts in sorted(groups.items()):
                spec = f"settle check p={p}, window {args.window}"
                family = study.study_family(texts, p, (alpha,), spec)
                summary = pc.sweep(
                    family,
                    db=args.db,
                    seeds=int(chosen[0]["seeds"]),
                    workers=args.workers,
                    progress=False,
                    batch_size=args.batch_size or study.BATCH.get(p, 8),
                    width=width,
                    steps=args.steps or min(cap * args.factor, args.max_steps),
                    settle=args.window,
                    early_stop=False,
                )
                print(f"p={p} alpha={alpha} width {width} from cap {cap}: {summary}", flush=True)
        report(args.db, chosen, p)


def report(db: str, chosen: list[dict[str, str]], p: int) -> None:
    """Per case: the study's outcome and the stricter rerun's (mean over seeds, steps)."""
    runs: dict[tuple[str, float], list[tuple[float, int, int]]] = {}
    for typed, alpha, acc, steps_run, config in study.db_rows(
        db,
        "SELECT typed, alpha, observed_test_accuracy, steps_run, config FROM results WHERE p = ?",
        p,
    ):
        cap = int(json.loads(config)["steps"])
        runs.setdefault((typed, alpha), []).append((acc, steps_run, cap))
    moved = [0, 0]
    done = 0
    print(f"== p = {p}: {len(chosen)} settled cases with partial test accuracy ==")
    for r in chosen:
        rerun = runs.get((study.member(r["typed"], p), float(r["alpha"])))
        if not rerun:
            continue
        done += 1
        after = sum(a for a, _, _ in rerun) / len(rerun)
        capped = sum(s >= c for _, s, c in rerun)
        delta = after - float(r["observed"])
        moved[0] += abs(delta) > 0.05
        moved[1] += abs(delta) > 0.10
        print(
            f"  {r['typed']} alpha={r['alpha']}: study {float(r['observed']):.2f} "
            f"({r['steps_run']} steps), rerun {after:.2f} "
            f"({max(s for _, s, _ in rerun)} steps, {capped} of {len(rerun)} seeds capped)"
        )
    print(f"rerun {done}; moved by > 0.05: {moved[0]}, by > 0.10: {moved[1]}")


if __name__ == "__main__":
    main()

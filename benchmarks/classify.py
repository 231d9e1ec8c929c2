"""Time pc.classify on the functions of LEARNABILITY.md beside a plain backtracking baseline.

    .venv/bin/python benchmarks/classify.py            # p = 97 and 1009, 5 s cap each
    .venv/bin/python benchmarks/classify.py 1009 --cap 2 --json out.json

Each case is classified from its bare value table (the harder path: no symbolic help) and,
for polynomials, from its text. The baseline is :func:`polyclass.learnability.brute.backtrack`
(rows then columns of the reduced table, values in increasing order) deciding the ``Z_p``
question under the same time cap. Reported: verdict, seconds, the baseline's outcome and
seconds, the ratio baseline / classifier, and how many cases each decided.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

import polyclass as pc
from polyclass.learnability.brute import backtrack
from polyclass.learnability.tables import reduce_table

POLYNOMIALS = [
    ("(4*x + y^2)^3", True),
    ("(2*x + 3*y)^4", True),
    ("(5*x^3 + 2*y^4)^2", True),
    ("x^2 + y^2", True),
    ("x*y", True),
    ("x*y + x + y", True),
    ("x^2*y^2 + x^2 + y^2", True),
    ("(4*x + y^2)^3 + x*y", False),
    ("(2*x + 3*y)^4 - x^2", False),
    ("(5*x^3 + 2*y^4)^2 - y", False),
    ("x^2 + x*y + y^2", False),
    ("x^3 + x*y", False),
    ("x^3 + x*y^2 + y", False),
    ("x^2 + x*y + y^2 + x", False),
    ("2*x^4*y + x^2*y^2 + 3*x*y^3", False),
]


def planted(p: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g1, g2, h = rng.permutation(p), rng.permutation(p), rng.integers(0, p, p)
    return h[(g1[:, None] + g2[None, :]) % p]


def swapped(T: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    p = T.shape[0]
    while True:
        i, k = (int(v) for v in rng.choice(p, 2, replace=False))
        for j in rng.permutation(p)[:64].tolist():
            hits = np.flatnonzero((T[k] == T[i, j]) & (T[i] != T[i, j]) & (T[k, j] == T[i]))
            if hits.size:
                U = T.copy()
                c = int(hits[0])
                U[i, j], U[i, c], U[k, j], U[k, c] = T[i, c], T[i, j], T[k, c], T[k, j]
                return U


def cases(p: int) -> list[tuple[str, np.ndarray, bool, str | None]]:
    out: list[tuple[str, np.ndarray, bool, str | None]] = []
    for text, learnable in POLYNOMIALS:
        out.append((text, pc.parse(text, p=p).table(), learnable, text))
    for seed in range(2):
        T = planted(p, seed)
        out.append((f"planted h(g1+g2) #{seed}", T, True, None))
        out.append((f"2x2 swap of planted #{seed}", swapped(T, seed), False, None))
    out.append(("random table", np.random.default_rng(p).integers(0, p, (p, p)), False, None))
    return out


def run(p: int, cap: float) -> list[dict[str, object]]:
    rows = []
    for name, table, expected, text in cases(p):
        t0 = time.perf_counter()
        V = pc.classify(table, p=p, time_budget=cap)
        t_table = time.perf_counter() - t0
        t_text = None
        if text is not None:
            t0 = time.perf_counter()
            pc.classify(f"{text} mod {p}", time_budget=cap)
            t_text = time.perf_counter() - t0
        t0 = time.perf_counter()
        status, _, nodes = backtrack(reduce_table(table).table, p, cap)
        t_base = time.perf_counter() - t0
        rows.append(
            {
                "p": p,
                "case": name,
                "expected": expected,
                "learnable": V.learnable,
                "method": V.method,
                "seconds_table": round(t_table, 3),
                "seconds_text": None if t_text is None else round(t_text, 3),
                "baseline": status,
                "baseline_seconds": round(t_base, 3),
                "baseline_nodes": nodes,
                "ratio": round(t_base / t_table, 1),
            }
        )
        r = rows[-1]
        mark = "ok" if V.learnable is expected else ("??" if V.learnable is None else "WRONG")
        print(
            f"{name:30s} {mark:5s} {V.learnable!s:5s} {t_table:6.2f}s "
            f"{'' if t_text is None else f'(text {t_text:5.2f}s)':14s} "
            f"baseline {status:7s} {t_base:6.2f}s  ratio {r['ratio']:>6}  [{V.method}]",
            flush=True,
        )
    decided = sum(r["learnable"] is not None for r in rows)
    right = sum(r["learnable"] is r["expected"] for r in rows)
    base = sum(r["baseline"] != "timeout" for r in rows)
    slowest = max(float(r["seconds_table"]) for r in rows)  # type: ignore[arg-type]
    print(
        f"p = {p}: classifier decided {decided}/{len(rows)} ({right} right), slowest "
        f"{slowest:.2f}s; baseline (Z_p only) decided {base}/{len(rows)} within {cap:g}s\n",
        flush=True,
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("primes", nargs="*", type=int, default=[97, 1009])
    parser.add_argument("--cap", type=float, default=5.0, help="time cap per case, seconds")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    rows = [row for p in args.primes for row in run(p, args.cap)]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

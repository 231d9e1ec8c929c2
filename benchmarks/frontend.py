"""Front-end speed: parse + exact table + decompose, against plain SymPy evaluation.

The baseline evaluates the same polynomial over all p^2 inputs with SymPy's
``Poly(...).eval`` (the obvious way without polyclass). Both are timed in this run and
the ratio is printed. Usage: ``python benchmarks/frontend.py [--primes 97 1009]``.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import sympy

import polyclass as pc
from polyclass.paper import APPENDIX_B, APPENDIX_C

PAPER = [text for text, _ in APPENDIX_C + APPENDIX_B]


def polyclass_time(text: str, p: int) -> tuple[float, np.ndarray, str]:
    start = time.perf_counter()
    P = pc.parse(text, p=p)
    table = P.table()
    form = pc.decompose(P).form
    return time.perf_counter() - start, table, form


def sympy_time(text: str, p: int, max_cells: int) -> tuple[float, int]:
    """Seconds per cell of SymPy evaluation (timed on up to max_cells cells)."""
    n1, n2 = sympy.symbols("n1 n2")
    expr = sympy.sympify(text.replace("^", "**"), locals={"n1": n1, "n2": n2})
    start = time.perf_counter()
    poly = sympy.Poly(expr, n1, n2, modulus=p)
    cells = 0
    for a, b in itertools.islice(itertools.product(range(p), repeat=2), max_cells):
        poly.eval({n1: a, n2: b})
        cells += 1
    return (time.perf_counter() - start) / cells, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--primes", type=int, nargs="+", default=[97, 1009])
    parser.add_argument("--sympy-cells", type=int, default=3000, help="cells timed for SymPy")
    args = parser.parse_args()
    polyclass_time(PAPER[0], 23)  # warm-up: first-call imports are not part of the work
    print(
        f"{'polynomial':42} {'p':>5} {'form':>12} {'polyclass s':>12} {'sympy s (all)':>14} ratio"
    )
    for p in args.primes:
        for text in PAPER:
            ours, table, form = polyclass_time(text, p)
            per_cell, timed = sympy_time(text, p, args.sympy_cells)
            theirs = per_cell * p * p  # extrapolated from `timed` cells when p^2 is larger
            note = "" if timed == p * p else f" (extrapolated from {timed} cells)"
            row = f"{text:42} {p:>5} {form:>12} {ours:12.4f} {theirs:14.2f}"
            print(row, f"{theirs / ours:6.0f}x{note}")


if __name__ == "__main__":
    main()

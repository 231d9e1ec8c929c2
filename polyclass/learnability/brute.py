"""Plain backtracking for ``T = h(a + b)`` over ``Z_N``: the baseline and the exact fallback.

Deliberately simple, so that it can serve as the independent reference in tests and as the
brute-force baseline in ``benchmarks/classify.py``: rows, then columns, of the *reduced*
table are given values in ``Z_N`` in increasing order; a value is accepted when it is not
used by another row (column) and agrees with every entry of ``h`` fixed so far. The only
normalisations are ``a[0] = 0`` and ``b[0] = 0`` (translations), and ``a[1] = 1`` when ``N``
is prime (scaling by a unit); all are valid for every decomposition.
"""

from __future__ import annotations

import time

import numpy as np

from ..field import is_prime
from .tables import IntArray


def backtrack(
    R: IntArray, N: int, time_limit: float
) -> tuple[str, tuple[IntArray, IntArray] | None, int]:
    """Exhaustive search on a reduced table.

    Returns ``("yes", (a, b), nodes)``, ``("no", None, nodes)`` when every assignment was
    tried, or ``("timeout", None, nodes)``.
    """
    m, n = R.shape
    deadline = time.perf_counter() + time_limit
    order = [("a", i) for i in range(m)] + [("b", j) for j in range(n)]
    a = [-1] * m
    b = [-1] * n
    h = [-1] * N
    nodes = 0
    rows = [[int(v) for v in row] for row in R]

    class _Stop(Exception):
        pass

    def place(kind: str, k: int, u: int) -> list[int] | None:
        """Fix a[k] or b[k] = u; return the newly set entries of h, or None on a clash."""
        new: list[int] = []
        if kind == "a":
            pairs = [(u + b[j], rows[k][j]) for j in range(n) if b[j] >= 0]
        else:
            pairs = [(a[i] + u, rows[i][k]) for i in range(m) if a[i] >= 0]
        for s, v in pairs:
            s %= N
            if h[s] < 0:
                h[s] = v
                new.append(s)
            elif h[s] != v:
                for t in new:
                    h[t] = -1
                return None
        return new

    def solve(pos: int) -> bool:
        nonlocal nodes
        nodes += 1
        if pos == len(order):
            return True
        kind, k = order[pos]
        current = a if kind == "a" else b
        if kind == "a" and k == 0 or kind == "b" and k == 0:
            candidates: range | list[int] = [0]
        elif kind == "a" and k == 1 and is_prime(N):
            candidates = [1]
        else:
            candidates = range(N)
        used = set(current)
        for u in candidates:
            if u in used:
                continue
            if time.perf_counter() > deadline:
                raise _Stop
            new = place(kind, k, u)
            if new is None:
                continue
            current[k] = u
            if solve(pos + 1):
                return True
            current[k] = -1
            for t in new:
                h[t] = -1
        return False

    try:
        found = solve(0)
    except _Stop:
        return "timeout", None, nodes
    except RecursionError:  # pragma: no cover - tables beyond ~900 lines
        return "timeout", None, nodes
    if not found:
        return "no", None, nodes
    return "yes", (np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)), nodes

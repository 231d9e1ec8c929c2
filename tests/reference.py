"""Independent references for the tests: plain Python integer arithmetic, never polyclass."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np


def table_of(fn: Callable[..., int], p: int, nvars: int) -> np.ndarray:
    """Value table of ``fn`` (Python ints in, any int out), reduced mod p, shape (p,)*nvars."""
    out = np.empty((p,) * nvars, dtype=np.int64)
    for point in itertools.product(range(p), repeat=nvars):
        out[point] = fn(*point) % p
    return out


def eval_terms(terms: dict[tuple[int, ...], int], point: Sequence[int], p: int) -> int:
    """sum_c c * prod x_s^e_s mod p with Python's pow (0^0 = 1)."""
    total = 0
    for exps, c in terms.items():
        value = c
        for x, e in zip(point, exps, strict=True):
            value = value * pow(x, e, p) % p
        total += value
    return total % p


def terms_text(terms: dict[tuple[int, ...], int], names: Sequence[str]) -> str:
    """Text such as '3*x^2*y + -5*y' for a dict of terms (coefficients as given)."""
    parts = []
    for exps, c in terms.items():
        factors = [f"{v}^{e}" for v, e in zip(names, exps, strict=True) if e]
        parts.append("*".join([f"({c})", *factors]))
    return " + ".join(parts) or "0"


def coset_orders(table: Sequence[Sequence[int]], p: int) -> set[tuple[int, int]]:
    """(axis, order) for each axis along which every line of the table (axis 0: every
    column, a function of x; axis 1: every row) is ``a c + b`` for a line c that takes p
    values, with the nonzero a over the lines exactly a coset of a multiplicative subgroup
    of order below p - 1 (its order); plain integer arithmetic, a and b solved from two
    cells of c and checked on every cell."""
    found = set()
    rows = [list(r) for r in table]
    for axis in (0, 1):
        lines = [[rows[x][y] for x in range(p)] for y in range(p)] if axis == 0 else rows
        base = next((c for c in lines if len(set(c)) == p), None)
        if base is None:
            continue
        inverse = pow((base[1] - base[0]) % p, p - 2, p)
        scales = []
        for line in lines:
            a = (line[1] - line[0]) * inverse % p
            b = (line[0] - a * base[0]) % p
            if any(v != (a * t + b) % p for t, v in zip(base, line, strict=True)):
                break
            scales.append(a)
        else:
            S = {a for a in scales if a}
            s0 = min(S)
            H = {a * pow(s0, p - 2, p) % p for a in S}
            closed = all(h * k % p in H for h in H for k in H)
            if closed and len(H) < p - 1:
                found.add((axis, len(H)))
    return found

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

"""Sparse multivariate polynomials over GF(p) as pure functions.

A polynomial is a dict ``{exponent tuple: coefficient}`` with coefficients in ``[1, p)``
(zero terms are dropped). Arithmetic is in the ring of polynomial *functions*, where
``x^p = x``: exponents ``e >= p`` are reduced to ``(e - 1) mod (p - 1) + 1``. Every function
``Z_p^S -> Z_p`` has exactly one such reduced polynomial, so two reduced polynomials are
equal exactly when they define the same function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt

from .field import power_table, powmod_array, reduce_exponent
from .tree import Algebra

#: Largest table of all powers ``x^e`` (e up to the degree) `evaluate_table` makes (32 MiB);
#: above it each power is computed on its own.
POWER_TABLE_CELLS = 2**22

Terms = dict[tuple[int, ...], int]


class ExpansionTooLarge(Exception):
    """Internal: symbolic expansion exceeded its work budget."""


def _reduce_exps(exps: tuple[int, ...], p: int) -> tuple[int, ...]:
    return tuple(e if e < p else reduce_exponent(e, p) for e in exps)


def constant(c: int, nvars: int, p: int) -> Terms:
    c %= p
    return {(0,) * nvars: c} if c else {}


def add(a: Terms, b: Terms, p: int) -> Terms:
    out = dict(a)
    for e, c in b.items():
        v = (out.get(e, 0) + c) % p
        if v:
            out[e] = v
        else:
            out.pop(e, None)
    return out


def neg(a: Terms, p: int) -> Terms:
    return {e: (-c) % p for e, c in a.items()}


def scale(a: Terms, k: int, p: int) -> Terms:
    k %= p
    return {e: c * k % p for e, c in a.items()} if k else {}


def mul(a: Terms, b: Terms, p: int, budget: list[int] | None = None) -> Terms:
    """Product in the reduced ring; ``budget[0]`` counts down the work left."""
    if budget is not None:
        budget[0] -= len(a) * len(b)
        if budget[0] < 0:
            raise ExpansionTooLarge
    out: Terms = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            e = _reduce_exps(tuple(x + y for x, y in zip(ea, eb, strict=True)), p)
            out[e] = (out.get(e, 0) + ca * cb) % p
    return {e: c for e, c in out.items() if c}


def power(a: Terms, e: int, nvars: int, p: int, budget: list[int] | None = None) -> Terms:
    """``a^e`` as a function (the exponent is reduced with Fermat first)."""
    e = reduce_exponent(e, p)
    result = constant(1, nvars, p)
    base = a
    while e:
        if e & 1:
            result = mul(result, base, p, budget)
        e >>= 1
        if e:
            base = mul(base, base, p, budget)
    return result


def algebra(p: int, variables: tuple[str, ...], max_work: int) -> Algebra[Terms]:
    """Operations for evaluating a syntax tree into a reduced polynomial."""
    n = len(variables)
    index = {name: i for i, name in enumerate(variables)}
    budget = [max_work]

    def var(name: str) -> Terms:
        exps = [0] * n
        exps[index[name]] = 1
        return {tuple(exps): 1}

    return Algebra(
        num=lambda v: constant(v, n, p),
        var=var,
        add=lambda a, b: add(a, b, p),
        neg=lambda a: neg(a, p),
        mul=lambda a, b: mul(a, b, p, budget),
        power=lambda a, e: power(a, e, n, p, budget),
    )


def interpolate(table: npt.NDArray[np.int64], p: int) -> Terms:
    """Reduced polynomial of a value table of shape ``(p,)*S`` (needs p < 2^20).

    Along each axis, ``a_0 = f(0)`` and ``a_k = -sum_x f(x) x^(p-1-k)`` for ``1 <= k <= p-1``
    (from ``sum_x x^m = -1`` when ``(p-1) | m > 0`` and 0 otherwise).
    """
    pw = power_table(p, p - 1)  # pw[e, x] = x^e
    m = np.zeros((p, p), dtype=np.int64)
    m[0, 0] = 1
    m[1:] = (-pw[p - 2 :: -1][: p - 1]) % p  # row k: -x^(p-1-k)
    coeffs = np.asarray(table, dtype=np.int64)
    for axis in range(coeffs.ndim):
        coeffs = np.moveaxis(np.tensordot(m, coeffs, axes=([1], [axis])) % p, 0, axis)
    nz = np.argwhere(coeffs)
    return {tuple(int(i) for i in idx): int(coeffs[tuple(idx)]) for idx in nz}


def evaluate_table(terms: Terms, p: int, nvars: int) -> npt.NDArray[np.int64]:
    """Value table ``(p,)*nvars`` of a polynomial (monomial by monomial, vectorised)."""
    max_e = max((max(e, default=0) for e in terms), default=0)
    if (max_e + 1) * p <= POWER_TABLE_CELLS:  # every power of every residue, at once
        pw = power_table(p, max(max_e, 1))
        power: Callable[[int], npt.NDArray[np.int64]] = pw.__getitem__
    else:  # a high degree over a large field: each power on its own, O(p) memory
        grid = np.arange(p, dtype=np.int64)
        power = lambda e: powmod_array(grid, e, p)  # noqa: E731
    out = np.zeros((p,) * nvars, dtype=np.int64)
    for exps, c in terms.items():
        cell = np.asarray(c, dtype=np.int64)
        for axis, e in enumerate(exps):
            shape = [1] * nvars
            shape[axis] = p
            cell = cell * power(e).reshape(shape) % p
        out = (out + cell) % p
    return out


def univariate_values(coeffs: dict[int, int], p: int) -> npt.NDArray[np.int64]:
    """Values ``g(0), ..., g(p-1)`` of a univariate polynomial ``{exponent: coeff}``."""
    return evaluate_table({(e,): c for e, c in coeffs.items()}, p, 1)


def sorted_terms(
    terms: Terms | Iterable[tuple[tuple[int, ...], int]],
) -> list[tuple[tuple[int, ...], int]]:
    """Terms sorted by total degree, then lexicographically, highest first."""
    items = terms.items() if isinstance(terms, dict) else terms
    return sorted(items, key=lambda t: (sum(t[0]), t[0]), reverse=True)


def to_text(terms: Terms, variables: tuple[str, ...] | list[str]) -> str:
    """Readable text such as ``64*x^3 + 48*x^2*y^2 + 1`` (coefficients in [0, p))."""
    parts = []
    for exps, c in sorted_terms(terms):
        factors = [v if e == 1 else f"{v}^{e}" for v, e in zip(variables, exps, strict=True) if e]
        if not factors:
            parts.append(str(c))
        else:
            parts.append("*".join(([str(c)] if c != 1 else []) + factors))
    return " + ".join(parts) if parts else "0"

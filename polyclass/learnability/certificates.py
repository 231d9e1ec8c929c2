"""Independent re-checking of every certificate a `Verdict` carries.

Nothing here calls the classifier's algorithms: equal lines are compared directly, counts and
histograms are recomputed with plain Python, sums are evaluated anew. Exhausted searches are
re-run with the plain backtracking of `brute` (exact, small tables only).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..validation import as_table
from .brute import backtrack
from .tables import IntArray


def check_certificate(
    table: Any, p: int, certificate: dict[str, Any], time_limit: float = 20.0
) -> bool | None:
    """Re-verify ``certificate`` against ``table`` without trusting the classifier.

    Returns True when it holds, False when it does not, None when it cannot be checked within
    ``time_limit`` (only exhausted-search claims, re-run by plain backtracking).
    """
    T, p = as_table(table, p)
    return _check(T, p, certificate, time_limit)


def _check(T: IntArray, p: int, cert: dict[str, Any] | None, time_limit: float) -> bool | None:
    if cert is None:
        return False
    kind = cert.get("kind")
    if kind == "decomposition":
        return _check_decomposition(T, cert)
    if T.ndim != 2 and kind not in ("slice", "flatten", "not_learnable"):
        return False
    if kind == "fibre_bound":
        return _check_fibre(T, cert)
    if kind == "column_pair_histograms":
        return _check_histograms(T.T if cert.get("transposed") else T, cert)
    if kind == "exhausted_search":
        return _check_search(T, int(cert["group_order"]), time_limit)
    if kind == "multiplicative_template":
        return _check_template(T, p, cert, time_limit)
    if kind == "not_learnable":
        z_table, z_cert = _unwrap(T, cert.get("z_p"))
        m_table, m_cert = _unwrap(T, cert.get("multiplicative"))
        if z_cert is None or m_cert is None or _order(z_cert) != p:
            return False
        if m_cert.get("kind") == "fibre_bound":
            # refutes every group of that order, the template's Z_(p-1) x Z_3 included
            if _order(m_cert) < 3 * (p - 1):
                return False
        elif m_cert.get("kind") != "multiplicative_template":
            return False
        first = _check(z_table, p, z_cert, time_limit)
        if first is not True:
            return first
        return _check(m_table, p, m_cert, time_limit)
    if kind in ("slice", "flatten"):
        inner_table, inner = _unwrap(T, cert)
        return _check(inner_table, p, inner, time_limit)
    return False


def _unwrap(T: IntArray, cert: dict[str, Any] | None) -> tuple[IntArray, dict[str, Any] | None]:
    """The 2-D table a ``slice`` or ``flatten`` certificate refers to, and the one inside it.

    ``slice``: the other variables fixed (a sub-table of ``h(g_s + g_t + const)``);
    ``flatten``: variable ``axis`` against all others together, one column per assignment of
    the others (``h(g_axis + G)`` with ``G`` the sum of the rest; for the template the
    product of the rest). A 2-D refutation of either refutes the whole table.
    """
    while cert is not None and cert.get("kind") in ("slice", "flatten"):
        if cert["kind"] == "flatten":
            axis = int(cert["axis"])
            if not 0 <= axis < T.ndim or T.ndim < 2:
                return T, None
            moved = np.moveaxis(T, axis, 0)
            T = np.ascontiguousarray(moved.reshape(moved.shape[0], -1))
        else:
            s, t = (int(a) for a in cert["axes"])
            index: list[Any] = [int(cert["fixed"])] * T.ndim
            index[s] = slice(None)
            index[t] = slice(None)
            T = np.ascontiguousarray(T[tuple(index)])
        cert = cert.get("certificate")
    return T, cert


def _order(cert: dict[str, Any] | None) -> int:
    return -1 if cert is None else int(cert.get("group_order", -1))


def _check_decomposition(T: IntArray, cert: dict[str, Any]) -> bool:
    moduli = [int(n) for n in cert["group"]]
    g = [[int(v) for v in gs] for gs in cert["g"]]
    h = [int(v) for v in cert["h"]]
    order = 1
    for n in moduli:
        order *= n
    if len(g) != T.ndim or len(h) != order:
        return False
    # digits of every g value, then the sum digit by digit for each input
    for idx in np.ndindex(*T.shape):
        code, weight = 0, 1
        rests = [g[s][i] for s, i in enumerate(idx)]
        for n in moduli:
            code += (sum(r % n for r in rests) % n) * weight
            rests = [r // n for r in rests]
            weight *= n
        if h[code] != int(T[idx]):
            return False
    return True


def _distinct_lines(lines: IntArray) -> bool:
    """Whether the given lines (rows of ``lines``) are pairwise different."""
    seen = {tuple(int(v) for v in line) for line in lines}
    return len(seen) == len(lines)


def _check_fibre(T: IntArray, cert: dict[str, Any]) -> bool:
    total, values = 0, set()
    for e in cert["entries"]:
        v, cross = int(e["value"]), [int(c) for c in e["cross"]]
        if v in values or len(cross) != int(e["count"]) or len(set(cross)) != len(cross):
            return False
        values.add(v)
        line = T[int(e["index"])] if e["line"] == "row" else T[:, int(e["index"])]
        others = T.T if e["line"] == "row" else T  # lines crossing the witness
        if any(int(line[c]) != v for c in cross) or not _distinct_lines(others[cross]):
            return False
        total += len(cross)
    return total > int(cert["group_order"])


def _check_histograms(T: IntArray, cert: dict[str, Any]) -> bool:
    order = int(cert["group_order"])
    T = np.array(list(dict.fromkeys(tuple(int(v) for v in r) for r in T)), dtype=np.int64)
    if T.shape[0] != order:  # the claim needs exactly `order` distinct rows
        return False
    seen = set()
    for j, c in cert["pairs"]:
        if not _distinct_lines(T.T[[int(j), int(c)]]):
            return False
        hist = Counter(zip(T[:, int(j)].tolist(), T[:, int(c)].tolist(), strict=True))
        seen.add(frozenset(hist.items()))
    return len(seen) == len(cert["pairs"]) and len(seen) > order - 1


def _reduce(T: IntArray) -> IntArray:
    rows = list(dict.fromkeys(tuple(int(v) for v in r) for r in T))
    R = np.array(rows, dtype=np.int64)
    cols = list(dict.fromkeys(tuple(int(v) for v in c) for c in R.T))
    return np.array(cols, dtype=np.int64).T


def _check_search(T: IntArray, order: int, time_limit: float) -> bool | None:
    status, _, _ = backtrack(_reduce(T), order, time_limit)
    return {"no": True, "yes": False}.get(status)


def _constant_groups(T: IntArray) -> list[tuple[list[int], int]]:
    groups: dict[int, list[int]] = {}
    for x in range(T.shape[0]):
        if len(set(T[x].tolist())) == 1:
            groups.setdefault(int(T[x, 0]), []).append(x)
    return [(rows, v) for v, rows in groups.items()]


def _check_template(T: IntArray, p: int, cert: dict[str, Any], time_limit: float) -> bool | None:
    rows, cols = _constant_groups(T), _constant_groups(T.T)
    needed: set[tuple[tuple[int, ...], tuple[int, ...]]] = {((), ())}
    needed |= {(tuple(r), ()) for r, _ in rows} | {((), tuple(c)) for c, _ in cols}
    needed |= {(tuple(r), tuple(c)) for r, v in rows for c, w in cols if v == w}
    given = {}
    for case in cert["cases"]:
        key = (
            tuple(int(x) for x in case["zero_rows"]),
            tuple(int(y) for y in case["zero_columns"]),
        )
        given[key] = case["certificate"]
    if set(given) != needed:
        return False
    result: bool | None = True
    for (zr, zc), sub_cert in given.items():
        keep_r = [x for x in range(T.shape[0]) if x not in zr]
        keep_c = [y for y in range(T.shape[1]) if y not in zc]
        if not keep_r or not keep_c or _order(sub_cert) != p - 1:
            return False
        sub = np.ascontiguousarray(T[np.ix_(keep_r, keep_c)])
        ok = _check(sub, p, sub_cert, time_limit)
        if ok is False:
            return False
        if ok is None:
            result = None
    return result

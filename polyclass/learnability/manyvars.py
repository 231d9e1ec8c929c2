"""Tables of ``S > 2`` variables: flatten to two axes, then decide exactly.

If ``f = h(g_1(n_1) + ... + g_S(n_S))``, the table read as ``n_1`` against all of
``(n_2, ..., n_S)`` is the 2-D decomposition ``h(g_1(n_1) + G(n_2, ..., n_S))``; if
``f = F(phi_1(n_1) ... phi_S(n_S))``, it is the 2-D template ``F(phi_1 * Phi)``. So a 2-D
refutation of the flattened table refutes ``f`` (certificate kind ``flatten``), and 2-D maps
give ``g_1`` and ``G``; ``G`` is then split into univariate maps and the whole is checked on
every input. Tables too large to flatten, and flattened tables left undecided, fall back to
2-D slices (other variables fixed), which can refute but not prove.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..structure import Structure, complete_outer, template_outer, template_values
from .decide import Decision, decide_cyclic, decide_template
from .explain import describe
from .search import Budget
from .tables import IntArray

#: Largest table (cells) the flattened 2-D decision is run on.
MAX_FLAT_CELLS = 2**22

Outcome = Structure | tuple[dict[str, Any], str, str, bool]


def many_variables(T: IntArray, p: int, variables: tuple[str, ...], budget: Budget) -> Outcome:
    """A Structure, or ``(certificate, reason, method, refuted)``."""
    found: dict[str, dict[str, Any]] = {}
    if T.size <= MAX_FLAT_CELLS:
        flat = np.ascontiguousarray(T.reshape(p, -1))
        for key, decide, split in (
            ("z_p", lambda x: decide_cyclic(flat, p, p, budget, expensive=x), _split_sum),
            (
                "multiplicative",
                lambda x: decide_template(flat, p, budget, expensive=x),
                _split_product,
            ),
        ):
            d = decide(False)
            if d.status is None:
                d = decide(True)
            if d.status:
                St = split(T, p, variables, d)
                if St is not None:
                    return St
            elif d.status is False:
                found[key] = {"kind": "flatten", "axis": 0, "certificate": d.certificate}
    if len(found) < 2:
        _slices(T, p, budget, found)
    S = T.ndim
    if len(found) == 2:
        lines = [
            f"{what}: refuted {_where(c, variables)}: {describe(_inner(c), '').lstrip(': ')}"
            for what, c in (
                (f"not h(g1 + ... + g{S}) over Z_{p}", found["z_p"]),
                ("not a multiplicative template", found["multiplicative"]),
            )
        ]
        method = "+".join(sorted({c["kind"] for c in found.values()}))
        return {"kind": "not_learnable", **found}, "\n".join(lines), method, True
    return (
        {"kind": "undetermined", **found},
        f"{S} variables: no symbolic h(g1 + ... + gS) form; the flattened table and 2-D slices "
        f"(other variables at 0, 1 or 2) refute {', '.join(found) or 'neither form'} only",
        "timeout",
        False,
    )


def _inner(c: dict[str, Any]) -> dict[str, Any]:
    inner: dict[str, Any] = c["certificate"]
    return inner


def _where(c: dict[str, Any], variables: tuple[str, ...]) -> str:
    if c["kind"] == "flatten":
        return f"on the table read as {variables[0]} against ({', '.join(variables[1:])})"
    axes = ", ".join(variables[a] for a in c["axes"])
    return f"on the slice in ({axes}) with the other variables at {c['fixed']}"


def _slices(T: IntArray, p: int, budget: Budget, found: dict[str, dict[str, Any]]) -> None:
    """Refute through 2-D slices: fixing all but two variables of ``h(g_1 + ... + g_S)``
    leaves ``h'(g_s + g_t)``; a non-constant slice of the template is a 2-D template."""
    S = T.ndim
    for fixed in (0, 1, 2):
        for s in range(S):
            for t in range(s + 1, S):
                index: list[Any] = [fixed] * S
                index[s] = slice(None)
                index[t] = slice(None)
                sl = np.ascontiguousarray(T[tuple(index)])
                if (sl == sl.flat[0]).all():
                    continue
                where = {"kind": "slice", "axes": [s, t], "fixed": fixed}
                if "z_p" not in found:
                    zp = decide_cyclic(sl, p, p, budget, expensive=False)
                    if zp.status is False:
                        found["z_p"] = {**where, "certificate": zp.certificate}
                if "multiplicative" not in found:
                    tm = decide_template(sl, p, budget, expensive=False)
                    if tm.status is False:
                        found["multiplicative"] = {**where, "certificate": tm.certificate}
                if len(found) == 2:
                    return


def _axis_maps(G: IntArray) -> list[IntArray]:
    """``G`` restricted to each axis through the origin: one ``(p,)`` array per axis."""
    maps = []
    for s in range(G.ndim):
        index: list[Any] = [0] * G.ndim
        index[s] = slice(None)
        maps.append(np.asarray(G[tuple(index)], dtype=np.int64))
    return maps


def _outer_sum(maps: list[IntArray], p: int) -> IntArray:
    S = len(maps)
    acc = np.zeros((1,) * S, dtype=np.int64)
    for s, g in enumerate(maps):
        shape = [1] * S
        shape[s] = g.size
        acc = (acc + g.reshape(shape)) % p
    return acc


def _split_sum(T: IntArray, p: int, variables: tuple[str, ...], d: Decision) -> Structure | None:
    """``G(n_2, ..., n_S) = b`` as ``G(0) + sum_s (G on axis s - G(0))`` when that is exact."""
    assert d.a is not None and d.b is not None and d.h is not None
    G = d.b.reshape((p,) * (T.ndim - 1)) % p
    base = int(G.flat[0])
    maps = [(m - base) % p for m in _axis_maps(G)]
    if not np.array_equal((_outer_sum(maps, p) + base) % p, np.broadcast_to(G, G.shape)):
        return None
    inner = [(d.a + base) % p, *maps]
    St = Structure.sum(p, variables, inner, complete_outer(d.h, p), source="table")
    return St if np.array_equal(St.table(), T) else None


def _split_product(
    T: IntArray, p: int, variables: tuple[str, ...], d: Decision
) -> Structure | None:
    """``Phi(n_2, ..., n_S)`` as ``c * prod_s phi_s(n_s)`` (each ``phi_s`` the fibre through a
    point where ``Phi`` is not zero) when that is exact."""
    assert d.a is not None and d.b is not None and d.h is not None
    Phi = template_values(d.b, p).reshape((p,) * (T.ndim - 1))
    nonzero = np.argwhere(Phi != 0)
    if nonzero.size == 0:
        return None
    point = tuple(int(i) for i in nonzero[0])
    maps = []
    for s in range(Phi.ndim):
        index: list[Any] = list(point)
        index[s] = slice(None)
        maps.append(np.asarray(Phi[tuple(index)], dtype=np.int64))
    scale = pow(pow(int(Phi[point]), Phi.ndim - 1, p), -1, p)
    maps[0] = maps[0] * scale % p
    inner = [template_values(d.a, p), *maps]
    St = Structure.product(
        p, variables, inner, complete_outer(template_outer(d.h, p), p), source="table"
    )
    return St if np.array_equal(St.table(), T) else None

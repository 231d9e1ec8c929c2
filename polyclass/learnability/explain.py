"""Human-readable text for maps and certificates."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import gfpoly
from .decide import Decision
from .tables import IntArray

#: Maps with at most this many terms are shown as polynomials, others as value lists.
MAX_TERMS_SHOWN = 6


def poly_text(values: IntArray, p: int, var: str, unused: bool = False) -> str:
    if p * p > gfpoly.POWER_TABLE_CELLS:  # interpolating takes p^2 cells
        return values_text(values, unused)
    vals = np.asarray(values, dtype=np.int64)
    if unused:
        vals = np.where(vals < 0, 0, vals)
    terms = gfpoly.interpolate(vals, p)
    if len(terms) <= MAX_TERMS_SHOWN:
        text = gfpoly.to_text(terms, (var,))
        return text + (" (on the sums that occur)" if unused and (values < 0).any() else "")
    return values_text(values, unused)


def values_text(values: IntArray, unused: bool = False) -> str:
    vals = [int(v) for v in np.asarray(values)]
    shown = ", ".join("*" if v < 0 else str(v) for v in vals[:12])
    more = f", ... ({len(vals)} values)" if len(vals) > 12 else ""
    star = " (* = sum never occurs)" if unused and min(vals) < 0 else ""
    return f"[{shown}{more}]{star}"


def describe(cert: dict[str, Any] | None, what: str) -> str:
    if cert is None:
        return f"{what}: undecided"
    kind = cert["kind"]
    if kind == "fibre_bound":
        parts = [
            f"value {e['value']} occurs in {e['count']} distinct "
            f"{'columns' if e['line'] == 'row' else 'rows'} of {e['line']} {e['index']}"
            for e in cert["entries"][:3]
        ]
        return (
            f"{what}: fibre bound {cert['sum_of_kept']} > {cert['group_order']} "
            f"({'; '.join(parts)}{'; ...' if len(cert['entries']) > 3 else ''}): h would need "
            f"that many distinct preimages (no abelian group of order < {cert['bound']} works)"
        )
    if kind == "column_pair_histograms":
        side = "row" if cert.get("transposed") else "column"
        return (
            f"{what}: {cert['distinct']} distinct {side}-pair histograms > "
            f"{cert['group_order'] - 1} possible differences (all {cert['group_order']} "
            f"{'columns' if side == 'row' else 'rows'} distinct)"
        )
    if kind == "exhausted_search":
        return (
            f"{what}: exhausted search ({cert['search']}, {cert['nodes']} nodes): {cert['claim']}"
        )
    if kind == "multiplicative_template":
        inner = [describe(c["certificate"], "") for c in cert["cases"]]
        return (
            f"{what}: every choice of zero rows/columns refuted over Z_(p-1) ["
            + "; ".join(s.lstrip(": ") for s in inner)
            + "]"
        )
    return f"{what}: {kind}"


def describe_refutations(p: int, zp: Decision, tm: Decision) -> str:
    """Two lines: why there is no ``Z_p`` decomposition, and why no template one."""
    lines = [
        describe(zp.certificate, f"not h(g1 + g2) over Z_{p}")
        if zp.status is False
        else f"over Z_{p}: undecided ({'; '.join(zp.notes) or zp.method})",
        describe(tm.certificate, "not F(phi(x) psi(y)) (multiplicative template)")
        if tm.status is False
        else f"multiplicative template: undecided ({'; '.join(tm.notes) or tm.method})",
    ]
    return "\n".join(lines)

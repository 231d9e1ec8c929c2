"""``classify``: symbolic proof first, then the exact table algorithms.

Every positive verdict carries a `Structure` (``V.structure``),
the same object `polyclass.decompose` produces, checked on every input.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..decomposition import Decomposition, decompose
from ..modpoly import as_modpoly
from ..structure import Structure
from ..validation import as_table, check_fraction, check_int, check_positive
from .decide import Decision, decide_cyclic, decide_template
from .explain import describe_refutations
from .graded import MAX_SYMMETRY_P
from .manyvars import many_variables
from .outer import Composition, composition
from .search import Budget
from .tables import IntArray
from .verdict import Verdict, coverage_score
from .verdict_score import model_score

#: Default wall-clock budget of one classification, in seconds.
DEFAULT_TIME_BUDGET = 10.0


def classify(
    obj: Any,
    p: int | None = None,
    *,
    alpha: float = 0.5,
    time_budget: float = DEFAULT_TIME_BUDGET,
    max_cells: int | None = None,
) -> Verdict:
    """Decide whether ``f`` has the form ``h(g_1(n_1) + ... + g_S(n_S))`` (over ``Z_p``, or
    over ``Z_(p-1) x Z_(S+1)`` through the multiplicative template), with a proof either way.

    ``obj`` is a ModPoly, polynomial text (``"x*y mod 97"``), a Decomposition or Structure
    (used as they are, not decomposed again) or an integer value table of shape ``(p,) * S``
    (then ``p`` defaults to its side). ``alpha`` is the training fraction the score refers to;
    ``time_budget`` (seconds) bounds the search, after which the verdict is
    ``learnable=None`` with the reason. Tables above ``max_cells`` cells (default
    `polyclass.field.DEFAULT_MAX_TABLE_CELLS`) are refused with TableTooLargeError.

    Examples:
        >>> classify("(4*x + y^2)^3 mod 23").learnable
        True
    """
    start = time.perf_counter()
    alpha = check_fraction(alpha, "alpha")
    time_budget = check_positive(time_budget, "time_budget")
    max_cells = None if max_cells is None else check_int(max_cells, "max_cells", minimum=1)
    table, p, variables, structure, composed = _read_input(obj, p, max_cells)
    budget = Budget(start + time_budget)
    ctx = _Context(table, p, variables, alpha, start, composed)
    if table.ndim == 1:
        n = np.arange(p, dtype=np.int64)
        St = Structure.sum(p, variables, [n], table, inner_poly=({1: 1},), source="table")
        return ctx.yes(St, "trivial", "symbolic")
    if structure is not None:
        return ctx.yes(structure, f"symbolic_{structure.form}", "symbolic")
    if table.ndim > 2:
        return _many_variables(ctx, budget)
    return _two_variables(ctx, budget)


# ---- input ------------------------------------------------------------------------------------


def _read_input(
    obj: Any, p: int | None, max_cells: int | None
) -> tuple[IntArray, int, tuple[str, ...], Any, Composition | None]:
    """The table, p, variables, a symbolic structure and, for a polynomial that is not
    ``h(g1 + g2)``, its ``f = h(q)`` (`outer.composition`, read by the graded score)."""
    if isinstance(obj, (np.ndarray, list, tuple)):  # a value table
        table, p_checked = as_table(obj, p, max_cells=max_cells)
        return table, p_checked, table_variables(table.ndim), None, None
    if isinstance(obj, Structure):
        return obj.table(), obj.p, obj.variables, obj, None
    if isinstance(obj, Decomposition):
        D = obj
    else:
        P = as_modpoly(obj, p)
        if P.nvars == 0:  # a constant: a function of one unused variable, trivially learnable
            P = type(P)._from_tree(text=P.text, tree=P.tree, p=P.p, variables=("x",))
        D = decompose(P)
    table = D.poly.table(max_cells=max_cells)
    composed = None
    if D.structure is None and D.poly.nvars == 2 and D.p <= MAX_SYMMETRY_P:
        composed = composition(D.poly)
    return table, D.p, tuple(D.variables), D.structure, composed


def table_variables(S: int) -> tuple[str, ...]:
    """Names of the variables of a bare table: x, y, z, then n1, n2, ..."""
    return ("x", "y", "z")[:S] if S <= 3 else tuple(f"n{i + 1}" for i in range(S))


# ---- verdict construction ---------------------------------------------------------------------


class _Context:
    def __init__(
        self,
        table: IntArray,
        p: int,
        variables: tuple[str, ...],
        alpha: float,
        start: float,
        composed: Composition | None = None,
    ) -> None:
        self.table, self.p, self.variables = table, p, variables
        self.alpha, self.start, self.composed = alpha, start, composed

    def cells(self) -> int:
        return int(self.table.size)

    def yes(self, St: Structure, method: str, source: str, notes: tuple[str, ...] = ()) -> Verdict:
        codes, h = St.group_codes()
        sums = _sum_codes_nd(St.group, codes)
        if not (np.array_equal(h[sums], self.table) and np.array_equal(St.table(), self.table)):
            raise AssertionError("internal error: decomposition failed its final check")
        g_text = [St.inner_text(s) for s in range(St.S)]
        h_text = St.outer_text()
        op = " + " if St.kind == "sum" else " * "
        lines = [
            f"f = h({op.join(f'g{s + 1}({v})' for s, v in enumerate(St.variables))}) "
            f"over {St.group_text}, checked on all {self.cells()} inputs"
        ]
        lines += [
            f"  g{s + 1}({v}) = {t}"
            for s, (v, t) in enumerate(zip(St.variables, g_text, strict=True))
        ]
        lines.append(f"  h(u) = {h_text}")
        maps = {
            "group": list(St.group),
            "g": [x.tolist() for x in codes],
            "h": h.tolist(),
            "g_text": g_text,
            "h_text": h_text,
        }
        certificate = {
            "kind": "decomposition",
            "group": maps["group"],
            "g": maps["g"],
            "h": maps["h"],
        }
        summary = f"{lines[0].split(',')[0]} ({method})"
        return self._verdict(
            True,
            St.form,
            "\n".join(lines),
            1.0,
            certificate,
            method,
            source,
            maps,
            notes,
            summary,
            St,
        )

    def _verdict(
        self,
        learnable: bool | None,
        form: str,
        reason: str,
        score: float,
        certificate: dict[str, Any],
        method: str,
        source: str,
        maps: dict[str, Any] | None,
        notes: tuple[str, ...],
        summary: str = "",
        structure: Structure | None = None,
    ) -> Verdict:
        score, note = model_score(
            self.table, self.alpha, learnable, score, certificate, self.composed
        )
        notes = (*notes, note) if note else notes
        return Verdict(
            learnable=learnable,
            form=form,
            reason=reason,
            score=score,
            certificate=certificate,
            p=self.p,
            variables=self.variables,
            alpha=self.alpha,
            method=method,
            source=source,
            seconds=time.perf_counter() - self.start,
            maps=maps,
            notes=notes,
            summary=summary,
            structure=structure,
        )

    def no(self, certificate: dict[str, Any], reason: str, method: str) -> Verdict:
        score = coverage_score(self.table, self.alpha)
        summary = f"refuted over Z_{self.p} and for the multiplicative template ({method})"
        return self._verdict(
            False,
            "not_decomposable",
            reason,
            score,
            certificate,
            method,
            "table",
            None,
            (),
            summary,
        )

    def unknown(
        self,
        certificate: dict[str, Any],
        reason: str,
        summary: str = "neither maps nor a refutation found within the time budget",
        method: str = "timeout",
    ) -> Verdict:
        score = coverage_score(self.table, self.alpha)
        return self._verdict(
            None, "undetermined", reason, score, certificate, method, "table", None, (), summary
        )


def _sum_codes_nd(moduli: tuple[int, ...], g: list[IntArray]) -> IntArray:
    """Codes of ``g_1(n_1) + ... + g_S(n_S)`` in ``Z_n1 x Z_n2 x ...`` for all inputs."""
    S = len(g)
    out = np.zeros((g[0].size,) * S, dtype=np.int64)
    weight = 1
    rest = [np.asarray(x, dtype=np.int64).copy() for x in g]
    for n in moduli:
        total = np.zeros((1,) * S, dtype=np.int64)
        for s in range(S):
            shape = [1] * S
            shape[s] = rest[s].size
            total = total + (rest[s] % n).reshape(shape)
        out += (total % n) * weight
        rest = [r // n for r in rest]
        weight *= n
    return out


# ---- table algorithms -------------------------------------------------------------------------


def _two_variables(ctx: _Context, budget: Budget) -> Verdict:
    T, p = ctx.table, ctx.p
    zp = decide_cyclic(T, p, p, budget, expensive=False)
    if zp.status:
        return _table_yes(ctx, zp)
    tm = decide_template(T, p, budget, expensive=False)
    if tm.status:
        return _table_yes(ctx, tm)
    if zp.status is None:
        zp = decide_cyclic(T, p, p, budget, expensive=True)
        if zp.status:
            return _table_yes(ctx, zp)
    if tm.status is None:
        tm = decide_template(T, p, budget, expensive=True)
        if tm.status:
            return _table_yes(ctx, tm)
    certificate = {"kind": "not_learnable", "z_p": zp.certificate, "multiplicative": tm.certificate}
    reason = describe_refutations(ctx.p, zp, tm)
    if zp.status is False and tm.status is False:
        return ctx.no(certificate, reason, f"{zp.method}+{tm.method}")
    return ctx.unknown(certificate, reason)


def _table_yes(ctx: _Context, d: Decision) -> Verdict:
    assert d.a is not None and d.b is not None and d.h is not None
    St = Structure.from_group_codes(ctx.p, ctx.variables, d.moduli, [d.a, d.b], d.h)
    return ctx.yes(St, d.method, "table", tuple(d.notes))


def _many_variables(ctx: _Context, budget: Budget) -> Verdict:
    found = many_variables(ctx.table, ctx.p, ctx.variables, budget)
    if isinstance(found, Structure):
        return ctx.yes(found, "flatten", "table")
    certificate, reason, method, refuted = found
    if refuted:
        return ctx.no(certificate, reason, method)
    if budget.left() <= 0:
        return ctx.unknown(certificate, reason)
    S = ctx.table.ndim
    return ctx.unknown(
        certificate,
        reason,
        summary=f"undetermined: an exhaustive table search for S = {S} > 2 variables is not "
        "implemented, and the flattened table and 2-D slices decide neither form",
        method="incomplete",
    )

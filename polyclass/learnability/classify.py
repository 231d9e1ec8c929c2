"""``classify``: symbolic proof first, then the exact table algorithms."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .. import gfpoly
from ..errors import PolyclassError
from ..field import exp_table, log_table, primitive_root
from .decide import Decision, decide_cyclic, decide_template
from .explain import describe, describe_refutations, poly_text, values_text
from .graded import model_score
from .search import Budget
from .tables import IntArray, validate_table
from .verdict import Verdict, coverage_score

#: Default wall-clock budget of one classification, in seconds.
DEFAULT_TIME_BUDGET = 10.0


def classify(
    obj: Any,
    p: int | None = None,
    *,
    alpha: float = 0.5,
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> Verdict:
    """Decide whether ``f`` has the form ``h(g_1(n_1) + ... + g_S(n_S))`` (over ``Z_p``, or
    over ``Z_(p-1) x Z_(S+1)`` through the multiplicative template), with a proof either way.

    ``obj`` is a ModPoly, polynomial text (``"x*y mod 97"``) or an integer value table of
    shape ``(p,) * S`` (then ``p`` defaults to its side). ``alpha`` is the training fraction
    the score refers to; ``time_budget`` (seconds) bounds the search, after which the verdict
    is ``learnable=None`` with the reason.

    >>> classify("(4*x + y^2)^3 mod 23").learnable
    True
    """
    start = time.perf_counter()
    if not 0.0 < alpha <= 1.0:
        raise PolyclassError(f"Argument 'alpha' must lie in (0, 1], not {alpha}")
    if time_budget <= 0:
        raise PolyclassError(f"Argument 'time_budget' must be positive, not {time_budget}")
    table, p, variables, decomposition = _read_input(obj, p)
    budget = Budget(start + time_budget)
    ctx = _Context(table, p, variables, alpha, start)
    if table.ndim == 1:
        g = np.arange(p, dtype=np.int64)
        return ctx.yes("one_variable", "trivial", "symbolic", (p,), [g], table, ())
    if decomposition is not None:
        found = _symbolic(ctx, decomposition)
        if found is not None:
            return found
    if table.ndim > 2:
        return _many_variables(ctx, budget)
    return _two_variables(ctx, budget)


# ---- input ------------------------------------------------------------------------------------


def _read_input(obj: Any, p: int | None) -> tuple[IntArray, int, tuple[str, ...], Any]:
    if isinstance(obj, np.ndarray):
        table, p_checked = validate_table(obj, p)
        if table.ndim <= 3:
            variables = ("x", "y", "z")[: table.ndim]
        else:
            variables = tuple(f"n{i + 1}" for i in range(table.ndim))
        return table, p_checked, variables, None
    if isinstance(obj, (list, tuple)):
        raise PolyclassError(
            "classify takes a NumPy integer array as a table, not a "
            f"{type(obj).__name__}; wrap it with np.array(..., dtype=np.int64)"
        )
    from ..decomposition import decompose
    from ..parsing import as_modpoly

    P = as_modpoly(obj, p)
    if P.nvars == 0:  # a constant: a function of one unused variable, trivially learnable
        P = type(P)._from_tree(text=P.text, tree=P.tree, p=P.p, variables=("x",))
    return P.table(), P.p, tuple(P.variables), decompose(P)


# ---- verdict construction ---------------------------------------------------------------------


class _Context:
    def __init__(
        self, table: IntArray, p: int, variables: tuple[str, ...], alpha: float, start: float
    ) -> None:
        self.table, self.p, self.variables, self.alpha, self.start = (
            table,
            p,
            variables,
            alpha,
            start,
        )

    def cells(self) -> int:
        return int(self.table.size)

    def yes(
        self,
        form: str,
        method: str,
        source: str,
        moduli: tuple[int, ...],
        g: list[IntArray],
        h: IntArray,
        notes: tuple[str, ...],
        texts: tuple[list[str], str] | None = None,
    ) -> Verdict:
        codes = _sum_codes_nd(moduli, g)
        if not np.array_equal(np.asarray(h)[codes], self.table):
            raise AssertionError("internal error: decomposition failed its final check")
        group = " x ".join(f"Z_{n}" for n in moduli)
        g_text, h_text = texts if texts is not None else self._texts(moduli, g, h)
        lines = [
            f"f = h({' + '.join(f'g{s + 1}({v})' for s, v in enumerate(self.variables))}) "
            f"over {group}, checked on all {self.cells()} inputs"
        ]
        lines += [
            f"  g{s + 1}({v}) = {t}"
            for s, (v, t) in enumerate(zip(self.variables, g_text, strict=True))
        ]
        lines.append(f"  h(u) = {h_text}")
        maps = {
            "group": list(moduli),
            "g": [np.asarray(x).tolist() for x in g],
            "h": np.asarray(h).tolist(),
            "g_text": g_text,
            "h_text": h_text,
        }
        certificate = {
            "kind": "decomposition",
            "group": list(moduli),
            "g": maps["g"],
            "h": maps["h"],
        }
        summary = f"{lines[0].split(',')[0]} ({method})"
        return self._verdict(
            True, form, "\n".join(lines), 1.0, certificate, method, source, maps, notes, summary
        )

    def _texts(
        self, moduli: tuple[int, ...], g: list[IntArray], h: IntArray
    ) -> tuple[list[str], str]:
        if moduli != (self.p,):
            texts = [values_text(x) for x in g]
            return texts, values_text(h, unused=True)
        g_text = [poly_text(x, self.p, v) for x, v in zip(g, self.variables, strict=True)]
        return g_text, poly_text(h, self.p, "u", unused=True)

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
    ) -> Verdict:
        score, note = model_score(self.table, self.alpha, learnable, score)
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

    def unknown(self, certificate: dict[str, Any], reason: str) -> Verdict:
        score = coverage_score(self.table, self.alpha)
        summary = "neither maps nor a refutation found within the time budget"
        return self._verdict(
            None, "undetermined", reason, score, certificate, "timeout", "table", None, (), summary
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


# ---- symbolic proofs --------------------------------------------------------------------------


def _symbolic(ctx: _Context, D: Any) -> Verdict | None:
    p, S = ctx.p, ctx.table.ndim
    if D.form in ("affine", "h_of_sum"):
        g = [D.g_values(s) for s in range(S)]
        u = np.arange(p, dtype=np.int64)
        h = D.h_values() if D.form == "h_of_sum" else (u + D.constant) % p
        g_text = [
            gfpoly.to_text({(e,): c for e, c in D.g[s].items()}, (v,))
            for s, v in enumerate(ctx.variables)
        ]
        h_text = (
            D.h_text()
            if D.form == "h_of_sum"
            else gfpoly.to_text({(1,): 1, (0,): D.constant} if D.constant else {(1,): 1}, ("u",))
        )
        return ctx.yes(
            "h_of_sum", f"symbolic_{D.form}", "symbolic", (p,), g, h, (), (g_text, h_text)
        )
    if D.form in ("monomial", "h_of_product"):
        ((c, exps),) = D.monomials
        outer = D.h_values() if D.form == "h_of_product" else np.arange(p, dtype=np.int64)
        return _multiplicative_from_monomial(ctx, c, exps, outer, D)
    return None


def _multiplicative_from_monomial(
    ctx: _Context, c: int, exps: tuple[int, ...], outer: IntArray, D: Any
) -> Verdict:
    """``f = H(c * prod n_s^e_s)`` as a sum in ``Z_(p-1) x Z_(S+1)`` (log, number of zeros)."""
    p, S = ctx.p, len(exps)
    N = p - 1
    logs = log_table(p)
    x = np.arange(p, dtype=np.int64)
    g = []
    for e in exps:
        if e == 0:
            g.append(np.zeros(p, dtype=np.int64))
        else:
            g.append(np.where(x == 0, N, (e * logs) % N))  # code N = (0, flag 1)
    powers = exp_table(p)
    h = np.empty(N * (S + 1), dtype=np.int64)
    h[:N] = outer[(c * powers) % p]
    h[N:] = outer[0]
    root = primitive_root(p)
    g_text = [
        f"({e}*log_{root}({v}), [{v} = 0])" if e else "0"
        for e, v in zip(exps, ctx.variables, strict=True)
    ]
    inner = gfpoly.to_text({exps: c}, ctx.variables)
    h_text = f"H({c}*{root}^k) for (k, 0), H(0) otherwise; u = {inner}, H(u) = " + (
        D.h_text() if D.form == "h_of_product" else "u"
    )
    return ctx.yes(
        "multiplicative", f"symbolic_{D.form}", "symbolic", (N, S + 1), g, h, (), (g_text, h_text)
    )


# ---- table algorithms -------------------------------------------------------------------------


def _two_variables(ctx: _Context, budget: Budget) -> Verdict:
    T, p = ctx.table, ctx.p
    zp = decide_cyclic(T, p, p, budget, expensive=False)
    if zp.status:
        return _table_yes(ctx, zp, "h_of_sum")
    tm = decide_template(T, p, budget, expensive=False)
    if tm.status:
        return _table_yes(ctx, tm, "multiplicative")
    if zp.status is None:
        zp = decide_cyclic(T, p, p, budget, expensive=True)
        if zp.status:
            return _table_yes(ctx, zp, "h_of_sum")
    if tm.status is None:
        tm = decide_template(T, p, budget, expensive=True)
        if tm.status:
            return _table_yes(ctx, tm, "multiplicative")
    certificate = {"kind": "not_learnable", "z_p": zp.certificate, "multiplicative": tm.certificate}
    reason = describe_refutations(ctx.p, zp, tm)
    if zp.status is False and tm.status is False:
        return ctx.no(certificate, reason, f"{zp.method}+{tm.method}")
    return ctx.unknown(certificate, reason)


def _table_yes(ctx: _Context, d: Decision, form: str) -> Verdict:
    assert d.a is not None and d.b is not None and d.h is not None
    texts = _template_texts(ctx, d) if form == "multiplicative" else None
    return ctx.yes(form, d.method, "table", d.moduli, [d.a, d.b], d.h, tuple(d.notes), texts)


def _template_texts(ctx: _Context, d: Decision) -> tuple[list[str], str]:
    """Read a template decomposition back as ``F(phi(x) * psi(y))`` over GF(p)."""
    assert d.a is not None and d.b is not None and d.h is not None
    p, N = ctx.p, ctx.p - 1
    root = primitive_root(p)
    powers = exp_table(p)
    texts = []
    for s, codes in enumerate((d.a, d.b)):
        phi = np.where(codes >= N, 0, powers[codes % N])
        name = ("phi", "psi")[s]
        var = ctx.variables[s]
        texts.append(
            f"(log_{root} {name}({var}), [{name}({var}) = 0]) with {name}({var}) = "
            + poly_text(phi, p, var)
        )
    F = np.full(p, -1, dtype=np.int64)
    F[powers] = d.h[:N]
    zero = d.h[N:][d.h[N:] >= 0]
    F[0] = zero[0] if zero.size else -1
    return texts, f"F({root}^k) on (k, 0), F(0) on zero flags; F(w) = {poly_text(F, p, 'w', True)}"


# ---- more than two variables -------------------------------------------------------------------


def _many_variables(ctx: _Context, budget: Budget) -> Verdict:
    """S > 2: refute through 2-D slices; finding maps from a bare table is not attempted.

    Fixing all but two variables of ``h(g_1 + ... + g_S)`` leaves ``h'(g_s + g_t)`` with
    ``h' = h(. + const)``, a 2-D decomposition over the same group; a non-constant slice of
    the multiplicative template is a 2-D template instance. So one slice that is not
    decomposable over ``Z_p`` and one (possibly other) slice that is not a template instance
    refute ``f``. Slices fix the other variables all at 0, 1 or 2.
    """
    T, p, S = ctx.table, ctx.p, ctx.table.ndim
    found: dict[str, dict[str, Any]] = {}
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
                    cert = {"kind": "not_learnable", **found}
                    lines = [
                        f"{what}: refuted on the slice in "
                        f"({', '.join(ctx.variables[a] for a in c['axes'])}) with the other "
                        f"variables at {c['fixed']}: {describe(c['certificate'], '').lstrip(': ')}"
                        for what, c in (
                            (f"not h(g1 + ... + g{S}) over Z_{p}", found["z_p"]),
                            ("not a multiplicative template", found["multiplicative"]),
                        )
                    ]
                    return ctx.no(cert, "\n".join(lines), "slices")
    return ctx.unknown(
        {"kind": "undetermined", **found},
        f"{S} variables: no symbolic h(g1 + ... + gS) form, and 2-D slices (other variables at "
        f"0, 1 or 2) refute {', '.join(found) or 'neither form'} only; the table search "
        "for S > 2 is not implemented",
    )

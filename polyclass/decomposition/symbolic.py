"""ModPoly -> :class:`Decomposition`: addition / multiplication structure as a DAG.

Forms, tried in this order (each found form is re-checked exactly before it is returned):

* ``affine``: ``f = c_1 n_1 + ... + c_S n_S + c``.
* ``monomial``: ``f = c * n_1^a_1 ... n_S^a_S``.
* ``h_of_sum``: ``f = h(g_1(n_1) + ... + g_S(n_S))`` with univariate ``g_s`` (``g_s(0) = 0``).
* ``h_of_product``: ``f = h(c * n_1^a_1 ... n_S^a_S)``.
* ``general``: the sum of monomials (always exact; the paper's mixture of experts).

The outer function is found two ways. *As typed*: every power ``B^k`` in the syntax tree
offers ``u = B`` and ``h`` = the tree with ``B`` replaced by a variable. *After expansion*:
for every divisor ``d`` of the total degree, the approximate ``d``-th root ``u`` of ``f``
(the unique ``u`` without constant term, monic in graded-lex order, with
``deg(f - c u^d) <= (d-1) deg u``) is computed term by term, and ``f`` is expanded in powers
of ``u``; ``f = h(u)`` exactly when every coefficient of that expansion is a constant. So
``64x^3 + 48x^2y^2 + 12xy^4 + y^6`` is recognised as ``u^3`` with ``u = 4x + y^2``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import sympy

from .. import gfpoly
from ..errors import PolyclassError
from ..field import check_table_size, power_table
from ..modpoly import ModPoly
from ..parsing import as_modpoly
from .outer import outer_candidates

FORMS = ("affine", "monomial", "h_of_sum", "h_of_product", "general")

Univariate = dict[int, int]
Monomial = tuple[int, tuple[int, ...]]


@dataclass(frozen=True, eq=False)
class Decomposition:
    """Structure of a polynomial as addition / multiplication subterms.

    ``graph`` is a networkx DAG with ``input``, ``monomial``, ``add`` and ``outer`` nodes;
    ``graph.graph["output"]`` names the node whose value is ``f``. The structured fields
    hold the same information (all coefficients in ``[0, p)``):

    * ``constant``: the constant term (``affine``, ``general``);
    * ``monomials``: ``(coefficient, exponents)`` of the degree-1 terms (``affine``), the
      single term (``monomial``), the inner monomial ``u`` (``h_of_product``) or every
      non-constant term (``general``);
    * ``g``: the inner maps ``{exponent: coefficient}``, one per variable (``h_of_sum``,
      ``affine``);
    * ``h``: the outer polynomial ``{exponent: coefficient}`` (``h_of_sum``, ``h_of_product``).
    """

    poly: ModPoly
    form: str
    constant: int = 0
    monomials: tuple[Monomial, ...] = ()
    g: tuple[Univariate, ...] = ()
    h: Univariate | None = None
    found: str = "expanded"  # "typed", "expanded" or "trivial"
    graph: nx.DiGraph = field(default_factory=nx.DiGraph, repr=False)

    @property
    def p(self) -> int:
        return self.poly.p

    @property
    def variables(self) -> tuple[str, ...]:
        return self.poly.variables

    # ---- values through the decomposition ------------------------------------------------
    def g_values(self, s: int) -> npt.NDArray[np.int64]:
        """``g_s(0..p-1)`` as int64 ``(p,)`` (h_of_sum and affine)."""
        return gfpoly.univariate_values(self.g[s], self.p)

    def h_values(self) -> npt.NDArray[np.int64]:
        """``h(0..p-1)`` as int64 ``(p,)`` (h_of_sum and h_of_product)."""
        if self.h is None:
            raise PolyclassError(f"a {self.form} decomposition has no outer function h")
        return gfpoly.univariate_values(self.h, self.p)

    def table(self, max_cells: int | None = None) -> npt.NDArray[np.int64]:
        """Value table computed by walking :attr:`graph` (independent of ``ModPoly.table``)."""
        p, nvars = self.p, len(self.variables)
        check_table_size(p, nvars, max_cells)
        max_e = max([1, *(e for _, exps in self.monomials for e in exps)])
        for g in self.g:
            max_e = max(max_e, *g, 1)
        pw = power_table(p, max_e)
        values: dict[str, npt.NDArray[np.int64]] = {}
        for node in nx.topological_sort(self.graph):
            data = self.graph.nodes[node]
            kind = data["kind"]
            if kind == "input":
                shape = [1] * nvars
                shape[data["index"]] = p
                values[node] = np.arange(p, dtype=np.int64).reshape(shape)
                continue
            preds = list(self.graph.predecessors(node))
            if kind == "monomial":
                v = np.asarray(data["coefficient"] % p, dtype=np.int64)
                for src in preds:
                    exp = self.graph.edges[src, node]["exponent"]
                    v = v * pw[exp][values[src]] % p
            elif kind == "add":
                v = np.asarray(data["constant"] % p, dtype=np.int64)
                for src in preds:
                    v = (v + self.graph.edges[src, node]["coefficient"] * values[src]) % p
            else:  # outer
                (src,) = preds
                h_vals = gfpoly.univariate_values(data["coefficients"], p)
                v = h_vals[values[src]]
            values[node] = v
        out = values[self.graph.graph["output"]]
        return np.ascontiguousarray(np.broadcast_to(out, (p,) * nvars), dtype=np.int64)

    # ---- printing -------------------------------------------------------------------------
    def h_text(self, var: str = "u") -> str:
        """``h`` expanded, with its factorisation over GF(p) when that reads better."""
        if self.h is None:
            return ""
        expanded = gfpoly.to_text({(e,): c for e, c in self.h.items()}, (var,))
        u = sympy.Symbol(var)
        expr = sum((c * u**e for e, c in self.h.items()), sympy.Integer(0))
        try:
            factored = sympy.factor(expr, modulus=self.p)
        except (sympy.PolynomialError, NotImplementedError):  # pragma: no cover - defensive
            return expanded
        text = sympy.sstr(factored).replace("**", "^")
        return f"{expanded} = {text}" if text != expanded and "(" in text else expanded

    def inner_text(self) -> str:
        """The inner value ``u`` as text (h forms), or the polynomial itself."""
        if self.form == "h_of_sum":
            return (
                " + ".join(f"g{s + 1}({v})" for s, v in enumerate(self.variables) if self.g[s])
                or "0"
            )
        if self.form == "h_of_product":
            c, exps = self.monomials[0]
            return gfpoly.to_text({exps: c}, self.variables)
        return self.poly.expanded()

    def __str__(self) -> str:
        lines = [f"{self.poly}: {self.form}"]
        if self.form in ("h_of_sum", "h_of_product"):
            lines.append(f"  f = h(u), u = {self.inner_text()}")
            lines.append(f"  h(u) = {self.h_text()}")
        if self.form in ("h_of_sum", "affine"):
            for s, v in enumerate(self.variables):
                if self.g[s]:
                    text = gfpoly.to_text({(e,): c for e, c in self.g[s].items()}, (v,))
                    lines.append(f"  g{s + 1}({v}) = {text}")
        if self.form in ("affine", "general") and self.constant:
            lines.append(f"  constant = {self.constant}")
        if self.form in ("monomial", "general"):
            lines.append(f"  {len(self.monomials)} monomial(s): {self.poly.expanded()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Decomposition(form={self.form!r}, poly={str(self.poly)!r})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: form, the maps as coefficient lists and text, and the DAG."""
        graph = nx.node_link_data(self.graph, edges="edges")
        for node in graph["nodes"]:
            if "coefficients" in node:
                node["coefficients"] = {str(k): v for k, v in node["coefficients"].items()}
            if "exponents" in node:
                node["exponents"] = list(node["exponents"])
        return {
            "polynomial": str(self.poly),
            "p": self.p,
            "variables": list(self.variables),
            "form": self.form,
            "found": self.found,
            "constant": self.constant,
            "monomials": [{"coefficient": c, "exponents": list(e)} for c, e in self.monomials],
            "g": [{str(e): c for e, c in sorted(g.items())} for g in self.g],
            "h": None if self.h is None else {str(e): c for e, c in sorted(self.h.items())},
            "h_text": self.h_text() or None,
            "inner": self.inner_text(),
            "graph": graph,
        }


# ---- construction -------------------------------------------------------------------------


def decompose(poly: ModPoly | str, p: int | None = None) -> Decomposition:
    """Decompose a polynomial into addition / multiplication subterms.

    >>> D = decompose("64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97")
    >>> D.form, D.h, D.g
    ('h_of_sum', {3: 1}, ({1: 4}, {2: 1}))
    """
    P = as_modpoly(poly, p)
    f = P.terms
    n = P.nvars
    zero = (0,) * n
    constant = f.get(zero, 0)
    body = {e: c for e, c in f.items() if e != zero}
    if all(sum(e) == 1 for e in body):
        g = tuple({1: body[_unit(s, n)]} if _unit(s, n) in body else {} for s in range(n))
        monos = tuple((c, e) for e, c in gfpoly.sorted_terms(body))
        return _build(P, "affine", constant=constant, monomials=monos, g=g, found="trivial")
    if len(body) == 1 and constant == 0:
        ((e, c),) = body.items()
        return _build(P, "monomial", monomials=((c, e),), found="trivial")
    for u, h, found in outer_candidates(P):
        terms = list(u.items())
        if all(sum(1 for a in e if a) == 1 for e, _ in terms):
            maps: list[Univariate] = [{} for _ in range(n)]
            for e, c in terms:
                s = next(i for i, a in enumerate(e) if a)
                maps[s][e[s]] = c
            return _build(P, "h_of_sum", g=tuple(maps), h=h, found=found)
        if len(terms) == 1:
            ((e, c),) = terms
            return _build(P, "h_of_product", monomials=((c, e),), h=h, found=found)
    monos = tuple((c, e) for e, c in gfpoly.sorted_terms(body))
    return _build(P, "general", constant=constant, monomials=monos, found="trivial")


def _unit(s: int, n: int) -> tuple[int, ...]:
    return tuple(1 if i == s else 0 for i in range(n))


def _build(
    P: ModPoly,
    form: str,
    *,
    constant: int = 0,
    monomials: tuple[Monomial, ...] = (),
    g: tuple[Univariate, ...] = (),
    h: Univariate | None = None,
    found: str,
) -> Decomposition:
    graph = nx.DiGraph()
    inputs = []
    for s, v in enumerate(P.variables):
        graph.add_node(v, kind="input", variable=v, index=s, label=v)
        inputs.append(v)

    def monomial_node(name: str, coeff: int, exps: tuple[int, ...]) -> str:
        text = gfpoly.to_text({exps: coeff}, P.variables)
        graph.add_node(name, kind="monomial", coefficient=coeff, exponents=exps, label=text)
        for s, a in enumerate(exps):
            if a:
                graph.add_edge(inputs[s], name, exponent=a)
        return name

    def add_node(name: str, terms: list[tuple[str, int]], const: int) -> str:
        graph.add_node(name, kind="add", constant=const, label=f"add (+{const})")
        for src, coeff in terms:
            graph.add_edge(src, name, coefficient=coeff)
        return name

    if form == "affine":
        out = add_node("sum", [(inputs[s], gs[1]) for s, gs in enumerate(g) if gs], constant)
    elif form in ("monomial", "h_of_product"):
        coeff, exps = monomials[0]
        out = monomial_node("u" if h is not None else "m0", coeff, exps)
    elif form == "general":
        parts = [(monomial_node(f"m{i}", 1, e), c) for i, (c, e) in enumerate(monomials)]
        out = add_node("sum", parts, constant)
    else:  # h_of_sum
        parts = []
        for s, gs in enumerate(g):
            for power, coeff in sorted(gs.items(), reverse=True):
                exps = tuple(power if i == s else 0 for i in range(len(inputs)))
                parts.append((monomial_node(f"g{s + 1}_{power}", 1, exps), coeff))
        out = add_node("u", parts, 0)
    if h is not None:
        h_label = "h(u) = " + gfpoly.to_text({(e,): c for e, c in h.items()}, ("u",))
        graph.add_node("h", kind="outer", coefficients=dict(h), label=h_label)
        graph.add_edge(out, "h")
        out = "h"
    graph.graph["output"] = out
    D = Decomposition(
        poly=P,
        form=form,
        constant=constant,
        monomials=monomials,
        g=g,
        h=h,
        found=found,
        graph=graph,
    )
    return D

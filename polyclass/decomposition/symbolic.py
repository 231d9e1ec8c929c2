"""ModPoly -> `Decomposition`: the polynomial's `Structure`,
or the sum of monomials it is built from, as a DAG.

Forms (the shared vocabulary of `polyclass.structure.FORMS`), tried in this order and
each re-checked exactly before it is returned:

* ``one_variable``: ``f = h(n)``.
* ``h_of_sum``: ``f = h(g_1(n_1) + ... + g_S(n_S))``: a sum of univariate polynomials (``h``
  affine), or a polynomial ``h`` of such a sum.
* ``multiplicative``: ``f = h(g_1(n_1) * ... * g_S(n_S))``: a product of univariate
  polynomials, shifted or scaled (``(x + 3)*(y - 1)``, ``x^2*y + y``), or a polynomial of one.
* ``composite``: the sum of monomials (always exact; the paper's mixture of experts).

The outer function is found two ways. *As typed*: every power ``B^k`` in the syntax tree
offers ``u = B`` and ``h`` = the tree with ``B`` replaced by a variable. *After expansion*:
for every divisor ``d`` of the total degree, the approximate ``d``-th root ``u`` of ``f``
(the unique ``u`` without constant term, monic in graded-lex order, with
``deg(f - c u^d) <= (d-1) deg u``) is computed term by term, and ``f`` is expanded in powers
of ``u``; ``f = h(u)`` exactly when every coefficient of that expansion is a constant. So
``64x^3 + 48x^2y^2 + 12xy^4 + y^6`` is recognised as ``u^3`` with ``u = 4x + y^2``. The inner
``u`` is then read as a sum of univariate terms, or as ``c * g_1(n_1) ... g_S(n_S) + k`` (a
rank-one coefficient tensor: each factor is the fibre through the leading monomial).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import sympy

from .. import gfpoly
from ..errors import PolyclassError, TableTooLargeError
from ..field import DEFAULT_MAX_TABLE_CELLS, check_table_size
from ..gfpoly import Terms
from ..modpoly import ModPoly, as_modpoly
from ..structure import FORMS as ALL_FORMS
from ..structure import Structure
from .graph import Monomial, Univariate, evaluate_graph, structure_graph, sum_of_monomials_graph
from .outer import CHECK_WORK, outer_candidates

#: The forms a decomposition can have (verdict-only forms excluded).
FORMS = ALL_FORMS[:4]


@dataclass(frozen=True, eq=False)
class Decomposition:
    """Structure of a polynomial: one learnable `Structure`, or a sum of monomials.

    ``graph`` is a networkx DAG (see `graph`). The structured fields hold the same
    information (all coefficients in ``[0, p)``):

    * ``structure``: the learnable structure (``one_variable``, ``h_of_sum``,
      ``multiplicative``), None for ``composite``;
    * ``g``: the inner polynomials ``{exponent: coefficient}``, one per variable (the
      summands, or the factors of ``multiplicative``);
    * ``h``: the outer polynomial, so ``f = h(g_1 + ... + g_S)`` or ``h(g_1 * ... * g_S)``;
    * ``constant``, ``monomials``: the constant and every non-constant term
      ``(coefficient, exponents)`` of ``f`` (``composite``: the experts of the mixture).
    """

    poly: ModPoly
    form: str
    constant: int = 0
    monomials: tuple[Monomial, ...] = ()
    g: tuple[Univariate, ...] = ()
    h: Univariate | None = None
    found: str = "expanded"  # "typed", "expanded" or "trivial"
    graph: nx.DiGraph = field(default_factory=nx.DiGraph, repr=False)
    structure: Structure | None = None

    @property
    def p(self) -> int:
        return self.poly.p

    @property
    def variables(self) -> tuple[str, ...]:
        return self.poly.variables

    @property
    def learnable(self) -> bool:
        """Whether the decomposition is one learnable structure (not ``composite``)."""
        return self.structure is not None

    # ---- values through the decomposition ------------------------------------------------
    def g_values(self, s: int) -> npt.NDArray[np.int64]:
        """``g_s(0..p-1)`` as int64 ``(p,)``."""
        return gfpoly.univariate_values(self.g[s], self.p)

    def h_values(self) -> npt.NDArray[np.int64]:
        """``h(0..p-1)`` as int64 ``(p,)``."""
        if self.h is None:
            raise PolyclassError(f"a {self.form} decomposition has no outer function h")
        return gfpoly.univariate_values(self.h, self.p)

    def table(self, max_cells: int | None = None) -> npt.NDArray[np.int64]:
        """Value table computed by walking `graph` (independent of ``ModPoly.table``)."""
        check_table_size(self.p, len(self.variables), max_cells)
        return evaluate_graph(self.graph, self.p, len(self.variables))

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

    def g_text(self, s: int) -> str:
        return gfpoly.to_text({(e,): c for e, c in self.g[s].items()}, (self.variables[s],))

    def inner_text(self) -> str:
        """The inner value ``u`` as text, or the polynomial itself (``composite``)."""
        if self.structure is None:
            return self.poly.expanded()
        op = " + " if self.structure.kind == "sum" else " * "
        used = [s for s, gs in enumerate(self.g) if gs != ({0: 1} if op == " * " else {})]
        return op.join(f"g{s + 1}({self.variables[s]})" for s in used) or "0"

    def __str__(self) -> str:
        lines = [f"{self.poly}: {self.form}"]
        if self.structure is not None:
            lines.append(f"  f = h(u), u = {self.inner_text()}, over {self.structure.group_text}")
            lines.append(f"  h(u) = {self.h_text()}")
            lines += [
                f"  g{s + 1}({v}) = {self.g_text(s)}"
                for s, v in enumerate(self.variables)
                if self.g[s] and self.g[s] != {0: 1}
            ]
        else:
            if self.constant:
                lines.append(f"  constant = {self.constant}")
            lines.append(f"  {len(self.monomials)} monomial(s): {self.poly.expanded()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Decomposition(form={self.form!r}, poly={str(self.poly)!r})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: form, the maps as coefficient lists and text, the structure, the DAG."""
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
            "structure": None if self.structure is None else self.structure.to_dict(),
            "graph": graph,
        }


# ---- construction -------------------------------------------------------------------------


def decompose(poly: ModPoly | str, p: int | None = None) -> Decomposition:
    """Decompose a polynomial into its structure (or its monomials).

    Examples:
        >>> D = decompose("64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97")
        >>> D.form, D.h, D.g
        ('h_of_sum', {3: 1}, ({1: 4}, {2: 1}))
        >>> decompose("(x + 3)*(y - 1) mod 29").form
        'multiplicative'
    """
    P = as_modpoly(poly, p)
    f, n, pp = P.terms, P.nvars, P.p
    zero = (0,) * n
    constant = f.get(zero, 0)
    body = {e: c for e, c in f.items() if e != zero}
    monos = tuple((c, e) for e, c in gfpoly.sorted_terms(body))
    if n == 1:
        h = {e[0]: c for e, c in f.items()}
        return _learnable(P, "sum", ({1: 1},), h, "trivial", constant, monos)
    if n > 1:
        direct = _as_sum(f, n, pp) or _as_product(f, n, pp)
        if direct is not None:
            kind, g, k = direct
            return _learnable(P, kind, g, _affine(1, k, pp), "trivial", constant, monos)
        for u, h, found in outer_candidates(P):
            inner = _as_sum(u, n, pp) or _as_product(u, n, pp)
            if inner is not None:
                kind, g, k = inner
                return _learnable(P, kind, g, _shift(h, k, pp), found, constant, monos)
    graph = sum_of_monomials_graph(P, monos, constant)
    return Decomposition(P, "composite", constant, monos, found="trivial", graph=graph)


def _learnable(
    P: ModPoly,
    kind: str,
    g: tuple[Univariate, ...],
    h: Univariate,
    found: str,
    constant: int,
    monos: tuple[Monomial, ...],
) -> Decomposition:
    p, variables = P.p, P.variables
    cells = p * (len(g) + 1)  # the maps are tabulated over Z_p, in the Structure
    if cells > DEFAULT_MAX_TABLE_CELLS:
        raise TableTooLargeError(
            f"the structure of {P} holds {len(g) + 1} maps tabulated over Z_p, {cells:,} int64 "
            f"values ({cells * 8 / 2**30:.1f} GiB), above the cap of {DEFAULT_MAX_TABLE_CELLS:,}"
            "; decompose it over a smaller prime"
        )
    inner = [gfpoly.univariate_values(gs, p) for gs in g]
    outer = gfpoly.univariate_values(h, p)
    make = Structure.sum if kind == "sum" else Structure.product
    St = make(p, variables, inner, outer, inner_poly=g, outer_poly=h)
    graph = structure_graph(P, kind, g, h)
    return Decomposition(P, St.form, constant, monos, g, h, found, graph, St)


def _univariate_index(e: tuple[int, ...]) -> int | None:
    used = [i for i, a in enumerate(e) if a]
    return used[0] if len(used) == 1 else None


def _as_sum(u: Terms, n: int, p: int) -> tuple[str, tuple[Univariate, ...], int] | None:
    """``u = g_1(n_1) + ... + g_S(n_S) + k`` (no mixed monomial): ``("sum", g, k)``."""
    maps: list[Univariate] = [{} for _ in range(n)]
    k = 0
    for e, c in u.items():
        if not any(e):
            k = c
            continue
        s = _univariate_index(e)
        if s is None:
            return None
        maps[s][e[s]] = c
    return "sum", tuple(maps), k


def _as_product(u: Terms, n: int, p: int) -> tuple[str, tuple[Univariate, ...], int] | None:
    """``u = c * g_1(n_1) * ... * g_S(n_S) + k`` with at least two non-constant factors.

    If so, the coefficient tensor of ``u - k`` has rank one, and the fibre of ``u`` along
    axis ``s`` through its leading monomial ``e*`` is ``g_s`` times a constant (that fibre
    misses the constant term, which only ``k`` can change, since ``e*`` has at least two
    non-zero exponents). Returns ``("product", (c*g_1, g_2, ...), k)``, checked exactly.
    """
    body = {e: c for e, c in u.items() if any(e)}
    if not body:
        return None
    lead = max(body, key=lambda e: (sum(e), e))
    if sum(1 for a in lead if a) < 2:
        return None
    scale = pow(body[lead], -1, p)
    factors: list[Univariate] = []
    for s in range(n):
        fibre = {}
        for e, c in u.items():
            if all(a == b for i, (a, b) in enumerate(zip(e, lead, strict=True)) if i != s):
                fibre[e[s]] = c * scale % p
        factors.append(fibre if lead[s] else {0: 1})
    first = next(s for s in range(n) if lead[s])
    factors[first] = {e: c * body[lead] % p for e, c in factors[first].items()}
    product: Terms = gfpoly.constant(1, n, p)
    budget = [CHECK_WORK]
    try:
        for s, gs in enumerate(factors):
            terms = {tuple(a if i == s else 0 for i in range(n)): c for a, c in gs.items()}
            product = gfpoly.mul(product, terms, p, budget)
    except gfpoly.ExpansionTooLarge:
        return None
    zero = (0,) * n
    k = (u.get(zero, 0) - product.get(zero, 0)) % p
    if gfpoly.add(product, gfpoly.constant(k, n, p), p) != u:
        return None
    return "product", tuple(factors), k


def _affine(c: int, k: int, p: int) -> Univariate:
    return {e: v % p for e, v in ((1, c), (0, k)) if v % p}


def _shift(h: Univariate, k: int, p: int) -> Univariate:
    """``h(t + k)`` as a polynomial in ``t`` (Horner's rule on univariate terms)."""
    result: Terms = {}
    step = gfpoly.add({(1,): 1}, gfpoly.constant(k, 1, p), p)
    for e in range(max(h, default=0), -1, -1):
        result = gfpoly.mul(result, step, p) if result else {}
        result = gfpoly.add(result, gfpoly.constant(h.get(e, 0), 1, p), p)
    return {e[0]: c for e, c in result.items()}

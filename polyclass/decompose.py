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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import sympy

from . import gfpoly
from .errors import PolyclassError
from .field import check_table_size, power_table
from .gfpoly import Terms
from .modpoly import ModPoly
from .parse import as_modpoly
from .tree import BinOp, Neg, Node, Pow, Var, evaluate_tree

FORMS = ("affine", "monomial", "h_of_sum", "h_of_product", "general")

#: Work budget (multiply-accumulate steps) for one candidate's exact symbolic check.
_CHECK_WORK = 300_000

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
    for u, h, found in _outer_candidates(P):
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


def _outer_candidates(P: ModPoly) -> Iterator[tuple[Terms, Univariate, str]]:
    """Pairs (u, h) with f = h(u) exactly, u without constant term: typed ones first."""
    seen: set[frozenset[tuple[tuple[int, ...], int]]] = set()
    for u, h in _typed_candidates(P):
        key = frozenset(u.items())
        if key not in seen and _composes_to(h, u, P):
            seen.add(key)
            yield u, h, "typed"
    f, p, n = P.terms, P.p, P.nvars
    degree = P.degree
    for d in range(degree, 0, -1):
        if degree % d or d % p == 0:
            continue
        root = _approximate_root(f, d, p, n)
        if root is None or frozenset(root.items()) in seen:
            continue
        outer = _expand_in_powers(f, root, d, p, n)
        if outer is not None:
            seen.add(frozenset(root.items()))
            yield root, outer, "expanded"


def _typed_candidates(P: ModPoly) -> Iterator[tuple[Terms, Univariate]]:
    """For every power ``B^k`` in the tree: u = B (constant term moved into h)."""
    p, n = P.p, P.nvars
    for base in _power_bases(P.tree):
        outer = _replace(P.tree, base)
        if _has_variables_other_than_u(outer):
            continue
        algebra = gfpoly.algebra(p, P.variables, max_work=_CHECK_WORK)
        try:
            u = evaluate_tree(base, p, algebra)
        except gfpoly.ExpansionTooLarge:
            continue
        shift = u.pop((0,) * n, 0)
        if not u:
            continue
        # h(t) = outer(t + shift), evaluated as a univariate polynomial in t
        t_algebra = gfpoly.algebra(p, ("__u__",), max_work=_CHECK_WORK)
        t_algebra.var = _shifted_variable(shift, p)
        try:
            h_terms = evaluate_tree(outer, p, t_algebra)
        except gfpoly.ExpansionTooLarge:
            continue
        yield u, {e[0]: c for e, c in h_terms.items()}


def _shifted_variable(shift: int, p: int) -> Callable[[str], Terms]:
    """The univariate polynomial ``t + shift`` (for any variable name)."""
    value = gfpoly.add({(1,): 1}, gfpoly.constant(shift, 1, p), p)
    return lambda _name: value


def _power_bases(node: Node) -> Iterator[Node]:
    if isinstance(node, Pow):
        if not isinstance(node.base, Var):
            yield node.base
        yield from _power_bases(node.base)
    elif isinstance(node, Neg):
        yield from _power_bases(node.arg)
    elif isinstance(node, BinOp):
        yield from _power_bases(node.left)
        yield from _power_bases(node.right)


def _replace(node: Node, target: Node) -> Node:
    if node == target:
        return Var("__u__")
    if isinstance(node, Pow):
        return Pow(_replace(node.base, target), node.exponent)
    if isinstance(node, Neg):
        return Neg(_replace(node.arg, target))
    if isinstance(node, BinOp):
        return BinOp(node.op, _replace(node.left, target), _replace(node.right, target))
    return node


def _has_variables_other_than_u(node: Node) -> bool:
    if isinstance(node, Var):
        return node.name != "__u__"
    if isinstance(node, Pow):
        return _has_variables_other_than_u(node.base)
    if isinstance(node, Neg):
        return _has_variables_other_than_u(node.arg)
    if isinstance(node, BinOp):
        return _has_variables_other_than_u(node.left) or _has_variables_other_than_u(node.right)
    return False


def _compose(h: Univariate, u: Terms, p: int, n: int, budget: list[int]) -> Terms:
    """h(u) in the reduced ring, by Horner's rule."""
    result: Terms = {}
    for e in range(max(h, default=0), -1, -1):
        result = gfpoly.mul(result, u, p, budget) if result else {}
        result = gfpoly.add(result, gfpoly.constant(h.get(e, 0), n, p), p)
    return result


def _composes_to(h: Univariate, u: Terms, P: ModPoly) -> bool:
    """Exact check that h(u) = f: symbolically when cheap, else on the full table."""
    try:
        return _compose(h, u, P.p, P.nvars, [_CHECK_WORK]) == P.terms
    except gfpoly.ExpansionTooLarge:
        pass
    try:
        check_table_size(P.p, P.nvars)
    except PolyclassError:
        return False
    u_table = gfpoly.evaluate_table(u, P.p, P.nvars)
    return bool(np.array_equal(gfpoly.univariate_values(h, P.p)[u_table], P.table()))


def _graded_key(e: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    return (sum(e), e)


def _leading(terms: Terms) -> tuple[tuple[int, ...], int]:
    e = max(terms, key=_graded_key)
    return e, terms[e]


def _approximate_root(f: Terms, d: int, p: int, n: int) -> Terms | None:
    """The approximate d-th root of f (monic, no constant term), or None if f has none."""
    lead, c = _leading(f)
    if any(a % d for a in lead):
        return None
    top = tuple(a // d for a in lead)
    m = sum(top)
    if d * max(top) > p - 1:
        return None  # u^d would wrap around x^p = x; the formal argument no longer applies
    root: Terms = {top: 1}
    scale = pow(c * d % p, -1, p)
    budget = [_CHECK_WORK]
    for _ in range(len(f) + 64):
        try:
            rest = gfpoly.add(f, gfpoly.scale(gfpoly.power(root, d, n, p, budget), -c, p), p)
        except gfpoly.ExpansionTooLarge:
            return None
        high = {e: v for e, v in rest.items() if sum(e) > (d - 1) * m}
        if not high:
            return root
        e, v = _leading(high)
        step = tuple(a - (d - 1) * t for a, t in zip(e, top, strict=True))
        if min(step) < 0 or sum(step) == 0 or _graded_key(step) >= _graded_key(top):
            return None
        root[step] = v * scale % p
        if d * max(step) > p - 1:
            return None
    return None


def _expand_in_powers(f: Terms, u: Terms, d: int, p: int, n: int) -> Univariate | None:
    """Constants h_i with f = sum_i h_i u^i, or None when f is not a polynomial in u."""
    lead, lc = _leading(u)
    inv_lc = pow(lc, -1, p)
    budget = [_CHECK_WORK]
    powers = [gfpoly.constant(1, n, p)]
    try:
        for _ in range(d):
            powers.append(gfpoly.mul(powers[-1], u, p, budget))
    except gfpoly.ExpansionTooLarge:
        return None
    rest = dict(f)
    h: Univariate = {}
    for i in range(d, -1, -1):
        key = tuple(a * i for a in lead)
        coeff = rest.get(key, 0) * pow(inv_lc, i, p) % p
        if coeff:
            h[i] = coeff
            rest = gfpoly.add(rest, gfpoly.scale(powers[i], -coeff, p), p)
    return h if not rest else None


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

"""Finding an outer function: pairs ``(u, h)`` with ``f = h(u)`` exactly.

Two sources of candidates, both re-checked exactly before they are offered:

* *as typed*: every power ``B^k`` in the syntax tree proposes ``u = B``, and ``h`` is the
  tree with ``B`` replaced by a variable (this survives exponents above ``p - 1``);
* *after expansion*: for each divisor ``d`` of the total degree, the approximate ``d``-th
  root ``u`` of ``f`` (monic in graded-lex order, no constant term, with
  ``deg(f - c u^d) <= (d-1) deg u``) is built term by term, and ``f`` is expanded in powers
  of ``u``; ``f = h(u)`` exactly when all coefficients of that expansion are constants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from .. import gfpoly
from ..errors import PolyclassError
from ..field import check_table_size
from ..gfpoly import Terms
from ..modpoly import ModPoly
from ..tree import BinOp, Neg, Node, Pow, Var, evaluate_tree

Univariate = dict[int, int]

#: Work budget (multiply-accumulate steps) for one candidate's exact symbolic check.
CHECK_WORK = 300_000


def outer_candidates(P: ModPoly) -> Iterator[tuple[Terms, Univariate, str]]:
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
        algebra = gfpoly.algebra(p, P.variables, max_work=CHECK_WORK)
        try:
            u = evaluate_tree(base, p, algebra)
        except gfpoly.ExpansionTooLarge:
            continue
        shift = u.pop((0,) * n, 0)
        if not u:
            continue
        # h(t) = outer(t + shift), evaluated as a univariate polynomial in t
        t_algebra = gfpoly.algebra(p, ("__u__",), max_work=CHECK_WORK)
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
        return _compose(h, u, P.p, P.nvars, [CHECK_WORK]) == P.terms
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
    budget = [CHECK_WORK]
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
    budget = [CHECK_WORK]
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

"""Narrow mixtures for general polynomials: low-rank products summed by a tree of adders.

A multiplication expert computes ``a_1(n_1) * ... * a_k(n_k)`` for *any* univariate maps
``a_s`` (they live in its embeddings), and a two-input adder computes ``g_1(u_1) + g_2(u_2)``
for any maps ``g`` of its inputs. So a polynomial need not get one expert per monomial:

* terms in one variable are summed into one map ``a_s(n_s)`` per variable, which the adder
  that reads the raw input ``n_s`` applies (no expert of its own);
* for two variables, the mixed terms ``sum_ij C[i, j] x^i y^j`` (``i, j >= 1``) are a matrix
  ``C``; a rank factorisation ``C = U V`` over GF(p) writes them as
  ``sum_r (sum_i U[i, r] x^i) (sum_j V[r, j] y^j)``: one product expert per rank, and the rank
  is at most ``min(#x-exponents, #y-exponents)``. With the constant and one-variable terms
  kept in ``C`` (exponent 0 rows and columns) the rank can be smaller still, e.g.
  ``(x + 3)(y - 1)`` is one product;
* terms in three or more variables are grouped by the exponents of all variables but one
  (chosen to give the fewest groups): ``x^a y^b (sum_e c_e z^e)`` is one product expert.

`mixture_candidates` lists these plans together with the per-monomial mixture
(`polyclass.experts.composition.general_stages`); compile plans the candidates and keeps
the narrowest. Each candidate comes with its `Shape` list so
memory is priced before any ``p``-sized table is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import CompileError
from .addition import poly_values
from .budget import Budget, Shape
from .composition import (
    Attempt,
    Stage,
    best_exact_plan,
    general_stages,
    keep_narrowest,
    sum_tree,
)
from .core import make_spec
from .design import lattice_size

#: One univariate factor: ``(variable index, {exponent: coefficient})``.
Factor = tuple[int, dict[int, int]]
#: A product of univariate factors (one factor: a one-variable term).
Piece = tuple[Factor, ...]
Monomials = tuple[tuple[int, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Candidate:
    """One way to compile a general polynomial: its expert shapes and how to build it."""

    name: str
    shapes: tuple[Shape, ...]
    build: Callable[[], list[Stage]]

    def narrowest(self) -> int:
        """Total width if every expert had one frequency (a lower bound)."""
        return sum(s.width(1) for s in self.shapes)


def rank_factor(M: list[list[int]], p: int) -> tuple[list[list[int]], list[list[int]]]:
    """``M = U V`` over GF(p) with ``r = rank M`` columns of ``U`` and rows of ``V``.

    ``V`` is the reduced row echelon form of ``M`` (its non-zero rows) and ``U`` the pivot
    columns of ``M``. Plain Python integers, so any prime works.
    """
    R = [[x % p for x in row] for row in M]
    rows, cols = len(R), len(R[0]) if R else 0
    pivots: list[int] = []
    r = 0
    for c in range(cols):
        pick = next((i for i in range(r, rows) if R[i][c]), None)
        if pick is None:
            continue
        R[r], R[pick] = R[pick], R[r]
        inv = pow(R[r][c], -1, p)
        R[r] = [x * inv % p for x in R[r]]
        for i in range(rows):
            if i != r and R[i][c]:
                f = R[i][c]
                R[i] = [(a - f * b) % p for a, b in zip(R[i], R[r], strict=True)]
        pivots.append(c)
        r += 1
        if r == rows:
            break
    U = [[M[i][c] % p for c in pivots] for i in range(rows)]
    return U, R[:r]


def _pair_pieces(block: list[tuple[int, tuple[int, ...]]], s: int, t: int, p: int) -> list[Piece]:
    """Low-rank products for the terms of ``block``, all in the two variables ``s`` and ``t``."""
    row_e = sorted({exps[s] for _, exps in block})
    col_e = sorted({exps[t] for _, exps in block})
    M = [[0] * len(col_e) for _ in row_e]
    for c, exps in block:
        i, j = row_e.index(exps[s]), col_e.index(exps[t])
        M[i][j] = (M[i][j] + c) % p
    U, V = rank_factor(M, p)
    pieces: list[Piece] = []
    for r in range(len(V)):
        a = {e: U[i][r] for i, e in enumerate(row_e) if U[i][r]}
        b = {e: V[r][j] for j, e in enumerate(col_e) if V[r][j]}
        pieces.append(((s, a), (t, b)))
    return pieces


def _grouped_pieces(
    block: list[tuple[int, tuple[int, ...]]], support: tuple[int, ...]
) -> list[Piece]:
    """Terms in three or more variables: one product per exponent pattern of all but one."""

    def groups(v: int) -> dict[tuple[int, ...], dict[int, int]]:
        out: dict[tuple[int, ...], dict[int, int]] = {}
        for c, exps in block:
            key = tuple(exps[s] for s in support if s != v)
            poly = out.setdefault(key, {})
            poly[exps[v]] = poly.get(exps[v], 0) + c
        return out

    v = min(support, key=lambda s: (len(groups(s)), s))
    others = [s for s in support if s != v]
    pieces: list[Piece] = []
    for key, poly in groups(v).items():
        factors: list[Factor] = [(s, {e: 1}) for s, e in zip(others, key, strict=True)]
        factors.append((v, poly))
        pieces.append(tuple(sorted(factors)))
    return pieces


def split_pieces(monomials: Monomials, p: int) -> list[Piece]:
    """One-variable sums per variable, low-rank products per pair, grouped products beyond."""
    by_support: dict[tuple[int, ...], list[tuple[int, tuple[int, ...]]]] = {}
    for c, exps in monomials:
        if c % p:
            support = tuple(s for s, e in enumerate(exps) if e)
            by_support.setdefault(support, []).append((c % p, exps))
    pieces: list[Piece] = []
    for support, block in sorted(by_support.items()):
        if len(support) == 1:
            (s,) = support
            poly: dict[int, int] = {}
            for c, exps in block:
                poly[exps[s]] = (poly.get(exps[s], 0) + c) % p
            pieces.append(((s, poly),))
        elif len(support) == 2:
            pieces += _pair_pieces(block, support[0], support[1], p)
        else:
            pieces += _grouped_pieces(block, support)
    return _merge_univariate(pieces, p)


def full_rank_pieces(monomials: Monomials, constant: int, p: int) -> tuple[list[Piece], int]:
    """Two variables: factor the whole coefficient matrix, exponent 0 included.

    Returns the pieces and the constant left over (factors that are constant are folded).
    """
    block = [(c % p, exps) for c, exps in monomials if c % p]
    if constant % p:
        block.append((constant % p, (0, 0)))
    pieces: list[Piece] = []
    rest = 0
    for piece in _pair_pieces(block, 0, 1, p):
        folded, k = _fold_constant_factors(piece, p)
        if folded:
            pieces.append(folded)
        else:
            rest = (rest + k) % p
    return _merge_univariate(pieces, p), rest


def _fold_constant_factors(piece: Piece, p: int) -> tuple[Piece, int]:
    """Move factors that are constants (only exponent 0) into the coefficients of another."""
    scale = 1
    kept: list[Factor] = []
    for s, poly in piece:
        if set(poly) <= {0}:
            scale = scale * poly.get(0, 0) % p
        else:
            kept.append((s, poly))
    if not kept or scale == 0:
        return (), scale if not kept else 0
    s0, poly0 = kept[0]
    kept[0] = (s0, {e: c * scale % p for e, c in poly0.items()})
    return tuple(kept), 0


def _merge_univariate(pieces: list[Piece], p: int) -> list[Piece]:
    """One piece per variable for the one-variable terms (they share one adder input)."""
    uni: dict[int, dict[int, int]] = {}
    out: list[Piece] = []
    for piece in pieces:
        if len(piece) == 1:
            s, poly = piece[0]
            acc = uni.setdefault(s, {})
            for e, c in poly.items():
                acc[e] = (acc.get(e, 0) + c) % p
        else:
            out.append(piece)
    uni_pieces: list[Piece] = [((s, poly),) for s, poly in sorted(uni.items())]
    return uni_pieces + out


def piece_shapes(pieces: list[Piece]) -> tuple[Shape, ...]:
    """Expert shapes of `pieces_stages` (products, then the adders)."""
    shapes = [Shape(len(pc), lattice_size(len(pc)), True) for pc in pieces if len(pc) > 1]
    n_terms = len(pieces)
    adders = [Shape(2, lattice_size(2))] * (n_terms - 1) if n_terms > 1 else []
    if n_terms == 1 and len(pieces[0]) == 1:
        adders = [Shape(1, lattice_size(1))]
    return tuple(shapes + adders)


def pieces_stages(pieces: list[Piece], constant: int, p: int) -> list[Stage]:
    """Stages for ``sum(pieces) + constant``: a product expert per multi-variable piece, the
    one-variable pieces read raw by the adders, and a tree of two-input adders."""
    if not pieces:
        raise CompileError("a general decomposition needs at least one non-constant term")
    n = np.arange(p, dtype=np.int64)
    stages: list[Stage] = []
    terms: list[tuple[np.ndarray, str]] = []
    for piece in pieces:
        if len(piece) == 1:
            s, poly = piece[0]
            terms.append((poly_values(poly, p), f"n{s}"))
    alone = len(pieces) == 1
    for j, piece in enumerate(pc for pc in pieces if len(pc) > 1):
        inner = [poly_values(poly, p) for _, poly in piece]
        outer = (n + constant) % p if alone else n
        name = "adder" if alone else f"prod{j}"
        spec = make_spec("product", p, inner, outer, label=f"product {j}")
        stages.append(Stage(name, spec, tuple(f"n{s}" for s, _ in piece)))
        terms.append((n, name))
    if alone and stages:
        return stages
    return stages + sum_tree(terms, constant, p)


def mixture_candidates(
    monomials: Monomials, constant: int, p: int, n_vars: int, adder: str
) -> list[Candidate]:
    """Plans to compare for ``sum c_j m_j + constant`` (``adder``: ``auto``, ``flat``, ``tree``).

    ``flat`` and ``tree`` ask for the per-monomial mixture with that adder (the paper's layout);
    ``auto`` adds the low-rank plans and the flat adder only while its lattice is small.
    """
    out: list[Candidate] = []
    terms = [
        (c, exps)
        for c, exps in monomials
        if not (sum(1 for e in exps if e) == 1 and sum(exps) == 1)  # x^1 needs no expert
    ]
    products = [
        Shape(k, lattice_size(k), True) for _, exps in terms if (k := sum(1 for e in exps if e))
    ]
    T = len(monomials)
    for kind in ("flat", "tree"):
        if adder not in ("auto", kind) or (kind == "flat" and adder == "auto" and T > 4):
            continue
        adders: tuple[Shape, ...]
        if kind == "flat" or T <= 2:
            adders = (Shape(T, lattice_size(T)),)
        else:
            adders = (Shape(2, lattice_size(2)),) * (T - 1)

        def build(kind: str = kind) -> list[Stage]:
            return general_stages(monomials, constant, p, kind)

        out.append(Candidate(f"per-monomial, {kind} adder", (*products, *adders), build))
    if adder != "auto":
        return out
    split = split_pieces(monomials, p)
    out.append(
        Candidate("low rank", piece_shapes(split), lambda: pieces_stages(split, constant, p))
    )
    if n_vars == 2:
        full, rest = full_rank_pieces(monomials, constant, p)
        if full:
            out.append(
                Candidate(
                    "low rank with constants",
                    piece_shapes(full),
                    lambda: pieces_stages(full, rest, p),
                )
            )
    return sorted(out, key=Candidate.narrowest)


def narrowest_plan(
    candidates: list[Candidate],
    *,
    beta: float,
    floor: float,
    budget: Budget,
    dtype_bytes: int = 4,
) -> tuple[list[Stage], list[Stage]]:
    """The narrowest exact plan over ``candidates`` and the unplanned stages it came from.

    Candidates are tried cheapest lower bound first and skipped once even one frequency per
    expert could not beat the best plan; each try may use what the best plan leaves free.
    """

    def attempt(cand: Candidate) -> Attempt[list[Stage]]:
        def run(trial: Budget | None) -> tuple[list[Stage], list[Stage]]:
            stages = cand.build()
            plan = best_exact_plan(
                stages, beta=beta, floor=floor, budget=trial, dtype_bytes=dtype_bytes
            )
            return plan, stages

        return cand.narrowest(), run

    return keep_narrowest((attempt(c) for c in candidates), budget, dtype_bytes)


__all__ = [
    "Candidate",
    "full_rank_pieces",
    "mixture_candidates",
    "narrowest_plan",
    "piece_shapes",
    "pieces_stages",
    "rank_factor",
    "split_pieces",
]

"""Exact symmetries of a two-variable table over Z_p, and the orbits they make.

A *symmetry* is a map ``g`` of the input grid with ``f(g(x, y)) = f(x, y)`` for all cells,
of one of two kinds, with ``sigma(u) = a u + b`` and ``tau(v) = c u + d`` affine
(``a, c != 0``; the multiplicative maps are those with ``b = d = 0``):

* ``(x, y) -> (sigma x, tau y)``;
* ``(x, y) -> (sigma y, tau x)`` (a swap composed with affine maps).

The symmetries form a group. The search is exact and vectorised: a candidate ``sigma``
must map every row to a row with the same multiset of values; for each surviving
``sigma`` the compatible ``tau`` are pinned down by two cells of one row (the positions of
their values in the image row), checked on a random sample of cells and then on the whole
table. Nothing is sampled in the answer: every pair returned satisfies the identity on
every cell, and every pair that does is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..errors import PolyclassError

IntArray = npt.NDArray[np.int64]

#: Cap on candidate (sigma, tau) pairs examined at once (memory of the vectorised check).
MAX_CANDIDATES = 4_000_000
_SAMPLE = 24  # cells checked before the full-table check
_BLOCK = 1_000_000  # (a, b) row-map candidates probed at once


@dataclass(frozen=True)
class Symmetry:
    """One symmetry: ``(x, y) -> (a x + b, c y + d)``, or with ``swap`` ``(a y + b, c x + d)``."""

    a: int
    b: int
    c: int
    d: int
    swap: bool = False

    def apply(self, x: IntArray, y: IntArray, p: int) -> tuple[IntArray, IntArray]:
        """Images of the cells ``(x, y)`` (arrays of one shape)."""
        if self.swap:
            x, y = y, x
        return (self.a * x + self.b) % p, (self.c * y + self.d) % p

    def after(self, other: Symmetry, p: int) -> Symmetry:
        """The map ``self o other``: ``other`` first, then ``self``."""
        if self.swap:  # self reads other's second coordinate into its first
            a, b = self.a * other.c, self.a * other.d + self.b
            c, d = self.c * other.a, self.c * other.b + self.d
        else:
            a, b = self.a * other.a, self.a * other.b + self.b
            c, d = self.c * other.c, self.c * other.d + self.d
        return Symmetry(a % p, b % p, c % p, d % p, self.swap != other.swap)

    @property
    def is_identity(self) -> bool:
        return (self.a, self.b, self.c, self.d, self.swap) == (1, 0, 1, 0, False)

    def __str__(self) -> str:
        def affine(k: int, m: int, v: str) -> str:
            core = v if k == 1 else f"{k}{v}"
            return core if m == 0 else f"{core} + {m}"

        x, y = ("y", "x") if self.swap else ("x", "y")
        return f"(x, y) -> ({affine(self.a, self.b, x)}, {affine(self.c, self.d, y)})"


@dataclass(frozen=True)
class SymmetryGroup:
    """All symmetries of a table (identity included) and a plain-words summary."""

    p: int
    elements: tuple[Symmetry, ...]
    generators: tuple[Symmetry, ...] = ()

    @property
    def order(self) -> int:
        return len(self.elements)

    @property
    def has_swap(self) -> bool:
        return any(g.swap for g in self.elements)

    def involutive(self, lines: tuple[IntArray, IntArray] | None = None) -> SymmetryGroup:
        """A maximal subgroup of reflections: every map in it squares to the identity or, with
        ``lines`` (class labels of the ``p`` rows and of the ``p`` columns, equal for
        repeated ones), to a map that sends every row and column to a copy of itself.
        Scalings such as ``(w x, w y)`` with ``w`` of order 4 are left out, unless their
        square only exchanges repeated rows or columns; ``(x, y) -> (k y, x / k)`` is a
        reflection and kept.

        Worked out on what the maps do to the classes of rows and columns, where the maps
        that keep every class are one (a constant table's 512,072 symmetries at p = 23 are
        one there): those whose squares qualify are taken in turn (those without a swap
        first) and kept when the subgroup they generate with those kept holds only such
        maps, so a dihedral group keeps a Klein four-group of reflections, not the rotation
        of order 4 that two of them generate. The subgroup returned holds every symmetry
        that acts as a kept one; its ``generators`` generate it together with the maps that
        keep every class, so its orbits joined with the classes of repeated rows and
        columns are exact."""
        p = self.p
        labels = lines if lines is not None else (np.arange(p), np.arange(p))
        action = _ClassAction(p, *labels)
        keys = [action.key(g) for g in self.elements]
        coset: dict[tuple[int, int, int], int] = {}
        ids = [coset.setdefault(k, len(coset)) for k in keys]
        reps: dict[int, Symmetry] = {}
        for g, i in zip(self.elements, ids, strict=True):
            reps.setdefault(i, g)
        identity = coset[action.key(Symmetry(1, 0, 1, 0))]
        allowed = {i for i, g in reps.items() if coset[action.key(g.after(g, p))] == identity}
        kept: set[int] = {identity}
        added: list[Symmetry] = []
        for i in sorted(allowed, key=lambda i: _order_key(reps[i])):
            if i not in kept:
                grown = _generated_within(kept, [*added, reps[i]], allowed, reps, coset, action)
                if grown is not None:
                    kept, added = grown, [*added, reps[i]]
        elements = tuple(g for g, i in zip(self.elements, ids, strict=True) if i in kept)
        return SymmetryGroup(p, elements, tuple(added) or (Symmetry(1, 0, 1, 0),))

    def describe(self) -> str:
        """E.g. ``symmetry group of order 8: (x, y) -> (w x, w^-1 y), w^4 = 1; swap``."""
        if self.order == 1:
            return "no symmetry (trivial group)"
        plain = [g for g in self.elements if not g.swap and not g.is_identity]
        parts = []
        scalings = [g for g in plain if g.b == 0 and g.d == 0]
        shifts = [g for g in plain if g.a == 1 and g.c == 1]
        if scalings:
            k = len(scalings) + 1
            inverse = all((g.a * g.c) % self.p == 1 for g in scalings)
            same = all(g.a == g.c for g in scalings)
            pattern = "w^-1 y" if inverse else ("w y" if same else "w' y")
            parts.append(
                f"(x, y) -> (w x, {pattern}), w^{k} = 1"
                if inverse or same
                else f"{k - 1} scalings such as {scalings[0]}"
            )
        if shifts:
            parts.append(f"{len(shifts)} shifts such as {shifts[0]}")
        rest = [g for g in plain if g not in scalings and g not in shifts]
        if rest:
            parts.append(f"{len(rest)} other affine maps such as {rest[0]}")
        swaps = [g for g in self.elements if g.swap]
        if swaps:
            plain_swap = Symmetry(1, 0, 1, 0, True)
            parts.append("swap" if plain_swap in swaps else f"swap composed: {swaps[0]}")
        return f"symmetry group of order {self.order}: " + "; ".join(parts)

    def orbits(self) -> IntArray:
        """Orbit label of every cell, shape ``(p, p)``: the smallest cell index in its orbit.

        Small groups: the minimum over all elements (the orbit is the image set). Larger
        groups: the connected components of the graph joining each cell to its images under
        the generators (a finite group's orbits; costs ``p^2`` per generator).
        """
        p = self.p
        x, y = np.divmod(np.arange(p * p, dtype=np.int64), p)
        label = np.arange(p * p, dtype=np.int64)
        if self.order <= 32 or not self.generators:
            for g in self.elements:  # the orbit is the image set: one pass is exact
                gx, gy = g.apply(x, y, p)
                np.minimum(label, gx * p + gy, out=label)
            return label.reshape(p, p)
        targets = [gx * p + gy for gx, gy in (g.apply(x, y, p) for g in self.generators)]
        graph = coo_matrix(
            (
                np.ones(p * p * len(targets), dtype=np.int8),
                (np.tile(label, len(targets)), np.concatenate(targets)),
            ),
            shape=(p * p, p * p),
        )
        _, component = connected_components(graph, directed=True, connection="weak")
        _, first = np.unique(component, return_index=True)  # first cell = smallest index
        return np.asarray(first, dtype=np.int64)[component].reshape(p, p)


class _ClassAction:
    """What a map does to the classes of rows and of columns: ``key(g)`` is equal for two
    maps exactly when they send every cell to the same class of repeated rows and the same
    class of repeated columns (an affine map of one input is named by the class labels of
    its images, each distinct list once)."""

    def __init__(self, p: int, rows: IntArray, columns: IntArray) -> None:
        self.p = p
        self.points = np.arange(p, dtype=np.int64)
        self.labels = (np.asarray(rows), np.asarray(columns))
        self.names: tuple[dict[bytes, int], dict[bytes, int]] = ({}, {})
        self.seen: tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]] = ({}, {})

    def _name(self, side: int, a: int, b: int) -> int:
        known = self.seen[side].get((a, b))
        if known is None:
            image = self.labels[side][(a * self.points + b) % self.p].tobytes()
            known = self.names[side].setdefault(image, len(self.names[side]))
            self.seen[side][a, b] = known
        return known

    def key(self, g: Symmetry) -> tuple[int, int, int]:
        return (int(g.swap), self._name(0, g.a, g.b), self._name(1, g.c, g.d))


def _order_key(g: Symmetry) -> tuple[bool, int, int, int, int]:
    return (g.swap, g.a, g.b, g.c, g.d)


def _generated_within(
    group: set[int],
    generators: list[Symmetry],
    allowed: set[int],
    reps: dict[int, Symmetry],
    coset: dict[tuple[int, int, int], int],
    action: _ClassAction,
) -> set[int] | None:
    """The classes (ids of ``coset``) of the group generated by the group ``group`` and
    ``generators`` (its last one new), or None as soon as it holds one outside
    ``allowed``; products found breadth-first, each class once through its
    representative in ``reps``."""
    p = action.p
    found = set(group)
    frontier = [coset[action.key(reps[h].after(generators[-1], p))] for h in group]
    while frontier:
        h = frontier.pop()
        if h in found:
            continue
        if h not in allowed:
            return None
        found.add(h)
        frontier.extend(coset[action.key(reps[h].after(s, p))] for s in generators)
    return found


def symmetry_group(table: object) -> SymmetryGroup:
    """Every affine/multiplicative symmetry of a ``(p, p)`` value table, swaps included.

    Raises PolyclassError for a table that is not square and two-dimensional, or whose
    candidate count exceeds `MAX_CANDIDATES` (a nearly constant table).
    """
    T = np.asarray(table, dtype=np.int64)
    if T.ndim != 2 or T.shape[0] != T.shape[1] or T.shape[0] < 2:
        raise PolyclassError(
            f"symmetries need a square two-variable table (p, p), not shape {T.shape}"
        )
    p = T.shape[0]
    # Candidates passed a sample check; only those outside the group generated by the
    # verified ones are checked on the whole table (products of symmetries are symmetries).
    generators: list[Symmetry] = []
    group = {Symmetry(1, 0, 1, 0)}
    for cand in _pairs(T, T):
        g = Symmetry(*cand)
        if g not in group and _holds(T, T, cand):
            generators.append(g)
            group = _closure(generators, p)
    for cand in _pairs(T, T.T):  # one verified swap gives them all: swap . group
        if _holds(T, T.T, cand):
            s = Symmetry(*cand, swap=True)
            generators.append(s)
            group |= {compose(s, h, p) for h in group}
            break
    found = sorted(group, key=lambda g: (g.swap, not g.is_identity, g.a, g.b, g.c, g.d))
    return SymmetryGroup(p, tuple(found), tuple(generators))


def _pairs(A: IntArray, B: IntArray) -> list[tuple[int, int, int, int]]:
    """All affine (sigma, tau) with ``A[sigma u, tau v] = B[u, v]`` for every cell."""
    p = A.shape[0]
    # rows of A and of B in one numbering of their sorted contents
    sorted_rows = np.ascontiguousarray(np.sort(np.concatenate([A, B]), axis=1))
    ids: dict[bytes, int] = {}
    cls = np.array([ids.setdefault(r.tobytes(), len(ids)) for r in sorted_rows])
    cls_a, cls_b = cls[:p], cls[p:]
    sigmas = _row_maps(cls_a, cls_b, p)  # (n, 2) of (a, b)
    if sigmas.size == 0:
        return []
    # the row of B with the rarest values pins tau down: two cells v1, v2 of row u0
    u0, v1, v2, m1, m2 = _anchor(B)
    if len(sigmas) * m1 * m2 > MAX_CANDIDATES:
        raise PolyclassError(
            f"the table has about {len(sigmas) * m1 * m2:,} candidate symmetries to check "
            f"(more than {MAX_CANDIDATES:,}): it is nearly constant; its repeated rows and "
            "columns already describe it"
        )
    order = np.argsort(A, axis=1, kind="stable")  # positions in each row, grouped by value
    start = np.searchsorted(np.sort(B[u0]), [B[u0, v1], B[u0, v2]])
    rows = (sigmas[:, 0] * u0 + sigmas[:, 1]) % p  # sigma(u0) for every sigma
    t1 = order[:, start[0] : start[0] + m1][rows]  # where tau may send v1, (n, m1)
    t2 = order[:, start[1] : start[1] + m2][rows]
    s = np.repeat(np.arange(len(sigmas)), m1 * m2)
    t1 = np.repeat(t1, m2, axis=1).reshape(-1)
    t2 = np.tile(t2, (1, m1)).reshape(-1)
    inv = pow(int(v2 - v1) % p, -1, p)
    c = ((t2 - t1) * inv) % p
    d = (t1 - c * v1) % p
    keep = c != 0
    s, c, d = s[keep], c[keep], d[keep]
    rng = np.random.default_rng(0)
    u = rng.integers(0, p, _SAMPLE)
    v = rng.integers(0, p, _SAMPLE)
    a, b = sigmas[s, 0], sigmas[s, 1]
    for uu, vv in zip(u.tolist(), v.tolist(), strict=True):  # most candidates fail at once
        ok = A[(a * uu + b) % p, (c * vv + d) % p] == B[uu, vv]
        a, b, c, d = a[ok], b[ok], c[ok], d[ok]
    out = list(zip(a.tolist(), b.tolist(), c.tolist(), d.tolist(), strict=True))
    return sorted(set(out))


def _holds(A: IntArray, B: IntArray, g: tuple[int, int, int, int]) -> bool:
    """Whether ``A[a u + b, c v + d] == B[u, v]`` on every cell."""
    p = A.shape[0]
    grid = np.arange(p)
    a, b, c, d = g
    return bool(np.array_equal(A[np.ix_((a * grid + b) % p, (c * grid + d) % p)], B))


def compose(g: Symmetry, h: Symmetry, p: int) -> Symmetry:
    """The symmetry ``g . h`` (apply ``h`` first)."""
    if not g.swap:
        a, b, c, d = g.a * h.a, g.a * h.b + g.b, g.c * h.c, g.c * h.d + g.d
    else:
        a, b, c, d = g.a * h.c, g.a * h.d + g.b, g.c * h.a, g.c * h.b + g.d
    return Symmetry(a % p, b % p, c % p, d % p, g.swap != h.swap)


def _closure(generators: list[Symmetry], p: int) -> set[Symmetry]:
    """The group generated by ``generators`` (each orbit element times each generator)."""
    group = {Symmetry(1, 0, 1, 0)}
    frontier = list(group)
    while frontier:
        new = []
        for h in frontier:
            for g in generators:
                k = compose(g, h, p)
                if k not in group:
                    group.add(k)
                    new.append(k)
        frontier = new
    return group


def _row_maps(cls_a: IntArray, cls_b: IntArray, p: int) -> IntArray:
    """Affine ``sigma`` (rows ``(a, b)``) with ``cls_a[sigma u] == cls_b[u]`` on a probe set.

    A necessary condition only (probes: u = 0 and random rows); the caller checks the
    surviving pairs on the whole table.
    """
    rng = np.random.default_rng(1)
    probe = np.concatenate([[0], rng.integers(0, p, min(p, _SAMPLE))])
    b = np.arange(p, dtype=np.int64)
    start = b[cls_a[b] == cls_b[0]]  # sigma(0) = b lies in the class of row 0 of B
    found = []
    block = max(1, _BLOCK // max(start.size, 1))  # slopes a per vectorised step
    for lo in range(1, p, block):
        slopes = np.arange(lo, min(lo + block, p), dtype=np.int64)
        a, cand = np.repeat(slopes, start.size), np.tile(start, slopes.size)
        for u in probe[1:].tolist():  # most candidates fail at the first probes
            keep = cls_a[(a * u + cand) % p] == cls_b[u]
            a, cand = a[keep], cand[keep]
        found.append(np.stack([a, cand], axis=1))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def _anchor(B: IntArray) -> tuple[int, int, int, int, int]:
    """Row u0 and two columns v1 != v2 whose values are rarest in that row (with counts)."""
    p = B.shape[0]
    best: tuple[int, int, int, int, int] | None = None
    for u0 in range(p):
        values, inverse, counts = np.unique(B[u0], return_inverse=True, return_counts=True)
        per_cell = counts[np.asarray(inverse).reshape(-1)]
        ranked = np.argsort(per_cell, kind="stable")
        v1, v2 = int(ranked[0]), int(ranked[1])
        m1, m2 = int(per_cell[v1]), int(per_cell[v2])
        if best is None or m1 * m2 < best[3] * best[4]:
            best = (u0, v1, v2, m1, m2)
        if m1 * m2 == 1:
            break
    assert best is not None
    return best

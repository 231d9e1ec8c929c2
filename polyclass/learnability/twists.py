"""One-input twists of a two-variable table over Z_p: maps of one input that change every
value by one affine map, ``f(a x + b, y) = lam f(x, y) + mu`` (a table odd in x has
``f(-x, y) = -f``). The graded score links cells through them as through symmetries
(`polyclass.learnability.graded`; docs/src/concepts/learnability.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..errors import PolyclassError
from ..field import IntArray, log_table, primitive_root
from ..validation import as_table


@dataclass(frozen=True)
class Twist:
    """A map of one input that changes every value by one affine map of Z_p:
    ``f(a x + b, y) = lam f(x, y) + mu`` for all cells (``axis`` 0; on ``y`` for ``axis``
    1), with ``(lam, mu) != (1, 0)`` (those are symmetries). ``f(-x, y) = -f(x, y)`` (f odd
    in x) is the one the calibration study saw networks use most; those of higher order
    (``f(5x, y) = 5 f`` at p = 31, of order 3) only at the largest training fractions."""

    axis: int
    a: int
    b: int
    lam: int
    mu: int

    def is_reflection(self, p: int) -> bool:
        """``f(-x + b, y) = -f(x, y) + mu``: the map of the input and that of the values are
        both of order 2. The study saw networks use these with the symmetries and the
        others (``f(x, 7y) = 7 f`` at p = 19, of order 3) later, so these link cells in the
        symmetry classes and the others only in the twisted ones (`linked.table_structure`)."""
        return self.a == p - 1 and self.lam == p - 1

    def describe(self, p: int) -> str:
        v = "xy"[self.axis]
        core = v if self.a == 1 else ("-" + v if self.a == p - 1 else f"{self.a}{v}")
        arg = core if self.b == 0 else f"{core} + {self.b}"
        args = f"{arg}, y" if self.axis == 0 else f"x, {arg}"
        scale = "f" if self.lam == 1 else ("-f" if self.lam == p - 1 else f"{self.lam} f")
        value = scale if self.mu == 0 else f"{scale} + {self.mu}"
        return f"f({args}) = {value}"


def _affine_rows(R: IntArray, p: int) -> tuple[IntArray, IntArray, IntArray]:
    """Each row as ``offset + scale * canon`` with ``canon`` 0 in column 0 and 1 in the first
    column where the row differs from column 0 (zero for a constant row): the class id of
    ``canon``, ``scale`` and ``offset`` per row. Row ``x'`` is ``lam * row x + mu`` exactly
    when both have one class, ``scale' = lam scale`` and ``offset' = lam offset + mu``."""
    offset = R[:, 0].copy()
    diff = (R - offset[:, None]) % p
    moved = diff != 0
    scale = np.where(moved.any(axis=1), diff[np.arange(R.shape[0]), np.argmax(moved, axis=1)], 0)
    inverse = np.array([0] + [pow(v, -1, p) for v in range(1, p)], dtype=np.int64)
    canon = (diff * inverse[scale][:, None]) % p
    ids: dict[bytes, int] = {}
    classes = np.array([ids.setdefault(row.tobytes(), len(ids)) for row in canon], dtype=np.int64)
    return classes, scale, offset


def one_input_twists(table: object) -> tuple[Twist, ...]:
    """Every `Twist` of a 2-D table over Z_p, exactly (tested against all (a, b, lam, mu)).

    Rows are written once as ``offset + scale * canon`` (`_affine_rows`), so that whether a
    map of rows is a twist is checked in ``O(p)``. The row a varied anchor row ``x0`` is
    sent to fixes ``lam`` and ``mu``; the row ``x0 + 1`` must go to the row with the class,
    scale and offset that this implies, which fixes ``a``: about ``p`` candidates, checked
    on every row. A table whose rows are all constant depends on ``x`` alone (it is
    decomposable) and is given none on that input.
    """
    T, p = as_table(table)
    if T.ndim != 2:
        raise PolyclassError(f"one_input_twists needs a (p, p) table over Z_p; got shape {T.shape}")
    found: list[Twist] = []
    xs = np.arange(p, dtype=np.int64)
    for axis in (0, 1):
        classes, scale, offset = _affine_rows(T if axis == 0 else T.T, p)
        varied = np.flatnonzero(scale)
        if varied.size == 0:
            continue
        x0 = int(varied[0])
        x1 = (x0 + 1) % p
        rows: dict[tuple[int, int, int], list[int]] = {}
        for r in range(p):
            rows.setdefault((int(classes[r]), int(scale[r]), int(offset[r])), []).append(r)
        inverse = pow(int(scale[x0]), -1, p)
        for r in np.flatnonzero(classes == classes[x0]).tolist():
            lam = int(scale[r]) * inverse % p
            mu = (int(offset[r]) - lam * int(offset[x0])) % p
            if (lam, mu) == (1, 0):
                continue
            key = (int(classes[x1]), lam * int(scale[x1]) % p, (lam * int(offset[x1]) + mu) % p)
            for r1 in rows.get(key, []):
                a = (r1 - r) % p
                b = (r - a * x0) % p
                image = (a * xs + b) % p
                if (
                    a
                    and np.array_equal(classes[image], classes)
                    and np.array_equal(scale[image], lam * scale % p)
                    and np.array_equal(offset[image], (lam * offset + mu) % p)
                ):
                    found.append(Twist(axis, a, b, lam, mu))
    return tuple(found)


def twist_orbits(p: int, twists: tuple[Twist, ...]) -> list[IntArray]:
    """Per input moved by some twist: the partition of the cells (flat labels) into
    ``{(sigma x, y)}`` (or ``{(x, sigma y)}``) over the twists' maps sigma of that input.

    A twist moves one input alone, so its cell orbits are the orbits of its input under
    the maps, crossed with the other input: ``p`` points, not ``p^2`` cells, are joined."""
    parts = []
    for axis in (0, 1):
        maps = [t for t in twists if t.axis == axis]
        if not maps:
            continue
        points = np.arange(p, dtype=np.int64)
        graph = coo_matrix(
            (
                np.ones(p * len(maps), dtype=np.int8),
                (
                    np.tile(points, len(maps)),
                    np.concatenate([(t.a * points + t.b) % p for t in maps]),
                ),
            ),
            shape=(p, p),
        )
        _, orbit = connected_components(graph, directed=True, connection="weak")
        orbit = np.asarray(orbit, dtype=np.int64)
        cells = orbit[:, None] * p + points[None, :] if axis == 0 else points[:, None] * p + orbit
        parts.append(cells.reshape(-1))
    return parts


@dataclass(frozen=True)
class HomogeneousForm:
    """A table that is a homogeneous form about a centre whose row and column are
    constant: with ``F(u, v) = f(a + u, b + v) - f(a, b)``, ``F(c u, c v) = c^degree F(u, v)``
    for every c and ``F(0, v) = F(u, 0) = 0`` (``x y (x^2 + 2 x y + 3 y^2)``: ``a = b = 0``,
    degree 4). A twist of both inputs at once about the centre. Networks of check set K
    learned such tables earlier than their symmetries say (docs/src/calibration.md)."""

    a: int
    b: int
    degree: int  # modulo p - 1

    def describe(self) -> str:
        return (
            f"homogeneous of degree {self.degree} about ({self.a}, {self.b}), "
            "constant on its row and column"
        )


def homogeneous_form(table: object) -> HomogeneousForm | None:
    """The `HomogeneousForm` of a 2-D table over Z_p, or None (always for a constant table).

    A centre's other rows and columns cannot be constant unless F is zero (a constant row
    ``u`` has ``F(u, v) = F(u, 0) = 0`` for all v, so by homogeneity every row ``c u`` is
    zero), so the only candidate is the table's one constant row and one constant column;
    homogeneity is checked at a primitive root g, whose powers are every c: ``O(p^2)``."""
    T, p = as_table(table)
    if T.ndim != 2:
        raise PolyclassError(f"homogeneous_form needs a (p, p) table over Z_p; got shape {T.shape}")
    rows = np.flatnonzero((T == T[:, :1]).all(axis=1))
    cols = np.flatnonzero((T == T[:1, :]).all(axis=0))
    if len(rows) != 1 or len(cols) != 1:
        return None
    a, b = int(rows[0]), int(cols[0])
    u = np.arange(p, dtype=np.int64)
    F = (T[np.ix_((a + u) % p, (b + u) % p)] - T[a, b]) % p
    g = primitive_root(p)
    G = F[np.ix_(g * u % p, g * u % p)]  # F(g u, g v)
    i, j = np.argwhere(F)[0]
    ratio = int(G[i, j]) * pow(int(F[i, j]), -1, p) % p  # g^degree
    if ((G - ratio * F) % p).any():
        return None
    return HomogeneousForm(a, b, int(log_table(p)[ratio]))


@dataclass(frozen=True)
class CosetLines:
    """A table whose lines are affine images of one bijection, with scales in a coset:
    ``f = A(y) phi(x) + B(y)`` (``axis`` 0: every column, a function of x, is ``A(y) phi +
    B(y)``; ``axis`` 1: every row, with x and y exchanged), ``phi`` a bijection of Z_p and
    the nonzero ``A(y)`` exactly a coset of the multiplicative subgroup of order ``order``, a
    proper divisor of ``p - 1`` (``4 x^3 y^2 + 3 y^4 + 4 y^3`` at p = 29: ``A(y) = 4 y^2``,
    order 14). ``constant``: the lines with ``A = 0`` (their index along the other input). No
    relabelling of the inputs changes
    any of this. Networks of check set L learned such tables at large alpha where those
    with other scales stayed at chance (docs/src/calibration.md)."""

    axis: int
    order: int
    constant: tuple[int, ...]

    def describe(self, p: int) -> str:
        u, v = ("x", "y") if self.axis == 0 else ("y", "x")
        return (
            f"f = A({v}) phi({u}) + B({v}) with phi a bijection and A({v}) in a coset of the "
            f"subgroup of order {self.order} of the units mod {p}"
        )


def coset_gain(order: object, p: object) -> npt.NDArray[np.float64]:
    """The lines that share a line's scale up to sign, element by element: ``m`` lines share
    each scale (``m = (p - 1) / order``) and, where -1 is in the subgroup (``order`` even),
    as many have minus it: ``g = 2 m``, else ``m``; 1 where ``order`` is 0 (no coset lines).
    The gain the graded score's coset lines' use reads."""
    orders = np.asarray(order, dtype=np.float64)
    safe = np.where(orders > 0, orders, 1.0)
    m = (np.asarray(p, dtype=np.float64) - 1) / safe
    return np.asarray(np.where(orders > 0, m * np.where(safe % 2 == 0, 2.0, 1.0), 1.0))


def coset_lines(table: object) -> CosetLines | None:
    """The `CosetLines` of a 2-D table over Z_p, or None, exactly in ``O(p^2)``: the lines
    along an axis written as ``offset + scale * canon`` (`_affine_rows`) are affine images of
    one another when every non-constant one has the same ``canon``, which is then ``phi``
    up to an affine map; the nonzero scales, ``d`` of them, are a coset of the subgroup of
    order d when every ratio to one of them is a d-th root of unity."""
    T, p = as_table(table)
    if T.ndim != 2:
        raise PolyclassError(f"coset_lines needs a (p, p) table over Z_p; got shape {T.shape}")
    for axis in (0, 1):
        classes, scale, _ = _affine_rows(T.T if axis == 0 else T, p)  # the lines along axis
        varied = np.flatnonzero(scale)
        if varied.size == 0 or np.unique(classes[varied]).size != 1:
            continue
        line = (T[:, varied[0]] if axis == 0 else T[varied[0], :]).astype(np.int64)
        values = np.unique(scale[varied])
        d = int(values.size)
        if np.unique(line).size != p or d == p - 1 or (p - 1) % d:
            continue
        inverse = pow(int(values[0]), -1, p)
        if all(pow(int(v) * inverse % p, d, p) == 1 for v in values):
            constant = tuple(int(i) for i in np.flatnonzero(scale == 0))
            return CosetLines(axis, d, constant)
    return None

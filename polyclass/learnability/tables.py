"""Value tables: validation, reduction, exact checks of decompositions, fibre bound.

A *decomposition* of a table ``T`` over the cyclic group ``Z_N`` is a pair of maps
``a`` (rows) and ``b`` (columns) into ``Z_N`` such that ``T[x, y]`` depends only on
``a[x] + b[y] mod N``; the outer map ``h`` is then read off the table. Everything here works
on plain ``(p, p)`` int64 arrays and is independent of polynomials.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import TableError
from ..field import IntArray, check_modulus


def validate_table(table: object, p: int | None = None) -> tuple[IntArray, int]:
    """Check a value table at the public entry and return it as int64 with its modulus.

    The table must be an integer NumPy array of shape ``(p,) * S`` (``S >= 1``) with every
    entry in ``[0, p)``; ``p`` defaults to the side length and must be prime.
    """
    if not isinstance(table, np.ndarray):
        raise TableError(
            f"a value table must be a NumPy integer array, not {type(table).__name__}; "
            "build it with np.array(..., dtype=np.int64)"
        )
    if table.dtype == np.bool_ or not np.issubdtype(table.dtype, np.integer):
        raise TableError(
            f"a value table must have an integer dtype, not {table.dtype}; "
            "convert it with table.astype(np.int64) if its entries are whole numbers"
        )
    if table.ndim < 1 or table.size == 0:
        raise TableError(f"a value table must have at least one non-empty axis, not {table.shape}")
    side = table.shape[0]
    if any(s != side for s in table.shape):
        raise TableError(
            f"a value table must be square with shape (p, ..., p), not {table.shape}: "
            "every variable ranges over all of Z_p"
        )
    p = check_modulus(side if p is None else p)
    if side != p:
        raise TableError(f"a table over Z_{p} must have side {p}, not shape {table.shape}")
    out = np.asarray(table, dtype=np.int64)
    low, high = int(out.min()), int(out.max())
    if low < 0 or high >= p:
        bad = low if low < 0 else high
        raise TableError(f"table entries must lie in [0, {p}), found {bad}; reduce them mod {p}")
    return np.ascontiguousarray(out), p


@dataclass(frozen=True)
class Reduced:
    """A 2-D table with equal rows and equal columns merged.

    ``table`` is ``(m, n)``; ``row_class[x]`` is the reduced row of original row ``x`` and
    ``row_rep[i]`` an original row of class ``i`` (likewise for columns).
    """

    table: IntArray
    row_class: IntArray
    col_class: IntArray
    row_rep: IntArray
    col_rep: IntArray

    @property
    def shape(self) -> tuple[int, int]:
        m, n = self.table.shape
        return int(m), int(n)


def _classes(table: IntArray) -> tuple[IntArray, IntArray]:
    """Class of each row (numbered by first occurrence) and one representative per class.

    Rows are grouped by a hash first and every row is then compared with its group's
    representative, so the result is exact; a (never observed) collision falls back to
    ``np.unique``.
    """
    weights = np.arange(1, table.shape[1] + 1, dtype=np.int64) * 0x9E3779B1
    keys = multiset_hash(table * np.int64(table.shape[1] + 1) + np.arange(table.shape[1]))
    keys ^= (table @ weights).astype(np.uint64)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if not (table == table[first[inverse]]).all():
        _, first, inverse = np.unique(table, axis=0, return_index=True, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
    order = np.argsort(first)  # class numbers in order of first occurrence
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[inverse].astype(np.int64), np.sort(first).astype(np.int64)


def line_classes(table: IntArray, axis: int) -> IntArray:
    """Class of each index along ``axis`` (any number of axes): equal slices share a class,
    numbered by first occurrence."""
    flat = np.moveaxis(table, axis, 0).reshape(table.shape[axis], -1)
    return _classes(np.ascontiguousarray(flat))[0]


def reduce_table(table: IntArray) -> Reduced:
    """Merge equal rows and equal columns of a 2-D table."""
    row_class, row_rep = _classes(table)
    col_class, col_rep = _classes(table.T)
    reduced = np.ascontiguousarray(table[np.ix_(row_rep, col_rep)])
    return Reduced(reduced, row_class, col_class, row_rep, col_rep)


def sum_codes(moduli: tuple[int, ...], a: IntArray, b: IntArray) -> IntArray:
    """``(len(a), len(b))`` codes of ``a[x] + b[y]`` in ``Z_n1 x Z_n2 x ...`` (mixed radix)."""
    out = np.zeros((a.size, b.size), dtype=np.int64)
    ra, rb, weight = a.copy(), b.copy(), 1
    for n in moduli:
        da, db = ra % n, rb % n
        out += ((da[:, None] + db[None, :]) % n) * weight
        ra //= n
        rb //= n
        weight *= n
    return out


def outer_map(
    table: IntArray, moduli: tuple[int, ...], a: IntArray, b: IntArray
) -> IntArray | None:
    """The outer map ``h`` (``-1`` on sums that never occur) if ``T = h(a + b)`` on every cell.

    This is the exact check behind every positive verdict: it returns None as soon as two
    cells with the same sum carry different values.
    """
    order = int(np.prod(moduli))
    if a.min() < 0 or b.min() < 0 or a.max() >= order or b.max() >= order:
        return None
    codes = sum_codes(moduli, a, b)
    h = np.full(order, -1, dtype=np.int64)
    h[codes.ravel()] = table.ravel()
    if not np.array_equal(h[codes], table):
        return None
    return h


def value_counts(table: IntArray, p: int) -> IntArray:
    """``C[i, v]``: how often value ``v`` occurs in row ``i``."""
    m = table.shape[0]
    flat = (table + p * np.arange(m, dtype=np.int64)[:, None]).ravel()
    return np.bincount(flat, minlength=m * p).reshape(m, p)


def fibre_bound(red: Reduced, p: int) -> tuple[int, list[dict[str, object]]]:
    """The fibre bound ``L = sum_v c_v`` and one witness line per value.

    ``c_v`` is the largest number of distinct columns (rows) in which ``v`` occurs within a
    single row (column). In any decomposition ``h`` needs ``c_v`` distinct preimages of
    ``v``, so the group has at least ``L`` elements. Witnesses use original indices and are
    sorted by decreasing count.
    """
    R = red.table
    rows, cols = value_counts(R, p), value_counts(R.T, p)
    row_best, col_best = rows.max(axis=0), cols.max(axis=0)
    entries: list[dict[str, object]] = []
    for v in np.flatnonzero(np.maximum(row_best, col_best)):
        if row_best[v] >= col_best[v]:
            i = int(rows[:, v].argmax())
            cross = red.col_rep[np.flatnonzero(R[i] == v)]
            line, index = "row", int(red.row_rep[i])
        else:
            j = int(cols[:, v].argmax())
            cross = red.row_rep[np.flatnonzero(R[:, j] == v)]
            line, index = "column", int(red.col_rep[j])
        entries.append(
            {
                "value": int(v),
                "count": int(cross.size),
                "line": line,
                "index": index,
                "cross": [int(c) for c in cross],
            }
        )
    entries.sort(key=lambda e: -int(e["count"]))  # type: ignore[call-overload]
    total = sum(int(e["count"]) for e in entries)  # type: ignore[call-overload]
    return total, entries


def fibre_certificate(red: Reduced, p: int, order: int) -> dict[str, object] | None:
    """A fibre-bound refutation for groups of ``order`` elements, or None if it does not apply.

    Only the largest counts needed to exceed ``order`` are kept, so the list is short.
    """
    total, entries = fibre_bound(red, p)
    if total <= order:
        return None
    kept, running = [], 0
    for e in entries:
        kept.append(e)
        running += int(e["count"])  # type: ignore[call-overload]
        if running > order:
            break
    return {
        "kind": "fibre_bound",
        "group_order": order,
        "bound": total,
        "sum_of_kept": running,
        "entries": kept,
    }


def multiset_hash(codes: IntArray, axis: int = 1) -> npt.NDArray[np.uint64]:
    """Hash of the multiset of codes along ``axis``: wrapping sum of a mixed hash per code.

    Equal multisets always get equal hashes, so *different* hashes prove different
    multisets; callers only ever rely on that direction.
    """
    x = codes.astype(np.uint64)
    with np.errstate(over="ignore"):
        x = (x + np.uint64(0x9E3779B97F4A7C15)) * np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(31)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(29)
        return x.sum(axis=axis, dtype=np.uint64)


def histogram_hashes(table: IntArray, p: int, j: int, others: IntArray) -> npt.NDArray[np.uint64]:
    """Hashes of the joint histograms ``{(T[x, j], T[x, l])}`` of column ``j`` with ``others``."""
    pairs = table[:, j][:, None] * p + table[:, others]
    return multiset_hash(pairs, axis=0)


def histogram_certificate(red: Reduced, p: int, order: int, tries: int = 6) -> dict | None:
    """Refute ``Z_order`` when the rows are all distinct and there are exactly ``order`` rows.

    Then ``a`` is a bijection onto ``Z_order`` and the joint histogram of columns ``j, l``
    depends only on ``b[l] - b[j] != 0``: more than ``order - 1`` distinct histograms refute.
    Columns pairs are taken from the first ``tries`` columns against all others.
    """
    R = red.table
    m, n = R.shape
    if m != order or n < 2:
        return None
    keys: list[npt.NDArray[np.uint64]] = []
    pairs: list[tuple[int, int]] = []
    for j in range(min(tries, n)):
        others = np.array([c for c in range(n) if c != j], dtype=np.int64)
        keys.append(histogram_hashes(R, p, j, others))
        pairs.extend((j, int(c)) for c in others)
        _, first = np.unique(np.concatenate(keys), return_index=True)
        if first.size > order - 1:  # distinct hashes: provably distinct histograms
            chosen = np.sort(first)[:order]
            return {
                "kind": "column_pair_histograms",
                "group_order": order,
                "distinct": int(first.size),
                "pairs": [
                    [int(red.col_rep[pairs[c][0]]), int(red.col_rep[pairs[c][1]])] for c in chosen
                ],
            }
    return None

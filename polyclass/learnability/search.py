"""Finding maps ``a, b`` with ``T[i, j] = h(a[i] + b[j])`` over ``Z_N`` on a reduced table.

Two algorithms, both on *reduced* tables (rows pairwise distinct, columns pairwise distinct):

* `injective_solve`: assumes ``h`` injective, so equal values mean equal sums and the
  maps follow from the linear system ``a[i] + b[j] = s(T[i, j])`` by propagation.
* `autotopism_search`: for full tables (``N`` rows and ``N`` columns). ``T``
  decomposes over ``Z_N`` iff it has an autotopism ``(sigma, tau)`` (``T[sigma x, tau y] =
  T[x, y]``) with both permutations ``N``-cycles; for prime ``N`` one may assume ``sigma``
  sends row 0 to row 1 (scaling). The search individualises that pair, refines row and
  column colours of the two copies jointly (Weisfeiler-Leman style) and branches on the
  smallest colour class. When every branch fails the search is a proof that no such
  autotopism exists.

Every map returned is a candidate only: callers re-check it on every cell (``outer_map``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .tables import IntArray
from .tables import multiset_hash as _multiset_hash


class Timeout(Exception):
    """Internal: the time budget ran out."""


@dataclass
class Budget:
    """Wall-clock deadline and node counter shared by one classification."""

    deadline: float
    nodes: int = 0

    def tick(self) -> None:
        self.nodes += 1
        if time.perf_counter() > self.deadline:
            raise Timeout

    def left(self) -> float:
        return self.deadline - time.perf_counter()


def divisors(n: int) -> list[int]:
    """Positive divisors of ``n`` below ``n`` (the scale normalisations of ``Z_n``)."""
    return [d for d in range(1, n) if n % d == 0]


# ---- injective outer map ---------------------------------------------------------------------


class _Linear:
    """State of the propagation for ``a[i] + b[j] = s(T[i, j])`` with ``s`` injective.

    ``a``, ``b``, ``s`` hold group elements (``-1``: unknown); ``inv`` maps each group
    element back to the row / column / value using it, which enforces injectivity.
    """

    def __init__(self, R: IntArray, N: int) -> None:
        m, n = R.shape
        self.R, self.N = R, N
        self.maps = {
            "a": np.full(m, -1, dtype=np.int64),
            "b": np.full(n, -1, dtype=np.int64),
            "s": np.full(int(R.max()) + 1, -1, dtype=np.int64),
        }
        self.inv = {k: np.full(N, -1, dtype=np.int64) for k in self.maps}

    def copy(self) -> _Linear:
        new = object.__new__(_Linear)
        new.R, new.N = self.R, self.N
        new.maps = {k: v.copy() for k, v in self.maps.items()}
        new.inv = {k: v.copy() for k, v in self.inv.items()}
        return new

    def assign(self, kind: str, idx: IntArray, vals: IntArray) -> int | None:
        """Give ``kind[idx] = vals`` (mod N); None on a contradiction, else how many are new."""
        vals = vals % self.N
        arr, inv = self.maps[kind], self.inv[kind]
        target = np.full(arr.size, -1, dtype=np.int64)
        target[idx] = vals
        if not np.array_equal(target[idx], vals):  # one index, two different values
            return None
        known = (target >= 0) & (arr >= 0)
        if not np.array_equal(target[known], arr[known]):
            return None
        new = np.flatnonzero((target >= 0) & (arr < 0))
        if new.size == 0:
            return 0
        elems = target[new]
        if np.unique(elems).size != elems.size or (inv[elems] >= 0).any():
            return None  # injectivity
        arr[new] = elems
        inv[elems] = new
        return int(new.size)

    def propagate(self) -> bool:
        R, a, b, s = self.R, self.maps["a"], self.maps["b"], self.maps["s"]
        while True:
            ka, kb = np.flatnonzero(a >= 0), np.flatnonzero(b >= 0)
            block = R[np.ix_(ka, kb)]
            sums = a[ka][:, None] + b[kb][None, :]
            changed = self.assign("s", block.ravel(), sums.ravel())
            if changed is None:
                return False
            sv = s[R]
            for kind, mask, vals in (
                ("b", (a >= 0)[:, None] & (b < 0)[None, :] & (sv >= 0), sv - a[:, None]),
                ("a", (a < 0)[:, None] & (b >= 0)[None, :] & (sv >= 0), sv - b[None, :]),
            ):
                i, j = np.nonzero(mask)
                if i.size:
                    got = self.assign(kind, j if kind == "b" else i, vals[i, j])
                    if got is None:
                        return False
                    changed += got
            if not changed:
                return True


def injective_solve(
    R: IntArray, N: int, delta: int, budget: Budget | None = None, branch: bool = True
) -> tuple[IntArray, IntArray] | None:
    """Maps ``a, b`` assuming ``h`` injective, with ``a[0] = b[0] = 0`` and ``b[1] = delta``.

    Propagates ``a[i] + b[j] = s(T[i, j])`` from the normalisation (vectorised rounds);
    where the propagation stalls, the value of one more row is branched on (depth-first,
    within ``budget``). Returns None when no such maps exist or the budget ran out.
    """
    m, n = R.shape
    if n < 2:
        return None
    state = _Linear(R, N)
    one = np.zeros(1, dtype=np.int64)
    if (
        state.assign("a", one, one) is None
        or state.assign("b", np.array([0, 1]), np.array([0, delta])) is None
    ):
        return None
    try:
        return _linear_dfs(state, budget, branch)
    except Timeout:
        return None


def _linear_dfs(
    state: _Linear, budget: Budget | None, branch: bool
) -> tuple[IntArray, IntArray] | None:
    if budget is not None:
        budget.tick()
    if not state.propagate():
        return None
    a, b = state.maps["a"], state.maps["b"]
    free_a, free_b = np.flatnonzero(a < 0), np.flatnonzero(b < 0)
    if free_a.size == 0 and free_b.size == 0:
        return a, b
    if not branch:
        return None
    kind, k = ("a", int(free_a[0])) if free_a.size else ("b", int(free_b[0]))
    for u in np.flatnonzero(state.inv[kind] < 0):
        child = state.copy()
        if child.assign(kind, np.array([k]), np.array([u])) is not None:
            found = _linear_dfs(child, budget, branch)
            if found is not None:
                return found
    return None


# ---- full tables: autotopism search ----------------------------------------------------------


def _relabel(old: IntArray, hashes: np.ndarray) -> IntArray:
    keys = np.stack([old.astype(np.uint64), hashes], axis=1)
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).reshape(-1)


@dataclass
class _Colours:
    """Row and column colours of the source copy (first half) and target copy (second half)."""

    rows: IntArray  # (2m,)
    cols: IntArray  # (2n,)


def _refine(R: IntArray, p: int, c: _Colours) -> _Colours | None:
    """Jointly refine both copies until stable; None if the class sizes stop matching."""
    m, n = R.shape
    rows, cols = c.rows, c.cols
    n_rows, n_cols = -1, -1
    while True:
        codes_s = cols[None, :n] * p + R
        codes_t = cols[None, n:] * p + R
        h = _multiset_hash(np.concatenate([codes_s, codes_t]))
        rows = _relabel(rows, h)
        codes_s = rows[:m, None] * p + R
        codes_t = rows[m:, None] * p + R
        h = _multiset_hash(np.concatenate([codes_s.T, codes_t.T]))
        cols = _relabel(cols, h)
        kr, kc = int(rows.max()) + 1, int(cols.max()) + 1
        if not (
            np.array_equal(np.bincount(rows[:m], minlength=kr), np.bincount(rows[m:], minlength=kr))
            and np.array_equal(
                np.bincount(cols[:n], minlength=kc), np.bincount(cols[n:], minlength=kc)
            )
        ):
            return None
        if kr == n_rows and kc == n_cols:
            return _Colours(rows, cols)
        n_rows, n_cols = kr, kc


def _is_cycle(perm: IntArray) -> bool:
    x, steps = 0, 0
    while True:
        x = int(perm[x])
        steps += 1
        if x == 0:
            return steps == perm.size


def _leaf(R: IntArray, c: _Colours) -> tuple[IntArray, IntArray] | None:
    m, n = R.shape
    sigma = np.empty(m, dtype=np.int64)
    tau = np.empty(n, dtype=np.int64)
    where_t = np.empty(int(c.rows.max()) + 1, dtype=np.int64)
    where_t[c.rows[m:]] = np.arange(m)
    sigma[:] = where_t[c.rows[:m]]
    where_c = np.empty(int(c.cols.max()) + 1, dtype=np.int64)
    where_c[c.cols[n:]] = np.arange(n)
    tau[:] = where_c[c.cols[:n]]
    if not (_is_cycle(sigma) and _is_cycle(tau)):
        return None
    if not np.array_equal(R[np.ix_(sigma, tau)], R):
        return None
    return sigma, tau


def _search(R: IntArray, p: int, c: _Colours, budget: Budget) -> tuple[IntArray, IntArray] | None:
    budget.tick()
    refined = _refine(R, p, c)
    if refined is None:
        return None
    m, n = R.shape
    best: tuple[int, str, int] | None = None
    for kind, colours, size in (("row", refined.rows, m), ("col", refined.cols, n)):
        counts = np.bincount(colours[:size])
        big = np.flatnonzero(counts > 1)
        if big.size:
            k = int(big[counts[big].argmin()])
            if best is None or counts[k] < best[0]:
                best = (int(counts[k]), kind, k)
    if best is None:
        return _leaf(R, refined)
    _, kind, colour = best
    colours = refined.rows if kind == "row" else refined.cols
    size = m if kind == "row" else n
    source = int(np.flatnonzero(colours[:size] == colour)[0])
    fresh = int(colours.max()) + 1
    for target in np.flatnonzero(colours[size:] == colour):
        new = colours.copy()
        new[source] = fresh
        new[size + int(target)] = fresh
        child = _Colours(new, refined.cols) if kind == "row" else _Colours(refined.rows, new)
        found = _search(R, p, child, budget)
        if found is not None:
            return found
    return None


def autotopism_search(
    R: IntArray, p: int, r_source: int, r_target: int, budget: Budget
) -> tuple[IntArray, IntArray] | None:
    """Maps ``a, b`` of a full reduced table from an autotopism sending row ``r_source`` to
    row ``r_target``, or None when no such autotopism with two ``N``-cycles exists.

    ``p`` bounds the table values (used to encode pairs). Raises `Timeout`.
    """
    m, n = R.shape
    rows = np.zeros(2 * m, dtype=np.int64)
    rows[r_source] = 1
    rows[m + r_target] = 1
    found = _search(R, p, _Colours(rows, np.zeros(2 * n, dtype=np.int64)), budget)
    if found is None:
        return None
    sigma, tau = found
    N = m
    a = np.empty(m, dtype=np.int64)
    b = np.empty(n, dtype=np.int64)
    x = r_source
    for k in range(N):
        a[x] = k
        x = int(sigma[x])
    y = 0
    for k in range(N):
        b[y] = (-k) % N
        y = int(tau[y])
    return a, b

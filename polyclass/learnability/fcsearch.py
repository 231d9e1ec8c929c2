"""Exact search with forward checking for tables that the other algorithms leave open.

Variables are the group elements ``a[i]`` of the rows and ``b[j]`` of the columns of a
reduced table; the outer map ``h`` is filled in as cells get both coordinates. Each
variable keeps a domain (a boolean row over ``Z_N``). A value is removed from a domain only
when it would force ``h`` to take two different values at one sum, or reuse a group element
of another row (column); so the search stays exact, and when it exhausts every branch no
decomposition exists (under the normalisations ``a[0] = b[0] = 0`` and, for prime ``N``,
``a[1] = 1``). Branching is on the variable with the smallest domain.
"""

from __future__ import annotations

import numpy as np

from ..field import is_prime
from .search import Budget, divisors
from .tables import IntArray

#: Copying the domains at each node costs (m + n) * N bytes; larger groups are not searched.
MAX_ORDER = 400


class _State:
    def __init__(self, R: IntArray, N: int) -> None:
        m, n = R.shape
        self.R, self.N = R, N
        self.val = {"a": np.full(m, -1, dtype=np.int64), "b": np.full(n, -1, dtype=np.int64)}
        self.dom = {"a": np.ones((m, N), dtype=bool), "b": np.ones((n, N), dtype=bool)}
        self.h = np.full(N, -1, dtype=np.int64)
        # fibre bound per value: h needs at least need[v] preimages of v (distinct sums in
        # one row or column), so sum_v max(need[v], |h^-1(v) so far|) <= N in any completion
        size = int(R.max()) + 1
        rows = np.array([np.bincount(r, minlength=size) for r in R])
        cols = np.array([np.bincount(c, minlength=size) for c in R.T])
        self.need = np.maximum(rows.max(axis=0), cols.max(axis=0))

    def copy(self) -> _State:
        new = object.__new__(_State)
        new.R, new.N, new.need = self.R, self.N, self.need
        new.val = {k: v.copy() for k, v in self.val.items()}
        new.dom = {k: v.copy() for k, v in self.dom.items()}
        new.h = self.h.copy()
        return new

    def lines(self, kind: str) -> IntArray:
        """Table lines of ``kind``: rows for "a", columns for "b"."""
        return self.R if kind == "a" else self.R.T

    def assign(self, kind: str, k: int, u: int) -> bool:
        """Set one variable and propagate to a fixed point; False on a contradiction."""
        queue = [(kind, k, u)]
        while queue:
            kind, k, u = queue.pop()
            val, dom = self.val[kind], self.dom[kind]
            if val[k] >= 0:
                if val[k] != u:
                    return False
                continue
            if not dom[k, u]:
                return False
            val[k] = u
            dom[:, u] = False  # injectivity on distinct lines
            dom[k] = False
            dom[k, u] = True
            other = "b" if kind == "a" else "a"
            line = self.lines(kind)[k]  # values along this row (column)
            oval, odom = self.val[other], self.dom[other]
            # 1. cells with both coordinates known fix h
            known = np.flatnonzero(oval >= 0)
            pos = (u + oval[known]) % self.N
            want = line[known]
            have = self.h[pos]
            if ((have >= 0) & (have != want)).any():
                return False
            fresh = have < 0
            new_pos, new_val = pos[fresh], want[fresh]
            if np.unique(new_pos).size != new_pos.size:
                _, first = np.unique(new_pos, return_index=True)
                check = np.full(self.N, -1, dtype=np.int64)
                check[new_pos] = new_val
                if not np.array_equal(check[new_pos], new_val):
                    return False
                new_pos, new_val = new_pos[first], new_val[first]
            self.h[new_pos] = new_val
            if new_pos.size:
                counts = np.bincount(self.h[self.h >= 0], minlength=self.need.size)
                if int(np.maximum(counts, self.need).sum()) > self.N:
                    return False
            # 2. the new line restricts the other side: o = w needs h(u + w) in {?, value}
            free = np.flatnonzero(oval < 0)
            if free.size:
                hs = self.h[(u + np.arange(self.N)) % self.N]
                odom[free] &= (hs[None, :] < 0) | (hs[None, :] == line[free][:, None])
            # 3. new entries of h restrict both sides through the lines already placed
            if new_pos.size:
                for side, opp in (("a", "b"), ("b", "a")):
                    sdom = self.dom[side]
                    open_ = np.flatnonzero(self.val[side] < 0)
                    placed = np.flatnonzero(self.val[opp] >= 0)
                    if not placed.size or not open_.size:
                        continue
                    cells = self.lines(opp)[placed][:, open_]  # T at (placed line, open line)
                    for q, v in zip(new_pos.tolist(), new_val.tolist(), strict=True):
                        # open line t = w meets placed line k at sum q: needs T = v there
                        w = (q - self.val[opp][placed]) % self.N
                        sdom[open_[:, None], w[None, :]] &= (cells == v).T
            # 4. empty domains fail, singletons are assigned
            for side in ("a", "b"):
                sval, sdom = self.val[side], self.dom[side]
                open_ = np.flatnonzero(sval < 0)
                sizes = sdom[open_].sum(axis=1)
                if (sizes == 0).any():
                    return False
                for t in open_[sizes == 1].tolist():
                    queue.append((side, int(t), int(np.flatnonzero(sdom[t])[0])))
        return True


def forward_search(
    R: IntArray, N: int, budget: Budget
) -> tuple[str, tuple[IntArray, IntArray] | None, int]:
    """``("yes", (a, b), nodes)``, ``("no", None, nodes)`` or ``("skipped", None, 0)``.

    Raises `Timeout` when the budget runs out.
    """
    m, n = R.shape
    if N > MAX_ORDER or m > N or n > N or m < 2:
        return "skipped", None, 0
    start = budget.nodes
    firsts = [1] if is_prime(N) else divisors(N)
    for first in firsts:
        state = _State(R, N)
        if state.assign("a", 0, 0) and state.assign("b", 0, 0) and state.assign("a", 1, first):
            found = _dfs(state, budget)
            if found is not None:
                return "yes", found, budget.nodes - start
    return "no", None, budget.nodes - start


def _dfs(state: _State, budget: Budget) -> tuple[IntArray, IntArray] | None:
    budget.tick()
    best: tuple[int, str, int] | None = None
    for side in ("a", "b"):
        open_ = np.flatnonzero(state.val[side] < 0)
        if open_.size:
            sizes = state.dom[side][open_].sum(axis=1)
            i = int(sizes.argmin())
            if best is None or sizes[i] < best[0]:
                best = (int(sizes[i]), side, int(open_[i]))
    if best is None:
        return state.val["a"], state.val["b"]
    _, side, k = best
    for u in np.flatnonzero(state.dom[side][k]).tolist():
        child = state.copy()
        if child.assign(side, k, int(u)):
            found = _dfs(child, budget)
            if found is not None:
                return found
    return None

"""Study polynomials whose tables are the same learning problem: replicates, and leaks.

    PYTHONPATH=. python benchmarks/calibration_study/equivalent.py [--csv STUDY_CSV]

A network with one-hot inputs and outputs, initialised and split at random, cannot tell a
table T from T'(x, y) = g(T(s(x), t(y))) for bijections s, t of the inputs and g of the
outputs: relabelling permutes its rows of weights, and the random initialisation and the
random split have the same distribution either way. So two such tables have one
distribution of outcomes at each alpha. This script finds the pairs of study polynomials
at each prime that are equivalent through affine relabellings s(x) = a x + b,
t(y) = c y + d (possibly with the inputs swapped) and any output bijection g: a search
that proves each pair it reports (the map is printed) and is exhaustive over affine
maps, so it misses only equivalences that are not affine. Printed per pair: its halves
and, per alpha, the observed test accuracy of both (each the mean of its seeds). Pairs
across the two halves leak a case of the held-out half into the modelling one; the
differences within a pair show how far two replicates of one case land apart, a floor
under any score's error.

``--scalings P`` asks another question of the same machinery: do networks use maps that
keep a table only up to its outputs, f(a x, c y) = g(f(x, y))?

``--skips NAME`` finds, before any run, the draws of a held-out set of study.DRAWN_SETS
that are relabellings at p = 23 of a study polynomial, of an earlier set's or of the set's
own earlier draws: each is skipped and the next draw of its kind takes its place, until
the set has none. Prints the tuple to paste into study.py (the set's RELABELLINGS), or
stops with exit status 2 once ``--max-skips`` draws of one kind were skipped (the kind
has run out up to relabelling).
``--powers`` (with ``--skips``) tries the maps ``u -> (a u + b)^e`` that are bijections
of Z_p as well (`powered_equivalence`), which see, for instance, ``x^3 + y^3`` at p = 23
as ``x + y``; the sets up to the ninth were drawn with affine maps only.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).parent))

import study  # noqa: E402

import polyclass as pc  # noqa: E402

IntArray = npt.NDArray[np.int64]


def canonical(T: IntArray) -> IntArray:
    """T with its values renamed 0, 1, 2, ... in order of first appearance (row-major)."""
    return canonical_rows(T.reshape(1, -1)).reshape(T.shape)


def canonical_rows(R: IntArray) -> IntArray:
    """:func:`canonical` of every row of R at once (values renamed row by row)."""
    n, m = R.shape
    first = np.full((n, int(R.max()) + 1), m, dtype=np.int64)
    np.minimum.at(first, (np.repeat(np.arange(n), m), R.ravel()), np.tile(np.arange(m), n))
    rank = np.argsort(np.argsort(first, axis=1, kind="stable"), axis=1)
    return np.asarray(np.take_along_axis(rank, R, axis=1), dtype=np.int64)


def value_counts(T: IntArray) -> list[int]:
    """How often each value occurs in T, sorted: unchanged by every relabelling."""
    return sorted(np.unique(T, return_counts=True)[1].tolist())


def profiles(T: IntArray, axis: int, ids: dict[tuple[int, ...], int]) -> IntArray:
    """An id per row (axis 0) or column (axis 1) of its sorted value counts, which no
    relabelling of the outputs or of the other input changes (``ids`` shared between the
    tables compared)."""
    lines = T if axis == 0 else T.T
    n, m = lines.shape
    counts = np.zeros((n, int(lines.max()) + 1), dtype=np.int64)  # value counts per line
    np.add.at(counts, (np.repeat(np.arange(n), m), lines.ravel()), 1)
    counts.sort(axis=1)
    keys = [tuple(row[row > 0].tolist()) for row in counts]
    return np.array([ids.setdefault(k, len(ids)) for k in keys], dtype=np.int64)


def affine_candidates(source: IntArray, target: IntArray) -> list[tuple[int, int]]:
    """The maps x -> a x + b (a != 0) that send every line of ``source`` profile to the
    same profile in ``target`` (a necessary condition)."""
    p = source.size
    x = np.arange(p)
    out = []
    for a in range(1, p):
        images = (a * x[None, :] + x[:, None]) % p  # row b: a x + b for every x
        ok = np.all(target[images] == source[None, :], axis=1)
        out += [(a, int(b)) for b in np.flatnonzero(ok)]
    return out


Map = tuple[bool, int, int, int, int]  # (inputs swapped, a, b, c, d)


class Undecided(Exception):
    """The search for an equivalence ran out of its budget."""


def equivalence(
    A: IntArray, B: IntArray, budget: int = 500_000, filter_cost: int = 0
) -> Map | None:
    """An affine relabelling (swapped, a, b, c, d) with A(x, y) = g(C(a x + b, c y + d)) for
    some bijection g, where C is B or (swapped) its transpose; None when there is none.

    Exhaustive over the affine maps: a row map must match line profiles (necessary), and
    for each candidate column map the images of A's first two rows are compared, all
    column maps of one row at once, before the whole table is. Tables whose rows all look
    alike (Latin squares such as x + y) leave up to p^4 candidates: past ``budget``
    two-row comparisons the search raises :class:`Undecided`; ``filter_cost`` charges each
    one-row comparison of the first-row filter too (0: only the two-row ones, as the study's
    searches ran), so that the budget bounds the whole search."""
    if A.shape != B.shape or value_counts(A) != value_counts(B):
        return None
    p = A.shape[0]
    x = np.arange(p)
    target, two = canonical(A), canonical(A[:2])
    for swapped in (False, True):
        C = B.T if swapped else B
        ids: dict[tuple[int, ...], int] = {}
        rA, cA, rC, cC = (profiles(T, k, ids) for T in (A, C) for k in (0, 1))
        if sorted(rA) != sorted(rC) or sorted(cA) != sorted(cC):
            continue
        rows, cols = affine_candidates(rA, rC), affine_candidates(cA, cC)
        if not rows or not cols:
            continue
        maps = np.array(cols, dtype=np.int64)
        images = (maps[:, :1] * x[None, :] + maps[:, 1:]) % p  # one column map per row
        first_ok: dict[int, IntArray] = {}
        for a, b in rows:
            if b not in first_ok:  # column maps that take A's row 0 to C's row b
                budget -= filter_cost * len(maps)
                if budget < 0:
                    raise Undecided
                first_ok[b] = np.flatnonzero(np.all(canonical_rows(C[b][images]) == two[0], axis=1))
            ok = first_ok[b]
            if ok.size == 0:
                continue
            budget -= ok.size
            if budget < 0:
                raise Undecided
            pair = np.concatenate([C[b][images[ok]], C[(a + b) % p][images[ok]]], axis=1)
            for j in ok[np.all(canonical_rows(pair) == two.ravel(), axis=1)]:
                mapped = C[((a * x + b) % p)[:, None], images[j][None, :]]
                if np.array_equal(canonical(mapped), target):
                    return swapped, a, b, int(maps[j, 0]), int(maps[j, 1])
    return None


def unit_exponents(p: int) -> list[int]:
    """The exponents e (1 <= e < p - 1) of the power maps u -> u^e that are bijections of
    Z_p (gcd(e, p - 1) = 1; 0 -> 0), 1 first."""
    return [e for e in range(1, max(2, p - 1)) if math.gcd(e, p - 1) == 1]


def powered_equivalence(
    A: IntArray, B: IntArray, budget: int = 500_000
) -> tuple[int, int, Map] | None:
    """`equivalence` through power maps too: ``(e, f, map)`` with A equivalent, by the
    affine ``map``, to ``B(x^e, y^f)``, so ``A(x, y) = g(B((a x + b)^e, (c y + d)^f))``
    (inputs unswapped; swapped, ``A(x, y) = g(B((c y + d)^e, (a x + b)^f))``); None when no
    pair of exponents gives one. Power maps such as
    ``u -> u^3`` at p = 23 relabel ``x + y`` as ``x^3 + y^3``, which affine maps cannot.
    `Undecided` when no pair gives one and the search of some pair ran out of its share of
    ``budget`` (split evenly between the pairs of exponents)."""
    p = A.shape[0]
    if A.shape != B.shape or not _profiles_match(A, B):
        return None
    x = np.arange(p)
    pairs = list(itertools.product(unit_exponents(p), repeat=2))
    powered = {(e, f): B[np.ix_(_powers(x, e, p), _powers(x, f, p))] for e, f in pairs}
    target = canonical(A)
    for (e, f), C in powered.items():  # first the power maps alone: one comparison each
        for swapped, M in ((False, C), (True, C.T)):
            if np.array_equal(canonical(M), target):
                return e, f, (swapped, 1, 0, 1, 0)
    undecided = False
    for (e, f), C in powered.items():  # the budget shared out: a Latin square tries them all
        try:
            found = equivalence(A, C, max(1, budget // len(pairs)), filter_cost=1)
        except Undecided:
            undecided = True
            continue
        if found is not None:
            return e, f, found
    if undecided:
        raise Undecided
    return None


def _profiles_match(A: IntArray, B: IntArray) -> bool:
    """Whether A and B, or A and B transposed, have the same value counts and the same
    multisets of row and of column profiles: invariants of every relabelling."""
    if value_counts(A) != value_counts(B):
        return False
    for C in (B, B.T):
        ids: dict[tuple[int, ...], int] = {}
        rA, cA, rC, cC = (profiles(T, k, ids) for T in (A, C) for k in (0, 1))
        if sorted(rA) == sorted(rC) and sorted(cA) == sorted(cC):
            return True
    return False


def _powers(x: IntArray, e: int, p: int) -> IntArray:
    return np.array([pow(int(u), e, p) for u in x], dtype=np.int64)


def describe(found: Map) -> str:
    swapped, a, b, c, d = found
    inputs = "(y, x)" if swapped else "(x, y)"
    return f"{inputs} -> ({a}x + {b}, {c}y + {d}), outputs relabelled"


def scalings(T: IntArray) -> tuple[int, int]:
    """How many maps (x, y) -> (a x, c y), and the same after the swap, keep T exactly, and
    how many keep it up to a relabelling of the outputs (f(a x, c y) = g(f(x, y)))."""
    p = T.shape[0]
    x = np.arange(p)
    target, first = canonical(T), canonical(T[:1])
    exact = relabelled = 0
    for C in (T, T.T):
        for a, c in itertools.product(range(1, p), repeat=2):
            columns = (c * x) % p
            if not np.array_equal(canonical(C[:1, columns]), first):
                continue
            M = C[((a * x) % p)[:, None], columns[None, :]]
            if np.array_equal(canonical(M), target):
                relabelled += 1
                exact += int(np.array_equal(M, T))
    return exact, relabelled


#: Skipped draws of one kind after which `draw_skips` stops: the kind has run out up to
#: relabelling (as the narrow reflections had, study.WIDE_TERM_SEEDS; the most skips any
#: set needed in all, 1,062).
MAX_SKIPS_PER_KIND = 1500


class DrawsRanOut(ValueError):
    """A kind of a held-out set's draw has no new table left up to relabelling."""


def draw_skips(
    name: str, p: int = 23, powers: bool = False, limit: int = MAX_SKIPS_PER_KIND
) -> tuple[str, ...]:
    """The draws of held-out set ``name`` to skip (see ``--skips``), its own skips included.
    The set is checked in its listed order, each draw against the earlier polynomials and
    the draws listed before it (as the tests check it); pairs are proved once. ``powers``:
    relabellings through power maps too (`powered_equivalence`; the sets up to the ninth
    were checked with affine maps only). Raises `DrawsRanOut` once ``limit`` draws of one
    kind were skipped; prints the count to stderr every 100 skips."""
    seed, skipped, _ = study.DRAWN_SETS[name]
    names = list(study.DRAWN_SETS)
    earlier = list(study.study_polys())
    for other in names[: names.index(name)]:
        earlier += [t for _, t in study.drawn_set(other)]
    tables = {t: table(study.member(t, p), p) for t in earlier}
    proved: dict[tuple[str, str], bool] = {}

    def same(s: str, t: str) -> bool:
        if (s, t) not in proved:
            proved[s, t] = _equivalent(tables[s], tables[t], powers)
        return proved[s, t]

    per_kind: dict[str, int] = {}
    while True:
        before = list(earlier)
        found = None
        for kind, text in study.fresh_polys(study.FRESH_PER_KIND, seed, skipped):
            tables.setdefault(text, table(text, p))
            if any(same(text, other) for other in before):
                found = kind, text
                break
            before.append(text)
        if found is None:
            return skipped
        kind, text = found
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] >= limit:
            raise DrawsRanOut(
                f"set {name}: {per_kind[kind]} {kind} draws skipped as relabellings at p = "
                f"{p} ({len(skipped) + 1} in all): the kind has run out; widen its draw "
                "(study.WIDE_TERM_SEEDS) or raise --max-skips"
            )
        skipped = (*skipped, text)
        if len(skipped) % 100 == 0:
            print(f"{len(skipped)} skipped: {per_kind}", file=sys.stderr, flush=True)


def _equivalent(A: IntArray, B: IntArray, powers: bool = False) -> bool:
    """Whether A and B are proved relabellings: affine maps first with the whole budget,
    then (``powers``) power maps, whose search shares it out between the exponents (with
    the affine search only inside that share, a swapped affine relabelling at p = 23 ran
    out of it and was kept: the thirteenth set's first draw)."""
    for search in (equivalence, powered_equivalence) if powers else (equivalence,):
        try:
            if search(A, B) is not None:
                return True
        except Undecided:  # past the budget: not proved, so kept
            continue
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--csv", default=str(Path(__file__).parent / "study.csv"), help="the study CSV"
    )
    parser.add_argument(
        "--scalings",
        type=int,
        metavar="P",
        help="instead: per non-decomposable polynomial at P, its scalings exact and up to "
        "the outputs, with the observed test accuracy per alpha",
    )
    parser.add_argument(
        "--skips",
        metavar="NAME",
        help="instead: the draws of held-out set NAME that are relabellings of earlier "
        "polynomials at p = 23, to skip before any run",
    )
    parser.add_argument(
        "--powers",
        action="store_true",
        help="with --skips: relabellings through power maps u -> u^e as well as affine ones",
    )
    parser.add_argument(
        "--max-skips",
        type=int,
        default=MAX_SKIPS_PER_KIND,
        help="with --skips: stop once this many draws of one kind were skipped (the kind "
        "has run out up to relabelling)",
    )
    args = parser.parse_args()
    if args.skips:
        try:
            skips = draw_skips(args.skips, powers=args.powers, limit=args.max_skips)
        except DrawsRanOut as exc:
            parser.exit(2, f"equivalent.py: {exc}\n")
        print(f"{args.skips.upper()}_RELABELLINGS = {skips!r}")
        return
    with open(args.csv, newline="") as fh:
        rows = list(csv.DictReader(fh))
    if args.scalings:
        print_scalings(rows, args.scalings)
        return
    cases: dict[tuple[int, str], dict[str, dict]] = {}
    for r in rows:
        cases.setdefault((int(r["p"]), r["typed"]), {})[r["alpha"]] = r
    for p in sorted({p for p, _ in cases}):
        names = sorted(t for q, t in cases if q == p)
        tables = {t: table(t, p) for t in names}
        undecided = []
        for s, t in itertools.combinations(names, 2):
            try:
                found = equivalence(tables[s], tables[t])
            except Undecided:
                undecided.append(f"{s} / {t}")
                continue
            if found is None:
                continue
            a, b = cases[p, s], cases[p, t]
            halves = f"{next(iter(a.values()))['half']} / {next(iter(b.values()))['half']}"
            print(f"p = {p}: {s}  ~  {t}  [{halves}]  ({describe(found)})", flush=True)
            for alpha in sorted(set(a) & set(b), key=float):
                oa, ob = float(a[alpha]["observed"]), float(b[alpha]["observed"])
                print(f"    alpha {alpha}: {oa:.2f} vs {ob:.2f} (difference {abs(oa - ob):.2f})")
        if undecided:
            print(
                f"p = {p}: {len(undecided)} pairs undecided (search budget): "
                + "; ".join(undecided)
            )


def print_scalings(rows: list[dict[str, str]], p: int) -> None:
    observed: dict[str, dict[str, float]] = {}
    for r in rows:
        if int(r["p"]) == p and r["learnable"] != "1":
            observed.setdefault(r["typed"], {})[r["alpha"]] = float(r["observed"])
    for typed, by_alpha in sorted(observed.items()):
        exact, relabelled = scalings(table(typed, p))
        outcome = "  ".join(f"{a}: {by_alpha[a]:.2f}" for a in sorted(by_alpha, key=float))
        print(f"{typed:32s} exact {exact:4d}  up to outputs {relabelled:5d}  |  {outcome}")


def table(typed: str, p: int) -> IntArray:
    text = study.member(typed, p)
    return np.asarray(pc.parse(f"{text} mod {p}", variables=("x", "y")).table(), dtype=np.int64)


if __name__ == "__main__":
    main()

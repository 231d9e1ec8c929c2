"""Table algorithms of the learnability classifier against independent references."""

from __future__ import annotations

import contextlib
import copy
import itertools
import time

import numpy as np
import pytest
from learnability_cases import planted, poly_table, swapped

from polyclass.learnability import check_certificate
from polyclass.learnability.brute import backtrack
from polyclass.learnability.decide import decide_cyclic, decide_template, template_cases
from polyclass.learnability.fcsearch import forward_search
from polyclass.learnability.search import Budget, autotopism_search
from polyclass.learnability.tables import fibre_bound, outer_map, reduce_table


def _budget(seconds: float = 10.0) -> Budget:
    return Budget(time.perf_counter() + seconds)


def _decomposes_by_enumeration(T: np.ndarray, N: int) -> bool:
    """Reference: try every pair of maps a, b into Z_N with a[0] = b[0] = 0 (tiny tables)."""
    R = np.unique(np.unique(T, axis=0), axis=1)
    m, n = R.shape
    A = np.array([(0, *a) for a in itertools.product(range(N), repeat=m - 1)])
    B = np.array([(0, *b) for b in itertools.product(range(N), repeat=n - 1)])
    for a in A:
        sums = (a[None, :, None] + B[:, None, :]) % N  # (len(B), m, n)
        codes = np.sort((sums * 1000 + R[None]).reshape(len(B), -1), axis=1)
        same_sum = codes[:, 1:] // 1000 == codes[:, :-1] // 1000
        clash = same_sum & (codes[:, 1:] != codes[:, :-1])
        if not clash.any(axis=1).all():
            return True
    return False


@pytest.mark.parametrize("seed", range(12))
def test_exact_decision_agrees_with_enumeration_on_tiny_tables(seed):
    rng = np.random.default_rng(seed)
    p = 5
    kind = seed % 3
    if kind == 0:
        T = planted(p, seed, bijective=seed % 2 == 0)
    elif kind == 1:
        T = swapped(planted(p, seed), seed)
    else:
        T = rng.integers(0, 3, (p, p))
    d = decide_cyclic(T, p, p, _budget())
    assert d.status is not None
    assert d.status is _decomposes_by_enumeration(T, p)
    assert check_certificate(T, p, d.certificate if d.status is False else _yes(d)) is True


def _yes(d) -> dict:
    return {
        "kind": "decomposition",
        "group": list(d.moduli),
        "g": [d.a.tolist(), d.b.tolist()],
        "h": d.h.tolist(),
    }


@pytest.mark.parametrize("seed", range(6))
def test_full_table_search_agrees_with_plain_backtracking(seed):
    p = 7
    T = planted(p, seed) if seed % 2 == 0 else swapped(planted(p, seed), seed)
    d = decide_cyclic(T, p, p, _budget())
    status, _, _ = backtrack(reduce_table(T).table, p, 30.0)
    assert status in ("yes", "no")
    assert d.status is (status == "yes")


def test_fibre_bound_of_multiplication_is_2p_minus_1():
    p = 23
    T = poly_table(lambda x, y: x * y, p)
    total, entries = fibre_bound(reduce_table(T), p)
    assert total == 2 * p - 1
    zero = next(e for e in entries if e["value"] == 0)
    assert zero["count"] == p


def test_fibre_certificate_is_checked_independently_and_tampering_is_caught():
    p = 97
    T = poly_table(lambda x, y: (4 * x + y * y) ** 3 + x * y, p)
    d = decide_cyclic(T, p, p, _budget())
    assert d.status is False and d.certificate["kind"] == "fibre_bound"
    assert check_certificate(T, p, d.certificate) is True
    bad = copy.deepcopy(d.certificate)
    bad["entries"][0]["cross"][0] = (bad["entries"][0]["cross"][0] + 1) % p
    assert check_certificate(T, p, bad) is False
    short = copy.deepcopy(d.certificate)
    short["entries"] = short["entries"][:1]
    assert check_certificate(T, p, short) is False
    bigger = copy.deepcopy(d.certificate)
    bigger["group_order"] = 10**6
    assert check_certificate(T, p, bigger) is False


def test_histogram_certificate_refutes_a_swap_and_is_checked_independently():
    p = 97
    U = swapped(planted(p, 11), 11)
    d = decide_cyclic(U, p, p, _budget())
    assert d.status is False
    assert d.certificate["kind"] in ("column_pair_histograms", "exhausted_search")
    assert check_certificate(U, p, d.certificate, time_limit=1.0) in (True, None)
    if d.certificate["kind"] == "column_pair_histograms":
        assert check_certificate(U, p, d.certificate) is True
        bad = copy.deepcopy(d.certificate)
        bad["pairs"][1] = bad["pairs"][0]
        assert check_certificate(U, p, bad) is False
        # the same pairs do not refute the original, decomposable table
        assert check_certificate(planted(p, 11), p, d.certificate) is False


@pytest.mark.parametrize("seed", range(4))
def test_autotopism_search_exhausts_exactly_when_backtracking_does(seed):
    p = 7
    rng = np.random.default_rng(seed)
    g1, g2 = rng.permutation(p), rng.permutation(p)
    T = ((g1[:, None] + g2[None, :]) % p) ** 2 % p  # h(u) = u^2: symmetric outer map
    U = swapped(T, seed)
    for table, expected in ((T, True), (U, False)):
        R = reduce_table(table).table
        found = autotopism_search(R, p, 0, 1, _budget())
        assert (found is not None) is expected
        claim = {"kind": "exhausted_search", "group_order": p, "search": "autotopism", "nodes": 0}
        assert check_certificate(table, p, claim) is (not expected)


def test_decomposition_certificate_rejects_a_changed_cell():
    p = 23
    T = planted(p, 5)
    d = decide_cyclic(T, p, p, _budget())
    assert d.status is True
    cert = _yes(d)
    assert check_certificate(T, p, cert) is True
    U = T.copy()
    U[3, 4] = (U[3, 4] + 1) % p
    assert check_certificate(U, p, cert) is False


def test_template_cases_cover_every_zero_row_and_column_choice():
    p = 23
    T = poly_table(lambda x, y: x * y, p)
    assert template_cases(T) == [([], []), ([0], []), ([], [0]), ([0], [0])]
    d = decide_template(T, p, _budget())
    assert d.status is True and d.moduli == (p - 1, 3)


def test_template_refutation_is_checked_and_needs_every_case():
    p = 23
    T = poly_table(lambda x, y: x * x + x * y + y * y, p)  # fibre bound 45 <= 3 (p - 1)
    d = decide_template(T, p, _budget())
    assert d.status is False
    cert = d.certificate
    assert cert["kind"] == "multiplicative_template"
    assert check_certificate(T, p, cert) is True
    fewer = copy.deepcopy(cert)
    fewer["cases"] = fewer["cases"][:-1]
    assert check_certificate(T, p, fewer) is False


def test_injective_outer_map_with_many_to_one_maps_is_solved():
    p = 97
    T = planted(p, 4, bijective=False, injective_h=True)
    d = decide_cyclic(T, p, p, _budget())
    assert d.status is True and d.method in ("injective_h", "trivial")


@pytest.mark.parametrize("seed", range(8))
def test_forward_checking_search_agrees_with_plain_backtracking_on_partial_tables(seed):
    p = 7
    T = planted(p, seed, bijective=False)
    tables = [T]
    with contextlib.suppress(AssertionError):  # no 2x2 pattern in some small tables
        tables.append(swapped(T, seed))
    for table in tables:
        R = reduce_table(table).table
        status, sol, _ = forward_search(R, p, _budget())
        expected, _, _ = backtrack(R, p, 30.0)
        assert status == expected
        if sol is not None:
            assert outer_map(R, (p,), sol[0], sol[1]) is not None


def _latin_rectangle(p: int, rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A random rows x cols array over Z_p with no repeated value in any row or column."""
    while True:
        R = np.full((rows, cols), -1, dtype=np.int64)
        for i, j in itertools.product(range(rows), range(cols)):
            free = sorted(set(range(p)) - set(R[i, :j].tolist()) - set(R[:i, j].tolist()))
            if not free:
                break
            R[i, j] = rng.choice(free)
        else:
            return R


def test_exhausted_search_certificates_are_rechecked_independently():
    # a p x p table whose reduced part is a small Latin rectangle: the fibre bound is at most
    # p, there are no full rows for histograms, so only an exhaustive search can refute it
    p = 7
    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(40):
        R = _latin_rectangle(p, 4, 4, rng)
        T = R[np.ix_(rng.integers(0, 4, p), rng.integers(0, 4, p))]
        if len(reduce_table(T).table) < 4:
            continue
        d = decide_cyclic(T, p, p, _budget())
        if d.status is False and d.certificate["kind"] == "exhausted_search":
            assert check_certificate(T, p, d.certificate) is True
            checked += 1
        elif d.status is True:
            claim = {"kind": "exhausted_search", "group_order": p, "search": "x", "nodes": 0}
            assert check_certificate(T, p, claim) is False
    assert checked >= 1


@pytest.mark.parametrize("seed", range(3))
def test_forward_checking_search_finds_planted_partial_decompositions(seed):
    p = 13
    T = planted(p, seed, bijective=False)
    d = decide_cyclic(T, p, p, _budget(20.0))
    assert d.status is True


def test_one_fibre_bound_refutes_the_whole_template_only_above_three_times_p_minus_1():
    p = 23
    T = poly_table(lambda x, y: x**3 + x * y, p)  # fibre bound 89 > 3 * 22
    d = decide_template(T, p, _budget())
    assert d.status is False and d.certificate["kind"] == "fibre_bound"
    z = decide_cyclic(T, p, p, _budget())
    whole = {"kind": "not_learnable", "z_p": z.certificate, "multiplicative": d.certificate}
    assert check_certificate(T, p, whole) is True
    weak = copy.deepcopy(whole)
    weak["multiplicative"]["group_order"] = p  # a bound against Z_p says nothing about Z_22 x Z_3
    assert check_certificate(T, p, weak) is False

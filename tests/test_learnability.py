"""pc.classify: verdicts, proofs, the score, and the public object."""

from __future__ import annotations

import json

import numpy as np
import pytest
from learnability_cases import APPENDIX_C, FUNCTIONS, planted, poly_table, swapped

import polyclass as pc
from polyclass.learnability import Verdict, check_certificate
from polyclass.learnability.graded import table_structure
from polyclass.learnability.verdict import coverage_score

from reference import table_of

PRIMES = [23, 97]


def _assert_proof_checks(V: Verdict, T: np.ndarray, p: int) -> None:
    assert V.learnable is not None, V.reason
    assert check_certificate(T, p, V.certificate) is True


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(("text", "fn", "learnable"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_every_listed_polynomial_gets_the_right_verdict_with_a_checked_proof(
    text, fn, learnable, p
):
    V = pc.classify(f"{text} mod {p}")
    assert V.learnable is learnable, V.reason
    _assert_proof_checks(V, poly_table(fn, p), p)


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(("text", "fn", "learnable"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_bare_tables_get_the_same_verdict_as_the_polynomials(text, fn, learnable, p):
    T = poly_table(fn, p)
    # wall-clock budget: generous at p = 23 where the exact search does finish (CPU ~3 s)
    V = pc.classify(T, p=p, time_budget=30.0 if p == 23 else 5.0)
    if V.learnable is None:
        # only allowed where both maps are many-to-one, h is not injective and p is not tiny
        assert learnable and text == "(5*x^3 + 2*y^4)^2" and p == 97, V.reason
        assert "undecided" in V.reason
        return
    assert V.learnable is learnable, V.reason
    _assert_proof_checks(V, T, p)


@pytest.mark.parametrize(("text", "p", "test_accuracy"), APPENDIX_C)
def test_appendix_c_verdicts_agree_with_the_paper(text, p, test_accuracy):
    V = pc.classify(f"{text} mod {p}")
    assert V.learnable is (test_accuracy == 100.0), V.reason


def test_expanded_polynomial_gets_the_same_verdict_as_the_factored_one():
    factored = pc.classify("(4*x + y^2)^3 mod 97")
    expanded = pc.classify("64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97")
    assert factored.learnable is expanded.learnable is True
    assert factored.form == expanded.form == "h_of_sum"
    shifted = pc.classify("x*y + x + y + 1 mod 23")  # (x + 1)(y + 1), found from the table
    assert shifted.learnable is True and shifted.form == "multiplicative"


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_planted_random_decompositions_are_found_and_their_swaps_refuted(p, seed):
    T = planted(p, seed)
    V = pc.classify(T)
    assert V.learnable is True and V.form == "h_of_sum", V.reason
    _assert_proof_checks(V, T, p)
    U = swapped(T, seed)
    W = pc.classify(U)
    assert W.learnable is False, W.reason
    _assert_proof_checks(W, U, p)


@pytest.mark.parametrize("p", PRIMES)
def test_planted_partial_maps_with_injective_h_are_found(p):
    T = planted(p, 7, bijective=False, injective_h=True)
    V = pc.classify(T)
    assert V.learnable is True, V.reason
    _assert_proof_checks(V, T, p)


@pytest.mark.parametrize("p", PRIMES)
def test_random_tables_are_refuted(p):
    T = np.random.default_rng(p).integers(0, p, (p, p))
    V = pc.classify(T)
    assert V.learnable is False
    _assert_proof_checks(V, T, p)


def test_undecided_within_the_budget_says_so_instead_of_guessing():
    T = planted(23, 3, bijective=False)  # many-to-one maps and a non-injective h
    V = pc.classify(T, time_budget=0.3)
    assert V.learnable in (None, True)
    if V.learnable is None:
        assert V.form == "undetermined" and "undecided" in V.reason
        assert V.seconds < 5.0


def test_one_variable_is_trivially_learnable():
    V = pc.classify("x^5 + 3*x + 1 mod 23")
    assert V.learnable is True and V.form == "one_variable"
    assert check_certificate(table_of(lambda x: x**5 + 3 * x + 1, 23, 1), 23, V.certificate)


def test_three_variables_symbolic_yes_and_slice_refutation():
    V = pc.classify("(x + 2*y + z^2)^3 mod 11")
    assert V.learnable is True and V.form == "h_of_sum"
    assert check_certificate(
        table_of(lambda x, y, z: (x + 2 * y + z * z) ** 3, 11, 3), 11, V.certificate
    )
    W = pc.classify("x^3 + x*y + z mod 23")
    T = table_of(lambda x, y, z: x**3 + x * y + z, 23, 3)
    assert W.learnable is False
    assert check_certificate(T, 23, W.certificate) is True
    # x*y + z: the (x, y) slice refutes Z_p, the (x, z) slice at y = 1 refutes the template
    U = pc.classify("x*y + z mod 11")
    assert U.learnable is False
    assert check_certificate(table_of(lambda x, y, z: x * y + z, 11, 3), 11, U.certificate) is True
    assert check_certificate(table_of(lambda x, y, z: x + y + z, 11, 3), 11, U.certificate) is False
    M = pc.classify("x*y*z mod 11")
    assert M.learnable is True and M.form == "multiplicative"


def test_score_is_high_for_decomposable_and_majority_share_without_structure():
    assert pc.classify("(5*n1^3 + 2*n2^4)^2 mod 97").score >= 0.95
    # (4 n1 + n2^2)^3 + n1 n2 is not decomposable but has (w n1, w^-1 n2), w^3 = 1
    assert "symmetry group of order 3" in pc.classify("(4*n1 + n2^2)^3 + n1*n2 mod 97").notes[-1]
    for text in ("n1^3 + n1*n2^2 + n2", "n1^2*n2 + n2^3 + n1"):  # no structure at all
        P = pc.parse(f"{text} mod 97")
        V = pc.classify(P)
        counts = np.bincount(P.table().ravel())
        assert V.score == pytest.approx(counts.max() / counts.sum())  # majority-class share
        assert "no symmetry (trivial group)" in V.notes[-1]


def test_line_coverage_matches_the_idealised_learner_by_simulation():
    # coverage is an expectation over random training sets: check it by sampling
    fn = lambda x, y: (x * x + 2 * y**4) ** 2 - y  # noqa: E731 - rows x, -x are equal
    T = table_of(fn, 23, 2)
    S = table_structure(T)
    rows = [tuple(r) for r in T]
    cols = [tuple(c) for c in T.T]
    majority = np.bincount(T.ravel()).argmax()  # the fallback: the table's majority
    rng = np.random.default_rng(0)
    hits = []
    for _ in range(100):
        seen = rng.random(T.shape) < 0.3
        for x, y in zip(*np.nonzero(~seen), strict=True):
            mate = any(
                seen[u, v]
                for u in range(23)
                if rows[u] == rows[x]
                for v in range(23)
                if cols[v] == cols[y]
            )
            hits.append(mate or T[x, y] == majority)
    coverage = S.coverage(0.3, lines_only=True)
    assert 0.2 < coverage < 0.9
    assert coverage == pytest.approx(np.mean(hits), abs=0.01)
    assert coverage == pytest.approx(coverage_score(T, 0.3))


def test_verdict_prints_short_and_serialises_to_json():
    V = pc.classify("(5*n1^3 + 2*n2^4)^2 - n2 mod 97")
    text = str(V)
    assert "\n" not in text and len(text) < 250 and "not learnable" in text
    data = json.loads(json.dumps(V.to_dict()))
    assert data["learnable"] is False and data["certificate"]["kind"] == "not_learnable"
    assert "fibre bound" in V.reason and "value" in V.reason
    Y = pc.classify("(4*x + y^2)^3 mod 97")
    assert "g1(x) = 4*x" in Y.reason and "g2(y) = y^2" in Y.reason and "u^3" in Y.reason
    json.dumps(Y.to_dict())


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((23, 22), dtype=np.int64),  # not square
        np.full((23, 23), 23, dtype=np.int64),  # value outside Z_23
        np.full((23, 23), -1, dtype=np.int64),
        np.zeros((23, 23), dtype=np.float64),  # wrong dtype
        np.zeros((23, 23), dtype=bool),
        np.zeros((22, 22), dtype=np.int64),  # 22 is not prime
        [[0, 1], [1, 0]],  # not an array
    ],
)
def test_bad_tables_raise_a_polyclass_error(bad):
    with pytest.raises(pc.PolyclassError):
        pc.classify(bad)


def test_bad_arguments_raise_a_polyclass_error():
    with pytest.raises(pc.PolyclassError):
        pc.classify(np.zeros((23, 23), dtype=np.int64), p=29)
    with pytest.raises(pc.PolyclassError):
        pc.classify(np.zeros((23, 23), dtype=np.int64), p=21)
    with pytest.raises(pc.PolyclassError):
        pc.classify("x*y mod 23", alpha=0.0)
    with pytest.raises(pc.PolyclassError):
        pc.classify("x*y mod 96")


@pytest.mark.slow
def test_planted_partial_maps_with_non_injective_h_are_found_by_the_exact_search():
    T = planted(23, 3, bijective=False)
    V = pc.classify(T, time_budget=60.0)
    assert V.learnable is True, V.reason
    _assert_proof_checks(V, T, 23)


def test_constant_polynomials_are_trivially_learnable():
    for text in ("5 mod 23", "0 mod 23"):
        V = pc.classify(text)
        assert V.learnable is True and V.score == 1.0  # majority share 1


def test_map_text_at_large_p_lists_values_instead_of_interpolating(monkeypatch):
    from polyclass import gfpoly
    from polyclass.learnability.explain import poly_text

    p = 4099  # p^2 above gfpoly.POWER_TABLE_CELLS: interpolation would take p^2 cells
    values = np.arange(p, dtype=np.int64) ** 2 % p
    monkeypatch.setattr(gfpoly, "interpolate", lambda *a: pytest.fail("interpolated"))
    text = poly_text(values, p, "x")
    assert text.startswith("[0, 1, 4, 9, 16") and f"({p} values)" in text
    monkeypatch.undo()
    assert poly_text(np.arange(23) ** 2 % 23, 23, "x") == "x^2"

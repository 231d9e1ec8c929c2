"""Coset lines (`twists.coset_lines`) against a search in plain Python, their coverage, and
the graded score's use of them (check set L)."""

import math

import numpy as np
import pytest

import polyclass as pc
from polyclass.learnability.graded import NO_OUTER, USE_PARAMETERS, score_parts, uses_affine
from polyclass.learnability.linked import table_structure
from polyclass.learnability.twists import coset_gain, coset_lines
from polyclass.learnability.verdict_score import model_score


def _brute_coset(T: np.ndarray) -> set[tuple[int, int, tuple[int, ...]]]:
    """Every (axis, order, constant lines): along axis 0 the columns (axis 1 the rows) are
    all ``a c + b`` (some a, b for each) for one line c that takes p values, and the nonzero
    a over the lines are exactly ``s H`` for a subgroup H of order below p - 1 (the powers
    of some g) and some s; plain integer arithmetic, every (a, b) tried."""
    p = T.shape[0]
    subgroups = {frozenset(pow(g, i, p) for i in range(p)) for g in range(1, p)}
    found = set()
    for axis in (0, 1):
        lines = [[int(T[x][y]) for x in range(p)] for y in range(p)] if axis == 0 else T.tolist()
        for c in (line for line in lines if len(set(line)) == p):
            scales = []
            for line in lines:
                fits = [
                    a
                    for a in range(p)
                    for b in range(p)
                    if all(v == (a * t + b) % p for t, v in zip(c, line, strict=True))
                ]
                if not fits:
                    break
                scales.append(fits[0])
            else:
                S = {a for a in scales if a}
                for H in subgroups:
                    if len(H) < p - 1 and any(S == {s * h % p for h in H} for s in range(1, p)):
                        constant = tuple(i for i, a in enumerate(scales) if a == 0)
                        found.add((axis, len(H), constant))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "x*y^2 + y mod 7",  # A(y) = y^2: the squares, order 3
        "3*x^5*y^3 + 2*y^2 mod 7",  # A(y) = 3 y^3: {3, 4}, order 2
        "x^2*y + x^3 mod 11",  # rows: A(x) = x^2, order 5
        "4*x^3*y^2 + 3*y^4 + 4*y^3 mod 11",  # phi = x^3, a bijection mod 11
        "x*y + y^2 mod 7",  # A(y) = y: the whole group
        "x*y^2 + x*y + y^3 mod 7",  # A(y) = y^2 + y: no coset
        "x^2*y^3 + y mod 7",  # a coset on x^2, which is no bijection
        "x^3*y^2 + y mod 7",  # phi = x^3, no bijection mod 7
        "x + y mod 5",  # A = 1: the subgroup of order 1 (decomposable)
        "x^2 + y^2 mod 5",  # no affine lines
    ],
)
def test_coset_lines_match_brute_force(text):
    T = np.asarray(pc.parse(text, variables=("x", "y")).table())
    found = coset_lines(T)
    brute = _brute_coset(T)
    assert ({(found.axis, found.order, found.constant)} if found else set()) <= brute
    assert (found is None) == (not brute)


def test_relabelled_coset_tables_are_found_and_random_tables_are_not():
    """``lam (A(tau y) phi(sigma x) + B(tau y)) + mu`` for random bijections sigma, tau and
    phi, A(y) = c y^2 and random B is found with its order and its constant line; random
    tables are not (both against `_brute_coset`)."""
    rng = np.random.default_rng(7)
    p = 7
    for _ in range(8):
        sigma, tau, phi = rng.permutation(p), rng.permutation(p), rng.permutation(p)
        c, lam = (int(v) for v in rng.integers(1, p, 2))
        mu = int(rng.integers(0, p))
        B = rng.integers(0, p, p)
        y = tau[np.arange(p)]
        T = (lam * ((c * y[None, :] ** 2) * phi[sigma][:, None] + B[y][None, :]) + mu) % p
        found = coset_lines(T)
        zero = int(np.flatnonzero(y == 0)[0])
        assert found is not None and (found.axis, found.order, found.constant) == (0, 3, (zero,))
        assert (0, 3, (zero,)) in _brute_coset(T)
        R = rng.integers(0, p, (p, p))
        assert coset_lines(R) is None and _brute_coset(R) == set()


def test_coset_coverage_is_the_binomial_tail_of_each_line():
    """A cell on a line with A != 0 needs two of its line's p - 1 other cells in training,
    on a constant line one; the majority class on the rest (exact sums in plain Python)."""
    p, alpha = 7, 0.4
    for text, order in (("3*x*y^3 + 2*y^2", 2), ("x*y^2 + y", 3)):  # A = 3 y^3, y^2
        T = np.asarray(pc.parse(f"{text} mod {p}").table())
        S = table_structure(T)
        assert S.coset is not None and (S.coset.order, S.coset.constant) == (order, (0,))

        def tail(k: int) -> float:  # P(at least k of p - 1 partners in training)
            n = p - 1
            return sum(math.comb(n, i) * alpha**i * (1 - alpha) ** (n - i) for i in range(k, n + 1))

        counts = np.bincount(T.ravel(), minlength=p)
        majority = int(counts.argmax())
        expected = 0.0
        for x in range(p):
            for y in range(p):
                got = tail(1 if y == 0 else 2)
                expected += got + (1 - got) * (T[x, y] == majority)
        assert S.coset_coverage(alpha) == pytest.approx(expected / p**2)
    plain = table_structure(np.asarray(pc.parse(f"x^2 + y^2 mod {p}").table()))
    assert plain.coset_coverage(alpha) == 0.0


@pytest.mark.parametrize(
    "p, order, gain",
    [(29, 14, 4), (23, 11, 2), (37, 9, 4), (37, 12, 6), (43, 21, 2), (41, 20, 4), (29, 0, 1)],
)
def test_coset_gain_counts_the_lines_that_share_a_scale_up_to_sign(p, order, gain):
    """(p - 1) / order lines share each scale; where -1 is in the subgroup (even order) as
    many again have minus it: counted in plain Python over the scales y^k."""
    assert float(coset_gain(order, p)) == gain
    if order:
        k = (p - 1) // order  # A(y) = y^k has a coset of this order
        scales = [pow(y, k, p) for y in range(1, p)]
        assert len(set(scales)) == order
        assert sum(s in (scales[0], p - scales[0]) for s in scales) == gain


def test_the_score_uses_coset_lines_late_and_names_them():
    """With coset coverage C the score is ``s + u_aff (C - s)`` for the score s without
    them: u_aff rises with alpha, p and the lines per scale up to sign, tends to 1 as
    alpha -> 1 (the score to C), and parameters without an "affine" kind give s; the
    seventeenth model's (composed.SEVENTEENTH_PARAMETERS: no eighth number) leave cosets of
    odd order unused. The note names the lines."""
    P = USE_PARAMETERS
    assert uses_affine() and len(P["affine"]) == 8 and P["affine"][3] > 0  # b_g
    seventeenth = {**P, "affine": P["affine"][:3] + (0.0, 0.0, 0.0) + P["affine"][6:7]}
    assert uses_affine(seventeenth, 14) and not uses_affine(seventeenth, 9)
    without = {k: v for k, v in P.items() if k != "affine"}
    m, c, p = 0.07, 0.999, 29
    kw = {"gain": 1.0, "outer": NO_OUTER}

    def score(alpha: float, prime: int = p, order: int = 14, parameters=P) -> float:
        args = (m, m, m, alpha, prime, False, parameters)
        return score_parts(*args, affine=c, affine_order=order, **kw).score

    assert score(0.9, parameters=without) == pytest.approx(m)
    assert m < score(0.8) < score(0.9) < score(1 - 1e-9) == pytest.approx(c, abs=1e-6)
    assert score(0.9, 23, 11) < score(0.9, 29, 14) < score(0.9, 41, 20)  # gain 2, 4, 4
    assert score(0.85, 37, 18) < score(0.85, 37, 12)  # gain 4 against 6
    assert score(0.9, 37, 9, seventeenth) == pytest.approx(m)
    assert score(0.9, 37, 9) > m + 0.3
    text = "4*x^3*y^2 + 3*y^4 + 4*y^3 mod 29"
    V = pc.classify(text, alpha=0.9)
    assert "coset of the subgroup of order 14 of the units mod 29" in V.notes[0]
    assert "4 lines per scale up to sign" in V.notes[0]
    T = pc.parse(text).table()
    assert V.score > model_score(T, 0.9, False, 0.0, parameters=without)[0] + 0.2

"""The graded score: its limits, its structure notes, and the graded agreement of check."""

import numpy as np
import pytest

import polyclass as pc
from polyclass.learnability.graded import (
    THRESHOLD_SHIFT,
    model_score,
    score_parts,
    table_structure,
    use,
)
from polyclass.learnability.symmetry import symmetry_group


@pytest.mark.parametrize("kind", ["decomposable", "lines", "symmetry"])
@pytest.mark.parametrize("p", [23, 97, 1009])
def test_use_rises_with_alpha_and_tends_to_one(kind, p):
    values = [use(kind, a, p) for a in (0.1, 0.3, 0.5, 0.7, 0.9, 0.999999)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)
    assert values[-1] > 0.99


def test_alpha_to_one_gives_one_with_structure():
    for text, learnable in (("x + y mod 23", True), ("x^2 + x*y + y^2 mod 23", False)):
        P = pc.parse(text, variables=("x", "y"))
        S = table_structure(P.table())
        alpha = 1 - 1e-9
        score = score_parts(
            S.majority_share, S.coverage(alpha, True), S.coverage(alpha), alpha, 23, learnable
        ).score
        # x^2 + x*y + y^2: (0, 0) is the one cell alone in its orbit
        assert score == pytest.approx(1.0, abs=1.0 / 23**2 + 1e-6)


def test_no_structure_gives_the_majority_share_at_every_alpha():
    rng = np.random.default_rng(3)
    p = 23
    T = rng.integers(0, p, (p, p))
    assert symmetry_group(T).order == 1  # a random table has no symmetry
    m = np.bincount(T.ravel()).max() / T.size
    for alpha in (0.3, 0.5, 0.9, 0.999):
        score, note = model_score(T, alpha, False, 0.0)
        assert score == pytest.approx(m)
        assert "no symmetry (trivial group)" in note


def test_classify_names_the_symmetry_group_it_used():
    V = pc.classify("x^4 + y^4 + 3*x*y mod 97", alpha=0.7)
    assert V.learnable is False  # the binary verdict is unchanged
    assert "symmetry group of order 8: (x, y) -> (w x, w^-1 y), w^4 = 1; swap" in V.notes[-1]
    low = pc.classify("x^4 + y^4 + 3*x*y mod 97", alpha=0.3).score
    assert low < V.score < 1.0


def test_check_reports_binary_and_graded_agreement():
    R = pc.check("x + y mod 7", width=64, steps=300, seed=0, progress=False)
    assert R.graded_error == pytest.approx(abs(R.score - R.observed_test_accuracy))
    assert R.graded_agrees == (R.graded_error <= 0.10)
    data = R.to_dict()
    assert {"agrees", "graded_agrees", "graded_error"} <= set(data)
    assert "score" in str(R)


def test_note_warns_near_a_threshold_with_the_range_of_outcomes():
    T = pc.parse("x^2 + x*y + y^2 mod 59", variables=("x", "y")).table()
    S = table_structure(T)
    alphas = [a / 100 for a in range(20, 100)]

    def u(a):
        return use("symmetry", min(max(a, 1e-9), 1 - 1e-9), 59, gain=S.gain)

    # near: the use would cross 0.1..0.9 if the threshold moved by THRESHOLD_SHIFT
    near = [a for a in alphas if u(a - THRESHOLD_SHIFT) < 0.9 and u(a + THRESHOLD_SHIFT) > 0.1]
    assert near and near[0] > 0.3 and near[-1] < 0.95  # a band, not everywhere
    for a in (alphas[0], near[0], near[len(near) // 2], near[-1], alphas[-1]):
        score, note = model_score(T, a, False, 0.0)
        low = S.majority_share + use("lines", a, 59) * (S.coverage(a, True) - S.majority_share)
        high = low + max(S.coverage(a), S.coverage(a, True)) - S.coverage(a, True)
        assert ("near a threshold" in note) == (a in near and high - low > 0.2)
        if "near a threshold" in note:
            assert f"from about {low:.2f}" in note and f"to {high:.2f}" in note
            assert low - 1e-9 <= score <= high + 1e-9

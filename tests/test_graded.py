"""The graded score: its limits, its structure notes, and the graded agreement of check."""

import itertools
import math
from collections import Counter

import numpy as np
import pytest

import polyclass as pc
from polyclass.learnability.graded import (
    NO_OUTER,
    THRESHOLD_SHIFT,
    USE_PARAMETERS,
    Outer,
    certificate_outer,
    merging_outer,
    one_input_twists,
    outer_function,
    score_parts,
    table_structure,
    use,
)
from polyclass.learnability.outer import composition
from polyclass.learnability.symmetry import Symmetry, symmetry_group
from polyclass.learnability.verdict_score import model_score

from reference import eval_terms


@pytest.mark.parametrize("kind", ["decomposable", "lines", "symmetry"])
@pytest.mark.parametrize("p", [23, 97, 1009])
def test_use_rises_with_alpha_and_tends_to_one(kind, p):
    values = [use(kind, a, p) for a in (0.1, 0.3, 0.5, 0.7, 0.9, 0.999999)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)
    assert values[-1] > 0.99


def test_sharpness_scales_the_use_logit_by_a_power_of_p_and_keeps_the_threshold():
    """u = sigmoid(z (p / 23)^s): the same use at p = 23 as without s, the logit doubled
    at p = 92 with s = 1/2, and the alpha where u = 1/2 (z = 0) unmoved."""
    b0, b1, c_p, b_g, b_h, b_r = -16.0, 4.0, 0.5, 4.0, -24.0, -2.0
    sharp = {"symmetry": (b0, b1, c_p, b_g, b_h, b_r, 0.5)}
    flat = {"symmetry": (b0, b1, c_p, b_g, b_h, b_r)}

    def logit(u):
        return math.log(u / (1 - u))

    for alpha in (0.4, 0.6, 0.8):
        kw = {"gain": 2.0, "collapse": 0.1, "higher": 1.5}
        assert use("symmetry", alpha, 23, sharp, **kw) == pytest.approx(
            use("symmetry", alpha, 23, flat, **kw)
        )
        # by hand: z = b0 + b1 (logit(alpha) + c_p log p) + b_g log 2 + b_h 0.1 + b_r log 1.5
        z = b0 + b1 * (logit(alpha) + c_p * math.log(92)) + b_g * math.log(2.0)
        z += b_h * 0.1 + b_r * math.log(1.5)
        assert logit(use("symmetry", alpha, 92, flat, **kw)) == pytest.approx(z)
        assert logit(use("symmetry", alpha, 92, sharp, **kw)) == pytest.approx(2 * z)
    half = 1 / (1 + math.exp((b0 + b1 * c_p * math.log(92)) / b1))  # z = 0 without structure
    assert use("symmetry", half, 92, sharp) == pytest.approx(0.5)
    assert use("symmetry", half, 92, flat) == pytest.approx(0.5)
    # steeper on both sides of that threshold
    assert use("symmetry", half + 0.05, 92, sharp) > use("symmetry", half + 0.05, 92, flat)
    assert use("symmetry", half - 0.05, 92, sharp) < use("symmetry", half - 0.05, 92, flat)


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


def _brute_outer(h: list[int]) -> Outer:
    """Every affine map t -> a t + b of Z_n tried, and the entropy by plain counting."""
    n = len(h)
    order = sum(
        1
        for a in range(n)
        for b in range(n)
        if math.gcd(a, n) == 1 and all(h[(a * t + b) % n] == h[t] for t in range(n))
    )
    entropy = -sum(c / n * math.log(c / n) for c in Counter(h).values())
    return Outer(order, max(0.0, 1.0 - entropy / math.log(n)))


OUTER_CASES = [
    (23, lambda t: (t * t + 4 * t) % 23),  # h(-4 - t) = h(t): order 2
    (23, lambda t: pow(t, 4, 23)),  # gcd(4, 22) = 2: a = +-1
    (31, lambda t: pow(t, 3, 31)),  # a^3 = 1: order 3
    (37, lambda t: pow(t, 4, 37) + 2 * t * t),  # even: a = +-1
    (29, lambda t: t),  # one-to-one, only the identity
    (22, lambda t: (t * t) % 22),  # a composite modulus: units only
    (13, lambda t: 5),  # constant: every affine map
    (12, lambda t: t % 3),  # periodic: translations by 3 keep it
]


@pytest.mark.parametrize("n, f", OUTER_CASES)
def test_outer_function_matches_brute_force(n, f):
    h = [f(t) for t in range(n)]
    found, brute = outer_function(h), _brute_outer(h)
    assert found.stabiliser == brute.stabiliser
    assert found.collapse == pytest.approx(brute.collapse, abs=1e-12)


def test_outer_function_of_random_tables_matches_brute_force():
    rng = np.random.default_rng(5)
    for n in (7, 11, 12, 19):
        for values in (n, 3):
            h = rng.integers(0, values, n).tolist()
            found, brute = outer_function(h), _brute_outer(h)
            assert (found.stabiliser, found.collapse) == (
                brute.stabiliser,
                pytest.approx(brute.collapse, abs=1e-12),
            )


def test_twists_of_a_table_that_is_not_a_square_table_over_a_prime_are_refused():
    with pytest.raises(pc.PolyclassError, match="needs a \\(p, p\\) table"):
        one_input_twists(np.zeros(5, dtype=np.int64))
    for bad in (np.zeros((3, 4), dtype=np.int64), np.zeros((4, 4), dtype=np.int64)):
        with pytest.raises(pc.PolyclassError):
            one_input_twists(bad)


def test_outer_function_of_nothing_is_refused():
    with pytest.raises(pc.PolyclassError, match="n >= 1"):
        outer_function([])


def test_certificate_outer_reads_cyclic_decompositions_and_the_template_on_the_units():
    V = pc.classify("(x + y)^2 + 4*(x + y) mod 23")
    assert V.certificate["group"] == [23]
    assert certificate_outer(V.certificate) == outer_function(V.certificate["h"])
    assert certificate_outer(V.certificate).stabiliser == 2
    M = pc.classify("x*y mod 23")  # the multiplicative template: Z_22 x Z_3, h one-to-one
    assert M.certificate["group"] == [22, 3] and certificate_outer(M.certificate) == Outer(1, 0.0)
    N = pc.classify("x^2 + x*y + y^2 mod 23")
    assert N.learnable is False and certificate_outer(N.certificate) == NO_OUTER


def _outer_on_powers(H, p: int, step: int) -> Outer:
    """Plain-Python reference: h(u) = H(u) on the units g^(step k), k in Z_((p-1)/step),
    for a generator g of GF(p)*, as a function of k (brute force, `_brute_outer`)."""
    generator = next(g for g in range(2, p) if len({pow(g, k, p) for k in range(p - 1)}) == p - 1)
    n = (p - 1) // step
    return _brute_outer([H(pow(generator, step * k, p)) % p for k in range(n)])


@pytest.mark.parametrize(
    "text, p, H, step",
    [
        ("4*x^2*y^2 + x*y", 31, lambda u: 4 * u * u + u, 1),  # the twenty-first set's
        ("x^2*y^2 + 3*x*y", 23, lambda u: u * u + 3 * u, 1),
        ("(x*y^3)^3 + 2*x*y^3", 29, lambda u: u**3 + 2 * u, 1),
        ("x^4*y^4 + 3*x^2*y^2", 31, lambda u: u * u + 3 * u, 2),  # products reach squares
        ("x^3*y^6 + x*y^2", 19, lambda u: u**3 + u, 1),  # logs a + 2 b: every unit
        ("(x + 1)^2*(y^2 + 2)^2 + (x + 1)*(y^2 + 2)", 23, lambda u: u * u + u, 1),
    ],
)
def test_outer_of_the_template_is_h_on_the_products_that_occur(text, p, H, step):
    V = pc.classify(f"{text} mod {p}")
    assert V.form == "multiplicative" and V.certificate["group"] == [p - 1, 3]
    found, brute = certificate_outer(V.certificate), _outer_on_powers(H, p, step)
    assert found.stabiliser == brute.stabiliser
    assert found.collapse == pytest.approx(brute.collapse, abs=1e-12)
    assert found.collapse > 0.1


def test_outer_on_sums_that_fill_no_coset_reads_the_collapse_only():
    # x^11 and y^11 take -1, 0, 1 at p = 23: the sums -2..2, h(u) = u^2 there
    V = pc.classify("(x^11 + y^11)^2 mod 23")
    values = [u * u % 23 for u in range(-2, 3)]
    expected = _brute_outer(values).collapse
    assert certificate_outer(V.certificate) == Outer(1, pytest.approx(expected, abs=1e-12))


def test_score_of_a_decomposition_uses_its_outer_function():
    text = "(x + y)^2 + 4*(x + y) mod 23"
    T = pc.parse(text, variables=("x", "y")).table()
    V = pc.classify(text, alpha=0.4)
    outer = certificate_outer(V.certificate)
    assert V.score == pytest.approx(model_score(T, 0.4, True, 1.0, V.certificate)[0])
    assert "outer h: affine stabiliser of order 2" in V.notes[-1]
    S = table_structure(T)
    lines = S.coverage(0.4, lines_only=True)
    parts = score_parts(S.majority_share, lines, lines, 0.4, 23, True, outer=outer)
    u = use("decomposable", 0.4, 23, gain=outer.stabiliser, collapse=outer.collapse)
    assert parts.use == pytest.approx(u) and V.score == pytest.approx(parts.score)


def test_a_multiplicative_decomposition_with_a_merging_h_is_learned_later():
    text = "4*x^2*y^2 + x*y mod 31"  # h(x y), h(u) = 4u^2 + u: the twenty-first set's
    T = pc.parse(text, variables=("x", "y")).table()
    V = pc.classify(text, alpha=0.4)
    outer = certificate_outer(V.certificate)
    assert V.form == "multiplicative" and outer.collapse > 0.15
    assert "outer h: affine stabiliser of order 1" in V.notes[-1]
    S = table_structure(T)
    lines = S.coverage(0.4, lines_only=True)
    args = (S.majority_share, lines, lines, 0.4, 31, True)
    assert V.score == pytest.approx(score_parts(*args, outer=outer).score)
    assert V.score < score_parts(*args, outer=NO_OUTER).score - 0.2


def test_parameters_without_b_h_mean_b_h_zero():
    four = {k: v[:4] for k, v in USE_PARAMETERS.items()}
    zero = {k: (*v[:4], 0.0) for k, v in USE_PARAMETERS.items()}
    for alpha in (0.2, 0.5, 0.8):
        assert use("decomposable", alpha, 31, four, 2.0, 0.3) == use(
            "decomposable", alpha, 31, zero, 2.0, 0.3
        )


def _brute_twists(T: np.ndarray) -> set[tuple[int, int, int, int, int]]:
    """Every (axis, a, b, lam, mu) with f(a x + b, y) = lam f + mu (or on y), by trying all."""
    p = T.shape[0]
    out = set()
    for axis in (0, 1):
        for a in range(1, p):
            for b in range(p):
                moved = [[0] * p for _ in range(p)]
                for x in range(p):
                    for y in range(p):
                        cell = ((a * x + b) % p, y) if axis == 0 else (x, (a * y + b) % p)
                        moved[x][y] = int(T[cell])
                for lam in range(1, p):
                    for mu in range(p):
                        if (lam, mu) == (1, 0):
                            continue
                        if all(
                            moved[x][y] == (lam * int(T[x, y]) + mu) % p
                            for x in range(p)
                            for y in range(p)
                        ):
                            out.add((axis, a, b, lam, mu))
    return out


@pytest.mark.parametrize(
    "text",
    [
        "x^3 + x*y mod 7",  # odd in x: f(-x, y) = -f
        "x^3*y + x*y^3 mod 7",  # odd in x and in y
        "x^2*y + 3*y mod 7",  # f(x, 3y) = 3 f and more: linear in y
        "x^2 + x*y + y^2 mod 5",  # none on one input
        "x*y + x + 2 mod 5",  # f(x, a y + b): affine in y
        "x^4*y + 4*x*y^2 mod 5",  # odd only jointly: none
    ],
)
def test_one_input_twists_match_brute_force(text):
    T = pc.parse(text, variables=("x", "y")).table()
    found = {(t.axis, t.a, t.b, t.lam, t.mu) for t in one_input_twists(T)}
    assert found == _brute_twists(T)


def test_random_tables_have_the_twists_brute_force_finds():
    rng = np.random.default_rng(11)
    p = 5
    x = np.arange(p)
    for _ in range(20):
        g = rng.integers(0, p, (p, p))
        T = (g - g[(-x) % p]) % p  # odd in x by construction, often more
        found = {(t.axis, t.a, t.b, t.lam, t.mu) for t in one_input_twists(T)}
        assert found == _brute_twists(T) and (0, p - 1, 0, p - 1, 0) in found


def test_an_odd_table_links_each_cell_with_its_mirror():
    T = pc.parse("x^3 + x*y mod 23", variables=("x", "y")).table()
    S, plain = table_structure(T), table_structure(T, twists=False)
    assert [t.describe(23) for t in S.twists] == ["f(-x, y) = -f"]
    assert plain.gain == 1.0 and plain.twists == ()
    # (0, y) is its own mirror; every other cell has exactly one partner
    assert (S.class_size[0] == 1).all() and (S.class_size[1:] == 2).all()
    assert "1 one-input twist: f(-x, y) = -f" in S.describe()


# ---- composed tables f = h(q): a merging outer function delays the symmetries' use --------

COMPOSED = [
    # (text, p, h as a Python function, q as a Python function)
    ("(x^2 + x*y + y^2)^2", 23, lambda t: t * t, lambda x, y: x * x + x * y + y * y),
    (
        "(x^2*y + x*y^2)^2 + 2*(x^2*y + x*y^2)",
        31,
        lambda t: t * t + 2 * t,
        lambda x, y: x * x * y + x * y * y,
    ),
    ("(x^2 + x*y + y^2)^3", 31, lambda t: t**3, lambda x, y: x * x + x * y + y * y),
    ("4*x^4 + 4*x^3*y + x^2*y^2", 41, lambda t: 4 * t * t, lambda x, y: x * x + 21 * x * y),
]


def _collapse(h, p: int) -> float:
    """1 - entropy of h's values over Z_p / log p, with plain Python counting."""
    counts = Counter(h(t) % p for t in range(p))
    return 1.0 - sum(-c / p * math.log(c / p) for c in counts.values()) / math.log(p)


@pytest.mark.parametrize(("text", "p", "h", "q"), COMPOSED)
def test_composition_finds_a_merging_outer_function(text, p, h, q):
    C = composition(pc.parse(f"{text} mod {p}", variables=("x", "y")))
    assert C is not None and C.merges
    Q = C.inner  # f = h(q) on every cell, against plain integer arithmetic
    hv = {t: sum(c * pow(t, e, p) for e, c in C.h.items()) % p for t in range(p)}
    for x in range(p):
        for y in range(p):
            assert hv[int(Q[x, y])] == eval_terms(pc.parse(f"{text} mod {p}").terms, (x, y), p)
    # the q and h found are the ones written, up to an affine change of q
    assert C.outer.collapse == pytest.approx(_collapse(h, p))
    assert len({int(v) for v in Q.ravel()}) == len(
        {q(x, y) % p for x in range(p) for y in range(p)}
    )


def test_composition_ignores_outer_functions_that_only_relabel():
    # t^3 is one-to-one on Z_23 (gcd(3, 22) = 1): f is q with its outputs relabelled
    assert composition(pc.parse("(x^2 + x*y + y^2)^3 mod 23")) is None
    assert composition(pc.parse("x^2 + x*y + y^2 mod 23")) is None
    assert composition(pc.parse("(x + y)^2 mod 23", variables=("x", "y"))) is not None
    assert composition(pc.parse("(x^2 + 1)^2 mod 23")) is None  # one variable


def test_merging_outer_needs_an_inner_table_without_one_input_twists():
    twisted = composition(pc.parse("(x^3*y + x*y^3)^2 + x^3*y + x*y^3 mod 23"))
    plain = composition(pc.parse("(x^2 + x*y + y^2)^2 mod 23"))
    assert twisted is not None and one_input_twists(twisted.inner)  # q(-x, y) = -q
    assert merging_outer(twisted) == NO_OUTER and merging_outer(None) == NO_OUTER
    assert plain is not None and merging_outer(plain) == plain.outer != NO_OUTER


def test_a_merging_outer_function_lowers_the_score_of_a_symmetric_table():
    q, f = "x^2 + x*y + y^2 mod 23", "(x^2 + x*y + y^2)^2 mod 23"
    for alpha in (0.7, 0.8, 0.9):
        Vq, Vf = pc.classify(q, alpha=alpha), pc.classify(f, alpha=alpha)
        assert Vq.learnable is False and Vf.learnable is False
        T = pc.parse(f, variables=("x", "y")).table()
        S = table_structure(T)
        outer = composition(pc.parse(f)).outer
        u = use("symmetry", alpha, 23, gain=S.gain, collapse=outer.collapse)
        lines = S.coverage(alpha, lines_only=True)
        low = S.majority_share + use("lines", alpha, 23) * (lines - S.majority_share)
        assert Vf.score == pytest.approx(low + u * (max(S.coverage(alpha), lines) - lines))
        assert Vf.score < Vq.score - 0.2 if alpha <= 0.8 else Vf.score < Vq.score
        assert "h(t) = t^2 merging values of q (value collapse 0.21)" in Vf.notes[-1]
    # the same table given as a table has no polynomial to read h from: no delay
    T = pc.parse(f, variables=("x", "y")).table()
    assert pc.classify(T, alpha=0.8).score == pytest.approx(model_score(T, 0.8, False, 0.0)[0])
    assert pc.classify(T, alpha=0.8).score > pc.classify(f, alpha=0.8).score + 0.5
    # alpha -> 1 still gives the symmetries' full coverage
    assert pc.classify(f, alpha=1 - 1e-9).score == pytest.approx(1.0, abs=2.0 / 23**2)


def test_an_outer_function_that_only_relabels_keeps_the_score():
    for alpha in (0.7, 0.8):
        cubed = pc.classify("(x^2 + x*y + y^2)^3 mod 23", alpha=alpha)
        assert cubed.score == pytest.approx(
            pc.classify("x^2 + x*y + y^2 mod 23", alpha=alpha).score
        )


def _brute_symmetries(T: np.ndarray) -> set[tuple[int, int, int, int, bool]]:
    """Every (a, b, c, d, swap) with f(g(x, y)) = f(x, y), by trying every affine map."""
    p = T.shape[0]
    grid = np.arange(p)
    found = set()
    for a, b, c, d in itertools.product(range(1, p), range(p), range(1, p), range(p)):
        rows, cols = (a * grid + b) % p, (c * grid + d) % p
        if np.array_equal(T[np.ix_(rows, cols)], T):
            found.add((a, b, c, d, False))
        if np.array_equal(T[np.ix_(rows, cols)].T, T):  # f(a y + b, c x + d) = f(x, y)
            found.add((a, b, c, d, True))
    return found


def _brute_gain(T: np.ndarray, maps: set[tuple[int, int, int, int, bool]]) -> float:
    """Mean class/fibre ratio, classes joined by union-find over the maps and the repeated
    rows and columns (the tables used have no one-input twist)."""
    p = T.shape[0]
    parent = list(range(p * p))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    rows = [tuple(r) for r in T.tolist()]
    cols = [tuple(c) for c in T.T.tolist()]
    fibre = Counter((rows.index(rows[x]), cols.index(cols[y])) for x in range(p) for y in range(p))
    for x in range(p):
        for y in range(p):
            join(x * p + y, rows.index(rows[x]) * p + cols.index(cols[y]))
            for a, b, c, d, swap in maps:
                u, v = (y, x) if swap else (x, y)
                join(x * p + y, ((a * u + b) % p) * p + (c * v + d) % p)
    size = Counter(find(i) for i in range(p * p))
    return sum(
        size[find(x * p + y)] / fibre[rows.index(rows[x]), cols.index(cols[y])]
        for x in range(p)
        for y in range(p)
    ) / (p * p)


def _cells(g: tuple[int, int, int, int, bool], p: int) -> tuple[int, ...]:
    """The map g = (a, b, c, d, swap) as the image of every cell x * p + y: (a x + b, c y + d),
    or with swap (a y + b, c x + d)."""
    a, b, c, d, swap = g
    return tuple(
        ((a * (y if swap else x) + b) % p) * p + (c * (x if swap else y) + d) % p
        for x in range(p)
        for y in range(p)
    )


def _generated(perms: list[tuple[int, ...]]) -> set[tuple[int, ...]]:
    """Every composition of the cell permutations (the group they generate)."""
    n = len(perms[0]) if perms else 0
    group = {tuple(range(n))}
    frontier = list(group)
    while frontier:
        h = frontier.pop()
        for g in perms:
            gh = tuple(g[i] for i in h)
            if gh not in group:
                group.add(gh)
                frontier.append(gh)
    return group


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("x^2*y^2 + 3*x*y + 3*y^4 mod 13", 2),  # (w x, w^-1 y), w^4 = 1
        ("2*x^3*y + 3*x^2*y^2 + y^4 mod 13", 2),  # (w x, w y), w^4 = 1
        ("x^2*y^3 + 4*x*y^4 mod 11", 1),  # (w x, w y), w^5 = 1
        ("x^2 + x*y + y^2 mod 13", 4),  # order 4, every linear part +-1
        ("3*x^2*y^3 + y^4 mod 13", 4),  # x -> -x repeats rows; (5x, -y) squares to it
        ("x^2*y + x*y^2 mod 13", 2),  # (w x, w y), w^3 = 1, and the swap
        ("2*x^2*y + x*y^2 mod 13", 2),  # (x, y) -> (k y, x / k), a reflection
        ("x^4 + y^4 + 3*x*y mod 13", 4),  # dihedral of order 8: a Klein four-group
    ],
)
def test_involutive_subgroup_and_higher_order_gain_match_brute_force(text, order):
    """Against every affine map: the subgroup is a group of symmetries whose squares keep
    each cell among its repeated rows and columns, no other such map can join it without
    generating one that does not, and the gains are those of union-find over the maps."""
    T = np.asarray(pc.parse(text, variables=("x", "y")).table())
    p = T.shape[0]
    S = table_structure(T)
    assert S.twists == ()
    every = _brute_symmetries(T)
    group = symmetry_group(T)
    assert {(g.a, g.b, g.c, g.d, g.swap) for g in group.elements} == every
    rows = [tuple(r) for r in T.tolist()]
    cols = [tuple(c) for c in T.T.tolist()]
    line = [(rows[x], cols[y]) for x in range(p) for y in range(p)]

    def reflection(g: tuple[int, int, int, int, bool]) -> bool:
        cells = _cells(g, p)
        return all(line[cells[cells[i]]] == line[i] for i in range(p * p))

    low = {
        (g.a, g.b, g.c, g.d, g.swap) for g in group.involutive((_ids(rows), _ids(cols))).elements
    }
    assert len(low) == order
    perms = {_cells(g, p): g for g in every}
    assert {perms[h] for h in _generated([_cells(g, p) for g in low])} == low  # a group
    assert all(reflection(g) for g in low)
    for g in {g for g in every if reflection(g)} - low:  # maximal
        assert not all(reflection(perms[h]) for h in _generated([_cells(k, p) for k in (*low, g)]))
    assert S.gain == pytest.approx(_brute_gain(T, every))
    assert S.involutive_gain == pytest.approx(_brute_gain(T, low))
    assert S.higher_order_gain == pytest.approx(_brute_gain(T, every) / _brute_gain(T, low))


def _ids(lines: list[tuple[int, ...]]) -> np.ndarray:
    """Class labels of rows (or columns): equal for equal lines."""
    return np.array([lines.index(r) for r in lines], dtype=np.int64)


def test_symmetries_of_order_above_two_are_used_later_and_named():
    b_r = USE_PARAMETERS["symmetry"][5]
    assert b_r < 0  # fitted: counted, but later than their gain says
    for alpha in (0.5, 0.7, 0.9):
        assert use("symmetry", alpha, 29, gain=4.0, higher=2.0) < use(
            "symmetry", alpha, 29, gain=4.0
        )
    # a homogeneous quartic: w^4 = 1 has 4 roots at p = 29, 2 at p = 23
    at29 = pc.classify("2*x^3*y + 3*x^2*y^2 + y^4 mod 29", alpha=0.7)
    at23 = pc.classify("2*x^3*y + 3*x^2*y^2 + y^4 mod 23", alpha=0.7)
    assert "2.00 of it from symmetries of order > 2" in " ".join(at29.notes)
    assert "of order > 2" not in " ".join(at23.notes)
    without = {k: v[:5] for k, v in USE_PARAMETERS.items()}
    zero = {k: (*v[:5], 0.0) for k, v in USE_PARAMETERS.items()}
    assert use("symmetry", 0.7, 29, without, 4.0, 0.0, 2.0) == use(
        "symmetry", 0.7, 29, zero, 4.0, 0.0, 2.0
    )


def test_composed_symmetries_act_as_one_map_after_the_other():
    p = 13
    x, y = np.divmod(np.arange(p * p), p)
    maps = [
        Symmetry(a, b, c, d, s)
        for a, b, c, d, s in itertools.product((1, 5, 12), (0, 3), (1, 2), (0, 7), (False, True))
    ]
    for g, h in itertools.product(maps, maps[::5]):
        hx, hy = h.apply(x, y, p)
        gx, gy = g.apply(hx, hy, p)
        fx, fy = g.after(h, p).apply(x, y, p)
        assert np.array_equal(gx, fx) and np.array_equal(gy, fy)


def _brute_twisted_sizes(T, twists):
    """Class sizes of the cells joined by the twists' maps alone (union-find over cells)."""
    p = T.shape[0]
    parent = list(range(p * p))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for t in twists:
        for x in range(p):
            for y in range(p):
                image = ((t.a * x + t.b) % p, y) if t.axis == 0 else (x, (t.a * y + t.b) % p)
                parent[root(x * p + y)] = root(image[0] * p + image[1])
    sizes = Counter(root(i) for i in range(p * p))
    return np.array([sizes[root(i)] for i in range(p * p)]).reshape(p, p)


def test_twists_of_order_two_link_symmetry_classes_and_higher_ones_only_twisted_ones():
    """f(x, 7y) = 7 f at p = 19 (order 3): no class of symmetries grows (gain 1), the
    twisted classes are its orbits {y, 7y, 11y} (y != 0), as a union-find finds; the
    coverage with them is the binomial tail over those sizes."""
    text = "3*x^3*y + 4*x*y^4 + y mod 19"
    T = np.asarray(pc.parse(text, variables=("x", "y")).table())
    found = one_input_twists(T)
    assert {(t.axis, t.a, t.lam) for t in found} == {(1, 7, 7), (1, 11, 11)}
    assert not any(t.is_reflection(19) for t in found)
    S = table_structure(T)
    assert S.twists == found and S.gain == 1.0 and S.higher_order_gain == 1.0
    assert np.array_equal(S.class_size, np.ones((19, 19)))
    sizes = _brute_twisted_sizes(T, found)
    assert np.array_equal(S.twisted_size, sizes) and set(sizes.ravel()) == {1, 3}
    assert S.twist_gain == pytest.approx(sizes.mean())
    for alpha in (0.3, 0.8):
        inferable = 1 - (1 - alpha) ** (sizes - 1)
        expected = np.mean(inferable + (1 - inferable) * S.at_majority)
        assert S.coverage(alpha, twisted=True) == pytest.approx(expected)
        assert S.coverage(alpha) == pytest.approx(S.majority_share)
    odd = np.asarray(pc.parse("x*y^3 + 2*y mod 23", variables=("x", "y")).table())
    S = table_structure(odd)
    (twist,) = S.twists  # f(x, -y) = -f: linked among the symmetry classes
    assert twist.is_reflection(23) and S.gain > 1.5
    assert S.twisted_size is None and S.twist_gain == 1.0


def test_twists_of_higher_order_are_a_second_use_weighted_by_the_coverage_they_add():
    """score = L + u_sym (C_sym - C_lines) + u_tw (C_tw - C_sym) with u_tw the symmetries'
    use plus b_t log(twist) in its logit; parameters without b_t leave them unused."""
    P = {
        "decomposable": USE_PARAMETERS["decomposable"],
        "lines": (-1.0, 2.5, 1 / 3, 0.0),
        "symmetry": (-16.0, 4.0, 0.5, 4.0, -24.0, -2.0, 0.3, -1.5),
    }
    without = {**P, "symmetry": P["symmetry"][:7]}
    m, c_lines, c_sym, c_tw, alpha, p = 0.1, 0.3, 0.5, 0.9, 0.8, 31
    kw = {"gain": 2.0, "outer": NO_OUTER, "higher": 1.2}
    parts = score_parts(m, c_lines, c_sym, alpha, p, False, P, twisted=c_tw, twist=3.0, **kw)
    low = m + use("lines", alpha, p, P) * (c_lines - m)
    sym = use("symmetry", alpha, p, P, 2.0, 0.0, 1.2)
    tw = use("symmetry", alpha, p, P, 2.0, 0.0, 1.2, 3.0)
    z = math.log(sym / (1 - sym)) / (p / 23) ** 0.3 - 1.5 * math.log(3.0)
    assert math.log(tw / (1 - tw)) == pytest.approx(z * (p / 23) ** 0.3)
    assert parts.low == pytest.approx(low) and parts.high == pytest.approx(low + c_tw - c_lines)
    assert parts.score == pytest.approx(low + sym * (c_sym - c_lines) + tw * (c_tw - c_sym))
    plain = score_parts(m, c_lines, c_sym, alpha, p, False, without, twisted=c_tw, twist=3.0, **kw)
    assert plain.score == pytest.approx(low + sym * (c_sym - c_lines))
    assert plain.high == pytest.approx(low + c_sym - c_lines)


@pytest.mark.parametrize(
    "text, paired",
    [
        ("2*x^4*y^2 + 3*x*y^5 + 2*x*y^2 mod 31", True),  # x^i y^j with i = 1, j = 2 mod 3
        ("4*x^4*y + 4*x*y^4 + 4*x*y mod 43", True),
        ("x^4*y + 4*x*y^2 + 3*x*y mod 31", False),  # f(5x, y) = 5 f only
        ("3*x^3*y + 4*x*y^4 + y mod 19", False),  # f(x, 7y) = 7 f only
        ("x^4*y + 4*x^2*y^2 + 4*x*y mod 31", False),  # the scaling (w x, w^-1 y), no twist
        ("x*y^3 + 2*y mod 23", False),  # f(x, -y) = -f: a reflection
    ],
)
def test_paired_twists_are_twists_of_higher_order_on_both_inputs(text, paired):
    """`Structure.paired_twists` against plain arithmetic: some row map x -> w x (w^3 = 1,
    w != 1) sends every row to a multiple of itself other than the row itself or its
    negative, and some column map does the same for the columns."""
    T = np.asarray(pc.parse(text, variables=("x", "y")).table())
    p = T.shape[0]
    grid = np.arange(p)

    def twisted(axis: int) -> bool:
        for a in range(2, p):
            moved = T[a * grid % p, :] if axis == 0 else T[:, a * grid % p]
            for lam in range(2, p - 1):
                if np.array_equal(moved, T * lam % p):
                    return True
        return False

    assert table_structure(T).paired_twists == paired == (twisted(0) and twisted(1))


def test_paired_twists_count_in_the_symmetries_gain():
    """Where the twists of higher order move both inputs, one use covers the symmetry and
    the twisted classes, with b_p log(twist) in place of b_t log(twist); parameters without
    b_p score such a table as one with twists on one input."""
    P = {
        "decomposable": USE_PARAMETERS["decomposable"],
        "lines": (-1.0, 2.5, 1 / 3, 0.0),
        "symmetry": (-16.0, 4.0, 0.5, 4.0, -24.0, -2.0, 0.3, -1.5, 4.0),
    }
    without = {**P, "symmetry": P["symmetry"][:8]}
    m, c_lines, c_sym, c_tw, alpha, p = 0.1, 0.1, 0.8, 1.0, 0.6, 31
    kw = {"gain": 3.0, "outer": NO_OUTER, "higher": 3.0, "twisted": c_tw, "twist": 2.9}
    paired = score_parts(m, c_lines, c_sym, alpha, p, False, P, paired=True, **kw)
    u = use("symmetry", alpha, p, P, 3.0, 0.0, 3.0, 1.0, 2.9)
    assert u == pytest.approx(use("symmetry", alpha, p, P, 3.0 * 2.9, 0.0, 3.0))
    low = m + use("lines", alpha, p, P) * (c_lines - m)
    assert paired.use == pytest.approx(u) and paired.score == pytest.approx(low + u * (c_tw - low))
    one_input = score_parts(m, c_lines, c_sym, alpha, p, False, P, **kw)
    assert score_parts(m, c_lines, c_sym, alpha, p, False, without, paired=True, **kw) == one_input
    assert paired.score > one_input.score + 0.2


def test_the_note_names_twists_that_move_both_inputs():
    """Verdict.notes says the twists of higher order move both inputs where they do, and
    that a twist on one input is learned later; the score is the model's."""
    paired = pc.classify("2*x^4*y^2 + 3*x*y^5 + 2*x*y^2 mod 31", alpha=0.6)
    one = pc.classify("x^4*y + 4*x*y^2 + 3*x*y mod 31", alpha=0.6)
    assert "which move both inputs" in paired.notes[0] and "counted in the gain" in paired.notes[0]
    assert "which move both inputs" not in one.notes[0]
    assert "times larger), learned later" in one.notes[0]
    assert paired.score > 0.4 > 0.2 > one.score


@pytest.mark.parametrize("text", ["3 mod 11", "x^2 + 3*x mod 11", "y^3 mod 13"])
def test_a_table_of_one_input_links_what_its_symmetries_would(text):
    """Its symmetries (every map of the other input) are not searched: the classes are its
    repeated lines, as a union-find over every affine symmetry gives."""
    T = np.asarray(pc.parse(text, variables=("x", "y")).table())
    S = table_structure(T)
    assert S.group is None and S.higher_order_gain == 1.0
    assert S.gain == pytest.approx(_brute_gain(T, _brute_symmetries(T))) == 1.0
    assert "one input only" in S.describe()


def test_constant_and_one_input_tables_are_scored_in_bounded_memory_and_time():
    """A constant table has 2 (p (p - 1))^2 symmetries (173 million at p = 97); the score
    of such tables is computed under 1 GiB in a subprocess."""
    import subprocess
    import sys

    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "import polyclass as pc\n"
        "for t in ('1 mod 97', 'n1^2 mod 389', '3*n2^3 + n2 mod 97'):\n"
        "    v = pc.classify(pc.parse(t, variables=('n1', 'n2')), alpha=0.5)\n"
        "    print(round(v.score, 3))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["1.0", "1.0", "1.0"]


def _brute_fibres_and_links(T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's fibre size (cells whose row and column equal its own row's and column's)
    and whether a symmetry (every affine map, tried) links its fibre to another fibre."""
    p = T.shape[0]
    rows = [tuple(r) for r in T.tolist()]
    cols = [tuple(c) for c in T.T.tolist()]
    fibre = {(x, y): (rows.index(rows[x]), cols.index(cols[y])) for x in range(p) for y in range(p)}
    size = Counter(fibre.values())
    linked = np.zeros((p, p), dtype=bool)
    for a, b, c, d, swap in _brute_symmetries(T):
        for x, y in itertools.product(range(p), range(p)):
            u, v = (y, x) if swap else (x, y)
            if fibre[(a * u + b) % p, (c * v + d) % p] != fibre[x, y]:
                linked[x, y] = True
    sizes = np.array([[size[fibre[x, y]] for y in range(p)] for x in range(p)])
    return sizes, linked


@pytest.mark.parametrize(
    "text",
    [
        "x^4 + 2*x^2*y^2 + 3*y^4 mod 7",  # fibres of 4 cells, the swap links them
        "3*x^3*y^2 + x^2 mod 7",  # even in y: fibres of 2; a scaling links them
        "x^4*y + y^3 mod 7",  # even in x, odd in y: its symmetries stay inside fibres
        "x^2 + x*y + y^2 mod 7",  # symmetries, no repeated lines
        "x^3*y + 2*x*y^2 + 3*x mod 7",  # neither
    ],
)
def test_quotient_alpha_is_the_fibre_coverage_where_symmetries_link_fibres(text):
    T = pc.parse(text).table()
    S = table_structure(T)
    sizes, linked = _brute_fibres_and_links(np.asarray(T))
    assert np.array_equal(S.fibre_size, sizes)
    assert S.symmetric is not None and np.array_equal(S.symmetric, linked)
    for alpha in (0.1, 0.5, 0.9):
        known = [
            1 - (1 - alpha) ** int(k) if link and k > 1 else alpha
            for k, link in zip(sizes.ravel(), linked.ravel(), strict=True)
        ]
        assert S.quotient_alpha(alpha) == pytest.approx(sum(known) / len(known))
        assert S.quotient_alpha(alpha) >= alpha
    assert S.quotient_alpha(1.0) == pytest.approx(1.0)


def test_symmetries_that_link_fibres_are_used_at_the_fibres_fraction():
    from polyclass.learnability.graded import QUOTIENT_Q, symmetry_alpha, uses_quotient

    assert uses_quotient() and QUOTIENT_Q == 1.0
    assert symmetry_alpha(0.5, 0.9) == pytest.approx(0.9)  # q = 1: the fibres' fraction
    earlier = {k: v[:9] for k, v in USE_PARAMETERS.items()}  # no q: alpha itself
    assert not uses_quotient(earlier) and symmetry_alpha(0.5, 0.9, earlier) == pytest.approx(0.5)
    half = {**USE_PARAMETERS, "symmetry": (*USE_PARAMETERS["symmetry"][:9], 0.5)}
    logit = (math.log(0.5 / 0.5) + math.log(0.9 / 0.1)) / 2
    assert symmetry_alpha(0.5, 0.9, half) == pytest.approx(1 / (1 + math.exp(-logit)))
    # the even quartic: fibres of 4 cells at p = 23, the swap links them; the study's
    # networks reached 0.92-0.96 at alpha = 0.5
    T = pc.parse("x^4 + 2*x^2*y^2 + 3*y^4 mod 23").table()
    S = table_structure(T)
    lines = S.coverage(0.5, lines_only=True)
    args = (S.majority_share, lines, S.coverage(0.5), 0.5, 23, False)
    kept = score_parts(*args, earlier, gain=S.gain, quotient=S.quotient_alpha(0.5))
    now = score_parts(*args, gain=S.gain, quotient=S.quotient_alpha(0.5))
    assert kept.use < 0.05 < 0.9 < now.use
    assert kept.score == pytest.approx(score_parts(*args, earlier, gain=S.gain).score)
    V = pc.classify("x^4 + 2*x^2*y^2 + 3*y^4 mod 23", alpha=0.5)
    assert V.score == pytest.approx(now.score)
    assert any("link fibres of repeated rows/columns" in n for n in V.notes)
    # symmetries inside the fibres (f(-x, y) = f) and a twist: alpha itself
    odd = table_structure(pc.parse("x^4*y + y^3 mod 23").table())
    assert odd.quotient_alpha(0.5) == 0.5
    assert not any("link fibres" in n for n in pc.classify("x^4*y + y^3 mod 23").notes)


def _brute_homogeneous(T: np.ndarray) -> set[tuple[int, int, int]]:
    """Every (a, b, d), d in 0 .. p - 2, with row a and column b constant and
    ``T(a + c u, b + c v) - T(a, b) = c^d (T(a + u, b + v) - T(a, b))`` for every c, u, v
    (plain integer arithmetic, every c tried), the difference not zero everywhere."""
    p = T.shape[0]
    out = set()
    for a, b in itertools.product(range(p), repeat=2):
        if len(set(T[a].tolist())) > 1 or len(set(T[:, b].tolist())) > 1:
            continue
        F = [
            [(int(T[(a + u) % p, (b + v) % p]) - int(T[a, b])) % p for v in range(p)]
            for u in range(p)
        ]
        if not any(any(row) for row in F):
            continue
        for d in range(p - 1):
            if all(
                F[c * u % p][c * v % p] == pow(c, d, p) * F[u][v] % p
                for c in range(1, p)
                for u in range(p)
                for v in range(p)
            ):
                out.add((a, b, d))
    return out


@pytest.mark.parametrize(
    "text",
    [
        "x^3*y + 2*x^2*y^2 + x*y^3 mod 7",  # homogeneous of degree 4 about (0, 0)
        "x^2*y + 3*x*y^2 mod 11",  # degree 3
        "(x + 2)^2*(y + 3) + 4*(x + 2)*(y + 3)^2 + 5 mod 7",  # about (5, 4), outputs moved
        "x^2 + x*y + y^2 mod 7",  # homogeneous, but its row and column through 0 vary
        "x^3*y + x*y + 1 mod 7",  # zero on the axes, not homogeneous
        "x*y mod 5",  # degree 2 (decomposable: a product)
        "3 mod 5",  # constant: none
    ],
)
def test_homogeneous_forms_match_brute_force(text):
    """`homogeneous_form` finds the one (centre, degree) that a search over every centre,
    degree and scale finds, and none where there is none."""
    from polyclass.learnability.twists import homogeneous_form

    T = np.asarray(pc.parse(text, variables=("x", "y")).table())
    found = homogeneous_form(T)
    brute = _brute_homogeneous(T)
    assert len(brute) <= 1
    assert ({(found.a, found.b, found.degree)} if found else set()) == brute


def test_random_relabelled_forms_are_found_and_random_tables_are_not():
    """Forms x y q(x, y) moved to a random centre, their outputs scaled and shifted, are
    found with their centre and degree; random tables with a constant row and column
    are not (both against `_brute_homogeneous`)."""
    from polyclass.learnability.twists import homogeneous_form

    rng = np.random.default_rng(5)
    p = 7
    x = np.arange(p)
    for _ in range(10):
        a, b = rng.integers(0, p, 2)
        c1, c2, lam, mu = rng.integers(1, p, 4)
        u, v = (x[:, None] - a) % p, (x[None, :] - b) % p
        T = (lam * (c1 * u**3 * v + c2 * u * v**3) + mu) % p
        found = homogeneous_form(T)
        assert found is not None and (found.a, found.b, found.degree) == (a, b, 4)
        assert _brute_homogeneous(T) == {(a, b, 4)}
        R = rng.integers(0, p, (p, p))
        R[a], R[:, b] = mu, mu
        assert homogeneous_form(R) is None and _brute_homogeneous(R) == set()


def test_homogeneous_forms_on_their_axes_are_learned_earlier_and_named():
    """The score adds b_z to the symmetries' logit of a homogeneous form on its axes
    without symmetries of order > 2 (`Structure.homogeneous_on_axes`) and the note names
    it; parameters without b_z score it as before; at p = 29, where (w x, w y) with
    w^4 = 1 keeps the quartic, the term is off."""
    from polyclass.learnability.graded import uses_form

    text = "x^3*y + 2*x^2*y^2 + x*y^3"
    S = table_structure(pc.parse(f"{text} mod 23").table())
    assert S.homogeneous is not None and S.homogeneous_on_axes and uses_form()
    assert not table_structure(pc.parse(f"{text} mod 29").table()).homogeneous_on_axes
    P = USE_PARAMETERS
    without = {**P, "symmetry": P["symmetry"][:10]}
    m, c_lines, c_sym, alpha, p = 0.1, 0.1, 0.95, 0.7, 23
    kw = {"gain": 3.8, "outer": NO_OUTER}
    on = score_parts(m, c_lines, c_sym, alpha, p, False, P, homogeneous=True, **kw)
    off = score_parts(m, c_lines, c_sym, alpha, p, False, P, **kw)
    assert score_parts(m, c_lines, c_sym, alpha, p, False, without, homogeneous=True, **kw) == (
        score_parts(m, c_lines, c_sym, alpha, p, False, without, **kw)
    )
    b_z = P["symmetry"][10]
    z_on = math.log(on.use / (1 - on.use))
    z_off = math.log(off.use / (1 - off.use))
    assert z_on - z_off == pytest.approx(b_z * (p / 23) ** P["symmetry"][6])
    V = pc.classify(f"{text} mod 23", alpha=0.7)
    assert "homogeneous of degree 4 about (0, 0)" in V.notes[0]
    T = pc.parse(f"{text} mod 23").table()
    assert V.score > model_score(T, 0.7, False, 0.0, parameters=without)[0] + 0.05

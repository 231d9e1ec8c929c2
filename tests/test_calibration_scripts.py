"""The calibration study's scripts: the held-out sets, the equivalence search, which runs
make a case.

References are independent: brute force over every affine relabelling at a small prime,
and the defining identities of each fresh kind checked on the integer table.
"""

from __future__ import annotations

import csv
import functools
import itertools
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

STUDY = Path(__file__).resolve().parents[1] / "benchmarks" / "calibration_study"
sys.path.insert(0, str(STUDY))
sys.path.insert(0, str(STUDY.parent))  # benchmarks/calibration.py

import calibration  # noqa: E402
import ceiling  # noqa: E402
import composed  # noqa: E402
import cp_rank  # noqa: E402
import equivalent  # noqa: E402
import features  # noqa: E402
import fibre_trial  # noqa: E402
import fit  # noqa: E402
import settle_check  # noqa: E402
import shape_trial  # noqa: E402
import study  # noqa: E402
import swap_check  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability.study_rows import row_score  # noqa: E402

from reference import coset_orders  # noqa: E402


@functools.cache
def table(text: str, p: int) -> np.ndarray:
    """The table by plain integer arithmetic (the polynomial evaluated on Python ints),
    computed once per (text, p): the drawn-set checks compare each set with every earlier
    one. Read-only, since it is shared."""
    code = compile(text.replace("^", "**"), "<polynomial>", "eval")
    T = np.array(
        [[eval(code, {"x": x, "y": y}) % p for y in range(p)] for x in range(p)], dtype=np.int64
    )
    T.flags.writeable = False
    return T


def brute_relabelled(A: np.ndarray, B: np.ndarray, powers: bool = False) -> bool:
    """Whether A(x, y) = g(C(s(x), t(y))) for C in (B, B^T), a bijection g and s, t among
    the affine maps u -> a u + b, or with ``powers`` the bijections u -> (a u + b)^e."""
    p = A.shape[0]
    units = [e for e in range(1, p - 1) if math.gcd(e, p - 1) == 1] if powers else [1]
    maps = [
        [pow((a * u + b) % p, e, p) for u in range(p)]
        for a, b, e in itertools.product(range(1, p), range(p), units)
    ]
    return any(is_relabelling(C[np.ix_(s, t)], A) for C in (B, B.T) for s in maps for t in maps)


def is_relabelling(M: np.ndarray, A: np.ndarray) -> bool:
    """Whether A = g(M) for a bijection g of the values."""
    pairs = set(zip(M.ravel().tolist(), A.ravel().tolist(), strict=True))
    return len({u for u, _ in pairs}) == len(pairs) == len({v for _, v in pairs})


PAIRS = [
    ("x^2 + x*y + y^2", "x^2 + x*y + y^2 + x"),  # a shift of the inputs, a constant
    ("x^3 + y^3 + x*y", "x^3 - y^3 + x*y"),  # y -> -y
    ("x*y + 2*x", "x*y"),  # (x, y) -> (x, y - 2)
    ("x^2*y + x", "x*y^2 + y"),  # the swap
    ("x^2 + x*y + y^2", "x^2 + 3*x*y + y^2"),
    ("x^3 + x*y", "x^3 + x*y^2 + y"),
    ("x + y", "x*y"),
]


@pytest.mark.parametrize("s, t", PAIRS)
def test_equivalence_agrees_with_brute_force_and_its_map_holds(s, t):
    p = 7
    A, B = table(s, p), table(t, p)
    found = equivalent.equivalence(A, B)
    assert (found is not None) == brute_relabelled(A, B)
    if found is not None:
        swapped, a, b, c, d = found
        C = B.T if swapped else B
        x = np.arange(p)
        assert is_relabelling(C[np.ix_((a * x + b) % p, (c * x + d) % p)], A)


POWERED_PAIRS = [
    ("x + y", "x^5 + y^5"),  # u -> u^5 on both inputs
    ("x*y + x", "x^5*y + x^5"),  # on one
    ("x^2*y + y", "x^4*y + y"),  # x^4 = (x^2)^2 at p = 7: not through a bijection
    ("x^2 + x*y", "x^2 + 3*x*y + y^2"),
    ("x*y^2 + 2*x", "x^5*y^2 + 2*x^5 + 1"),
    ("x^2*y + 3*x", "x*y^10 + 3*y^5"),  # swapped, a power on one input only
]


@pytest.mark.parametrize("s, t", POWERED_PAIRS)
def test_powered_equivalence_agrees_with_brute_force_and_its_map_holds(s, t):
    p = 7
    A, B = table(s, p), table(t, p)
    found = equivalent.powered_equivalence(A, B)
    assert (found is not None) == brute_relabelled(A, B, powers=True)
    if found is not None:
        e, f, (swapped, a, b, c, d) = found
        x = np.arange(p)
        u = np.array([pow(int(t), e, p) for t in (a * x + b) % p])  # (a x + b)^e
        v = np.array([pow(int(t), f, p) for t in (c * x + d) % p])  # (c y + d)^f
        if swapped:  # A(x, y) = g(B((c y + d)^e, (a x + b)^f))
            u = np.array([pow(int(t), f, p) for t in (a * x + b) % p])
            v = np.array([pow(int(t), e, p) for t in (c * x + d) % p])
            assert is_relabelling(B.T[np.ix_(u, v)], A)
        else:  # A(x, y) = g(B((a x + b)^e, (c y + d)^f))
            assert is_relabelling(B[np.ix_(u, v)], A)


def test_powered_search_is_bounded_by_its_budget():
    # Latin squares: every row alike, so only the budget stops a search that finds nothing
    p = 23
    A, B = table("x + y", p), table("x^3 + 2*y^3", p)  # x + y with both inputs cubed, scaled
    with pytest.raises(equivalent.Undecided):
        equivalent.powered_equivalence(A, B, budget=100)
    e, f, (swapped, a, b, c, d) = equivalent.powered_equivalence(A, B)
    x = np.arange(p)
    u = np.array([pow(int(t), e, p) for t in (a * x + b) % p])
    v = np.array([pow(int(t), f, p) for t in (c * x + d) % p])
    assert not swapped and is_relabelling(B[np.ix_(u, v)], A)


def test_known_pairs_are_found_at_the_study_primes():
    for p in (23, 59):
        A, B = table("x^2 + x*y + y^2", p), table("x^2 + x*y + y^2 + x", p)
        assert equivalent.equivalence(A, B) is not None
        A, B = table("x^2 + x*y", p), table("x^2 + x*y + y^2", p)
        assert equivalent.equivalence(A, B) is None


@pytest.mark.parametrize("name", list(study.DRAWN_SETS))
def test_drawn_sets_are_seeded_new_and_of_their_kinds(name):
    seed, skipped, _ = study.DRAWN_SETS[name]
    drawn = study.drawn_set(name)
    assert drawn == study.fresh_polys.__wrapped__(study.FRESH_PER_KIND, seed)  # same draw again
    texts = [t for _, t in drawn]
    assert len(set(texts)) == len(texts) == study.FRESH_PER_KIND * len(study.FRESH_KINDS)
    earlier = set(study.study_polys()) | set(skipped)
    for other in list(study.DRAWN_SETS)[: list(study.DRAWN_SETS).index(name)]:
        earlier |= {t for _, t in study.drawn_set(other)}
    assert not set(texts) & earlier
    p = 23
    x = np.arange(p)
    for kind, text in drawn:
        T = table(text, p)
        assert study.half(text) == name and study.category(text) == kind
        assert "x" in text and "y" in text
        if kind == "swap":
            assert np.array_equal(T, T.T)
        elif kind != "decomposable":  # h(a x^i + y^j) may be symmetric: (x + y)^4 + 2 (x + y)
            assert not np.array_equal(T, T.T)
        if kind == "reflection":
            assert np.array_equal(T[(-x) % p][:, (-x) % p], T)
        if kind == "lines":
            assert np.array_equal(T[(-x) % p], T)
        if kind == "decomposable":
            assert pc.classify(f"{text} mod {p}").learnable
    assert study.half("x^2 + x*y + y^2") == "modelling"


@pytest.mark.parametrize("name", list(study.DRAWN_SETS)[1:])  # the fresh set holds three
def test_drawn_set_has_no_relabelling_of_an_earlier_polynomial(name):
    p = 23
    names = list(study.DRAWN_SETS)
    earlier = [*study.study_polys()]
    for other in names[: names.index(name)]:
        earlier += [t for _, t in study.drawn_set(other)]
    for text in (t for _, t in study.drawn_set(name)):
        T = table(text, p)
        for other in earlier:
            assert equivalent.equivalence(T, table(study.member(other, p), p)) is None, (
                text,
                other,
            )
        earlier.append(text)


@pytest.mark.parametrize(
    "skipped, earlier",
    [
        ("4*x^3*y + 4*x*y^3", "x^3*y + x*y^3"),  # outputs relabelled (times 4)
        ("x^3*y + y^2", "x^3*y + 4*y^2"),  # y -> 4 y, outputs / 4
        ("x*y + 4*y^2", "x^2 + x*y"),  # the swap and y -> 4 y
        ("3*x^4*y + x*y^2", "x^4*y + 4*x*y^2"),  # a fifth-set draw against the study
        ("3*x*y^3", "x^3*y"),  # a sixth-set draw: the swap and x -> 3 x
    ],
)
def test_a_skipped_draw_is_a_relabelling(skipped, earlier):
    assert any(skipped in skips for _, skips, _ in study.DRAWN_SETS.values())
    p = 23
    assert equivalent.equivalence(table(skipped, p), table(earlier, p)) is not None


def test_equivalence_search_past_its_budget_says_undecided():
    A, B = table("x + y", 7), table("x - y", 7)  # Latin squares: every column map fits row 0
    with pytest.raises(equivalent.Undecided):
        equivalent.equivalence(A, B, budget=1)
    assert equivalent.equivalence(A, B) is not None


def test_a_case_is_read_from_its_longest_settle_window_then_its_settled_cap():
    """features.choose: the widest runs; of those the longest settle window (the study's
    20-evaluation window stops slow risers); then a cap where every seed settled, nearest
    2000 steps."""
    study_runs = {(500, 2000, 20): True, (500, 4000, 20): False, (128, 4000, 20): True}
    assert features.choose(study_runs) == (500, 2000, 20)
    rerun = {**study_runs, (500, 4000, 100): False}
    assert features.choose(rerun) == (500, 4000, 100)
    assert features.choose({**rerun, (500, 16000, 100): True}) == (500, 16000, 100)
    assert features.choose({(128, 4000, 100): True, (500, 2000, 20): True}) == (500, 2000, 20)


def test_settle_check_takes_the_cases_the_study_rule_settled_in_range_of_the_halves_asked(
    tmp_path,
):
    rows = [  # typed, p, alpha, half, settled, observed, settle window
        ("x^2 + x*y", 59, 0.7, "third", 1, 0.03, 20),
        ("x^2 + x*y", 59, 0.9, "third", 1, 0.97, 20),  # learned: above --high
        ("x^3 + x*y", 59, 0.7, "third", 0, 0.40, 20),  # capped: --extend's business
        ("x^2 + x*y + y^2", 59, 0.7, "third", 1, 0.20, 100),  # rerun and folded before
        ("x^2 - x*y", 59, 0.7, "fresh", 1, 0.10, 20),  # another half
        ("x^2 + y", 23, 0.7, "third", 1, 0.10, 20),  # another prime
    ]
    path = tmp_path / "study.csv"
    path.write_text(
        "typed,p,alpha,half,settled,observed,settle\n"
        + "".join(",".join(map(str, r)) + "\n" for r in rows)
    )

    def chosen(*halves):
        found = settle_check.cases(str(path), 59, 0.0, 0.95, halves or None)
        return [(r["typed"], r["alpha"]) for r in found]

    assert chosen("third") == [("x^2 + x*y", "0.7")]
    assert chosen("third", "fresh") == [("x^2 + x*y", "0.7"), ("x^2 - x*y", "0.7")]
    assert chosen() == chosen("third", "fresh")


def test_cross_validation_scores_each_set_by_a_fit_on_the_others_only():
    """Sets a and b follow the shipped model exactly; c is a's cases with every observed
    value 0.2 higher. Fitted on a and b alone, the model misses c by -0.2 on every case;
    b, scored by a fit on a and c (which contradict each other), is missed too, where a fit
    that had seen b would match it (fails when every fold fits all rows)."""
    stored = fit.load(STUDY / "study.csv", ("modelling", "held_out"))
    picked = [r for r in stored if float(r["alpha"]) in (0.3, 0.7)][::8]
    a = [dict(r, half="a", observed=row_score(r)) for r in picked[::2]]
    b = [dict(r, half="b", observed=row_score(r)) for r in picked[1::2]]
    c = [dict(r, half="c", observed=float(r["observed"]) + 0.2) for r in a if r["observed"] < 0.8]
    errors = fit.cross_validate(a + b + c, ("a", "b", "c"))
    assert set(errors) == {"a", "b", "c"} and len(errors["c"]) == len(c) > 10
    assert np.allclose(errors["c"], -0.2, atol=0.03)
    assert np.abs(errors["b"]).mean() > 0.01


def test_the_shipped_parameters_are_the_fit_of_the_stored_study_and_check_set_f():
    """graded.USE_PARAMETERS is what fit.py prints (to 3 decimals) for its default rows:
    the stored study's fitted sets (up to the twenty-seventh) and check set F's 64 cases,
    each the mean of its two seeds' runs, none learnable; no held-out set is among them;
    its "affine" kind what ``fit.py --affine`` prints with check sets L and M added. The
    models before it come out of the same fit on the sets they were fitted on."""
    from polyclass.learnability.graded import SEEN, USE_PARAMETERS

    checks = fit.check_rows("F")
    assert len(checks) == 64 and {r["p"] for r in checks} == {29, 37}
    assert all(r["learnable"] == 0 and r["half"] == "F" for r in checks)
    runs = composed.observed_runs(fit.FITTED_CHECK_SETS["F"])
    assert all(len(runs[r["typed"], r["p"], r["alpha"]]) == 2 for r in checks)
    rows = fit.load(STUDY / "study.csv", fit.FITTED_HALVES) + checks
    assert not {r["half"] for r in rows} & set(fit.TESTED_HALVES)
    assert {"twenty_seventh", "eighteenth"} <= {r["half"] for r in rows}
    *_, seen, _, fitted = fit.choose(rows, verbose=False)
    assert seen == SEEN
    assert (
        fitted.keys() == composed.SIXTEENTH_PARAMETERS.keys() == USE_PARAMETERS.keys() - {"affine"}
    )
    for kind, shipped in fitted.items():  # b_p and q held fixed in the fit
        assert np.allclose(composed.SIXTEENTH_PARAMETERS[kind], shipped, atol=6e-4), kind
        assert USE_PARAMETERS[kind] == composed.SIXTEENTH_PARAMETERS[kind], kind
    # the coset lines' use: fitted on the flagged cases of those rows and check sets L and
    # M (the seventeenth model: L alone, cosets of even order, no gain)
    lines = {c: fit.check_rows(c, path) for c, path in fit.AFFINE_CHECK_SETS.items()}
    assert {c: len(r) for c, r in lines.items()} == {"L": 48, "M": 48}
    assert {r["p"] for r in lines["L"]} == {29, 41} and {r["p"] for r in lines["M"]} == {37, 43}
    both = rows + lines["L"] + lines["M"]
    affine = fit.fit_affine(both, composed.SIXTEENTH_PARAMETERS, verbose=False)
    assert np.allclose(affine["affine"], USE_PARAMETERS["affine"], atol=6e-4)
    even = fit.fit_affine(rows + lines["L"], composed.SIXTEENTH_PARAMETERS, False, False)
    assert np.allclose(even["affine"], composed.SEVENTEENTH_PARAMETERS["affine"], atol=6e-4)
    # the fifteenth model: the eighteen sets and F, without b_z; the fourteenth: the same
    # rows, the symmetries reading alpha, b_p (set on check set H) appended after the fit
    rows = fit.load(STUDY / "study.csv", fit.EIGHTEEN_SETS) + checks
    *_, before_z = fit.choose(rows, fit.Form(homogeneous=False), verbose=False)
    for kind, shipped in composed.FIFTEENTH_PARAMETERS.items():
        assert np.allclose(before_z[kind], shipped, atol=6e-4), kind
    *_, before_q = fit.choose(rows, fit.Form(quotient=False), verbose=False)
    for kind, shipped in composed.FOURTEENTH_PARAMETERS.items():
        assert np.allclose(fit.with_paired(before_q)[kind], shipped, atol=6e-4), kind
    # the two models before, the seventeen and the sixteen sets and F (the thirteenth and
    # the twelfth), and the three before them,
    # without the twists of higher order: the fourteen sets and F (the eleventh), the twelve
    # sets and F with (the tenth) and without (the ninth) the sharpness exponents
    before = fit.Form(higher_twists=False)
    for sets, form, kept in (
        (fit.SEVENTEEN_SETS, fit.Form(quotient=False), calibration.THIRTEENTH_PARAMETERS),
        (fit.SIXTEEN_SETS, fit.Form(quotient=False), calibration.TWELFTH_PARAMETERS),
        (fit.FOURTEEN_SETS, before, calibration.ELEVENTH_PARAMETERS),
        (fit.TWELVE_SETS, before, calibration.TENTH_PARAMETERS),
        (
            fit.TWELVE_SETS,
            fit.Form(sharpness=False, higher_twists=False),
            calibration.NINTH_PARAMETERS,
        ),
    ):
        rows = fit.load(STUDY / "study.csv", sets) + checks
        *_, earlier = fit.choose(rows, form, verbose=False)
        for kind, shipped in kept.items():
            assert np.allclose(earlier[kind], shipped, atol=6e-4), kind


def test_fit_refuses_the_sets_held_out_from_it():
    import subprocess

    for halves in fit.TESTED_HALVES:
        out = subprocess.run(
            [sys.executable, str(STUDY / "fit.py"), "--halves", f"modelling,{halves}"],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 2 and "held out" in out.stderr


def test_fit_scores_sets_it_did_not_read_and_refuses_one_it_fitted():
    """``fit.py --score`` prints, per set named, the figures of the fit's own parameters on
    that set's cases (the same as scoring them here with the fit of the same rows)."""
    import subprocess

    command = [sys.executable, str(STUDY / "fit.py"), "--halves", "modelling"]
    command += ["--check-sets", "", "--score"]
    out = subprocess.run(command + ["held_out"], capture_output=True, text=True, check=True)
    *_, seen, _, fitted = fit.choose(fit.load(STUDY / "study.csv", ("modelling",)), verbose=False)
    test = fit.load(STUDY / "study.csv", ("held_out",))
    error = fit.predict(test, fitted, seen) - np.array([float(r["observed"]) for r in test])
    assert f"held_out scored by this fit: {fit.summary(error)}" in out.stdout.splitlines()
    assert len(test) == 240 and np.mean(np.abs(error) <= 0.10) < 1.0
    refused = subprocess.run(command + ["modelling"], capture_output=True, text=True)
    assert refused.returncode == 2 and "cannot test the fit" in refused.stderr


def test_the_skips_of_a_drawn_set_are_found_again_from_none(monkeypatch):
    """equivalent.py --skips, started with no skips, finds the fifth set's committed ones
    in order (the study.py tuple was pasted from it)."""
    seed, skipped, alphas = study.DRAWN_SETS["fifth"]
    study.fresh_polys.cache_clear()
    monkeypatch.setitem(study.DRAWN_SETS, "fifth", (seed, (), alphas))
    try:
        assert equivalent.draw_skips("fifth") == skipped == study.FIFTH_RELABELLINGS
    finally:
        study.fresh_polys.cache_clear()


def test_a_skip_search_whose_kind_ran_out_stops_and_says_which(monkeypatch):
    """Past its limit of skips of one kind, the search stops with `DrawsRanOut` naming the
    kind of the draw it skipped last, one the fifth set's committed skips hold, rather
    than searching on (the thirty-second set's narrow reflections ran 50 minutes)."""
    seed, skipped, alphas = study.DRAWN_SETS["fifth"]
    study.fresh_polys.cache_clear()
    monkeypatch.setitem(study.DRAWN_SETS, "fifth", (seed, (), alphas))
    try:
        with pytest.raises(equivalent.DrawsRanOut, match="1 .* draws skipped") as raised:
            equivalent.draw_skips("fifth", limit=1)
        kinds = {
            kind
            for kind, text in study.fresh_polys(study.FRESH_PER_KIND, seed)
            if text == skipped[0]
        }
        assert kinds and all(f" {kind} draws" in str(raised.value) for kind in kinds)
    finally:
        study.fresh_polys.cache_clear()


def test_stored_outer_columns_match_a_brute_force_over_the_certificates():
    """The outer function's columns of study.csv, checked for the decomposable tables at
    p = 23: over Z_23, or for the multiplicative template over Z_22 x Z_3 on the units (the
    codes below 22, every one of them reached by a sum of the inputs' unit codes),
    reduced by h's smallest period; every affine map t -> a t + b tried on it, the entropy
    counted by hand."""
    import csv
    import math
    from collections import Counter

    with open(STUDY / "study.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["learnable"] == "1" and r["p"] == "23"]
    expected: dict[str, tuple[str, float]] = {}
    for text in {r["typed"] for r in rows}:
        cert = pc.classify(f"{study.member(text, 23)} mod 23").certificate
        assert cert["group"] in ([23], [22, 3]), text
        n = cert["group"][0]
        sums = {(u + v) % n for u in cert["g"][0] if u < n for v in cert["g"][1] if v < n}
        assert sums == set(range(n)), text
        h = cert["h"][:n]
        period = min(d for d in range(1, n + 1) if all(h[(t + d) % n] == h[t] for t in range(n)))
        h, n = h[:period], period
        order = sum(
            1
            for a in range(1, n)
            for b in range(n)
            if math.gcd(a, n) == 1 and all(h[(a * t + b) % n] == h[t] for t in range(n))
        )
        entropy = -sum(c / n * math.log(c / n) for c in Counter(h).values()) / math.log(n)
        expected[text] = (str(order), 1 - entropy)
    for r in rows:
        order, collapse = expected[r["typed"]]
        assert r["outer_stabiliser"] == order, r["typed"]
        assert float(r["outer_collapse"]) == pytest.approx(collapse, abs=1e-5)
    assert sum(1 for order, _ in expected.values() if order != "1") >= 5
    assert sum(1 for _, collapse in expected.values() if collapse > 0.1) >= 5
    assert len(rows) > 100


def test_composed_check_sets_are_stored_in_full_and_their_report_reads_them():
    """Every case of the composed check sets has both seeds in composed/runs.csv at its
    width; the report prints each set from them (no training), and on set C, which tests
    the composed term, the score as shipped is closer to the runs than without it."""
    import csv
    import subprocess

    with open(composed.RUNS, newline="") as fh:
        runs = list(csv.DictReader(fh))
    seeds: dict[tuple[str, int, float], set[int]] = {}
    for r in runs:
        if int(r["width"]) == composed.width(int(r["p"])):
            key = (r["typed"], int(r["p"]), float(r["alpha"]))
            seeds.setdefault(key, set()).add(int(r["seed"]))
            assert 0.0 <= float(r["test_accuracy"]) <= 1.0 and int(r["settle"]) == 100
    for name, (primes, polys) in composed.SETS.items():
        if name not in composed.STORED:
            continue
        for p in primes:
            for text in polys:
                for alpha in composed.ALPHAS:
                    assert seeds.get((text, p, alpha)) == {0, 1}, (text, p, alpha)
    out = subprocess.run(
        [sys.executable, str(STUDY / "composed.py")],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(STUDY.parents[1]), "PATH": "/usr/bin:/bin"},
    ).stdout
    lines = out.splitlines()
    at = lines.index("== set C, all primes ==")
    mae = {
        line.split(":")[0].strip(): float(line.split("MAE ")[1].split(",")[0])
        for line in lines[at + 1 : at + 3]
    }
    assert mae["score"] < mae["b_h=0"] - 0.05
    headers = sum(len(primes) + (len(primes) > 1) for primes, _ in composed.SETS.values())
    assert sum(1 for line in lines if line.startswith("== set ")) == headers


def _stored_seeds(path: Path) -> dict[tuple[str, int, float], set[int]]:
    """The seeds of every case (polynomial as typed, p, alpha) of a check set's runs CSV,
    each run asserted to be at the set's width with the long settle window."""
    import csv

    with open(path, newline="") as fh:
        runs = list(csv.DictReader(fh))
    seeds: dict[tuple[str, int, float], set[int]] = {}
    for r in runs:
        assert int(r["width"]) == composed.width(int(r["p"])) and int(r["settle"]) == 100
        seeds.setdefault((r["typed"], int(r["p"]), float(r["alpha"])), set()).add(int(r["seed"]))
    return seeds


def _check_set_cases(
    groups: dict[str, tuple[str, ...]], primes: tuple[int, ...], alphas: tuple[float, ...]
) -> list[tuple[str, int, float]]:
    """Every case (polynomial as typed, p, alpha) of a check set's groups."""
    return [
        (text, p, alpha)
        for polys in groups.values()
        for text in polys
        for p in primes
        for alpha in alphas
    ]


def _check_set_script(name: str, *args: str) -> str:
    """What a check set's script prints (no training: report, predictions)."""
    import subprocess

    env = {"PYTHONPATH": str(STUDY.parents[1]), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, str(STUDY / name), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def _stored_in_full_and_predicted(module: Any, groups: dict[str, tuple[str, ...]]) -> str:
    """A check set run after its predictions were committed: every case of ``groups`` has
    both seeds in ``module.RUNS``, ``--predict`` prints the committed file (after its date
    line) line for line; returns the report the script prints."""
    seeds = _stored_seeds(module.RUNS)
    cases = _check_set_cases(groups, module.PRIMES, module.ALPHAS)
    assert all(seeds.get(case) == {0, 1} for case in cases) and len(seeds) == len(cases)
    script = Path(module.__file__).name
    predicted = _check_set_script(script, "--predict").splitlines()
    assert predicted == module.PREDICTIONS.read_text().splitlines()[1:]
    return _check_set_script(script)


def _drawn_tables(
    module: Any, groups: dict[str, tuple[str, ...]], per_kind: int | None = None
) -> Iterator[tuple[str, str, int, np.ndarray]]:
    """(kind, text, p, table by plain integer arithmetic) of a check set's tables at each of
    its primes, every table of a kind or its first ``per_kind``, after asserting that each
    kind's tables are the first ``module.draw`` gives."""
    for kind, polys in groups.items():
        assert module.draw(kind, len(polys)) == list(polys)
        for text in polys[:per_kind]:
            for p in module.PRIMES:
                yield kind, text, p, table(text, p)


def test_swap_check_set_is_drawn_by_its_rule_stored_in_full_and_its_predictions_reproduce():
    """Check set E: its tables are the first ``draw`` gives (and each meets ``eligible``:
    brute-force checked here, the swap or the reflection (x, y) -> (-x, -y) on the
    integer table); every case has both seeds in swap/runs.csv; ``--predict`` prints the
    committed predictions file line for line; the report reads the runs."""
    for kind, text, p, T in _drawn_tables(swap_check, swap_check.SET_E, 3):
        minus = (-np.arange(p)) % p
        assert np.array_equal(T, T.T) == (kind == "swap"), (text, p)
        assert np.array_equal(T[np.ix_(minus, minus)], T) == (kind == "even"), (text, p)
    seeds = _stored_seeds(swap_check.RUNS)
    cases = _check_set_cases(swap_check.SET_E, swap_check.PRIMES, swap_check.ALPHAS)
    assert all(seeds.get(case) == {0, 1} for case in cases)
    for name, (*_, predictions) in swap_check.RUN_SETS.items():
        committed = predictions.read_text().splitlines()[1:]  # after the date line
        assert _check_set_script("swap_check.py", "--predict", name).splitlines() == committed
    report = _check_set_script("swap_check.py").splitlines()
    at = report.index("== set E, every case (table, prime, alpha) ==")
    assert report[at + 1].strip().startswith("seventh: 96 cases")
    assert sum(1 for line in report[:at] if "(8 tables)" in line) == 12


def test_scaling_check_set_is_drawn_by_its_rule_stored_in_full_and_its_predictions_reproduce():
    """Check set F: its tables are the first ``draw`` gives; the ``higher`` tables have the
    scaling (x, y) -> (w x, w y) or (w x, w^-1 y) of order 4 (checked on the integer table)
    and the ``order2`` tables the swap and (x, y) -> (-x, -y); every case has both seeds in
    scaling/runs.csv; ``--predict`` prints the committed predictions file line for line."""
    import scaling_check

    for kind, text, p, T in _drawn_tables(scaling_check, scaling_check.SET_F, 3):
        grid = np.arange(p)
        w = next(w for w in range(2, p) if pow(w, 2, p) == p - 1)  # order 4
        diagonal = T[np.ix_(w * grid % p, w * grid % p)]
        anti = T[np.ix_(w * grid % p, pow(w, -1, p) * grid % p)]
        minus = (-grid) % p
        higher = np.array_equal(diagonal, T) or np.array_equal(anti, T)
        assert higher == (kind == "higher"), (text, p)
        if kind == "order2":
            assert np.array_equal(T, T.T), (text, p)
            assert np.array_equal(T[np.ix_(minus, minus)], T), (text, p)
    seeds = _stored_seeds(scaling_check.RUNS)
    cases = [
        case
        for primes, alphas in scaling_check.RUN_SETS.values()
        for case in _check_set_cases(scaling_check.SET_F, primes, alphas)
    ]
    assert all(seeds.get(case) == {0, 1} for case in cases)
    out = _check_set_script("scaling_check.py", "--predict")
    assert out.splitlines() == scaling_check.PREDICTIONS.read_text().splitlines()


@pytest.mark.parametrize(("name", "window"), [(None, "SETTLE_K"), ("thirteenth", "RESETTLE_K")])
def test_extend_reruns_with_the_settle_window_the_set_ran_with(monkeypatch, name, window):
    """``study.py --extend`` reruns capped cases at the longer cap with the window of the
    runs it extends (the study's short one; the long one for the sets drawn after it): a
    shorter window stops a run at a transient plateau the capped run went past."""
    calls = []
    monkeypatch.setattr(study, "unsettled", lambda *a, **k: {(0.5, 4000): ["x*y"]})
    monkeypatch.setattr(
        study,
        "run",
        lambda args, family, p, steps, settle=study.SETTLE_K: calls.append((steps, settle)),
    )
    argv = ["study.py", "--db", "none.sqlite", "--primes", "23", "--alphas", "0.5"]
    argv += ["--extend", "4"] + (["--set", name] if name else [])
    monkeypatch.setattr(sys, "argv", argv)
    study.main()
    assert calls == [(16000, getattr(study, window))]


def test_rank_share_names_every_cell_of_an_addition_table_and_keeps_row_column_parts():
    """cp_rank.py's trial: the one-hot tensor splits into row and column functions plus a
    part free of them, and a decomposable table is found at rank p (checked against the
    table's own values)."""
    p = 11
    T = (3 * np.arange(p)[:, None] + np.arange(p)[None, :] ** 2) % p  # 3x + y^2
    X, centred = cp_rank.one_hot_centred(T)
    assert np.array_equal(X.argmax(axis=2), T)
    assert np.allclose(centred.sum(axis=0), 0) and np.allclose(centred.sum(axis=1), 0)
    assert cp_rank.rank_share(T) == 1.0
    # a table with no structure is not named in full at rank p (seeded, fixed draw)
    noise = np.random.default_rng(3).integers(0, p, (p, p))
    assert cp_rank.rank_share(noise) < 0.97


@pytest.mark.parametrize(
    "typed, f",
    [
        ("x^2 + y^2", lambda x, y: x**2 + y**2),  # rows and columns repeat in pairs
        ("x^2*y + 3*y^2", lambda x, y: x**2 * y + 3 * y**2),  # rows only
        ("x^3 + x*y", lambda x, y: x**3 + x * y),  # none
        ("x*y^2 + 2*x", lambda x, y: x * y**2 + 2 * x),  # columns only
    ],
)
def test_fibre_trial_reads_the_mean_fibre_of_repeated_rows_and_columns(typed, f):
    """fibre_trial.py's feature against a count in plain Python: a cell's fibre holds the
    cells whose row equals its row and whose column equals its column."""
    p = 7
    rows = [tuple(f(x, y) % p for y in range(p)) for x in range(p)]
    cols = [tuple(r[y] for r in rows) for y in range(p)]
    sizes = [rows.count(rows[x]) * cols.count(cols[y]) for x in range(p) for y in range(p)]
    assert math.isclose(fibre_trial.log_fibre(typed, p), math.log(sum(sizes) / p**2))


@pytest.mark.parametrize(
    "typed, f",
    [
        ("x*y^3 + 2*y", lambda x, y: x * y**3 + 2 * y),  # affine in x
        ("x^3 + x*y", lambda x, y: x**3 + x * y),  # affine in y
        ("x^2 + x*y", lambda x, y: x**2 + x * y),  # affine in y
        ("x^2*y^2 + x", lambda x, y: x**2 * y**2 + x),  # neither
        ("x^4 + x*y^3 + y^4", lambda x, y: x**4 + x * y**3 + y**4),  # neither
        ("4*x^3*y^2 + 3*y^4 + 4*y^3", lambda x, y: 4 * x**3 * y**2 + 3 * y**4 + 4 * y**3),
        ("x^2*y^3 + 2*x^2 + y", lambda x, y: x**2 * y**3 + 2 * x**2 + y),  # columns in x^2
        ("x*y^2 + y", lambda x, y: x * y**2 + y),  # scales y^2: the squares, a coset
        ("3*x^5*y^3 + 2*y^2", lambda x, y: 3 * x**5 * y**3 + 2 * y**2),  # 3 y^3: {3, 4}
        ("x*y + y^2", lambda x, y: x * y + y**2),  # scales y: the whole group
        ("x*y^2 + x*y + y^3", lambda x, y: x * y**2 + x * y + y**3),  # y^2 + y: no coset
        ("x^2*y^3 + y", lambda x, y: x**2 * y**3 + y),  # a coset on x^2, not a bijection
    ],
)
def test_shape_trial_flags_tables_whose_rows_or_columns_are_affine_maps(typed, f):
    """shape_trial.py's affine flags against a search in plain Python: every row (or every
    column) equals a y + b (a x + b) for some a, b mod p (``affine``), or every column
    (every row) equals a c + b for one non-constant column (row) c (``affine_lines``), and
    then (``affine_coset``) with c taking p values and the nonzero scales a, over the lines,
    exactly ``s H`` for some s and a subgroup H of order below p - 1 (every subgroup: the
    powers of some element)."""
    p = 7
    cosets = set()
    for g in range(1, p):
        H = {pow(g, i, p) for i in range(p)}
        if len(H) < p - 1:
            cosets |= {frozenset(s * h % p for h in H) for s in range(1, p)}

    def line(values: list[int], c: list[int] | None = None) -> bool:
        c = list(range(p)) if c is None else c
        return any(
            all(v == (a * t + b) % p for t, v in zip(c, values, strict=True))
            for a in range(p)
            for b in range(p)
        )

    table = [[f(x, y) % p for y in range(p)] for x in range(p)]
    columns = [[table[x][y] for x in range(p)] for y in range(p)]
    rows = all(line(r) for r in table)
    cols = all(line(c) for c in columns)
    assert shape_trial.feature("affine", typed, p) == float(rows or cols)
    found = coset = False
    for lines in (columns, table):
        varied = [c for c in lines if len(set(c)) > 1]
        if not varied or not all(line(c, varied[0]) for c in lines):
            continue
        found = True
        base = varied[0]
        scales = set()
        for c in lines:  # the a of c = a base + b (unique: base is not constant)
            (a,) = {
                a
                for a in range(p)
                for b in range(p)
                if all(v == (a * t + b) % p for t, v in zip(base, c, strict=True))
            }
            scales |= {a} - {0}
        coset |= len(set(base)) == p and frozenset(scales) in cosets
    assert shape_trial.feature("affine_lines", typed, p) == float(found)
    assert shape_trial.feature("affine_coset", typed, p) == float(coset)


@pytest.mark.parametrize(
    "typed, degree",
    [
        ("x^2 + x*y + y^2", 2),
        ("3*x + 4*y^2", 2),
        ("x^3*y + 2*x*y^3", 4),
        ("x^6*y^6 + x", 12),
        ("x^7 + y", 1),  # x^7 = x as a function mod 7
        ("7*x^3 + 1", 0),
        ("7*x^3", -1),  # the zero table
    ],
)
def test_shape_trial_reads_the_degree_of_the_lowest_polynomial_of_a_table(typed, degree):
    """shape_trial.py's table_degree against the degree of the polynomial (exponents
    reduced as functions mod p: x^p = x), on tables made by plain integer arithmetic."""
    p = 7
    assert shape_trial.table_degree(table(typed, p), p) == degree


def test_rank_share_csv_covers_every_fitted_and_tested_table():
    with open(cp_rank.RANK_CSV, newline="") as fh:
        stored = {(r["typed"], int(r["p"])) for r in csv.DictReader(fh)}
    assert set(cp_rank.tables()) <= stored


def test_product_check_set_is_drawn_by_its_rule_and_its_predictions_reproduce():
    """Check set G: its tables are the first ``draw`` gives; each is ``h(u)`` with ``u =
    g1(x) g2(y)`` (checked in plain integer arithmetic on the tables of u and f: u a
    product, f = h(u) cell by cell, h merging some of the products that occur or none);
    every case has both seeds in product/runs.csv; ``--predict`` prints the committed
    predictions file line for line; the report reads the runs."""
    import re

    import product_check

    for kind, polys in product_check.SET_G.items():
        assert product_check.draw(kind, len(polys)) == list(polys)
        for text in polys:
            merging = re.fullmatch(r"\((.*)\)\^(\d) \+ (?:(\d)\*)?(.*)", text)
            if merging:
                u, k, c = merging[1], int(merging[2]), int(merging[3] or 1)
                assert merging[4] == u and kind == "merging"
            else:
                cube = re.fullmatch(r"\((.*)\)\^3", text)
                scaled = re.fullmatch(r"(\d)\*(.*)", text)
                assert kind == "relabel" and (cube or scaled)
                u, k, c = (cube[1], 3, 0) if cube else (scaled[2], 1, int(scaled[1]) - 1)
            for p in product_check.PRIMES:
                U, T = table(u, p), table(text, p)
                x0, y0 = next((x, y) for x in range(p) for y in range(p) if U[x, y])
                inverse = pow(int(U[x0, y0]), p - 2, p)
                for x in range(p):
                    for y in range(p):
                        v = int(U[x, y])
                        assert v == int(U[x, y0]) * int(U[x0, y]) * inverse % p
                        assert int(T[x, y]) == (pow(v, k, p) + c * v) % p
                products = {int(v) for v in U.ravel() if v}
                images = {(pow(v, k, p) + c * v) % p for v in products}
                assert (len(images) < len(products)) == (kind == "merging"), (text, p)
    report = _stored_in_full_and_predicted(product_check, product_check.SET_G).splitlines()
    at = report.index("== set G, every case (table, prime, alpha) ==")
    assert report[at + 1].strip().startswith("score: 72 cases")


def test_twist_check_set_is_drawn_by_its_rule_and_its_predictions_reproduce():
    """Check set H: its tables are the first ``draw`` gives; in plain integer arithmetic,
    the ``twisted`` tables have the one-input twists of order 3 ``f(w x, y) = w^i0 f`` and
    ``f(x, w y) = w^j0 f`` (w of order 3) and the ``plain`` ones the scaling ``(w x, w^-1
    y)`` and no such twist; every case has both seeds in twist/runs.csv; ``--predict`` and
    ``--predict-paired`` print the committed predictions files line for line; the report,
    the test at p = 37 and the grid that set b_p read the runs."""
    import twist_check

    for kind, text, p, T in _drawn_tables(twist_check, twist_check.SET_H):
        w = next(w for w in range(2, p) if pow(w, 3, p) == 1)
        grid = np.arange(p)
        rows, cols = T[w * grid % p, :], T[:, w * grid % p]
        twisted_x = any(np.array_equal(rows, T * pow(w, e, p) % p) for e in (1, 2))
        twisted_y = any(np.array_equal(cols, T * pow(w, e, p) % p) for e in (1, 2))
        scaled = T[np.ix_(w * grid % p, pow(w, -1, p) * grid % p)]
        assert (twisted_x and twisted_y) == (kind == "twisted"), (text, p)
        assert not twisted_x or kind == "twisted", (text, p)
        if kind == "plain":
            assert np.array_equal(scaled, T), (text, p)
    # the score with b_p at p = 37, committed before those runs were resumed
    paired = _check_set_script("twist_check.py", "--predict-paired").splitlines()
    assert paired == twist_check.PAIRED_PREDICTIONS.read_text().splitlines()[1:]
    assert len(paired) == 37 and all(line.startswith("p=37 ") for line in paired[1:])
    report = _stored_in_full_and_predicted(twist_check, twist_check.SET_H).splitlines()
    at = report.index("== set H, every case (table, prime, alpha) ==")
    assert report[at + 1].strip().startswith("score: 72 cases")
    test = _check_set_script("twist_check.py", "--paired-test").splitlines()
    at = test.index("== set H, every case (table, prime, alpha) ==")
    assert test[at + 1].strip().startswith("score: 36 cases")
    grid = _check_set_script("twist_check.py", "--b-p-grid").splitlines()
    assert grid[0] == "28 cases: 4 of the study, the rest set H's at p = 31"


def test_quadratic_check_set_is_drawn_by_its_rule_and_its_predictions_reproduce():
    """Check set J: its tables are the first ``draw`` gives; in plain integer arithmetic
    each is even under ``(x, y) -> (-x, -y)``, the ``quartic`` ones vanish on both axes and
    the ``quadratic`` ones do not; every case has both seeds in quadratic/runs.csv;
    ``--predict`` prints the committed predictions file line for line."""
    import quadratic_check

    for kind, text, p, T in _drawn_tables(quadratic_check, quadratic_check.SET_J):
        minus = (-np.arange(p)) % p
        assert np.array_equal(T[np.ix_(minus, minus)], T), (text, p)
        axes = not T[0, :].any() and not T[:, 0].any()
        assert axes == (kind == "quartic"), (text, p)
    report = _stored_in_full_and_predicted(quadratic_check, quadratic_check.SET_J)
    assert "== set J, p = 29, width 500 ==" in report


def test_homogeneous_check_set_is_drawn_by_its_rule_and_its_predictions_reproduce():
    """Check set K: its tables are the first ``draw`` gives; in plain integer arithmetic
    each is a homogeneous form, ``f(c x, c y) = c^d f(x, y)`` for every c, the ``axes``
    ones zero on both axes and the ``plain`` ones not; every case has both seeds in
    homogeneous/runs.csv; ``--predict`` prints the committed predictions file line for
    line; the report reads the runs."""
    import homogeneous_check

    for kind, text, p, T in _drawn_tables(homogeneous_check, homogeneous_check.SET_K):
        x = np.arange(p)
        degrees = [
            e
            for e in range(p - 1)
            if all(
                np.array_equal(T[np.ix_(c * x % p, c * x % p)], pow(c, e, p) * T % p)
                for c in range(1, p)
            )
        ]
        assert len(degrees) == 1, (text, p)
        axes = not T[0, :].any() and not T[:, 0].any()
        assert axes == (kind == "axes"), (text, p)
    report = _stored_in_full_and_predicted(homogeneous_check, homogeneous_check.SET_K)
    assert "== set K, p = 47, width 500 ==" in report


def test_affine_check_set_is_drawn_by_its_rule_stored_in_full_and_its_predictions_reproduce():
    """Check set L: its tables are the first ``draw`` gives; in plain integer arithmetic the
    ``coset`` ones have lines that are affine images of a bijection with scales in a coset
    (`reference.coset_orders`) at both primes and the ``other`` ones do not; every case
    has both seeds in affine/runs.csv; ``--predict`` prints the committed predictions file
    line for line; the report reads the runs."""
    import affine_check

    for kind, text, p, T in _drawn_tables(affine_check, affine_check.SET_L):
        assert bool(coset_orders(T.tolist(), p)) == (kind == "coset"), (text, p)
    report = _stored_in_full_and_predicted(affine_check, affine_check.SET_L)
    assert "== set L, p = 41, width 500 ==" in report


def test_parity_check_set_is_drawn_by_its_rule_stored_in_full_and_its_predictions_reproduce():
    """Check set M: its tables are the first ``draw`` gives; in plain integer arithmetic
    each has coset lines (`reference.coset_orders`) whose order is even or odd at each
    prime as its kind says; every case has both seeds in parity/runs.csv; ``--predict``
    prints the committed predictions file line for line; the report reads the runs."""
    import parity_check

    for kind, text, p, T in _drawn_tables(parity_check, parity_check.SET_M):
        even = parity_check.PARITIES[kind][parity_check.PRIMES.index(p)]
        orders = {order for _, order in coset_orders(T.tolist(), p)}
        assert orders and all((order % 2 == 0) == even for order in orders), (text, p)
    report = _stored_in_full_and_predicted(parity_check, parity_check.SET_M)
    assert "== set M, p = 43, width 500 ==" in report


def test_gain_check_set_is_drawn_by_its_rule_stored_in_full_and_its_predictions_reproduce():
    """Check set N: its tables are the first ``draw`` gives; in plain integer arithmetic
    each has, at each prime, coset lines (`reference.coset_orders`) with the lines per
    scale up to sign its kind names (``(p - 1) / order``, twice that for an even order, as
    -1 is then in the subgroup), or none where the kind names 0; every case has both seeds
    in gain/runs.csv; ``--predict`` prints the committed predictions file line for line;
    the report reads the runs."""
    import gain_check

    for kind, text, p, T in _drawn_tables(gain_check, gain_check.SET_N):
        expected = gain_check.GAINS[kind][gain_check.PRIMES.index(p)]
        orders = {order for _, order in coset_orders(T.tolist(), p)}
        gains = {(p - 1) // order * (2 if order % 2 == 0 else 1) for order in orders}
        assert gains == ({expected} if expected else set()), (text, p, orders)
    report = _stored_in_full_and_predicted(gain_check, gain_check.SET_N)
    assert "== set N, p = 53, width 500 ==" in report


def test_quotient_check_set_is_drawn_by_its_rule_and_its_predictions_reproduce():
    """Check set I: its tables are the first ``draw`` gives; in plain integer arithmetic
    each has rows ``x`` and ``-x`` equal, the ``twisted`` ones are odd in ``y`` (``f(x, -y)
    = -f``, the twist that gives their gain), the ``linked`` ones are not; every case has
    both seeds in quotient/runs.csv; ``--predict`` prints the committed predictions file
    line for line."""
    import quotient_check

    for kind, text, p, T in _drawn_tables(quotient_check, quotient_check.SET_I):
        minus = (-np.arange(p)) % p
        assert np.array_equal(T[minus, :], T), (text, p)
        assert np.array_equal(T[:, minus], (-T) % p) == (kind == "twisted"), (text, p)
    report = _stored_in_full_and_predicted(quotient_check, quotient_check.SET_I)
    assert "== set I, p = 29, width 500 ==" in report


def test_ceiling_reads_the_shipped_score_and_a_spread_free_study_has_no_noise():
    """ceiling.Study scores every row as the shipped model does (row_score, row by row),
    and the noise ceiling is 1 where seeds agree, P(|N(0, 0.5)| <= 0.1) where they are 1 apart."""
    with open(STUDY / "study.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))[::40]
    study = ceiling.Study(rows)
    assert np.allclose(study.score(), [row_score(r) for r in rows], atol=1e-9)
    agreeing = [{**r, "observed_min": "0.5", "observed_max": "0.5"} for r in rows]
    assert ceiling.noise_ceiling(agreeing) == 1.0
    apart = [{**r, "observed_min": "0.0", "observed_max": "1.0"} for r in rows]
    expected = math.erf(0.1 / 0.5 / math.sqrt(2))  # 0.1585
    assert ceiling.noise_ceiling(apart) == pytest.approx(expected, abs=0.01)


def test_ceiling_finds_a_table_shift_again_and_carries_it_to_each_alpha():
    """A table whose observed accuracies are the model's with its use's logit moved by 0.3
    gives back 0.3, fitted on all its cases or, for a case inside the threshold, on the
    table's others (no penalty)."""
    with open(STUDY / "study.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    study = ceiling.Study(rows)
    used = 1 / (1 + np.exp(-study.z))
    inside = (used > 0.15) & (used < 0.85) & (study.span > 0.3)
    table = next(t for t in study.table[inside] if np.sum(inside & (study.table == t)) >= 2)
    mine = study.table == table
    study.observed = np.where(mine, study.score(0.3), study.observed)
    assert ceiling.best_value(study.score, study, mine, ceiling.MAX_SHIFT) == pytest.approx(
        0.3, abs=1e-3
    )
    # the case left out is scored by the others alone: its own observed value is ignored
    expected = study.observed.copy()
    i = int(np.flatnonzero(mine & inside)[0])
    study.observed[i] = study.low[i]
    scores, placed = ceiling.shifted_from_the_others(study, mine, ridge=0.0)
    assert placed[i]
    assert scores[i] == pytest.approx(expected[i], abs=1e-3)
    assert abs(expected[i] - study.low[i]) > 0.05

import json
import random

import numpy as np
import pytest

import polyclass as pc
from polyclass import PolyclassError, TableTooLargeError

from reference import eval_terms, table_of, terms_text

PRIMES = [3, 5, 23, 97]


def random_terms(rng: random.Random, nvars: int, p: int, max_exp: int) -> dict:
    terms = {}
    for _ in range(rng.randint(1, 6)):
        exps = tuple(rng.randint(0, max_exp) for _ in range(nvars))
        terms[exps] = rng.randint(-(10**30), 10**30)
    return terms


@pytest.mark.parametrize("p", [*PRIMES, 1009])
@pytest.mark.parametrize("seed", range(4))
def test_table_matches_python_pow_on_random_polynomials(p, seed):
    rng = random.Random(seed * 1000 + p)
    nvars = 2 if p > 23 else rng.randint(1, 3)
    names = ["x", "y", "z"][:nvars]
    terms = random_terms(rng, nvars, p, max_exp=3 * p)
    P = pc.parse(terms_text(terms, names), p=p, variables=names)
    table = P.table()
    assert table.shape == (p,) * nvars and table.dtype == np.int64
    if p <= 97:
        assert (table == table_of(lambda *pt: eval_terms(terms, pt, p), p, nvars)).all()
    else:  # p = 1009: a million cells; check a random sample against Python
        pts = [tuple(rng.randrange(p) for _ in range(nvars)) for _ in range(2000)]
        assert all(table[pt] == eval_terms(terms, pt, p) for pt in pts)


def test_huge_exponents_use_fermat_and_zero_to_the_zero_is_one():
    p = 97
    P = pc.parse("x^(10^50) * y^0 + y^(96*10^20)", p=p)
    expected = table_of(lambda x, y: pow(x, 10**50, p) + pow(y, 96 * 10**20, p), p, 2)
    assert (P.table() == expected).all()
    assert pc.parse("x^0 + (x - x)^0 mod 5")(0) == 2  # 0^0 = 1


def test_point_evaluation_near_two_to_the_31():
    p = 2**31 - 1
    rng = random.Random(7)
    terms = {(5, 3): 123456789, (0, 2): -7, (1, 0): 10**40, (0, 0): 3, (p + 5, 1): 2}
    P = pc.parse(terms_text(terms, ["x", "y"]), p=p)
    pts = np.array([[rng.randrange(p), rng.randrange(p)] for _ in range(500)], dtype=np.int64)
    assert P.evaluate(pts).tolist() == [eval_terms(terms, tuple(map(int, pt)), p) for pt in pts]
    assert P(12345, 678) == eval_terms(terms, (12345, 678), p)


def test_table_refuses_above_the_cap_with_the_size():
    P = pc.parse("x + y + z", p=1009)
    with pytest.raises(TableTooLargeError, match="1,027,243,729 cells"):
        P.table()
    small = pc.parse("x + y", p=23)
    with pytest.raises(TableTooLargeError):
        small.table(max_cells=100)


def test_table_is_cached_and_read_only():
    P = pc.parse("x*y", p=5)
    assert P.table() is P.table()
    with pytest.raises(ValueError):
        P.table()[0, 0] = 1


@pytest.mark.parametrize("p", [3, 5, 23])
@pytest.mark.parametrize("text", ["(x + y + 1)^(p-1)", "x^5*y^7 + 3x/y", "(x - y)^(3p+2)"])
def test_terms_define_the_same_function_as_the_text(p, text):
    P = pc.parse(text.replace("p", str(p)), p=p)
    assert all(max(e) <= p - 1 for e in P.terms)
    assert all(0 < c < p for c in P.terms.values())
    expected = P.table()
    assert (table_of(lambda *pt: eval_terms(P.terms, pt, p), p, 2) == expected).all()


def test_dense_expansion_falls_back_to_interpolation():
    P = pc.parse("(x + y + 1)^96 mod 97")
    assert len(P.terms) > 4000
    rng = random.Random(0)
    table = P.table()
    expected = table_of(lambda x, y: (x + y + 1) ** 96, 97, 2)
    assert (table == expected).all()
    for _ in range(100):  # the interpolated coefficients reproduce the table
        pt = (rng.randrange(97), rng.randrange(97))
        assert eval_terms(P.terms, pt, 97) == table[pt]


def test_modpoly_is_immutable_and_compares_as_a_function():
    P = pc.parse("(x+1)^2 mod 5")
    with pytest.raises(AttributeError):
        P.p = 7  # type: ignore[misc]
    assert P == pc.parse("x^2 + 2x + 1 mod 5")
    assert P == pc.parse("x^6 + 2x + 1 mod 5")  # x^6 = x^2 as functions on GF(5)
    assert P != pc.parse("x^2 + 2x + 1 mod 7")
    assert len({P, pc.parse("x^2 + 2x + 1 mod 5")}) == 1


def test_str_to_dict_and_sympy_views():
    P = pc.parse("(4*x + y^2)^3 mod 97")
    assert str(P) == "(4*x + y^2)^3 mod 97"
    assert P.expanded() == "y^6 + 12*x*y^4 + 48*x^2*y^2 + 64*x^3"
    d = json.loads(json.dumps(P.to_dict()))
    assert d["p"] == 97 and d["variables"] == ["x", "y"] and d["degree"] == 6
    assert {(tuple(t["exponents"]), t["coefficient"]) for t in d["terms"]} == set(P.terms.items())
    assert P.poly.total_degree() == 6 and P.poly.get_modulus() == 97
    assert pc.parse("x/x mod 5").expr.free_symbols == {P.expr.free_symbols.pop().func("x")}


def test_sympy_view_leaves_the_terms_untouched():
    P = pc.parse("2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 97")
    before = pc.decompose(P)
    assert P.poly.total_degree() == 5
    assert all(type(c) is int for c in P.terms.values())
    assert pc.decompose(P).form == before.form == "composite"


def test_evaluate_checks_its_input():
    P = pc.parse("x*y mod 5")
    with pytest.raises(PolyclassError, match="shape"):
        P.evaluate(np.zeros((3, 3), dtype=np.int64))
    with pytest.raises(PolyclassError, match="integers"):
        P.evaluate(np.zeros((3, 2)))

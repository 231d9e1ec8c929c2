import json
import random

import networkx as nx
import pytest

import polyclass as pc

from reference import eval_terms, table_of, terms_text

PRIMES = [5, 23, 97]

FORMS = [
    ("3*x + 2*y + 5", "affine"),
    ("x - y + z", "affine"),
    ("7", "affine"),
    ("4 * x^3 * y^2", "monomial"),
    ("x*y*z", "monomial"),
    ("(4*x + y^2)^3", "h_of_sum"),
    ("(2*n1 + 3*n2)^4", "h_of_sum"),
    ("(5*n1^3 + 2*n2^4)^2", "h_of_sum"),
    ("x^2 + y^2", "h_of_sum"),
    ("(x + y + z)^2 + 1", "h_of_sum"),
    ("x^2*y^2 + 2*x*y + 1", "h_of_product"),
    ("x*y + 1", "h_of_product"),
    ("(x*y^2)^3 - 2*x*y^2", "h_of_product"),
    ("(5*n1^3 + 2*n2^4)^2 - n2", "general"),
    ("(4*x + y^2)^3 + x*y", "general"),
    ("2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3", "general"),
    ("x^2 + x*y + y^2", "general"),
]


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(("text", "form"), FORMS)
def test_decomposition_evaluates_to_the_table_for_every_form(text, form, p):
    P = pc.parse(text, p=p)
    D = pc.decompose(P)
    assert (D.table() == P.table()).all()
    if p == 97:  # at small p, x^p = x can merge terms and change the form legitimately
        assert D.form == form


def test_expanded_cube_is_recognised_with_its_inner_sum():
    D = pc.decompose("64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97")
    assert D.form == "h_of_sum" and D.found == "expanded"
    assert D.h == {3: 1}
    assert D.g == ({1: 4}, {2: 1})
    assert "h(u) = u^3" in str(D) and "g1(x) = 4*x" in str(D) and "g2(y) = y^2" in str(D)


def test_typed_and_expanded_forms_agree():
    typed = pc.decompose("(4*x + y^2)^3 mod 97")
    assert typed.found == "typed"
    assert (typed.h, typed.g) == ({3: 1}, ({1: 4}, {2: 1}))


def test_square_of_product_plus_one():
    D = pc.decompose("x^2*y^2 + 2*x*y + 1 mod 97")
    assert D.form == "h_of_product"
    assert D.monomials == ((1, (1, 1)),)
    assert D.h == {2: 1, 1: 2, 0: 1}
    assert "(u + 1)^2" in D.h_text()


def test_typed_structure_survives_exponent_wraparound():
    # u^3 with u = x + y^50 has degree 150 > p - 1 before reduction; found as typed
    P = pc.parse("(x + y^50)^3 mod 97")
    D = pc.decompose(P)
    assert (D.form, D.found, D.h) == ("h_of_sum", "typed", {3: 1})
    assert (D.table() == P.table()).all()


def test_constant_inside_the_power_moves_into_h():
    D = pc.decompose("(x + y + 2)^2 mod 23")
    assert D.form == "h_of_sum"
    assert D.g == ({1: 1}, {1: 1})
    assert D.h == {2: 1, 1: 4, 0: 4}  # (u + 2)^2


@pytest.mark.parametrize("seed", range(12))
def test_planted_h_of_sum_is_found_from_the_expanded_polynomial(seed):
    rng = random.Random(seed)
    p = rng.choice([23, 97])
    d = rng.randint(2, 4)
    g1 = {e: rng.randrange(1, p) for e in rng.sample(range(1, 5), rng.randint(1, 2))}
    g2 = {e: rng.randrange(1, p) for e in rng.sample(range(1, 5), rng.randint(1, 2))}
    h = {e: rng.randrange(1, p) for e in range(d + 1)}
    inner = " + ".join(
        [f"{c}*x^{e}" for e, c in g1.items()] + [f"{c}*y^{e}" for e, c in g2.items()]
    )
    typed = pc.parse(" + ".join(f"{c}*({inner})^{e}" for e, c in h.items()), p=p)
    expanded = pc.parse(typed.expanded(), p=p, variables=("x", "y"))
    for P in (typed, expanded):
        D = pc.decompose(P)
        assert D.form == "h_of_sum", (seed, str(P))
        assert (D.table() == table_of(lambda x, y: eval_terms(typed.terms, (x, y), p), p, 2)).all()


@pytest.mark.parametrize("seed", range(8))
def test_random_polynomials_decompose_exactly(seed):
    rng = random.Random(100 + seed)
    p = rng.choice([3, 5, 23])
    nvars = rng.randint(1, 3)
    names = ["a", "b", "c"][:nvars]
    terms = {tuple(rng.randint(0, 6) for _ in names): rng.randint(-50, 50) for _ in range(4)}
    P = pc.parse(terms_text(terms, names), p=p, variables=names)
    D = pc.decompose(P)
    assert D.form in {"affine", "monomial", "h_of_sum", "h_of_product", "general"}
    assert (D.table() == table_of(lambda *pt: eval_terms(terms, pt, p), p, nvars)).all()


def test_graph_is_a_dag_with_typed_nodes():
    D = pc.decompose("(4*x + y^2)^3 mod 97")
    G = D.graph
    assert nx.is_directed_acyclic_graph(G)
    kinds = nx.get_node_attributes(G, "kind")
    assert sorted(kinds.values()) == ["add", "input", "input", "monomial", "monomial", "outer"]
    assert G.graph["output"] == "h" and G.nodes["h"]["coefficients"] == {3: 1}
    general = pc.decompose("2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 97").graph
    coefficients = sorted(c for _, _, c in general.in_edges("sum", data="coefficient"))
    assert coefficients == [1, 2, 3]


def test_decomposition_to_dict_is_json():
    D = pc.decompose("x^2*y^2 + 2*x*y + 1 mod 97")
    d = json.loads(json.dumps(D.to_dict()))
    assert d["form"] == "h_of_product" and d["h"] == {"0": 1, "1": 2, "2": 1}
    assert {n["id"] for n in d["graph"]["nodes"]} == {"x", "y", "u", "h"}


def test_values_of_the_maps():
    D = pc.decompose("(5*n1^3 + 2*n2^4)^2 mod 23")
    assert D.g_values(0).tolist() == [5 * pow(n, 3, 23) % 23 for n in range(23)]
    assert D.h_values().tolist() == [n * n % 23 for n in range(23)]
    with pytest.raises(pc.PolyclassError):
        pc.decompose("x*y + x^2*y mod 23").h_values()

import json
import random

import networkx as nx
import pytest

import polyclass as pc

from reference import eval_terms, table_of, terms_text

PRIMES = [5, 23, 97]

FORMS = [
    ("3*x + 2*y + 5", "h_of_sum"),
    ("x - y + z", "h_of_sum"),
    ("7", "composite"),
    ("4 * x^3 * y^2", "multiplicative"),
    ("x*y*z", "multiplicative"),
    ("(4*x + y^2)^3", "h_of_sum"),
    ("(2*n1 + 3*n2)^4", "h_of_sum"),
    ("(5*n1^3 + 2*n2^4)^2", "h_of_sum"),
    ("x^2 + y^2", "h_of_sum"),
    ("(x + y + z)^2 + 1", "h_of_sum"),
    ("x^2*y^2 + 2*x*y + 1", "multiplicative"),
    ("x*y + 1", "multiplicative"),
    ("(x*y^2)^3 - 2*x*y^2", "multiplicative"),
    ("(x + 3)*(y - 1)", "multiplicative"),
    ("(x^2 + 1)*(y^3 + y)", "multiplicative"),
    ("x^2*y + y", "multiplicative"),
    ("(x + 1)*(y + 2)*(z^2 + 1)", "multiplicative"),
    ("(x - 2)*(y + 1)*(z + 1)*(w^2 + 3) + 5", "multiplicative"),
    ("((x + 1)*(y^2 + 2))^2 + (x + 1)*(y^2 + 2)", "multiplicative"),
    ("x^3 + 2*x + 1", "one_variable"),
    ("(5*n1^3 + 2*n2^4)^2 - n2", "composite"),
    ("(4*x + y^2)^3 + x*y", "composite"),
    ("2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3", "composite"),
    ("x^2 + x*y + y^2", "composite"),
]


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(("text", "form"), FORMS)
def test_decomposition_evaluates_to_the_table_for_every_form(text, form, p):
    P = pc.parse(text, p=p)
    if p**P.nvars > 10**6:
        P = pc.parse(text, p=13)
    D = pc.decompose(P)
    assert (D.table() == P.table()).all()
    if D.structure is not None:  # the structure's own maps evaluate to the same table
        assert (D.structure.table() == P.table()).all()
        assert D.structure.form == D.form
    if P.p > 5:  # at small p, x^p = x can merge terms and change the form legitimately
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
    assert D.form == "multiplicative"
    assert D.g == ({1: 1}, {1: 1})
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
    assert D.form in pc.decomposition.FORMS
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
    assert d["form"] == "multiplicative" and d["h"] == {"0": 1, "1": 2, "2": 1}
    assert d["structure"]["group"] == [96, 3] and d["structure"]["operation"] == "*"
    nodes = {n["id"]: n["kind"] for n in d["graph"]["nodes"]}
    assert nodes == {
        "x": "input",
        "y": "input",
        "g1_1": "monomial",
        "g2_1": "monomial",
        "g1": "add",
        "g2": "add",
        "u": "multiply",
        "h": "outer",
    }


def test_values_of_the_maps():
    D = pc.decompose("(5*n1^3 + 2*n2^4)^2 mod 23")
    assert D.g_values(0).tolist() == [5 * pow(n, 3, 23) % 23 for n in range(23)]
    assert D.h_values().tolist() == [n * n % 23 for n in range(23)]
    with pytest.raises(pc.PolyclassError):
        pc.decompose("x*y + x^2 mod 23").h_values()


@pytest.mark.parametrize("seed", range(10))
def test_planted_products_of_univariate_polynomials_are_found(seed):
    """c * g_1(n_1) * ... * g_S(n_S) + k, expanded, S = 2..4: decompose reads the factors back."""
    rng = random.Random(500 + seed)
    S = 2 + seed % 3
    p = rng.choice([23, 29, 97] if S < 4 else [11, 13])
    names = ["x", "y", "z", "w"][:S]
    factors = []
    for _ in range(S):
        g = {e: rng.randrange(1, p) for e in rng.sample(range(0, 4), rng.randint(1, 3))}
        g.setdefault(rng.randint(1, 3), rng.randrange(1, p))
        factors.append(g)
    c, k = rng.randrange(1, p), rng.randrange(p)
    text = (
        f"{c}*"
        + "*".join(
            "(" + " + ".join(f"{a}*{v}^{e}" for e, a in g.items()) + ")"
            for g, v in zip(factors, names, strict=True)
        )
        + f" + {k}"
    )
    typed = pc.parse(text, p=p, variables=names)
    expanded = pc.parse(typed.expanded(), p=p, variables=names)
    D = pc.decompose(expanded)
    assert D.form == "multiplicative", text

    def reference(*pt):
        value = c
        for g, x in zip(factors, pt, strict=True):
            value *= sum(a * pow(x, e, p) for e, a in g.items())
        return (value + k) % p

    assert (D.table() == table_of(reference, p, S)).all()
    assert (D.structure.table() == table_of(reference, p, S)).all()


def test_product_structure_prints_and_serialises():
    D = pc.decompose("(x + 3)*(y - 1) mod 29")
    St = D.structure
    assert (St.form, St.group, St.kind) == ("multiplicative", (28, 3), "product")
    assert St.inner_poly == ({1: 1, 0: 3}, {1: 1, 0: 28})
    assert "g1(x) = x + 3" in str(St) and "Z_28 x Z_3" in str(St)
    d = json.loads(json.dumps(St.to_dict()))
    assert d["g"][0] == [(x + 3) % 29 for x in range(29)]

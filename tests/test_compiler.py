"""pc.compile end to end: every form, exact on every input against plain-Python tables."""

from __future__ import annotations

import itertools
import json
import random

import numpy as np
import pytest
import torch

import polyclass as pc
from polyclass.errors import CompileError, PolyclassError
from polyclass.experts.design import lattice

from reference import eval_terms, table_of, terms_text

PRIMES = (3, 5, 23, 97)

# (text without modulus, reference in plain Python ints, expected form)
CASES = [
    ("3*x + 5*y + 2", lambda x, y: 3 * x + 5 * y + 2, "affine"),
    ("x + 2*y + 3*z", lambda x, y, z: x + 2 * y + 3 * z, "affine"),
    ("x^2*y^3", lambda x, y: x**2 * y**3, "monomial"),
    ("2*x*y*z", lambda x, y, z: 2 * x * y * z, "monomial"),
    ("(2*x + 3*y)^4", lambda x, y: (2 * x + 3 * y) ** 4, "h_of_sum"),
    ("(4*x + y^2)^3", lambda x, y: (4 * x + y * y) ** 3, "h_of_sum"),
    ("(x*y^2)^3 + 1", lambda x, y: (x * y * y) ** 3 + 1, "h_of_product"),
    (
        "2*x^4*y + x^2*y^2 + 3*x*y^3",
        lambda x, y: 2 * x**4 * y + x**2 * y**2 + 3 * x * y**3,
        "general",
    ),
    ("x^2 + x*y + y^2 + x", lambda x, y: x * x + x * y + y * y + x, "general"),
]


def exhaustive(net, fn, p: int, S: int) -> tuple[float, float]:
    """Accuracy and least margin of ``net`` against ``fn`` (plain ints), all p^S inputs."""
    table = table_of(fn, p, S)
    x = torch.tensor(list(itertools.product(range(p), repeat=S)), dtype=torch.long)
    with torch.no_grad():
        logits = net(x).double()
    want = torch.from_numpy(table.reshape(-1).copy())
    rows = torch.arange(len(want))
    right = logits[rows, want]
    others = logits.clone()
    others[rows, want] = -torch.inf
    margin = float((right - others.max(dim=1).values).min())
    return float((logits.argmax(dim=1) == want).double().mean()), margin


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(("text", "fn", "form"), CASES, ids=[c[0] for c in CASES])
def test_exact_method_is_right_on_every_input_for_every_form(p, text, fn, form):
    S = fn.__code__.co_argcount
    if S == 3 and p == 97:
        pytest.skip("912k inputs: covered at p <= 23 in the default run")
    D = pc.decompose(f"{text} mod {p}")
    if p > 5:  # at tiny p several forms collapse into simpler ones
        assert D.form == form
    net = pc.compile(D, device="cpu")
    acc, margin = exhaustive(net, fn, p, S)
    assert acc == 1.0
    assert margin > 0
    assert isinstance(net.widths, tuple) and all(isinstance(w, int) for w in net.widths)
    assert net.metadata["form"] == D.form and net.metadata["method"] == "exact"


@pytest.mark.parametrize("p", [5, 23])
@pytest.mark.parametrize("seed", range(4))
def test_exact_method_on_random_polynomials(p, seed):
    rng = random.Random(1000 * p + seed)
    terms = {}
    for _ in range(rng.randint(1, 4)):
        exps = (rng.randint(0, 6), rng.randint(0, 6))
        terms[exps] = rng.randint(1, p - 1)
    text = terms_text(terms, ("x", "y")) + f" mod {p}"
    P = pc.parse(text, variables=("x", "y"))
    net = pc.compile(P, device="cpu")
    acc, _ = exhaustive(net, lambda x, y: eval_terms(terms, (x, y), p), p, 2)
    assert acc == 1.0, (text, pc.decompose(P).form)


def test_exact_method_on_random_three_variable_polynomials():
    p = 5
    rng = random.Random(7)
    for _ in range(3):
        terms = {
            (rng.randint(0, 4), rng.randint(0, 4), rng.randint(0, 4)): rng.randint(1, 4)
            for _ in range(3)
        }
        P = pc.parse(terms_text(terms, ("x", "y", "z")) + f" mod {p}", variables=("x", "y", "z"))
        net = pc.compile(P, device="cpu")
        acc, _ = exhaustive(net, lambda *n, t=terms: eval_terms(t, n, p), p, 3)
        assert acc == 1.0


def test_four_input_addition_at_23_is_exact_with_54_neurons():
    p = 23
    net = pc.compile(f"x + 2*y + 3*z + 4*w mod {p}", device="cpu", width="min")
    assert net.widths == (54,)
    R = pc.verify(net)
    assert R.accuracy == 1.0 and R.n_cases == p**4


@pytest.mark.parametrize("adder", ["flat", "tree"])
def test_general_polynomials_with_both_adders(adder):
    p = 23
    text = f"x^2*y + 3*x*y^2 + 5*x^3 + 2*y^4 mod {p}"
    net = pc.compile(text, device="cpu", adder=adder)
    assert isinstance(net, pc.ExpertNetwork)
    names = net.stage_names()
    n_adders = sum(1 for n in names if n.startswith("add"))
    assert n_adders == (1 if adder == "flat" else 3)
    acc, _ = exhaustive(net, lambda x, y: x * x * y + 3 * x * y * y + 5 * x**3 + 2 * y**4, p, 2)
    assert acc == 1.0


def test_auto_adder_picks_the_narrower_total():
    text = "x^2*y + 3*x*y^2 + 5*x^3 + 2*y^4 mod 23"
    auto = pc.compile(text, device="cpu")
    flat = pc.compile(text, device="cpu", adder="flat")
    tree = pc.compile(text, device="cpu", adder="tree")
    assert sum(auto.widths) == min(sum(flat.widths), sum(tree.widths))


def test_expert_network_exposes_every_intermediate_output_by_name():
    p = 23
    net = pc.compile(f"2*x^4*y + x^2*y^2 + 3*x*y^3 mod {p}", device="cpu", adder="flat")
    x = torch.tensor([[3, 5], [0, 7]])
    logits, cache = net.run_with_cache(x)
    assert torch.equal(logits, net(x))
    for name in ("mono0", "mono1", "mono2", "adder"):
        assert cache[f"{name}.logits"].shape == (2, p)
        assert cache[f"{name}.hidden"].shape == (2, net.expert(name).width)
    assert "mono0.softmax" in cache and "adder.softmax" not in cache
    # the first expert computes x^4 y: its softmax puts its mass on the right value
    want = [pow(3, 4, p) * 5 % p, 0]
    assert cache["mono0.softmax"].argmax(dim=1).tolist() == want
    assert float(cache["mono0.softmax"].detach().max(dim=1).values.min()) > 0.99


def test_compiled_single_forms_are_power_mlps_with_the_paper_layout():
    p = 23
    net = pc.compile(f"x*y mod {p}", device="cpu")
    assert isinstance(net, pc.PowerMLP)
    assert net.embed.shape == (2, p, lattice(2)[0] + 1) and net.readout.shape == (p, 7)
    assert net.power == 2


def test_width_int_and_min_for_the_exact_method():
    p = 97
    net = pc.compile(f"3*x + 5*y mod {p}", width=18, device="cpu")
    assert net.widths == (18,)
    acc, margin18 = exhaustive(net, lambda x, y: 3 * x + 5 * y, p, 2)
    assert acc == 1.0
    small = pc.compile(f"3*x + 5*y mod {p}", width="min", device="cpu")
    assert small.widths == (6,)
    _, margin6 = exhaustive(small, lambda x, y: 3 * x + 5 * y, p, 2)
    assert margin18 > 10 * margin6  # more frequencies buy margin


def test_margin_argument_buys_margin():
    p = 97
    net = pc.compile(f"x*y mod {p}", margin=0.5, device="cpu", dtype=torch.float64)
    R = pc.verify(net)
    assert R.accuracy == 1.0 and R.min_margin >= 0.5 - 1e-9


def test_margin_of_a_composed_network_is_guaranteed_and_makes_it_nearly_one_hot():
    p = 23
    text = f"2*x^4*y + x^2*y^2 + 3*x*y^3 mod {p}"
    net = pc.compile(text, margin=0.9, device="cpu", dtype=torch.float64)
    acc, margin = exhaustive(net, _b1, p, 2)
    assert acc == 1.0 and margin >= 0.9
    assert pc.verify(net).mse < 0.0098  # below the paper's MSE at p = 23
    with pytest.raises(CompileError, match="pass margin <="):
        pc.compile(text, margin=2.0, device="cpu")


def test_general_min_width_is_verified_and_not_wider():
    p = 23
    text = f"x^2*y + 3*x*y^2 + 5*x^3 mod {p}"
    default = pc.compile(text, device="cpu")
    small = pc.compile(text, width="min", device="cpu")
    assert sum(small.widths) <= sum(default.widths)
    assert pc.verify(small).accuracy == 1.0


def test_constants_univariate_and_unused_variables():
    P = pc.parse("3 mod 7", variables=("x", "y"))
    net = pc.compile(P, device="cpu")
    acc, _ = exhaustive(net, lambda x, y: 3, 7, 2)
    assert acc == 1.0 and net.widths == (1,)
    P = pc.parse("x^2*z + 1 mod 7", variables=("x", "y", "z"))
    net = pc.compile(P, device="cpu")
    acc, _ = exhaustive(net, lambda x, y, z: x * x * z + 1, 7, 3)
    assert acc == 1.0
    assert pc.verify(net).accuracy == 1.0  # metadata keeps the variables
    net = pc.compile("x^3 + 3 mod 7", device="cpu")
    acc, _ = exhaustive(net, lambda x: x**3 + 3, 7, 1)
    assert acc == 1.0


def test_half_precision_is_refused():
    with pytest.raises(CompileError, match="float64"):
        pc.compile("x*y mod 7", dtype=torch.float16)


def test_float64_and_device_arguments():
    net = pc.compile("x*y + 1 mod 23", device="cpu", dtype=torch.float64)
    assert next(net.parameters()).dtype == torch.float64
    assert next(net.parameters()).device.type == "cpu"
    assert net(torch.tensor([[3, 5]])).shape == (1, 23)


# ---- paper method -----------------------------------------------------------------------------


def _b1(a: int, b: int) -> int:
    return 2 * a**4 * b + a**2 * b**2 + 3 * a * b**3


def _b2(a: int, b: int) -> int:
    return a**5 * b**3 + 4 * a * a * b + 5 * a * a * b**3


def _b3(a: int, b: int) -> int:
    return 7 * (a * b) ** 4 + 2 * a**3 * b * b + 4 * a * a * b**5


APPENDIX_B = [
    ("2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3", _b1),
    ("n1^5*n2^3 + 4*n1^2*n2 + 5*n1^2*n2^3", _b2),
    ("7*n1^4*n2^4 + 2*n1^3*n2^2 + 4*n1^2*n2^5", _b3),
]


@pytest.mark.parametrize(("text", "fn"), APPENDIX_B, ids=["B1", "B2", "B3"])
def test_paper_method_reproduces_appendix_b_at_23(text, fn):
    p = 23
    net = pc.compile(f"{text} mod {p}", method="paper", width=(500, 2000), device="cpu")
    assert net.widths == (500, 500, 500, 2000)
    acc, _ = exhaustive(net, fn, p, 2)
    assert acc == 1.0
    R = pc.verify(net)
    assert 0.0 < R.mse < 0.05  # the paper reports 0.0098-0.0102; see benchmarks/compile_verify


@pytest.mark.slow
@pytest.mark.parametrize(("text", "fn"), APPENDIX_B, ids=["B1", "B2", "B3"])
def test_paper_method_reproduces_appendix_b_at_97(text, fn):
    p = 97
    net = pc.compile(f"{text} mod {p}", method="paper", width=(500, 2000), device="cpu")
    acc, _ = exhaustive(net, fn, p, 2)
    assert acc == 1.0


def test_paper_method_is_seeded():
    a = pc.compile("x*y mod 23", method="paper", width=50, seed=3, device="cpu")
    b = pc.compile("x*y mod 23", method="paper", width=50, seed=3, device="cpu")
    c = pc.compile("x*y mod 23", method="paper", width=50, seed=4, device="cpu")
    assert torch.equal(a.embed, b.embed) and not torch.equal(a.embed, c.embed)


def test_paper_min_width_search():
    p = 23
    net = pc.compile(f"x + y mod {p}", method="paper", width="min", device="cpu")
    (w,) = net.widths
    assert pc.verify(net).accuracy == 1.0
    narrower = pc.compile(f"x + y mod {p}", method="paper", width=w - 1, device="cpu")
    assert pc.verify(narrower).accuracy < 1.0


# ---- save and load ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["x*y^2 + 3 mod 23", "2*x^4*y + x^2*y^2 + 3*x*y^3 mod 23"])
def test_save_and_load_round_trip(tmp_path, text):
    net = pc.compile(text, device="cpu")
    path = tmp_path / "net.safetensors"
    net.save(path)
    back = pc.load(path, device="cpu")
    assert type(back) is type(net)
    assert back.widths == net.widths
    assert back.metadata == json.loads(json.dumps(net.metadata))
    x = torch.tensor(list(itertools.product(range(23), repeat=2)))
    with torch.no_grad():
        assert torch.equal(back(x), net(x))
    assert pc.verify(back).to_dict()["accuracy"] == pc.verify(net).accuracy == 1.0


def test_load_rejects_a_foreign_file(tmp_path):
    path = tmp_path / "junk.safetensors"
    path.write_bytes(b"not a network")
    with pytest.raises(PolyclassError, match="net.save"):
        pc.load(path)


# ---- bad input --------------------------------------------------------------------------------


def test_composite_modulus_is_refused_with_the_nearest_primes():
    with pytest.raises(PolyclassError, match="89 and 97"):
        pc.compile("x*y mod 96")


def test_width_below_the_construction_says_what_would_work():
    with pytest.raises(CompileError, match="needs 6 neurons per frequency") as err:
        pc.compile("x + y mod 23", width=4, device="cpu")
    assert "6, 12, 18" in str(err.value)
    with pytest.raises(CompileError, match="zero neuron"):
        pc.compile("x*y mod 23", width=6, device="cpu")


def test_too_large_prime_gives_the_memory_estimate():
    with pytest.raises(CompileError, match="GiB"):
        pc.compile("x*y mod 100000007", device="cpu")


def test_bad_method_width_and_composite_width():
    with pytest.raises(CompileError, match="method"):
        pc.compile("x*y mod 23", method="magic")
    with pytest.raises(CompileError, match="width"):
        pc.compile("x*y mod 23", width="wide")
    with pytest.raises(CompileError, match="composed network"):
        pc.compile("x^2*y + x*y^2 + x^3 mod 23", width=100, device="cpu")


def test_beta_too_small_for_the_margin_budget_is_explained():
    with pytest.raises(CompileError, match="larger beta"):
        pc.compile("x^2*y + x*y^2 mod 97", beta=0.01, device="cpu")


# ---- large primes (slow) ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "fn"),
    [
        ("3*x + 5*y + 7", lambda x, y: 3 * x + 5 * y + 7),
        ("x^2*y^3", lambda x, y: pow(x, 2, 1009) * pow(y, 3, 1009)),
        ("(2*x + 3*y)^4", lambda x, y: pow(2 * x + 3 * y, 4, 1009)),
        ("(x*y^2)^3 + 1", lambda x, y: pow(x * y * y, 3, 1009) + 1),
    ],
)
def test_exact_method_at_p_1009(text, fn):
    p = 1009
    net = pc.compile(f"{text} mod {p}", device="cpu")
    table = np.empty((p, p), dtype=np.int64)
    for x in range(p):
        for y in range(p):
            table[x, y] = fn(x, y) % p
    R = pc.verify(net, table=table)
    assert R.accuracy == 1.0, R

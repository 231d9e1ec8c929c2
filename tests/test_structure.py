"""One Structure from decomposition to network: decompose, classify and compile agree.

References are plain Python: planted maps looked up by hand, ``pow`` for polynomials.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch

import polyclass as pc
from polyclass.errors import CompileError
from polyclass.learnability import check_certificate
from polyclass.netinfo import NetworkInfo
from polyclass.structure import FORMS, LEARNABLE_FORMS, Structure

from reference import table_of


def all_inputs(p: int, S: int) -> torch.Tensor:
    return torch.tensor(list(itertools.product(range(p), repeat=S)), dtype=torch.long)


def exact_everywhere(net, table: np.ndarray) -> bool:
    """Whether argmax(net) equals ``table`` on all p^S inputs (table from plain Python)."""
    p, S = table.shape[0], table.ndim
    x = all_inputs(p, S)
    with torch.no_grad():
        got = net(x).argmax(dim=1).numpy()
    want = np.array([int(table[tuple(pt)]) for pt in x.tolist()])
    return bool((got == want).all())


def planted_sum(p: int, seed: int, injective: bool) -> tuple[np.ndarray, list[int]]:
    """h(g1(x) + g2(y)) with random bijective g's and a random h (one-to-one or not)."""
    rng = np.random.default_rng(seed)
    g1 = [int(v) for v in rng.permutation(p)]
    g2 = [int(v) for v in rng.permutation(p)]
    h = [int(v) for v in (rng.permutation(p) if injective else rng.integers(0, p, p))]
    return table_of(lambda x, y: h[(g1[x] + g2[y]) % p], p, 2), h


def planted_product(p: int, seed: int, injective: bool) -> np.ndarray:
    """F(phi(x) * psi(y)) with random bijective phi, psi and a random F."""
    rng = np.random.default_rng(100 + seed)
    phi = [int(v) for v in rng.permutation(p)]
    psi = [int(v) for v in rng.permutation(p)]
    F = [int(v) for v in (rng.permutation(p) if injective else rng.integers(0, p, p))]
    return table_of(lambda x, y: F[phi[x] * psi[y] % p], p, 2)


# ---- the structure object ---------------------------------------------------------------------


def test_structure_evaluates_prints_and_round_trips():
    p = 13
    n = np.arange(p)
    St = Structure.product(p, ("x", "y"), [(n + 3) % p, (n * n + 1) % p], (2 * n + 5) % p)
    assert (St.form, St.kind, St.group) == ("multiplicative", "product", (12, 3))
    assert (St.table() == table_of(lambda x, y: 2 * (x + 3) * (x * 0 + y * y + 1) + 5, p, 2)).all()
    assert "g1(x) = x + 3" in str(St) and "Z_12 x Z_3" in str(St)
    back = Structure.from_dict(json.loads(json.dumps(St.to_dict())))
    assert (back.table() == St.table()).all() and back.form == St.form
    with pytest.raises(ValueError):
        Structure("composite", p, ("x",), (n,), n)
    assert set(LEARNABLE_FORMS) < set(FORMS)


def test_group_codes_sum_to_the_table_in_the_template_group():
    """codes of g_s in Z_(p-1) x Z_(S+1): h at the digit-wise sum gives f on every input."""
    St = pc.decompose("(x + 1)*(y + 2)*(z^2 + 1) mod 11").structure
    codes, h = St.group_codes()
    N, k = St.group
    for x, y, z in itertools.product(range(11), repeat=3):
        parts = [codes[0][x], codes[1][y], codes[2][z]]
        code = sum(c % N for c in parts) % N + N * (sum(c // N for c in parts) % k)
        assert h[code] == (x + 1) * (y + 2) * (z * z + 1) % 11


def test_decompose_classify_and_verdict_share_one_vocabulary():
    for text in ("(x + 3)*(y - 1) mod 29", "(4*x + y^2)^3 mod 23", "x^2 + x*y + y^2 mod 23"):
        D = pc.decompose(text)
        V = pc.classify(D)  # a Decomposition is used as it is
        assert D.form in FORMS and V.form in FORMS
        assert (V.form == D.form) == (D.structure is not None)
        if D.structure is not None:
            assert V.structure is D.structure and V.method.startswith("symbolic")
        assert json.loads(json.dumps(V.to_dict()))["form"] == V.form


# ---- compile: one network per learnable structure --------------------------------------------


def test_shifted_product_compiles_to_one_seven_neuron_network():
    p = 29
    net = pc.compile(f"(x + 3)*(y - 1) mod {p}", device="cpu")
    assert isinstance(net, pc.PowerMLP) and net.widths == (7,)
    assert net.info.form == "multiplicative" and net.info.frequencies == (1,)
    assert exact_everywhere(net, table_of(lambda x, y: (x + 3) * (y - 1), p, 2))


@pytest.mark.parametrize(
    ("text", "fn", "width"),
    [
        ("(x^2 + 1)*(y^3 + y)", lambda x, y: (x * x + 1) * (y**3 + y), 7),
        ("x*y*z", lambda x, y, z: x * y * z, 19),
        ("(x + 1)*(y + 2)*(z^2 + 1)", lambda x, y, z: (x + 1) * (y + 2) * (z * z + 1), 19),
        ("3*x + 2*y + 7*z", lambda x, y, z: 3 * x + 2 * y + 7 * z, 18),
    ],
)
def test_products_and_sums_of_two_and_three_variables_are_one_network(text, fn, width):
    p = 13
    S = fn.__code__.co_argcount
    net = pc.compile(f"{text} mod {p}", device="cpu")
    assert net.widths == (width,)
    assert exact_everywhere(net, table_of(fn, p, S))


def test_four_variables_width_54_and_55():
    p = 7
    plus = pc.compile(f"x + y + 2*z + 3*w mod {p}", device="cpu", dtype=torch.float64)
    times = pc.compile(f"(x + 1)*y*z*(w^2 + 1) mod {p}", device="cpu", dtype=torch.float64)
    assert (plus.widths, times.widths) == ((54,), (55,))
    names = ("w", "x", "y", "z")  # pc.parse sorts the variables
    assert plus.info.variables == names
    assert exact_everywhere(plus, table_of(lambda w, x, y, z: x + y + 2 * z + 3 * w, p, 4))
    ref = table_of(lambda w, x, y, z: (x + 1) * y * z * (w * w + 1), p, 4)
    assert exact_everywhere(times, ref)


@pytest.mark.parametrize("p", [23, 97])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("injective", [True, False])
def test_planted_tables_compile_to_one_exact_network(p, seed, injective):
    T, h = planted_sum(p, seed, injective)
    net = pc.compile(T, p=p, device="cpu")
    assert isinstance(net, pc.PowerMLP) and net.info.source == "table"
    assert exact_everywhere(net, T)
    F = len(net.info.frequencies)
    assert net.widths == (6 * F,)
    if injective:
        assert F == 1
    else:
        assert F >= 1 and len(set(h)) < p
    M = planted_product(p, seed, injective)
    mnet = pc.compile(M, p=p, device="cpu")
    assert mnet.info.form == "multiplicative" and exact_everywhere(mnet, M)
    assert mnet.widths == (6 * len(mnet.info.frequencies) + 1,)


def test_compile_of_a_verdict_equals_compile_of_the_text():
    text = "(x + 3)*(y - 1) mod 29"
    a = pc.compile(text, device="cpu")
    b = pc.compile(pc.classify(text), device="cpu")
    c = pc.compile(pc.decompose(text).structure, device="cpu")
    for other in (b, c):
        assert other.widths == a.widths
        for (k, v), (_, w) in zip(a.state_dict().items(), other.state_dict().items(), strict=True):
            assert torch.equal(v, w), k
    assert (b.info.source, c.info.source) == ("verdict", "structure")


def test_refused_tables_and_verdicts_say_why():
    T = table_of(lambda x, y: x * x + x * y + y * y, 23, 2)
    with pytest.raises(CompileError, match="fibre bound|not h"):
        pc.compile(T, p=23, device="cpu")
    V = pc.classify(T, 23)
    assert V.learnable is False
    with pytest.raises(CompileError, match="not_decomposable"):
        pc.compile(V, device="cpu")
    with pytest.raises(CompileError, match="NumPy"):
        pc.compile([[0, 1], [1, 0]], device="cpu")


def test_table_network_info_round_trips_and_verifies(tmp_path):
    T, _ = planted_sum(23, 7, False)
    net = pc.compile(T, p=23, device="cpu")
    net.save(tmp_path / "t.safetensors")
    back = pc.load(tmp_path / "t.safetensors", device="cpu")
    assert isinstance(back.info, NetworkInfo) and back.info == net.info
    assert back.info.polynomial is None and (back.info.table() == T).all()
    assert pc.verify(back).accuracy == 1.0  # the recorded structure stands in for f


# ---- classify: 3 and 4 variables, with certificates -------------------------------------------


@pytest.mark.parametrize(
    ("text", "fn", "p"),
    [
        ("x*y*z", lambda x, y, z: x * y * z, 23),
        ("(x + 1)*(y + 2)*(z^2 + 1)", lambda x, y, z: (x + 1) * (y + 2) * (z * z + 1), 23),
        ("(x*y*z + 2)^2", lambda x, y, z: (x * y * z + 2) ** 2, 13),
        ("(x + 2*y + z^2)^3", lambda x, y, z: (x + 2 * y + z * z) ** 3, 11),
        ("x*y*z*w + 1", lambda w, x, y, z: x * y * z * w + 1, 7),
        ("(x + y^2 + z + w^3)^2", lambda w, x, y, z: (x + y * y + z + w**3) ** 2, 7),
    ],
)
def test_three_and_four_variables_are_decided_from_text_and_bare_tables(text, fn, p):
    S = fn.__code__.co_argcount
    T = table_of(fn, p, S)
    for obj in (f"{text} mod {p}", T):
        V = pc.classify(obj, p)
        assert V.learnable is True, (text, type(obj).__name__, V.reason)
        assert check_certificate(T, p, V.certificate) is True
        assert (V.structure.table() == T).all()
        wrong = T.copy()
        wrong[(1,) * S] = (wrong[(1,) * S] + 1) % p
        assert check_certificate(wrong, p, V.certificate) is False


def test_flattened_refutation_of_three_variables_is_checked_independently():
    T = table_of(lambda x, y, z: x * y + z, 11, 3)
    V = pc.classify(T, 11)
    assert V.learnable is False
    assert V.certificate["z_p"]["kind"] in ("flatten", "slice")
    assert check_certificate(T, 11, V.certificate) is True
    assert check_certificate(table_of(lambda x, y, z: x + y + z, 11, 3), 11, V.certificate) is False

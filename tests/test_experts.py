"""Experts built from explicit specifications, checked on every input against plain Python."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from polyclass.experts import (
    affine_spec,
    build_expert,
    choose_frequencies,
    exact_design,
    frequency_order,
    lattice,
    margin_curve,
    monomial_spec,
    paper_design,
    poly_values,
    sum_spec,
)
from polyclass.experts.core import MARGIN_TOL, ExpertSpec, sensitivity
from polyclass.experts.design import lattice_cancels, unwanted_combinations

from reference import table_of

PRIMES = (3, 5, 23, 97)


def all_inputs(p: int, S: int) -> torch.Tensor:
    return torch.tensor(list(itertools.product(range(p), repeat=S)), dtype=torch.long)


def exact_net(spec: ExpertSpec, n_freq: int | None = None, dtype=torch.float64):
    if spec.constant is not None:
        return build_expert(spec, None, dtype=dtype)
    if n_freq is None:
        freqs, _ = choose_frequencies(spec, 0.0)
    else:
        freqs = frequency_order(spec.group_order, n_freq)
    return build_expert(spec, exact_design(len(spec.active), spec.group_order, freqs), dtype=dtype)


def margins_against(net, table: np.ndarray) -> tuple[float, torch.Tensor]:
    """Accuracy and per-input margins of ``net`` against a reference table."""
    p, S = table.shape[0], table.ndim
    with torch.no_grad():
        logits = net(all_inputs(p, S)).double()
    want = torch.from_numpy(table.reshape(-1).copy())
    rows = torch.arange(len(want))
    right = logits[rows, want]
    others = logits.clone()
    others[rows, want] = -torch.inf
    margins = right - others.max(dim=1).values
    return float((logits.argmax(dim=1) == want).double().mean()), margins


# ---- the lattice design -----------------------------------------------------------------------


@pytest.mark.parametrize(("S", "m"), [(1, 3), (2, 6), (3, 18), (4, 54)])
def test_lattice_sizes_meet_the_targets(S, m):
    assert lattice(S)[0] == m


@pytest.mark.parametrize("S", [1, 2, 3, 4])
def test_lattice_phases_cancel_every_unwanted_term_numerically(S):
    m, t = lattice(S)
    j = np.arange(m)
    for b in unwanted_combinations(S):
        total = np.exp(2j * np.pi * j * int(np.dot(b, t)) / m).sum()
        assert abs(total) < 1e-9
    # while the wanted combination b = 0 adds up coherently
    assert abs(np.exp(0j * j).sum() - m) < 1e-12


def test_unwanted_combinations_are_the_reachable_vectors():
    # S = 2: (cos a + cos b)^2 has the exponent vectors (+-2,0), (0,+-2), (+-1,+-1), (0,0)
    rows = {tuple(int(x) + 1 for x in r) for r in unwanted_combinations(2)}
    expected = {(2, 0), (-2, 0), (0, 2), (0, -2), (1, -1), (-1, 1), (-1, -1), (0, 0)}
    assert rows == expected


@pytest.mark.parametrize("S", [2, 3])
def test_no_smaller_lattice_cancels(S):
    m_found = lattice(S)[0]
    for m in range(2, m_found):
        for t in itertools.product(range(m), repeat=S):
            assert not lattice_cancels(m, t)


@pytest.mark.parametrize("S", [2, 3, 4, 5])
def test_balanced_base_lattice_cancels(S):
    base = 2 * S + 3
    assert lattice_cancels(base**S, tuple(base**i for i in range(S)))


def test_frequency_order_starts_with_one_and_sharpens_the_kernel():
    order = frequency_order(97)
    assert order[0] == 1 and len(order) == 48 and sorted(order) == list(range(1, 49))
    spec = affine_spec([1, 1], 0, 97)
    curve = margin_curve(spec, 48)
    assert curve[0] == pytest.approx(1 - np.cos(2 * np.pi / 97))
    assert curve[-1] == pytest.approx(1 + 1 / 96)  # the full Fourier basis: a clean delta


# ---- addition experts -------------------------------------------------------------------------


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(
    "coeffs", [(1,), (3, 5), (1, 2, 3), (2, 7, 1, 5)], ids=["S1", "S2", "S3", "S4"]
)
def test_addition_expert_is_exact_on_every_input(p, coeffs):
    S = len(coeffs)
    if p**S > 300_000:
        pytest.skip("table too large for the default run")
    const = 4
    spec = affine_spec(list(coeffs), const, p)
    net = exact_net(spec, n_freq=1)
    table = table_of(lambda *n: sum(c * x for c, x in zip(coeffs, n, strict=True)) + const, p, S)
    acc, margins = margins_against(net, table)
    assert acc == 1.0
    if spec.constant is None:
        predicted = margin_curve(spec, 1)[0]
        assert float(margins.min()) == pytest.approx(predicted, rel=1e-6, abs=1e-9)
        m = lattice(len(spec.active))[0]
        assert net.width == m  # one frequency: exactly m neurons


def test_addition_expert_with_a_coefficient_divisible_by_p_ignores_that_input():
    spec = affine_spec([5, 2], 1, 5)  # 5 = 0 mod 5
    assert spec.active == (1,)
    net = exact_net(spec)
    acc, _ = margins_against(net, table_of(lambda a, b: 2 * b + 1, 5, 2))
    assert acc == 1.0 and net.power == 1


@pytest.mark.parametrize("p", [5, 23, 97])
def test_h_of_sum_expert_sums_over_preimages_of_a_non_invertible_h(p):
    g1, g2, h = poly_values({1: 2}, p), poly_values({1: 3}, p), poly_values({4: 1}, p)
    spec = sum_spec([g1, g2], h, p)
    net = exact_net(spec)
    table = table_of(lambda a, b: pow(2 * a + 3 * b, 4, p), p, 2)
    if p == 97:
        assert len(np.unique(table)) == 25
    acc, margins = margins_against(net, table)
    assert acc == 1.0
    assert float(margins.min()) == pytest.approx(
        margin_curve(spec, len(net.readout[0]) // 6)[-1], abs=1e-9
    )


@pytest.mark.parametrize("p", [5, 23])
def test_h_of_sum_with_nonlinear_inner_maps(p):
    spec = sum_spec([poly_values({1: 4}, p), poly_values({2: 1}, p)], poly_values({3: 1}, p), p)
    acc, _ = margins_against(exact_net(spec), table_of(lambda a, b: (4 * a + b * b) ** 3, p, 2))
    assert acc == 1.0


# ---- multiplication experts -------------------------------------------------------------------


@pytest.mark.parametrize("p", PRIMES)
@pytest.mark.parametrize(
    ("c", "exps"),
    [(1, (1, 1)), (3, (2, 3)), (2, (4, 1)), (1, (1, 1, 1)), (5, (2, 1, 3)), (1, (1, 2, 1, 1))],
)
def test_multiplication_expert_is_exact_on_every_input(p, c, exps):
    S = len(exps)
    if p**S > 300_000:
        pytest.skip("table too large for the default run")

    def f(*n: int) -> int:
        value = c
        for x, a in zip(n, exps, strict=True):
            value *= pow(x, a, p)
        return value

    spec = monomial_spec(c, exps, p)
    net = exact_net(spec, n_freq=1)
    acc, margins = margins_against(net, table_of(f, p, S))
    assert acc == 1.0
    if c % p == 0:  # the polynomial is 0: a constant expert
        assert spec.constant == 0 and net.width == 1
        return
    assert net.width == lattice(len(spec.active))[0] + 1  # m cosine neurons + the zero neuron
    assert float(margins.min()) == pytest.approx(margin_curve(spec, 1)[0], abs=1e-9)


@pytest.mark.parametrize("p", [5, 23])
def test_zero_factor_gives_exactly_z_to_the_S_on_h0_and_zero_elsewhere(p):
    spec = monomial_spec(1, (2, 1, 3), p)
    net = exact_net(spec, n_freq=2)
    x = torch.tensor([[0, 3, 4], [0, 0, 2], [0, 0, 0], [1, 0, 1]])
    with torch.no_grad():
        logits = net(x)
    zeros = (x == 0).sum(dim=1).double()
    expected = torch.zeros_like(logits)
    expected[:, 0] = zeros**3
    assert torch.allclose(logits, expected, atol=1e-9)


@pytest.mark.parametrize("p", [5, 23, 97])
def test_h_of_product_expert(p):
    h = poly_values({3: 1, 0: 1}, p)  # h(u) = u^3 + 1
    spec = monomial_spec(2, (1, 2), p, outer=h)
    acc, _ = margins_against(
        exact_net(spec), table_of(lambda a, b: pow(2 * a * b * b, 3, p) + 1, p, 2)
    )
    assert acc == 1.0


def test_exponent_multiple_of_p_minus_1_keeps_only_the_zero_pattern():
    p = 5
    spec = monomial_spec(1, (4, 1), p)  # x^4 is 1 unless x = 0
    acc, _ = margins_against(exact_net(spec), table_of(lambda a, b: pow(a, 4, p) * b, p, 2))
    assert acc == 1.0


def test_a_rounding_tie_does_not_count_as_a_margin():
    # h(u) = u + u^2 + u^3 mod 5 sends 2, 3 and 4 to 4 and 1 to 3. With frequencies 1 and 2 of
    # Z_4 the logits of 3 and 4 tie exactly at u = 4, which float64 gives as about +-1e-16.
    p = 5
    spec = monomial_spec(1, (0, 1), p, outer=poly_values({1: 1, 2: 1, 3: 1}, p))
    tie = margin_curve(spec, 2)[-1]
    assert abs(tie) < MARGIN_TOL
    freqs, margin = choose_frequencies(spec, 0.0)
    assert margin > MARGIN_TOL
    net = build_expert(spec, exact_design(1, p - 1, freqs), dtype=torch.float64)
    table = table_of(lambda a, b: (b + b * b + b**3) % p, p, 2)
    acc, margins = margins_against(net, table)
    assert acc == 1.0 and float(margins.min()) == pytest.approx(margin, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    p=st.sampled_from([5, 7, 23]),
    c=st.integers(1, 200),
    exps=st.lists(st.integers(0, 30), min_size=2, max_size=3),
    outer=st.dictionaries(st.integers(0, 6), st.integers(1, 50), min_size=1, max_size=3),
)
@example(p=5, c=1, exps=[0, 1], outer={1: 1, 2: 1, 3: 1})
def test_random_h_of_product_experts_are_exact(p, c, exps, outer):
    if c % p == 0:
        c += 1
    S = len(exps)
    spec = monomial_spec(c, exps, p, outer=poly_values(outer, p))

    def f(*n: int) -> int:
        u = c
        for x, a in zip(n, exps, strict=True):
            u = u * pow(x, a, p) % p
        return sum(k * pow(u, e, p) for e, k in outer.items())

    acc, _ = margins_against(exact_net(spec), table_of(f, p, S))
    assert acc == 1.0


@settings(max_examples=25, deadline=None)
@given(
    p=st.sampled_from([5, 7, 23]),
    inner=st.lists(
        st.dictionaries(st.integers(1, 8), st.integers(0, 30), max_size=2), min_size=2, max_size=3
    ),
    outer=st.dictionaries(st.integers(0, 6), st.integers(1, 50), min_size=1, max_size=3),
)
def test_random_h_of_sum_experts_are_exact(p, inner, outer):
    S = len(inner)
    spec = sum_spec([poly_values(g, p) for g in inner], poly_values(outer, p), p)

    def f(*n: int) -> int:
        u = sum(k * pow(x, e, p) for g, x in zip(inner, n, strict=True) for e, k in g.items())
        return sum(k * pow(u % p, e, p) for e, k in outer.items())

    acc, _ = margins_against(exact_net(spec), table_of(f, p, S))
    assert acc == 1.0


def test_constant_expert_when_no_input_matters():
    spec = affine_spec([0, 0], 3, 5)
    assert spec.constant == 3
    net = exact_net(spec)
    acc, _ = margins_against(net, table_of(lambda a, b: 3, 5, 2))
    assert acc == 1.0 and net.width == 1


# ---- float32, paper design, sensitivity -------------------------------------------------------


def test_float32_single_frequency_is_still_exact_at_p_97():
    spec = monomial_spec(1, (1, 1), 97)
    acc, margins = margins_against(
        exact_net(spec, 1, dtype=torch.float32), table_of(lambda a, b: a * b, 97, 2)
    )
    assert acc == 1.0 and float(margins.min()) > 1e-3


def test_paper_design_is_seeded_and_random():
    a = paper_design(2, 23, 100, seed=1)
    b = paper_design(2, 23, 100, seed=1)
    c = paper_design(2, 23, 100, seed=2)
    assert np.array_equal(a.sigma, b.sigma) and np.array_equal(a.psi, b.psi)
    assert not np.array_equal(a.psi, c.psi)
    assert a.sigma.min() >= 1 and a.sigma.max() <= 22
    assert np.abs(a.psi).max() <= np.pi


def test_paper_addition_expert_is_right_on_average_at_large_width():
    p = 23
    spec = affine_spec([1, 1], 0, p)
    net = build_expert(spec, paper_design(2, p, 500, seed=0), dtype=torch.float64)
    acc, _ = margins_against(net, table_of(lambda a, b: a + b, p, 2))
    assert acc == 1.0
    small = build_expert(spec, paper_design(2, p, 4, seed=0), dtype=torch.float64)
    acc_small, _ = margins_against(small, table_of(lambda a, b: a + b, p, 2))
    assert acc_small < 1.0  # random phases do not cancel at tiny widths


def test_sensitivity_bounds_the_logit_change_for_soft_inputs():
    p = 23
    spec = affine_spec([2, 5], 1, p)
    net = exact_net(spec, 2)
    lam = sensitivity(net)
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, p, (64, 2), generator=gen)
    onehot = torch.nn.functional.one_hot(x, p).double()
    eps = 0.01
    noise = torch.rand(64, 2, p, generator=gen, dtype=torch.float64)
    noise = noise / noise.sum(-1, keepdim=True)
    soft = (1 - eps) * onehot + eps * noise
    with torch.no_grad():
        change = (net(soft) - net(x)).abs().max()
    assert float(change) <= lam * eps

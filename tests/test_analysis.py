"""IPR and spectra in the basis each polynomial's decomposition dictates.

Ideal networks are written down here from the paper's formulas with NumPy cosines and
brute-force discrete logs / inverses (plain Python), never with polyclass's experts.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import polyclass as pc
from polyclass.analysis import basis_for, ipr_weights

P = 23


def power_mlp(embed: np.ndarray, readout: np.ndarray) -> pc.PowerMLP:
    S, p, N = embed.shape
    net = pc.PowerMLP(S, p, N, readout.shape[0], dtype=torch.float64)
    with torch.no_grad():
        net.embed.copy_(torch.from_numpy(embed))
        net.readout.copy_(torch.from_numpy(readout))
    return net


def generators(p: int) -> list[int]:
    return [g for g in range(2, p) if len({pow(g, k, p) for k in range(p - 1)}) == p - 1]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


@pytest.mark.parametrize("coeffs", [(1, 1), (1, 3), (5, 2, 7)])
def test_ideal_addition_network_has_ipr_one_in_natural_order(rng, coeffs):
    N, S = 40, len(coeffs)
    sigma = rng.integers(1, P, N)
    psi = rng.uniform(-np.pi, np.pi, (S, N))
    i = np.arange(P)[:, None]
    embed = np.stack([np.cos(2 * np.pi / P * sigma * c * i + psi[s]) for s, c in enumerate(coeffs)])
    readout = np.cos(-2 * np.pi / P * sigma * i - psi.sum(0))
    net = power_mlp(embed, readout)
    text = " + ".join(f"{c}*n{s + 1}" for s, c in enumerate(coeffs)) + f" mod {P}"
    np.testing.assert_allclose(pc.ipr(net, text), 1.0, atol=1e-9)
    np.testing.assert_allclose(pc.ipr(net), 1.0, atol=1e-9)  # a bare table: same basis
    sp = pc.spectra(net, text)
    fold = lambda f: np.minimum(f % P, P - f % P)  # noqa: E731
    for s, c in enumerate(coeffs):
        np.testing.assert_array_equal(sp.frequency[s], fold(sigma * c))
    np.testing.assert_array_equal(sp.frequency[-1], fold(sigma))
    np.testing.assert_allclose(sp.power_fraction, 1.0, atol=1e-9)
    low = fold(sigma * coeffs[0]) == sigma % P  # no folding: the phase is psi itself
    np.testing.assert_allclose(np.cos(sp.phase[0][low] - psi[0][low]), 1.0, atol=1e-9)


@pytest.mark.parametrize("exps", [(1, 1), (2, 3)])
def test_ideal_multiplication_network_has_ipr_one_in_discrete_log_order(rng, exps):
    N = 40
    g = generators(P)[-1]  # any generator: the basis must not depend on which one
    log = {pow(g, k, P): k for k in range(P - 1)}
    sigma = rng.integers(1, P - 1, N)
    psi = rng.uniform(-np.pi, np.pi, (2, N))
    embed = np.zeros((2, P, N))
    readout = np.zeros((P, N))
    for n in range(1, P):
        for s, a in enumerate(exps):
            embed[s, n] = np.cos(2 * np.pi / (P - 1) * sigma * a * log[n] + psi[s])
        readout[n] = np.cos(-2 * np.pi / (P - 1) * sigma * log[n] - psi.sum(0))
    net = power_mlp(embed, readout)
    text = f"n1^{exps[0]}*n2^{exps[1]} mod {P}"
    ipr = pc.ipr(net, text)
    # (frequencies sigma*a = 0 mod p-1 make a constant row, which is also IPR 1)
    np.testing.assert_allclose(ipr, 1.0, atol=1e-9)
    assert pc.ipr(net).mean() < 0.5  # natural order hides the periodicity


def test_h_of_sum_with_non_linear_inner_map_is_periodic_after_reindexing_by_g(rng):
    # f = (4 n1 + n2^2)^3 mod 23: g2 = n^2 is 2-to-1, h = u^3 is a bijection mod 23
    N = 40
    sigma = rng.integers(1, P, N)
    psi = rng.uniform(-np.pi, np.pi, (2, N))
    h_inv = {pow(u, 3, P): u for u in range(P)}
    n = np.arange(P)[:, None]
    embed = np.stack(
        [
            np.cos(2 * np.pi / P * sigma * (4 * n % P) + psi[0]),
            np.cos(2 * np.pi / P * sigma * (n * n % P) + psi[1]),
        ]
    )
    readout = np.stack([np.cos(-2 * np.pi / P * sigma * h_inv[q] - psi.sum(0)) for q in range(P)])
    net = power_mlp(embed, readout)
    text = f"(4*n1 + n2^2)^3 mod {P}"
    assert basis_for(text).kind == "g_reindexed"
    np.testing.assert_allclose(pc.ipr(net, text), 1.0, atol=1e-9)
    assert pc.ipr(net).mean() < 0.5
    assert np.all(pc.spectra(net, text).frequency[1] == np.minimum(sigma, P - sigma))


def test_random_weights_are_far_from_periodic():
    torch.manual_seed(0)
    net = pc.PowerMLP(2, P, 200)
    with torch.no_grad():
        net.embed.normal_()
        net.readout.normal_()
    for text in (f"n1 + n2 mod {P}", f"n1*n2 mod {P}", f"(4*n1 + n2^2)^3 mod {P}"):
        v = pc.ipr(net, text)
        assert v.shape == (200,) and np.all((v > 0) & (v <= 1))
        assert v.mean() < 0.35


def test_compiled_networks_have_ipr_one():
    compile_ = getattr(pc, "compile", None)
    if compile_ is None:
        pytest.skip("pc.compile not available")
    for text in (f"n1 + 3*n2 mod {P}", f"n1*n2 mod {P}", f"(4*n1 + n2^2)^3 mod {P}"):
        net = compile_(text)
        if not isinstance(net, pc.PowerMLP):
            continue
        v = pc.ipr(net, text)
        # neurons that only see residue 0 have no discrete-log spectrum: NaN, not 0
        np.testing.assert_allclose(v[~np.isnan(v)], 1.0, atol=1e-6)
        assert np.isnan(v).sum() <= 1


def test_ipr_weights_is_batched_over_models():
    torch.manual_seed(1)
    embed, readout = torch.randn(3, 2, P, 16), torch.randn(3, P, 16)
    basis = basis_for(f"n1*n2 mod {P}")
    batched = ipr_weights(embed, readout, basis)
    assert batched.shape == (3, 16)
    for k in range(3):
        torch.testing.assert_close(batched[k], ipr_weights(embed[k], readout[k], basis))


def test_ipr_rejects_non_networks():
    with pytest.raises(TypeError, match="PowerMLP"):
        pc.ipr(object(), f"n1*n2 mod {P}")


@pytest.mark.parametrize("scale", [1e-10, 1e-12, 1e-15, 1e-20])
def test_ipr_of_a_neuron_shrunk_by_weight_decay_is_its_ipr_not_zero(scale):
    # weight decay drives unused neurons towards 0; at ~1e-20 the float32 squares of the
    # squares underflow, which used to report IPR 0 for a perfectly periodic neuron
    net = pc.compile("n1 + n2 mod 23", device="cpu")
    with torch.no_grad():
        net.embed[..., 0] *= scale
        net.readout[:, 0] *= scale
        net.embed[..., 1] = 0.0
        net.readout[:, 1] = 0.0
    values = pc.ipr(net, "n1 + n2 mod 23")
    assert values[0] == pytest.approx(1.0, abs=1e-5)
    assert np.isnan(values[1])  # no weights at all: no IPR

"""pc.compare: the construction's frequency and phase relations, per neuron."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

import polyclass as pc
from polyclass.comparison import neuron_relations
from polyclass.nn import PowerMLP

FORMS = [
    "n1 + n2 mod 23",  # addition: readout phase = sum of input phases
    "2*n1 + 3*n2 + 5 mod 23",  # multipliers 2, 3 and a constant offset
    "n1 + n2 + n3 mod 11",
    "n1*n2 mod 23",  # discrete-log basis
    "3*n1^2*n2 mod 23",
    "(2*n1 + 3*n2)^2 mod 23",  # g-reindexed, even h: only the sign of the phase survives
    "(n1^3 + 2*n2)^2 mod 23",
]


def random_like(net: torch.nn.Module, width: int = 200, seed: int = 0) -> PowerMLP:
    S, p, _ = net.embed.shape
    torch.manual_seed(seed)
    r = PowerMLP(S, p, width, net.readout.shape[0])
    with torch.no_grad():
        r.embed.normal_()
        r.readout.normal_()
    return r


@pytest.mark.parametrize("text", FORMS)
def test_compiled_network_compared_with_itself_matches_fully(text):
    net = pc.compile(text)
    c = pc.compare(net, net)
    assert c.share == 1.0 and c.compiled.share == 1.0
    assert c.trained.n_active == net.embed.shape[-1] - (net.embed.shape[-1] % 6)
    assert np.nanmax(c.trained.phase_error) < 1e-3
    assert c.frequencies("trained") == c.frequencies("compiled")


@pytest.mark.parametrize("text", FORMS)
def test_random_network_matches_little(text):
    net = pc.compile(text)
    c = pc.compare(random_like(net), net, text)
    assert c.share < 0.1
    assert c.compiled.share == 1.0


def test_fitted_multipliers_and_offset_are_the_polynomials():
    # 2 n1 + 3 n2 + 5: readout phase = 2 pi sigma d / 23 + psi_1 + psi_2 with the
    # value y = 2 n1 + 3 n2 + 5 at Fourier position y, so the wanted term needs d = -5
    r = neuron_relations(pc.compile("2*n1 + 3*n2 + 5 mod 23"), "2*n1 + 3*n2 + 5 mod 23")
    assert r.multipliers == (2, 3)
    assert r.offset == (-5) % 23
    r = neuron_relations(pc.compile("3*n1^2*n2 mod 23"), "3*n1^2*n2 mod 23")
    assert r.multipliers == (2, 1)  # exponents act as multipliers of discrete logs


def test_a_neuron_with_a_shifted_readout_phase_stops_matching():
    net = pc.compile("n1 + n2 mod 23")
    with torch.no_grad():  # rotate neuron 0's readout phase by 1 radian
        u = torch.arange(23, dtype=torch.float64)
        col = net.readout[:, 0].double()
        f = torch.fft.rfft(col)
        k = int(f[1:].abs().argmax()) + 1
        amp, ph = f[k].abs() * 2 / 23, torch.angle(f[k])
        net.readout[:, 0] = (amp * torch.cos(2 * math.pi * k * u / 23 + ph + 1.0)).float()
    r = neuron_relations(net, "n1 + n2 mod 23")
    assert not r.matches[0] and r.matches[1:6].all()
    assert abs(r.phase_error[0] - 1.0) < 1e-3


def test_compare_serialises():
    net = pc.compile("n1 + n2 mod 23")
    c = pc.compare(random_like(net, width=16), net)
    d = json.loads(json.dumps(c.to_dict()))
    assert d["polynomial"] == "n1 + n2 mod 23" and d["compiled"]["share"] == 1.0
    assert len(d["trained"]["matches"]) == 16
    assert "neurons follow the construction" in str(c)


def test_compare_needs_power_mlps_and_a_polynomial():
    net = pc.compile("n1 + n2 mod 23")
    bare = random_like(net)
    with pytest.raises(pc.PolyclassError, match="needs the polynomial"):
        pc.compare(bare, bare)
    with pytest.raises(pc.PolyclassError, match="needs PowerMLPs"):
        pc.compare(object(), net)


@pytest.mark.slow
def test_a_network_trained_past_grokking_follows_the_construction():
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny steps: many times faster on one thread
    try:
        T = pc.train("n1 + n2 mod 23", width=128, steps=1500, progress=False, early_stop=False)
    finally:
        torch.set_num_threads(before)
    assert T.grokked
    c = pc.compare(T, pc.compile("n1 + n2 mod 23"))
    assert c.trained.weighted_share > 0.5  # measured 0.86 (46 of 85 live neurons)
    assert c.trained.multipliers == (1, 1) and c.trained.offset == 0

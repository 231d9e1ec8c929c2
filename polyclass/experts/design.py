"""Phase designs: which frequency and which phases each hidden neuron gets.

Every expert in polyclass computes a sum in a cyclic group ``Z_n`` (``n = p`` for addition,
``n = p - 1`` for multiplication through discrete logarithms). Input ``s`` sits at a position
``x_s`` in ``Z_n``, and neuron ``k`` sees

    h_k = A * sum_s cos(theta_s),      theta_s = 2 pi sigma_k x_s / n + psi_{s,k}
    logit_q += A * cos(2 pi sigma_k y_q / n + Psi_k) * h_k^S,    Psi_k = sum_s psi_{s,k}

(``y_q`` is the position of output value ``q``; the readout phase is written here with the
sign that makes the wanted term ``x_1 + ... + x_S - y_q`` appear).

Why cross terms appear
----------------------
Write ``cos(theta) = (e^{i theta} + e^{-i theta}) / 2``. Expanding ``(sum_s cos theta_s)^S``
gives ``2^-S`` times a sum over all words of S letters ``(s_j, eps_j)``; each word
contributes ``exp(i sum_s a_s theta_s)`` where ``a_s`` is the signed count of letter ``s``.
The reachable vectors ``a`` are exactly the integer vectors with ``|a|_1 <= S`` and
``|a|_1 = S (mod 2)``, and every one comes with a *positive* coefficient (no cancellation
among them). The wanted vector is ``a = (1, ..., 1)`` (coefficient ``S!/2^S``) together with
its conjugate ``-a``; multiplied by the readout's ``e^{-i (...)}`` half it gives
``cos(2 pi sigma (x_1 + ... + x_S - y_q) / n)``. Every other ``a`` leaves a phase factor
``exp(i sum_s b_s psi_{s,k})`` with ``b = a - (1, ..., 1) != 0`` (and the conjugate half gives
``-b`` of a reachable ``-a``, the same condition).

The paper (``method="paper"``) draws the ``psi`` i.i.d. uniform, so these factors average out
only as the width grows, and the number of them grows exponentially with S.

Exact cancellation on a lattice
-------------------------------
Give each frequency ``m`` neurons ``j = 0 .. m-1`` with phases ``psi_s(j) = 2 pi t_s j / m``.
Summing over ``j``, a term with phase vector ``b`` contributes
``sum_j exp(2 pi i j <b, t> / m)``, which is ``m`` when ``<b, t> = 0 (mod m)`` and exactly
``0`` otherwise (a full sum of ``m``-th roots of unity). So the only condition is

    <a - 1, t> != 0 (mod m)   for every reachable a != (1, ..., 1),

a finite set of ``O((2S+1)^S)`` vectors, which :func:`lattice` checks exhaustively every time
a design is made. ``m = 2 * 3^(S-1)`` with ``t = (1, 3, ..., 3^(S-2), 4 * 3^(S-2))`` passes
(S = 1: ``m = 3``, ``t = (1,)``): 6 neurons per frequency for 2 inputs, 18 for 3, 54 for 4.
An exhaustive search over all ``m`` and ``t`` (``benchmarks/expert_width.py --lattice``)
shows these ``m`` are the smallest lattices that work for S <= 4. If the check ever failed, the
design falls back to the balanced-base lattice ``t_s = B^(s-1)``, ``m = B^S``, ``B = 2S + 3``,
for which ``<b, t>`` is a balanced base-B number with digits ``|b_s| <= S + 1 < B/2`` and
hence non-zero modulo ``B^S`` unless ``b = 0``.

With the lattice, one frequency ``sigma`` contributes exactly
``m A^(S+1) S!/2^S * cos(2 pi sigma (sum_s x_s - y_q)/n)`` to every logit, on *every* input.
The same argument covers inputs that are switched off (a zero input of a multiplication
expert has an all-zero embedding column): the expansion then only has vectors supported on
the remaining inputs, all reachable and all different from ``(1, ..., 1)``, so they cancel too.

Frequencies
-----------
With ``F`` frequencies and ``A^(S+1) = 2^S / (N S!)``, ``N = m F`` (the paper's normalisation,
which is exact here), the logits are ``K(x - y_q)`` with the kernel
``K(d) = (1/F) sum_f cos(2 pi sigma_f d / n)``, so ``K(0) = 1``. One frequency coprime to ``n``
already puts the unique maximum at the right place; the margin ``1 - max_{d != 0} K(d)`` grows
with ``F``. :func:`frequency_order` picks frequencies greedily so that this margin grows as fast
as possible (``sigma = 1`` first).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

METHODS = ("exact", "paper")


@lru_cache(maxsize=16)
def unwanted_combinations(n_inputs: int) -> IntArray:
    """Rows ``b = a - (1, ..., 1)`` for every reachable ``a != (1, ..., 1)``: ``(count, S)``."""
    S = n_inputs
    rows = [
        tuple(x - 1 for x in a)
        for a in itertools.product(range(-S, S + 1), repeat=S)
        if sum(map(abs, a)) <= S and (S - sum(map(abs, a))) % 2 == 0 and a != (1,) * S
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, S)


def lattice_cancels(m: int, t: tuple[int, ...]) -> bool:
    """Whether phases ``2 pi t_s j / m`` cancel every unwanted cross term exactly."""
    b = unwanted_combinations(len(t))
    return bool(np.all((b @ np.array(t, dtype=np.int64)) % m != 0))


@lru_cache(maxsize=16)
def lattice(n_inputs: int) -> tuple[int, tuple[int, ...]]:
    """``(m, t)`` of the phase lattice for ``n_inputs`` summed inputs (checked exhaustively)."""
    S = n_inputs
    if S < 1:
        raise ValueError("a lattice needs at least one input")
    if S == 1:
        m, t = 3, (1,)
    else:
        m = 2 * 3 ** (S - 1)
        t = (*(3**i for i in range(S - 1)), 4 * 3 ** (S - 2))
    if S <= 6 and lattice_cancels(m, t):
        return m, t
    base = 2 * S + 3  # balanced base: provably cancels, see the module docstring
    return base**S, tuple(base**i for i in range(S))


def kernel(n: int, frequencies: tuple[int, ...]) -> FloatArray:
    """``K(d) = mean_f cos(2 pi sigma_f d / n)`` for ``d = 0 .. n-1``: ``(n,)``."""
    d = np.arange(n, dtype=np.float64)
    sig = np.array(frequencies, dtype=np.float64)
    return np.cos(2 * np.pi * np.outer(d, sig) / n).mean(axis=1)


def frequency_order(n: int, count: int | None = None) -> tuple[int, ...]:
    """The first ``count`` (default all) frequencies of ``1 .. n//2``, greedily ordered.

    Each step adds the frequency that maximises ``min_{d != 0} sum_f (1 - cos(2 pi sigma_f d/n))``
    (ties: the smallest), so the kernel built from the first ``F`` is as sharp as greedy allows;
    ``sigma = 1`` comes first and already gives a unique peak.
    """
    order = _greedy_order(n)
    return order if count is None else order[:count]


@lru_cache(maxsize=64)
def _greedy_order(n: int) -> tuple[int, ...]:
    candidates = np.arange(1, n // 2 + 1, dtype=np.int64)
    if len(candidates) == 0:
        return ()
    d = np.arange(1, n, dtype=np.float64)
    gain = 1.0 - np.cos(2 * np.pi * np.outer(candidates, d) / n)  # (candidates, n-1)
    total = np.zeros(n - 1)
    order: list[int] = []
    free = np.ones(len(candidates), dtype=bool)
    for _ in range(len(candidates)):
        scores = np.where(free, (total[None, :] + gain).min(axis=1), -np.inf)
        best = int(np.argmax(scores >= scores.max() - 1e-9))  # ties (up to rounding): smallest
        order.append(int(candidates[best]))
        total += gain[best]
        free[best] = False
    return tuple(order)


def identity_margin(n: int, frequencies: tuple[int, ...]) -> float:
    """``1 - max_{d != 0} K(d)``: the normalised margin of an expert whose outer map is 1-to-1."""
    if n == 1:
        return 1.0
    return float(1.0 - kernel(n, frequencies)[1:].max())


def amplitude(n_inputs: int, n_neurons: int) -> float:
    """``A = (2^S / (N S!))^(1/(S+1))``: with it the wanted term has weight 1/F per frequency."""
    S = n_inputs
    return float((2.0**S / (n_neurons * math.factorial(S))) ** (1.0 / (S + 1)))


@dataclass(frozen=True, eq=False)
class PhaseDesign:
    """Frequencies and phases of the cosine neurons of one expert.

    ``sigma``: ``(N,)`` integer frequency of each neuron in ``Z_n``; ``psi``: ``(S, N)`` phase of
    each active input at each neuron; ``amp``: the amplitude ``A`` of both layers.
    """

    method: str
    n_inputs: int
    group_order: int
    sigma: IntArray
    psi: FloatArray
    amp: float
    frequencies: tuple[int, ...] = ()
    m: int | None = None
    t: tuple[int, ...] | None = None
    seed: int | None = None

    @property
    def width(self) -> int:
        """Number of cosine neurons (without the zero neuron of a multiplication expert)."""
        return int(self.sigma.shape[0])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "n_inputs": self.n_inputs,
            "group_order": self.group_order,
            "width": self.width,
            "amplitude": self.amp,
        }
        if self.method == "exact":
            out.update(frequencies=list(self.frequencies), m=self.m, t=list(self.t or ()))
        else:
            out.update(seed=self.seed)
        return out


def exact_design(n_inputs: int, group_order: int, frequencies: tuple[int, ...]) -> PhaseDesign:
    """Lattice design: ``m`` neurons per frequency, phases ``2 pi t_s j / m``."""
    m, t = lattice(n_inputs)
    F = len(frequencies)
    j = np.tile(np.arange(m, dtype=np.float64), F)
    sigma = np.repeat(np.array(frequencies, dtype=np.int64), m)
    psi = 2 * np.pi * np.outer(np.array(t, dtype=np.float64), j) / m
    return PhaseDesign(
        method="exact",
        n_inputs=n_inputs,
        group_order=group_order,
        sigma=sigma,
        psi=psi,
        amp=amplitude(n_inputs, m * F),
        frequencies=tuple(frequencies),
        m=m,
        t=t,
    )


def paper_design(n_inputs: int, group_order: int, width: int, seed: int) -> PhaseDesign:
    """The paper's design: uniform random frequencies in ``1 .. n-1`` and phases in (-pi, pi]."""
    rng = np.random.default_rng(seed)
    n = group_order
    sigma = rng.integers(1, max(n, 2), size=width, dtype=np.int64)
    psi = np.pi - 2 * np.pi * rng.random((n_inputs, width))
    return PhaseDesign(
        method="paper",
        n_inputs=n_inputs,
        group_order=group_order,
        sigma=sigma,
        psi=psi,
        amp=amplitude(n_inputs, width),
        seed=seed,
    )

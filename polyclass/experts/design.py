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

a finite set of ``O((2S+1)^S)`` vectors, which `lattice` checks exhaustively every time
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
with ``F``. `frequency_order` picks frequencies greedily so that this margin grows as fast
as possible (``sigma = 1`` first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ..field import IntArray

FloatArray = npt.NDArray[np.float64]

METHODS = ("exact", "paper")


@lru_cache(maxsize=8)
def unwanted_combinations(n_inputs: int) -> IntArray:
    """Rows ``b = a - (1, ..., 1)`` for every reachable ``a != (1, ..., 1)``: ``(count, S)``.

    ``(2S+1)^S`` candidate vectors are enumerated (4.8 million for S = 6), so this is only for
    the lattice check of small S; sizes for larger S come from `lattice_size`.
    """
    S = n_inputs
    if not 1 <= S <= MAX_ENUMERATED:
        raise ValueError(f"cross terms are enumerated for 1 to {MAX_ENUMERATED} inputs, not {S}")
    grid = np.indices((2 * S + 1,) * S, dtype=np.int8).reshape(S, -1).T - np.int8(S)
    l1 = np.abs(grid).sum(axis=1, dtype=np.int64)
    keep = (l1 <= S) & ((S - l1) % 2 == 0) & ~(grid == 1).all(axis=1)
    return grid[keep].astype(np.int64) - 1


def lattice_cancels(m: int, t: tuple[int, ...]) -> bool:
    """Whether phases ``2 pi t_s j / m`` cancel every unwanted cross term exactly."""
    b = unwanted_combinations(len(t))
    return bool(np.all((b @ np.array(t, dtype=np.int64)) % m != 0))


#: Largest number of inputs whose cross terms :func:`unwanted_combinations` enumerates.
MAX_ENUMERATED = 6


def lattice_size(n_inputs: int) -> int:
    """Neurons per frequency ``m`` of `lattice` by formula, without building anything.

    ``3`` for one input, ``2 * 3^(S-1)`` for 2 to 6 inputs (checked exhaustively by
    `lattice`), the balanced base ``(2S + 3)^S`` beyond: a flat adder over many terms is
    astronomically wide, which is why mixtures add their terms with a tree of two-input adders.
    """
    S = n_inputs
    if S < 1:
        raise ValueError("a lattice needs at least one input")
    if S == 1:
        return 3
    if S <= MAX_ENUMERATED:
        return 2 * 3 ** (S - 1)
    return (2 * S + 3) ** S


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
    if S <= MAX_ENUMERATED and lattice_cancels(m, t):
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
    ``sigma = 1`` comes first and already gives a unique peak. Only the first ``count`` are
    computed (see `FrequencyOrder`; groups above ``GREEDY_MAX`` use a fixed
    pseudo-random order after ``sigma = 1``).
    """
    order = lazy_order(n)
    return order[: len(order) if count is None else count]


#: Largest group order whose frequencies are ordered by the exact greedy rule; its table of
#: gains holds ``(n/2) * (n-1)`` floats (16 MiB here). Larger groups use a fixed pseudo-random
#: order after ``sigma = 1``, which costs ``O(n)`` memory and time per frequency.
GREEDY_MAX = 2048


class FrequencyOrder(Sequence[int]):
    """Lazy frequency order of ``Z_n`` (shared per ``n``): entries are computed when first read.

    ``len`` is ``n // 2`` (every frequency once); ``order[i]`` and ``order[:F]`` extend the
    order as far as needed, so asking for the first few frequencies of a huge group is cheap.
    With ``zero_first`` frequency 0 (a constant neuron group) comes first.
    """

    def __init__(self, n: int, zero_first: bool = False) -> None:
        self.n = n
        self.zero_first = zero_first
        self.base = lazy_order(n) if zero_first else None
        self.order: list[int] = []
        self.gain: FloatArray | None = None
        self.total: FloatArray | None = None
        self.free: npt.NDArray[np.bool_] | None = None
        self.seen: set[int] = set()
        self.rng = np.random.default_rng(n)

    def __len__(self) -> int:
        return self.n // 2 + int(self.zero_first)

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[int, ...]: ...

    def __getitem__(self, i: int | slice) -> int | tuple[int, ...]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if stop > start:
                self._extend(stop)
            return tuple(self._get(k) for k in range(start, stop, step))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"frequency {i} of {len(self)}")
        self._extend(i + 1)
        return self._get(i)

    def _get(self, k: int) -> int:
        if self.base is not None:
            return 0 if k == 0 else self.base[k - 1]
        return self.order[k]

    def _extend(self, count: int) -> None:
        if self.base is not None:
            self.base._extend(count - 1)
            return
        n = self.n
        while len(self.order) < min(count, n // 2):
            if n <= GREEDY_MAX:
                self.order.append(self._greedy_step())
            else:
                self.order.append(self._random_step())

    def _random_step(self) -> int:
        """Next of the fixed pseudo-random order (``sigma = 1`` first), O(1) memory per entry."""
        half = self.n // 2
        if not self.order:
            self.seen.add(1)
            return 1
        if 2 * len(self.order) > half:  # most are placed: draw from what is left
            rest = np.setdiff1d(np.arange(1, half + 1), np.array(self.order))
            return int(rest[self.rng.integers(len(rest))])
        while True:
            sigma = int(self.rng.integers(2, half + 1))
            if sigma not in self.seen:
                self.seen.add(sigma)
                return sigma

    def _greedy_step(self) -> int:
        n = self.n
        if self.gain is None:
            candidates = np.arange(1, n // 2 + 1, dtype=np.float64)
            d = np.arange(1, n, dtype=np.float64)
            self.gain = 1.0 - np.cos(2 * np.pi * np.outer(candidates, d) / n)  # (n//2, n-1)
            self.total = np.zeros(n - 1)
            self.free = np.ones(n // 2, dtype=bool)
        assert self.total is not None and self.free is not None
        scores = np.where(self.free, (self.total[None, :] + self.gain).min(axis=1), -np.inf)
        best = int(np.argmax(scores >= scores.max() - 1e-9))  # ties (up to rounding): smallest
        self.total += self.gain[best]
        self.free[best] = False
        if not self.free.any():
            self.gain = None  # every frequency is placed: drop the table
        return best + 1


@lru_cache(maxsize=64)
def lazy_order(n: int, zero_first: bool = False) -> FrequencyOrder:
    """The shared `FrequencyOrder` of ``Z_n`` (computed entries are kept)."""
    return FrequencyOrder(n, zero_first)


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

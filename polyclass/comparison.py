"""Trained against compiled: does a trained PowerMLP learn the constructed solution?

The construction (``polyclass.experts.design``) gives every neuron one frequency ``sigma``
in the decomposition's basis (Fourier for addition, discrete log for multiplication,
g-reindexed for ``h(g_1 + g_2)``). Input row ``s`` is ``cos(2 pi c_s sigma x / L + psi_s)``
with a multiplier ``c_s`` shared by all neurons (the coefficient or exponent of ``n_s``;
1 in a g-reindexed basis), and the readout is ``cos(2 pi sigma y / L + Psi)`` with

    Psi = psi_1 + ... + psi_S + 2 pi sigma d / L   (mod 2 pi)

for one offset ``d`` shared by all neurons (the constant term's position). For addition
``d = 0``: the readout phase is the sum of the input phases. The phase error of a neuron
is the angle between its readout column and the one this relation predicts (for a pure
cosine, the phase difference); when ``h`` is not injective the readout keeps only part of
the phase (for an even ``h``, its sign), and the check is correspondingly weaker.

`neuron_relations` measures this per neuron (dominant frequency and phase of every
row, as in `polyclass.analysis.spectra`), fits the shared ``c_s`` and ``d`` (the
values most neurons agree on) and says which neurons satisfy both relations;
`compare` does it for a trained and a compiled network side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from .analysis import _transformed, basis_for
from .errors import PolyclassError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class NeuronRelations:
    """Per-neuron frequencies, phases and whether the construction's relations hold.

    Arrays over neurons have shape ``(N,)``; per-row arrays ``(S + 1, N)`` (inputs, then
    the readout). ``sigma``: the readout's dominant frequency in ``1..L//2``;
    ``phase_error``: the angle in radians between the readout column and the construction's
    prediction (NaN where the frequencies disagree).
    """

    basis: str
    period: int
    frequency: IntArray
    phase: FloatArray
    power_fraction: FloatArray
    active: BoolArray
    multipliers: tuple[int, ...]
    offset: int
    frequencies_agree: BoolArray
    phase_error: FloatArray
    matches: BoolArray
    weight: FloatArray

    @property
    def sigma(self) -> IntArray:
        return self.frequency[-1]

    @property
    def n_active(self) -> int:
        return int(self.active.sum())

    @property
    def share(self) -> float:
        """Share of active neurons that satisfy both relations."""
        return float(self.matches.sum() / max(self.n_active, 1))

    @property
    def weighted_share(self) -> float:
        """The same share with each neuron weighted by its squared weight norm."""
        total = float(self.weight[self.active].sum())
        return float(self.weight[self.matches].sum() / total) if total > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "period": self.period,
            "multipliers": list(self.multipliers),
            "offset": self.offset,
            "n_neurons": int(self.active.size),
            "n_active": self.n_active,
            "n_matching": int(self.matches.sum()),
            "share": self.share,
            "weighted_share": self.weighted_share,
            "frequency": self.frequency.tolist(),
            "phase": self.phase.tolist(),
            "power_fraction": self.power_fraction.tolist(),
            "phase_error": [None if math.isnan(e) else e for e in self.phase_error.tolist()],
            "matches": self.matches.tolist(),
        }


@dataclass(frozen=True, eq=False)
class Comparison:
    """`compare`'s result: the relations in each network and what they share."""

    polynomial: str
    trained: NeuronRelations
    compiled: NeuronRelations
    tol: float

    @property
    def share(self) -> float:
        """Share of the trained network's active neurons that follow the construction."""
        return self.trained.share

    def frequencies(self, which: str = "trained") -> dict[int, int]:
        """``{sigma: number of matching neurons}`` of one network."""
        rel = self.trained if which == "trained" else self.compiled
        values, counts = np.unique(rel.sigma[rel.matches], return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "polynomial": self.polynomial,
            "tol": self.tol,
            "share": self.share,
            "trained_frequencies": self.frequencies("trained"),
            "compiled_frequencies": self.frequencies("compiled"),
            "trained": self.trained.to_dict(),
            "compiled": self.compiled.to_dict(),
        }

    def __str__(self) -> str:
        t, c = self.trained, self.compiled
        return (
            f"{self.polynomial}: {t.matches.sum()}/{t.n_active} trained neurons follow the "
            f"construction ({t.share:.0%}; {t.weighted_share:.0%} by weight), compiled "
            f"{c.matches.sum()}/{c.n_active}; trained frequencies {self.frequencies('trained')}"
        )


def _power_mlp(obj: Any) -> Any:
    net = getattr(obj, "model", obj)  # a TrainResult or a saved Run carries .model
    if not (hasattr(net, "embed") and hasattr(net, "readout")) or net.embed.dim() != 3:
        raise PolyclassError(
            f"compare() needs PowerMLPs (a trained network or a single-expert compiled one), "
            f"not {type(net).__name__}"
        )
    return net


def _rows(net: Any, poly: object) -> tuple[Any, list[torch.Tensor]]:
    """The basis and every row's one-sided spectrum ``(N, L//2 + 1)`` (inputs, readout)."""
    embed = net.embed.detach().cpu().double()
    readout = net.readout.detach().cpu().double()
    S = embed.shape[0]
    basis = basis_for(poly, p=embed.shape[1], n_inputs=S)
    rows = [_transformed(embed[s].T, basis.inputs[s]) for s in range(S)]
    rows.append(_transformed(readout.T, basis.output))
    return basis, rows


def _fold(k: IntArray, L: int) -> tuple[IntArray, IntArray]:
    """Frequency ``k mod L`` folded into ``0..L//2`` and the sign (``-1``: conjugated)."""
    k = np.mod(k, L)
    flip = k > L // 2
    return np.where(flip, L - k, k), np.where(flip, -1, 1)


def _readout_similarity(
    net: Any, pullback: FloatArray, sigma: IntArray, total: FloatArray, rows: BoolArray, L: int
) -> FloatArray:
    """Cosine similarity ``(L, N)`` of each readout column with the predicted one, per offset.

    The prediction for neuron k and offset d, at position u of the output basis, is
    ``cos(2 pi sigma_k (u + d) / L + total_k)``; the readout sees it summed over the
    positions with the same output value (the pullback's columns), which is what a
    non-injective outer function ``h`` keeps of it (for an even h only the sign of the phase).
    Both are centred; neurons outside ``rows`` get 0.
    """
    out = np.zeros((L, sigma.size))
    if not rows.any():
        return out
    M = np.asarray(pullback, dtype=np.float64)  # (L, p): M[u, q] = 1 when value q sits at u
    W = net.readout.detach().cpu().double().numpy()[:, rows].T  # (n, p)
    actual = W @ M.T
    actual -= actual.mean(-1, keepdims=True)
    injective = bool(np.all(M.sum(0) <= 1))
    u = np.arange(L)
    for d in range(L):
        pred = np.cos(2 * np.pi * np.outer(sigma[rows], u + d) / L + total[rows][:, None])
        if not injective:
            pred = (pred @ M) @ M.T
        pred -= pred.mean(-1, keepdims=True)
        norm = np.linalg.norm(actual, axis=-1) * np.linalg.norm(pred, axis=-1)
        out[d, rows] = np.einsum("nl,nl->n", actual, pred) / np.where(norm > 0, norm, np.inf)
    return out


def neuron_relations(
    net: Any, poly: object, *, tol: float = math.pi / 8, min_power: float = 0.5
) -> NeuronRelations:
    """Which neurons of a PowerMLP follow the construction (see the module docstring).

    A neuron is active when its rows carry energy in the basis; it matches when every row's
    dominant frequency holds at least ``min_power`` of the row's (non-constant) power, the
    input frequencies are ``c_s sigma`` (folded), and the phase relation holds within
    ``tol`` radians.
    """
    net = _power_mlp(net)
    basis, rows = _rows(net, poly)
    S = len(rows) - 1
    L = int(basis.output.matrix.shape[0])
    power = [r[:, 1:].abs().square().numpy() for r in rows]  # drop the constant term
    freq = np.stack([pw.argmax(-1) + 1 for pw in power])  # (S+1, N)
    energy = np.stack([pw.sum(-1) for pw in power])
    peak = np.stack([pw.max(-1) for pw in power])
    frac = np.divide(peak, energy, out=np.zeros_like(peak), where=energy > 0)
    phase = np.stack(
        [
            np.angle(r[:, 1:].numpy()[np.arange(len(f)), f - 1])
            for r, f in zip(rows, freq, strict=True)
        ]
    )
    weight = energy.sum(0)
    active = np.all(energy > 1e-12 * max(float(energy.max()), 1e-300), axis=0)
    sigma = freq[-1]
    periodic = active & np.all(frac >= min_power, axis=0)

    # the multiplier c_s most periodic neurons agree on, and the sign of each row
    multipliers, signs, agree = [], [], periodic.copy()
    for s in range(S):
        best = max(
            range(1, L),
            key=lambda c: int(np.sum(_fold(c * sigma, L)[0][periodic] == freq[s][periodic])),
        )
        folded, sign = _fold(best * sigma, L)
        multipliers.append(best)
        signs.append(sign)
        agree &= folded == freq[s]
    total = sum(sign * phase[s] for s, sign in enumerate(signs))
    similarity = _readout_similarity(net, basis.output.matrix, sigma, total, agree, L)
    # the offset d most agreeing neurons share; error = angle between readout and prediction
    errors = np.arccos(np.clip(similarity, -1.0, 1.0))  # (L, N)
    within = errors[:, agree] <= tol
    # most neurons within tol; among equals, the smallest total error (neighbouring offsets
    # are only 2 pi sigma / L apart)
    counts, spread = within.sum(-1), np.where(within, errors[:, agree], 0.0).sum(-1)
    offset = int(np.lexsort((spread, -counts))[0]) if agree.any() else 0
    error = np.where(agree, errors[offset], np.nan)
    matches = agree & (np.nan_to_num(error, nan=np.inf) <= tol)
    return NeuronRelations(
        basis=basis.kind,
        period=L,
        frequency=freq.astype(np.int64),
        phase=phase,
        power_fraction=frac,
        active=active,
        multipliers=tuple(multipliers),
        offset=offset,
        frequencies_agree=agree,
        phase_error=error,
        matches=matches,
        weight=weight,
    )


def compare(
    trained: Any,
    compiled: Any,
    poly: object = None,
    *,
    tol: float = math.pi / 8,
    min_power: float = 0.5,
) -> Comparison:
    """Per neuron: does ``trained`` follow the construction that ``compiled`` implements?

    ``trained``: a PowerMLP or a TrainResult; ``compiled``: the compiled PowerMLP
    (``pc.compile(poly)``); ``poly``: the polynomial (default: the one the compiled
    network's ``info`` records). The shared multipliers and offset are fitted on each
    network separately.

    Examples:
        >>> net = compile("n1 + n2 mod 23")  # doctest: +SKIP
        >>> compare(net, net).share  # doctest: +SKIP
        1.0
    """
    if poly is None:
        for obj in (compiled, trained):
            info = getattr(_power_mlp(obj), "info", None)
            poly = None if info is None else info.polynomial
            if poly:
                break
    if poly is None:
        raise PolyclassError(
            "compare() needs the polynomial: compare(trained, compiled, 'n1*n2 mod 97')"
        )
    a = neuron_relations(trained, poly, tol=tol, min_power=min_power)
    b = neuron_relations(compiled, poly, tol=tol, min_power=min_power)
    return Comparison(str(poly), a, b, tol)

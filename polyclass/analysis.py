"""Periodicity of network weights: IPR and per-neuron spectra in the right basis.

PAPER.md, Eq. 3-4: for a vector ``u`` with discrete Fourier transform ``F(u)``,
``IPR(u) = (||F(u)||_4 / ||F(u)||_2)^4``; per neuron average over the input rows
``U^(s)_{k,.}`` and the readout column ``W_{.,k}``. The one-sided (real) transform is used,
so a neuron ``cos(2 pi sigma i / L + psi)`` has IPR 1.

The basis follows the `Structure` of the polynomial:

* affine ``h_of_sum`` (and ``composite``, or a bare table): Fourier over residues in natural
  order;
* ``multiplicative``: discrete-log order without 0 (``u[g^j]``, period ``p - 1``); a factor
  ``g_s`` that is not a monomial reindexes its input by ``log g_s`` (fibre means), and the
  output is pulled back through ``h``;
* other ``h_of_sum``: input ``s`` reindexed by ``g_s`` (``v[m]`` = mean of ``u`` over
  ``g_s^{-1}(m)``; residues outside the image of ``g_s`` are completed by the best
  single-frequency fit on the image, so an ideal neuron keeps IPR 1), output pulled back
  through ``h`` (``w'[u] = W[h(u)]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from .field import exp_table, log_table
from .structure import Structure

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Reindex:
    """Linear map ``v = matrix @ u`` from a vector over residues to a periodic vector.

    ``matrix: (L, in_len)``; rows that are all zero are missing positions (completed by a
    single-frequency fit before the transform).
    """

    matrix: FloatArray
    name: str

    @property
    def missing(self) -> npt.NDArray[np.bool_]:
        return np.asarray(~self.matrix.any(axis=1), dtype=bool)


@dataclass(frozen=True, eq=False)
class Basis:
    """One `Reindex` per input and one for the output; ``kind`` says which."""

    p: int
    kind: str
    inputs: tuple[Reindex, ...]
    output: Reindex


def _identity(p: int) -> Reindex:
    return Reindex(np.eye(p), "natural")


def _pullback(values: npt.NDArray[np.int64], p: int, name: str) -> Reindex:
    """``v[j] = u[values[j]]``."""
    m = np.zeros((len(values), p))
    m[np.arange(len(values)), values] = 1.0
    return Reindex(m, name)


def _fibre_mean(values: npt.NDArray[np.int64], p: int, name: str) -> Reindex:
    """``v[m]`` = mean of ``u[i]`` over ``values[i] = m`` (zero row where no ``i`` maps)."""
    m = np.zeros((p, p))
    m[values, np.arange(p)] = 1.0
    counts = m.sum(axis=1, keepdims=True)
    return Reindex(np.divide(m, counts, out=np.zeros_like(m), where=counts > 0), name)


def basis_for(obj: object, p: int | None = None, n_inputs: int | None = None) -> Basis:
    """The IPR basis for a polynomial: text, ModPoly, Decomposition, Structure or Verdict.

    ``obj=None`` (a bare table) gives the natural Fourier basis for ``p`` and ``n_inputs``.
    The basis follows the `Structure` (none for ``composite``).
    """
    if obj is None:
        if p is None or n_inputs is None:
            raise ValueError("basis_for(None) needs p and n_inputs")
        return Basis(p, "fourier", tuple(_identity(p) for _ in range(n_inputs)), _identity(p))
    if isinstance(obj, Basis):
        return obj
    St, p, S = _structure_of(obj, p)
    if St is None:
        return basis_for(None, p, S)
    n = np.arange(p)
    if St.kind == "product":
        logs = _pullback(exp_table(p), p, "discrete log")
        inputs = tuple(
            logs if _is_monomial(St.inner_poly[s]) else _log_fibre_mean(g, p, f"log g_{s + 1}")
            for s, g in enumerate(St.inner)
        )
        out = _pullback(St.outer[exp_table(p)], p, "discrete log of h^-1")
        return Basis(p, "discrete_log", inputs, out)
    linear = all(np.array_equal(g, g[1] * n % p) for g in St.inner)
    if linear and np.array_equal(St.outer, (n + St.outer[0]) % p):
        return basis_for(None, p, S)  # affine: natural order is already periodic
    inputs = tuple(_fibre_mean(g, p, f"g_{s + 1}") for s, g in enumerate(St.inner))
    return Basis(p, "g_reindexed", inputs, _pullback(St.outer, p, "h^-1"))


def _structure_of(obj: object, p: int | None) -> tuple[Any, int, int]:
    """``(structure or None, p, S)`` of a Structure, Verdict, Decomposition or polynomial."""
    from .decomposition import Decomposition, decompose  # SymPy: only for polynomials
    from .learnability import Verdict

    if isinstance(obj, Structure):
        return obj, obj.p, obj.S
    if isinstance(obj, Verdict):
        return obj.structure, obj.p, len(obj.variables)
    D = obj if isinstance(obj, Decomposition) else decompose(obj, p=p)  # type: ignore[arg-type]
    return D.structure, D.p, len(D.variables)


def _is_monomial(poly: dict[int, int] | None) -> bool:
    return poly is not None and len(poly) == 1 and 0 not in poly


def _log_fibre_mean(values: npt.NDArray[np.int64], p: int, name: str) -> Reindex:
    """``v[j]`` = mean of ``u[i]`` over ``log values[i] = j`` (inputs with value 0 left out)."""
    m = np.zeros((p - 1, p))
    keep = np.flatnonzero(values != 0)
    m[log_table(p)[values[keep]], keep] = 1.0
    counts = m.sum(axis=1, keepdims=True)
    return Reindex(np.divide(m, counts, out=np.zeros_like(m), where=counts > 0), name)


def _complete(v: torch.Tensor, missing: npt.NDArray[np.bool_]) -> torch.Tensor:
    """Fill ``v[..., missing]`` (``v: (n, L)``) with the best single-frequency fit.

    The frequency maximises the non-uniform transform on the known positions; offset,
    amplitude and phase come from least squares there.
    """
    L = v.shape[-1]
    known = np.flatnonzero(~missing)
    pos = torch.as_tensor(known, dtype=v.dtype, device=v.device)
    freqs = torch.arange(1, L // 2 + 1, dtype=v.dtype, device=v.device)
    angle = 2 * math.pi / L * freqs[:, None] * pos[None, :]  # (F, J)
    vk = v[:, known]  # (n, J)
    power = (vk @ torch.cos(angle).T) ** 2 + (vk @ torch.sin(angle).T) ** 2
    best = freqs[power.argmax(-1)]  # (n,)
    full = torch.arange(L, dtype=v.dtype, device=v.device)
    ang = 2 * math.pi / L * best[:, None] * full[None, :]  # (n, L)
    design = torch.stack([torch.ones_like(ang), torch.cos(ang), torch.sin(ang)], -1)
    coef = torch.linalg.lstsq(design[:, known], vk.unsqueeze(-1)).solution  # (n, 3, 1)
    fit = (design @ coef).squeeze(-1)
    out = v.clone()
    out[:, missing] = fit[:, missing]
    return out


def _transformed(u: torch.Tensor, r: Reindex) -> torch.Tensor:
    """One-sided spectrum of ``u: (..., in_len)`` reindexed by ``r``: ``(..., L//2 + 1)``."""
    m = torch.as_tensor(r.matrix, dtype=u.dtype, device=u.device)
    v = u @ m.T
    missing = r.missing
    if missing.any():
        shape = v.shape
        v = _complete(v.reshape(-1, shape[-1]), missing).reshape(shape)
    return torch.fft.rfft(v, dim=-1)


def _ipr_of(f: torch.Tensor) -> torch.Tensor:
    # scaled by the largest component first: the IPR is scale-free, and a neuron that
    # weight decay has shrunk to ~1e-20 would otherwise underflow (float32) to IPR 0
    a = f.abs()
    a2 = (a / a.amax(-1, keepdim=True).clamp_min(torch.finfo(a.dtype).tiny)).square()
    num = a2.square().sum(-1)
    den = a2.sum(-1).square()
    nan = torch.full_like(num, float("nan"))
    return torch.where(den > 0, num / den.clamp_min(torch.finfo(den.dtype).tiny), nan)


def ipr_weights(embed: torch.Tensor, readout: torch.Tensor, basis: Basis) -> torch.Tensor:
    """Per-neuron IPR from raw weights.

    ``embed: (..., S, in_dim, N)``, ``readout: (..., out_dim, N)`` -> ``(..., N)``: the mean
    of the IPRs of the S input rows and the readout column of each neuron. A row that is
    zero in the basis (e.g. the compiled multiplication network's neuron for input 0, which
    sees only the residue 0 that the discrete-log basis drops) has no IPR and is left out;
    a neuron with no such row at all gets NaN.
    """
    S = embed.shape[-3]
    parts = [_ipr_of(_transformed(readout.transpose(-1, -2), basis.output))]
    for s in range(S):
        parts.append(_ipr_of(_transformed(embed[..., s, :, :].transpose(-1, -2), basis.inputs[s])))
    return torch.nanmean(torch.stack(parts), dim=0)


def _weights(model: Any) -> tuple[torch.Tensor, torch.Tensor]:
    if not hasattr(model, "embed") or not hasattr(model, "readout"):
        raise TypeError(f"expected a PowerMLP (with .embed and .readout), got {type(model)}")
    return model.embed.detach(), model.readout.detach()


def ipr(model: Any, poly: object = None, *, p: int | None = None) -> FloatArray:
    """Per-neuron IPR of a PowerMLP in the basis ``poly``'s decomposition dictates.

    ``poly``: text, ModPoly, Decomposition or `Basis`; ``None`` for the natural
    Fourier basis. Returns ``(N,)`` (or ``(K, N)`` for a batched model), values in (0, 1]
    (NaN for a neuron whose weights vanish in that basis; use ``np.nanmean``).
    """
    embed, readout = _weights(model)
    basis = basis_for(poly, p=p if poly is not None else embed.shape[-2], n_inputs=embed.shape[-3])
    return ipr_weights(embed, readout, basis).cpu().double().numpy()


@dataclass(frozen=True, eq=False)
class Spectra:
    """Per-neuron dominant frequency, its phase and its share of the (non-DC) power.

    Arrays have shape ``(S + 1, N)``: rows ``0..S-1`` are the inputs, the last row the
    readout. Frequencies are in ``1..L//2`` of the reindexed period ``L``.
    """

    frequency: npt.NDArray[np.int64]
    phase: FloatArray
    power_fraction: FloatArray
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "frequency": self.frequency.tolist(),
            "phase": self.phase.tolist(),
            "power_fraction": self.power_fraction.tolist(),
        }


def spectra(model: Any, poly: object = None, *, p: int | None = None) -> Spectra:
    """Dominant frequency and phase of every neuron's input rows and readout column.

    Compare trained with compiled weights: an ideal addition neuron has the same frequency
    (times the coefficient ``c_s``) in every row.
    """
    embed, readout = _weights(model)
    if embed.dim() != 3:
        raise TypeError("spectra() takes one PowerMLP; index a batched model first")
    S = embed.shape[0]
    basis = basis_for(poly, p=p if poly is not None else embed.shape[1], n_inputs=S)
    rows = [(embed[s].T, basis.inputs[s]) for s in range(S)] + [(readout.T, basis.output)]
    freq, phase, frac = [], [], []
    for u, r in rows:
        f = _transformed(u.double(), r)[:, 1:]  # drop DC: (N, L//2)
        a2 = f.abs().square()
        k = a2.argmax(-1)
        freq.append((k + 1).cpu().numpy())
        phase.append(torch.angle(f.gather(-1, k[:, None])).squeeze(-1).cpu().numpy())
        frac.append((a2.max(-1).values / a2.sum(-1).clamp_min(1e-300)).cpu().numpy())
    return Spectra(np.stack(freq), np.stack(phase), np.stack(frac), basis.kind)

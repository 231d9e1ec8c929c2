"""Shared expert machinery: one spec type, one weight builder, one readout, one margin model.

Every expert computes ``f = h(g_1(n_1) o ... o g_S(n_S))`` where ``o`` is addition in ``Z_p``
(``kind="sum"``: the ``h_of_sum`` form) or multiplication (``kind="product"``: the
``multiplicative`` form and the monomial experts of a mixture). The group ``Z_n`` it adds in
is ``Z_p`` for sums and ``Z_{p-1}`` for products (through the discrete logarithm ``log_g``; a
zero factor has no logarithm and is routed to one extra "zero neuron").

* Embeddings: input ``s`` with value ``n`` sits at position ``x_s(n) = g_s(n)`` (sum) or
  ``log g_s(n)`` (product); column ``n`` of ``U^(s)`` is ``A cos(2 pi sigma_k x_s(n)/n + psi_sk)``.
  A zero factor gets an all-zero column and a 1 on the zero neuron.
* Readout (shared by all experts): the group element ``v`` has position ``y_v`` (``v`` or
  ``log v``) and the row for output ``q`` *sums over the preimages* of ``q`` under ``h``,
  ``W[q, k] = A sum_{v : h(v) = q} cos(2 pi sigma_k y_v / n + Psi_k)``, so ``h`` need not be
  invertible. The zero neuron writes 1 into row ``h(0)``.

With the exact lattice design (see `polyclass.experts.design`) the logits are exactly
``L_q = sum_{v : h(v) = q} K(u - y_v)`` for the group total ``u``, with the kernel ``K`` of the
chosen frequencies; with a zero factor they are exactly ``z^S e_{h(0)}`` (``z`` = number of zero
factors). `predicted_margin` evaluates this formula, so frequencies can be chosen for a
required margin before any network is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import torch

from ..errors import CompileError
from ..field import exp_table, log_table
from ..nn import PowerMLP
from .design import FloatArray, FrequencyOrder, IntArray, PhaseDesign, kernel, lazy_order

KINDS = ("sum", "product")

#: A predicted margin separates the outputs only above this. Margins are differences of sums of
#: at most ``p`` cosines in float64, so an exact tie between two logits can come out as about
#: ``+-1e-16`` (a tie that rounding then breaks either way on the network).
MARGIN_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class ExpertSpec:
    """What one expert computes: ``outer(inner_1(n_1) o ... o inner_S(n_S))`` over ``Z_p``.

    ``inner``: one int64 ``(p,)`` value array per input; ``outer``: int64 ``(p,)``. Constant inner
    maps are folded into ``outer`` by `make_spec`; ``active`` lists the inputs that remain.
    """

    kind: str
    p: int
    inner: tuple[IntArray, ...]
    outer: IntArray
    active: tuple[int, ...]
    label: str = ""
    constant: int | None = field(default=None)  # set when the expert ignores its inputs

    @property
    def n_inputs(self) -> int:
        return len(self.inner)

    @property
    def group_order(self) -> int:
        return self.p if self.kind == "sum" else self.p - 1

    @property
    def has_zero_neuron(self) -> bool:
        return self.kind == "product" and any(bool((self.inner[s] == 0).any()) for s in self.active)

    def input_positions(self, s: int) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Position of every residue of input ``s`` in ``Z_n``, and the mask of zero factors."""
        g = self.inner[s]
        if self.kind == "sum":
            return g.copy(), np.zeros(self.p, dtype=bool)
        zero = g == 0
        return np.where(zero, 0, log_table(self.p)[g]), zero

    def value_positions(self) -> tuple[IntArray, IntArray]:
        """``(values v, positions y_v)`` of the group elements the readout sums over."""
        if self.kind == "sum":
            v = np.arange(self.p, dtype=np.int64)
            return v, v.copy()
        v = np.arange(1, self.p, dtype=np.int64)
        return v, log_table(self.p)[v]

    def table(self) -> IntArray:
        """Exact output table ``(p,)*S`` (NumPy, used for margins and self-checks)."""
        p, S = self.p, self.n_inputs
        acc = (
            np.zeros((1,) * S, dtype=np.int64)
            if self.kind == "sum"
            else np.ones((1,) * S, np.int64)
        )
        for s in range(S):
            shape = [1] * S
            shape[s] = p
            g = self.inner[s].reshape(shape)
            acc = (acc + g) % p if self.kind == "sum" else acc * g % p
        return np.ascontiguousarray(np.broadcast_to(self.outer[acc], (p,) * S))


def make_spec(
    kind: str,
    p: int,
    inner: list[IntArray] | tuple[IntArray, ...],
    outer: IntArray,
    label: str = "",
) -> ExpertSpec:
    """Normalise a spec: fold constant inner maps into ``outer`` and record the active inputs."""
    if kind not in KINDS:
        raise CompileError(f"kind must be one of {KINDS}, not {kind!r}")
    inner_t = tuple(np.asarray(g, dtype=np.int64) % p for g in inner)
    out = np.asarray(outer, dtype=np.int64) % p
    if any(g.shape != (p,) for g in inner_t) or out.shape != (p,):
        raise CompileError(f"inner and outer maps must be value arrays of shape ({p},)")
    v = np.arange(p, dtype=np.int64)
    active = []
    for s, g in enumerate(inner_t):
        if (g == g[0]).all():
            c = int(g[0])
            out = out[(v + c) % p] if kind == "sum" else out[(v * c) % p]
        else:
            active.append(s)
    constant = None
    if (out == out[0]).all():
        active = []  # the outer map is constant: no input matters
    if not active:
        constant = int(out[0] if kind == "sum" else out[1])
    if kind == "product" and any(int(g[0]) == 0 and (g == 0).all() for g in inner_t):
        constant = int(out[0])  # a factor that is always 0 (folded above: out is constant)
        active = []
    return ExpertSpec(kind, p, inner_t, out, tuple(active), label, constant)


def build_expert(
    spec: ExpertSpec,
    design: PhaseDesign | None,
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype = torch.float32,
) -> PowerMLP:
    """The PowerMLP of ``spec`` with the phases of ``design`` (weights computed in float64)."""
    p, S = spec.p, spec.n_inputs
    if spec.constant is not None:
        net = PowerMLP(S, p, 1, p, power=1, device=device, dtype=dtype)
        with torch.no_grad():
            net.embed[0, :, 0] = 1.0
            net.readout[spec.constant, 0] = 1.0
        return net
    assert design is not None and design.n_inputs == len(spec.active)
    n = spec.group_order
    N = design.width
    zero = spec.has_zero_neuron
    width = N + int(zero)
    embed = np.zeros((S, p, width))
    sig = design.sigma.astype(np.float64)
    for i, s in enumerate(spec.active):
        pos, mask = spec.input_positions(s)
        cols = design.amp * np.cos(2 * np.pi * np.outer(pos, sig) / n + design.psi[i][None, :])
        cols[mask] = 0.0
        embed[s, :, :N] = cols
        if zero:
            embed[s, mask, N] = 1.0
    readout = np.zeros((p, width))
    readout[:, :N] = shared_readout(spec, design)
    if zero:
        readout[int(spec.outer[0]), N] = 1.0
    net = PowerMLP(S, p, width, p, power=len(spec.active), device=device, dtype=dtype)
    with torch.no_grad():
        net.embed.copy_(torch.from_numpy(embed))
        net.readout.copy_(torch.from_numpy(readout))
    return net


def shared_readout(spec: ExpertSpec, design: PhaseDesign) -> FloatArray:
    """``W[q, k] = A sum_{v: h(v)=q} cos(2 pi sigma_k y_v / n + Psi_k)``: ``(p, N)``."""
    values, y = spec.value_positions()
    total_phase = design.psi.sum(axis=0)
    rows = design.amp * np.cos(
        2 * np.pi * np.outer(y, design.sigma.astype(np.float64)) / spec.group_order
        + total_phase[None, :]
    )
    W = np.zeros((spec.p, design.width))
    np.add.at(W, spec.outer[values], rows)
    return W


def _is_injective_on_group(spec: ExpertSpec) -> bool:
    values, _ = spec.value_positions()
    return bool(np.bincount(spec.outer[values], minlength=spec.p).max() <= 1)


def margin_curve(
    spec: ExpertSpec,
    max_count: int,
    stop_at: float | None = None,
    order: Sequence[int] | None = None,
) -> FloatArray:
    """Predicted exact margin with the first ``F = 1 .. max_count`` frequencies: ``(max_count,)``.

    The margin of an input is the right logit minus the best wrong one (normalised logits:
    ``K(0) = 1``); the curve holds the minimum over all group totals ``u`` (and 1 for the zero
    case of a product, whose logits are exactly ``z^S e_{h(0)}``). With ``stop_at`` the curve
    ends at the first ``F`` whose margin reaches it. Memory: ``O(n)`` for a one-to-one outer
    map, ``O(p * F)`` plus a few MiB of chunks over ``u`` otherwise (never ``n * p``).
    """
    n = spec.group_order
    order = lazy_order(n) if order is None else order
    F_max = min(max_count, len(order))
    cap = 1.0 if spec.has_zero_neuron else np.inf
    if not _is_injective_on_group(spec):
        return _many_to_one_curve(spec, order, F_max, stop_at, cap)
    out = np.empty(F_max)
    d = np.arange(n, dtype=np.float64)
    acc = np.zeros(n)
    for i in range(F_max):
        acc += np.cos(2 * np.pi * order[i] * d / n)
        out[i] = min(cap, 1.0 - acc[1:].max() / (i + 1)) if n > 1 else min(cap, 1.0)
        if stop_at is not None and out[i] >= stop_at and out[i] > MARGIN_TOL:
            return out[: i + 1]
    return out


#: Logit cells (group totals x outputs) held at once by the many-to-one margin computation.
CURVE_CELLS = 2**20


def _many_to_one_curve(
    spec: ExpertSpec, order: Sequence[int], F_max: int, stop_at: float | None, cap: float
) -> FloatArray:
    """Margin curve of a many-to-one outer map, in chunks of totals ``u``.

    The logit of output ``q`` at total ``u`` after ``F`` frequencies is
    ``sum_f cos(2 pi sigma_f u/n) C_f[q] + sin(...) S_f[q]`` with ``C_f, S_f`` the readout sums over
    the preimages of ``q``. Frequencies are taken in doubling blocks (so ``stop_at`` costs at
    most twice the frequencies it needs) and each block is swept over ``u`` in chunks.
    """
    n, p = spec.group_order, spec.p
    values, y = spec.value_positions()
    image = spec.outer[values]
    if spec.kind == "sum":
        right = spec.outer[np.arange(n)]
    else:
        right = spec.outer[np.asarray(_exp_values(spec.p), dtype=np.int64)]
    chunk = max(1, CURVE_CELLS // max(p, 1))
    out: list[float] = []
    sig: list[int] = []
    PC = np.zeros((0, p))
    PS = np.zeros((0, p))
    done = 0
    while done < F_max:
        hi = min(F_max, max(2 * done, 4))
        new = [int(order[i]) for i in range(done, hi)]
        pc = np.zeros((len(new), p))
        ps = np.zeros((len(new), p))
        for j, sigma in enumerate(new):
            np.add.at(pc[j], image, np.cos(2 * np.pi * sigma * y / n))
            np.add.at(ps[j], image, np.sin(2 * np.pi * sigma * y / n))
        sig += new
        PC, PS = np.vstack([PC, pc]), np.vstack([PS, ps])
        best = np.full(hi - done, np.inf)
        freqs = np.array(sig, dtype=np.float64)
        for u0 in range(0, n, chunk):
            u = np.arange(u0, min(n, u0 + chunk), dtype=np.float64)
            ang = 2 * np.pi * np.outer(u, freqs) / n  # (chunk, hi)
            cu, su = np.cos(ang), np.sin(ang)
            L = cu[:, :done] @ PC[:done] + su[:, :done] @ PS[:done]  # (chunk, p)
            rows = np.arange(len(u))
            want = right[u0 : u0 + len(u)]
            for f in range(done, hi):
                L += np.outer(cu[:, f], PC[f]) + np.outer(su[:, f], PS[f])
                good = L[rows, want].copy()
                L[rows, want] = -np.inf
                gap = float((good - L.max(axis=1)).min()) / (f + 1)
                L[rows, want] = good
                best[f - done] = min(best[f - done], gap)
        for f in range(done, hi):
            out.append(min(cap, float(best[f - done])))
            if stop_at is not None and out[-1] >= stop_at and out[-1] > MARGIN_TOL:
                return np.array(out)
        done = hi
    return np.array(out)


def _exp_values(p: int) -> list[int]:
    return [int(x) for x in exp_table(p)]


def choose_frequencies(
    spec: ExpertSpec, target: float, max_count: int | None = None
) -> tuple[tuple[int, ...], float]:
    """Fewest greedy frequencies whose predicted exact margin reaches ``target`` and separates
    the outputs (is above `MARGIN_TOL`).

    Returns ``(frequencies, margin)``; if even all frequencies (at most ``max_count``, a cap the
    memory budget sets) miss the target, returns them with their margin (the caller decides
    whether that is an error).
    """
    best: tuple[tuple[int, ...], float] | None = None
    for order in frequency_orders(spec):
        count = len(order) if max_count is None else min(len(order), max(1, max_count))
        curve = margin_curve(spec, count, stop_at=target, order=order)
        ok = np.nonzero((curve >= target) & (curve > MARGIN_TOL))[0]
        F = int(ok[0]) + 1 if len(ok) else len(curve)
        candidate = (order[:F], float(curve[F - 1]))
        if best is None or _better(candidate, best, target):
            best = candidate
    assert best is not None
    return best


def _better(
    a: tuple[tuple[int, ...], float], b: tuple[tuple[int, ...], float], target: float
) -> bool:
    a_ok = a[1] >= target and a[1] > MARGIN_TOL
    b_ok = b[1] >= target and b[1] > MARGIN_TOL
    if a_ok != b_ok:
        return a_ok
    return len(a[0]) < len(b[0]) if a_ok else a[1] > b[1]


def frequency_orders(spec: ExpertSpec) -> list[FrequencyOrder]:
    """Candidate frequency sequences for ``spec``: the greedy order, and for a many-to-one
    outer map also the greedy order after frequency 0.

    Frequency 0 is a constant neuron group (the lattice still cancels its cross terms); it
    adds ``|h^-1(q)| / F`` to logit ``q``, which a readout summing over preimages can need: the
    cosines of an output whose preimages fill the whole group sum to zero.
    """
    order = lazy_order(spec.group_order)
    if _is_injective_on_group(spec):
        return [order]
    return [order, lazy_order(spec.group_order, zero_first=True)]


def kernel_margin(n: int, frequencies: tuple[int, ...]) -> float:
    """``1 - max_{d != 0} K(d)`` (the margin of a one-to-one readout)."""
    return float(1.0 - kernel(n, frequencies)[1:].max()) if n > 1 else 1.0


def sensitivity(net: PowerMLP) -> float:
    """``Lambda`` with ``|logit change| <= Lambda * eps`` when each input distribution puts at
    most ``eps <= 1/2`` of its mass off the one-hot vector it stands for.

    From ``|h'_k - h_k| <= 2 S a_k eps``, ``|h'_k| <= 2 S a_k`` and the mean value theorem for
    ``x^P``; ``a_k`` is the largest embedding entry of neuron ``k``.
    """
    with torch.no_grad():
        E = net.embed.detach().double().abs()
        a = E.amax(dim=(0, 1))  # (N,)
        S = int((E.amax(dim=(1, 2)) > 0).sum().item())
        P = net.power
        w = net.readout.detach().double().abs().amax(dim=0)  # (N,)
        lam = (w * P * (2 * S * a) ** (P - 1) * 2 * S * a).sum()
    return float(lam)

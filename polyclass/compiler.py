"""Decomposition -> network: :func:`compile` and :func:`load`.

>>> import polyclass as pc
>>> net = pc.compile("3*x + 5*y + 1 mod 23", device="cpu")
>>> net.widths, int(net(torch.tensor([[2, 4]])).argmax())
((6,), 4)

Single-expert forms (affine, monomial, h_of_sum, h_of_product) compile to one
:class:`~polyclass.nn.PowerMLP`; general polynomials to an :class:`~polyclass.nn.ExpertNetwork`
(a mixture of multiplication experts feeding a flat adder or a tree of two-input adders).
``method="exact"`` uses lattice phases that cancel every cross term (see
:mod:`polyclass.experts.design`), ``method="paper"`` the paper's random phases.
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
import torch

from .decomposition import Decomposition, decompose
from .errors import CompileError, PolyclassError
from .experts.addition import affine_spec, sum_spec
from .experts.composition import (
    ADDERS,
    Stage,
    assemble,
    best_exact_plan,
    general_stages,
    margin_floor,
    plan_exact,
    plan_paper,
    stage_summary,
    total_width,
)
from .experts.core import ExpertSpec, choose_frequencies, margin_curve
from .experts.design import METHODS, exact_design, frequency_order, lattice
from .experts.multiplication import monomial_spec
from .modpoly import ModPoly
from .nn import ExpertNetwork, PowerMLP, default_device

#: Largest number of weights (all experts together) compile will allocate.
MAX_WEIGHTS = 2**28

#: Paper-method default widths: single experts by number of inputs, and (N1, N2) of mixtures.
PAPER_WIDTHS = {1: 200, 2: 500, 3: 2000, 4: 5000}
PAPER_MIXTURE = (500, 2000)

Network = PowerMLP | ExpertNetwork


def compile(  # noqa: A001 - the public name is pc.compile
    poly: ModPoly | Decomposition | str,
    method: str = "exact",
    width: int | str | tuple[int, int] | None = None,
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype = torch.float32,
    seed: int = 0,
    beta: float = 100.0,
    adder: str = "auto",
    margin: float | None = None,
    p: int | None = None,
) -> Network:
    """Write down a network that computes ``poly`` on every input.

    Parameters
    ----------
    poly: a ModPoly, a Decomposition or polynomial text (``"x*y + 3 mod 97"``).
    method: ``"exact"`` (lattice phases, right by construction) or ``"paper"`` (random phases).
    width: ``None`` (exact: fewest frequencies that give every stage its margin; paper: 500
        for 2 inputs, 2000 for 3, 5000 for 4, ``(500, 2000)`` for mixtures), an int (one expert;
        exact widths are ``m * F`` plus 1 for the zero neuron of a product), ``(N1, N2)`` (paper
        mixtures: monomial experts and adder), or ``"min"`` (smallest width that is 100% correct,
        verified exhaustively).
    device, dtype: where the weights live (default CUDA when available) and their precision.
    seed: random phases of ``method="paper"``.
    beta: inverse temperature of the softmax between experts.
    adder: ``"auto"`` (narrower of the two), ``"flat"`` (the paper's one S-term adder) or
        ``"tree"`` (two-input adders) for general polynomials.
    margin: exact method: the least normalised margin of the output (default: just above
        rounding noise of ``dtype``; more margin costs more frequencies).

    Returns a module mapping a LongTensor ``(batch, S)`` of residues to logits ``(batch, p)``,
    with ``widths`` (tuple of ints), ``metadata`` (dict) and ``save(path)``.
    """
    if method not in METHODS:
        raise CompileError(f"method must be one of {METHODS}, not {method!r}")
    if adder not in ADDERS:
        raise CompileError(f"adder must be one of {ADDERS}, not {adder!r}")
    if dtype not in (torch.float32, torch.float64):
        raise CompileError(
            f"dtype must be torch.float32 or torch.float64, not {dtype!r} (half precision "
            "cannot resolve the margins of a single-frequency expert)"
        )
    if not (isinstance(beta, (int, float)) and beta > 0):
        raise CompileError(f"beta must be a positive number, not {beta!r}")
    D = poly if isinstance(poly, Decomposition) else decompose(poly, p)
    P = D.poly
    if P.nvars == 0:
        raise CompileError(
            f"{P} is a constant with no variables, so a network has no inputs; to compile it as "
            "a function of some inputs, pass them to pc.parse, e.g. variables=('x', 'y')"
        )
    p = P.p
    device = default_device() if device is None else torch.device(device)
    floor = margin_floor(dtype) if margin is None else max(float(margin), margin_floor(dtype))
    _check_size(D, method, width)
    stages = _stages(D, "flat" if method == "paper" else adder)

    if method == "exact":
        stages = _exact(D, stages, width, adder, beta, floor, dtype)
    else:
        stages = _paper(D, stages, width, seed, beta)

    S = P.nvars
    net: Network
    if len(stages) == 1:
        assert stages[0].net is not None
        net = stages[0].net.to(device=device, dtype=dtype)
    else:
        net = assemble(stages, S, p, beta=beta, device=device, dtype=dtype)
    net.metadata = {
        "polynomial": str(P),
        "text": P.text,
        "p": p,
        "variables": list(P.variables),
        "form": D.form,
        "method": method,
        "widths": list(net.widths),
        "beta": beta if len(stages) > 1 else None,
        "seed": seed if method == "paper" else None,
        "dtype": str(dtype).replace("torch.", ""),
        "predicted_margin": stages[-1].predicted_margin,
        "stages": stage_summary(stages),
    }
    return net


# ---- stages per form ----------------------------------------------------------------------
def _stages(D: Decomposition, adder: str) -> list[Stage]:
    p, S = D.p, len(D.variables)
    raw = tuple(f"n{s}" for s in range(S))
    n = np.arange(p, dtype=np.int64)
    spec: ExpertSpec
    if D.form == "affine":
        inner = [D.g_values(s) if D.g[s] else np.zeros(p, np.int64) for s in range(S)]
        spec = sum_spec(inner, (n + D.constant) % p, p)
        spec = affine_spec([0] * S, D.constant, p) if not spec.active else spec
        return [Stage("expert", _relabel(spec, "affine"), raw)]
    if D.form == "monomial":
        c, exps = D.monomials[0]
        return [Stage("expert", monomial_spec(c, exps, p), raw)]
    if D.form == "h_of_sum":
        inner = [D.g_values(s) if D.g[s] else np.zeros(p, np.int64) for s in range(S)]
        return [Stage("expert", sum_spec(inner, D.h_values(), p), raw)]
    if D.form == "h_of_product":
        c, exps = D.monomials[0]
        return [Stage("expert", monomial_spec(c, exps, p, outer=D.h_values()), raw)]
    if D.form == "general":
        if adder == "auto":
            return general_stages(D.monomials, D.constant, p, "flat")  # refined in _exact
        return general_stages(D.monomials, D.constant, p, adder)
    raise CompileError(f"unknown decomposition form {D.form!r}")  # pragma: no cover


def _relabel(spec: ExpertSpec, label: str) -> ExpertSpec:
    from dataclasses import replace

    return replace(spec, label=label)


def _check_size(D: Decomposition, method: str, width: object) -> None:
    """Refuse networks whose weights would not fit, before any p-sized array is made."""
    p, S = D.p, len(D.variables)
    if D.form in ("affine", "h_of_sum"):
        groups = [sum(1 for g in D.g if g)]
    elif D.form in ("monomial", "h_of_product"):
        groups = [sum(1 for e in D.monomials[0][1] if e)]
    else:
        groups = [sum(1 for e in exps if e) for _, exps in D.monomials] + [2]
    est = 0
    for k in groups:
        if k == 0:
            continue
        N = lattice(k)[0] if method == "exact" else (width if isinstance(width, int) else 500)
        est += (min(k, S) + 1) * p * int(N)
    if est > MAX_WEIGHTS:
        raise CompileError(
            f"even the narrowest network for p = {p} needs about {est:,} weights "
            f"({est * 4 / 2**30:.1f} GiB in float32), above the cap of {MAX_WEIGHTS:,}; "
            "use a smaller prime (each expert stores (S + 1) * p * width numbers)"
        )


# ---- exact method -------------------------------------------------------------------------
def _exact(
    D: Decomposition,
    stages: list[Stage],
    width: object,
    adder: str,
    beta: float,
    floor: float,
    dtype: torch.dtype,
) -> list[Stage]:
    if len(stages) == 1:
        return [_exact_single(D, stages[0], width, floor, dtype)]
    if width is not None and width != "min":
        raise CompileError(
            f"width={width!r} cannot be applied to a composed network ({D.form}); the exact "
            "method sizes every expert from the margin its softmax needs: pass width=None or "
            "width='min', or method='paper' with width=(N1, N2)"
        )
    candidates = [stages]
    if adder == "auto" and len(D.monomials) > 2:
        candidates.append(general_stages(D.monomials, D.constant, D.p, "tree"))
    plans = [best_exact_plan(c, beta=beta, floor=floor) for c in candidates]
    best = min(plans, key=total_width)
    if width != "min":
        return best
    table = D.poly.table()
    chosen = [s for s in candidates if [x.name for x in s] == [x.name for x in best]][0]
    cap_max = max(len(s.design.frequencies) for s in best if s.design is not None)
    for cap in range(1, cap_max + 1):
        plan = plan_exact(chosen, beta=beta, root_target=floor, f_cap=cap)
        if _all_right(plan, D, table, beta, dtype):
            return plan
    return best


def _exact_single(
    D: Decomposition, st: Stage, width: object, floor: float, dtype: torch.dtype
) -> Stage:
    from dataclasses import replace

    from .experts.core import build_expert

    spec = st.spec
    if spec.constant is not None:
        net = build_expert(spec, None, dtype=torch.float64)
        return replace(st, net=net, predicted_margin=1.0)
    n = spec.group_order
    m = lattice(len(spec.active))[0]
    extra = int(spec.has_zero_neuron)
    order = frequency_order(n, n // 2)
    freqs: tuple[int, ...]
    if width is None:
        freqs, margin = choose_frequencies(spec, floor)
        if margin <= 0:
            raise CompileError(f"no frequency set separates the outputs of {D.poly}")
    elif width == "min":
        table = D.poly.table()
        needed, _ = choose_frequencies(spec, 0.0)
        freqs = needed
        for F in range(1, len(needed) + 1):
            trial = _single_stage(st, needed[:F], dtype)
            if _all_right([trial], D, table, 1.0, dtype):
                freqs = needed[:F]
                break
        margin = float(margin_curve(spec, len(freqs), order=freqs)[-1])
    elif isinstance(width, int) and not isinstance(width, bool):
        F, rest = divmod(width - extra, m)
        valid = [m * k + extra for k in range(1, len(order) + 1)]
        if F < 1 or rest or F > len(order):
            near = [w for w in valid if abs(w - width) <= 2 * m][:4] or valid[:3]
            raise CompileError(
                f"width={width} does not fit the exact construction of {spec.label} with "
                f"{len(spec.active)} active inputs: it needs {m} neurons per frequency"
                + (" plus 1 zero neuron" if extra else "")
                + f", at most {len(order)} frequencies, so widths "
                f"{', '.join(map(str, valid[:3]))}, ...; nearest valid: {near}"
            )
        freqs = order[:F]
        margin = float(margin_curve(spec, F)[-1])
    else:
        raise CompileError(f"width must be None, an int or 'min', not {width!r}")
    return _single_stage(st, freqs, dtype, margin)


def _single_stage(
    st: Stage, freqs: tuple[int, ...], dtype: torch.dtype, margin: float | None = None
) -> Stage:
    from dataclasses import replace

    from .experts.core import build_expert

    spec = st.spec
    design = exact_design(len(spec.active), spec.group_order, freqs)
    net = build_expert(spec, design, dtype=torch.float64)
    return replace(st, design=design, net=net, predicted_margin=margin)


def _all_right(
    stages: list[Stage], D: Decomposition, table: np.ndarray, beta: float, dtype: torch.dtype
) -> bool:
    from .verification import verify

    if len(stages) == 1:
        assert stages[0].net is not None
        net: Network = stages[0].net.to(dtype=dtype)
    else:
        net = assemble(stages, len(D.variables), D.p, beta=beta, device="cpu", dtype=dtype)
    report = verify(net, table=table, max_failures=1, stop_on_failure=True)
    return report.accuracy == 1.0


# ---- paper method -------------------------------------------------------------------------
def _paper(
    D: Decomposition, stages: list[Stage], width: object, seed: int, beta: float
) -> list[Stage]:
    names = [s.name for s in stages]
    composite = len(stages) > 1

    def widths_for(w: object) -> dict[str, int]:
        if not composite:
            if w is None:
                k = len(stages[0].spec.active)
                return {names[0]: PAPER_WIDTHS.get(k, 5000)}
            assert isinstance(w, int)
            return {names[0]: w}
        if w is None:
            n1, n2 = PAPER_MIXTURE
        elif isinstance(w, int):
            n1, n2 = w, w
        else:
            assert isinstance(w, tuple)
            n1, n2 = w
        return {n: (n2 if n == names[-1] else n1) for n in names}

    _check_width_arg(width, composite)
    if width != "min":
        return plan_paper(stages, widths=widths_for(width), seed=seed)
    table = D.poly.table()

    def ok(N: int) -> bool:
        w: object = N if not composite else (N, 4 * N)
        plan = plan_paper(stages, widths=widths_for(w), seed=seed)
        return _all_right(plan, D, table, beta, torch.float32)

    lo, hi = 1, 8
    while not ok(hi):
        lo = hi + 1
        hi *= 2
        if hi > 2**16:
            raise CompileError(
                f"the paper method is not 100% correct for {D.poly} at any width up to {hi // 2}"
                f" with seed {seed}; try method='exact'"
            )
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return plan_paper(stages, widths=widths_for(hi if not composite else (hi, 4 * hi)), seed=seed)


def _check_width_arg(width: object, composite: bool) -> None:
    if width is None or width == "min":
        return
    if isinstance(width, bool):
        raise CompileError(f"width must be an int, a pair of ints, 'min' or None, not {width!r}")
    if isinstance(width, int):
        if width < 1:
            raise CompileError(f"width must be at least 1, not {width}")
        return
    if (
        composite
        and isinstance(width, tuple)
        and len(width) == 2
        and all(isinstance(w, int) and w >= 1 for w in width)
    ):
        return
    raise CompileError(
        "width must be None, 'min', a positive int"
        + (" or a pair (N1, N2) of positive ints" if composite else "")
        + f", not {width!r}"
    )


# ---- saving and loading -------------------------------------------------------------------
def load(
    path: str | os.PathLike[str],
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> Network:
    """Read a network written by ``net.save(path)`` (weights, architecture and metadata)."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    path = os.fspath(path)
    try:
        with safe_open(path, framework="pt") as fh:
            header = json.loads((fh.metadata() or {})["polyclass"])
    except (OSError, KeyError, json.JSONDecodeError, Exception) as exc:  # noqa: BLE001
        raise PolyclassError(
            f"{path!r} is not a polyclass network file ({type(exc).__name__}: {exc}); "
            "write one with net.save(path)"
        ) from exc
    tensors = load_file(path)
    dev = default_device() if device is None else torch.device(device)
    cfg = header["config"]
    net: Network
    if header["kind"] == "PowerMLP":
        net = _power_mlp(cfg)
    elif header["kind"] == "ExpertNetwork":
        stages = [(s["name"], _power_mlp(s["expert"]), s["inputs"]) for s in cfg["stages"]]
        net = ExpertNetwork(cfg["n_inputs"], cfg["p"], stages, beta=cfg["beta"])
    else:
        raise PolyclassError(f"{path!r} holds an unknown network kind {header['kind']!r}")
    first = next(iter(tensors.values()))
    net = net.to(dtype=first.dtype)
    net.load_state_dict(tensors)
    net = net.to(device=dev, dtype=dtype if dtype is not None else first.dtype)
    net.metadata = header.get("metadata", {})
    return net


def _power_mlp(cfg: dict[str, Any]) -> PowerMLP:
    return PowerMLP(
        cfg["n_inputs"], cfg["in_dim"], cfg["width"], cfg["out_dim"], power=cfg["power"]
    )


__all__ = ["MAX_WEIGHTS", "compile", "load"]

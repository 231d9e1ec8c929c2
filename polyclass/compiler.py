"""Structure or decomposition -> network: `compile` and `load`.

Examples:
    >>> import polyclass as pc
    >>> net = pc.compile("3*x + 5*y + 1 mod 23", device="cpu")
    >>> net.widths, int(net(torch.tensor([[2, 4]])).argmax())
    ((6,), 4)

Everything with a `Structure` (``one_variable``, ``h_of_sum``,
``multiplicative``: polynomials, learnable tables, positive verdicts) compiles to one
`PowerMLP` (see `polyclass.experts.structured`); ``composite``
polynomials to an `ExpertNetwork` (a mixture of multiplication experts
feeding a flat adder or a tree of two-input adders). ``method="exact"`` uses lattice phases
that cancel every cross term (see `polyclass.experts.design`), ``method="paper"`` the
paper's random phases. The network's `NetworkInfo` is ``net.info``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from .decomposition import Decomposition, decompose
from .dtypes import torch_dtype
from .errors import CompileError
from .experts.budget import DEFAULT_MAX_BYTES, Budget, lower_bound, plan_bytes, refusal
from .experts.composition import (
    ADDERS,
    Stage,
    assemble,
    general_stages,
    margin_floor,
    plan_exact,
    plan_paper,
    stage_summary,
)
from .experts.design import METHODS, lattice_size
from .experts.mixture import Candidate, mixture_candidates, narrowest_plan
from .experts.structured import active_inputs, exact_single, structure_stage
from .learnability import Verdict, classify
from .modpoly import as_modpoly
from .netfile import load
from .netinfo import NetworkInfo
from .nn import ExpertNetwork, PowerMLP
from .structure import Structure
from .validation import check_bytes, check_device, check_finite, check_int, check_positive
from .verification import verify

#: Paper-method default widths: single experts by number of inputs, and (N1, N2) of mixtures.
PAPER_WIDTHS = {1: 200, 2: 500, 3: 2000, 4: 5000}
PAPER_MIXTURE = (500, 2000)

Network = PowerMLP | ExpertNetwork


def compile(  # noqa: A001 - the public name is pc.compile
    poly: Any,
    method: str = "exact",
    width: int | str | tuple[int, int] | None = None,
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype | str = torch.float32,
    seed: int = 0,
    beta: float = 100.0,
    adder: str = "auto",
    margin: float | None = None,
    p: int | None = None,
    max_bytes: int | None = None,
) -> Network:
    """Write down a network that computes ``poly`` on every input.

    Args:
        poly: polynomial text (``"x*y + 3 mod 97"``), a ModPoly, a Decomposition, a Structure, a
            learnable Verdict, or an integer value table of shape ``(p,) * S`` (classified first;
            a table `polyclass.classify` does not prove learnable raises CompileError with
            the refutation).
        method: ``"exact"`` (lattice phases, right by construction) or ``"paper"`` (random phases).
        width: ``None`` (exact: fewest frequencies that give every stage its margin, one for an
            injective ``h``; paper: 500 for 2 inputs, 2000 for 3, 5000 for 4, ``(500, 2000)`` for
            mixtures), an int (one expert; exact widths are ``m * F`` plus 1 for the zero neuron
            of a product), ``(N1, N2)`` (paper mixtures: monomial experts and adder), or
            ``"min"`` (smallest width that is 100% correct, verified exhaustively).
        device: where the weights live (default CUDA when available) and their precision.
        dtype: see `device`.
        seed: random phases of ``method="paper"``.
        beta: inverse temperature of the softmax between experts.
        adder: composite polynomials: ``"auto"`` (the narrowest of the per-monomial mixtures and
            the low-rank mixture of `polyclass.experts.mixture`), or the per-monomial mixture
            with ``"flat"`` (the paper's one adder over all terms) or ``"tree"`` (two-input adders).
        margin: exact method: the least normalised margin of the output (default: just above
            rounding noise of ``dtype``; more margin costs more frequencies).
        p: the modulus of text without ``mod p``, or of a table.
        max_bytes: cap on the memory compiling may allocate (default 1 GiB); every expert is
            priced before it is built and a plan above the cap raises CompileError with the
            estimate.

    Returns a module mapping a LongTensor ``(batch, S)`` of residues to logits ``(batch, p)``,
    with ``widths`` (tuple of ints), ``info`` (`NetworkInfo`) and
    ``save(path)``.
    """
    if method not in METHODS:
        raise CompileError(f"method must be one of {METHODS}, not {method!r}")
    if adder not in ADDERS:
        raise CompileError(f"adder must be one of {ADDERS}, not {adder!r}")
    dtype = torch_dtype(
        dtype, CompileError, " (half precision cannot resolve a single-frequency expert's margins)"
    )
    beta = check_positive(beta, "beta", error=CompileError)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else check_bytes(max_bytes, error=CompileError)
    seed = check_int(seed, "seed", minimum=0, error=CompileError)
    margin = None if margin is None else check_finite(margin, "margin", error=CompileError)
    _check_width_arg(width, composite=True)  # the arguments are checked before any pricing
    device = check_device(device, error=CompileError)
    target = _target(poly, p, limit)
    S, p = len(target.variables), target.p
    if S == 0:
        raise CompileError(
            f"{target.name} is a constant with no variables, so a network has no inputs; to "
            "compile it as a function of some inputs, pass them to pc.parse, e.g. "
            "variables=('x', 'y')"
        )
    floor = margin_floor(dtype) if margin is None else max(margin, margin_floor(dtype))
    budget = Budget(limit, target.name, p)
    db = torch.finfo(dtype).bits // 8
    St, D = target.structure, target.decomposition
    if St is not None:
        _check_single(St, method, width, budget, db)
        stages = [structure_stage(St)]
        if method == "exact":
            check = _verifier(target, budget, dtype, width)
            stages = [exact_single(stages[0], width, floor, check, budget, db)]
    else:
        assert D is not None
        if method == "exact":
            candidates = mixture_candidates(D.monomials, D.constant, p, S, adder)
            need = min(lower_bound(c.shapes, p, db) for c in candidates)
            budget.check(need, "the narrowest mixture, one frequency per expert")
            stages = _exact_composite(target, candidates, width, beta, floor, dtype, budget)
        else:
            stages = general_stages(D.monomials, D.constant, p, "flat")
            n1, n2 = _paper_pair(width)
            sizes = [(len(st.inputs), n1) for st in stages[:-1]] + [(len(stages[-1].inputs), n2)]
            budget.check(plan_bytes(sizes, p, db), "the paper's widths")
    if method == "paper":
        stages = _paper(target, stages, width, seed, beta, budget)

    net: Network
    if len(stages) == 1:
        assert stages[0].net is not None
        net = stages[0].net.to(device=device, dtype=dtype)
    else:
        net = assemble(stages, S, p, beta=beta, device=device, dtype=dtype)
    single = stages[0].design if len(stages) == 1 else None
    net.info = NetworkInfo(
        p=p,
        variables=target.variables,
        polynomial=target.polynomial,
        text=target.text,
        form=St.form if St is not None else (D.form if D is not None else None),
        source=target.source,
        method=method,
        widths=tuple(net.widths),
        frequencies=tuple(int(f) for f in single.frequencies) if single is not None else (),
        beta=beta if len(stages) > 1 else None,
        seed=seed if method == "paper" else None,
        dtype=str(dtype).replace("torch.", ""),
        predicted_margin=stages[-1].predicted_margin,
        stages=tuple(stage_summary(stages)),
        structure=None if St is None else St.to_dict(),
    )
    return net


# ---- what to compile ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Target:
    """The structure (one network) or decomposition (mixture) to compile, and its names."""

    p: int
    variables: tuple[str, ...]
    structure: Structure | None
    decomposition: Decomposition | None
    source: str
    polynomial: str | None = None
    text: str | None = None

    @property
    def name(self) -> str:
        return self.polynomial or f"a {self.source} mod {self.p}"

    def table(self) -> np.ndarray:
        if self.structure is not None:
            return self.structure.table()
        assert self.decomposition is not None
        return self.decomposition.poly.table()


def _target(obj: Any, p: int | None, limit: int | None = None) -> _Target:
    if isinstance(obj, (np.ndarray, Verdict)):  # a table is classified first
        V, source = (obj, "verdict") if isinstance(obj, Verdict) else (classify(obj, p), "table")
        if V.learnable is not True or V.structure is None:
            raise CompileError(
                f"the {source} is not proved learnable ({V.form}), so there are no maps to "
                f"build a single network from:\n{V.reason}\nCompile the polynomial itself "
                "(pc.compile(text)) to get a mixture of experts"
            )
        return _Target(V.p, V.variables, V.structure, None, source)
    if isinstance(obj, Structure):
        return _Target(obj.p, obj.variables, obj, None, "structure")
    if isinstance(obj, (list, tuple)):
        raise CompileError(
            f"compile takes a NumPy integer array as a table, not a {type(obj).__name__}; "
            "wrap it with np.array(..., dtype=np.int64)"
        )
    if not isinstance(obj, Decomposition):
        P = as_modpoly(obj, p)
        need = 16 * P.p * (P.nvars + 3)  # decomposing tabulates maps of length p (int64)
        if limit is not None and need > limit:
            raise refusal(str(P), need, limit, "the structure's value tables", P.p)
        obj = P
    D = obj if isinstance(obj, Decomposition) else decompose(obj, p)
    P = D.poly
    return _Target(P.p, tuple(P.variables), D.structure, D, "polynomial", str(P), P.text)


# ---- sizes --------------------------------------------------------------------------------
def _check_single(St: Structure, method: str, width: object, budget: Budget, db: int) -> None:
    """Refuse, before any p-sized array is made, a single expert whose narrowest form is
    above the cap (exact: one frequency; paper: the requested or default width)."""
    k = active_inputs(St)
    if k == 0:
        return
    if method == "exact":
        N, what = lattice_size(k) + int(St.kind == "product"), "one frequency"
    else:
        N = width if isinstance(width, int) and not isinstance(width, bool) else 500
        what = f"width {N}"
    budget.check(plan_bytes([(len(St.variables), N)], St.p, db), what)


def _paper_pair(width: object) -> tuple[int, int]:
    if isinstance(width, tuple) and len(width) == 2:
        return int(width[0]), int(width[1])
    if isinstance(width, int) and not isinstance(width, bool):
        return width, width
    return PAPER_MIXTURE


def _table(target: _Target, budget: Budget) -> np.ndarray:
    """The exact table (for ``width="min"``), priced first: p^S int64 cells and a copy."""
    budget.check(2 * 8 * target.p ** len(target.variables), "the table that width='min' checks")
    return target.table()


def _verifier(
    target: _Target, budget: Budget, dtype: torch.dtype, width: object
) -> Callable[[list[Stage]], bool]:
    """Exhaustive check of a one-stage plan (only ``width="min"`` asks for it)."""
    cache: list[np.ndarray] = []

    def check(plan: list[Stage]) -> bool:
        if not cache:
            cache.append(_table(target, budget))
        return _all_right(plan, target, cache[0], 1.0, dtype)

    return check


# ---- exact method, composite polynomials --------------------------------------------------
def _exact_composite(
    target: _Target,
    candidates: list[Candidate],
    width: object,
    beta: float,
    floor: float,
    dtype: torch.dtype,
    budget: Budget,
) -> list[Stage]:
    """The narrowest exact plan over the mixture candidates (cheapest lower bounds first)."""
    if width is not None and width != "min":
        raise CompileError(
            f"width={width!r} cannot be applied to a composed network; the exact method sizes "
            "every expert from the margin its softmax needs: pass width=None or width='min', "
            "or method='paper' with width=(N1, N2)"
        )
    db = torch.finfo(dtype).bits // 8
    best, chosen = narrowest_plan(candidates, beta=beta, floor=floor, budget=budget, dtype_bytes=db)
    if width != "min":
        return best
    table = _table(target, budget)
    cap_max = max(len(s.design.frequencies) for s in best if s.design is not None)
    for cap in range(1, cap_max + 1):
        plan = plan_exact(chosen, beta=beta, root_target=floor, f_cap=cap)
        if _all_right(plan, target, table, beta, dtype):
            return plan
    return best


def _all_right(
    stages: list[Stage], target: _Target, table: np.ndarray, beta: float, dtype: torch.dtype
) -> bool:
    if len(stages) == 1:
        assert stages[0].net is not None
        net: Network = stages[0].net.to(dtype=dtype)
    else:
        net = assemble(
            stages, len(target.variables), target.p, beta=beta, device="cpu", dtype=dtype
        )
    report = verify(net, table=table, max_failures=1, stop_on_failure=True)
    return report.accuracy == 1.0


# ---- paper method -------------------------------------------------------------------------
def _paper(
    target: _Target, stages: list[Stage], width: object, seed: int, beta: float, budget: Budget
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
    table = _table(target, budget)

    def ok(N: int) -> bool:
        w: object = N if not composite else (N, 4 * N)
        sizes = [(len(st.inputs), widths_for(w)[st.name]) for st in stages]
        budget.check(plan_bytes(sizes, target.p), f"the paper's widths up to {N}")
        plan = plan_paper(stages, widths=widths_for(w), seed=seed)
        return _all_right(plan, target, table, beta, torch.float32)

    lo, hi = 1, 8
    while not ok(hi):
        lo = hi + 1
        hi *= 2
        if hi > 2**16:
            raise CompileError(
                f"the paper method is not 100% correct for {target.name} at any width up to "
                f"{hi // 2} with seed {seed}; try method='exact'"
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


__all__ = ["NetworkInfo", "compile", "load"]

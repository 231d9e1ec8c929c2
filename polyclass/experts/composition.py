"""Composition: mixtures of experts for general polynomials, and the margin budget.

A general polynomial ``f = sum_j c_j m_j(n) + c`` is computed by one multiplication expert per
monomial ``m_j`` (degree-1 terms ``n_s`` need no expert: the raw one-hot input is used), a
softmax with inverse temperature ``beta`` on each expert's logits, and an addition expert
with the coefficients ``c_j`` and the constant ``c`` (the paper's mixture, ``adder="flat"``).
A flat adder over M terms needs ``m(M) = 2 * 3^(M-1)`` neurons per frequency, so
``adder="tree"`` instead adds the terms pairwise (M - 1 two-input adders of 6 neurons per
frequency); ``"auto"`` keeps whichever is narrower in total.

Margin budget (exact method)
----------------------------
A stage reads ``u_s = softmax(beta t_s)`` instead of one-hot vectors. If the producer's right
logit beats every wrong one by ``D``, the wrong mass is ``eps <= (p-1) exp(-beta D)``, and the
consumer's logits move by at most ``Lambda * eps`` (`polyclass.experts.core.sensitivity`,
a bound from its weights), so its margin drops by at most ``2 Lambda eps``. Planning runs from
the output backwards: a stage whose exact margin is ``M`` tolerates
``eps = KAPPA * M / (2 Lambda)`` (it keeps at least ``(1 - KAPPA) M``, ``KAPPA = 0.1``), so each
producer gets the fewest frequencies whose exact margin reaches ``ln((p-1)/eps) / beta``
(divided by ``1 - KAPPA`` when the producer itself reads softmax outputs). Every stage is then
right on every input by construction, which `polyclass.verify` confirms exhaustively.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import torch

from ..errors import CompileError
from ..nn import ExpertNetwork, PowerMLP
from .budget import Budget, Shape, expert_bytes
from .core import (
    ExpertSpec,
    build_expert,
    choose_frequencies,
    make_spec,
    margin_curve,
    sensitivity,
)
from .design import IntArray, PhaseDesign, exact_design, lattice_size, paper_design
from .multiplication import monomial_spec

T = TypeVar("T")

ADDERS = ("auto", "flat", "tree")

#: Share of a stage's exact margin that the softmax leakage of its inputs may use up.
KAPPA = 0.1


@dataclass(frozen=True)
class Stage:
    """One expert of a composed network: what it computes, where its inputs come from."""

    name: str
    spec: ExpertSpec
    inputs: tuple[str, ...]
    design: PhaseDesign | None = None
    predicted_margin: float | None = None
    required_margin: float | None = None
    net: PowerMLP | None = field(default=None, compare=False)

    @property
    def width(self) -> int:
        return 0 if self.net is None else int(self.net.width)

    def reads_experts(self) -> bool:
        return any(not _is_raw(i) for i in self.inputs)


def _is_raw(ref: str) -> bool:
    return ref.startswith("n") and ref[1:].isdigit()


def general_stages(
    monomials: tuple[tuple[int, tuple[int, ...]], ...], constant: int, p: int, adder: str
) -> list[Stage]:
    """Stages (specs and routes, no weights yet) of the mixture for ``sum c_j m_j + constant``."""
    if adder not in ("flat", "tree"):
        raise ValueError(f"adder must be 'flat' or 'tree' here, not {adder!r}")
    stages: list[Stage] = []
    terms: list[tuple[int, str]] = []
    for j, (c, exps) in enumerate(monomials):
        used = [s for s, e in enumerate(exps) if e]
        if len(used) == 1 and exps[used[0]] == 1:
            terms.append((c, f"n{used[0]}"))
            continue
        spec = monomial_spec(1, [exps[s] for s in used], p)
        spec = replace(spec, label=f"monomial {j}")
        stages.append(Stage(f"mono{j}", spec, tuple(f"n{s}" for s in used)))
        terms.append((c, f"mono{j}"))
    if not terms:
        raise CompileError("a general decomposition needs at least one non-constant term")
    n = np.arange(p, dtype=np.int64)
    tables = [((c % p) * n % p, ref) for c, ref in terms]
    return stages + sum_tree(tables, constant, p, flat=adder == "flat")


def sum_tree(
    terms: list[tuple[IntArray, str]], constant: int, p: int, *, flat: bool = False
) -> list[Stage]:
    """Adders for ``sum_i g_i(u_i) + constant``: ``terms`` are ``(g_i values (p,), source)``.

    Pairwise (two-input adders, level by level; the last one is named ``"adder"`` and adds the
    constant) unless ``flat`` or there are at most two terms: then one adder reads them all.
    """
    n = np.arange(p, dtype=np.int64)
    if flat or len(terms) <= 2:
        spec = make_spec("sum", p, [g for g, _ in terms], (n + constant) % p, label="adder")
        return [Stage("adder", spec, tuple(r for _, r in terms))]
    stages: list[Stage] = []
    level = 0
    while len(terms) > 1:
        nxt: list[tuple[IntArray, str]] = []
        for i in range(0, len(terms) - 1, 2):
            (g1, r1), (g2, r2) = terms[i], terms[i + 1]
            last = len(terms) == 2
            name = "adder" if last else f"add{level}_{i // 2}"
            spec = make_spec("sum", p, [g1, g2], (n + (constant if last else 0)) % p, label=name)
            stages.append(Stage(name, spec, (r1, r2)))
            nxt.append((n, name))
        if len(terms) % 2:
            nxt.append(terms[-1])
        terms = nxt
        level += 1
    return stages


def margin_floor(dtype: torch.dtype) -> float:
    """Smallest output margin accepted: far above rounding noise of ``dtype``."""
    return float(1000 * torch.finfo(dtype).eps)


def plan_exact(
    stages: list[Stage],
    *,
    beta: float,
    root_target: float,
    f_cap: int | None = None,
    budget: Budget | None = None,
    dtype_bytes: int = 4,
) -> list[Stage]:
    """Give every stage its frequencies (exact lattice design), output first.

    ``root_target``: margin the output stage must keep. ``f_cap`` limits the number of
    frequencies per stage (used by ``width="min"``; then nothing is guaranteed and the caller
    verifies). ``budget``: the memory account; every expert is priced before it is built.
    Raises CompileError when a required margin cannot be reached or memory would not fit.
    """
    by_name = {s.name: s for s in stages}
    required: dict[str, float] = {stages[-1].name: root_target}
    done: dict[str, Stage] = {}
    for st in reversed(stages):
        req = required.get(st.name)
        if req is None:  # pragma: no cover - every stage feeds the output
            raise AssertionError(f"stage {st.name} feeds nothing")
        target = req / (1 - KAPPA) if st.reads_experts() else req
        spec = st.spec
        if spec.constant is not None:
            net = build_expert(spec, None, dtype=torch.float64)
            done[st.name] = replace(st, net=net, predicted_margin=1.0, required_margin=target)
            continue
        shape = Shape(len(st.inputs), lattice_size(len(spec.active)), spec.has_zero_neuron)
        fit = None if budget is None else budget.frequencies_that_fit(shape, dtype_bytes)
        freqs, margin = choose_frequencies(spec, target, fit)
        if budget is not None and margin < target and len(freqs) == fit:
            budget.reserve(shape.n_inputs, shape.width(fit + 1), dtype_bytes, _more(st, fit))
        if f_cap is not None and len(freqs) > f_cap:
            freqs = freqs[:f_cap]
            margin = float(margin_curve(spec, f_cap, order=freqs)[-1])
        elif margin < target and st.name == stages[-1].name:
            raise CompileError(
                f"the output stage ({spec.label}) can keep a margin of at most {margin:.3g} at "
                f"p={spec.p} (all {len(freqs)} frequencies), not the {req:.3g} asked for; pass "
                f"margin <= {margin * (1 - KAPPA) if st.reads_experts() else margin:.3g}"
            )
        elif margin < target:
            p = spec.p
            raise CompileError(
                f"stage {st.name!r} ({spec.label}) needs margin {target:.3g} for the softmax "
                f"with beta={beta:g}, but even all {len(freqs)} frequencies give only "
                f"{margin:.3g} at p={p}; pass a larger beta "
                f"(e.g. beta={_beta_hint(beta, target, margin)}) or method='paper'"
            )
        if budget is not None:
            what = f"stage {st.name!r} with {len(freqs)} frequencies"
            budget.reserve(shape.n_inputs, shape.width(len(freqs)), dtype_bytes, what)
        design = exact_design(len(spec.active), spec.group_order, freqs)
        net = build_expert(spec, design, dtype=torch.float64)
        done[st.name] = replace(
            st, design=design, net=net, predicted_margin=margin, required_margin=target
        )
        children = [i for i in st.inputs if not _is_raw(i)]
        if children:
            lam = sensitivity(net)
            eps = min(0.5, KAPPA * max(margin, 1e-300) / (2 * lam))
            child_req = math.log(max(spec.p - 1, 2) / eps) / beta
            for c in children:
                required[c] = max(required.get(c, 0.0), child_req)
                assert c in by_name
    return [done[s.name] for s in stages]


def _more(st: Stage, fit: int) -> str:
    plural = "y" if fit == 1 else "ies"
    return f"stage {st.name!r} ({st.spec.label}) with more than {fit} frequenc{plural}"


def _beta_hint(beta: float, target: float, margin: float) -> int:
    """A beta that brings the required margin (proportional to 1/beta) under the reachable one."""
    return int(math.ceil(beta * 1.25 * target / max(margin, 1e-9) / 100.0) * 100)


def plan_paper(stages: list[Stage], *, widths: dict[str, int], seed: int) -> list[Stage]:
    """Random phases and the paper's normalisation; ``widths`` maps stage name -> width."""
    out = []
    for i, st in enumerate(stages):
        spec = st.spec
        if spec.constant is not None:
            out.append(replace(st, net=build_expert(spec, None, dtype=torch.float64)))
            continue
        # the paper counts the zero neuron of a multiplication expert in its width N
        n_cos = widths[st.name] - int(spec.has_zero_neuron)
        if n_cos < 1:
            raise CompileError(f"stage {st.name!r} needs width >= 2 (one zero neuron)")
        design = paper_design(len(spec.active), spec.group_order, n_cos, seed + i)
        out.append(replace(st, design=design, net=build_expert(spec, design, dtype=torch.float64)))
    return out


def best_exact_plan(
    stages: list[Stage],
    *,
    beta: float,
    floor: float,
    root_tries: int = 6,
    budget: Budget | None = None,
    dtype_bytes: int = 4,
) -> list[Stage]:
    """Exact plan with the smallest total width over a few output-stage frequency counts.

    With a ``budget``, each try may use what the best plan so far leaves free; the best plan's
    weights stay on the account when this returns.
    """
    root = stages[-1].spec
    targets = [floor]
    if len(stages) > 1 and root.constant is None:
        curve = margin_curve(root, min(root_tries, root.group_order // 2))
        targets += [float(x) for x in curve if x > floor]

    def attempt(target: float) -> Attempt[None]:
        def run(trial: Budget | None) -> tuple[list[Stage], None]:
            plan = plan_exact(
                stages, beta=beta, root_target=target, budget=trial, dtype_bytes=dtype_bytes
            )
            return plan, None

        return 0, run

    return keep_narrowest((attempt(t) for t in targets), budget, dtype_bytes)[0]


#: One try of `keep_narrowest`: a lower bound on its total width, and the plan it makes
#: within a trial budget (with whatever else the caller wants back).
Attempt = tuple[int, Callable[[Budget | None], tuple[list[Stage], T]]]


def keep_narrowest(
    attempts: Iterable[Attempt[T]], budget: Budget | None, dtype_bytes: int
) -> tuple[list[Stage], T]:
    """The narrowest plan over ``attempts`` (tried lazily, in order) and what came with it.

    An attempt whose lower bound cannot beat the best plan so far is skipped; each one may
    use what the best plan leaves free of ``budget``, whose weights stay on the account when
    this returns. When none succeeds, the first CompileError is raised.
    """
    best: tuple[list[Stage], T] | None = None
    held = 0
    error: CompileError | None = None
    for bound, run in attempts:
        if best is not None and bound >= total_width(best[0]):
            continue
        trial = None if budget is None else replace(budget, used=budget.used + held)
        try:
            plan, extra = run(trial)
        except CompileError as exc:
            error = error or exc
            continue
        if best is None or total_width(plan) < total_width(best[0]):
            best, held = (plan, extra), kept_bytes(plan, dtype_bytes)
    if best is None:
        assert error is not None
        raise error
    if budget is not None:
        budget.used += held
    return best


def kept_bytes(stages: list[Stage], dtype_bytes: int = 4) -> int:
    """Bytes the built experts of ``stages`` hold (see `polyclass.experts.budget`)."""
    return sum(expert_bytes(len(s.inputs), s.spec.p, s.width, dtype_bytes)[0] for s in stages)


def assemble(
    stages: list[Stage],
    n_inputs: int,
    p: int,
    *,
    beta: float,
    device: torch.device | str | None,
    dtype: torch.dtype,
) -> ExpertNetwork:
    """The ExpertNetwork of planned stages, on ``device`` in ``dtype``."""
    parts = []
    for st in stages:
        assert st.net is not None
        parts.append((st.name, st.net.to(device=device, dtype=dtype), st.inputs))
    return ExpertNetwork(n_inputs, p, parts, beta=beta)


def total_width(stages: list[Stage]) -> int:
    return sum(s.width for s in stages)


def max_frequencies(spec: ExpertSpec) -> int:
    return spec.group_order // 2


def stage_summary(stages: list[Stage]) -> list[dict[str, object]]:
    """JSON-ready description of every stage (for metadata and reports)."""
    out: list[dict[str, object]] = []
    for st in stages:
        entry: dict[str, object] = {
            "name": st.name,
            "label": st.spec.label,
            "kind": st.spec.kind,
            "inputs": list(st.inputs),
            "width": st.width,
        }
        if st.design is not None:
            entry["design"] = st.design.to_dict()
        if st.predicted_margin is not None:
            entry["predicted_margin"] = st.predicted_margin
        if st.required_margin is not None:
            entry["required_margin"] = st.required_margin
        out.append(entry)
    return out


__all__ = [
    "ADDERS",
    "Attempt",
    "Stage",
    "assemble",
    "best_exact_plan",
    "general_stages",
    "keep_narrowest",
    "kept_bytes",
    "margin_floor",
    "plan_exact",
    "plan_paper",
    "stage_summary",
    "sum_tree",
    "total_width",
]

"""One `Structure` -> one exact PowerMLP.

A Structure ``h(g_1(n_1) o ... o g_S(n_S))`` is exactly what one addition (``o = +``, group
``Z_p``) or multiplication expert (``o = *``, ``Z_(p-1)`` plus the zero neuron) computes:
the inner tables go into the embeddings, the outer table into the readout (rows sum over
preimages, so ``h`` need not be injective). The width is ``m * F`` (+1 zero neuron), with
``m = 6, 18, 54`` for ``S = 2, 3, 4`` active inputs and ``F`` the fewest frequencies whose
predicted exact margin reaches the floor: ``F = 1`` when ``h`` is injective on the group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import torch

from ..errors import CompileError
from ..structure import Structure
from .addition import sum_spec
from .budget import Budget, Shape
from .composition import Stage
from .core import MARGIN_TOL, ExpertSpec, build_expert, choose_frequencies, margin_curve
from .design import exact_design, lattice_size, lazy_order
from .multiplication import product_spec

TableCheck = Callable[[list[Stage]], bool]


def structure_spec(St: Structure) -> ExpertSpec:
    """The expert spec of ``St`` (constant inner maps folded into the outer map)."""
    make = sum_spec if St.kind == "sum" else product_spec
    return replace(make(list(St.inner), St.outer, St.p), label=St.form)


def structure_stage(St: Structure) -> Stage:
    """One stage reading the raw inputs ``n0 .. n(S-1)``."""
    return Stage("expert", structure_spec(St), tuple(f"n{s}" for s in range(St.S)))


def exact_single(
    st: Stage,
    width: object,
    floor: float,
    all_right: TableCheck,
    budget: Budget,
    dtype_bytes: int = 4,
) -> Stage:
    """Exact phases for one expert: ``width`` None (fewest frequencies reaching ``floor``),
    ``"min"`` (fewest frequencies that verify exactly, via ``all_right``) or an int. Every
    width is priced against ``budget`` before the expert is built."""
    spec = st.spec
    if spec.constant is not None:
        net = build_expert(spec, None, dtype=torch.float64)
        return replace(st, net=net, predicted_margin=1.0)
    n = spec.group_order
    m = lattice_size(len(spec.active))
    extra = int(spec.has_zero_neuron)
    shape = Shape(spec.n_inputs, m, bool(extra))
    all_f = n // 2
    freqs: tuple[int, ...]
    if width is None:
        fit = budget.frequencies_that_fit(shape, dtype_bytes)
        freqs, margin = choose_frequencies(spec, floor, fit)
        if margin < floor and len(freqs) == fit < all_f:
            budget.reserve(shape.n_inputs, shape.width(fit + 1), dtype_bytes, _more_than(fit))
        if margin <= MARGIN_TOL:
            raise CompileError(f"no frequency set separates the outputs of {spec.label}")
    elif width == "min":
        fit = budget.frequencies_that_fit(shape, dtype_bytes)
        needed, _ = choose_frequencies(spec, 0.0, fit)
        freqs = needed
        for F in range(1, len(needed) + 1):
            if all_right([single_stage(st, needed[:F])]):
                freqs = needed[:F]
                break
        margin = float(margin_curve(spec, len(freqs), order=freqs)[-1])
    elif isinstance(width, int) and not isinstance(width, bool):
        F, rest = divmod(width - extra, m)
        if F < 1 or rest or F > all_f:
            k0 = max(1, min(all_f, (width - extra) // m) - 2)
            near = [m * k + extra for k in range(k0, min(all_f, k0 + 4) + 1)]
            near = [w for w in near if abs(w - width) <= 2 * m][:4] or near[:3]
            first = ", ".join(str(m * k + extra) for k in range(1, min(all_f, 3) + 1))
            raise CompileError(
                f"width={width} does not fit the exact construction of {spec.label} with "
                f"{len(spec.active)} active inputs: it needs {m} neurons per frequency"
                + (" plus 1 zero neuron" if extra else "")
                + f", at most {all_f} frequencies, so widths {first}, ...; nearest valid: {near}"
            )
        budget.reserve(shape.n_inputs, width, dtype_bytes, f"width {width}")
        freqs = tuple(lazy_order(n)[:F])
        return single_stage(st, freqs, float(margin_curve(spec, F)[-1]))
    else:
        raise CompileError(f"width must be None, an int or 'min', not {width!r}")
    budget.reserve(
        shape.n_inputs, shape.width(len(freqs)), dtype_bytes, f"{len(freqs)} frequencies"
    )
    return single_stage(st, freqs, margin)


def _more_than(fit: int) -> str:
    return f"more than {fit} frequenc{'y' if fit == 1 else 'ies'} for a margin above rounding"


def single_stage(st: Stage, freqs: tuple[int, ...], margin: float | None = None) -> Stage:
    """``st`` with the lattice design of ``freqs`` and its network (float64 weights)."""
    spec = st.spec
    design = exact_design(len(spec.active), spec.group_order, freqs)
    net = build_expert(spec, design, dtype=torch.float64)
    return replace(st, design=design, net=net, predicted_margin=margin)


def active_inputs(St: Structure) -> int:
    """Number of inner maps that are not constant (the inputs the expert really reads)."""
    return sum(1 for g in St.inner if not bool((g == g[0]).all()))

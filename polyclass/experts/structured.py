"""One :class:`~polyclass.structure.Structure` -> one exact PowerMLP.

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
from .composition import Stage
from .core import ExpertSpec, build_expert, choose_frequencies, margin_curve
from .design import exact_design, frequency_order, lattice
from .multiplication import product_spec

TableCheck = Callable[[list[Stage]], bool]


def structure_spec(St: Structure) -> ExpertSpec:
    """The expert spec of ``St`` (constant inner maps folded into the outer map)."""
    make = sum_spec if St.kind == "sum" else product_spec
    return replace(make(list(St.inner), St.outer, St.p), label=St.form)


def structure_stage(St: Structure) -> Stage:
    """One stage reading the raw inputs ``n0 .. n(S-1)``."""
    return Stage("expert", structure_spec(St), tuple(f"n{s}" for s in range(St.S)))


def exact_single(st: Stage, width: object, floor: float, all_right: TableCheck) -> Stage:
    """Exact phases for one expert: ``width`` None (fewest frequencies reaching ``floor``),
    ``"min"`` (fewest frequencies that verify exactly, via ``all_right``) or an int."""
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
            raise CompileError(f"no frequency set separates the outputs of {spec.label}")
    elif width == "min":
        needed, _ = choose_frequencies(spec, 0.0)
        freqs = needed
        for F in range(1, len(needed) + 1):
            if all_right([single_stage(st, needed[:F])]):
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
    return single_stage(st, freqs, margin)


def single_stage(st: Stage, freqs: tuple[int, ...], margin: float | None = None) -> Stage:
    """``st`` with the lattice design of ``freqs`` and its network (float64 weights)."""
    spec = st.spec
    design = exact_design(len(spec.active), spec.group_order, freqs)
    net = build_expert(spec, design, dtype=torch.float64)
    return replace(st, design=design, net=net, predicted_margin=margin)


def active_inputs(St: Structure) -> int:
    """Number of inner maps that are not constant (the inputs the expert really reads)."""
    return sum(1 for g in St.inner if not bool((g == g[0]).all()))

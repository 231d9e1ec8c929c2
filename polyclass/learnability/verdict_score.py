"""`Verdict.score` and its note for a table: the graded score's model
(`polyclass.learnability.graded`) applied to the structure computed from the table
(`polyclass.learnability.linked`), with the outer functions a verdict or a composition
gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .graded import (
    SEEN,
    Parameters,
    coset_gain,
    merging_outer,
    near_threshold,
    score_parts,
    use,
    uses_affine,
    uses_form,
    uses_paired,
    uses_quotient,
    uses_twists,
)
from .linked import MAX_SYMMETRY_P, lines_structure, table_structure
from .outer import NO_OUTER, Composition, certificate_outer

__all__ = ["model_score"]


def model_score(
    table: object,
    alpha: float,
    learnable: bool | None,
    fallback: float,
    certificate: dict[str, Any] | None = None,
    composed: Composition | None = None,
    parameters: Parameters | None = None,
) -> tuple[float, str]:
    """Verdict.score from the model, and a note naming the structure it used.

    ``certificate``: the verdict's, whose outer function (`certificate_outer`) moves the
    threshold of a learnable table. ``composed``: for a table that is not learnable, the
    polynomial's ``f = h(q)`` (`outer.composition`), whose merging h delays the symmetries'
    use when ``q`` has no one-input twist. Tables of other than two variables keep
    ``fallback`` (the ideal-learner coverage); above `MAX_SYMMETRY_P` neither symmetries,
    twists nor outer functions are computed. ``parameters``: the model's (default
    graded.USE_PARAMETERS; the calibration scripts pass earlier models').
    """
    T = np.asarray(table, dtype=np.int64)
    if T.ndim != 2 or T.shape[0] != T.shape[1]:
        return fallback, ""
    p = T.shape[0]
    small = p <= MAX_SYMMETRY_P
    S = table_structure(T) if small else lines_structure(T)
    if not small:
        outer = NO_OUTER
    elif learnable:
        outer = certificate_outer(certificate)
    else:
        outer = merging_outer(composed)
    lines = S.coverage(alpha, lines_only=True)
    sym = max(S.coverage(alpha, seen=SEEN), lines)
    twisted = max(S.coverage(alpha, seen=SEEN, twisted=True), sym)
    higher, twist, paired = S.higher_order_gain, S.twist_gain, S.paired_twists
    quotient = S.quotient_alpha(alpha)
    form = S.homogeneous_on_axes
    affine = S.coset_coverage(alpha) if not learnable else 0.0
    order = S.coset.order if S.coset is not None else 0
    parts = score_parts(
        S.majority_share,
        lines,
        sym,
        alpha,
        p,
        bool(learnable),
        parameters,
        gain=S.gain,
        outer=outer,
        higher=higher,
        twisted=twisted,
        twist=twist,
        paired=paired,
        quotient=quotient,
        homogeneous=form,
        affine=affine,
        affine_order=order,
    )
    score, low, high = parts.score, parts.low, parts.high
    lines_use = use("lines", alpha, p, parameters)
    partial = f"coverage {lines:.2f} from repeated rows/columns (use {lines_use:.2f})"
    if learnable:
        used = f"decomposition (use {parts.use:.2f}"
        used += f"; {outer.describe()}" if outer != NO_OUTER else ""
        used += f"), else {partial}"
    else:
        used = (
            f"{S.describe()}; {partial}, {sym:.2f} with symmetry orbits and twists "
            f"(>= {SEEN} partners seen; class/fibre gain {S.gain:.2f}"
        )
        if higher > 1.0:
            used += f", {higher:.2f} of it from symmetries of order > 2, learned later"
        if quotient > alpha + 0.005 and uses_quotient(parameters):
            used += (
                f"; they link fibres of repeated rows/columns, of which training covers "
                f"{quotient:.2f}, and are used as at that fraction"
            )
        if twist > 1.0 and paired and uses_paired(parameters):
            used += (
                f"; {twisted:.2f} with the twists of higher order too, which move both inputs "
                f"(classes {twist:.2f} times larger, counted in the gain)"
            )
        elif twist > 1.0 and uses_twists(parameters):
            used += (
                f"; {twisted:.2f} with the twists of higher order too (classes {twist:.2f} "
                "times larger), learned later"
            )
        if S.homogeneous is not None and form and uses_form(parameters):
            used += f"; {S.homogeneous.describe()}: learned earlier"
        if S.coset is not None and affine > 0 and uses_affine(parameters, order):
            g = float(coset_gain(order, p))
            u = use("affine", alpha, p, parameters, g)
            used += f"; {S.coset.describe(p)}, {g:.0f} lines per scale up to sign: coverage "
            used += f"{affine:.2f}, use {u:.2f}, late"
        used += f"; use {parts.use:.2f}"
        if composed is not None and outer != NO_OUTER:
            used += f"; f = h(q) with h(t) = {composed.h_text()} merging values of q"
            used += f" (value collapse {outer.collapse:.2f}), learned later"
        used += ")"
    note = (
        f"graded score {score:.2f} at alpha={alpha:g}, p={p} "
        f"(majority share {S.majority_share:.2f}): {used}"
    )
    if near_threshold(
        alpha,
        p,
        bool(learnable),
        low,
        high,
        S.gain,
        parameters,
        outer=outer,
        higher=higher,
        twist=twist,
        paired=paired,
        quotient=quotient,
        homogeneous=form,
        affine=affine,
        affine_order=order,
    ):
        what = "decomposition" if learnable else "structure" if affine else "symmetries"
        note += (
            f"; near a threshold: single runs can end anywhere from about {low:.2f} "
            f"({what} unused) to {high:.2f} (fully used), and seeds can split; the score is "
            "their expected value"
        )
    return score, note

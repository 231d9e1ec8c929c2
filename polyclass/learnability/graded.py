"""The graded score: expected test accuracy of a trained 2-layer network at fraction alpha.

Model (fitted on the calibration study and the held-out sets drawn after it, each model
tested on the sets drawn after its fit; docs/src/calibration.md has every model's figures,
docs/src/concepts/learnability.md the measurements behind each term):

* structure: cells are *linked* by a symmetry of the table (`symmetry`), a fibre of the
  repeated rows and columns or a *one-input twist* of order 2 (`Twist`: ``f(-x + b, y) =
  -f + mu``); twists of higher order (``f(x, 7y) = 7 f`` at p = 19) link larger classes
  apart (``Structure.twisted_size``). A test cell is *inferable* when `SEEN` other cells
  of its class were in training: a binomial tail over the ``k - 1`` partners.
* coverage: the share of test cells an ideal learner of that structure gets right, with
  the majority class ``m`` on the rest: ``C_lines`` (repeated rows and columns), ``C_sym``
  (the symmetry orbits and twists of order 2 too), ``C_tw`` (the twists of higher order).
* use: a network realises part of each. With ``L = m + u_lines * (C_lines - m)``,
  ``score = L + u_sym * (C_sym - C_lines) + u_tw * (C_tw - C_sym)``, and for a certified
  decomposition ``score = L + u_dec * (1 - L)``. Each ``u = sigmoid(z * (p / 23)^s)``,
  ``z = b0 + b1 * (logit(alpha) + c_p * log(p)) + b_g * log(gain) + b_h * collapse + b_r *
  log(higher)``. Decomposition: ``gain`` the order of its outer h's affine stabiliser
  (`Outer`), ``collapse`` how much h merges values of the inner sum.
  Symmetries: ``gain`` is the mean ratio of a cell's class to its fibre, ``higher``
  (`Structure.higher_order_gain`) the factor of it that only symmetries of order > 2 give
  (used later: b_r < 0). ``u_tw`` is the symmetries' use with ``b_t * log(twist)`` added
  (`Structure.twist_gain`, b_t < 0); where the twists of higher order move both inputs
  (`Structure.paired_twists`) one use covers both terms, with ``b_p * log(twist)`` instead
  (`PAIRED_B_P`). A non-decomposable ``f = h(q)`` with h merging values and ``q`` without
  one-input twists (`merging_outer`) has its symmetries' use delayed by ``COMPOSED_B_H *
  collapse``. Where a symmetry links fibres of repeated lines the symmetries' use reads the
  fraction of the table of fibres training covers (`Structure.quotient_alpha`). A
  homogeneous form on its axes (`Structure.homogeneous_on_axes`: ``x y (x^2 + 2 x y + 3
  y^2)``) has ``b_z`` added to the symmetries' logit (check set K). A table that is not
  decomposable, whose lines are affine images of one bijection with scales in a coset
  (``C_aff``: `Structure.coset_coverage`), gets ``score + u_aff * max(C_aff - score, 0)``,
  ``u_aff`` reading the lines that share a scale up to sign (`coset_gain`; check sets L,
  M). ``u -> 1`` as ``alpha -> 1``; a table without structure scores ``m`` at every alpha.
* near a threshold (`near_threshold`) the note gives the range single runs can end in,
  from the structure unused to fully used.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from .linked import MAX_SYMMETRY_P, Structure, table_structure
from .outer import NO_OUTER, Composition, Outer, certificate_outer, outer_function
from .twists import Twist, coset_gain, one_input_twists

__all__ = [
    "MAX_SYMMETRY_P",
    "NO_OUTER",
    "COMPOSED_B_H",
    "PAIRED_B_P",
    "QUOTIENT_Q",
    "SEEN",
    "THRESHOLD_SHIFT",
    "USE_PARAMETERS",
    "Outer",
    "Parameters",
    "ScoreInputs",
    "ScoreParts",
    "Structure",
    "Twist",
    "certificate_outer",
    "merging_outer",
    "near_threshold",
    "one_input_twists",
    "outer_function",
    "parts_array",
    "score_array",
    "score_parts",
    "symmetry_alpha",
    "table_structure",
    "use",
    "use_array",
    "coset_gain",
    "uses_affine",
    "uses_form",
    "uses_paired",
    "uses_quotient",
    "uses_twists",
]

FloatArray = npt.NDArray[np.float64]
#: Per kind: (b0, b1, c_p, b_g[, b_h[, b_r[, s[, b_t[, b_p[, q[, b_z]]]]]]]); a missing b_h,
#: b_r, s or b_z is 0 (earlier models); without the symmetries' b_t the twists of higher
#: order are unused, without b_p those on both inputs count as those on one, without q the
#: symmetries read alpha itself, without a kind "affine" the coset lines are unused.
Parameters = dict[str, tuple[float, ...]]
#: The prime at which the sharpness factor ``(p / SHARPNESS_P)^s`` is 1.
SHARPNESS_P = 23.0

#: b_p of the symmetries' use, in place of b_t where twists of higher order move both inputs
#: (`Structure.paired_twists`): fixed in fit.py (check set H, docs/src/calibration.md).
PAIRED_B_P = 4.096

#: q of the symmetries' use: the weight of `symmetry_alpha`'s fraction (fixed, not fitted).
QUOTIENT_Q = 1.0

#: (b0, b1, c_p, b_g, b_h, b_r, s[, b_t, b_p, q, b_z]) of the use per kind, fitted by
#: benchmarks/calibration_study/fit.py on every case of the study, of the held-out sets
#: fresh to twenty-seventh and of check set F (3,560 cases, 2026-12-03; b_p = PAIRED_B_P
#: and q = QUOTIENT_Q fixed, b_z tested on check set K), and the coset lines' "affine" with
#: the others fixed (``fit.py --affine``: the flagged cases of those sets and check sets L
#: and M, 143 cases, 2026-12-03); docs/src/calibration.md names the sets that test each.
#: Fixed: b_h = 0 for "lines", COMPOSED_B_H for "symmetry"; b_r = 0 but for "symmetry";
#: b_g = 0 and c_p = 1/3 for "lines"; b_h = b_r = 0 for "affine" (its 1: odd orders used).
USE_PARAMETERS: Parameters = {
    "decomposable": (-32.996, 9.338, 1.338, 11.020, -31.864, 0.000, 0.480),
    "lines": (-0.600, 2.475, 1 / 3, 0.000, 0.000, 0.000, 0.801),
    "symmetry": (
        *(-16.652, 4.128, 0.606, 4.144, -24.0, -2.261, 0.437, -0.417),
        *(PAIRED_B_P, QUOTIENT_Q, 0.742),
    ),
    "affine": (-26.636, 2.310, 1.564, 6.623, 0.000, 0.000, 0.965, 1.0),
}
#: b_h of the symmetries' use: the delay of a merging outer h of ``f = h(q)``
#: (`merging_outer`; check sets A to D, docs/src/calibration.md); fit.py keeps it fixed.
COMPOSED_B_H = USE_PARAMETERS["symmetry"][4]


#: Training partners a test cell needs in its symmetry class (1, 2 or 3: fit.py chose 1).
SEEN = 1


def use_array(
    kind: str,
    alpha: Any,
    p: Any,
    parameters: Parameters | None = None,
    gain: Any = 1.0,
    collapse: Any = 0.0,
    higher: Any = 1.0,
    twist: Any = 1.0,
    paired: Any = 1.0,
    form: Any = 0.0,
) -> FloatArray:
    """`use` element by element over arrays (numbers broadcast)."""
    b0, b1, c_p, b_g, *rest = (parameters or USE_PARAMETERS)[kind]
    b_h, b_r, s, b_t, b_p, _, b_z = (*rest, *(0.0,) * 7)[:7]
    a = np.clip(np.asarray(alpha, dtype=np.float64), 1e-12, 1 - 1e-12)
    primes = np.asarray(p, dtype=np.float64)
    z = b0 + b1 * (np.log(a / (1 - a)) + c_p * np.log(primes))
    z = z + b_g * np.log(np.maximum(gain, 1.0)) + b_h * np.asarray(collapse, dtype=np.float64)
    z = z + b_r * np.log(np.maximum(higher, 1.0)) + b_t * np.log(np.maximum(twist, 1.0))
    z = z + b_p * np.log(np.maximum(paired, 1.0)) + b_z * np.asarray(form, dtype=np.float64)
    z = z * (primes / SHARPNESS_P) ** s
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -700.0, 700.0))), dtype=np.float64)


def use(
    kind: str,
    alpha: float,
    p: int,
    parameters: Parameters | None = None,
    gain: float = 1.0,
    collapse: float = 0.0,
    higher: float = 1.0,
    twist: float = 1.0,
    paired: float = 1.0,
    form: float = 0.0,
) -> float:
    """Fitted share (0..1) of a kind of structure that a network realises."""
    args = (gain, collapse, higher, twist, paired, form)
    return float(use_array(kind, alpha, p, parameters, *args))


def uses_twists(parameters: Parameters | None = None) -> bool:
    """Whether the symmetries' parameters use the twists of higher order (have a b_t)."""
    return len((parameters or USE_PARAMETERS)["symmetry"]) > 7


def uses_quotient(parameters: Parameters | None = None) -> bool:
    """Whether the symmetries' use reads `symmetry_alpha` (has a q)."""
    return len((parameters or USE_PARAMETERS)["symmetry"]) > 9


def symmetry_alpha(alpha: Any, quotient: Any, parameters: Parameters | None = None) -> FloatArray:
    """The training fraction the symmetries' use reads: with logits,
    ``logit = (1 - q) logit(alpha) + q logit(quotient)``, ``quotient`` the fraction of the
    cells of the table of fibres of repeated rows and columns that training covers where a
    symmetry links fibres (`Structure.quotient_alpha`); ``alpha`` for parameters without q."""
    a = np.clip(np.asarray(alpha, dtype=np.float64), 1e-12, 1 - 1e-12)
    if not uses_quotient(parameters):
        return a
    q = (parameters or USE_PARAMETERS)["symmetry"][9]
    k = np.clip(np.asarray(quotient, dtype=np.float64), 1e-12, 1 - 1e-12)
    z = (1 - q) * np.log(a / (1 - a)) + q * np.log(k / (1 - k))
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def uses_form(parameters: Parameters | None = None) -> bool:
    """Whether the symmetries' use reads `Structure.homogeneous_on_axes` (has a b_z)."""
    return len((parameters or USE_PARAMETERS)["symmetry"]) > 10


def uses_affine(parameters: Parameters | None = None, order: Any = 2) -> Any:
    """Whether the parameters use coset lines of order ``order``: with an "affine" kind, even
    orders, and odd ones too where it has an eighth number (the seventeenth had none)."""
    kind = (parameters or USE_PARAMETERS).get("affine")
    even = np.asarray(order) % 2 == 0
    return np.zeros_like(even) if kind is None else even | (len(kind) > 7)


def uses_paired(parameters: Parameters | None = None) -> bool:
    """Whether twists of higher order on both inputs count as symmetries (have a b_p)."""
    return len((parameters or USE_PARAMETERS)["symmetry"]) > 8


class ScoreParts(NamedTuple):
    """The score as ``low + use * (high - low)``: ``low`` the accuracy with the structure
    unused, ``high`` with it fully used, ``use`` its fitted use."""

    use: float
    low: float
    high: float

    @property
    def score(self) -> float:
        return float(self.low + self.use * (self.high - self.low))


class ScoreInputs(NamedTuple):
    """What the score reads, one array entry per case (`score_inputs` from study rows)."""

    majority: FloatArray
    lines: FloatArray  # coverage by repeated rows and columns
    symmetry: FloatArray  # coverage with the symmetry classes (>= lines)
    alpha: FloatArray
    p: FloatArray
    decomposable: npt.NDArray[np.bool_]
    gain: FloatArray  # class/fibre gain of the symmetries
    stabiliser: FloatArray  # of the decomposition's outer function (Outer)
    collapse: FloatArray
    higher: FloatArray  # the gain's factor from symmetries of order > 2 (Structure)
    twisted: FloatArray  # coverage with the twists of higher order too (>= symmetry)
    twist: FloatArray  # the classes' factor from the twists of higher order (Structure)
    paired: npt.NDArray[np.bool_]  # twists of higher order on both inputs (Structure)
    #: the fraction of the table of repeated lines training covers (Structure.quotient_alpha;
    #: None: alpha)
    quotient: FloatArray | None = None
    #: a homogeneous form on its axes without higher-order symmetries (None: none)
    homogeneous: npt.NDArray[np.bool_] | None = None
    #: coverage by coset lines (Structure.coset_coverage; 0 or None: none) and the order
    #: of their coset (CosetLines.order; 0 or None: none)
    affine: FloatArray | None = None
    affine_order: FloatArray | None = None


def parts_array(
    data: ScoreInputs, parameters: Parameters | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(use, low, high) of every case: the model's one formula (module docstring). Where
    the twists of higher order add classes, ``use`` is the two uses' mean weighted by the
    coverage each adds; where they move both inputs (`Structure.paired_twists`, with a
    b_p), one use of the symmetries with ``b_p * log(twist)`` in place of ``b_t``."""
    lines_use = use_array("lines", data.alpha, data.p, parameters)
    low = data.majority + lines_use * (data.lines - data.majority)
    decomposition = use_array(
        "decomposable", data.alpha, data.p, parameters, data.stabiliser, data.collapse
    )
    at = data.alpha if data.quotient is None else data.quotient
    sym_alpha = symmetry_alpha(data.alpha, at, parameters)
    args = (sym_alpha, data.p, parameters, data.gain, data.collapse, data.higher)
    form = 0.0 if data.homogeneous is None else data.homogeneous
    symmetry = use_array("symmetry", *args, form=form)
    added = data.symmetry - data.lines
    if uses_twists(parameters):
        extra = np.maximum(data.twisted - data.symmetry, 0.0)
        twisted = use_array("symmetry", *args, data.twist, form=form)
        both = added + extra
        symmetry = np.where(
            both > 0, (symmetry * added + twisted * extra) / np.where(both > 0, both, 1), symmetry
        )
        if uses_paired(parameters):
            paired = use_array("symmetry", *args, paired=data.twist, form=form)
            symmetry = np.where(data.paired, paired, symmetry)
        added = both
    u = np.where(data.decomposable, decomposition, symmetry)
    high = np.where(data.decomposable, 1.0, low + added)
    order = 0.0 if data.affine_order is None else data.affine_order
    used = uses_affine(parameters, order)
    if data.affine is not None and np.any(used):
        flagged = ~data.decomposable & (data.affine > 0) & used
        before = low + u * (high - low)
        gain = coset_gain(order, data.p)
        u_aff = use_array("affine", data.alpha, data.p, parameters, gain)
        after = before + u_aff * np.maximum(data.affine - before, 0.0)
        high = np.where(flagged, np.maximum(high, data.affine), high)
        span = np.where(high > low, high - low, 1.0)
        u = np.where(flagged & (high > low), (after - low) / span, u)
    return u, low, high


def score_array(data: ScoreInputs, parameters: Parameters | None = None) -> FloatArray:
    """The score of every case of ``data``."""
    u, low, high = parts_array(data, parameters)
    return np.asarray(low + u * (high - low), dtype=np.float64)


def score_parts(
    majority: float,
    lines: float,
    symmetry: float,
    alpha: float,
    p: int,
    decomposable: bool,
    parameters: Parameters | None = None,
    gain: float = 1.0,
    outer: Outer = NO_OUTER,
    higher: float = 1.0,
    twisted: float | None = None,
    twist: float = 1.0,
    paired: bool = False,
    quotient: float | None = None,
    homogeneous: bool = False,
    affine: float = 0.0,
    affine_order: int = 0,
) -> ScoreParts:
    """The score's parts from the majority share and the coverages (its value:
    ``.score``); ``gain`` and ``higher`` move the symmetries' use, ``outer`` the
    decomposition's (and a merging h's delay of the symmetries); ``twisted``: the coverage
    with the twists of higher order too (default ``symmetry``), ``twist`` their factor,
    ``paired`` whether they move both inputs; ``quotient`` the fraction of the table of
    repeated lines training covers (`Structure.quotient_alpha`, default ``alpha``);
    ``homogeneous``: `Structure.homogeneous_on_axes`; ``affine``: `Structure.coset_coverage`,
    ``affine_order`` the coset's order (`CosetLines.order`)."""
    full = symmetry if twisted is None else twisted
    values = (majority, lines, symmetry, alpha, p, decomposable, gain, outer.stabiliser)
    at = alpha if quotient is None else quotient
    more = (outer.collapse, higher, full, twist, paired, at, homogeneous, affine, affine_order)
    data = ScoreInputs(*(np.array([v]) for v in values + more))
    u, low, high = parts_array(data, parameters)
    return ScoreParts(float(u[0]), float(low[0]), float(high[0]))


#: How far (in alpha) the study saw a threshold sit from where the model puts it: between
#: primes and between tables of one group order it moves by about this much.
THRESHOLD_SHIFT = 0.1


def near_threshold(
    alpha: float,
    p: int,
    decomposable: bool,
    low: float,
    high: float,
    gain: float = 1.0,
    parameters: Parameters | None = None,
    outer: Outer = NO_OUTER,
    higher: float = 1.0,
    twist: float = 1.0,
    paired: bool = False,
    quotient: float | None = None,
    homogeneous: bool = False,
    affine: float = 0.0,
    affine_order: int = 0,
) -> bool:
    """Whether the score is near a threshold: more than 0.2 between structure unused
    (``low``) and fully used (``high``), and a use (of the symmetries, or of the twists of
    higher order, factor ``twist``, on both inputs when ``paired``) that would cross the
    band 0.1..0.9 if the threshold moved by ``THRESHOLD_SHIFT`` in the fraction it reads
    (alpha, or for the symmetries `symmetry_alpha` of ``quotient``), or, with coset lines of
    coverage ``affine``, a use of them that would. There the calibration study saw its
    largest errors and, rarely, seeds that split (docs/src/calibration.md)."""
    if affine - low > 0.2 and not decomposable and uses_affine(parameters, affine_order):
        g = float(coset_gain(affine_order, p))
        below = use("affine", alpha - THRESHOLD_SHIFT, p, parameters, g)
        if below < 0.9 and use("affine", alpha + THRESHOLD_SHIFT, p, parameters, g) > 0.1:
            return True
    if not decomposable:
        at = alpha if quotient is None else quotient
        alpha = float(symmetry_alpha(alpha, at, parameters))
    kind, g, c, r, z = (
        ("decomposable", outer.stabiliser, outer.collapse, 1.0, 0.0)
        if decomposable
        else ("symmetry", gain, outer.collapse, higher, float(homogeneous))
    )
    twists = [(1.0, 1.0)]  # (factor of b_t, factor of b_p)
    if twist > 1.0 and not decomposable and uses_twists(parameters):
        twists = [(1.0, twist)] if paired and uses_paired(parameters) else twists + [(twist, 1.0)]
    for t, q in twists:
        below = use(kind, alpha - THRESHOLD_SHIFT, p, parameters, g, c, r, t, q, z)  # clamped
        above = use(kind, alpha + THRESHOLD_SHIFT, p, parameters, g, c, r, t, q, z)
        if high - low > 0.2 and below < 0.9 and above > 0.1:
            return True
    return False


def merging_outer(composed: Composition | None) -> Outer:
    """The `Outer` that delays the symmetries' use of ``f = h(q)``: h's when it merges
    values and ``q`` has no one-input twist, else `NO_OUTER`. Where ``q`` has a twist the
    study's networks learned ``h(q)`` about as its own symmetries say (``(x^3 y + x y^3)^2
    + x^3 y + x y^3``: 0.50 / 0.80 / 0.95 at p = 23, alpha = 0.7 / 0.8 / 0.9), where it has
    none far later (``(x^2 + xy + y^2)^2``: 0.11 / 0.28 / 0.69)."""
    if composed is None or not composed.merges or one_input_twists(composed.inner):
        return NO_OUTER
    return composed.outer

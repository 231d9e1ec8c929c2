"""The graded score of rows of the calibration study's CSV
(benchmarks/calibration_study/study.csv, written by features.py): what fit.py fits and
benchmarks/calibration.py tests, read through `polyclass.learnability.graded`'s one formula.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .graded import (
    NO_OUTER,
    SEEN,
    FloatArray,
    Outer,
    Parameters,
    ScoreInputs,
    near_threshold,
    parts_array,
    score_array,
)

__all__ = ["row_near_threshold", "row_score", "score_inputs"]


def row_near_threshold(
    row: dict[str, Any], parameters: Parameters | None = None, twists: bool = True
) -> bool:
    """`near_threshold` for one row of the study CSV."""
    data = score_inputs([row], twists=twists)
    _, low, high = parts_array(data, parameters)
    outer = Outer(int(data.stabiliser[0]), float(data.collapse[0]))
    return near_threshold(
        float(data.alpha[0]),
        int(data.p[0]),
        bool(data.decomposable[0]),
        float(low[0]),
        float(high[0]),
        float(data.gain[0]),
        parameters,
        outer,
        float(data.higher[0]),
        float(data.twist[0]),
        bool(data.paired[0]),
        None if data.quotient is None else float(data.quotient[0]),
        data.homogeneous is not None and bool(data.homogeneous[0]),
        0.0 if data.affine is None else float(data.affine[0]),
        0 if data.affine_order is None else int(data.affine_order[0]),
    )


def score_inputs(rows: list[dict[str, Any]], seen: int = SEEN, twists: bool = True) -> ScoreInputs:
    """`ScoreInputs` of rows of the study CSV (features.py): the symmetry coverage with
    ``seen`` partners (column ``coverage``, ``coverage2``, ...); ``twists=False``: the
    coverage and gain without the one-input twists (columns ``coverage_untwisted``,
    ``gain_untwisted``; ``seen`` 1 only), as the models fitted before them read the table.
    The coverage with the twists of higher order too (``coverage_twisted``, stored for
    ``seen`` 1 only: with more partners, or an empty column, it adds nothing), their factor
    (``twist_gain``), whether they move both inputs (``paired_twists``) and the fraction of
    the table of repeated lines training covers (``quotient_alpha``; empty: alpha), whether
    it is a homogeneous form on its axes (``homogeneous_on_axes``; empty: no) and the
    coverage by coset lines and their coset's order (``affine_coverage``, ``affine_order``;
    empty: none). An empty
    ``gain`` is 1 and empty outer columns are `NO_OUTER`
    (no decomposition over one cyclic group)."""
    column = "coverage" if seen == 1 else f"coverage{seen}"
    gain = "gain"
    if not twists:
        if seen != 1:
            raise ValueError("the untwisted coverage is stored for seen = 1 only")
        column, gain = "coverage_untwisted", "gain_untwisted"

    def numbers(key: str, empty: float = 0.0) -> FloatArray:
        return np.array([float(r.get(key) or empty) for r in rows], dtype=np.float64)

    lines = numbers("lines")
    symmetry = np.maximum(numbers(column), lines)
    twisted = (
        np.maximum(numbers("coverage_twisted"), symmetry) if column == "coverage" else symmetry
    )
    return ScoreInputs(
        majority=numbers("majority"),
        lines=lines,
        symmetry=symmetry,
        alpha=numbers("alpha"),
        p=numbers("p"),
        decomposable=np.array([str(r["learnable"]) == "1" for r in rows]),
        gain=numbers(gain, 1.0),
        stabiliser=numbers("outer_stabiliser", NO_OUTER.stabiliser),
        collapse=numbers("outer_collapse", NO_OUTER.collapse),
        higher=numbers("higher_gain", 1.0),
        twisted=twisted,
        twist=numbers("twist_gain", 1.0),
        paired=numbers("paired_twists") > 0,
        quotient=np.array(
            [float(r.get("quotient_alpha") or r["alpha"]) for r in rows], dtype=np.float64
        ),
        homogeneous=numbers("homogeneous_on_axes") > 0,
        affine=numbers("affine_coverage"),
        affine_order=numbers("affine_order"),
    )


def row_score(
    row: dict[str, Any],
    parameters: Parameters | None = None,
    seen: int = SEEN,
    twists: bool = True,
) -> float:
    """The score of one row of the study CSV (``twists``: see `score_inputs`)."""
    return float(score_array(score_inputs([row], seen, twists), parameters)[0])

"""Check set J: are quadratic tables learned later than their symmetries say?

    PYTHONPATH=. python benchmarks/calibration_study/quadratic_check.py             # report
    PYTHONPATH=. python benchmarks/calibration_study/quadratic_check.py --predict   # predictions
    PYTHONPATH=. python benchmarks/calibration_study/quadratic_check.py --run --db j.sqlite

At p = 23 and alpha = 0.7 the quadratic forms with a group of order 4 (``x^2 + x y + y^2``,
0.41) were learned later than scored (0.56-0.58) and the quartics ``x y (a x^2 + b x y +
c y^2)`` with such a group earlier (0.70-0.95, scored 0.58-0.62). shape_trial.py fitted a
term ``b * quadratic`` in the symmetries' use (1 for a table whose polynomial of lowest
degree has total degree 2, `shape_trial.table_degree`; b = -1, the other parameters
refitted: TRIAL_PARAMETERS). The held-out sets hold no quadratic table that is not
decomposable (their quadratic draws were skipped as relabellings of earlier tables), so set
J asks it directly: 6 ``quadratic`` tables ``a x^2 + b x y + c y^2`` and 4 ``quartic``
tables ``x y (a x^2 + b x y + c y^2)`` (coefficients 1 to 4; ``draw`` from a fixed seed,
``eligible``: at both primes not learnable, no merging outer function, a symmetry gain
above 1.5, and at p = 23 no affine relabelling of an earlier table of the set), at p = 23
and 29, alpha 0.5, 0.7 and 0.9. The predictions (``quadratic/set_j_predictions.txt``: the
score as shipped and the trial's) were committed before any run.

Every case: seeds 0 and 1, the recipe of the composed check sets (composed.py: cap 4000,
settle window 100 evaluations, width 128 at p = 23 and 500 at p = 29). The report reads
``quadratic/runs.csv`` (``--store DB`` merges a database into it) and prints, per prime,
group and alpha, the mean observed accuracy against the models' mean score, then every
model's errors.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import composed  # noqa: E402
import equivalent  # noqa: E402
import shape_trial  # noqa: E402
import study  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability import graded  # noqa: E402

HERE = Path(__file__).parent / "quadratic"
RUNS = HERE / "runs.csv"
PREDICTIONS = HERE / "set_j_predictions.txt"
PRIMES = (23, 29)
ALPHAS = (0.5, 0.7, 0.9)
SEED = "polyclass-quadratic-check-j-2026-12-03"
#: The trial's b (shape_trial.py --feature quadratic, fitted on all fitted sets).
TRIAL_B = -1.0
#: The trial's other parameters, fitted with it (cp_rank.best_fit on fit.FITTED_HALVES and
#: check set F with shape_trial's flags, 2026-12-03).
TRIAL_PARAMETERS: graded.Parameters = {
    "decomposable": (-34.378, 9.760, 1.334, 11.593, -32.797, 0.000, 0.219),
    "lines": (-0.731, 2.527, 1 / 3, 0.000, 0.000, 0.000, 0.838),
    "symmetry": (
        *(-17.684, 4.183, 0.645, 4.616, -24.0, -2.862, 0.467, -0.211),
        *(graded.PAIRED_B_P, graded.QUOTIENT_Q),
    ),
}
#: The report's columns: the score as shipped; the trial's.
MODELS = ("score", "trial")
#: group: polynomials as typed (from ``draw(kind, count)``)
SET_J: dict[str, tuple[str, ...]] = {
    "quadratic": (
        "x^2 + 4*x*y + y^2",
        "2*x^2 + x*y + 2*y^2",
        "3*x^2 + 4*x*y + 3*y^2",
        "2*x^2 + 2*x*y + 2*y^2",
        "4*x^2 + x*y + 4*y^2",
        "x^2 + 4*x*y + 2*y^2",
    ),
    "quartic": (
        "4*x^3*y + 4*x^2*y^2 + 2*x*y^3",
        "2*x^3*y + 3*x^2*y^2 + 4*x*y^3",
        "x^3*y + x^2*y^2 + 3*x*y^3",
        "4*x^3*y + 2*x^2*y^2 + 2*x*y^3",
    ),
}
#: Monomials of each group: a x^2 + b x y + c y^2, and x y times that.
MONOMIALS = {
    "quadratic": ((2, 0), (1, 1), (0, 2)),
    "quartic": ((3, 1), (2, 2), (1, 3)),
}


def draw(kind: str, count: int, seed: str = SEED) -> list[str]:
    """The first ``count`` eligible polynomials of a seeded random stream: the group's three
    monomials with coefficients 1 to 4, none an affine relabelling at p = 23 of an earlier
    one (the same learning problem)."""
    rng = random.Random(f"{seed}-{kind}")
    found: list[str] = []
    while len(found) < count:
        text = study._poly({m: rng.randint(1, 4) for m in MONOMIALS[kind]})
        if text in found or not eligible(text):
            continue
        T = equivalent.table(text, 23)
        if not any(equivalent._equivalent(T, equivalent.table(t, 23)) for t in found):
            found.append(text)
    return found


def eligible(text: str) -> bool:
    """At every prime of the set: not learnable, no outer function merging values, a
    symmetry gain above 1.5."""
    return all(composed.symmetric_unlearnable(text, p) for p in PRIMES)


def trial_score(text: str, p: int, alpha: float) -> float:
    """The trial's score: ``TRIAL_B * quadratic`` in the symmetries' use, TRIAL_PARAMETERS
    (`shape_trial.trial_score`)."""
    return shape_trial.trial_score("quadratic", TRIAL_B, TRIAL_PARAMETERS, text, p, alpha)


def predictions(text: str, p: int, alpha: float) -> tuple[float, float]:
    """(the score as shipped when the set ran, `Verdict.score` under
    composed.FIFTEENTH_PARAMETERS; the trial's)."""
    shipped = composed.score_of(text, p, alpha, composed.FIFTEENTH_PARAMETERS)
    return shipped, trial_score(text, p, alpha)


def predict() -> None:
    """The predictions committed before the runs."""
    print("Set J predictions (score as shipped, the quadratic trial), before any run")
    for p in PRIMES:
        for kind, polys in SET_J.items():
            for text in polys:
                S = graded.table_structure(pc.parse(f"{text} mod {p}").table())
                for alpha in ALPHAS:
                    now, trial = predictions(text, p, alpha)
                    print(
                        f"p={p} {kind:9} {text:28} alpha={alpha:.2f} score {now:.2f} "
                        f"trial {trial:.2f} (group {S.group.order}, gain {S.gain:.2f})"
                    )


def main() -> None:
    composed.check_set_main(__doc__, "J", PRIMES, ALPHAS, SET_J, RUNS, predict, predictions, MODELS)


if __name__ == "__main__":
    main()

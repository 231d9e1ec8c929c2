"""Check set I: are symmetries that link fibres of repeated rows and columns used at the
fraction of the table of fibres that training covers?

    PYTHONPATH=. python benchmarks/calibration_study/quotient_check.py             # report
    PYTHONPATH=. python benchmarks/calibration_study/quotient_check.py --predict   # predictions
    PYTHONPATH=. python benchmarks/calibration_study/quotient_check.py --run --db i.sqlite

The nineteenth session made the symmetries' use read `Structure.quotient_alpha` in place
of alpha (graded.QUOTIENT_Q): where a symmetry maps a cell's fibre of repeated rows and
columns to other fibres, the fraction of the table of fibres that training covers, ``1 -
(1 - alpha)^k`` for a fibre of ``k`` cells. The form was chosen on the nineteenth to
twenty-third held-out sets (their even quartics), and the twenty-fourth set, drawn after
it, has no table it touches. Set I asks it directly: 8 tables whose symmetries link
fibres (``linked``: repeated rows or columns, ``quotient_alpha(0.5)`` above 0.55) and 4
whose gain over their fibres comes from one-input twists alone (``twisted``: repeated
lines, gain above 1.5, ``quotient_alpha`` equal to alpha), 2-3 monomials ``x^i y^j`` of
total degree 2 to 6 with coefficients 1 to 4 and every ``i`` even (rows ``x`` and ``-x``
equal), not decomposable, no merging outer function, at p = 23 and 29 (``draw`` from a
fixed seed, ``eligible``), alpha 0.3, 0.5 and 0.7. The predictions
(``quotient/set_i_predictions.txt``: the score as shipped, the same parameters without
q, and the fourteenth model) were committed before any run.

Every case: seeds 0 and 1, the recipe of the composed check sets (composed.py: cap 4000,
settle window 100 evaluations, width 128 at p = 23 and 500 at p = 29). The report reads
``quotient/runs.csv`` (``--store DB`` merges a database into it) and prints, per prime,
group and alpha, the mean observed accuracy against the models' mean score, then every
model's errors.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import composed  # noqa: E402
import study  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability import graded  # noqa: E402

HERE = Path(__file__).parent / "quotient"
RUNS = HERE / "runs.csv"
PREDICTIONS = HERE / "set_i_predictions.txt"
PRIMES = (23, 29)
ALPHAS = (0.3, 0.5, 0.7)
SEED = "polyclass-quotient-check-i-2026-12-03"
#: The shipped parameters without q (the symmetries read alpha itself).
WITHOUT_Q = {k: v[:9] for k, v in composed.FIFTEENTH_PARAMETERS.items()}
#: The report's columns: the score as shipped; the same parameters without q; the model
#: shipped before q (composed.FOURTEENTH_PARAMETERS).
MODELS = ("score", "no q", "fourteenth")
#: group: polynomials as typed (from ``draw(kind, count)``)
SET_I: dict[str, tuple[str, ...]] = {
    "linked": (
        "2*x^4*y^2 + 2*x^2*y^4",
        "3*x^4 + 3*x^2*y^2 + y^4",
        "3*x^4 + 2*x^2*y^2 + 3*y^4",
        "4*x^4 + 4*x^2*y^2 + 3*y^4",
        "4*x^6 + x^2*y^2 + 4*y^6",
        "2*x^6 + 3*x^2*y^2 + 3*y^6",
        "x^6 + 4*x^2*y^2 + y^6",
        "4*x^4*y^2 + x^2*y^4",
    ),
    "twisted": (
        "x^4*y + 3*x^2*y + y^5",
        "4*x^2*y + 2*y^5",
        "3*x^4*y + 3*y^3",
        "x^2*y^3 + 3*y^5 + 3*y^3",
    ),
}


def draw(kind: str, count: int, seed: str = SEED) -> list[str]:
    """The first ``count`` eligible polynomials of a seeded random stream: 2-3 monomials
    ``x^i y^j`` (``i`` even, total degree 2 to 6, coefficients 1 to 4), none a multiple of
    an earlier one at a prime of the set (the same table with its values relabelled)."""
    rng = random.Random(f"{seed}-{kind}")
    pool = [(i, j) for i in range(0, 7, 2) for j in range(0, 7) if 2 <= i + j <= 6]
    found: list[dict[tuple[int, int], int]] = []
    while len(found) < count:
        monomials = rng.sample(pool, rng.randint(2, 3))
        terms = {m: rng.randint(1, 4) for m in monomials}
        if not any(_multiple(terms, t) for t in found) and eligible(study._poly(terms), kind):
            found.append(terms)
    return [study._poly(t) for t in found]


def _multiple(a: dict[tuple[int, int], int], b: dict[tuple[int, int], int]) -> bool:
    """Whether ``a = c b`` mod some prime of the set, for a number ``c``."""
    if set(a) != set(b):
        return False
    keys = sorted(a)
    return any(len({a[k] * pow(b[k], -1, p) % p for k in keys}) == 1 for p in PRIMES)


def eligible(text: str, kind: str) -> bool:
    """At every prime of the set: not learnable, repeated rows or columns, no outer function
    merging values; ``linked``: no one-input twist and ``quotient_alpha(0.5)`` above 0.55;
    ``twisted``: a gain above 1.5 and ``quotient_alpha(0.5)`` equal to 0.5."""
    for p in PRIMES:
        found = composed.unlearnable(text, p)
        if found is None:
            return False
        P, S = found
        if not (S.repeated_rows or S.repeated_columns) or composed.merging(P):
            return False
        q = S.quotient_alpha(0.5)
        if kind == "linked" and (S.twists or q <= 0.55):
            return False
        if kind == "twisted" and (S.gain <= 1.5 or q != 0.5):
            return False
    return True


def predictions(text: str, p: int, alpha: float) -> tuple[float, float, float]:
    """(the score as shipped when the set ran, `Verdict.score` under
    composed.FIFTEENTH_PARAMETERS; the same parameters without q; the fourteenth model)."""
    return (
        composed.score_of(text, p, alpha, composed.FIFTEENTH_PARAMETERS),
        composed.score_of(text, p, alpha, WITHOUT_Q),
        composed.score_of(text, p, alpha, composed.FOURTEENTH_PARAMETERS),
    )


def predict() -> None:
    """The predictions committed before the runs."""
    print("Set I predictions (score as shipped, no q, fourteenth model), before any run")
    for p in PRIMES:
        for kind, polys in SET_I.items():
            for text in polys:
                P = pc.parse(f"{text} mod {p}", variables=("x", "y"))
                S = graded.table_structure(P.table())
                for alpha in ALPHAS:
                    now, without, before = predictions(text, p, alpha)
                    print(
                        f"p={p} {kind:7} {text:36} alpha={alpha:.2f} score {now:.2f} "
                        f"no_q {without:.2f} fourteenth {before:.2f} (quotient "
                        f"{S.quotient_alpha(alpha):.2f}, gain {S.gain:.2f})"
                    )


def main() -> None:
    composed.check_set_main(__doc__, "I", PRIMES, ALPHAS, SET_I, RUNS, predict, predictions, MODELS)


if __name__ == "__main__":
    main()

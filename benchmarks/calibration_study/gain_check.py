"""Check set N: does the lines-per-scale gain place the coset lines' threshold?

    PYTHONPATH=. python benchmarks/calibration_study/gain_check.py             # report
    PYTHONPATH=. python benchmarks/calibration_study/gain_check.py --predict   # predictions
    PYTHONPATH=. python benchmarks/calibration_study/gain_check.py --run --db n.sqlite

The eighteenth model (graded.py, fitted with check sets L and M: ``fit.py --affine``)
reads, for a table whose lines are affine images of one bijection with scales in a coset
of the units (`twists.coset_lines`), the lines that share a line's scale up to sign,
``g`` (`twists.coset_gain`): two stayed at chance at alpha 0.9, four were learned from
about 0.85-0.9, six by 0.8. Set N tests it on tables no one has looked at, with a gain
no set has had: at p = 31 (``p - 1 = 30``) the squares and fourth powers have ``g = 2``,
the cubes ``g = 6`` and the fifth powers ``g = 10``; at p = 53 (52) the squares ``g = 4``
and the fourth powers ``g = 4`` (order 13, odd), and the cubes and fifth powers are the
whole group, no coset (scored as the sixteenth model scores them).

The set: 4 tables of each kind, ``two_four`` (``g = 2`` at p = 31, ``g = 4`` at 53: the
same table on both sides of the threshold), ``six`` (``g = 6`` at 31, no coset at 53) and
``ten`` (``g = 10`` at 31, no coset at 53), drawn like check set L's (`affine_check.draw`,
its stream of 2 to 4 monomials) from a fixed seed, ``eligible``: the kind's coset lines
(`GAINS`, on a bijective base), not learnable, no symmetry, no one-input twist, no
repeated row or column, no merging outer function at both primes, and at p = 23 no affine
relabelling of an earlier table of the set or of any polynomial already run. Alpha 0.7
and 0.85. The predictions (``gain/set_n_predictions.txt``: the score as shipped, the
eighteenth model, and the sixteenth's, without coset lines) were committed before any
run.

Every case: seeds 0 and 1, the recipe of the composed check sets (composed.py: cap 4000,
settle window 100 evaluations, width 500). The report reads ``gain/runs.csv`` (``--store
DB`` merges a database into it) and prints, per prime, kind and alpha, the mean observed
accuracy against the models' mean score, then every model's errors.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import affine_check  # noqa: E402
import composed  # noqa: E402
import equivalent  # noqa: E402
import parity_check  # noqa: E402
import study  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability import graded  # noqa: E402
from polyclass.learnability.twists import coset_gain, coset_lines  # noqa: E402

HERE = Path(__file__).parent / "gain"
RUNS = HERE / "runs.csv"
PREDICTIONS = HERE / "set_n_predictions.txt"
PRIMES = (31, 53)
ALPHAS = (0.7, 0.85)
SEED = "polyclass-gain-check-n-2026-12-03"
#: The report's columns: the score as shipped when the set was drawn (the eighteenth
#: model) and the sixteenth model's.
MODELS = ("score", "sixteenth")
#: kind: the lines per scale up to sign at each of PRIMES (0: no coset lines)
GAINS = {"two_four": (2, 4), "six": (6, 0), "ten": (10, 0)}
#: kind: polynomials as typed (from ``draw(kind, count)``)
SET_N: dict[str, tuple[str, ...]] = {
    "two_four": (
        "4*x*y^2 + 4*y^5 + 4*y",
        "2*x^5 + x^3 + 4*x^2*y",
        "4*x^3 + 4*x^2*y + 2*x",
        "x^5 + x^4 + 3*x^2*y + x",
    ),
    "six": (
        "x*y^3 + 2*y^4 + y^2 + 4*y",
        "2*x^5 + 4*x^4 + 2*x^3*y + 3*x",
        "3*x^5 + 3*x^4 + x^3*y + x^2",
        "2*x^5 + x^3*y + 4*x^2 + 3*x",
    ),
    "ten": (
        "2*x*y^5 + 3*y^4 + 4*y",
        "x^5*y + 3*x^3 + 3*x^2 + 3*x",
        "2*x^5*y + 4*x^4 + 2*x^3 + 2*x^2",
        "4*x*y^5 + 2*y^4 + y^3 + 2*y^2",
    ),
}


def gain_of(text: str, p: int) -> int:
    """`twists.coset_gain` of the table's coset lines at p (0 without them)."""
    lines = coset_lines(equivalent.table(text, p))
    return 0 if lines is None else int(coset_gain(lines.order, p))


def eligible(kind: str, text: str) -> bool:
    """The kind's gains at both primes, and at both not learnable, no symmetry, no
    one-input twist, no repeated row or column, no merging outer function
    (`composed.plain_table`)."""
    if any(gain_of(text, p) != g for p, g in zip(PRIMES, GAINS[kind], strict=True)):
        return False
    return all(composed.plain_table(text, p, lambda S: S.group.order == 1) for p in PRIMES)


@functools.cache
def stored() -> tuple[equivalent.IntArray, ...]:
    """The tables at p = 23 of every polynomial run before set N was drawn: those set M
    was drawn against (`parity_check.stored`), set M's and the thirtieth and thirty-first
    sets'."""
    texts = [t for group in parity_check.SET_M.values() for t in group]
    texts += [t for name in ("thirtieth", "thirty_first") for _, t in study.drawn_set(name)]
    return parity_check.stored() + tuple(affine_check.table23(t) for t in texts)


def draw(kind: str, count: int) -> list[str]:
    """The first ``count`` polynomials of `affine_check.draw`'s stream under set N's seed
    and rule."""
    return affine_check.draw(kind, count, SEED, eligible, stored)


def predictions(text: str, p: int, alpha: float) -> tuple[float, ...]:
    """(the score as shipped when the set was drawn, the eighteenth model; the
    sixteenth's, composed.SIXTEENTH_PARAMETERS)."""
    shipped = composed.score_of(text, p, alpha)
    return shipped, composed.score_of(text, p, alpha, composed.SIXTEENTH_PARAMETERS)


def predict() -> None:
    """The predictions committed before the runs."""
    print("Set N predictions (score as shipped, the sixteenth model's), before any run")
    for p in PRIMES:
        for kind, polys in SET_N.items():
            for text in polys:
                S = graded.table_structure(pc.parse(f"{text} mod {p}").table())
                for alpha in ALPHAS:
                    now, before = predictions(text, p, alpha)
                    print(
                        f"p={p} {kind:8} {text:36} alpha={alpha:.2f} score {now:.2f} "
                        f"sixteenth {before:.2f} (gain {gain_of(text, p)}, "
                        f"majority {S.majority_share:.2f})"
                    )


def main() -> None:
    composed.check_set_main(__doc__, "N", PRIMES, ALPHAS, SET_N, RUNS, predict, predictions, MODELS)


if __name__ == "__main__":
    main()

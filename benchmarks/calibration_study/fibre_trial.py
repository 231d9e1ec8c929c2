"""Are symmetries used earlier in a table with repeated rows or columns? (A trial, not
shipped.)

    PYTHONPATH=. python benchmarks/calibration_study/fibre_trial.py

The score counts a symmetry's gain as a cell's class over its fibre of repeated rows and
columns, so a table whose rows repeat in pairs and which has an order-2 symmetry besides
gets the gain 2 of a table with the symmetry alone. A network that has learned the
repeated rows works on a smaller table, with more training cells per distinct cell; on
the fitted cases whose symmetries add coverage beyond their repeated lines, those with
repeated lines are scored 0.05 too low on average (106 cases, 16% off by more than 0.10,
against 6% for the rest). The trial: ``b_l * log(fibre)`` in the symmetries' use,
``fibre`` the mean size of a cell's fibre (`Structure.fibre_size`; 1 without repeated
lines), ``b_l`` chosen on a grid with the other parameters fitted as fit.py does (soft
L1 loss, one partner seen). Printed, without and with the term: the figures with each
fitted set (fit.FITTED_HALVES and check set F) left out in turn, on all of them, and on
each held-out set (fit.TESTED_HALVES) that has runs and on all of them
(`cp_rank.compare`). The term enters through the collapse column as in cp_rank.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import cp_rank  # noqa: E402
import fit  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability.linked import lines_structure  # noqa: E402

STUDY_CSV = Path(__file__).parent / "study.csv"
#: Candidate b_l (the term's coefficient in the symmetries' use).
GRID = tuple(float(b) for b in np.arange(-1.0, 4.01, 0.5))


def log_fibre(typed: str, p: int) -> float:
    """log of the mean size of a cell's fibre of repeated rows and columns."""
    T = np.asarray(pc.parse(f"{typed} mod {p}", variables=("x", "y")).table())
    return float(np.log(np.mean(lines_structure(T).fibre_size)))


def main() -> None:
    tables = {(r["typed"], int(r["p"])) for r in fit.load(STUDY_CSV)}
    tables |= {(r["typed"], r["p"]) for c in fit.FITTED_CHECK_SETS for r in fit.check_rows(c)}
    fibres = {(typed, p): log_fibre(typed, p) for typed, p in tables}
    term = "b_l * log(fibre)"
    cp_rank.compare(fibres, fit.FITTED_HALVES, fit.TESTED_HALVES, GRID, term, pooled=True)


if __name__ == "__main__":
    main()

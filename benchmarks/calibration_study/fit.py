"""Fit the use parameters of the graded score on the MODELLING half of the study CSV.

    PYTHONPATH=. python benchmarks/calibration_study/fit.py [--csv STUDY_CSV]

Prints the parameters to paste into polyclass/learnability/graded.py (USE_PARAMETERS).
The held-out half is never read for fitting (rows are filtered before the fit).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from polyclass.learnability.graded import SEEN, row_score

KINDS = ("decomposable", "lines", "symmetry")


def load(path: str | Path, half: str | None = None) -> list[dict[str, float | str]]:
    rows = []
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh):
            if half is not None and r["half"] != half:
                continue
            rows.append(r)
    return rows


def predict(r: dict, parameters: dict[str, tuple[float, float]], seen: int = SEEN) -> float:
    return row_score(r, parameters, seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", default=str(Path(__file__).parent / "study.csv"))
    args = parser.parse_args()
    rows = load(args.csv, "modelling")
    for seen in (1, 2, 3):
        fit_once(rows, seen)


def fit_once(rows: list[dict], seen: int) -> None:

    def unpack(theta: np.ndarray) -> dict[str, tuple[float, float]]:
        return {k: (float(theta[2 * i]), float(theta[2 * i + 1])) for i, k in enumerate(KINDS)}

    def residuals(theta: np.ndarray) -> np.ndarray:
        P = unpack(theta)
        return np.array([predict(r, P, seen) - float(r["observed"]) for r in rows])

    start = np.array([2.0, 2.0, 2.0, 2.0, -2.0, 2.0])
    fit = least_squares(
        residuals, start, loss="soft_l1", f_scale=0.1, bounds=([-30, 0.05] * 3, [30, 30] * 3)
    )
    P = unpack(fit.x)
    err = np.abs(residuals(fit.x))
    print(
        f"seen >= {seen}: modelling half: {len(rows)} cases, MAE {err.mean():.3f}, "
        f"within 0.10 {np.mean(err <= 0.10):.1%}, max {err.max():.3f}"
    )
    print("USE_PARAMETERS = {")
    for k, (b0, b1) in P.items():
        print(f'    "{k}": ({b0:.3f}, {b1:.3f}),')
    print("}")


if __name__ == "__main__":
    main()

"""What keeps the graded score's share within 0.10 below 95%? (An analysis: nothing here
enters the score.)

    PYTHONPATH=. python benchmarks/calibration_study/ceiling.py [--csv STUDY_CSV]

Reads the stored study (no training) and scores it with the shipped model, on the sets
fit.py fitted and, apart, on the held-out sets drawn after that fit (fit.TESTED_HALVES).
Three measurements:

* **seed noise**: a case's observed accuracy is the mean of its seeds, each with its own
  training split. Two seeds ``x1, x2`` of spread ``d = |x1 - x2|`` put the mean about
  ``d / 2`` (one standard deviation) from the expected accuracy, so a score equal to the
  expected accuracy would still land within 0.10 of the measured mean only with the
  share `noise_ceiling` prints (normal errors, NOISE_DRAWS draws).
  Printed too: the shipped score's share on the cases whose runs all settled before the
  step cap (fit.settled) and on the others.
* **one shift per table**: each (polynomial, p) gets the one shift of the logit of its
  cases' use that fits its own cases best (Cauchy loss at scale 0.1, as fit.py, and a
  small penalty, ORACLE_RIDGE), every case of the table at every alpha moved together:
  an oracle that knows where each table's threshold sits, given the model's form. Then
  the same with each case scored by the shift fitted on its table's *other* cases (other
  alphas): whether such a shift is a property of the table that carries to a new alpha,
  as a structural term would have to be. Printed: the shares, how far the oracle's
  shifts move the threshold (in ``logit(alpha)``), and whether a table's shift at p = 23
  predicts the same polynomial's at the set's other prime (Spearman).
* **candidate table features**: a term ``b * (feature - median)`` added to the logit of
  the use of one kind (decomposable, or not), ``b`` fitted (same loss) on all fitted sets
  but one and scored on the one left out, in turn: the share the term reaches on sets it
  did not see, beside the shipped model's; then fitted on all of them and scored on the
  held-out sets. The features are cheap and invariant under relabelling rows and columns:
  the majority share and the coverage by repeated lines (study columns), cp_rank.csv's
  rank share, and `_table_features`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).parent))

import cp_rank  # noqa: E402
import equivalent  # noqa: E402
import fit  # noqa: E402

from polyclass.learnability.graded import SHARPNESS_P, USE_PARAMETERS, parts_array  # noqa: E402
from polyclass.learnability.study_rows import score_inputs  # noqa: E402

STUDY_CSV = Path(__file__).parent / "study.csv"
NOISE_DRAWS = 2000
#: Cases with less than this between structure unused and fully used (high - low) have no
#: threshold to move and keep their score.
SPAN = 0.05
#: Bound on one table's shift of the logit of its use (the oracle's search interval).
MAX_SHIFT = 30.0
#: Penalties ``ridge * shift^2`` tried when a table's shift is fitted on its other cases:
#: where those sit far from any threshold many shifts fit them alike, and the penalty picks
#: the smallest. The oracle's own shifts take the middle one.
RIDGES = (0.0, 0.01, 0.1)
ORACLE_RIDGE = RIDGES[1]
#: Bound on a feature term's coefficient.
MAX_FEATURE_B = 200.0


#: Features read from the study's own columns.
COLUMN_FEATURES = ("majority", "lines")


def _table_features(T: np.ndarray) -> dict[str, float]:
    """Relabelling-invariant features of a ``(p, p)`` table, each on a 0..1 scale."""
    p = T.shape[0]
    _, counts = np.unique(T, return_counts=True)
    q = counts / counts.sum()
    return {
        "values": len(counts) / p,
        "value entropy": float(-(q * np.log(q)).sum() / np.log(p)),
        "distinct per row": float(np.mean([len(set(r)) for r in T.tolist()]) / p),
        "distinct per column": float(np.mean([len(set(c)) for c in T.T.tolist()]) / p),
        "distinct rows": len({tuple(r) for r in T.tolist()}) / p,
        "distinct columns": len({tuple(c) for c in T.T.tolist()}) / p,
    }


class Study:
    """The study's rows with the shipped model's parts, the observed accuracies and the
    logit ``z`` of each case's use (``score = low + sigmoid(z) * (high - low)``)."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows
        data = score_inputs(rows)
        u, self.low, self.high = parts_array(data)
        self.decomposable = data.decomposable
        self.observed = np.array([float(r["observed"]) for r in rows])
        self.p = np.array([float(r["p"]) for r in rows])
        self.half = np.array([r["half"] for r in rows])
        self.table = np.array([f"{r['typed']} | {r['p']}" for r in rows])
        u = np.clip(u, 1e-12, 1 - 1e-12)
        self.z = np.log(u / (1 - u))
        sharp = [USE_PARAMETERS[k][6] for k in ("decomposable", "symmetry")]
        self.sharpness = (self.p / SHARPNESS_P) ** np.where(self.decomposable, *sharp)
        self.span = self.high - self.low

    def score(self, shift: np.ndarray | float = 0.0) -> np.ndarray:
        """Scores with ``shift`` added to each case's logit, scaled like the use's own
        (``(p / 23)^s``); cases without a threshold (SPAN) keep theirs."""
        z = self.z + np.where(self.span > SPAN, shift * self.sharpness, 0.0)
        return self.low + self.span / (1 + np.exp(-z))

    def loss(self, score: np.ndarray, mask: np.ndarray) -> float:
        return float(np.sum(np.log1p(((score - self.observed)[mask] / 0.1) ** 2)))


def share(error: np.ndarray) -> str:
    e = np.abs(error)
    return f"{np.mean(e <= 0.10):.1%} within 0.10 ({int(np.sum(e > 0.10))} of {len(e)} off)"


def noise_ceiling(rows: list[dict], seed: int = 0) -> float:
    """The share within 0.10 that a score equal to each case's expected accuracy would
    reach against the mean of its seeds (standard deviation: half the seeds' spread)."""
    spread = np.array([float(r["observed_max"]) - float(r["observed_min"]) for r in rows])
    draws = np.random.default_rng(seed).normal(0.0, 1.0, (NOISE_DRAWS, len(rows)))
    return float(np.mean(np.abs(draws * spread / 2) <= 0.10))


def best_value(
    scores: Callable[[float], np.ndarray],
    study: Study,
    mask: np.ndarray,
    bound: float,
    ridge: float = 0.0,
) -> float:
    """The number ``c`` in ``[-bound, bound]`` whose ``scores(c)`` fit the cases of
    ``mask`` best (with ``ridge * c^2`` added to the loss)."""
    found = minimize_scalar(
        lambda c: study.loss(scores(c), mask) + ridge * c**2,
        bounds=(-bound, bound),
        method="bounded",
    )
    return float(found.x)


def table_shifts(study: Study, cases: np.ndarray) -> dict[str, float]:
    """The best shift (`best_value`, penalty ORACLE_RIDGE) of every table with a case in
    ``cases`` whose threshold can move."""
    movable = cases & (study.span > SPAN)
    return {
        t: best_value(study.score, study, movable & (study.table == t), MAX_SHIFT, ORACLE_RIDGE)
        for t in set(study.table[movable])
    }


def shifted(study: Study, shifts: dict[str, float]) -> np.ndarray:
    return study.score(np.array([shifts.get(t, 0.0) for t in study.table]))


def in_band(study: Study) -> np.ndarray:
    """Cases whose observed accuracy sits inside their threshold: between 10% and 90% of
    the way from structure unused (``low``) to fully used (``high``), with 0.2 between."""
    used = (study.observed - study.low) / np.where(study.span > 0, study.span, 1.0)
    return (study.span > 0.2) & (used > 0.1) & (used < 0.9)


def shifted_from_the_others(
    study: Study, cases: np.ndarray, ridge: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every case of ``cases`` scored with the shift fitted on its table's other cases
    (the other alphas; penalty ``ridge``), and which cases had another case of their table
    inside its threshold (`in_band`) to place the shift: whether a table's shift carries to
    a new alpha."""
    movable = cases & (study.span > SPAN)
    band = in_band(study)
    scores = study.score()
    placed = np.zeros(len(scores), dtype=bool)
    for i in np.flatnonzero(movable):
        others = movable & (study.table == study.table[i])
        others[i] = False
        if others.any():
            shift = best_value(study.score, study, others, MAX_SHIFT, ridge)
            scores[i] = study.score(shift)[i]
            placed[i] = bool((others & band).any())
    return scores, placed


def feature_values(study: Study) -> dict[str, np.ndarray]:
    """Every candidate feature, one value per case (a table without a rank share: 1)."""
    rank = cp_rank.read_shares()
    per_table: dict[tuple[str, int], dict[str, float]] = {}
    keys = [(r["typed"], int(r["p"])) for r in study.rows]
    for key in keys:
        if key not in per_table:
            per_table[key] = _table_features(equivalent.table(*key))
            per_table[key]["rank share"] = rank.get(key, 1.0)
    values = {n: np.array([float(r[n]) for r in study.rows]) for n in COLUMN_FEATURES}
    for name in next(iter(per_table.values())):
        values[name] = np.array([per_table[k][name] for k in keys])
    return values


def feature_scores(study: Study, x: np.ndarray, kind: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Every case's score with ``b * (x - median)`` added to the logits of the cases of
    ``kind``, ``b`` fitted on those in ``train``."""
    centred = np.where(kind, x - np.median(x[kind]), 0.0)
    b = best_value(lambda b: study.score(b * centred), study, train, MAX_FEATURE_B)
    return study.score(b * centred)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=STUDY_CSV)
    args = parser.parse_args()
    with args.csv.open() as fh:
        study = Study(list(csv.DictReader(fh)))
    fitted = np.isin(study.half, fit.FITTED_HALVES)
    tested = np.isin(study.half, fit.TESTED_HALVES)
    groups = (("fitted sets", fitted), ("held-out sets drawn after the fit", tested))
    error = study.score() - study.observed

    settled = np.array([fit.settled(r) for r in study.rows])
    print("== seed noise ==")
    for name, mask in groups:
        chosen = [r for r, m in zip(study.rows, mask, strict=True) if m]
        print(f"{name}: shipped {share(error[mask])}; a score equal to the expected accuracy")
        print(f"  would be {noise_ceiling(chosen):.1%} within 0.10 of the seeds' mean")
        print(f"  cases whose runs all settled before the cap: {share(error[mask & settled])};")
        print(f"  the others, still moving at the cap: {share(error[mask & ~settled])}")

    print("== one shift per table (oracle) ==")
    logit_alpha = {}
    for name, mask in groups:
        shifts = table_shifts(study, mask)
        own = shifted(study, shifts) - study.observed
        print(f"{name}: {len(shifts)} tables; fitted on all of a table's cases {share(own[mask])};")
        print("  each case by the shift fitted on its table's other cases (all cases; those")
        print("  with another case of the table inside its threshold), penalty")
        for ridge in RIDGES:
            scores, placed = shifted_from_the_others(study, mask, ridge)
            others = scores - study.observed
            print(f"  {ridge:g}: {share(others[mask])}; {share(others[mask & placed])}")
        print(f"  shipped on the latter: {share(error[mask & placed])}")
        # the shift in units of logit(alpha): the use's logit moves by b1 per unit
        for t, c in shifts.items():
            kind = "decomposable" if study.decomposable[study.table == t][0] else "symmetry"
            logit_alpha[t] = c / USE_PARAMETERS[kind][1]
    moved = np.abs(np.array(list(logit_alpha.values())))
    quartiles = ", ".join(f"{v:.2f}" for v in np.percentile(moved, (50, 75, 90)))
    print(f"  |shift| in logit(alpha), median / 75% / 90%: {quartiles}")
    polynomials: dict[str, dict[int, float]] = {}
    for t, c in logit_alpha.items():
        typed, p = t.rsplit(" | ", 1)
        polynomials.setdefault(typed, {})[int(p)] = c
    pairs = [
        (s[23], next(v for q, v in s.items() if q != 23))
        for s in polynomials.values()
        if 23 in s and len(s) == 2
    ]
    rho = spearmanr(*zip(*pairs, strict=True)).statistic
    print(f"  same polynomial at p = 23 and the set's other prime: {len(pairs)} pairs,")
    print(f"  Spearman {rho:.2f} between the two shifts")

    print("== candidate features (each fitted with one set left out, in turn) ==")
    sets = sorted(set(study.half[fitted]))
    print(f"shipped on the {len(sets)} fitted sets: {share(error[fitted])}")
    for name, x in feature_values(study).items():
        for label, kind in (("decomposable", study.decomposable), ("not", ~study.decomposable)):
            left_out = study.score()
            for s in sets:
                scores = feature_scores(study, x, kind, fitted & (study.half != s))
                left_out = np.where(study.half == s, scores, left_out)
            all_fitted = feature_scores(study, x, kind, fitted)
            print(f"{name} ({label}): sets left out {share((left_out - study.observed)[fitted])};")
            print(f"  fitted on all, held-out sets {share((all_fitted - study.observed)[tested])}")


if __name__ == "__main__":
    main()

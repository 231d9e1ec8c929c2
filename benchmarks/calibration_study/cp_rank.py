"""Does a table's tensor rank place the graded score's thresholds? (A trial, not shipped.)

    PYTHONPATH=. python benchmarks/calibration_study/cp_rank.py [--compute] [--cross-validate]

The study's networks (one-hot inputs, quadratic activation, ``p`` outputs) compute, for
every output class ``c``, a row function plus a column function plus a sum over neurons of
``v_kc u_k[x] w_k[y]``: a CP (canonical polyadic) decomposition of the table's one-hot
tensor ``X[x, y, c] = [f(x, y) = c]``, invariant under relabelling rows and columns. A
decomposable table ``h(g1(x) + g2(y))`` has rank ``p`` once row and column functions are
taken out; a table without structure needs far more. The trial: ``rank_share``, the
share of cells whose class the best rank-``p`` approximation of the centred tensor
(alternating least squares, ALS_RESTARTS starts, the better kept) gets right by its
largest entry, as an extra term ``b_f * rank_share`` in the symmetries' use.

``--compute`` writes RANK_CSV (one row per table of the study and of check set F; about
a minute). ``--cross-validate`` fits the shipped model's form with and without the term
(robust soft-L1 loss, one partner seen, as fit.py; ``b_f`` chosen on a grid by the
fitted sets' figures) leaving each fitted set out in turn, then fits on all of them and
scores the thirteenth set. The term enters through the symmetries' ``collapse`` channel
(its coefficient is graded.COMPOSED_B_H, fixed), so the score is graded.py's formula.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import composed  # noqa: E402
import fit  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability.graded import COMPOSED_B_H  # noqa: E402

RANK_CSV = Path(__file__).parent / "cp_rank.csv"
ALS_RESTARTS = 2
ALS_ITERATIONS = 60
#: The sets the trial scores, fitting on fit.TWELVE_SETS and check set F (the cases of the
#: model shipped when it was run).
TRIAL_TESTED = ("thirteenth", "fourteenth")
#: Candidate b_f (the term's coefficient in the symmetries' use).
GRID = tuple(float(b) for b in np.arange(-30.0, 30.1, 5.0))


def one_hot_centred(T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The one-hot tensor ``X[x, y, c]`` of a ``(p, p)`` table and its part free of row
    and column functions (each class's matrix with its row and column means taken out)."""
    p = T.shape[0]
    X = np.zeros((p, p, p))
    X[np.arange(p)[:, None], np.arange(p)[None, :], T] = 1.0
    centred = X - X.mean(axis=0, keepdims=True)
    return X, centred - centred.mean(axis=1, keepdims=True)


def _khatri_rao(U: np.ndarray, V: np.ndarray) -> np.ndarray:
    return (U[:, None, :] * V[None, :, :]).reshape(-1, U.shape[1])


def cp_approximation(X: np.ndarray, rank: int, seed: int) -> np.ndarray:
    """A rank-``rank`` CP approximation of a cubic tensor by ALS from a seeded start."""
    p = X.shape[0]
    rng = np.random.default_rng(seed)
    A, B, C = (rng.standard_normal((p, rank)) for _ in range(3))
    unfold = (
        X.reshape(p, -1),
        X.transpose(1, 0, 2).reshape(p, -1),
        X.transpose(2, 0, 1).reshape(p, -1),
    )
    ridge = 1e-6 * np.eye(rank)
    for _ in range(ALS_ITERATIONS):
        A = unfold[0] @ _khatri_rao(B, C) @ np.linalg.pinv((B.T @ B) * (C.T @ C) + ridge)
        B = unfold[1] @ _khatri_rao(A, C) @ np.linalg.pinv((A.T @ A) * (C.T @ C) + ridge)
        C = unfold[2] @ _khatri_rao(A, B) @ np.linalg.pinv((A.T @ A) * (B.T @ B) + ridge)
    return np.einsum("xr,yr,cr->xyc", A, B, C)


def rank_share(T: np.ndarray) -> float:
    """Share of cells whose value the best rank-``p`` approximation (plus the row and
    column functions) names by its largest entry (1.0 for a decomposable table)."""
    X, centred = one_hot_centred(T)
    free = X - centred  # the row and column functions, kept exactly
    best = 0.0
    for seed in range(ALS_RESTARTS):
        Y = cp_approximation(centred, T.shape[0], seed)
        best = max(best, float(np.mean(np.argmax(Y + free, axis=2) == T)))
    return best


def tables() -> list[tuple[str, int]]:
    """Every (polynomial as typed, p) of the study and of check set F."""
    seen = {(r["typed"], int(r["p"])) for r in fit.load(Path(__file__).parent / "study.csv")}
    for name in fit.FITTED_CHECK_SETS:
        seen |= {(t, p) for t, p, _ in composed.observed_runs(fit.FITTED_CHECK_SETS[name])}
    return sorted(seen, key=lambda k: (k[1], k[0]))


def compute() -> None:
    with open(RANK_CSV, "w", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["typed", "p", "rank_share"])
        for typed, p in tables():
            T = np.asarray(pc.parse(f"{typed} mod {p}", variables=("x", "y")).table())
            out.writerow([typed, p, f"{rank_share(T):.5f}"])
    print(f"wrote {RANK_CSV}")


def read_shares() -> dict[tuple[str, int], float]:
    """RANK_CSV's rank share per (polynomial, p)."""
    with open(RANK_CSV, newline="") as fh:
        return {(r["typed"], int(r["p"])): float(r["rank_share"]) for r in csv.DictReader(fh)}


def with_term(rows: list[dict], shares: dict[tuple[str, int], float], b_f: float) -> list[dict]:
    """Rows whose symmetries' use carries ``b_f * rank_share``: through their collapse
    column, whose coefficient in that use is COMPOSED_B_H (decomposable rows unchanged)."""
    out = []
    for r in rows:
        if str(r["learnable"]) != "1":
            share = shares[r["typed"], int(r["p"])]
            r = {
                **r,
                "outer_collapse": float(r["outer_collapse"] or 0.0) + b_f * share / COMPOSED_B_H,
            }
        out.append(r)
    return out


def best_fit(
    rows: list[dict], shares: dict, grid: tuple[float, ...]
) -> tuple[float, fit.Parameters]:
    """The fit (soft L1, one partner) with the term at each ``b_f`` of ``grid``, each once;
    the ``b_f`` whose fit is best on ``rows`` by (far, -share, MAE), and its parameters."""
    fits = {}
    for b_f in grid:
        far, share, mae, _, _, P = fit.fit_once(
            with_term(rows, shares, b_f), 1, "soft_l1", verbose=False
        )
        fits[b_f] = ((far, -share, mae), P)
    b_f = min(grid, key=lambda b: fits[b][0])
    return b_f, fits[b_f][1]


def errors(rows: list[dict], shares: dict, b_f: float, P: fit.Parameters) -> np.ndarray:
    observed = np.array([float(r["observed"]) for r in rows])
    return fit.predict(with_term(rows, shares, b_f), P) - observed


def compare(
    shares: dict,
    fitted: tuple[str, ...],
    tested: tuple[str, ...],
    grid: tuple[float, ...],
    term: str,
    pooled: bool = False,
) -> None:
    """Print, without the term and with ``term`` (its coefficient chosen on ``grid``), the
    figures with each of the ``fitted`` sets and check set F left out in turn, fitted on
    all of them, and on each of the ``tested`` sets (``pooled``: and on all of those)."""
    study = Path(__file__).parent / "study.csv"
    rows = fit.load(study, fitted) + [r for c in fit.FITTED_CHECK_SETS for r in fit.check_rows(c)]
    test = fit.load(study, tested)
    name = term.split(" ")[0]
    for choices, label in (((0.0,), "without the term"), (grid, f"with {term}")):
        held_out = []
        for left_out in fitted + tuple(fit.FITTED_CHECK_SETS):
            train = [r for r in rows if r["half"] != left_out]
            held = [r for r in rows if r["half"] == left_out]
            b, P = best_fit(train, shares, choices)
            held_out.append(errors(held, shares, b, P))
        print(f"{label}: each set left out in turn: {fit.summary(np.concatenate(held_out))}")
        b, P = best_fit(rows, shares, choices)
        print(f"  fitted on all ({name} = {b:g}): {fit.summary(errors(rows, shares, b, P))}")
        for tested_set in tested:
            held = [r for r in test if r["half"] == tested_set]
            if held:
                print(f"  {tested_set}: {fit.summary(errors(held, shares, b, P))}")
        if pooled and test:
            print(f"  held out: {fit.summary(errors(test, shares, b, P))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compute", action="store_true", help=f"(re)write {RANK_CSV.name}")
    parser.add_argument("--cross-validate", action="store_true", help="the comparison")
    args = parser.parse_args()
    if args.compute or not RANK_CSV.exists():
        compute()
    shares = read_shares()
    if args.cross_validate:
        compare(shares, fit.TWELVE_SETS, TRIAL_TESTED, GRID, "b_f * rank_share")


if __name__ == "__main__":
    main()

"""``pc.atlas``: what a sweep database says about the learnability hypothesis.

*Observed learnable* means the trained network reached the run's grokking threshold
(test accuracy >= 99% by default). The report compares that with the classifier's
prediction (``predicted``: learnable, not learnable, or undetermined), per decomposition
form and per prime, measures how well ``score`` predicts the observed test accuracy
(mean absolute error), and lists every disagreement with its certificate.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PolyclassError
from .store import COLUMN_NAMES, ResultStore

#: What a job's training outcome says about its prediction (`AtlasReport.outcome`).
OUTCOMES = ("agrees", "disagrees", "undetermined")


def _label(predicted: int | None) -> str:
    return {1: "learnable", 0: "not learnable", None: "undetermined"}[predicted]


@dataclass(frozen=True)
class AtlasReport:
    """Agreement of prediction and training over every stored job."""

    db: str
    rows: tuple[dict[str, Any], ...]

    @property
    def jobs(self) -> int:
        return len(self.rows)

    @staticmethod
    def observed(row: dict[str, Any]) -> bool:
        return bool(row["observed_test_accuracy"] >= row["grok_threshold"])

    def confusion(self) -> dict[str, dict[str, int]]:
        """``counts[predicted][observed]``: predicted learnable / not learnable / undetermined."""
        table: dict[str, dict[str, int]] = {
            _label(v): {"learned": 0, "not learned": 0} for v in (1, 0, None)
        }
        for row in self.rows:
            table[_label(row["predicted"])]["learned" if self.observed(row) else "not learned"] += 1
        return table

    def decided(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["predicted"] is not None]

    def agreement(self) -> float | None:
        """Share of decided jobs whose prediction matches the training outcome."""
        decided = self.decided()
        if not decided:
            return None
        return sum(bool(r["predicted"]) == self.observed(r) for r in decided) / len(decided)

    def agreement_by(self, key: str) -> dict[str, tuple[float, int]]:
        """(agreement, decided jobs) per value of ``key`` (e.g. decomposition_form, p)."""
        groups: dict[str, list[bool]] = defaultdict(list)
        for r in self.decided():
            groups[str(r[key])].append(bool(r["predicted"]) == self.observed(r))
        return {k: (sum(v) / len(v), len(v)) for k, v in sorted(groups.items())}

    def calibration_error(self) -> float | None:
        """Mean |score - observed test accuracy| over jobs with a score."""
        scored = [r for r in self.rows if r["score"] is not None]
        if not scored:
            return None
        return sum(abs(r["score"] - r["observed_test_accuracy"]) for r in scored) / len(scored)

    def disagreements(self) -> list[dict[str, Any]]:
        """Decided jobs whose prediction the training run contradicts."""
        return [r for r in self.decided() if bool(r["predicted"]) != self.observed(r)]

    def __str__(self) -> str:
        lines = [f"atlas of {self.db}: {self.jobs} jobs"]
        agreement = self.agreement()
        mae = self.calibration_error()
        lines.append(
            f"agreement {'n/a' if agreement is None else f'{agreement:.1%}'} "
            f"over {len(self.decided())} decided jobs; score calibration MAE "
            f"{'n/a' if mae is None else f'{mae:.3f}'}"
        )
        lines.append(f"{'predicted':>15} | {'learned':>8} {'not learned':>12}")
        for pred, counts in self.confusion().items():
            lines.append(f"{pred:>15} | {counts['learned']:>8} {counts['not learned']:>12}")
        for key, title in (("decomposition_form", "form"), ("p", "p")):
            for value, (share, n) in self.agreement_by(key).items():
                lines.append(f"  {title} {value}: {share:.1%} of {n}")
        bad = self.disagreements()
        if bad:
            lines.append(f"{len(bad)} disagreement(s):")
            seeds_per_poly: Counter[str] = Counter(r["poly"] for r in bad)
            for poly, n in seeds_per_poly.most_common(20):
                row = next(r for r in bad if r["poly"] == poly)
                lines.append(
                    f"  {poly}: predicted {_label(row['predicted'])}, observed test "
                    f"{row['observed_test_accuracy']:.1%} ({n} seed(s)); "
                    f"certificate {row['certificate']}"
                )
        return "\n".join(lines)

    def outcome(self, row: dict[str, Any]) -> str:
        """``agrees``, ``disagrees`` or ``undetermined`` (no prediction) for one job."""
        if row["predicted"] is None:
            return "undetermined"
        return "agrees" if bool(row["predicted"]) == self.observed(row) else "disagrees"

    def select(
        self, *, form: str | None = None, p: int | None = None, agreement: str | None = None
    ) -> list[dict[str, Any]]:
        """Jobs of one decomposition form, prime and `outcome` (None: any), in db order."""
        if agreement is not None and agreement not in OUTCOMES:
            raise PolyclassError(f"agreement must be one of {OUTCOMES}, not {agreement!r}")
        return [
            r
            for r in self.rows
            if (form is None or r["decomposition_form"] == form)
            and (p is None or r["p"] == p)
            and (agreement is None or self.outcome(r) == agreement)
        ]

    def listing(self, rows: list[dict[str, Any]]) -> str:
        """One line per job: polynomial, form, prediction, score, seed, accuracy, agreement."""
        width = max((len(r["poly"]) for r in rows), default=10)
        lines = [
            f"{'polynomial':<{width}}  {'form':<12} {'predicted':<13} {'score':>5} "
            f"{'seed':>4} {'test acc':>8}  agreement"
        ]
        for r in rows:
            score = "-" if r["score"] is None else f"{r['score']:.2f}"
            lines.append(
                f"{r['poly']:<{width}}  {r['decomposition_form']:<12} "
                f"{_label(r['predicted']):<13} {score:>5} {r['seed']:>4} "
                f"{r['observed_test_accuracy']:>8.1%}  {self.outcome(r)}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "jobs": self.jobs,
            "agreement": self.agreement(),
            "calibration_mae": self.calibration_error(),
            "confusion": self.confusion(),
            "agreement_by_form": {
                k: list(v) for k, v in self.agreement_by("decomposition_form").items()
            },
            "agreement_by_p": {k: list(v) for k, v in self.agreement_by("p").items()},
            "disagreements": [
                {
                    k: r[k]
                    for k in (
                        "poly",
                        "p",
                        "seed",
                        "predicted",
                        "observed_test_accuracy",
                        "certificate",
                        "reason",
                    )
                }
                for r in self.disagreements()
            ],
        }

    def to_csv(self, path: str | Path) -> None:
        """Every row, with the observed outcome, as CSV."""
        try:
            with open(path, "w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=[*COLUMN_NAMES, "observed"])
                writer.writeheader()
                for r in self.rows:
                    writer.writerow({**r, "observed": int(self.observed(r))})
        except OSError as err:
            raise PolyclassError(f"cannot write {path}: {err.strerror}") from None

    def plot(self) -> Any:
        """Observed test accuracy against predicted score, coloured by form (a Figure)."""
        try:
            import matplotlib

            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt
        except ImportError:
            raise PolyclassError("plots need matplotlib: pip install 'polyclass[plot]'") from None
        fig, ax = plt.subplots(figsize=(6, 5))
        by_form: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.rows:
            by_form[str(r["decomposition_form"])].append(r)
        for form, rows in sorted(by_form.items()):
            xs = [r["score"] if r["score"] is not None else -0.05 for r in rows]
            ax.scatter(xs, [r["observed_test_accuracy"] for r in rows], label=form, alpha=0.6, s=18)
        ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--")
        ax.set_xlabel("predicted score (undetermined at -0.05)")
        ax.set_ylabel("observed test accuracy")
        ax.set_title(f"atlas: {self.jobs} jobs")
        ax.legend(title="decomposition form", fontsize=8)
        fig.tight_layout()
        return fig


def atlas(db: str | Path) -> AtlasReport:
    """Read a sweep database and summarise prediction against training."""
    path = Path(db)
    if not path.is_file():
        raise PolyclassError(f"no sweep database at {path}")
    with ResultStore(path) as store:
        rows = tuple(store.rows())
    return AtlasReport(db=str(db), rows=rows)

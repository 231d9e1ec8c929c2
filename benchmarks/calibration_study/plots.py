"""Predicted-vs-observed plots of the study, one panel per alpha and one per p.

PYTHONPATH=. python benchmarks/calibration_study/plots.py --out docs/src
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import fit  # noqa: E402  (the sets the score as shipped was fitted on and tested by)

from polyclass.learnability.study_rows import row_score

#: Panels per row of a figure (the alphas of all sets make thirteen).
PANELS_PER_ROW = 5
#: The groups drawn, with marker and colour: the sets the score as shipped was fitted on
#: and the sets drawn after, never fitted (fit.FITTED_HALVES, fit.TESTED_HALVES); other rows
#: (none today) are drawn as "other".
GROUPS = (
    ("fitted", fit.FITTED_HALVES, ("o", "tab:blue")),
    ("held out, never fitted", fit.TESTED_HALVES, ("^", "tab:red")),
)


def group_of(half: str) -> tuple[str, tuple[str, str]]:
    """The group a set is drawn in: its label and (marker, colour)."""
    for label, halves, style in GROUPS:
        if half in halves:
            return label, style
    return "other", ("*", "tab:gray")


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", default=str(Path(__file__).parent / "study.csv"))
    parser.add_argument("--out", default="docs/src")
    args = parser.parse_args()
    with open(args.csv, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["score"] = row_score(r)
        r["group"], r["style"] = group_of(r["half"])
    for key, name in (("alpha", "calibration-alpha.png"), ("p", "calibration-p.png")):
        values = sorted({r[key] for r in rows}, key=float)
        ncols = min(len(values), PANELS_PER_ROW)
        nrows = -(-len(values) // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 3.4 * nrows), squeeze=False)
        for ax in axes.flat[len(values) :]:
            ax.set_visible(False)
        for ax, v in zip(axes.flat, values, strict=False):
            for label in dict.fromkeys(r["group"] for r in rows):
                part = [r for r in rows if r[key] == v and r["group"] == label]
                if not part:
                    continue
                marker, colour = part[0]["style"]
                ax.scatter(
                    [r["score"] for r in part],
                    [float(r["observed"]) for r in part],
                    s=14,
                    marker=marker,
                    color=colour,
                    alpha=0.7,
                    label=f"{label} ({len(part)})",
                )
            ax.plot([0, 1], [0, 1], color="grey", lw=0.8)
            ax.fill_between([0, 1], [-0.1, 0.9], [0.1, 1.1], color="grey", alpha=0.12, lw=0)
            ax.set(
                xlim=(-0.02, 1.02),
                ylim=(-0.02, 1.02),
                title=f"{key} = {v}",
                xlabel="score (predicted)",
            )
            ax.legend(fontsize=7, loc="upper left")
        for row in axes:
            row[0].set_ylabel("observed test accuracy")
        fig.tight_layout()
        fig.savefig(Path(args.out) / name, dpi=110)
        plt.close(fig)
        print(f"wrote {Path(args.out) / name}")


if __name__ == "__main__":
    main()

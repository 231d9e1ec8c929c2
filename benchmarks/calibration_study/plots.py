"""Predicted-vs-observed plots of the study, one panel per alpha and one per p.

PYTHONPATH=. python benchmarks/calibration_study/plots.py --out docs/src
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from polyclass.learnability.study_rows import row_score

#: Panels per row of a figure (the alphas of all sets make thirteen).
PANELS_PER_ROW = 5
#: Marker and colour per set (a set not listed is drawn with grey stars).
STYLES = {
    "modelling": ("o", "tab:blue"),
    "held_out": ("^", "tab:red"),
    "fresh": ("s", "tab:green"),
    "third": ("D", "tab:purple"),
    "fourth": ("v", "tab:orange"),
    "fifth": ("P", "black"),
    "sixth": ("X", "tab:brown"),
    "seventh": ("h", "tab:cyan"),
    "eighth": ("p", "tab:olive"),
    "ninth": ("d", "tab:pink"),
    "tenth": ("*", "tab:gray"),
    "eleventh": ("H", "gold"),
    "twelfth": ("<", "tab:red"),
    "thirteenth": (">", "navy"),
    "fourteenth": ("8", "darkgreen"),
    "fifteenth": ("d", "darkorange"),
    "sixteenth": ("1", "black"),
    "seventeenth": ("2", "purple"),
}


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
    for key, name in (("alpha", "calibration-alpha.png"), ("p", "calibration-p.png")):
        values = sorted({r[key] for r in rows}, key=float)
        ncols = min(len(values), PANELS_PER_ROW)
        nrows = -(-len(values) // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 3.4 * nrows), squeeze=False)
        for ax in axes.flat[len(values) :]:
            ax.set_visible(False)
        for ax, v in zip(axes.flat, values, strict=False):
            for half in dict.fromkeys(r["half"] for r in rows):  # in the CSV's order
                marker, colour = STYLES.get(half, ("*", "tab:gray"))
                part = [r for r in rows if r[key] == v and r["half"] == half]
                if not part:
                    continue
                ax.scatter(
                    [r["score"] for r in part],
                    [float(r["observed"]) for r in part],
                    s=14,
                    marker=marker,
                    color=colour,
                    alpha=0.7,
                    label=f"{half.replace('_', '-')} ({len(part)})",
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

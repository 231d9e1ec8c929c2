"""Time of the graded score's structure (symmetry group, orbits, classes) against issue 12's
limits: under 2 s per table at p = 97 and 10 s at p = 1009.

    PYTHONPATH=. python benchmarks/symmetry_time.py [--big x+y,x*y,...]

At p = 97: every study polynomial (benchmarks/calibration_study/study.py), median and
maximum. At p = 1009: the study polynomials with the largest groups. Wall-clock seconds of
`table_structure` on this machine (they depend on its load) and CPU seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent / "calibration_study"))

import study  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass.learnability.linked import table_structure  # noqa: E402

BIG = "x + y,x*y,x^2 + y^2,x^3*y + x*y^3,x^4 + y^4 + 3*x*y"


def seconds(text: str, p: int) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of `table_structure`, and the group order."""
    T = np.asarray(pc.parse(f"{study.member(text, p)} mod {p}", variables=("x", "y")).table())
    start, cpu = time.perf_counter(), time.process_time()
    S = table_structure(T)
    assert S.group is not None
    return time.perf_counter() - start, time.process_time() - cpu, S.group.order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", default=BIG, help="polynomials timed at p = 1009")
    args = parser.parse_args()
    times = {text: seconds(text, 97) for text in study.study_polys()}
    worst = max(times, key=lambda t: times[t][0])
    median = statistics.median(t for t, _, _ in times.values())
    print(
        f"p = 97: {len(times)} polynomials, median {median:.2f} s, max {times[worst][0]:.2f} s "
        f"(CPU {times[worst][1]:.2f} s; {worst}, group order {times[worst][2]}); limit 2 s"
    )
    for text in args.big.split(","):
        wall, cpu, order = seconds(text, 1009)
        print(f"p = 1009: {text}: {wall:.2f} s (CPU {cpu:.2f} s; group order {order}); limit 10 s")


if __name__ == "__main__":
    main()

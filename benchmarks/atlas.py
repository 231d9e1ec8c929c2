"""Sweep throughput: jobs per minute, batched local sweep against one job at a time.

Both sweeps run the same family and training settings in this process, into fresh
databases; the ratio is printed. Usage:

    python benchmarks/atlas.py [--family "vars=2, degree<=1, coeffs=-1..1, p=23"] [--steps 3000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import polyclass as pc


def run(family: str, db: Path, **options: object) -> tuple[float, int]:
    start = time.perf_counter()
    summary = pc.sweep(family, db=db, progress=False, **options)
    return time.perf_counter() - start, summary.ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--family", default="vars=2, degree=2, coeffs=-1..1, p=23")
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    train = {"width": args.width, "steps": args.steps}
    with tempfile.TemporaryDirectory() as folder:
        one_s, jobs = run(
            args.family, Path(folder) / "one.sqlite", batch_size=1, workers=1, **train
        )
        batched_s, _ = run(
            args.family, Path(folder) / "batched.sqlite", batch_size=args.batch_size, **train
        )
    one_rate, batched_rate = 60 * jobs / one_s, 60 * jobs / batched_s
    print(f"family: {args.family} ({jobs} jobs, width {args.width}, up to {args.steps} steps)")
    print(f"{'one job at a time, one process':31}: {one_s:7.1f} s  {one_rate:6.1f} jobs/min")
    label = f"batches of {args.batch_size}, worker per core"
    print(f"{label:31}: {batched_s:7.1f} s  {batched_rate:6.1f} jobs/min")
    print(f"ratio: {batched_rate / one_rate:.2f}x")


if __name__ == "__main__":
    main()

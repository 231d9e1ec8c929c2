"""Expert widths: the paper's random phases against the exact lattice phases.

For S-term addition at p = 23 (S = 2, 3, 4) and p = 97 (S = 2), and two-factor
multiplication, prints the smallest width at which ``method="paper"`` is 100% correct on all
p^S inputs (best of 3 seeds; doubling then bisection, each width verified exhaustively),
the width of ``method="exact"`` with ``width="min"``, and their ratio. Then the Appendix B
table (widths, accuracy, MSE) for both methods at p = 23 and 97.

    .venv/bin/python benchmarks/expert_width.py            # a few minutes on 2 CPU cores
    .venv/bin/python benchmarks/expert_width.py --quick    # S = 2 only, one Appendix B row
    .venv/bin/python benchmarks/expert_width.py --lattice  # also prove the lattices minimal
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import torch

import polyclass as pc
from polyclass.experts.design import lattice, lattice_cancels, unwanted_combinations
from polyclass.paper import APPENDIX_B

CAP = 1 << 15


def paper_min_width(text: str, seed: int, start: int = 8) -> int | None:
    """Smallest width (bisection to within ~3%) at which the paper method is 100% right."""
    P = pc.parse(text)
    table = P.table()

    def ok(w: int) -> bool:
        net = pc.compile(P, method="paper", width=w, seed=seed, device="cpu")
        return pc.verify(net, table=table, stop_on_failure=True).accuracy == 1.0

    lo, hi = 1, start
    while not ok(hi):
        lo = hi + 1
        hi *= 2
        if hi > CAP:
            return None
    while hi - lo > max(0, hi // 32):  # bisection to within ~3% (each step is exhaustive)
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


def width_rows(quick: bool, only: str | None) -> None:
    cases = [
        ("add", 2, 23, "x + y"),
        ("add", 2, 97, "x + y"),
        ("mul", 2, 23, "x*y"),
        ("mul", 2, 97, "x*y"),
    ]
    if not quick:
        cases += [("add", 3, 23, "x + y + z"), ("add", 4, 23, "x + y + z + w")]
    if only:
        cases = [c for c in cases if f"{c[0]}{c[1]}-{c[2]}" in only.split(",")]
    print(f"{'expert':>6} {'S':>2} {'p':>4} | {'paper min (seeds 0,1,2)':>26} {'best':>6} | "
          f"{'exact':>5} {'ratio':>6} {'exact margin':>12} {'seconds':>8}")  # fmt: skip
    for kind, S, p, body in cases:
        text = f"{body} mod {p}"
        t0 = time.perf_counter()
        widths = [paper_min_width(text, seed) for seed in range(3)]
        found = [w for w in widths if w is not None]
        best = min(found) if found else None
        exact = pc.compile(text, width="min", device="cpu")
        R = pc.verify(exact)
        assert R.accuracy == 1.0
        (w_exact,) = exact.widths
        ratio = f"{best / w_exact:6.1f}" if best else f">{CAP // w_exact}"
        shown = ", ".join(str(w) if w else f">{CAP}" for w in widths)
        print(
            f"{kind:>6} {S:>2} {p:>4} | {shown:>26} {best or '-':>6} | "
            f"{w_exact:>5} {ratio:>6} {R.min_margin:>12.4g} {time.perf_counter() - t0:>8.1f}",
            flush=True,
        )


def appendix_b(quick: bool) -> None:
    print("\nAppendix B (paper: expert widths 500 / 2000, beta = 100, cubic adder)")
    print(f"{'polynomial':>40} {'p':>3} {'method':>9} {'widths':>25} {'accuracy':>9} "
          f"{'MSE':>8} {'paper MSE':>9} {'min margin':>10}")  # fmt: skip
    rows = APPENDIX_B[:1] if quick else APPENDIX_B
    for body, paper_mse in rows:
        for p in (23, 97):
            text = f"{body} mod {p}"
            for method, width, margin in (
                ("paper", (500, 2000), None),
                ("exact", None, None),
                ("exact", None, 0.9),
            ):
                net = pc.compile(text, method=method, width=width, margin=margin, device="cpu")
                R = pc.verify(net)
                label = method if margin is None else f"{method}@{margin}"
                print(
                    f"{body:>40} {p:>3} {label:>9} {str(net.widths):>25} {R.accuracy:>9.4f} "
                    f"{R.mse:>8.5f} {paper_mse[p]:>9.4g} {R.min_margin:>10.4g}",
                    flush=True,
                )
    print("(exact: fewest frequencies, right logit 1 but a cosine-shaped profile over wrong")
    print(" outputs, hence the large MSE; exact@0.9: compile(..., margin=0.9), whose output")
    print(" stage has enough frequencies to be nearly one-hot)")


def lattice_minimality() -> None:
    print("\nLattice minimality: smallest m with some t in Z_m^S cancelling every cross term")
    for S in (1, 2, 3, 4):
        t0 = time.perf_counter()
        m_used = lattice(S)[0]
        B = unwanted_combinations(S)
        smallest = None
        for m in range(2, m_used + 1):
            # scaling t by a unit of Z_m keeps the condition, so t_1 may be taken to divide m
            for t1 in (d for d in range(1, m + 1) if m % d == 0):
                rest = np.array(list(itertools.product(range(m), repeat=S - 1)), dtype=np.int64)
                T = np.hstack([np.full((len(rest), 1), t1 % m), rest.reshape(len(rest), S - 1)])
                good = ((T @ B.T) % m != 0).all(axis=1)
                if good.any():
                    assert lattice_cancels(m, tuple(int(v) for v in T[np.argmax(good)]))
                    smallest = m
                    break
            if smallest:
                break
        print(f"S = {S}: smallest m = {smallest}, used m = {m_used} "
              f"({time.perf_counter() - t0:.1f} s)", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--lattice", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", help="comma-separated rows such as add4-23,mul2-97")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    width_rows(args.quick, args.only)
    if not args.only:
        appendix_b(args.quick)
    if args.lattice:
        lattice_minimality()


if __name__ == "__main__":
    main()

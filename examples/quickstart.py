"""The main job, end to end: parse, decompose, compile, verify, classify, train and compare.

Run with `make demo` (installs everything first) or `python examples/quickstart.py`.
POLYCLASS_SMOKE=1 uses smaller settings (for the smoke test).
"""

from __future__ import annotations

import os

import polyclass as pc

SMOKE = os.environ.get("POLYCLASS_SMOKE") == "1"
P_MOD = 23 if SMOKE else 97
PAIR = [  # the paper's Appendix C: a learnable polynomial and its perturbation
    f"(4*n1 + n2^2)^3 mod {P_MOD}",
    f"(4*n1 + n2^2)^3 + n1*n2 mod {P_MOD}",
]


def main() -> None:
    for text in PAIR:
        P = pc.parse(text)
        print(f"== {P}   (expanded: {P.expanded()})")
        D = pc.decompose(P)
        print(str(D).split("\n", 1)[1] if "\n" in str(D) else D.form)
        net = pc.compile(P)
        print(f"compiled: widths {net.widths}; {pc.verify(net, P)}")
        V = pc.classify(P)
        print(f"classified: {V}")
        # progress: a bar on a terminal, else a line every 10 s (progress=False: silent)
        C = pc.check(P, width=64 if SMOKE else 256, steps=300 if SMOKE else 1500)
        print(f"trained: {C}\n")


if __name__ == "__main__":
    main()

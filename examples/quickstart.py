"""The main job, end to end on the paper's polynomials: parse, tables, decomposition.

Run with `make demo` (installs everything first) or `python examples/quickstart.py`.
"""

from __future__ import annotations

import polyclass as pc

POLYNOMIALS = [
    "(4*x + y^2)^3 mod 97",
    "64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97",
    "x^2*y^2 + 2*x*y + 1 mod 97",
    "(5*n1^3 + 2*n2^4)^2 - n2 mod 97",
    "2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 97",
]


def main() -> None:
    for text in POLYNOMIALS:
        P = pc.parse(text)
        table = P.table()
        print(f"{P}   table {table.shape}, {len(set(table.flat))} distinct values")
        print(pc.decompose(P))
        print()


if __name__ == "__main__":
    main()

"""Width of the single network a structure compiles to, against the mixture of experts.

For product and ``h(g1 + g2)`` polynomials, ``pc.compile`` now builds one PowerMLP from the
polynomial's Structure. The baseline is the mixture the same polynomial compiles to when it
is treated as a sum of monomials (the ``composite`` path, what ``pc.compile`` built before
``decompose`` found products). Both are built and verified on every input in this run;
the ratio of total widths is printed. Usage: ``python benchmarks/structure_width.py``.
Two-variable cases only: the three-variable mixtures still ask ``exact_design`` for more
memory than a small machine has (issue 10, item 4).
"""

from __future__ import annotations

import time

import polyclass as pc
from polyclass.decomposition.graph import sum_of_monomials_graph
from polyclass.decomposition.symbolic import Decomposition

CASES = [
    "(x + 3)*(y - 1) mod 29",
    "(x^2 + 1)*(y^3 + y) mod 23",
    "x*y + x + y mod 97",
    "(x*y + 1)^2 mod 23",
    "(4*x + y^2)^3 mod 23",
    "x^2 + 2*x*y + y^2 + x + y mod 23",
    "x^3 + y^3 + 5 mod 23",
]


def as_mixture(P: pc.ModPoly) -> Decomposition:
    """The same polynomial as a plain sum of monomials (the composite path)."""
    D = pc.decompose(P)
    graph = sum_of_monomials_graph(P, D.monomials, D.constant)
    return Decomposition(P, "composite", D.constant, D.monomials, found="trivial", graph=graph)


def main() -> None:
    print(f"{'polynomial':36} {'form':>15} {'single':>7} {'mixture':>16} {'ratio':>6} {'s':>6}")
    for text in CASES:
        P = pc.parse(text)
        start = time.perf_counter()
        single = pc.compile(P, device="cpu")
        mixture = pc.compile(as_mixture(P), device="cpu")
        seconds = time.perf_counter() - start
        for net in (single, mixture):
            assert pc.verify(net, P).accuracy == 1.0
        a, b = sum(single.widths), sum(mixture.widths)
        assert single.info is not None
        print(
            f"{text:36} {single.info.form:>15} {a:7d} {b:7d} ({len(mixture.widths)} stages)"
            f" {b / a:6.1f} {seconds:6.2f}"
        )


if __name__ == "__main__":
    main()

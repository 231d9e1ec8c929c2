"""Scripting the decomposition: walk the DAG, read the maps, evaluate node by node.

python examples/decomposition.py
"""

from __future__ import annotations

import networkx as nx
import numpy as np

import polyclass as pc

TEXTS = [
    "64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97",  # (4x + y^2)^3, typed expanded
    "x^2*y^2 + 2*x*y + 1 mod 97",  # (xy + 1)^2
    "2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 97",  # a sum of monomials
]


def main() -> None:
    for text in TEXTS:
        P = pc.parse(text)
        D = pc.decompose(P)
        print(f"{P}\n  form {D.form} (found {D.found})")
        if D.h is not None:
            print(f"  h(u) = {D.h_text()}; inner u = {D.inner_text()}")
        for node in nx.topological_sort(D.graph):
            data = D.graph.nodes[node]
            inputs = ", ".join(D.graph.predecessors(node)) or "-"
            print(f"    {node:>8} {data['kind']:>8}  {data['label']:<28} <- {inputs}")
        same = np.array_equal(D.table(), P.table())
        print(f"  evaluating the DAG reproduces all {P.p**P.nvars} values: {same}\n")


if __name__ == "__main__":
    main()

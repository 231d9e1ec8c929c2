"""The DAG of a `Decomposition` and its evaluation.

Nodes have a ``kind``: ``input`` (a variable), ``monomial`` (``c * prod n_s^a_s``, exponents
on the edges), ``add`` (a constant plus coefficient-weighted predecessors), ``multiply``
(the product of its predecessors) and ``outer`` (a univariate polynomial of its single
predecessor). ``graph.graph["output"]`` names the node whose value is ``f``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import numpy.typing as npt

from .. import gfpoly
from ..field import power_table
from ..modpoly import ModPoly

Univariate = dict[int, int]
Monomial = tuple[int, tuple[int, ...]]


def structure_graph(P: ModPoly, kind: str, g: tuple[Univariate, ...], h: Univariate) -> nx.DiGraph:
    """``h(g_1(n_1) o ... o g_S(n_S))`` with ``o`` = ``+`` (``kind="sum"``) or ``*``."""
    graph, inputs = _inputs(P)
    n = len(inputs)
    if n == 1 and g[0] == {1: 1}:
        out = inputs[0]
    elif kind == "sum":
        parts = []
        for s, gs in enumerate(g):
            for power, coeff in sorted(gs.items(), reverse=True):
                if power == 0:
                    continue
                exps = tuple(power if i == s else 0 for i in range(n))
                parts.append((_monomial(graph, inputs, P, f"g{s + 1}_{power}", 1, exps), coeff))
        out = _add(graph, "u", parts, sum(gs.get(0, 0) for gs in g) % P.p)
    else:
        factors = []
        for s, gs in enumerate(g):
            if set(gs) <= {0}:
                continue
            parts = []
            for power, coeff in sorted(gs.items(), reverse=True):
                if power:
                    exps = tuple(power if i == s else 0 for i in range(n))
                    name = f"g{s + 1}_{power}"
                    parts.append((_monomial(graph, inputs, P, name, 1, exps), coeff))
            factors.append(_add(graph, f"g{s + 1}", parts, gs.get(0, 0)))
        graph.add_node("u", kind="multiply", label="multiply")
        for src in factors:
            graph.add_edge(src, "u")
        out = "u"
    h_label = "h(u) = " + gfpoly.to_text({(e,): c for e, c in h.items()}, ("u",))
    graph.add_node("h", kind="outer", coefficients=dict(h), label=h_label)
    graph.add_edge(out, "h")
    graph.graph["output"] = "h"
    return graph


def sum_of_monomials_graph(
    P: ModPoly, monomials: tuple[Monomial, ...], constant: int
) -> nx.DiGraph:
    """``constant + sum_i c_i m_i``: the composite form (the mixture of experts)."""
    graph, inputs = _inputs(P)
    parts = [(_monomial(graph, inputs, P, f"m{i}", 1, e), c) for i, (c, e) in enumerate(monomials)]
    graph.graph["output"] = _add(graph, "sum", parts, constant)
    return graph


def _inputs(P: ModPoly) -> tuple[nx.DiGraph, list[str]]:
    graph = nx.DiGraph()
    for s, v in enumerate(P.variables):
        graph.add_node(v, kind="input", variable=v, index=s, label=v)
    return graph, list(P.variables)


def _monomial(
    graph: nx.DiGraph, inputs: list[str], P: ModPoly, name: str, coeff: int, exps: tuple[int, ...]
) -> str:
    text = gfpoly.to_text({exps: coeff}, P.variables)
    graph.add_node(name, kind="monomial", coefficient=coeff, exponents=exps, label=text)
    for s, a in enumerate(exps):
        if a:
            graph.add_edge(inputs[s], name, exponent=a)
    return name


def _add(graph: nx.DiGraph, name: str, terms: list[tuple[str, int]], const: int) -> str:
    graph.add_node(name, kind="add", constant=const, label=f"add (+{const})")
    for src, coeff in terms:
        graph.add_edge(src, name, coefficient=coeff)
    return name


def evaluate_graph(graph: nx.DiGraph, p: int, nvars: int) -> npt.NDArray[np.int64]:
    """Value table ``(p,) * nvars`` computed node by node (independent of ``ModPoly.table``)."""
    exps = [e for _, _, e in graph.edges(data="exponent") if e is not None]
    pw = power_table(p, max([1, *exps]))
    values: dict[str, npt.NDArray[np.int64]] = {}
    for node in nx.topological_sort(graph):
        data = graph.nodes[node]
        kind = data["kind"]
        preds = list(graph.predecessors(node))
        if kind == "input":
            shape = [1] * nvars
            shape[data["index"]] = p
            v = np.arange(p, dtype=np.int64).reshape(shape)
        elif kind == "monomial":
            v = np.asarray(data["coefficient"] % p, dtype=np.int64)
            for src in preds:
                v = v * pw[graph.edges[src, node]["exponent"]][values[src]] % p
        elif kind == "add":
            v = np.asarray(data["constant"] % p, dtype=np.int64)
            for src in preds:
                v = (v + graph.edges[src, node]["coefficient"] * values[src]) % p
        elif kind == "multiply":
            v = np.ones((), dtype=np.int64)
            for src in preds:
                v = v * values[src] % p
        else:  # outer
            (src,) = preds
            v = gfpoly.univariate_values(data["coefficients"], p)[values[src]]
        values[node] = v
    out = values[graph.graph["output"]]
    return np.ascontiguousarray(np.broadcast_to(out, (p,) * nvars), dtype=np.int64)

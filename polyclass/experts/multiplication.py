"""Multiplication experts: ``h(g_1(n_1) * ... * g_S(n_S))`` (the ``multiplicative`` form; the
monomial experts of a ``composite`` mixture are the case ``g_s = n^a_s``).

On ``Z_p^*`` the product is a sum of discrete logarithms in ``Z_{p-1}``:
``log(c prod n_s^a_s) = log c + sum_s a_s log n_s``, so the addition construction applies with
period ``p - 1`` on log-reindexed columns (paper Eq. 6, extended to S factors and to any outer
map ``h``). A factor equal to 0 has no logarithm: its embedding column is zero on every cosine
neuron and 1 on one extra *zero neuron* whose readout is ``e_{h(0)}``. With exact lattice phases
the cosine neurons then contribute exactly 0 to every logit (the remaining cross terms all
cancel, see `polyclass.experts.design`), and the zero neuron gives ``z^S`` to ``h(0)``,
where ``z >= 1`` is the number of zero factors: right on every input, margin at least 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..field import powmod_array
from .core import ExpertSpec, make_spec
from .design import IntArray


def monomial_spec(
    coefficient: int, exponents: Sequence[int], p: int, outer: IntArray | None = None
) -> ExpertSpec:
    """``h(c * prod_s n_s^{a_s})`` with ``h = id`` unless ``outer`` is given (``0^0 = 1``)."""
    n = np.arange(p, dtype=np.int64)
    inner = [powmod_array(n, int(a), p) for a in exponents]
    c = coefficient % p
    h = n if outer is None else np.asarray(outer, dtype=np.int64) % p
    folded = h[(n * c) % p]
    label = "monomial" if outer is None else "h_of_product"
    return make_spec("product", p, inner, folded, label=label)


def product_spec(inner: Sequence[IntArray], outer: IntArray, p: int) -> ExpertSpec:
    """``h(g_1(n_1) * ... * g_S(n_S))`` from value arrays (any maps ``Z_p -> Z_p``)."""
    return make_spec("product", p, list(inner), outer, label="h_of_product")

"""Addition experts: ``h(g_1(n_1) + ... + g_S(n_S))`` in ``Z_p`` (``h_of_sum``, affine included).

The inner maps live in the embeddings (input ``s`` sits at position ``g_s(n)`` of ``Z_p``) and
the outer map in the readout (rows sum over preimages), so affine functions
(``g_s(n) = c_s n``, ``h(v) = v + c``) and ``h_of_sum`` polynomials are the same construction;
paper Eq. 2 is the case ``h = id``. Weights: `polyclass.experts.core.build_expert`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..field import powmod_array
from .core import ExpertSpec, make_spec
from .design import IntArray


def poly_values(coefficients: dict[int, int], p: int) -> IntArray:
    """``sum_e c_e n^e`` for ``n = 0 .. p-1`` (``0^0 = 1``): int64 ``(p,)``."""
    n = np.arange(p, dtype=np.int64)
    out = np.zeros(p, dtype=np.int64)
    for e, c in coefficients.items():
        out = (out + (c % p) * powmod_array(n, e, p)) % p
    return out


def affine_spec(coefficients: Sequence[int], constant: int, p: int) -> ExpertSpec:
    """``(c_1 n_1 + ... + c_S n_S + constant) mod p``."""
    n = np.arange(p, dtype=np.int64)
    inner = [(c % p) * n % p for c in coefficients]
    outer = (n + constant) % p
    return make_spec("sum", p, inner, outer, label="affine")


def sum_spec(inner: Sequence[IntArray], outer: IntArray, p: int) -> ExpertSpec:
    """``h(g_1(n_1) + ... + g_S(n_S))`` from value arrays (any maps ``Z_p -> Z_p``)."""
    return make_spec("sum", p, list(inner), outer, label="h_of_sum")

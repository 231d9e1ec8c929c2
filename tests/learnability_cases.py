"""Test functions for the learnability classifier, built with plain Python integers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reference import table_of

# (text, Python function, learnable): the list at the end of LEARNABILITY.md.
# Learnable: decomposes over Z_p, or through the multiplicative template.
FUNCTIONS: list[tuple[str, Callable[[int, int], int], bool]] = [
    ("(4*x + y^2)^3", lambda x, y: (4 * x + y * y) ** 3, True),
    ("(2*x + 3*y)^4", lambda x, y: (2 * x + 3 * y) ** 4, True),
    ("(5*x^3 + 2*y^4)^2", lambda x, y: (5 * x**3 + 2 * y**4) ** 2, True),
    ("x^2 + y^2", lambda x, y: x * x + y * y, True),
    ("x*y", lambda x, y: x * y, True),
    ("x*y + x + y", lambda x, y: x * y + x + y, True),
    ("x^2*y^2 + x^2 + y^2", lambda x, y: x * x * y * y + x * x + y * y, True),
    ("(4*x + y^2)^3 + x*y", lambda x, y: (4 * x + y * y) ** 3 + x * y, False),
    ("(2*x + 3*y)^4 - x^2", lambda x, y: (2 * x + 3 * y) ** 4 - x * x, False),
    ("(5*x^3 + 2*y^4)^2 - y", lambda x, y: (5 * x**3 + 2 * y**4) ** 2 - y, False),
    ("x^2 + x*y + y^2", lambda x, y: x * x + x * y + y * y, False),
    ("x^3 + x*y", lambda x, y: x**3 + x * y, False),
    ("x^3 + x*y^2 + y", lambda x, y: x**3 + x * y * y + y, False),
    ("x^2 + x*y + y^2 + x", lambda x, y: x * x + x * y + y * y + x, False),
    (
        "2*x^4*y + x^2*y^2 + 3*x*y^3",
        lambda x, y: 2 * x**4 * y + x * x * y * y + 3 * x * y**3,
        False,
    ),
]

# The paper's Appendix C: learnable exactly when the reported test accuracy is 100%.
APPENDIX_C: list[tuple[str, int, float]] = [
    ("(4*n1 + n2^2)^3", 97, 100.0),
    ("(4*n1 + n2^2)^3 + n1*n2", 97, 2.27),
    ("(2*n1 + 3*n2)^4", 97, 100.0),
    ("(2*n1 + 3*n2)^4 - n1^2", 97, 3.93),
    ("(5*n1^3 + 2*n2^4)^2", 97, 100.0),
    ("(5*n1^3 + 2*n2^4)^2 - n2", 97, 72.32),
    ("(4*n1 + n2^2)^3", 23, 100.0),
    ("(4*n1 + n2^2)^3 + n1*n2", 23, 1.89),
    ("(2*n1 + 3*n2)^4", 23, 100.0),
    ("(2*n1 + 3*n2)^4 - n1^2", 23, 7.17),
    ("(5*n1^3 + 2*n2^4)^2", 23, 100.0),
    ("(5*n1^3 + 2*n2^4)^2 - n2", 23, 2.64),
]


def poly_table(fn: Callable[[int, int], int], p: int) -> np.ndarray:
    return table_of(fn, p, 2)


def planted(p: int, seed: int, bijective: bool = True, injective_h: bool = False) -> np.ndarray:
    """``h(g1(x) + g2(y)) mod p`` with random maps, evaluated with Python ints."""
    rng = np.random.default_rng(seed)
    if bijective:
        g1, g2 = rng.permutation(p).tolist(), rng.permutation(p).tolist()
    else:
        g1, g2 = rng.integers(0, p, p).tolist(), rng.integers(0, p, p).tolist()
    h = rng.permutation(p).tolist() if injective_h else rng.integers(0, p, p).tolist()
    return np.array([[h[(g1[x] + g2[y]) % p] for y in range(p)] for x in range(p)], dtype=np.int64)


def swapped(T: np.ndarray, seed: int) -> np.ndarray:
    """Swap a 2x2 pattern ``[[v, w], [w, v]] -> [[w, v], [v, w]]``: every row and column keeps
    its multiset of values, so the fibre bound cannot see the change."""
    rng = np.random.default_rng(seed)
    p = T.shape[0]
    for _ in range(10_000):
        i, k = (int(v) for v in rng.choice(p, 2, replace=False))
        for j in rng.permutation(p).tolist():
            for c in range(p):
                v, w = int(T[i, j]), int(T[i, c])
                if v != w and int(T[k, c]) == v and int(T[k, j]) == w:
                    U = T.copy()
                    U[i, j], U[i, c], U[k, j], U[k, c] = w, v, v, w
                    return U
    raise AssertionError("no 2x2 pattern to swap")

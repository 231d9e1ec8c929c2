"""Exact table symmetries against brute force over every affine pair at small p."""

import itertools

import numpy as np
import pytest

import polyclass as pc
from polyclass.errors import PolyclassError
from polyclass.learnability.symmetry import Symmetry, compose, symmetry_group


def brute_symmetries(T: np.ndarray) -> set[Symmetry]:
    """Every (swap, a, b, c, d) with f(g(x, y)) = f(x, y), checked cell by cell."""
    p = T.shape[0]
    found = set()
    units = range(1, p)
    for swap, a, b, c, d in itertools.product((False, True), units, range(p), units, range(p)):
        ok = True
        for x in range(p):
            for y in range(p):
                u, v = (y, x) if swap else (x, y)
                if T[(a * u + b) % p, (c * v + d) % p] != T[x, y]:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            found.add(Symmetry(a, b, c, d, swap))
    return found


def symmetrised(p: int, seed: int) -> np.ndarray:
    """A random table made invariant under (x, y) -> (w x, w^-1 y) for w of order 2, and swap."""
    rng = np.random.default_rng(seed)
    T = rng.integers(0, p, (p, p))
    for x in range(p):
        for y in range(p):
            cells = {(x, y), ((-x) % p, (-y) % p), (y, x), ((-y) % p, (-x) % p)}
            value = T[min(cells)]
            for cell in cells:
                T[cell] = value
    return T


POLYS = [
    "x + y",
    "x*y",
    "x^2 + y^2",
    "x^2 + x*y + y^2",
    "x^4 + y^4 + 3*x*y",
    "x^3 + x*y",
    "x^3 + x*y^2 + y",
    "x^2*y + x*y^2",
    "x",
    "x^2 + 2*y",
    "x - y",
    "3",
]


CASES = [(text, p) for text in POLYS for p in (5, 7)]
CASES += [(text, 13) for text in ("x*y", "x^4 + y^4 + 3*x*y", "x^3 + x*y")]


@pytest.mark.parametrize(("text", "p"), CASES)
def test_every_symmetry_found_none_invented(text, p):
    T = pc.parse(f"{text} mod {p}", variables=("x", "y")).table()
    G = symmetry_group(T)
    assert set(G.elements) == brute_symmetries(T)
    assert len(set(G.elements)) == G.order


@pytest.mark.parametrize("seed", range(4))
def test_random_and_symmetrised_tables(seed):
    p = 7
    rng = np.random.default_rng(seed)
    for T in (rng.integers(0, 3, (p, p)), symmetrised(p, seed)):
        assert set(symmetry_group(T).elements) == brute_symmetries(T)


@pytest.mark.parametrize(  # orders 8, 34 and 36: the small- and the large-group path
    ("text", "p"), [("x^4 + y^4 + 3*x*y", 13), ("x + y", 17), ("x*y", 19)]
)
def test_group_closed_and_orbits_are_image_sets(text, p):
    G = symmetry_group(pc.parse(f"{text} mod {p}", variables=("x", "y")).table())
    elements = set(G.elements)
    assert all(compose(g, h, p) in elements for g in elements for h in elements)
    labels = G.orbits()
    for x, y in [(0, 0), (1, 2), (5, 11)]:
        orbit = {tuple(int(t) for t in g.apply(np.array(x), np.array(y), p)) for g in elements}
        assert {(u, v) for u in range(p) for v in range(p) if labels[u, v] == labels[x, y]} == orbit


def test_describe_names_the_quartic_group():
    T = pc.parse("x^4 + y^4 + 3*x*y mod 97", variables=("x", "y")).table()
    G = symmetry_group(T)
    assert G.order == 8
    assert G.describe() == "symmetry group of order 8: (x, y) -> (w x, w^-1 y), w^4 = 1; swap"
    assert symmetry_group(pc.parse("x^3 + x*y^2 + y mod 23").table()).describe() == (
        "no symmetry (trivial group)"
    )


def test_bad_shape_is_refused():
    with pytest.raises(PolyclassError, match="square two-variable table"):
        symmetry_group(np.zeros((3, 4), dtype=np.int64))

"""decompose finds what classify proves: on the family ``vars=2, degree<=3, coeffs=-1..1`` at
p = 23, the learnable / not-learnable answer of the symbolic decomposition equals the
verdict of the table classifier (which is given only the bare value table).

The full family (59,049 polynomials; 32 minutes measured on a busy 2-core machine) runs under
``slow``; the default run checks every 100th member in enumeration order, plus hard cases.
"""

from __future__ import annotations

import pytest

import polyclass as pc
from polyclass.atlas.family import Family, enumerate_family

P = 23
FAMILY = Family(variables=("x", "y"), max_degree=3, coeffs=(-1, 0, 1), primes=(P,))

HARD = [
    "x*y + x + y",  # (x + 1)(y + 1) - 1
    "x^2*y + y",  # y (x^2 + 1)
    "x^3*y - x*y",  # non-injective factor x^3 - x
    "x^2*y^2 + 2*x*y + 1",  # (xy + 1)^2
    "x^3 + 3*x^2*y + 3*x*y^2 + y^3",  # (x + y)^3
    "x^2 + 2*x*y + y^2 + x + y",  # h(u) = u^2 + u, u = x + y
    "x^3 + y^3 + x - y",  # a sum of univariate maps
    "x^2 + x*y + y^2",  # not learnable
    "x^3*y + x*y^3",  # not learnable
]


def agree(P) -> tuple[bool, str]:
    D = pc.decompose(P)
    V = pc.classify(P.table(), P.p)
    return V.learnable is not None and D.learnable == V.learnable, f"{P}: {D.form} vs {V.form}"


def test_every_hundredth_member_and_the_hard_cases_agree():
    texts = list(FAMILY.texts())[::100] + HARD
    learnable = 0
    for text in texts:
        poly = pc.parse(text, p=P, variables=FAMILY.variables)
        ok, what = agree(poly)
        assert ok, what
        learnable += pc.decompose(poly).learnable
    assert learnable > 15  # the sample is not all of one kind


@pytest.mark.slow
def test_the_whole_family_agrees():
    E = enumerate_family(FAMILY, max_polynomials=FAMILY.size())
    assert len(E.polys) == 3**10
    bad = [what for ok, what in map(agree, E.polys) if not ok]
    assert not bad, bad[:10]

"""Two numbers of the outer function h of a decomposition h(g1 + g2) over Z_n, or of a
product h(g1 g2) read on the units as a sum of discrete logarithms over Z_(p-1), that move
the threshold at which networks learn it (`polyclass.learnability.graded`): the order of
h's affine stabiliser and how much h collapses the values of the inner sum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import gfpoly
from ..decomposition.outer import outer_candidates
from ..errors import PolyclassError


@dataclass(frozen=True)
class Outer:
    """Two numbers of the outer function h of a decomposition h(g1 + g2) over Z_n that move
    the decomposition's threshold (docs/src/calibration.md)."""

    #: Affine maps t -> a t + b of Z_n (a a unit) with h(a t + b) = h(t), the identity
    #: included: 2 for h(t) = t^2 + c t (h(-c - t) = h(t)), 1 for most h.
    stabiliser: int
    #: 1 - (entropy of h's values over Z_n) / log n: 0 when h is one-to-one, larger the
    #: more h merges values of the inner sum.
    collapse: float

    def describe(self) -> str:
        return (
            f"outer h: affine stabiliser of order {self.stabiliser}, "
            f"value collapse {self.collapse:.2f}"
        )


#: The neutral outer function: what the score assumes when no cyclic h is known.
NO_OUTER = Outer(stabiliser=1, collapse=0.0)


def outer_function(h: Any) -> Outer:
    """`Outer` of h, given as its values h(0), ..., h(n - 1) over Z_n.

    The stabiliser is found without trying every (a, b): a map that keeps h sends a point
    t0 of h's rarest value to a point of the same value, so for each unit a only the
    ``b = t1 - a t0`` with h(t1) = h(t0) are tried; the cost is about
    ``n * (rarest fibre) * n``.
    """
    values = np.asarray(h, dtype=np.int64).reshape(-1)
    n = values.size
    if n == 0:
        raise PolyclassError("outer_function needs the values of h on Z_n, n >= 1; got none")
    distinct, counts = np.unique(values, return_counts=True)
    collapse = _collapse(counts)
    units = [a for a in range(1, n) if math.gcd(a, n) == 1] if n > 1 else [0]
    if counts.size == 1:  # constant: every affine map keeps it
        return Outer(stabiliser=n * len(units), collapse=collapse)
    rare_value = distinct[int(np.argmin(counts))]
    fibre = np.flatnonzero(values == rare_value)
    t = np.arange(n, dtype=np.int64)
    order = sum(
        1
        for a in units
        for target in fibre
        if np.array_equal(values[(a * t + target - a * fibre[0]) % n], values)
    )
    return Outer(stabiliser=order, collapse=collapse)


def _collapse(counts: np.ndarray) -> float:
    """1 - (entropy of values) / log(their number), from how often each distinct value
    occurs: 0 when they are distinct."""
    n = int(counts.sum())
    if counts.size == n:  # exactly 0, not 0 up to rounding
        return 0.0
    share = counts / n
    return max(0.0, 1.0 + float((share * np.log(share)).sum()) / math.log(n))


def certificate_outer(certificate: dict[str, Any] | None) -> Outer:
    """`Outer` of a decomposition certificate over one cyclic group Z_n (group ``[n]``) or
    of the multiplicative template (group ``[p - 1, S + 1]`` for S inputs: a product of the
    inputs' values is, on the units, a sum of their discrete logarithms in Z_(p-1), and h
    is read on those codes, whose second digit, the count of zero factors, is 0). Only the
    sums that occur are read: when they fill a coset ``c + d Z_n`` short of the group
    (``x^2 y^2`` reaches the squares only) h is read as a function on it, ``k -> h(c + d
    k)`` over ``Z_(n/d)``, and when h is periodic there (``h(t + s) = h(t)``: ``x^4 y^4 +
    3 x^2 y^2 = H(x y)`` with ``H(-u) = H(u)``) on the quotient by its periods, so that
    one table reads the same whichever inner sum its certificate names (``H'(x^2 y^2)``,
    ``H'(v) = v^2 + 3v``, on the squares). On sums that fill no coset (``x^11 + y^11`` at
    p = 23: -2..2) only the collapse of h's values there is read. `NO_OUTER` for any other
    certificate (products of other groups)."""
    if not certificate or certificate.get("kind") != "decomposition" or "h" not in certificate:
        return NO_OUTER
    group = [int(n) for n in certificate.get("group", ())]
    g = [np.asarray(codes, dtype=np.int64) for codes in certificate.get("g", ())]
    template = len(group) == 2 and group[1] == len(g) + 1 and group[0] == g[0].size - 1
    if not g or not (len(group) == 1 or template):
        return NO_OUTER
    n = group[0]
    reached = np.zeros(1, dtype=np.int64)
    for codes in g:
        units = np.unique(codes[codes < n])
        reached = np.unique((reached[:, None] + units[None, :]) % n)
    if reached.size == 0:
        return NO_OUTER
    h = np.asarray(certificate["h"], dtype=np.int64)
    step = math.gcd(n, *(int(r) for r in reached - reached[0]))
    if reached.size != n // step:
        _, counts = np.unique(h[reached], return_counts=True)
        return Outer(stabiliser=1, collapse=_collapse(counts))
    values = h[(reached[0] + step * np.arange(n // step)) % n]
    period = next(
        d for d in range(1, values.size + 1) if np.array_equal(np.roll(values, d), values)
    )
    return outer_function(values[:period])


@dataclass(frozen=True)
class Composition:
    """``f = h(q)`` for a polynomial that is not ``h(g1 + g2)``: the outer function h of
    largest `Outer.collapse` among the symbolic candidates, and the table of ``q``.

    The calibration study's tables of this kind whose ``q`` has no one-input twist were
    learned far later than their symmetries say (``(x^2 + xy + y^2)^2``: 0.11-0.28 test
    accuracy at p = 23, alpha = 0.7-0.8, where ``x^2 + xy + y^2`` reaches 0.41-0.94): h
    merges values of ``q`` as it merges values of the inner sum of a decomposition, and
    the score delays the symmetries' use by the same kind of term
    (`polyclass.learnability.graded`; docs/src/calibration.md).
    """

    h: dict[int, int]
    inner: np.ndarray
    outer: Outer

    @property
    def merges(self) -> bool:
        return self.outer.collapse > 0.0

    def h_text(self) -> str:
        return gfpoly.to_text({(e,): c for e, c in self.h.items()}, ("t",))


def composition(poly: Any) -> Composition | None:
    """`Composition` of a two-variable polynomial (a ModPoly) whose symbolic outer
    candidates (`polyclass.decomposition.outer.outer_candidates`) include an ``h`` of
    degree >= 2 that merges values of Z_p; None otherwise (h one-to-one on Z_p, as ``t^3``
    at p = 23, only relabels the outputs)."""
    if poly.nvars != 2:
        return None
    p = poly.p
    best: Composition | None = None
    for u, h, _ in outer_candidates(poly):
        if max(h, default=0) < 2:
            continue
        outer = outer_function(gfpoly.univariate_values(h, p))
        if outer.collapse > 0.0 and (best is None or outer.collapse > best.outer.collapse):
            best = Composition(h, gfpoly.evaluate_table(u, p, 2), outer)
    return best

"""Two numbers of the outer function h of a decomposition h(g1 + g2) over Z_n that move the
threshold at which networks learn it (`polyclass.learnability.graded`): the order of h's
affine stabiliser and how much h collapses the values of the inner sum.
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
    _, counts = np.unique(values, return_counts=True)
    share = counts / n
    entropy = float(-(share * np.log(share)).sum() / math.log(n)) if n > 1 else 1.0
    units = [a for a in range(1, n) if math.gcd(a, n) == 1] if n > 1 else [0]
    if counts.size == 1:  # constant: every affine map keeps it
        return Outer(stabiliser=n * len(units), collapse=1.0 - entropy)
    rare_value = np.unique(values)[int(np.argmin(counts))]
    fibre = np.flatnonzero(values == rare_value)
    t = np.arange(n, dtype=np.int64)
    order = sum(
        1
        for a in units
        for target in fibre
        if np.array_equal(values[(a * t + target - a * fibre[0]) % n], values)
    )
    return Outer(stabiliser=order, collapse=max(0.0, 1.0 - entropy))


def certificate_outer(certificate: dict[str, Any] | None) -> Outer:
    """`Outer` of a decomposition certificate over one cyclic group Z_n (group ``[n]``);
    `NO_OUTER` for any other certificate (products of groups, the multiplicative
    template: their affine maps are not modelled)."""
    if not certificate or certificate.get("kind") != "decomposition":
        return NO_OUTER
    if len(certificate.get("group", ())) != 1 or "h" not in certificate:
        return NO_OUTER
    return outer_function(certificate["h"])


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

"""Classes of linked cells of a two-variable table: the cells that symmetries, one-input
twists and repeated rows and columns tie together, whose values determine each other. The
graded score's coverages are computed from their sizes (`polyclass.learnability.graded`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import binom

from ..field import IntArray
from .symmetry import SymmetryGroup, symmetry_group
from .tables import line_classes
from .twists import (
    CosetLines,
    HomogeneousForm,
    Twist,
    coset_lines,
    homogeneous_form,
    one_input_twists,
    twist_orbits,
)


@dataclass(frozen=True)
class Structure:
    """What the graded score uses: class sizes of linked cells and their description."""

    p: int
    class_size: IntArray  # (p, p): size of each cell's class of linked cells
    fibre_size: IntArray  # (p, p): the same with repeated rows and columns only
    majority_share: float
    at_majority: npt.NDArray[np.bool_]  # (p, p): cells whose value is the majority class
    group: SymmetryGroup | None
    repeated_rows: int
    repeated_columns: int
    #: the one-input twists found: those of order 2 (`Twist.is_reflection`) link cells in
    #: ``class_size``, the others only in ``twisted_size``
    twists: tuple[Twist, ...] = ()
    #: `gain` with only a subgroup of reflections (`SymmetryGroup.involutive`: maps whose
    #: squares keep every cell among its repeated rows and columns), twists and fibres as
    #: before; None when the symmetries were not searched (`lines_structure`).
    involutive_gain: float | None = None
    #: (p, p): each cell's class when the twists of higher order (``f(w x, y) = w f``,
    #: ``w^3 = 1``) link cells too; None when the table has none.
    twisted_size: IntArray | None = None
    #: (p, p): cells whose class under the symmetries alone (with the fibres, without the
    #: twists) is larger than their fibre; None when the symmetries were not searched.
    symmetric: npt.NDArray[np.bool_] | None = None
    #: the table as a homogeneous form about a centre whose row and column are constant
    #: (`twists.homogeneous_form`); None when it is none or the symmetries were not searched.
    homogeneous: HomogeneousForm | None = None
    #: the table's lines as affine images of one bijection with scales in a coset
    #: (`twists.coset_lines`); None when they are not or the symmetries were not searched.
    coset: CosetLines | None = None

    def coverage(
        self, alpha: float, lines_only: bool = False, seen: int = 1, twisted: bool = False
    ) -> float:
        """Expected share of test cells inferable from a random fraction alpha (or majority).

        A test cell counts when at least ``seen`` other cells of its class were in training
        (each with probability alpha); ``lines_only``: classes of repeated rows and columns;
        ``twisted``: the classes the twists of higher order join as well.
        """
        size = self.fibre_size if lines_only else self.class_size
        if twisted and not lines_only and self.twisted_size is not None:
            size = self.twisted_size
        miss = binom.cdf(seen - 1, size - 1, alpha)  # fewer than `seen` partners in training
        return float(np.mean((1.0 - miss) + miss * self.at_majority))

    def coset_coverage(self, alpha: float) -> float:
        """Expected share of test cells an ideal learner of the `CosetLines` infers (0 for a
        table without them): a cell whose line has ``A != 0`` needs two other cells of its
        line in training (the line's ``A`` and ``B``), one on a constant line; the majority
        class on the rest. How much of it networks use depends on the coset's order
        (`twists.coset_gain`)."""
        if self.coset is None:
            return 0.0
        constant = np.zeros(self.p, dtype=bool)
        constant[list(self.coset.constant)] = True
        needed = np.where(constant, 1, 2)  # per line, indexed by the other input
        needed = needed[None, :] if self.coset.axis == 0 else needed[:, None]
        miss = binom.cdf(needed - 1, self.p - 1, alpha) * np.ones((self.p, self.p))
        return float(np.mean((1.0 - miss) + miss * self.at_majority))

    def quotient_alpha(self, alpha: float) -> float:
        """The fraction of training the symmetries read: where a symmetry links a cell's
        fibre of repeated rows and columns to other fibres, the network sees it acting on the
        table of fibres, whose cells training covers with probability ``1 - (1 - alpha)^k``
        for a fibre of ``k`` cells; elsewhere ``alpha``. The mean over cells (``alpha`` for a
        table whose symmetries, if any, link no fibres or that has no repeated lines)."""
        linked = None if self.symmetric is None else self.symmetric & (self.fibre_size > 1)
        if linked is None or not linked.any():
            return float(alpha)
        known = 1.0 - (1.0 - alpha) ** self.fibre_size
        return float(np.mean(np.where(linked, known, alpha)))

    @property
    def gain(self) -> float:
        """Mean ratio of a cell's symmetry class to its fibre of repeated rows/columns (>= 1)."""
        return float(np.mean(self.class_size / self.fibre_size))

    @property
    def higher_order_gain(self) -> float:
        """The factor of `gain` that only symmetries of order > 2 give (``(w x, w y)``,
        ``(w x, w^-1 y)`` with ``w^4 = 1``, ..., counted modulo repeated rows and columns):
        ``gain`` over the gain of a subgroup of reflections (>= 1; 1 when there are none).
        The graded score counts it apart: networks use such symmetries later than their
        gain says."""
        if self.involutive_gain is None:
            return 1.0
        return max(1.0, self.gain / self.involutive_gain)

    @property
    def twist_gain(self) -> float:
        """The factor by which the twists of higher order enlarge the classes: the mean
        ratio of a cell's twisted class to its fibre over `gain` (1 when there are none).
        The graded score uses them apart, and later than symmetries."""
        if self.twisted_size is None:
            return 1.0
        return float(np.mean(self.twisted_size / self.fibre_size)) / self.gain

    @property
    def homogeneous_on_axes(self) -> bool:
        """Whether the table is a `HomogeneousForm` and has no symmetry of order > 2 (where
        it has, ``higher_order_gain`` already moves the use): the graded score's b_z term,
        networks used these symmetries earlier (check set K)."""
        return self.homogeneous is not None and self.higher_order_gain <= 1.0

    @property
    def paired_twists(self) -> bool:
        """Whether twists of higher order move both inputs (``f(w x, y) = w^i f`` and
        ``f(x, w y) = w^j f``, ``w^3 = 1``): then every row and every column is a multiple of two
        others, the scalings of both inputs that leave f unchanged are products of twists,
        and the networks of check set H used the twisted classes as they use symmetry
        classes (the graded score counts `twist_gain` in the gain for them)."""
        return {t.axis for t in self.twists if not t.is_reflection(self.p)} == {0, 1}

    def describe(self) -> str:
        if self.group is not None:
            parts = [self.group.describe()]
        elif self.p - 1 in (self.repeated_rows, self.repeated_columns):
            parts = ["one input only (its symmetries link no cells beyond repeated lines)"]
        else:
            parts = ["symmetries not computed"]
        if self.twists:
            shown = ", ".join(t.describe(self.p) for t in self.twists[:3])
            more = f" and {len(self.twists) - 3} more" if len(self.twists) > 3 else ""
            noun = "twist" if len(self.twists) == 1 else "twists"
            parts.append(f"{len(self.twists)} one-input {noun}: {shown}{more}")
        if self.repeated_rows or self.repeated_columns:
            parts.append(
                f"{self.repeated_rows} repeated rows, {self.repeated_columns} repeated columns"
            )
        return "; ".join(parts)


def table_structure(table: object, twists: bool = True, symmetries: bool = True) -> Structure:
    """Symmetry orbits joined with the fibres of repeated rows and columns and (``twists``)
    with the orbits of the one-input twists of order 2, for a 2-D table, and apart from
    those (``twisted_size``) with the orbits of every one-input twist; ``symmetries=False``:
    the fibres alone, with neither search (`lines_structure`)."""

    T = np.asarray(table, dtype=np.int64)
    p = T.shape[0]
    rows, cols = line_classes(T, 0), line_classes(T, 1)
    fibre = (rows[:, None] * p + cols[None, :]).reshape(-1)
    # A table of one input (every row, or every column, the same) has as many symmetries
    # as maps of the other input (2 (p (p - 1))^2 for a constant one), and each sends every
    # cell into its own fibre: they are not searched.
    one_input = int(rows.max()) == 0 or int(cols.max()) == 0
    group = symmetry_group(T) if symmetries and not one_input else None
    found: tuple[Twist, ...] = ()
    if symmetries and twists:
        found = one_input_twists(T)
    reflections = tuple(t for t in found if t.is_reflection(p))
    twisted = twist_orbits(p, reflections)
    classes = _linked(fibre, group, twisted)
    twisted_size = None
    if len(reflections) < len(found):  # the classes above joined with the other twists' orbits
        higher = tuple(t for t in found if not t.is_reflection(p))
        joined = _linked(classes, None, twist_orbits(p, higher))
        twisted_size = np.bincount(joined)[joined].reshape(p, p)
    fibre_size = np.bincount(fibre)[fibre]
    involutive_gain = None
    symmetric = None
    if group is not None:
        alone = classes if not twisted else _linked(fibre, group, [])
        symmetric = (np.bincount(alone)[alone] > np.bincount(fibre)[fibre]).reshape(p, p)
        low = group.involutive((rows, cols))
        same = low.order == group.order
        lower = classes if same else _linked(fibre, low, twisted)
        involutive_gain = float(np.mean(np.bincount(lower)[lower] / fibre_size))
    counts = np.bincount(T.ravel())
    return Structure(
        p=p,
        class_size=np.bincount(classes)[classes].reshape(p, p),
        fibre_size=fibre_size.reshape(p, p),
        majority_share=float(counts.max() / T.size),
        at_majority=T == int(counts.argmax()),
        group=group,
        repeated_rows=p - int(rows.max()) - 1,
        repeated_columns=p - int(cols.max()) - 1,
        twists=found,
        involutive_gain=involutive_gain,
        twisted_size=twisted_size,
        symmetric=symmetric,
        homogeneous=homogeneous_form(T) if symmetries else None,
        coset=coset_lines(T) if symmetries else None,
    )


def _linked(fibre: IntArray, group: SymmetryGroup | None, twisted: list[IntArray]) -> IntArray:
    """Class ids of cells linked by the fibres, the group's orbits and the twists' orbits."""
    classes = fibre
    if group is not None:
        classes = _join(group.orbits().reshape(-1), classes)
    for part in twisted:
        classes = _join(classes, part)
    return classes


def _join(a: IntArray, b: IntArray) -> IntArray:
    """Class ids (0..n-1) of the finest partition coarser than both labelings ``a``, ``b``."""
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    label = np.arange(a.size, dtype=np.int64)
    while True:
        before = label
        for part in (a, b):
            low = np.full(part.max() + 1, label.size, dtype=np.int64)
            np.minimum.at(low, part, label)
            label = low[part]
        if np.array_equal(before, label):
            _, ids = np.unique(label, return_inverse=True)
            return np.asarray(ids, dtype=np.int64).reshape(-1)


#: Above this prime the symmetry and twist searches are skipped (seconds at p ~ 1000) and
#: the score uses repeated rows and columns only.
MAX_SYMMETRY_P = 400


def lines_structure(T: IntArray) -> Structure:
    """`table_structure` with repeated rows and columns only (no symmetry or twist search)."""
    return table_structure(T, symmetries=False)

"""One typed `Structure`: ``f = h(g_1(n_1) + ... + g_S(n_S))`` over a finite abelian group.

The symbolic decomposition (`polyclass.decompose`) and the table classifier
(`polyclass.classify`) both produce a Structure; a `Verdict` carries it
(``V.structure``) and `polyclass.compile`, the IPR basis and the trainer consume it.

Two templates, both sums in a finite abelian group:

* ``h_of_sum`` (and ``one_variable``): the group is ``Z_p``; ``inner[s]`` is ``g_s`` and
  ``outer`` is ``h``, so ``f = outer(inner_1(n_1) + ... + inner_S(n_S) mod p)``.
* ``multiplicative``: ``f = outer(inner_1(n_1) * ... * inner_S(n_S) mod p)``; on the
  multiplicative monoid of ``GF(p)`` this is a sum in ``Z_(p-1) x Z_(S+1)`` (discrete log of
  each non-zero factor, and the number of zero factors), the codes of `group_codes`.

``inner`` and ``outer`` are exact int64 tables ``(p,)``; ``inner_poly`` / ``outer_poly`` hold
the polynomials ``{exponent: coefficient}`` where they are known (the symbolic path). Where
the classifier never sees a group total, ``outer`` was completed (see `complete_outer`):
those entries never reach ``f``.

Examples:
    >>> from polyclass.structure import Structure
    >>> import numpy as np
    >>> n = np.arange(7)
    >>> St = Structure.product(7, ("x", "y"), [(n + 3) % 7, (n - 1) % 7], n)
    >>> St.form, St.group, int(St.table()[2, 4])
    ('multiplicative', (6, 3), 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from . import gfpoly
from .field import exp_table, log_table, primitive_root

IntArray = npt.NDArray[np.int64]
Univariate = dict[int, int]

#: The one vocabulary of forms shared by decompose, classify, compile, the CLI and --json.
#: The first three are learnable structures; ``composite`` is a polynomial built from several
#: structures (the mixture of experts); the last two are verdicts without a structure.
FORMS = (
    "one_variable",
    "h_of_sum",
    "multiplicative",
    "composite",
    "not_decomposable",
    "undetermined",
)
LEARNABLE_FORMS = FORMS[:3]


@dataclass(frozen=True, eq=False)
class Structure:
    """``f = outer(inner_1(n_1) o ... o inner_S(n_S))`` with ``o`` = ``+`` or ``*`` in ``GF(p)``.

    * ``form``: ``"one_variable"``, ``"h_of_sum"`` (``o = +``, group ``Z_p``) or
      ``"multiplicative"`` (``o = *``, group ``Z_(p-1) x Z_(S+1)``);
    * ``inner``: one int64 ``(p,)`` table per variable, values in ``[0, p)``;
    * ``outer``: int64 ``(p,)``, values in ``[0, p)``;
    * ``inner_poly`` / ``outer_poly``: the same maps as polynomials over ``GF(p)`` when known;
    * ``source``: ``"symbolic"`` (read off the polynomial) or ``"table"`` (found by search).
    """

    form: str
    p: int
    variables: tuple[str, ...]
    inner: tuple[IntArray, ...]
    outer: IntArray
    inner_poly: tuple[Univariate | None, ...] = ()
    outer_poly: Univariate | None = None
    source: str = "symbolic"
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.form not in LEARNABLE_FORMS:
            raise ValueError(
                f"a Structure has one of the forms {LEARNABLE_FORMS}, not {self.form!r}"
            )
        p = self.p
        inner = tuple(np.asarray(g, dtype=np.int64) % p for g in self.inner)
        outer = np.asarray(self.outer, dtype=np.int64) % p
        if len(inner) != len(self.variables) or any(g.shape != (p,) for g in inner):
            raise ValueError(f"inner maps must be {len(self.variables)} tables of shape ({p},)")
        if outer.shape != (p,):
            raise ValueError(f"the outer map must be a table of shape ({p},)")
        for a in (*inner, outer):
            a.flags.writeable = False
        object.__setattr__(self, "inner", inner)
        object.__setattr__(self, "outer", outer)
        if not self.inner_poly:
            object.__setattr__(self, "inner_poly", (None,) * len(inner))

    # ---- constructors ------------------------------------------------------------------------
    @classmethod
    def sum(
        cls,
        p: int,
        variables: tuple[str, ...],
        inner: list[IntArray],
        outer: IntArray,
        *,
        inner_poly: tuple[Univariate | None, ...] = (),
        outer_poly: Univariate | None = None,
        source: str = "symbolic",
    ) -> Structure:
        """``outer(inner_1(n_1) + ... + inner_S(n_S))`` over ``Z_p``."""
        form = "one_variable" if len(variables) == 1 else "h_of_sum"
        return cls(form, p, tuple(variables), tuple(inner), outer, inner_poly, outer_poly, source)

    @classmethod
    def product(
        cls, p: int, variables: tuple[str, ...], inner: list[IntArray], outer: IntArray, **maps: Any
    ) -> Structure:
        """``outer(inner_1(n_1) * ... * inner_S(n_S))``: the multiplicative template (the
        keywords of `sum`)."""
        return replace(cls.sum(p, variables, inner, outer, **maps), form="multiplicative")

    @classmethod
    def from_group_codes(
        cls,
        p: int,
        variables: tuple[str, ...],
        moduli: tuple[int, ...],
        codes: list[IntArray],
        h: IntArray,
        *,
        source: str = "table",
    ) -> Structure:
        """From the classifier's maps: group codes per variable and ``h`` on the group
        (``-1`` where a total never occurs). ``moduli`` is ``(p,)`` or ``(p - 1, k)``."""
        h = np.asarray(h, dtype=np.int64)
        if tuple(moduli) == (p,):
            return cls.sum(p, variables, list(codes), complete_outer(h, p), source=source)
        if len(moduli) != 2 or moduli[0] != p - 1:
            raise ValueError(f"group {moduli} is neither Z_{p} nor the template Z_{p - 1} x Z_k")
        inner = [template_values(c, p) for c in codes]
        return cls.product(
            p, variables, inner, complete_outer(template_outer(h, p), p), source=source
        )

    # ---- derived views -----------------------------------------------------------------------
    @property
    def S(self) -> int:
        return len(self.variables)

    @property
    def kind(self) -> str:
        """``"sum"`` or ``"product"``: the operation of `polyclass.experts`."""
        return "product" if self.form == "multiplicative" else "sum"

    @property
    def group(self) -> tuple[int, ...]:
        """Moduli of the group the sum lives in: ``(p,)`` or ``(p - 1, S + 1)``."""
        return (self.p - 1, self.S + 1) if self.kind == "product" else (self.p,)

    @property
    def group_text(self) -> str:
        return " x ".join(f"Z_{m}" for m in self.group)

    def group_codes(self) -> tuple[list[IntArray], IntArray]:
        """``(codes, h)``: per variable the code of ``g_s(n)`` in the group (int64 ``(p,)``,
        mixed radix: first modulus lowest) and the outer map on all codes (int64 ``(order,)``)."""
        if self.kind == "sum":
            return [g.copy() for g in self.inner], self.outer.copy()
        N = self.p - 1
        logs = log_table(self.p)
        codes = [np.where(g == 0, N, logs[g]) for g in self.inner]
        h = np.empty(N * (self.S + 1), dtype=np.int64)
        h[:N] = self.outer[exp_table(self.p)]
        h[N:] = self.outer[0]
        return codes, h

    def table(self) -> IntArray:
        """The value table ``(p,) * S`` of ``f`` (evaluated from the maps)."""
        p, S = self.p, self.S
        acc = np.full((1,) * S, 0 if self.kind == "sum" else 1, dtype=np.int64)
        for s, g in enumerate(self.inner):
            shape = [1] * S
            shape[s] = p
            acc = (acc + g.reshape(shape)) % p if self.kind == "sum" else acc * g.reshape(shape) % p
        return np.ascontiguousarray(np.broadcast_to(self.outer[acc], (p,) * S))

    # ---- printing ----------------------------------------------------------------------------
    def inner_text(self, s: int) -> str:
        return _map_text(self.inner_poly[s], self.inner[s], self.p, self.variables[s])

    def outer_text(self, var: str = "u") -> str:
        return _map_text(self.outer_poly, self.outer, self.p, var)

    def formula(self) -> str:
        op = " + " if self.kind == "sum" else " * "
        return f"h({op.join(f'g{s + 1}({v})' for s, v in enumerate(self.variables))})"

    def __str__(self) -> str:
        lines = [f"f = {self.formula()} mod {self.p}, a sum in {self.group_text} ({self.form})"]
        lines += [f"  g{s + 1}({v}) = {self.inner_text(s)}" for s, v in enumerate(self.variables)]
        lines.append(f"  h(u) = {self.outer_text()}")
        if self.kind == "product":
            root = primitive_root(self.p)
            lines.append(
                f"  group codes: (log_{root} g(n), [g(n) = 0]) in Z_{self.p - 1} x Z_{self.S + 1}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Structure(form={self.form!r}, p={self.p}, group={self.group}, S={self.S})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: form, group, the maps as tables and (where known) polynomials."""

        def poly(c: Univariate | None) -> dict[str, int] | None:
            return None if c is None else {str(e): int(v) for e, v in sorted(c.items())}

        return {
            "form": self.form,
            "p": self.p,
            "variables": list(self.variables),
            "operation": "+" if self.kind == "sum" else "*",
            "group": list(self.group),
            "g": [g.tolist() for g in self.inner],
            "h": self.outer.tolist(),
            "g_poly": [poly(c) for c in self.inner_poly],
            "h_poly": poly(self.outer_poly),
            "g_text": [self.inner_text(s) for s in range(self.S)],
            "h_text": self.outer_text(),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Structure:
        """Read `to_dict` output back."""
        return cls(
            data["form"],
            int(data["p"]),
            tuple(data["variables"]),
            tuple(np.asarray(g, dtype=np.int64) for g in data["g"]),
            np.asarray(data["h"], dtype=np.int64),
            tuple(_poly_from_json(c) for c in data.get("g_poly") or ()),
            _poly_from_json(data.get("h_poly")),
            data.get("source", "symbolic"),
        )


def _poly_from_json(c: dict[str, int] | None) -> Univariate | None:
    return None if c is None else {int(e): int(v) for e, v in c.items()}


def complete_outer(h: IntArray, p: int) -> IntArray:
    """``h`` with its unknown entries (``-1``: totals that never occur) filled in.

    If the known entries are one-to-one, the unknown ones get the unused values, so the outer
    map stays a bijection (one frequency suffices for the network); otherwise they repeat a
    known value. Either way the entries filled in never reach ``f``.
    """
    out = np.asarray(h, dtype=np.int64).copy()
    missing = out < 0
    if not missing.any():
        return out
    known = out[~missing]
    free = np.setdiff1d(np.arange(p), known)
    if len(np.unique(known)) == known.size and free.size >= int(missing.sum()):
        out[missing] = free[: int(missing.sum())]
    else:
        out[missing] = known[0] if known.size else 0
    return out


def template_values(codes: IntArray, p: int) -> IntArray:
    """Template codes (``c < p - 1``: the power ``r^c`` of the primitive root; ``c >= p - 1``:
    a zero flag) back to elements of ``GF(p)``: same shape as ``codes``."""
    c = np.asarray(codes, dtype=np.int64)
    return np.where(c >= p - 1, 0, exp_table(p)[c % (p - 1)])


def template_outer(h: IntArray, p: int) -> IntArray:
    """``F`` on ``GF(p)`` from ``h`` on template codes: ``F(r^k) = h[k]``, ``F(0)`` = ``h`` on a
    zero-flag code; ``-1`` where unknown. ``(p,)``."""
    N = p - 1
    F = np.full(p, -1, dtype=np.int64)
    F[exp_table(p)] = h[:N]
    zero = h[N:][h[N:] >= 0]
    F[0] = zero[0] if zero.size else -1
    return F


def _map_text(poly: Univariate | None, values: IntArray, p: int, var: str) -> str:
    shown = ", ".join(str(int(v)) for v in values[:12])
    if poly is None and p * p > gfpoly.POWER_TABLE_CELLS:  # interpolating takes p^2 cells
        return f"[{shown}{', ...' if values.size > 12 else ''}] (a table of {p:,} values)"
    terms: gfpoly.Terms = (
        {(e,): c for e, c in poly.items()} if poly is not None else gfpoly.interpolate(values, p)
    )
    if len(terms) <= 8:
        return gfpoly.to_text(terms, (var,)) or "0"
    return f"[{shown}{', ...' if values.size > 12 else ''}] ({len(terms)}-term polynomial)"


__all__ = [
    "FORMS",
    "LEARNABLE_FORMS",
    "Structure",
    "complete_outer",
    "template_outer",
    "template_values",
]

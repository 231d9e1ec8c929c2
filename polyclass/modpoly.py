"""The `ModPoly` value: a polynomial function ``Z_p^S -> Z_p`` parsed from text.

A ModPoly keeps the syntax tree it was parsed from and derives everything else from it
on demand (and caches it): the SymPy expression as typed, the expanded polynomial over
GF(p), and the exact value table. Two ModPolys are equal when they define the same
function with the same variables and modulus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy

from . import gfpoly
from .errors import ParseError, PolyclassError
from .field import (
    MAX_ARRAY_MODULUS,
    IntArray,
    check_table_size,
    powmod_array,
)
from .parsing import read_polynomial
from .tree import Algebra, Node, check_constants, evaluate_tree, fold, scalar_pow

#: Most multiply-accumulate steps spent expanding symbolically before falling back to
#: interpolation from the value table.
MAX_EXPANSION_WORK = 200_000


def _negate(expr: sympy.Expr) -> sympy.Expr:
    if isinstance(expr, sympy.Integer):
        return -expr
    return sympy.Mul(sympy.Integer(-1), expr, evaluate=False)


def _flat(expr: sympy.Expr, kind: type) -> tuple[Any, ...]:
    """Arguments of an unevaluated sum (or product), so a + b + c prints without brackets."""
    return tuple(expr.args) if isinstance(expr, kind) else (expr,)  # type: ignore[attr-defined]


def _to_sympy(node: Node, p: int) -> sympy.Expr:
    """SymPy expression as typed (unevaluated, so ``x/x`` stays ``x/x``)."""

    def power(base: sympy.Expr, e: int) -> sympy.Expr:
        if isinstance(base, sympy.Integer) and abs(e) * int(abs(int(base)).bit_length()) > 200:
            return sympy.Integer(scalar_pow(int(base) % p, e, p))  # fold huge constants mod p
        return sympy.Pow(base, sympy.Integer(e), evaluate=False)

    def binop(op: str, left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
        if op in "+-":
            right = right if op == "+" else _negate(right)
            return sympy.Add(*_flat(left, sympy.Add), *_flat(right, sympy.Add), evaluate=False)
        if op == "/":
            right = sympy.Pow(right, sympy.Integer(-1), evaluate=False)
        return sympy.Mul(*_flat(left, sympy.Mul), *_flat(right, sympy.Mul), evaluate=False)

    def num(value: int) -> sympy.Expr:  # fold constants too long to print (~1,000 digits)
        return sympy.Integer(value % p if value.bit_length() > 3322 else value)

    return fold(node, num, sympy.Symbol, _negate, binop, power)


def _array_algebra(p: int, env: dict[str, IntArray]) -> Algebra[IntArray]:
    return Algebra(
        num=lambda v: np.asarray(v, dtype=np.int64),
        var=lambda name: env[name],
        add=lambda a, b: (a + b) % p,
        neg=lambda a: (-a) % p,
        mul=lambda a, b: a * b % p,
        power=lambda a, e: powmod_array(a, e, p),
    )


@dataclass(frozen=True, eq=False)
class ModPoly:
    """A polynomial function over GF(p) in the named variables.

    Attributes: ``p``, ``variables`` (ordered), ``text`` (as given), ``expr`` (SymPy, as
    typed), ``terms`` (expanded over GF(p): ``{exponents: coefficient}``, degrees <= p-1),
    ``poly`` (the same as a SymPy ``Poly``). Use `table` for the exact value table.
    ``notes``: remarks of the parser about text that is valid but may not mean what was
    intended (a name such as ``xy`` that is also ``x`` and ``y`` side by side); the command
    line prints them as warnings.
    """

    text: str
    p: int
    variables: tuple[str, ...]
    tree: Node = field(repr=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def _from_tree(
        cls,
        *,
        text: str,
        tree: Node,
        p: int,
        variables: tuple[str, ...],
        notes: tuple[str, ...] = (),
    ) -> ModPoly:
        check_constants(tree, p, text)
        return cls(text=text, p=p, variables=tuple(variables), tree=tree, notes=tuple(notes))

    # ---- derived views -----------------------------------------------------------------
    @property
    def nvars(self) -> int:
        """Number of variables S."""
        return len(self.variables)

    @cached_property
    def expr(self) -> sympy.Expr:
        """SymPy expression as typed (constants too large to print are folded mod p)."""
        return _to_sympy(self.tree, self.p)

    @cached_property
    def terms(self) -> dict[tuple[int, ...], int]:
        """Expanded polynomial over GF(p): ``{exponent tuple: coefficient in [1, p)}``.

        Exponents are reduced with ``x^p = x``, so this is the unique polynomial of degree
        <= p-1 in each variable that defines the same function.
        """
        algebra = gfpoly.algebra(self.p, self.variables, max_work=MAX_EXPANSION_WORK)
        try:
            return evaluate_tree(self.tree, self.p, algebra)
        except gfpoly.ExpansionTooLarge:
            pass
        if self.p > 2**20:
            raise PolyclassError(
                f"expanding {self} symbolically needs more than {MAX_EXPANSION_WORK:,} steps, "
                f"and p = {self.p} is too large to interpolate the table instead"
            )
        return gfpoly.interpolate(self.table(), self.p)

    @cached_property
    def poly(self) -> sympy.Poly:
        """The expanded polynomial as a SymPy ``Poly`` over GF(p)."""
        if not self.variables:  # a constant: SymPy needs at least one generator
            return sympy.Poly(self.terms.get((), 0), sympy.Symbol("x"), modulus=self.p)
        gens = [sympy.Symbol(v) for v in self.variables]
        # from_dict converts the coefficients of the dict it is given in place: pass a copy
        terms = dict(self.terms) or {(0,) * len(gens): 0}
        return sympy.Poly.from_dict(terms, *gens, modulus=self.p)

    @property
    def degree(self) -> int:
        """Total degree of the expanded polynomial (0 for constants, -1 for zero)."""
        return max((sum(e) for e in self.terms), default=-1)

    def expanded(self) -> str:
        """The expanded polynomial as text, highest total degree first."""
        return gfpoly.to_text(self.terms, self.variables)

    # ---- values ------------------------------------------------------------------------
    def table(self, max_cells: int | None = None) -> npt.NDArray[np.int64]:
        """Exact value table, int64 of shape ``(p,)*S`` with ``T[n1, ..., nS] = f(n)``.

        Vectorised over the whole grid; refuses (TableTooLargeError) tables above
        ``max_cells`` cells (default `polyclass.field.DEFAULT_MAX_TABLE_CELLS`).
        The returned array is read-only and cached.
        """
        check_table_size(self.p, self.nvars, max_cells)
        cached: npt.NDArray[np.int64] | None = self.__dict__.get("_table")
        if cached is not None:
            return cached
        if self.p >= MAX_ARRAY_MODULUS:
            raise PolyclassError(f"tables need p < 2^31, not {self.p}")
        env = {}
        if self.nvars:  # a constant needs no grid: its table is one cell of shape ()
            grid = np.arange(self.p, dtype=np.int64)
            for axis, name in enumerate(self.variables):
                shape = [1] * self.nvars
                shape[axis] = self.p
                env[name] = grid.reshape(shape)
        values = evaluate_tree(self.tree, self.p, _array_algebra(self.p, env))
        # np.array, not ascontiguousarray: the latter turns shape () into (1,)
        out = np.array(np.broadcast_to(values, (self.p,) * self.nvars), dtype=np.int64)
        out.flags.writeable = False
        self.__dict__["_table"] = out
        return out

    def evaluate(self, points: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Values at chosen points: ``points`` is ``(batch, S)`` of residues -> ``(batch,)``.

        Works for any prime below 2^31 (no table is built).
        """
        pts = np.asarray(points)
        if pts.ndim == 1 and self.nvars != 1:
            pts = pts.reshape(1, -1)
        if pts.ndim == 1:
            pts = pts.reshape(-1, 1)
        if pts.ndim != 2 or pts.shape[1] != self.nvars:
            raise PolyclassError(f"points must have shape (batch, {self.nvars}), not {pts.shape}")
        if not np.issubdtype(pts.dtype, np.integer):
            raise PolyclassError(f"points must be integers, not {pts.dtype}")
        if self.p >= MAX_ARRAY_MODULUS:
            raise PolyclassError(f"array evaluation needs p < 2^31, not {self.p}")
        pts = pts.astype(np.int64) % self.p
        env = {name: pts[:, s] for s, name in enumerate(self.variables)}
        values = evaluate_tree(self.tree, self.p, _array_algebra(self.p, env))
        return np.ascontiguousarray(np.broadcast_to(values, (len(pts),)), dtype=np.int64)

    def __call__(self, *values: int) -> int:
        """Value at one point, with Python integers (any p): ``P(3, 5)``."""
        if len(values) != self.nvars:
            raise PolyclassError(f"expected {self.nvars} values, got {len(values)}")
        env = {name: int(v) % self.p for name, v in zip(self.variables, values, strict=True)}
        p = self.p
        algebra: Algebra[int] = Algebra(
            num=lambda v: v,
            var=lambda name: env[name],
            add=lambda a, b: (a + b) % p,
            neg=lambda a: -a % p,
            mul=lambda a, b: a * b % p,
            power=lambda a, e: pow(a, e, p) if e else 1,
        )
        return evaluate_tree(self.tree, p, algebra)

    # ---- printing, comparison, JSON ----------------------------------------------------
    def __str__(self) -> str:
        return f"{sympy.sstr(self.expr, order='none').replace('**', '^')} mod {self.p}"

    def __repr__(self) -> str:
        return f"ModPoly({str(self)!r}, variables={self.variables!r})"

    def _key(self) -> tuple[int, tuple[str, ...], frozenset[tuple[tuple[int, ...], int]]]:
        return (self.p, self.variables, frozenset(self.terms.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModPoly) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: text, p, variables, expression, expanded form, terms, notes."""
        return {
            "text": self.text,
            "p": self.p,
            "variables": list(self.variables),
            "expression": str(self),
            "expanded": self.expanded(),
            "degree": self.degree,
            "terms": [
                {"exponents": list(e), "coefficient": c} for e, c in gfpoly.sorted_terms(self.terms)
            ],
            "notes": list(self.notes),
        }


def parse(
    text: str,
    p: int | None = None,
    *,
    variables: tuple[str, ...] | list[str] | str | None = None,
) -> ModPoly:
    """Parse a modular polynomial.

    Examples:
        >>> P = parse("(4x + y^2)^3 mod 97")
        >>> P.p, P.variables
        (97, ('x', 'y'))
        >>> str(parse("x/y", p=5))
        'x/y mod 5'

    ``variables`` fixes the variable order (and may add variables the text does not use);
    otherwise the names found are sorted naturally (``n1 < n2 < n10``). The grammar and
    its limits are described in `polyclass.parsing`.
    """
    r = read_polynomial(text, p, variables=variables)
    return ModPoly._from_tree(text=r.text, tree=r.tree, p=r.p, variables=r.variables, notes=r.notes)


def as_modpoly(obj: object, p: int | None = None) -> ModPoly:
    """Accept a ModPoly or polynomial text (every public entry point calls this first)."""
    if isinstance(obj, ModPoly):
        if p is not None and p != obj.p:
            raise ParseError(f"polynomial is modulo {obj.p}, but p={p} was given")
        return obj
    if isinstance(obj, str):
        return parse(obj, p)
    raise ParseError(f"expected a polynomial (text or ModPoly), not {type(obj).__name__}")

"""Syntax trees of modular polynomials, and their evaluation in any algebra over GF(p)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, Union

from .errors import ParseError

T = TypeVar("T")


@dataclass(frozen=True)
class Num:
    value: int


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    arg: Node


@dataclass(frozen=True)
class BinOp:
    op: str  # one of + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Pow:
    base: Node
    exponent: int


Node = Union[Num, Var, Neg, BinOp, Pow]  # noqa: UP007 (runtime alias, Python 3.10)


class Algebra(Generic[T]):
    """The operations a syntax tree is evaluated with (ints, arrays, sparse polynomials)."""

    def __init__(
        self,
        num: Callable[[int], T],
        var: Callable[[str], T],
        add: Callable[[T, T], T],
        neg: Callable[[T], T],
        mul: Callable[[T, T], T],
        power: Callable[[T, int], T],
    ) -> None:
        self.num, self.var, self.add, self.neg, self.mul, self.power = (
            num,
            var,
            add,
            neg,
            mul,
            power,
        )


def fold(
    node: Node,
    num: Callable[[int], T],
    var: Callable[[str], T],
    neg: Callable[[T], T],
    binop: Callable[[str, T, T], T],
    power: Callable[[T, int], T],
) -> T:
    """The one walk over a syntax tree: children first, then the node's function.

    ``num(value)``, ``var(name)``, ``neg(arg)``, ``binop(op, left, right)`` with ``op`` one
    of ``+ - * /``, ``power(base, exponent)`` with an integer (possibly negative) exponent.
    """
    if isinstance(node, Num):
        return num(node.value)
    if isinstance(node, Var):
        return var(node.name)
    if isinstance(node, Neg):
        return neg(fold(node.arg, num, var, neg, binop, power))
    if isinstance(node, Pow):
        return power(fold(node.base, num, var, neg, binop, power), node.exponent)
    left = fold(node.left, num, var, neg, binop, power)
    return binop(node.op, left, fold(node.right, num, var, neg, binop, power))


def evaluate_tree(node: Node, p: int, algebra: Algebra[T]) -> T:
    """Evaluate a syntax tree over GF(p) with modular division (0^-1 = 0)."""

    def binop(op: str, left: T, right: T) -> T:
        if op == "+":
            return algebra.add(left, right)
        if op == "-":
            return algebra.add(left, algebra.neg(right))
        if op == "*":
            return algebra.mul(left, right)
        return algebra.mul(left, algebra.power(right, p - 2))

    def power(base: T, e: int) -> T:
        return algebra.power(base, e) if e >= 0 else algebra.power(base, -e * (p - 2))

    return fold(node, lambda v: algebra.num(v % p), algebra.var, algebra.neg, binop, power)


def variable_names(node: Node) -> set[str]:
    """The names of the variables that occur in a tree."""
    return fold(
        node,
        lambda v: set(),
        lambda name: {name},
        lambda a: a,
        lambda op, a, b: a | b,
        lambda a, e: a,
    )


def check_constants(node: Node, p: int, text: str) -> int | None:
    """Value mod p of a variable-free subtree (None if it has variables).

    Raises ParseError for a division by (or negative power of) a constant that is 0 mod p;
    ``text`` is the polynomial as written, for the message.
    """

    def binop(op: str, a: int | None, b: int | None) -> int | None:
        if op == "/" and b == 0:
            raise ParseError(f'division by a constant that is 0 mod {p} in "{text}"')
        if a is None or b is None:
            return None
        if op == "+":
            return (a + b) % p
        if op == "-":
            return (a - b) % p
        if op == "*":
            return a * b % p
        return a * pow(b, -1, p) % p

    def power(v: int | None, e: int) -> int | None:
        if v == 0 and e < 0:
            raise ParseError(f'negative power of a constant that is 0 mod {p} in "{text}"')
        return None if v is None else scalar_pow(v, e, p)

    return fold(
        node,
        lambda v: v % p,
        lambda name: None,
        lambda v: None if v is None else -v % p,
        binop,
        power,
    )


def scalar_pow(v: int, e: int, p: int) -> int:
    return pow(v, e, p) if e >= 0 else pow(v, -e * (p - 2), p)

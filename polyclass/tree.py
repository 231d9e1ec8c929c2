"""Syntax trees of modular polynomials, and their evaluation in any algebra over GF(p)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, Union

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


def evaluate_tree(node: Node, p: int, algebra: Algebra[T]) -> T:
    """Evaluate a syntax tree over GF(p) with modular division (0^-1 = 0)."""
    if isinstance(node, Num):
        return algebra.num(node.value % p)
    if isinstance(node, Var):
        return algebra.var(node.name)
    if isinstance(node, Neg):
        return algebra.neg(evaluate_tree(node.arg, p, algebra))
    if isinstance(node, Pow):
        base = evaluate_tree(node.base, p, algebra)
        e = node.exponent
        return algebra.power(base, e) if e >= 0 else algebra.power(base, -e * (p - 2))
    left = evaluate_tree(node.left, p, algebra)
    right = evaluate_tree(node.right, p, algebra)
    if node.op == "+":
        return algebra.add(left, right)
    if node.op == "-":
        return algebra.add(left, algebra.neg(right))
    if node.op == "*":
        return algebra.mul(left, right)
    return algebra.mul(left, algebra.power(right, p - 2))


def scalar_pow(v: int, e: int, p: int) -> int:
    return pow(v, e, p) if e >= 0 else pow(v, -e * (p - 2), p)

"""Text -> syntax tree: a small, safe parser for modular polynomials (``pc.parse`` uses it).

The grammar is parsed by hand (no ``eval``), so every error can say where it happened and
nothing a user types can run code or hang:

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/') unary | unary)*        juxtaposition multiplies: 2x, (x+1)(y-2)
    unary   := ('-' | '+') unary | power
    power   := primary (('^' | '**') unary)?             right-associative: 2^3^2 = 2^9
    primary := INTEGER | NAME | '(' expr ')'

Division is modular: ``x/y`` means ``x * y^(p-2)``, and ``y^-k`` means ``(y^(p-2))^k``. Both
follow the convention ``0^-1 = 0`` (the only polynomial extension of the inverse to 0).
Dividing by a constant that is 0 mod p is an error. The modulus is written ``mod p``,
``(mod p)``, ``% p`` or ``p = 97`` at the end of the text, or passed as ``p=``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FieldError, ParseError
from .field import check_modulus
from .tree import BinOp, Neg, Node, Num, Pow, Var, fold, variable_names
from .varnames import concatenation_notes, natural_key

#: Longest text accepted (characters).
MAX_TEXT_LENGTH = 20_000
#: Deepest nesting of parentheses / operators accepted.
MAX_DEPTH = 200
#: Most decimal digits an exponent may have once evaluated.
MAX_EXPONENT_DIGITS = 1_000
#: Most decimal digits of the modulus (tables need p < 2^31; scalar evaluation any p).
MAX_MODULUS_DIGITS = 1_000
#: Chains of + - (or * /) up to this many operands fold left as written; longer ones balance.
_SHORT_CHAIN = 8


_FUNCTION_NAMES = frozenset(
    "sin cos tan exp log ln sqrt abs floor ceil gcd lcm min max mod pow factorial "
    "sinh cosh tanh asin acos atan re im sign".split()
)
_CONSTANT_NAMES = frozenset({"pi", "oo", "inf", "infinity", "nan", "zoo"})
_VARIABLE_LIKE = re.compile(r"[A-Za-z]\d*\Z|[A-Za-z]_\w+\Z")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<float>\d+\.\d*|\.\d+|\d+[eE][+-]?\d+)
  | (?P<int>\d+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^()])
    """,
    re.VERBOSE | re.ASCII,  # ASCII digits only: int() would also read "٣" or "３"
)

_MODULUS = re.compile(
    r"""(?:
        \(\s*mod\s+(?P<a>[^()\s]+)\s*\)        # (mod 97)
      | \bmod\s+(?P<b>[^()\s]+)                # mod 97
      | %\s*(?P<c>[^()\s]+)                    # % 97
      | [,;]?\s*\bp\s*=\s*(?P<d>[^()\s]+)      # , p = 97
    )\s*\Z""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _where(text: str, pos: int) -> str:
    return f'at column {pos + 1} of "{text}"'


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ParseError(
                f"unexpected character {text[pos]!r} {_where(text, pos)}; "
                "use + - * / ^ (or **), integers, variable names and parentheses"
            )
        kind = m.lastgroup or ""
        if kind == "float":
            raise ParseError(
                f"non-integer number {m.group()!r} {_where(text, pos)}: coefficients must be "
                "integers (write a fraction such as 3/2 for the modular inverse)"
            )
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), pos))
        pos = m.end()
    return tokens


class _Parser:
    """Recursive-descent parser producing the syntax tree and checking names."""

    def __init__(self, text: str, allowed: frozenset[str] | None) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.allowed = allowed
        self.depth = 0

    # token helpers -------------------------------------------------------------------
    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "op" and tok.text in ops

    def fail(self, message: str, tok: _Token | None) -> ParseError:
        pos = len(self.text) if tok is None else tok.pos
        return ParseError(f"{message} {_where(self.text, pos)}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"expression nested more than {MAX_DEPTH} levels deep")

    # grammar -------------------------------------------------------------------------
    def parse(self) -> Node:
        if not self.tokens:
            raise ParseError("empty polynomial: write an expression such as 'x*y + 1 mod 97'")
        node = self.expr()
        tok = self.peek()
        if tok is not None:
            raise self.fail(f"unexpected {tok.text!r}", tok)
        return node

    def expr(self) -> Node:
        self.enter()
        items = [("+", self.term())]
        while self.at_op("+", "-"):
            op = self.take().text
            items.append((op, self.term()))
        self.depth -= 1
        return _chain(items, "+", "-")

    def starts_primary(self) -> bool:
        tok = self.peek()
        return tok is not None and (tok.kind in ("int", "name") or tok.text == "(")

    def term(self) -> Node:
        items = [("*", self.unary())]
        while True:
            if self.at_op("*", "/"):
                op = self.take().text
                items.append((op, self.unary()))
            elif self.starts_primary():
                items.append(("*", self.unary()))
            else:
                return _chain(items, "*", "/")

    def unary(self) -> Node:
        self.enter()
        if self.at_op("-", "+"):
            sign = self.take().text
            arg = self.unary()
            node: Node = Neg(arg) if sign == "-" else arg
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> Node:
        base = self.primary()
        if self.at_op("^", "**"):
            tok = self.take()
            exponent_node = self.unary()
            return Pow(base, self.constant_exponent(exponent_node, tok))
        return base

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.fail("expression ends too early", None)
        if tok.kind == "int":
            self.take()
            nxt = self.peek()
            if nxt is not None and nxt.kind == "int":
                raise self.fail(f"two numbers in a row ({tok.text} {nxt.text})", nxt)
            return Num(_decimal(tok.text))
        if tok.kind == "name":
            return self.name()
        if tok.text == "(":
            self.take()
            node = self.expr()
            if not self.at_op(")"):
                raise self.fail("missing ')' to close the '(' opened", tok)
            self.take()
            return node
        raise self.fail(f"unexpected {tok.text!r}", tok)

    def name(self) -> Node:
        tok = self.take()
        name = tok.text
        followed_by_paren = self.at_op("(") and self.peek() is not None
        is_declared = self.allowed is not None and name in self.allowed
        if not is_declared and (
            name.lower() in _FUNCTION_NAMES
            or (followed_by_paren and not _VARIABLE_LIKE.match(name))
        ):
            if name.lower() == "mod":
                raise self.fail("'mod' must come last, followed by the modulus", tok)
            raise self.fail(
                f"unknown function {name!r}: only polynomial operations + - * / ^ are allowed",
                tok,
            )
        if name in _CONSTANT_NAMES:
            raise self.fail(f"unknown symbol {name!r}: only integers are allowed as constants", tok)
        if self.allowed is not None and name not in self.allowed:
            names = ", ".join(sorted(self.allowed)) or "none"
            raise self.fail(f"unknown symbol {name!r} (the variables are {names})", tok)
        return Var(name)

    def constant_exponent(self, node: Node, tok: _Token) -> int:
        value = _integer_value(node)
        if value is not None and _digits(value) > MAX_EXPONENT_DIGITS + 1:
            raise self.fail(f"exponent too large: more than {MAX_EXPONENT_DIGITS} digits", tok)
        if value is None:
            raise self.fail(
                "exponent must be an integer constant (write x^3, x^-1, not x^y or x^(1/2))",
                tok,
            )
        return value


def _chain(items: list[tuple[str, Node]], same: str, inverse: str) -> Node:
    """The tree of ``t0 op1 t1 op2 t2 ...`` (``op`` in ``{same, inverse}``, ``op0 = same``).

    Short chains fold to the left as written. Long ones (``x+x+...+x`` with thousands of
    terms) are combined pairwise into a balanced tree, so its depth grows like log2 of the
    length and no tree walker runs into Python's recursion limit. Pairing uses
    ``a^s * b^t = (a * b^(s t))^s``: the pair's operator is ``same`` when the signs agree.
    """
    if len(items) <= _SHORT_CHAIN:
        node = items[0][1]
        for op, right in items[1:]:
            node = BinOp(op, node, right)
        return node
    while len(items) > 1:
        paired = [
            (s, BinOp(same if s == t else inverse, a, b))
            for (s, a), (t, b) in zip(items[0::2], items[1::2], strict=False)
        ]
        items = paired + ([items[-1]] if len(items) % 2 else [])
    return items[0][1]


def _integer_value(node: Node) -> int | None:
    """Exact integer value of a variable-free tree, None when it has variables or fractions.

    Raises ParseError when the value would have more than MAX_EXPONENT_DIGITS digits.
    """

    def power(base: int | None, e: int) -> int | None:
        if base is None or e < 0:
            return None
        if abs(base) > 1 and e * _digits(base) > MAX_EXPONENT_DIGITS + 1:
            raise ParseError(
                f"exponent too large: a power with more than {MAX_EXPONENT_DIGITS} digits"
            )
        return int(base**e)

    def binop(op: str, left: int | None, right: int | None) -> int | None:
        if left is None or right is None:
            return None
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            if _digits(left) + _digits(right) > MAX_EXPONENT_DIGITS + 1:
                raise ParseError(f"exponent too large: more than {MAX_EXPONENT_DIGITS} digits")
            return left * right
        if right != 0 and left % right == 0:
            return left // right
        return None

    return fold(
        node,
        lambda v: v,
        lambda name: None,
        lambda v: None if v is None else -v,
        binop,
        power,
    )


def _digits(n: int) -> int:
    """Number of decimal digits of |n| (within one), without converting to a string."""
    return int(abs(n).bit_length() * 0.30103) + 1


def _decimal(digits: str) -> int:
    """int(digits) for literals of any length (Python caps str -> int at 4300 digits)."""
    value = 0
    for start in range(0, len(digits), 4000):
        chunk = digits[start : start + 4000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def split_modulus(text: str) -> tuple[str, str | None]:
    """Split ``"... mod 97"`` (or ``(mod 97)``, ``% 97``, ``p=97``) into body and modulus text."""
    m = _MODULUS.search(text)
    if m is None:
        return text, None
    modulus = next(g for g in m.group("a", "b", "c", "d") if g is not None)
    return text[: m.start()], modulus


def _modulus_value(raw: str) -> int:
    if not re.fullmatch(r"[0-9]+", raw):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise ParseError(f"modulus must be a prime integer (digits 0-9), not {shown!r}")
    if len(raw.lstrip("0")) > MAX_MODULUS_DIGITS:
        raise ParseError(f"modulus too large: more than {MAX_MODULUS_DIGITS} digits")
    try:
        return check_modulus(int(raw))
    except FieldError as err:
        raise ParseError(str(err)) from None


@dataclass(frozen=True)
class ParsedText:
    """What the text of a polynomial says: its syntax tree, modulus and variables."""

    text: str
    tree: Node
    p: int
    variables: tuple[str, ...]
    notes: tuple[str, ...] = ()


def read_polynomial(
    text: str,
    p: int | None = None,
    *,
    variables: tuple[str, ...] | list[str] | str | None = None,
) -> ParsedText:
    """Read polynomial text (see `polyclass.modpoly.parse`, which builds the ModPoly).

    ``variables`` fixes the variable order (and may add variables the text does not use);
    otherwise the names found are sorted naturally (``n1 < n2 < n10``).
    """
    if not isinstance(text, str):
        raise ParseError(f"polynomial must be given as text, not {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ParseError(f"polynomial text too long ({len(text)} > {MAX_TEXT_LENGTH} characters)")
    body, raw_modulus = split_modulus(text)
    if not body.strip():
        raise ParseError("empty polynomial: write an expression such as 'x*y + 1 mod 97'")
    if raw_modulus is not None:
        modulus = _modulus_value(raw_modulus)
        if p is not None and check_modulus(p) != modulus:
            raise ParseError(f"modulus given twice and differently: {modulus} in the text, p={p}")
    elif p is None:
        raise ParseError(f'no modulus in "{text.strip()}": append "mod p" (a prime), or pass p=')
    else:
        try:
            modulus = check_modulus(p)
        except FieldError as err:
            raise ParseError(str(err)) from None
    if "%" in body:
        raise ParseError(f'"%" must come last, followed by the modulus, in "{text}"')

    declared: tuple[str, ...] | None = None
    if variables is not None:
        declared = tuple(
            variables.replace(",", " ").split() if isinstance(variables, str) else variables
        )
        if len(set(declared)) != len(declared) or not all(
            isinstance(v, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) for v in declared
        ):
            raise ParseError(f"variables must be distinct names, not {declared!r}")
    tree = _Parser(body, None if declared is None else frozenset(declared)).parse()
    found = variable_names(tree)
    names = declared if declared is not None else tuple(sorted(found, key=natural_key))
    notes = () if declared is not None else concatenation_notes(body, names)
    return ParsedText(text=text.strip(), tree=tree, p=modulus, variables=names, notes=notes)

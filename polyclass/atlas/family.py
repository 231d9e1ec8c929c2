"""Families of polynomials to sweep: parsed from a short spec, a TOML file or a list file.

A spec string names the family in a few ``key=value`` items separated by commas:

    vars=2, degree<=2, coeffs=-1..1, p=23
    vars=x y z, degree<=2, coeffs=-2..2, p=23|97, form=h_of_sum|composite

* ``vars``: a count (``n1, n2, ...``) or the names; ``degree<=D`` (all monomials of total
  degree at most D, constant included) or ``degree=D`` (exactly D);
* ``coeffs``: a range ``a..b`` or a list ``a|b|c``; ``p``: one prime or several ``23|97``;
* ``form``: keep only polynomials whose decomposition has one of these forms;
* ``alpha``: training fractions, e.g. ``alpha=0.3|0.5|0.7|0.9`` (default 0.5); each
  polynomial is trained once per alpha and seed, and alpha is stored per row.

A TOML file has the same keys (lists as TOML arrays, ``degree`` as an int meaning "at
most", ``polys`` for an explicit list). A ``.txt`` file lists one polynomial per line
(``#`` starts a comment); lines without a modulus use the family's ``p``.

Enumeration is deterministic: monomials in graded order, coefficient vectors in
lexicographic order. Polynomials with equal value tables over the same prime are merged
(their reduced polynomials over GF(p) are equal), and the count merged is reported.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..decomposition import FORMS, decompose
from ..errors import PolyclassError
from ..field import check_modulus
from ..modpoly import ModPoly, parse
from ..parsing import split_modulus
from ..validation import check_int

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

#: Default cap on the number of polynomials a family may enumerate (before merging).
DEFAULT_MAX_POLYNOMIALS = 20_000


class FamilyError(PolyclassError, ValueError):
    """A family specification is invalid or too large."""


@dataclass(frozen=True)
class Family:
    """A deterministic set of polynomials (before merging equal tables)."""

    variables: tuple[str, ...] = ("n1", "n2")
    max_degree: int = 2
    exact_degree: bool = False
    coeffs: tuple[int, ...] = (-1, 0, 1)
    primes: tuple[int, ...] = (23,)
    forms: tuple[str, ...] = ()
    polys: tuple[str, ...] = ()  # an explicit list replaces the enumeration
    alphas: tuple[float, ...] = (0.5,)  # training fractions
    spec: str = field(default="", compare=False)

    def monomials(self) -> list[tuple[int, ...]]:
        """Exponent tuples of the family's monomials, highest total degree first."""
        S = len(self.variables)
        exps = [
            e
            for e in itertools.product(range(self.max_degree + 1), repeat=S)
            if (sum(e) == self.max_degree if self.exact_degree else sum(e) <= self.max_degree)
        ]
        return sorted(exps, key=lambda e: (-sum(e), tuple(-a for a in e)))

    def size(self) -> int:
        """Number of polynomials enumerated per prime (before merging and filtering)."""
        if self.polys:
            return len(self.polys)
        return len(self.coeffs) ** len(self.monomials())

    def texts(self) -> Iterator[str]:
        """The polynomials as text, in enumeration order (without the modulus)."""
        if self.polys:
            yield from self.polys
            return
        monos = self.monomials()
        for coeffs in itertools.product(self.coeffs, repeat=len(monos)):
            yield self._text(coeffs, monos)

    def text_at(self, index: int) -> str:
        """The ``index``-th polynomial of `texts` (without enumerating the ones before)."""
        if self.polys:
            return self.polys[index]
        monos = self.monomials()
        digits = []
        for _ in monos:  # itertools.product order: the last monomial varies fastest
            index, d = divmod(index, len(self.coeffs))
            digits.append(self.coeffs[d])
        return self._text(tuple(reversed(digits)), monos)

    def _text(self, coeffs: tuple[int, ...], monos: list[tuple[int, ...]]) -> str:
        text = ""
        for c, e in zip(coeffs, monos, strict=True):
            if c == 0:
                continue
            factors = [
                v if a == 1 else f"{v}^{a}" for v, a in zip(self.variables, e, strict=True) if a
            ]
            body = "*".join(([str(abs(c))] if abs(c) != 1 or not factors else []) + factors)
            sign = "-" if c < 0 else "+"
            text = f"{sign}{body}" if not text else f"{text} {sign} {body}"
        return (text[1:] if text.startswith("+") else text) or "0"

    def to_dict(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "variables": list(self.variables),
            "max_degree": self.max_degree,
            "exact_degree": self.exact_degree,
            "coeffs": list(self.coeffs),
            "primes": list(self.primes),
            "forms": list(self.forms),
            "polys": list(self.polys),
            "alphas": list(self.alphas),
        }


@dataclass(frozen=True)
class Enumeration:
    """The distinct polynomials of a family, with what was merged or filtered."""

    family: Family
    polys: tuple[ModPoly, ...]
    enumerated: int
    merged: int
    filtered: int

    def __str__(self) -> str:
        return (
            f"{len(self.polys)} distinct polynomials ({self.enumerated} enumerated, "
            f"{self.merged} merged as equal tables, {self.filtered} filtered by form)"
        )


def enumerate_family(
    family: Family,
    *,
    max_polynomials: int | None = None,
    sample: int | None = None,
    sample_seed: int = 0,
) -> Enumeration:
    """Distinct polynomials of ``family``, in deterministic order, for every prime.

    ``sample``: draw that many members of the family (polynomial and prime) at random,
    uniformly and without repetition, with the seeded generator ``random.Random(sample_seed)``,
    instead of taking them all; merging equal tables and the form filter then apply to the
    sample, so it can keep fewer. Sampling never enumerates the members it does not draw,
    so it works on families far above the cap.

    Raises FamilyError (with the count) when the family (or the sample) has more than
    ``max_polynomials`` polynomials (default `DEFAULT_MAX_POLYNOMIALS`).
    """
    cap = DEFAULT_MAX_POLYNOMIALS
    if max_polynomials is not None:
        cap = check_int(max_polynomials, "max_polynomials", minimum=1, error=FamilyError)
    if sample is not None:
        sample = check_int(sample, "sample", minimum=1, error=FamilyError)
    total = sum(1 for _ in _members(family)) if family.polys else family.size() * len(family.primes)
    if sample is not None:
        total = min(total, sample)
    if total > cap:
        what = "the sample has" if sample is not None else "the family enumerates"
        raise FamilyError(
            f"{what} {total:,} polynomials, more than the cap of {cap:,}; "
            "narrow it (degree, coefficient range, primes), sample fewer (sample=, --sample) "
            "or raise the cap (max_polynomials=, --max-polynomials)"
        )
    members = _members(family) if sample is None else _sampled(family, sample, sample_seed)
    seen: set[tuple[int, frozenset[tuple[tuple[int, ...], int]]]] = set()
    kept: list[ModPoly] = []
    enumerated = merged = filtered = 0
    for text, p in members:
        enumerated += 1
        P = _parse_member(text, p, None if family.polys else family.variables)
        key = (P.p, frozenset(P.terms.items()))
        if key in seen:
            merged += 1
            continue
        seen.add(key)
        if family.forms and decompose(P).form not in family.forms:
            filtered += 1
            continue
        kept.append(P)
    return Enumeration(family, tuple(kept), enumerated, merged, filtered)


def _members(family: Family) -> Iterator[tuple[str, int | None]]:
    """(text, prime) pairs; listed polynomials that carry their own modulus come once."""
    if family.polys:
        for text in family.polys:
            if split_modulus(text)[1] is not None:
                yield text, None
            else:
                yield from ((text, p) for p in family.primes)
        return
    for p in family.primes:
        yield from ((text, p) for text in family.texts())


def _sampled(family: Family, n: int, seed: int) -> Iterator[tuple[str, int | None]]:
    """``n`` members drawn without repetition, in enumeration order (all if there are fewer)."""
    if family.polys:
        listed = list(_members(family))
        picks = random.Random(seed).sample(range(len(listed)), min(n, len(listed)))
        yield from (listed[i] for i in sorted(picks))
        return
    size = family.size()
    total = size * len(family.primes)
    for i in sorted(random.Random(seed).sample(range(total), min(n, total))):
        yield family.text_at(i % size), family.primes[i // size]


def _parse_member(text: str, p: int | None, variables: tuple[str, ...] | None) -> ModPoly:
    try:
        return parse(text, p, variables=variables)
    except PolyclassError as err:
        raise FamilyError(f"family member {text!r}: {err}") from None


# ---- reading specifications ---------------------------------------------------------------


def load_family(spec: str | Path | Family) -> Family:
    """A Family from a spec string, a ``.toml`` file or a ``.txt`` list of polynomials."""
    if isinstance(spec, Family):
        return spec
    text = str(spec)
    path = Path(text)
    if text.endswith((".toml", ".txt")):
        if not path.is_file():
            raise FamilyError(f"family file {text!r} does not exist")
        if text.endswith(".txt"):
            return _family_from_list(path)
        return _family_from_mapping(_read_toml(path), spec=text)
    return _family_from_mapping(_parse_spec(text), spec=text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return dict(tomllib.load(fh))
    except tomllib.TOMLDecodeError as err:
        raise FamilyError(f"{path}: not valid TOML ({err})") from None


def _family_from_list(path: Path) -> Family:
    polys, options = [], {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"p\s*=\s*([\d|\s]+)", line)
        if m:  # a line such as "p = 23|97" sets the primes for lines without a modulus
            options["p"] = m.group(1)
            continue
        m = re.fullmatch(r"alpha\s*=\s*([\d.|\s]+)", line)
        if m:  # "alpha = 0.3|0.5" sets the training fractions
            options["alpha"] = m.group(1)
            continue
        polys.append(line)
    if not polys:
        raise FamilyError(f"{path}: no polynomials listed")
    mapping: dict[str, Any] = {"polys": polys, **options}
    return _family_from_mapping(mapping, spec=str(path))


_SPEC_ITEM = re.compile(r"\s*(?P<key>[a-z_]+)\s*(?P<op><=|=)\s*(?P<value>[^,;]+?)\s*\Z")


def _parse_spec(text: str) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for item in re.split(r"[,;]", text):
        if not item.strip():
            continue
        m = _SPEC_ITEM.match(item)
        if m is None:
            raise FamilyError(
                f"cannot read {item.strip()!r} in family {text!r}; write items such as "
                "'vars=2, degree<=2, coeffs=-1..1, p=23'"
            )
        key, op, value = m.group("key", "op", "value")
        if key == "degree":
            mapping["degree" if op == "<=" else "exact_degree"] = value
        elif op == "<=":
            raise FamilyError(f"only 'degree' takes '<=', not {key!r}")
        else:
            mapping[key] = value
    return mapping


def _items(value: Any) -> list[Any]:
    """The values of a key: a TOML list, one number, or text such as ``0.3|0.5`` or ``1 2``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list):
        return value
    return [t for t in re.split(r"[|\s]+", str(value).strip().strip("{}[]")) if t]


def _ints(value: Any, name: str) -> tuple[int, ...]:
    m = re.fullmatch(r"(-?\d+)\s*\.\.\s*(-?\d+)", str(value).strip())
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo > hi:
            raise FamilyError(f"empty range {str(value).strip()!r} for {name}")
        return tuple(range(lo, hi + 1))
    items = _items(value)
    try:
        if any(isinstance(t, (float, bool)) for t in items):
            raise ValueError("not an integer")
        return tuple(int(t) for t in items)
    except (TypeError, ValueError):
        raise FamilyError(f"{name} must be integers, not {value!r}") from None


def _family_from_mapping(mapping: dict[str, Any], *, spec: str) -> Family:
    known = set("vars variables degree exact_degree coeffs p primes form polys alpha".split())
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise FamilyError(f"unknown family key(s) {', '.join(unknown)}; known: {sorted(known)}")
    variables: tuple[str, ...] = ("n1", "n2")
    raw_vars = mapping.get("vars", mapping.get("variables"))
    if raw_vars is not None:
        if isinstance(raw_vars, int) or str(raw_vars).strip().isdigit():
            count = int(raw_vars)
            if not 1 <= count <= 6:
                raise FamilyError(f"vars must be between 1 and 6, not {count}")
            variables = tuple(f"n{i + 1}" for i in range(count))
        else:
            names = raw_vars if isinstance(raw_vars, list) else re.split(r"[|\s]+", str(raw_vars))
            variables = tuple(str(v) for v in names if str(v))
    exact = "exact_degree" in mapping
    degree_values = _ints(mapping.get("exact_degree", mapping.get("degree", 2)), "degree")
    if len(degree_values) != 1 or degree_values[0] < 0:
        raise FamilyError(f"degree must be one non-negative integer, not {degree_values}")
    primes = _ints(mapping.get("p", mapping.get("primes", 23)), "p")
    for q in primes:
        try:
            check_modulus(q)
        except PolyclassError as err:
            raise FamilyError(str(err)) from None
    forms = tuple(str(f) for f in _items(mapping.get("form", "")))
    bad_forms = [f for f in forms if f not in FORMS]
    if bad_forms:
        raise FamilyError(f"unknown form(s) {bad_forms}; forms are {', '.join(FORMS)}")
    polys = tuple(str(t) for t in mapping.get("polys", ()))
    alphas = _alphas(mapping.get("alpha", 0.5))
    return Family(
        variables=variables,
        max_degree=degree_values[0],
        exact_degree=exact,
        coeffs=_ints(mapping.get("coeffs", "-1..1"), "coeffs"),
        primes=tuple(dict.fromkeys(primes)),
        forms=forms,
        polys=polys,
        alphas=alphas,
        spec=spec,
    )


def _alphas(value: Any) -> tuple[float, ...]:
    """Training fractions from ``0.3|0.5``, ``0.3 0.5``, a TOML list or one number."""
    items = _items(value)
    try:
        alphas = tuple(float(t) for t in items)
    except (TypeError, ValueError):
        raise FamilyError(
            f"alpha must be training fractions such as 'alpha=0.3|0.5|0.7', not {value!r}"
        ) from None
    bad = [a for a in alphas if not 0.0 < a < 1.0]
    if not alphas or bad:
        raise FamilyError(
            f"alpha must be fractions strictly between 0 and 1, not {bad or value!r}; "
            "write e.g. 'alpha=0.3|0.5|0.7|0.9'"
        )
    return tuple(dict.fromkeys(alphas))

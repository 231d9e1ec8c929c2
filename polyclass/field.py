"""Exact arithmetic in GF(p) as pure functions with the modulus explicit.

Scalars are Python ints; vectors are int64 NumPy arrays with entries in ``[0, p)``.
Every function takes ``p`` as an argument, there is no global modulus. Products of two
residues stay below ``2**62`` for ``p < 2**31``, so int64 arithmetic is exact in that range.

Examples:
    >>> primitive_root(97)
    5
    >>> int(powmod_array(np.arange(5), 10**30, 5)[2]) == pow(2, 10**30, 5)
    True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .errors import FieldError, PolyclassError, TableTooLargeError

IntArray = npt.NDArray[np.int64]

#: Largest modulus supported by the int64 table and array functions.
MAX_ARRAY_MODULUS = 2**31

#: Largest modulus (in bits) accepted anywhere; primality and inverses stay fast below it.
MAX_MODULUS_BITS = 3_322

#: Default cap on the number of cells of a value table (int64: 8 bytes each, 512 MiB).
DEFAULT_MAX_TABLE_CELLS = 2**26

# Deterministic Miller-Rabin: these bases are exact for n < 3.3 * 10**24.
_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)


def is_prime(n: int) -> bool:
    """Return whether ``n`` is prime (deterministic for n < 3.3e24, probable prime above)."""
    if n < 2:
        return False
    for q in _MR_BASES:
        if n % q == 0:
            return n == q
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def check_modulus(p: object, *, name: str = "p", max_value: int | None = None) -> int:
    """Validate a modulus at a public entry point and return it as an int.

    Raises `FieldError` with a uniform message ("Argument 'p' must be a prime >= 3,
    not 96") for anything that is not a prime >= 3 (or exceeds ``max_value``).
    """
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        raise FieldError(f"Argument {name!r} must be a prime >= 3, not {p!r}")
    value = int(p)
    if value.bit_length() > MAX_MODULUS_BITS:
        raise FieldError(
            f"Argument {name!r} must be a prime >= 3 with at most {MAX_MODULUS_BITS} bits "
            f"(about 1,000 digits), not a number with {value.bit_length()} bits"
        )
    if value < 3 or not is_prime(value):
        hint = ""
        if 3 <= value < 2**64:  # nearest primes only where finding them is instant
            below, above = previous_prime(value), next_prime(value)
            hint = f" (nearest primes: {below} and {above})" if below else f" (try {above})"
        shown = str(value) if value < 10**40 else f"{str(value)[:12]}...({len(str(value))} digits)"
        raise FieldError(f"Argument {name!r} must be a prime >= 3, not {shown}{hint}")
    if max_value is not None and value >= max_value:
        raise FieldError(f"Argument {name!r} must be below {max_value} here, not {value}")
    return value


def next_prime(n: int) -> int:
    """Smallest prime strictly greater than ``n``."""
    k = max(n + 1, 2)
    while not is_prime(k):
        k += 1
    return k


def previous_prime(n: int) -> int | None:
    """Largest prime strictly smaller than ``n``, or None when there is none."""
    k = n - 1
    while k >= 2:
        if is_prime(k):
            return k
        k -= 1
    return None


def factorize(n: int) -> dict[int, int]:
    """Prime factorisation of a positive int by trial division (fine for n < 2**62)."""
    if n < 1:
        raise FieldError(f"Argument 'n' must be a positive integer, not {n}")
    factors: dict[int, int] = {}
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors[d] = factors.get(d, 0) + 1
            n //= d
        d += 1 if d == 2 else 2
    if n > 1:
        factors[n] = factors.get(n, 0) + 1
    return factors


@lru_cache(maxsize=256)
def primitive_root(p: int) -> int:
    """Smallest generator of the multiplicative group of GF(p)."""
    if p == 2:
        return 1
    order = p - 1
    prime_factors = tuple(factorize(order))
    for g in range(2, p):
        if all(pow(g, order // q, p) != 1 for q in prime_factors):
            return g
    raise AssertionError(f"no primitive root modulo {p}; is it prime?")


def exp_table(p: int, g: int | None = None) -> IntArray:
    """``E[k] = g^k mod p`` for ``k = 0 .. p-2`` (g defaults to the primitive root)."""
    g = primitive_root(p) if g is None else g
    out = np.empty(p - 1, dtype=np.int64)
    x = 1
    for k in range(p - 1):
        out[k] = x
        x = x * g % p
    return out


def log_table(p: int, g: int | None = None) -> IntArray:
    """``L[n] = log_g(n)`` in ``[0, p-2]`` for ``n = 1 .. p-1``; ``L[0] = -1`` (no logarithm)."""
    out = np.full(p, -1, dtype=np.int64)
    out[exp_table(p, g)] = np.arange(p - 1, dtype=np.int64)
    return out


def inverse(a: int, p: int) -> int:
    """Multiplicative inverse of ``a`` modulo ``p``; raises FieldError when ``a = 0 mod p``."""
    if a % p == 0:
        raise FieldError(f"{a} has no inverse modulo {p} (it is 0 mod {p})")
    return pow(a, -1, p)


def inverse_array(values: npt.ArrayLike, p: int) -> IntArray:
    """Elementwise ``x^(p-2)``: the inverse of every non-zero residue, and 0 at 0."""
    return powmod_array(np.asarray(values, dtype=np.int64), p - 2, p)


def reduce_exponent(e: int, p: int) -> int:
    """Smallest ``e' >= 0`` with ``x^e = x^e'`` for every x in GF(p) (Fermat; 0^0 = 1).

    Exponent 0 stays 0 (the constant 1); any ``e >= 1`` maps into ``[1, p-1]``.
    """
    if e < 0:
        raise FieldError(f"exponent must be non-negative here, not {e}")
    return 0 if e == 0 else (e - 1) % (p - 1) + 1


def powmod_array(x: IntArray, e: int, p: int) -> IntArray:
    """Elementwise ``x^e mod p`` for residues ``x`` in ``[0, p)``, exact for p < 2**31.

    The exponent is reduced with Fermat's little theorem first, so huge exponents cost
    O(log p) vectorised multiplications. ``0^0 = 1``.
    """
    e = reduce_exponent(e, p)
    result = np.ones_like(x, dtype=np.int64)
    base = np.asarray(x, dtype=np.int64) % p
    while e:
        if e & 1:
            result = result * base % p
        e >>= 1
        if e:
            base = base * base % p
    return result


def power_table(p: int, max_exponent: int) -> IntArray:
    """``T[e, n] = n^e mod p`` for ``e = 0 .. max_exponent`` and ``n = 0 .. p-1``."""
    out = np.empty((max_exponent + 1, p), dtype=np.int64)
    out[0] = 1
    n = np.arange(p, dtype=np.int64)
    for e in range(1, max_exponent + 1):
        out[e] = out[e - 1] * n % p
    return out


def check_table_size(p: int, arity: int, max_cells: int | None = None) -> int:
    """Number of cells of a ``(p,)*arity`` table; raise TableTooLargeError above the cap."""
    if max_cells is not None and (type(max_cells) is not int or max_cells < 1):
        raise PolyclassError(f"Argument 'max_cells' must be an integer >= 1, not {max_cells!r}")
    cap = DEFAULT_MAX_TABLE_CELLS if max_cells is None else max_cells
    cells = p**arity
    if cells > cap:
        raise TableTooLargeError(
            f"a value table for p = {p} with {arity} variables has p^{arity} = {cells:,} cells "
            f"({cells * 8 / 2**30:.1f} GiB as int64), above the cap of {cap:,} cells; "
            "pass max_cells= to allow it, or evaluate at chosen points with ModPoly.evaluate"
        )
    return cells

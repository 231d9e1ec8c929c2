"""Argument checks at the public entry points, with one wording for every message.

Each public function checks its arguments once, on entry, with these helpers, and trusts
them inside. The messages follow one pattern, so a user learns it once:

Examples:
    >>> check_positive(float("inf"), "lr")
    Traceback (most recent call last):
    ...
    polyclass.errors.PolyclassError: Argument 'lr' must be a finite positive number, not inf

``error=`` picks the PolyclassError subclass raised (TrainConfigError for training
arguments, ...). `as_table` is the one validator of value tables (NumPy arrays,
nested lists, torch tensors); it raises `TableError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import PolyclassError, TableError
from .field import check_modulus, check_table_size

IntArray = npt.NDArray[np.int64]

_Error = type[PolyclassError]


def _shown(value: object) -> str:
    """A short description of a bad value for an error message (never a 4,300-digit str)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"an integer with about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(name: str, what: str, value: object, error: _Error) -> PolyclassError:
    return error(f"Argument {name!r} must be {what}, not {_shown(value)}")


def _is_real(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def check_int(
    value: object,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    error: _Error = PolyclassError,
) -> int:
    """An integer (not a bool, not a float) in ``[minimum, maximum]``, returned as int."""
    bounds = ""
    if minimum is not None and maximum is not None:
        bounds = f" from {minimum} to {maximum:,}"
    elif minimum is not None:
        bounds = {0: " >= 0", 1: " >= 1"}.get(minimum, f" >= {minimum}")
    elif maximum is not None:
        bounds = f" <= {maximum:,}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise _fail(name, f"an integer{bounds}", value, error)
    out = int(value)
    if (minimum is not None and out < minimum) or (maximum is not None and out > maximum):
        raise _fail(name, f"an integer{bounds}", value, error)
    return out


def check_bytes(value: object, name: str = "max_bytes", *, error: _Error = PolyclassError) -> int:
    """A memory cap in bytes: a positive int (checked at entry, before anything is priced)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise _fail(name, "a positive int (bytes)", value, error)
    return int(value)


def _real(value: object, name: str, what: str, ok: Callable[[float], bool], error: _Error) -> float:
    """``value`` as a finite float for which ``ok`` holds, else the error saying ``what``."""
    if not _is_real(value):
        raise _fail(name, what, value, error)
    try:
        out = float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond the float range
        raise _fail(name, what, value, error) from None
    if not (math.isfinite(out) and ok(out)):
        raise _fail(name, what, value, error)
    return out


def check_finite(
    value: object, name: str, *, minimum: float | None = None, error: _Error = PolyclassError
) -> float:
    """A finite real number (not NaN, not +-inf; >= ``minimum`` when given), as float."""
    if minimum is None:
        return _real(value, name, "a finite number", lambda x: True, error)
    return _real(value, name, f"a finite number >= {minimum:g}", lambda x: x >= minimum, error)


def check_positive(value: object, name: str, *, error: _Error = PolyclassError) -> float:
    """A finite real number > 0, as float (NaN, inf, 0 and negatives are refused)."""
    return _real(value, name, "a finite positive number", lambda x: x > 0, error)


def check_fraction(
    value: object, name: str, *, closed: bool = True, error: _Error = PolyclassError
) -> float:
    """A number in ``(0, 1]`` (``closed=True``) or ``(0, 1)`` (``closed=False``), as float."""
    what = "a number in (0, 1]" if closed else "a number strictly between 0 and 1"
    return _real(value, name, what, lambda x: 0.0 < x < 1.0 or (closed and x == 1.0), error)


def check_choice(
    value: object, name: str, choices: Iterable[str], *, error: _Error = PolyclassError
) -> str:
    """One of ``choices`` (strings), returned unchanged."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise _fail(name, f"one of {listed}", value, error)
    return value


def check_device(device: object, *, error: _Error = PolyclassError) -> Any:
    """A torch device that exists on this machine (None or ``"auto"``: CUDA when available,
    else CPU).

    Refuses unknown device names (``tpu``), ``cuda`` without CUDA, and CUDA indices beyond
    the number of GPUs, with what is available.
    """
    import torch

    if device is None or device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not isinstance(device, (str, torch.device)):
        raise _fail("device", "'auto', 'cpu', 'cuda' or 'cuda:N'", device, error)
    try:
        dev = torch.device(device)
    except (RuntimeError, ValueError):
        raise _fail("device", "'cpu', 'cuda' or 'cuda:N'", device, error) from None
    if dev.type == "cpu":
        return dev
    if dev.type != "cuda":
        raise _fail("device", "'cpu', 'cuda' or 'cuda:N'", device, error)
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if count == 0:
        raise error(f"Argument 'device' is {str(dev)!r}, but CUDA is not available here; use 'cpu'")
    if dev.index is not None and dev.index >= count:
        raise error(
            f"Argument 'device' is {str(dev)!r}, but this machine has {count} GPU(s): "
            f"use cuda:0 to cuda:{count - 1}"
        )
    return dev


def as_table(
    obj: object, p: int | None = None, *, max_cells: int | None = None
) -> tuple[IntArray, int]:
    """Check a value table and return it as a contiguous int64 array with its modulus.

    ``obj`` is an integer NumPy array, a torch tensor or nested lists, of shape ``(p,)*S``
    (``S >= 1``) with every entry in ``[0, p)``; ``p`` defaults to the side length and must
    be prime. Tables above ``max_cells`` cells (default
    `polyclass.field.DEFAULT_MAX_TABLE_CELLS`) are refused with TableTooLargeError
    before any copy is made.

    Examples:
        >>> as_table([[0, 1], [1, 0]], p=2)[0].dtype
        dtype('int64')
    """
    if type(obj).__module__.startswith("torch"):
        obj = obj.detach().cpu().numpy()  # type: ignore[attr-defined]
    if isinstance(obj, (list, tuple)):
        try:
            obj = np.array(obj)
        except (ValueError, OverflowError) as err:
            raise TableError(
                f"a value table must be a rectangular grid of integers ({err})"
            ) from None
        if obj.dtype == object:  # Python ints beyond 64 bits
            raise TableError("a value table must hold residues in [0, p) (found huge integers)")
    if not isinstance(obj, np.ndarray):
        raise TableError(
            f"a value table must be a NumPy integer array, not {type(obj).__name__}; "
            "build it with np.array(..., dtype=np.int64)"
        )
    table = obj
    if table.dtype == np.bool_ or not np.issubdtype(table.dtype, np.integer):
        raise TableError(
            f"a value table must have an integer dtype, not {table.dtype}; "
            "convert it with table.astype(np.int64) if its entries are whole numbers"
        )
    if table.ndim < 1 or table.size == 0:
        raise TableError(f"a value table must have at least one non-empty axis, not {table.shape}")
    side = table.shape[0]
    if any(s != side for s in table.shape):
        raise TableError(
            f"a value table must be square with shape (p, ..., p), not {table.shape}: "
            "every variable ranges over all of Z_p"
        )
    try:
        p = check_modulus(side if p is None else p)
    except PolyclassError as err:
        raise TableError(str(err)) from None
    if side != p:
        raise TableError(f"a table over Z_{p} must have side {p}, not shape {table.shape}")
    check_table_size(p, table.ndim, max_cells)
    low, high = int(table.min()), int(table.max())  # exact in the table's own dtype
    if low < 0 or high >= p:
        bad = low if low < 0 else high
        raise TableError(f"table entries must lie in [0, {p}), found {bad}; reduce them mod {p}")
    return np.ascontiguousarray(table, dtype=np.int64), p

"""Floating-point precision, accepted everywhere as ``"float32"``/``"float64"`` or as
``torch.float32``/``torch.float64``.

Configurations and reports keep the name (a string, JSON-ready and torch-free); tensors get
the torch dtype.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import PolyclassError

if TYPE_CHECKING:  # pragma: no cover
    import torch

FLOAT_DTYPES = ("float32", "float64")


def dtype_name(value: object, error: type[PolyclassError] = PolyclassError, why: str = "") -> str:
    """``"float32"`` or ``"float64"`` for either spelling; anything else raises ``error``."""
    name = value if isinstance(value, str) else str(value).removeprefix("torch.")
    if name not in FLOAT_DTYPES:
        raise error(
            f"dtype must be 'float32' or 'float64' (or torch.float32, torch.float64), "
            f"not {value!r}{why}"
        )
    return name


def torch_dtype(
    value: object, error: type[PolyclassError] = PolyclassError, why: str = ""
) -> torch.dtype:
    """The torch dtype for either spelling (see `dtype_name`)."""
    import torch

    dtype: torch.dtype = getattr(torch, dtype_name(value, error, why))
    return dtype

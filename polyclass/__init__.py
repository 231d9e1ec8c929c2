"""polyclass: modular polynomials and the neural networks that compute them.

Examples:
    >>> import polyclass as pc
    >>> P = pc.parse("(4*x + y^2)^3 mod 97")
    >>> P.table().shape
    (97, 97)

The public names are imported lazily, so ``import polyclass`` stays fast and does not
import torch until a network is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    CompileError,
    FieldError,
    ParseError,
    PolyclassError,
    TableError,
    TableTooLargeError,
    TrainConfigError,
    TrainingCollapseError,
    WorkerDiedError,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "parse": "modpoly",
    "ModPoly": "modpoly",
    "decompose": "decomposition",
    "Decomposition": "decomposition",
    "Structure": "structure",
    "classify": "learnability",
    "Verdict": "learnability",
    "check_certificate": "learnability",
    "compile": "compiler",
    "load": "netfile",
    "NetworkInfo": "netinfo",
    "verify": "verification",
    "VerifyReport": "verification",
    "PowerMLP": "nn",
    "ExpertNetwork": "nn",
    "train": "training",
    "train_many": "training",
    "TrainConfig": "training",
    "TrainResult": "training",
    "check": "training",
    "CheckResult": "training",
    "ipr": "analysis",
    "spectra": "analysis",
    "compare": "comparison",
    "save_run": "runs",
    "load_run": "runs",
    "sweep": "atlas",
    "atlas": "atlas",
    "Run": "runs",
}

__all__ = [
    "CompileError",
    "FieldError",
    "ParseError",
    "PolyclassError",
    "TableError",
    "TableTooLargeError",
    "TrainConfigError",
    "TrainingCollapseError",
    "WorkerDiedError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'polyclass' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - static names for type checkers and IDEs
    from .decomposition import Decomposition, decompose  # noqa: F401
    from .modpoly import ModPoly, parse  # noqa: F401
    from .netinfo import NetworkInfo  # noqa: F401
    from .structure import Structure  # noqa: F401

"""polyclass: modular polynomials and the neural networks that compute them.

>>> import polyclass as pc
>>> P = pc.parse("(4*x + y^2)^3 mod 97")
>>> P.table().shape
(97, 97)

The public names are imported lazily, so ``import polyclass`` stays fast and does not
import torch until a network is asked for.
"""

from __future__ import annotations

import importlib
import sys
import types
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
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "parse": "parse",
    "ModPoly": "modpoly",
    "decompose": "decompose",
    "Decomposition": "decompose",
    "classify": "learnability",
    "Verdict": "learnability",
    "check_certificate": "learnability",
    "compile": "compile",
    "load": "compile",
    "verify": "verify",
    "VerifyReport": "verify",
    "PowerMLP": "nn",
    "ExpertNetwork": "nn",
    "train": "train",
    "train_many": "train",
    "TrainConfig": "train",
    "TrainResult": "train",
    "check": "train",
    "CheckResult": "train",
    "ipr": "analysis",
    "spectra": "analysis",
    "sweep": "atlas",
    "atlas": "atlas",
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


class _Package(types.ModuleType):
    """Keeps ``pc.parse``, ``pc.train``, ... the functions when their modules are imported.

    Importing ``polyclass.parse`` makes Python set the package attribute ``parse`` to the
    module; for the public names whose module has the same name, store the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover - static names for type checkers and IDEs
    from .decompose import Decomposition, decompose  # noqa: F401
    from .modpoly import ModPoly  # noqa: F401
    from .parse import parse  # noqa: F401

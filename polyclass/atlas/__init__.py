"""Learnability atlas: sweeps over families of polynomials, stored in SQLite, and reports.

Examples:
    >>> import polyclass as pc
    >>> family = "vars=2, degree<=1, coeffs=-1..1, p=5"
    >>> pc.sweep(family, seeds=2, db="atlas.sqlite")  # doctest: +SKIP
    >>> print(pc.atlas("atlas.sqlite"))  # doctest: +SKIP

Importing this package binds ``polyclass.atlas`` to the package, shadowing the lazy
function ``pc.atlas`` once anything (``pc.sweep`` for one) has imported it; the package is
therefore callable, and calling it is calling `atlas`, as ``pc.train`` does for training.
"""

import sys
import types
from typing import Any

from .family import Enumeration, Family, FamilyError, enumerate_family, load_family
from .jobs import Job, reclassify, run_batch
from .report import AtlasReport, atlas
from .store import ResultStore, config_hash
from .sweep import SweepSummary, sweep

__all__ = [
    "AtlasReport",
    "Enumeration",
    "Family",
    "FamilyError",
    "Job",
    "ResultStore",
    "SweepSummary",
    "atlas",
    "config_hash",
    "enumerate_family",
    "load_family",
    "reclassify",
    "run_batch",
    "sweep",
]


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> AtlasReport:
        return atlas(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

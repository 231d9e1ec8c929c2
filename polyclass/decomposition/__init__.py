"""Symbolic structure of a polynomial: `decompose` and `Decomposition`.

`symbolic` builds the decomposition (forms and the DAG); `outer` searches for an
outer function ``f = h(u)``, as typed and after expansion.
"""

from __future__ import annotations

from .symbolic import FORMS, Decomposition, decompose

__all__ = ["FORMS", "Decomposition", "decompose"]

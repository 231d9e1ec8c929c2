"""Symbolic structure of a polynomial: :func:`decompose` and :class:`Decomposition`.

:mod:`.symbolic` builds the decomposition (forms and the DAG); :mod:`.outer` searches for an
outer function ``f = h(u)``, as typed and after expansion.
"""

from __future__ import annotations

from .symbolic import FORMS, Decomposition, decompose

__all__ = ["FORMS", "Decomposition", "decompose"]

"""`NetworkInfo`: what a network computes and how it was built.

Compiled networks carry one in ``net.info``; `save` writes it
into the file header and `polyclass.load` reads it back.

Examples:
    >>> info = NetworkInfo(p=7, variables=("x", "y"), polynomial="x*y mod 7", form="multiplicative")
    >>> NetworkInfo.from_dict(info.to_dict()) == info
    True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from .structure import Structure


@dataclass(frozen=True)
class NetworkInfo:
    """Typed description of a network (JSON-ready through `to_dict`).

    * ``polynomial`` / ``text``: the polynomial (None when compiled from a table, a verdict
      or a structure without one); ``structure``: the structure's `to_dict` when the
      network is one expert built from it (its tables define ``f`` on every input);
    * ``form``: the shared form vocabulary (`polyclass.structure.FORMS`);
    * ``source``: what was compiled (``polynomial``, ``table``, ``verdict``, ``structure``),
      or ``trained`` / ``initial`` for networks saved by a training run;
    * ``frequencies``: the Fourier frequencies of a single exact expert (one for an
      injective ``h``; more when ``h`` is not injective and the margin needs them);
    * ``stages``: one JSON-ready entry per expert (design, margins).
    """

    p: int
    variables: tuple[str, ...] = ()
    polynomial: str | None = None
    text: str | None = None
    form: str | None = None
    source: str = "polynomial"
    method: str | None = None
    widths: tuple[int, ...] = ()
    frequencies: tuple[int, ...] = ()
    beta: float | None = None
    seed: int | None = None
    dtype: str | None = None
    predicted_margin: float | None = None
    stages: tuple[dict[str, Any], ...] = ()
    structure: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("variables", "widths", "frequencies", "stages"):
            d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NetworkInfo:
        """Read `to_dict` output (unknown keys are ignored, lists become tuples)."""
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        for key in ("variables", "widths", "frequencies", "stages"):
            if key in kw and kw[key] is not None:
                kw[key] = tuple(kw[key])
        return cls(**kw)

    def table(self) -> npt.NDArray[np.int64] | None:
        """The value table ``(p,) * S`` of the recorded structure, if one is recorded."""
        if self.structure is None:
            return None

        return Structure.from_dict(self.structure).table()


__all__ = ["NetworkInfo"]

"""Memory budget of a compile: every estimate is made before the arrays it counts exist.

An expert with ``S`` routed inputs and ``W`` hidden neurons over ``Z_p`` stores
``(S + 1) * p * W`` weights (embedding ``(S, p, W)`` and readout ``(p, W)``). Compiling keeps
them in float64 while planning and copies them to the output dtype at the end (*kept* bytes);
building one expert also holds the NumPy weights and a few cosine temporaries for a moment
(*transient* bytes). `Budget` adds the kept bytes
of the experts built so far to the transient bytes of the next one and refuses with
`CompileError` before it is allocated if the sum exceeds the cap.

`lower_bound` prices a plan whose experts all get one frequency: compile refuses a
polynomial up front, in well under a second, when even that is above the cap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import CompileError

#: Default cap on the memory a compile may allocate (``max_bytes=`` / ``--max-memory``).
DEFAULT_MAX_BYTES = 2**30

_F64 = 8


@dataclass(frozen=True)
class Shape:
    """What the memory of one expert depends on: routed inputs, neurons per frequency, zero."""

    n_inputs: int
    per_frequency: int
    zero_neuron: bool = False

    def width(self, frequencies: int) -> int:
        return self.per_frequency * frequencies + int(self.zero_neuron)


def expert_bytes(n_inputs: int, p: int, width: int, dtype_bytes: int = 4) -> tuple[int, int]:
    """``(kept, transient)`` bytes of one expert with ``n_inputs`` inputs and ``width`` neurons."""
    cells = (n_inputs + 1) * p * width
    kept = cells * (_F64 + dtype_bytes) + (n_inputs + 1) * p * _F64  # weights, spec tables
    transient = (n_inputs + 4) * p * width * _F64  # NumPy weights, cosine temporaries
    return kept, transient


def plan_bytes(shapes: Iterable[tuple[int, int]], p: int, dtype_bytes: int = 4) -> int:
    """Peak bytes of a plan given ``(n_inputs, width)`` per expert: all kept plus the worst
    transient (experts are built one at a time)."""
    kept, peak = 0, 0
    for n_inputs, width in shapes:
        k, t = expert_bytes(n_inputs, p, width, dtype_bytes)
        kept += k
        peak = max(peak, t)
    return kept + peak


def lower_bound(shapes: Iterable[Shape], p: int, dtype_bytes: int = 4) -> int:
    """Bytes of a plan whose every expert has a single frequency (the narrowest it can be)."""
    return plan_bytes(((s.n_inputs, s.width(1)) for s in shapes), p, dtype_bytes)


def format_bytes(n: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


@dataclass
class Budget:
    """Running memory account of one compile (``limit`` bytes; ``used`` by experts kept)."""

    limit: int
    subject: str
    p: int
    used: int = 0

    def check(self, need: int, what: str) -> None:
        """Refuse if ``need`` more bytes (on top of what is kept) would pass the limit."""
        total = self.used + need
        if total <= self.limit:
            return
        raise refusal(self.subject, total, self.limit, what, self.p)

    def reserve(self, n_inputs: int, width: int, dtype_bytes: int, what: str) -> None:
        """Check the next expert (kept + transient) and keep its weights on the account."""
        kept, transient = expert_bytes(n_inputs, self.p, width, dtype_bytes)
        self.check(kept + transient, what)
        self.used += kept

    def frequencies_that_fit(self, shape: Shape, dtype_bytes: int) -> int:
        """Most frequencies one expert of ``shape`` can have within what is left (>= 1)."""
        kept, transient = expert_bytes(shape.n_inputs, self.p, shape.per_frequency, dtype_bytes)
        left = self.limit - self.used
        return max(1, left // max(kept + transient, 1))


def over_cap(action: str, need: int, limit: int, what: str) -> str:
    """The shared start of a memory refusal: the estimate, the cap and the knob to raise it."""
    return (
        f"{action} needs about {format_bytes(need)} ({what}), above the memory cap of "
        f"{format_bytes(limit)}; pass max_bytes={_round_up(need)} (CLI --max-memory "
        f"{_round_up(need)}) to allow it"
    )


def refusal(subject: str, need: int, limit: int, what: str, p: int) -> CompileError:
    """The CompileError of a plan over the cap: the estimate, the cap and what would fit."""
    fit = int(p * limit / max(need, 1))
    return CompileError(
        over_cap(f"compiling {subject}", need, limit, what)
        + f", or use a prime below about {max(fit, 2):,}, which fits the cap (weights grow "
        "like p * width)"
    )


def _round_up(n: int) -> int:
    step = 2**20
    return -(-n // step) * step


__all__ = [
    "DEFAULT_MAX_BYTES",
    "Budget",
    "Shape",
    "expert_bytes",
    "format_bytes",
    "lower_bound",
    "over_cap",
    "plan_bytes",
    "refusal",
]

"""Exceptions a user can cause. The CLI prints their message and exits with status 2."""

from __future__ import annotations


class PolyclassError(Exception):
    """Base class of every error polyclass raises for bad input or impossible requests."""


class ParseError(PolyclassError, ValueError):
    """The polynomial text (or the modulus given with it) cannot be read."""


class FieldError(PolyclassError, ValueError):
    """An argument is not a valid element, modulus or exponent for GF(p) arithmetic."""


class TableTooLargeError(PolyclassError, MemoryError):
    """A value table (or another p^S-sized object) would exceed the configured cap."""


class CompileError(PolyclassError, ValueError):
    """A network cannot be built as requested (width too small, modulus too large, ...)."""


class TrainConfigError(PolyclassError, ValueError):
    """A training configuration is invalid."""


class TrainingCollapseError(PolyclassError, RuntimeError):
    """Training collapsed: every weight went to zero and the loss sits at its trivial value."""


class TableError(PolyclassError, ValueError):
    """A value table is malformed (shape, dtype, or entries outside ``[0, p)``)."""


class WorkerDiedError(PolyclassError, RuntimeError):
    """A worker process of a sweep was killed (most often by the system, for lack of memory)."""

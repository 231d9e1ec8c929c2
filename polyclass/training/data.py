"""Datasets for training: the full table of a polynomial over GF(p), split by a seed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import torch

from ..errors import TrainConfigError
from ..field import check_table_size
from ..structure import Structure
from ..validation import as_table

if TYPE_CHECKING:  # pragma: no cover
    from ..decomposition import Decomposition
    from ..modpoly import ModPoly


@dataclass(frozen=True, eq=False)
class Task:
    """What to learn: an exact value table ``(p,)*S`` of residues, and where it came from.

    ``poly`` is the `ModPoly` when the task came from a polynomial; ``structure`` the
    `Structure` (of a Structure or a learnable Verdict) or the Decomposition the caller
    already has. Either fixes the IPR basis; a known structure is used as it is, so nothing
    is decomposed again. Both ``None`` for a bare table.
    """

    table: npt.NDArray[np.int64]
    p: int
    label: str
    poly: ModPoly | None = None
    structure: Structure | Decomposition | None = None

    @property
    def n_inputs(self) -> int:
        return self.table.ndim


def as_task(obj: object, p: int | None = None, max_cells: int | None = None) -> Task:
    """A `Task` from a ModPoly, a polynomial string, an int table (``p`` defaults to its
    side; checked by `polyclass.validation.as_table`), a Decomposition, a `Structure` or a
    learnable Verdict (the structure they carry is kept for the IPR basis).

    Examples:
        >>> as_task(np.arange(9).reshape(3, 3) % 3, p=3).label
        'table (3, 3) mod 3'
    """
    if isinstance(obj, (np.ndarray, torch.Tensor, list, tuple)):
        table, p = as_table(obj, p, max_cells=max_cells)
        return Task(table=table, p=p, label=f"table {table.shape} mod {p}")
    known = _structure_carrier(obj)
    if isinstance(known, Structure):
        check_table_size(known.p, known.S, max_cells)
        table = known.table()
        label = f"{known.form} structure of {', '.join(known.variables)} mod {known.p}"
        return Task(table=table, p=known.p, label=label, structure=known)
    from ..decomposition import Decomposition
    from ..modpoly import as_modpoly  # the parser needs SymPy; import it only when used

    poly = as_modpoly(known.poly if isinstance(known, Decomposition) else obj, p=p)
    if poly.nvars == 0:
        raise TrainConfigError(
            f"{poly} is a constant with no variables, so a network has no inputs; pass the "
            "inputs to pc.parse, e.g. variables=('x', 'y')"
        )
    table = poly.table(max_cells=max_cells)
    return Task(table=table, p=poly.p, label=str(poly), poly=poly, structure=known)


def _structure_carrier(obj: object) -> Structure | Decomposition | None:
    """What fixes the basis of a structured input: the `Structure` of a Structure or a
    learnable Verdict, a Decomposition itself (its polynomial gives the table, its
    structure, possibly none, the basis); None for anything else."""
    from ..decomposition import Decomposition  # SymPy: only for structured inputs
    from ..learnability import Verdict

    if isinstance(obj, (Structure, Decomposition)):
        return obj
    if isinstance(obj, Verdict):
        if obj.structure is None:
            raise TrainConfigError(
                f"this verdict ({obj.form}) carries no structure to train on; pass the "
                "polynomial text or its value table instead"
            )
        return obj.structure
    return None


def seed_streams(seed: int) -> dict[str, torch.Generator]:
    """All randomness of a run, derived from one seed: split, init and minibatch streams.

    Independent CPU generators (NumPy ``SeedSequence`` children), so changing the batch
    size does not change the split or the initial weights.
    """
    children = np.random.SeedSequence(seed).spawn(3)
    out = {}
    for name, child in zip(("split", "init", "batch"), children, strict=True):
        gen = torch.Generator()
        gen.manual_seed(int(child.generate_state(1, dtype=np.uint64)[0] >> 1))
        out[name] = gen
    return out


def all_inputs(p: int, n_inputs: int) -> torch.Tensor:
    """Every input as residues, in the table's C order: ``(p^S, S)`` int64."""
    grids = torch.meshgrid(*[torch.arange(p)] * n_inputs, indexing="ij")
    return torch.stack([g.reshape(-1) for g in grids], dim=1)


@dataclass(frozen=True, eq=False)
class Split:
    """Train and test inputs ``(n, S)`` and labels ``(n,)`` of one task, on the CPU."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    @property
    def chance(self) -> float:
        """Majority-class share of the test set (what a constant guess scores)."""
        counts = torch.bincount(self.y_test)
        return float(counts.max()) / max(1, self.y_test.numel())


def split_task(task: Task, fraction: float, gen: torch.Generator) -> Split:
    """Seeded split of all ``p^S`` inputs: ``round(fraction * p^S)`` for training."""
    x = all_inputs(task.p, task.n_inputs)
    y = torch.from_numpy(task.table.reshape(-1).copy())
    total = x.shape[0]
    n_train = int(round(fraction * total))
    if not 0 < n_train < total:
        raise TrainConfigError(
            f"train_fraction {fraction} leaves {n_train} of {total} examples for training; "
            "both the train and the test set must be non-empty"
        )
    perm = torch.randperm(total, generator=gen)
    tr, te = perm[:n_train].sort().values, perm[n_train:].sort().values
    return Split(x[tr], y[tr], x[te], y[te])

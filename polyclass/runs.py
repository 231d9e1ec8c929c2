"""Saved training runs: a folder with the result (``result.json``) and the weights.

``polyclass train ... -o run/`` (or ``pc.save_run``) writes one; ``polyclass plot run/``
(or ``pc.load_run``) reads it back:

    run/result.json        TrainResult.to_dict() plus the polynomial text
    run/model.safetensors  the trained PowerMLP (load with pc.load)
    run/initial.safetensors  the same network at initialisation (for IPR histograms)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PolyclassError
from .netinfo import NetworkInfo

if TYPE_CHECKING:  # pragma: no cover
    from .nn import ExpertNetwork, PowerMLP
    from .training import TrainResult

RESULT = "result.json"
MODEL = "model.safetensors"
INITIAL = "initial.safetensors"


@dataclass(frozen=True, eq=False)
class Run:
    """A training run read from disk: its summary, history and networks."""

    path: Path
    result: dict[str, Any]
    model: PowerMLP | ExpertNetwork | None
    initial: PowerMLP | ExpertNetwork | None

    @property
    def history(self) -> list[dict[str, Any]]:
        return list(self.result["history"])

    @property
    def polynomial(self) -> str:
        return str(self.result["polynomial"])


def save_run(
    result: TrainResult, path: str | Path, *, polynomial: str, initial: PowerMLP | None = None
) -> Path:
    """Write a TrainResult (and optionally the initial network) into the folder ``path``.

    Examples:
        >>> T = pc.train("n1*n2 mod 11", width=32, steps=100)  # doctest: +SKIP
        >>> pc.save_run(T, "run", polynomial="n1*n2 mod 11")  # doctest: +SKIP
        >>> pc.load_run("run").result["test_accuracy"]  # doctest: +SKIP
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = dict(result.to_dict(), polynomial=polynomial)
        (folder / RESULT).write_text(json.dumps(data, indent=1), encoding="utf-8")
        for net, name, stage in ((result.model, MODEL, "trained"), (initial, INITIAL, "initial")):
            if net is not None:
                net.info = NetworkInfo(p=result.p, polynomial=polynomial, source=stage)
                net.save(folder / name)
    except OSError as err:
        raise PolyclassError(f"cannot write the run to {folder}: {err.strerror}") from None
    return folder


def load_run(path: str | Path) -> Run:
    """Read a folder written by `save_run`."""
    from .compiler import load

    folder = Path(path)
    if not (folder / RESULT).is_file():
        raise PolyclassError(f"{folder} is not a polyclass run folder (no {RESULT})")
    try:
        result = json.loads((folder / RESULT).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise PolyclassError(f"cannot read {folder / RESULT}: {err}") from None
    model = load(folder / MODEL, device="cpu") if (folder / MODEL).is_file() else None
    initial = load(folder / INITIAL, device="cpu") if (folder / INITIAL).is_file() else None
    return Run(folder, result, model, initial)

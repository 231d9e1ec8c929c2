"""Runs past grokking: train until the mean IPR stops rising, keep what the figures need.

The paper's Figs. 2-3 show the phase after grokking, where the weights become periodic
(the IPR rises towards 1) while the weight norm shrinks. `train_past_grokking` turns
the early stop on grokking off and stops each run on an IPR plateau instead
(`IPRPlateau`), writing ``metrics.jsonl`` as it goes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..analysis import ipr, ipr_weights
from .api import ipr_bases, train
from .callbacks import Callback
from .loop import Trainer
from .monitoring import IPRPlateau, MetricsFile, ProgressLog
from .results import TrainResult


@dataclass(frozen=True, eq=False)
class GrokkingRun:
    """A run past grokking: the result and the per-neuron IPRs at the start and the end."""

    result: TrainResult
    initial_ipr: npt.NDArray[np.float64] = field(repr=False)
    final_ipr: npt.NDArray[np.float64] = field(repr=False)

    def summary(self) -> dict[str, Any]:
        """Events and IPR statistics (JSON-ready, without the history)."""
        T, init, fin = self.result, self.initial_ipr, self.final_ipr
        peak = max(self.result.history, key=lambda r: r["mean_ipr"] or 0.0)
        return {
            "label": T.label,
            "width": T.config.width,
            "steps_run": T.steps_run,
            "stopped": T.stopped,
            "memorised_at": T.memorised_at,
            "grokked_at": T.grokked_at,
            "test_accuracy": T.test_accuracy,
            "mean_ipr_initial": float(np.nanmean(init)),
            "mean_ipr_final": float(np.nanmean(fin)),
            "mean_ipr_peak": float(peak["mean_ipr"] or 0.0),
            "mean_ipr_peak_step": int(peak["step"]),
            "median_ipr_final": float(np.nanmedian(fin)),
            "share_ipr_above_0.9": float(np.mean(fin > 0.9)),
            "weight_norm_initial": T.history[0]["weight_norm"],
            "weight_norm_at_grokking": _at(T.history, T.grokked_at, "weight_norm"),
            "weight_norm_final": T.final["weight_norm"],
            "time_s": T.time_s,
        }


def _at(history: Sequence[dict[str, Any]], step: int | None, key: str) -> Any:
    if step is None:
        return None
    return next((r[key] for r in history if r["step"] >= step), None)


class _InitialIPR(Callback):
    def __init__(self) -> None:
        self.values: npt.NDArray[np.float64] | None = None

    def on_train_start(self, trainer: Trainer) -> None:
        e, r = trainer.model.embed.detach()[0], trainer.model.readout.detach()[0]
        basis = ipr_bases(trainer.tasks[:1])[0]
        self.values = ipr_weights(e, r, basis).cpu().double().numpy()


def train_past_grokking(
    poly: object,
    out: str | os.PathLike[str] | None = None,
    *,
    window: int = 500,
    tol: float = 0.005,
    progress_interval: float = 30.0,
    **options: Any,
) -> GrokkingRun:
    """Train one model with no early stop on grokking; stop on an IPR plateau or ``steps``.

    ``window``/``tol``: the plateau (mean IPR rose by less than ``tol`` over the last
    ``window`` steps, after grokking). ``out``: a folder for ``metrics.jsonl`` (written as
    the run goes) and ``summary.json``. ``options``: `TrainConfig` fields.
    """
    initial = _InitialIPR()
    callbacks: list[Callback] = [initial, IPRPlateau(window, tol)]
    if out is not None:
        callbacks.append(MetricsFile(out))
    if options.get("progress") is None:
        callbacks.append(ProgressLog(progress_interval))
        options["progress"] = False
    options.setdefault("early_stop", False)
    T = train(poly, callbacks=callbacks, **options)
    assert initial.values is not None
    task_poly = poly if not isinstance(poly, np.ndarray) else None
    run = GrokkingRun(T, initial.values, ipr(T.model, task_poly, p=T.p))
    if out is not None:
        Path(out, "summary.json").write_text(json.dumps(run.summary(), indent=1) + "\n")
    return run

"""Callbacks: how a `Trainer` reports and is steered.

A callback is any object with some of the hooks below; each receives the trainer, whose
attributes (``step``, ``config``, ``history``, ``events``, ``should_stop``) are public, like
minGPT's trainer. ``on_eval`` gets the new history records, one per model.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm.auto import tqdm

from ..errors import TrainConfigError
from .config import SETTLE_RULES

if TYPE_CHECKING:  # pragma: no cover
    from .loop import Trainer

log = logging.getLogger("polyclass.train")


class Callback:
    """Base class with no-op hooks."""

    def on_train_start(self, trainer: Trainer) -> None:
        """Before the first step (also after a resume)."""

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        """After each evaluation (every ``eval_every`` steps); one record per model."""

    def on_step_end(self, trainer: Trainer) -> None:
        """After every optimiser step."""

    def on_train_end(self, trainer: Trainer) -> None:
        """After the last step, or after an early stop."""


class ProgressBar(Callback):
    """A tqdm bar over steps; ``enabled=None`` shows it only when stderr is a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bar: Any = None

    def on_train_start(self, trainer: Trainer) -> None:
        if self.enabled:
            self.bar = tqdm(total=trainer.config.steps, initial=trainer.step, unit="step")

    def on_step_end(self, trainer: Trainer) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        if self.bar is not None:
            best = max(records, key=lambda r: r["test_accuracy"])
            self.bar.set_postfix(
                train=f"{best['train_accuracy']:.3f}", test=f"{best['test_accuracy']:.3f}"
            )

    def on_train_end(self, trainer: Trainer) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class LogMetrics(Callback):
    """Log every ``every``-th evaluation with `logging` (logger ``polyclass.train``)."""

    def __init__(self, every: int = 1, level: int = logging.INFO) -> None:
        self.every = every
        self.level = level
        self._count = 0

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        self._count += 1
        if (self._count - 1) % self.every:
            return
        for k, r in enumerate(records):
            log.log(
                self.level,
                "model %d step %d: train loss %.4g acc %.4f, test loss %.4g acc %.4f, ipr %s",
                k,
                r["step"],
                r["train_loss"],
                r["train_accuracy"],
                r["test_loss"],
                r["test_accuracy"],
                "-" if r["mean_ipr"] is None else f"{r['mean_ipr']:.3f}",
            )


class Checkpoint(Callback):
    """Save the full training state every ``every`` steps to ``folder/step_XXXXXXXX.pt``.

    The file holds model, optimiser, step, RNG state, history, events and the config;
    ``polyclass.training.resume(path)`` continues from it. ``folder/latest.pt`` is overwritten
    each time (written to a temporary name first, then renamed).
    """

    def __init__(self, folder: str | os.PathLike[str], every: int, keep_all: bool = True) -> None:
        self.folder = Path(folder)
        self.every = every
        self.keep_all = keep_all
        self.paths: list[Path] = []

    def on_step_end(self, trainer: Trainer) -> None:
        if self.every and trainer.step % self.every == 0:
            self.save(trainer)

    def save(self, trainer: Trainer) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        latest = self.folder / "latest.pt"
        trainer.save_checkpoint(latest)
        if self.keep_all:
            path = self.folder / f"step_{trainer.step:08d}.pt"
            path.write_bytes(latest.read_bytes())
            self.paths.append(path)
            return path
        return latest


class EarlyStop(Callback):
    """Stop a model once it has grokked (test accuracy >= ``config.grok_threshold``).

    After ``patience`` further steps the model is frozen (its result is taken there); the
    run ends when every model is frozen.
    """

    def __init__(self, patience: int = 0) -> None:
        self.patience = patience

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        for k, ev in enumerate(trainer.events):
            grokked = ev["grokked_at"]
            if grokked is not None and trainer.step - grokked >= self.patience:
                trainer.finish_model(k, "grokked")


class Settle(Callback):
    """Stop a model once its outcome is settled, grokked or not.

    A model is settled when its train accuracy has reached 100% and its test accuracy over
    the last ``window`` evaluations is steady by ``rule``: ``"band"``, it moved by at most
    ``tol`` (max minus min); ``"trend"``, the least-squares line through them rises (or
    falls) by at most ``tol`` across the window. Its result is frozen there; models that
    never settle run to ``config.steps``. Unlike `EarlyStop`, partial learning (test
    accuracy rising slowly to a plateau below the grokking threshold) is followed to its
    plateau. A short band stops a slow riser (under ``tol`` per window) as settled; a long
    band rarely settles on a small test set, where a few cells of noise exceed ``tol``;
    the trend over a long window ignores that noise and still sees a slow rise.
    """

    def __init__(self, window: int, tol: float = 0.01, rule: str = "band") -> None:
        if rule not in SETTLE_RULES:
            raise TrainConfigError(f"settle rule must be one of {SETTLE_RULES}, not {rule!r}")
        self.window = window
        self.tol = tol
        self.rule = rule
        self.recent: dict[int, list[float]] = {}

    def steady(self, seen: list[float]) -> bool:
        """Whether a full window of test accuracies is steady by the rule."""
        if self.rule == "band":
            return max(seen) - min(seen) <= self.tol
        n = len(seen)
        if n < 2:
            return True
        mean_x, mean_y = (n - 1) / 2, sum(seen) / n
        sxy = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(seen))
        sxx = n * (n * n - 1) / 12  # sum of (i - mean_x)^2 over 0..n-1
        return abs(sxy / sxx) * (n - 1) <= self.tol

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        for k, record in enumerate(records):
            if trainer.events[k]["memorised_at"] is None:
                continue
            seen = self.recent.setdefault(k, [])
            seen.append(float(record["test_accuracy"]))
            del seen[: -self.window]
            if len(seen) == self.window and self.steady(seen):
                trainer.finish_model(k, "settled")

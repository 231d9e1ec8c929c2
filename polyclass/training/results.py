"""The outcome of a training run: the trained model, its history and its events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..nn import PowerMLP
from .config import TrainConfig

#: How far below its peak the final test accuracy must end for ``str(TrainResult)`` to name
#: the peak.
ERODED_BY = 0.05


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Outcome of one run: the trained model, its history and the events that happened.

    ``history``: one record per evaluation (``step``, ``train_loss``, ``train_accuracy``,
    ``test_loss``, ``test_accuracy``, ``mean_ipr``, ``weight_norm``). Events are steps:
    ``memorised_at`` (train accuracy 100%), ``grokked_at`` (test accuracy >=
    ``config.grok_threshold``), ``collapsed_at`` (weights collapsed to zero). ``chance`` is
    the majority-class share of the test set. ``peak_test_accuracy`` and ``peak_at``: the
    best evaluation, which can lie well above the final one: with weight decay a network
    can fit its table and then lose the fit (``h(3x^3 + y^3 + 2y^2)`` with ``h(u) = u^4 +
    u^2`` at p = 23, alpha 0.5, width 128, the paper's wd = 5: test 0.97 at step 2160, 0.77
    at 4000, 0.10 at 16,000); ``str()`` names the peak when the final test accuracy is
    `ERODED_BY` or more below it.
    """

    label: str
    p: int
    config: TrainConfig
    model: PowerMLP = field(repr=False)
    history: list[dict[str, Any]] = field(repr=False)
    chance: float
    memorised_at: int | None
    grokked_at: int | None
    collapsed_at: int | None
    stopped: str  # "steps", "grokked", "settled" or "collapsed"
    steps_run: int
    time_s: float

    @property
    def final(self) -> dict[str, Any]:
        return self.history[-1]

    @property
    def train_accuracy(self) -> float:
        return float(self.final["train_accuracy"])

    @property
    def test_accuracy(self) -> float:
        return float(self.final["test_accuracy"])

    @property
    def train_loss(self) -> float:
        return float(self.final["train_loss"])

    @property
    def test_loss(self) -> float:
        return float(self.final["test_loss"])

    @property
    def peak(self) -> dict[str, Any]:
        """The evaluation with the highest test accuracy (the first of equals)."""
        return max(self.history, key=lambda r: r["test_accuracy"])

    @property
    def peak_test_accuracy(self) -> float:
        return float(self.peak["test_accuracy"])

    @property
    def peak_at(self) -> int:
        """The step of `peak`."""
        return int(self.peak["step"])

    @property
    def fell_from_peak(self) -> bool:
        """Whether the final test accuracy ended `ERODED_BY` or more below `peak`."""
        return self.peak_test_accuracy - self.test_accuracy >= ERODED_BY

    @property
    def grokked(self) -> bool:
        return self.grokked_at is not None

    @property
    def collapsed(self) -> bool:
        return self.collapsed_at is not None

    def __str__(self) -> str:
        return (
            f"{self.label}: train {self.train_accuracy:.2%}, test {self.test_accuracy:.2%} "
            f"(chance {self.chance:.2%}) after {self.steps_run} steps; "
            f"memorised at {self.memorised_at}, grokked at {self.grokked_at}"
            + (f", COLLAPSED at {self.collapsed_at}" if self.collapsed else "")
            + (
                f"; test accuracy peaked at {self.peak_test_accuracy:.2%} at step {self.peak_at}"
                if self.fell_from_peak
                else ""
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the weights)."""
        return {
            "label": self.label,
            "p": self.p,
            "config": self.config.to_dict(),
            "chance": self.chance,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "train_loss": self.train_loss,
            "test_loss": self.test_loss,
            "memorised_at": self.memorised_at,
            "grokked_at": self.grokked_at,
            "collapsed_at": self.collapsed_at,
            "peak_test_accuracy": self.peak_test_accuracy,
            "peak_at": self.peak_at,
            "stopped": self.stopped,
            "steps_run": self.steps_run,
            "time_s": self.time_s,
            "history": [dict(r) for r in self.history],
        }
